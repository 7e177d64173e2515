"""The Knotbot web app (gradio): a chat, a "should I push?" checker, a warning-signs list.

``build_app(pipeline)`` builds the app without starting it; ``launch(pipeline)`` starts
it. All decisions come from the pipeline; this module only lays out and wires the page.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import gradio as gr

from rag.errors import KnotbotError
from rag.models import Option, Pipeline, PressForm
from rag.settings import Settings
from ui import handlers, render
from ui.style import CSS, JS

EXAMPLES = [
    "How long should I hold pressure on a knot?",
    "What causes knots in the neck and shoulders?",
    "Can I use a tennis ball on a knot?",
    "I have a fever and a stiff neck, how do I massage it?",
]

HEADER = (
    '<div id="kb-header"><h1>Knotbot</h1>'
    "<p>Careful answers about painful muscle knots in the neck and shoulders, "
    "taken from vetted articles.</p></div>"
)


def theme() -> gr.themes.Base:
    """A calm theme with large text and only locally served fonts."""
    return gr.themes.Default(
        primary_hue="teal", neutral_hue="slate", text_size=gr.themes.sizes.text_lg
    )


class KnotbotBlocks(gr.Blocks):
    """gr.Blocks that brings its own theme and CSS to launch() (gradio 6 takes them there)."""

    def launch(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("theme", theme())
        kwargs.setdefault("css", CSS)
        kwargs.setdefault("js", JS)
        kwargs.setdefault("footer_links", ["gradio", "settings"])
        return super().launch(*args, **kwargs)


def _choices(options: list[Option]) -> list[tuple[str, str]]:
    return [(o.label, o.id) for o in options]


def _chat_tab(pipeline: Pipeline, max_chars: int, feedback_file: Path, delay: float) -> None:
    entries = gr.State([])
    chatbot = gr.Chatbot(
        elem_id="kb-chat", label="Knotbot", show_label=False, height=560, render_markdown=False,
        sanitize_html=True, buttons=[], layout="panel", autoscroll=False,
        placeholder="Ask about a painful knot in your neck or shoulders.",
    )
    notice = gr.HTML(elem_id="kb-notice", elem_classes=["kb-result"])
    with gr.Row(elem_id="kb-input-row", equal_height=True):
        box = gr.Textbox(
            elem_id="kb-question", show_label=False, scale=5, lines=1, max_lines=6,
            placeholder="Type your question about a neck or shoulder knot", autofocus=True,
        )
        send = gr.Button("Send", variant="primary", elem_id="kb-send", scale=1, min_width=96)
    gr.Examples(EXAMPLES, inputs=[box], label="Try one of these questions")
    comment = gr.Textbox(
        elem_id="kb-comment", lines=1, max_lines=6,
        label="Comment on an answer (optional): write it, then press thumbs up or down",
        placeholder="What was helpful or missing? Please leave out personal details.",
    )
    status = gr.HTML(elem_id="kb-feedback-status", elem_classes=["kb-result"])

    def on_send(message: str, log: handlers.ChatLog) -> Iterator[tuple[Any, ...]]:
        for update in handlers.respond(pipeline, message, log, max_chars=max_chars, delay=delay):
            yield tuple(gr.skip() if part is None else part for part in update)

    def on_like(log: handlers.ChatLog, text: str, data: gr.LikeData) -> tuple[str, str]:
        return handlers.record_feedback(feedback_file, log, data.index, data.liked, text)

    gr.on([box.submit, send.click], on_send, [box, entries], [chatbot, box, notice, entries],
          show_progress="hidden")
    chatbot.like(on_like, [entries, comment], [status, comment])
    chatbot.clear(lambda: ([], "", ""), None, [entries, notice, status])


def _load_form(pipeline: Pipeline) -> tuple[PressForm | None, str]:
    try:
        return pipeline.press_form(), ""
    except KnotbotError as err:
        return None, render.render_error(err)


def _load_signs(pipeline: Pipeline) -> tuple[list[Option], str]:
    try:
        return pipeline.warning_signs(), ""
    except KnotbotError as err:
        return [], render.render_error(err)


def _press_tab(pipeline: Pipeline) -> None:
    form, error = _load_form(pipeline)
    if form is None:
        gr.HTML(error)
        return
    gr.Markdown("Answer three quick questions. Knotbot tells you whether pressing is safe.")
    location = gr.Radio(_choices(form.locations), label="Where is the knot?", elem_id="kb-loc")
    feeling = gr.Radio(
        _choices(form.feelings), label="What does pressing on it feel like?", elem_id="kb-feel"
    )
    conditions = gr.CheckboxGroup(
        _choices(form.conditions), label="Does any of this apply to you?", elem_id="kb-cond"
    )
    check = gr.Button("Should I push on it?", variant="primary", elem_id="kb-press-check")
    result = gr.HTML(elem_id="kb-press-result", elem_classes=["kb-result"])
    check.click(partial(handlers.press_result, pipeline), [location, feeling, conditions], result)


def _signs_tab(pipeline: Pipeline) -> None:
    signs, error = _load_signs(pipeline)
    if error:
        gr.HTML(error)
        return
    gr.Markdown("Tick everything you have noticed, then press the button.")
    ticked = gr.CheckboxGroup(_choices(signs), label="Warning signs", elem_id="kb-signs")
    check = gr.Button("What should I do?", variant="primary", elem_id="kb-signs-check")
    result = gr.HTML(elem_id="kb-signs-result", elem_classes=["kb-result"])
    check.click(partial(handlers.signs_result, pipeline), [ticked], result)


def build_app(
    pipeline: Pipeline,
    settings: Settings | None = None,
    *,
    feedback_file: Path | None = None,
    stream_delay: float = 0.02,
) -> gr.Blocks:
    """Build (not launch) the app around a pipeline."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    settings = settings or Settings()
    feedback = feedback_file or settings.feedback_file
    with KnotbotBlocks(title="Knotbot", analytics_enabled=False) as app:
        gr.HTML(HEADER)
        gr.HTML(render.render_standing_note(), elem_id="kb-standing")
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                _chat_tab(pipeline, settings.max_question_chars, feedback, stream_delay)
            with gr.Tab("Should I push on this knot?", id="press"):
                _press_tab(pipeline)
            with gr.Tab("When should I see a doctor?", id="signs"):
                _signs_tab(pipeline)
    return app


def launch(
    pipeline: Pipeline,
    host: str | None = None,
    port: int | None = None,
    *,
    settings: Settings | None = None,
    feedback_file: Path | None = None,
    **launch_kwargs: Any,
) -> Any:
    """Build the app and serve it (blocks until stopped unless prevent_thread_lock=True)."""
    settings = settings or Settings()
    app = build_app(pipeline, settings, feedback_file=feedback_file)
    return app.launch(
        server_name=host or settings.ui_host,
        server_port=port or settings.ui_port,
        **launch_kwargs,
    )
