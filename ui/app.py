"""The Knotbot web app (gradio): a chat, a "should I push?" checker, a warning-signs list.

``build_app(pipeline)`` builds the app without starting it; ``launch(pipeline)`` starts
it. All decisions come from the pipeline; this module only lays out and wires the page.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import anyio
import gradio as gr

from rag.errors import KnotbotError
from rag.models import Option, Pipeline, PressForm
from rag.settings import Settings
from ui import handlers, lean, render
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
    ).set(  # white on teal-700 is 5.5:1 (AA); gradio's teal-500 is 2.5:1
        button_primary_background_fill="*primary_700",
        button_primary_background_fill_hover="*primary_800",
        button_primary_text_color="white",
        button_primary_border_color="*primary_800",
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


PRIVACY = (
    '<p class="kb-privacy"><strong>What is kept, and where.</strong> This conversation is '
    "kept only in this browser, so reloading the page keeps it; "
    "\u201cStart a new conversation\u201d removes it. Knotbot's server does not save your "
    "chat. When you rate an answer, the server saves the rating, your comment, the "
    "question, the answer, its sources and the time in Knotbot's feedback file; "
    "nothing else about you. Un-clicking a thumb deletes that rating.</p>"
)


def _counter(length: int, max_chars: int) -> str:
    return f'<p class="kb-counter-text">{length:,} / {max_chars:,} characters</p>'


# Runs in the browser on every change of the question box (no server round trip).
COUNTER_JS = """
(text) => {
  const n = (text || "").length, max = %d;
  const over = n > max ? ' kb-over' : '';
  const tail = n > max ? ': longer than Knotbot answers' : '';
  return `<p class="kb-counter-text${over}">${n.toLocaleString('en')} / ` +
         `${max.toLocaleString('en')} characters${tail}</p>`;
}
"""


class ChatTab:
    """The chat's components, built in reading order; wire() connects them."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self.entries = gr.State([])
        self.ratings = gr.State({})
        self.current = gr.State(None)  # the answer a comment goes to: the one last rated
        self.stored = gr.BrowserState([], storage_key="knotbot-conversation")
        self.chatbot = gr.Chatbot(
            elem_id="kb-chat", label="Conversation with Knotbot", show_label=False, height=560,
            render_markdown=False, sanitize_html=True, buttons=[], layout="panel",
            autoscroll=False, feedback_options=("Like", "Dislike"),
            placeholder="Ask about a painful knot in your neck or shoulders.",
        )
        # Right under the chat, beside the thumbs: the thank-you and the comment box.
        self.status = gr.HTML(elem_id="kb-feedback-status", elem_classes=["kb-result"])
        with gr.Row(visible=False, elem_id="kb-comment-row") as row:
            self.comment = gr.Textbox(
                elem_id="kb-comment", lines=1, max_lines=6, scale=4,
                label="Add a comment to your rating (optional)",
                placeholder="What was helpful or missing? No personal details, please.",
            )
            self.save = gr.Button("Save comment", elem_id="kb-comment-save", scale=1,
                                  min_width=120)
        self.comment_row = row
        self.notice = gr.HTML(elem_id="kb-notice", elem_classes=["kb-result"])
        with gr.Row(elem_id="kb-input-row"):
            self.box = gr.Textbox(
                elem_id="kb-question", label="Your question", scale=5, lines=2, max_lines=6,
                placeholder="Type your question here",
            )
            self.send = gr.Button("Send", variant="primary", elem_id="kb-send", scale=1,
                                  min_width=96)
        self.counter = gr.HTML(_counter(0, max_chars), elem_id="kb-counter")
        gr.HTML('<p class="kb-examples-title">Or try one of these questions:</p>')
        with gr.Row(elem_id="kb-examples"):
            self.examples = [gr.Button(text, size="sm", elem_classes=["kb-example"])
                             for text in EXAMPLES]
        self.new = gr.Button("Start a new conversation", elem_id="kb-new", size="md")
        with gr.Row(visible=False, elem_id="kb-new-confirm") as confirm:
            gr.HTML('<p class="kb-confirm">Clear this conversation from the page and from '
                    "this browser? The warning level starts again from nothing.</p>")
            self.yes = gr.Button("Yes, start again", variant="stop", elem_id="kb-new-yes")
            self.keep = gr.Button("No, keep it", elem_id="kb-new-keep")
        self.confirm = confirm
        gr.HTML(PRIVACY)


# Events only the page itself sends: left out of the API's description (`/info`), which
# every gradio_client connection downloads and parses (14 endpoints, 56 KB: about 10 ms
# of the app's CPU per connection, and more of the client's). The page still calls them.
PAGE_ONLY: dict[str, Any] = {"api_visibility": "private"}


def _wire_send(tab: ChatTab, pipeline: Pipeline, delay: float, concurrency: int) -> None:
    # The browser's copy is written with the reply itself, not by a later event, so a
    # reload the moment the reply lands loses nothing.
    chat_out = [tab.chatbot, tab.box, tab.notice, tab.entries, tab.stored]

    def frames(message: str, log: handlers.ChatLog) -> Iterator[tuple[Any, ...]]:
        written = len(log or [])
        for update in handlers.respond(pipeline, message, log, max_chars=tab.max_chars,
                                       delay=delay):
            entries, stored = update[3], gr.skip()
            if entries is not None and len(entries) != written:  # not every streamed frame
                written, stored = len(entries), handlers.to_stored(entries)
            yield (*(gr.skip() if part is None else part for part in update), stored)

    async def whole(message: str, log: handlers.ChatLog) -> tuple[Any, ...]:
        """Without a typing effect, the reply in one frame: every frame costs the server
        the whole chat's post-processing, and each step of a generator is a hand-over to
        a worker thread, so the line saying Knotbot is looking in its articles (sent a
        few ms before the reply) is left out. The queue's notice line shows the wait."""
        *_, last = await anyio.to_thread.run_sync(lambda: list(frames(message, log)))
        return last

    on_send: Callable[..., Any] = frames if delay else whole
    # The pipeline is read-only per question (tests/test_concurrency.py), so several
    # people are answered at once, all chat triggers sharing one pool of workers. Someone
    # who must wait sees their place in the queue (and its ETA) on the notice line.
    wait: dict[str, Any] = {"show_progress": "minimal", "show_progress_on": [tab.notice],
            "concurrency_limit": concurrency, "concurrency_id": "chat"}
    gr.on([tab.box.submit, tab.send.click], on_send, [tab.box, tab.entries], chat_out,
          api_name="on_send", **wait)
    for button, text in zip(tab.examples, EXAMPLES, strict=True):  # an example is sent
        button.click(partial(on_send, text), [tab.entries], chat_out, **wait, **PAGE_ONLY)
    tab.box.change(None, [tab.box], [tab.counter], js=COUNTER_JS % tab.max_chars)


def _wire_feedback(tab: ChatTab, feedback_file: Path) -> None:
    def on_like(log: handlers.ChatLog, ratings: handlers.Ratings, pending: str,
                current: int | None, data: gr.LikeData) -> tuple[Any, ...]:
        rated = handlers.rate(feedback_file, log, ratings, data.index, data.liked, pending,
                              current)
        return (rated.status, rated.ratings, rated.current,
                gr.update(visible=rated.current is not None),
                "" if rated.comment_saved else gr.skip())

    def on_comment(log: handlers.ChatLog, ratings: handlers.Ratings, current: int | None,
                   text: str) -> tuple[str, str]:
        return handlers.save_comment(feedback_file, log, ratings, current, text)

    tab.chatbot.like(on_like, [tab.entries, tab.ratings, tab.comment, tab.current],
                     [tab.status, tab.ratings, tab.current, tab.comment_row, tab.comment],
                     **PAGE_ONLY)
    gr.on([tab.save.click, tab.comment.submit], on_comment,
          [tab.entries, tab.ratings, tab.current, tab.comment], [tab.status, tab.comment],
          **PAGE_ONLY)


def _wire_reset(app: gr.Blocks, tab: ChatTab) -> None:
    """A new conversation (asked first), and the conversation back after a reload."""
    hidden = gr.update(visible=False)
    cleared: tuple[Any, ...] = ([], [], {}, None, "", "", "", [], hidden, hidden)
    clear_out = [tab.chatbot, tab.entries, tab.ratings, tab.current, tab.notice, tab.status,
                 tab.comment, tab.stored, tab.comment_row, tab.confirm]
    tab.new.click(lambda: gr.update(visible=True), None, [tab.confirm], **PAGE_ONLY)
    tab.keep.click(lambda: gr.update(visible=False), None, [tab.confirm], **PAGE_ONLY)
    tab.yes.click(lambda: cleared, None, clear_out, **PAGE_ONLY)
    tab.chatbot.clear(lambda: cleared, None, clear_out, **PAGE_ONLY)

    def restore(data: object) -> tuple[list[handlers.Message], handlers.ChatLog]:
        log = handlers.from_stored(data)
        return handlers.chat_messages(log), log

    app.load(restore, [tab.stored], [tab.chatbot, tab.entries], show_progress="hidden",
             **PAGE_ONLY)


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
    stream_delay: float = 0.0,
) -> gr.Blocks:
    """Build (not launch) the app around a pipeline."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    # Gradio's queue sums up every recorded event with pandas after each event (for its
    # monitoring page, which Knotbot does not open): 4 to 13 ms of CPU a reply. Once per
    # thousand events is plenty.
    os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "1000")
    # Every event runs inside gradio's matplotlib backend switch; without a backend set,
    # the first one imports pyplot to find one (about 0.3 s of the first answer). Knotbot
    # draws nothing, and a server has no display: the file backend.
    os.environ.setdefault("MPLBACKEND", "agg")
    lean.lighten()  # no copy of every component's configuration per new session
    settings = settings or Settings()
    feedback = feedback_file or settings.feedback_file
    with KnotbotBlocks(title="Knotbot", analytics_enabled=False) as app:
        gr.HTML(HEADER)
        gr.HTML(render.render_standing_note(), elem_id="kb-standing")
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                chat = ChatTab(settings.max_question_chars)
            with gr.Tab("Should I push on this knot?", id="press"):
                _press_tab(pipeline)
            with gr.Tab("When should I see a doctor?", id="signs"):
                _signs_tab(pipeline)
        _wire_send(chat, pipeline, stream_delay, settings.ui_concurrency)
        _wire_feedback(chat, feedback)
        _wire_reset(app, chat)
    app.queue(default_concurrency_limit=settings.ui_concurrency)  # the checkers' too
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
