"""Fast tests of the UI's pure rendering functions and its handlers (fake pipeline)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rag.models import Answer, Citation, PressCheck, Triage, Turn
from ui import handlers, render
from ui.feedback import rating_from_liked

try:
    from tests.ui_fake import PRESSURE_QUOTE, FakePipeline
except ImportError:  # tests/ is not a package: pytest puts tests/ itself on sys.path
    from ui_fake import PRESSURE_QUOTE, FakePipeline  # type: ignore[no-redef]

HOSTILE = "<img src=x onerror=alert(1)>"


def final(pipeline: FakePipeline, message: str, entries: handlers.ChatLog | None = None,
           max_chars: int = 2000) -> handlers.ChatUpdate:
    """Run the chat handler to the end and return its last update."""
    updates = list(handlers.respond(pipeline, message, entries, max_chars=max_chars))
    assert updates, "the handler must always yield at least once"
    return updates[-1]


# ---- rendering ---------------------------------------------------------------------------


def test_user_message_is_escaped() -> None:
    out = render.render_user_message(HOSTILE + "\n**bold**")
    assert "<img" not in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "**bold**" in out and "<strong>" not in out
    assert "<br>" in out


def test_answer_text_escapes_then_adds_markup() -> None:
    out = render.render_answer_text(f"Use **firm** pressure [1].\n{HOSTILE} <script>x</script>")
    assert "<strong>firm</strong>" in out
    assert '<span class="kb-ref">[1]</span>' in out
    assert "<img" not in out and "<script" not in out
    assert "&lt;script&gt;" in out


def test_answer_text_paragraphs_and_bullets() -> None:
    out = render.render_answer_text("One.\nTwo.\n\n- a\n- b **c**")
    assert out == "<p>One.<br>Two.</p><ul><li>a</li><li>b <strong>c</strong></li></ul>"


def test_markdown_link_and_image_stay_text() -> None:
    out = render.render_answer_text("[click](javascript:alert(1)) ![x](http://e/x.png)")
    assert "<a" not in out and "<img" not in out
    assert "[click](javascript:alert(1))" in out


def test_highlight_marks_quotes_and_escapes_passage() -> None:
    text = "First <b>sentence</b>. Hold it for 30 seconds. Last one & done."
    out = render.highlight_passage(text, ["Hold it for 30 seconds.", "not in the text"])
    assert "<mark>Hold it for 30 seconds.</mark>" in out
    assert "&lt;b&gt;sentence&lt;/b&gt;" in out and "&amp; done" in out
    assert out.count("<mark>") == 1


def test_highlight_tolerates_whitespace_and_overlap() -> None:
    text = "Alpha beta\ngamma delta. Epsilon."
    out = render.highlight_passage(text, ["beta gamma", "Alpha beta gamma delta."])
    assert out.count("<mark>") == 1
    assert out.startswith("<mark>Alpha beta\ngamma delta.</mark>")


def test_quote_with_markup_is_escaped_inside_mark() -> None:
    out = render.highlight_passage(f"Before {HOSTILE} after.", [HOSTILE])
    assert "<mark>&lt;img src=x onerror=alert(1)&gt;</mark>" in out


def _answer(level: str, verdict: str | None = None, text: str = "Body [1].") -> Answer:
    return Answer(
        question="q",
        triage=Triage(level=level, reasons=["why <b>"], message="Call 112 <now>"),  # type: ignore[arg-type]
        press_check=PressCheck(verdict=verdict) if verdict else None,  # type: ignore[arg-type]
        answer=f"**Head** {text} Sources...",
        body=text,
        citations=[Citation(n=1, source="a.md", title="T <i>", section="S & s",
                            text="P one. P two.", score=1.0, quotes=["P two."])],
    )


def test_body_is_shown_not_the_markdown_that_repeats_the_safety_block() -> None:
    out = render.render_answer(_answer("emergency", "do_not_press"))
    assert "Head" not in out and "Sources..." not in out
    plain = Answer(question="q", triage=Triage(level="self_care"), answer="Plain [1].")
    assert "Plain" in render.render_answer(plain)  # a pipeline that leaves body empty
    head_only = Answer(question="q", triage=Triage(level="out_of_scope", message="m"),
                       answer="**Repeated head:** m")
    assert "Repeated head" not in render.render_answer(head_only)


def test_emergency_banner_comes_first() -> None:
    out = render.render_answer(_answer("emergency", "do_not_press"))
    banner = out.index('class="kb-banner kb-banner-emergency" role="alert"')
    assert banner < out.index("kb-press") < out.index("Body") < out.index("kb-sources")
    assert "Call 112 &lt;now&gt;" in out and "Why &lt;b&gt;" in out


def test_reasons_start_with_a_capital_letter() -> None:
    check = PressCheck(verdict="gently", reasons=["tender muscle takes gentle pressure"])
    assert "<li>Tender muscle takes gentle pressure</li>" in render.render_press_check(check)


@pytest.mark.parametrize(
    ("level", "css"),
    [("urgent", "kb-banner-urgent"), ("see_doctor", "kb-banner-see-doctor"),
     ("out_of_scope", "kb-banner-out-of-scope")],
)
def test_banner_per_level(level: str, css: str) -> None:
    assert css in render.render_answer(_answer(level))


def test_self_care_has_no_banner() -> None:
    assert "kb-banner" not in render.render_answer(_answer("self_care"))


@pytest.mark.parametrize(
    ("verdict", "label"), [("do_not_press", "Do not press"), ("stop", "Stop"),
                           ("gently", "Press gently")],
)
def test_press_verdict_labels(verdict: str, label: str) -> None:
    out = render.render_answer(_answer("self_care", verdict))
    assert label in out and f'kb-press-{verdict.replace("_", "-")}' in out


def test_sources_show_number_title_section_and_marked_quote() -> None:
    out = render.render_sources(_answer("self_care").citations)
    assert "[1]" in out and "T &lt;i&gt;" in out and "S &amp; s" in out
    assert "P one. <mark>P two.</mark>" in out


def test_a_marker_is_a_link_to_its_source() -> None:
    out = render.render_answer(_answer("self_care"), key="m3")
    assert '<a class="kb-ref" href="#kb-src-m3-1"' in out
    assert '<li class="kb-source" id="kb-src-m3-1">' in out


def test_a_source_shows_the_quote_in_brief_and_the_passage_one_click_away() -> None:
    before = " ".join(f"Filler sentence number {i} about posture." for i in range(20))
    quote = "Hold the pressure for 30 to 90 seconds."
    passage = f"Manual Techniques\n\n{before} {quote} {before}"
    citation = Citation(n=1, source="a.md", title="T", section="Manual Techniques",
                        text=passage, score=1.0, quotes=[quote])
    out = render.render_sources([citation])
    brief = out.split('<details class="kb-more">')[0]
    assert f"<mark>{quote}</mark>" in brief
    assert len(re.sub(r"<[^>]+>", "", brief)) < 400, "the brief view is a little context"
    assert "<summary>Show the whole passage</summary>" in out
    assert "number 5 " not in brief and out.count("number 5 ") == 2  # behind the click
    assert out.count("Manual Techniques") == 1, "the passage does not repeat its heading"


def test_stream_keeps_safety_first_in_every_frame() -> None:
    words = " ".join(f"w{i}" for i in range(100))
    frames = list(render.stream_answer(_answer("emergency", "stop", words), max_frames=10))
    assert len(frames) >= 5
    for frame in frames:
        assert frame.index("kb-banner-emergency") < frame.index("kb-press-stop")
    assert frames[-1] == render.render_answer(_answer("emergency", "stop", words))


# ---- chat handler ------------------------------------------------------------------------


@pytest.mark.parametrize("message", ["", "   ", "\n\t", None])
def test_empty_input_is_ignored(message: str | None) -> None:
    pipeline = FakePipeline()
    updates = list(handlers.respond(pipeline, message, []))
    assert updates == [(None, None, "", None)]  # None: the page is left exactly as it is
    assert pipeline.calls == []


def test_long_input_is_triaged_but_not_answered() -> None:
    pipeline = FakePipeline()
    message = "x" * 2001
    messages, box, notice, entries = final(pipeline, message)
    assert messages is None and entries is None  # no message is added to the chat
    assert box is None  # the text stays in the box so the person can shorten it
    assert "2,000" in notice
    assert final(pipeline, "knot " * 400)[0]  # exactly 2000 characters is fine


def test_a_warning_sign_in_a_long_message_is_not_lost() -> None:
    message = ("my neck has been sore for a while and I sit at a desk all day. " * 80
               + "Also I have a fever and a stiff neck.")
    messages, box, notice, entries = final(FakePipeline(), message)
    assert "2,000" in notice and box is None
    assert messages is not None and "kb-banner-emergency" in messages[-1]["content"]
    assert "shorten" not in notice.lower(), "never advise cutting a text with a warning sign"
    assert "warning sign" in notice
    assert "characters" not in messages[-1]["content"], "the reply holds the safety block only"
    shown = messages[-2]["content"]
    assert len(shown) < 600 and "5," in shown, "only the start of the wall of text is shown"
    assert entries is not None and entries[-2].question == message  # nothing is lost


def test_hostile_question_is_escaped_in_the_chat() -> None:
    messages, box, _notice, entries = final(FakePipeline(), HOSTILE)
    assert box == ""
    user = messages[0]
    assert user["role"] == "user" and "<img" not in user["content"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in user["content"]
    assert entries[0].question == HOSTILE


def test_chat_shows_the_message_at_once_then_the_reply_banner_first() -> None:
    question = "I have a fever and a stiff neck, how do I massage it?"
    updates = list(handlers.respond(FakePipeline(), question, []))
    shown = updates[0][0]  # before the pipeline is asked: the message and a waiting line
    assert shown is not None and shown[0]["role"] == "user" and "kb-waiting" in shown[1]["content"]
    reply = updates[-1][0][-1]["content"]
    assert len(updates) == 2  # no frame of the safety block alone (the reply is complete)
    assert reply.index("kb-banner-emergency") < reply.index("kb-press-do-not-press")
    assert reply.index("kb-press") < reply.index("Please get medical help")


def test_chat_passes_history_to_the_pipeline() -> None:
    pipeline = FakePipeline()
    seen: list[object] = []
    original = pipeline.answer

    def spy(question: str, history: object = None) -> Answer:
        seen.append(history)
        return original(question)

    pipeline.answer = spy  # type: ignore[method-assign]
    entries = final(pipeline, "How long should I hold pressure on a knot?")[3]
    final(pipeline, "And with a ball?", entries)
    assert seen[0] == []
    assert [t.role for t in seen[1]] == ["user", "assistant"]  # type: ignore[attr-defined]


class CarryingPipeline(FakePipeline):
    """Like the real safety stage: a warning sign once given keeps the level raised."""

    def answer(self, question: str, history: list[Turn] | None = None) -> Answer:
        earlier = " ".join(t.content for t in history or [] if t.role == "user")
        if "fever" in earlier and "stiff" in earlier:
            return super().answer(f"{question} (fever, stiff neck)")
        return super().answer(question)


def test_a_raised_level_says_what_raised_it() -> None:
    pipeline = CarryingPipeline()
    first = final(pipeline, "I have a fever and a stiff neck")
    assert "Earlier in this conversation" not in first[0][-1]["content"]
    messages = final(pipeline, "what causes knots in general?", first[3])[0]
    reply = messages[-1]["content"]
    assert "kb-banner-emergency" in reply
    assert "Earlier in this conversation you mentioned a warning sign: fever with a stiff " \
           "neck" in reply
    assert "Start a new conversation" in reply


def test_the_chat_survives_the_trip_to_the_browser_and_back() -> None:
    entries = final(FakePipeline(), "I have a fever and a stiff neck")[3]
    stored = json.loads(json.dumps(handlers.to_stored(entries)))
    back = handlers.from_stored(stored)
    assert back == entries
    assert handlers.from_stored("garbage") == [] and handlers.from_stored([{"x": 1}]) == []


def test_knotbot_error_becomes_a_friendly_note() -> None:
    messages, _box, _notice, entries = final(FakePipeline(broken=True), "knot?")
    assert "run `knotbot ingest` first" in messages[-1]["content"]
    assert "kb-note-error" in messages[-1]["content"]
    assert entries[-1].answer is None


# ---- feedback ----------------------------------------------------------------------------


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_feedback_line_has_exactly_the_right_fields(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "feedback.jsonl"
    question = "How long should I hold pressure on a knot?"
    entries = final(FakePipeline(), question)[3]
    rated = handlers.rate(path, entries, {}, 1, True)
    assert "Thank you" in rated.status and question in rated.status and rated.current == 1
    handlers.rate(path, entries, {}, [1, None], False)
    lines = _lines(path)
    assert len(lines) == 2
    first = lines[0]
    assert set(first) == {"id", "timestamp", "rating", "comment", "question", "answer",
                          "citations"}
    assert first["rating"] == "up" and first["comment"] == ""
    assert first["question"] == question and "30 to 90 seconds" in str(first["answer"])
    assert [c["n"] for c in first["citations"]] == [1, 2]  # type: ignore[attr-defined]
    assert lines[1]["rating"] == "down" and lines[1]["id"] != first["id"]


def test_a_comment_after_the_thumb_joins_that_answer(tmp_path: Path) -> None:
    path = tmp_path / "feedback.jsonl"
    pipeline = FakePipeline()
    entries = final(pipeline, "How long should I hold pressure on a knot?")[3]
    entries = final(pipeline, "Can I use a tennis ball on a knot?", entries)[3]
    first = handlers.rate(path, entries, {}, 1, True)
    # the person writes a comment for answer 1, then rates answer 2 without saving it
    second = handlers.rate(path, entries, first.ratings, 3, False, "  clear, thanks ",
                           first.current)
    assert second.comment_saved and "comment was saved with the answer to \u201cHow long" \
        in second.status
    status, box = handlers.save_comment(path, entries, second.ratings, second.current,
                                        "missing the ball size")
    assert "Thank you" in status and "tennis ball" in status and box == ""
    by_question = {str(r["question"]): r for r in _lines(path)}
    assert by_question["How long should I hold pressure on a knot?"]["comment"] == \
        "clear, thanks"
    assert by_question["Can I use a tennis ball on a knot?"]["comment"] == \
        "missing the ball size"
    assert len(by_question) == 2 and len(_lines(path)) == 2


def test_changing_and_taking_back_a_thumb(tmp_path: Path) -> None:
    path = tmp_path / "feedback.jsonl"
    entries = final(FakePipeline(), "How long should I hold pressure on a knot?")[3]
    rated = handlers.rate(path, entries, {}, 1, True)
    rated = handlers.rate(path, entries, rated.ratings, 1, False, "", rated.current)
    assert [r["rating"] for r in _lines(path)] == ["down"]  # changed, not doubled
    gone = handlers.rate(path, entries, rated.ratings, 1, None, "", rated.current)
    assert _lines(path) == [] and "removed" in gone.status and gone.current is None
    status, _box = handlers.save_comment(path, entries, gone.ratings, gone.current, "late")
    assert "thumbs up or down" in status and _lines(path) == []


@pytest.mark.parametrize(("index", "liked"), [(0, True), (9, True), ("x", False)])
def test_feedback_ignored_for_user_message_or_bad_index(
    tmp_path: Path, index: object, liked: object
) -> None:
    path = tmp_path / "feedback.jsonl"
    entries = final(FakePipeline(), "How long should I hold pressure on a knot?")[3]
    handlers.rate(path, entries, {}, index, liked)
    assert not path.exists()


def test_rating_from_liked() -> None:
    assert rating_from_liked(True) == "up" and rating_from_liked(False) == "down"
    assert rating_from_liked("") is None and rating_from_liked("Like") is None


# ---- form tabs ---------------------------------------------------------------------------


def test_press_checker_front_of_neck_says_do_not_press() -> None:
    out = handlers.press_result(FakePipeline(), "front_of_neck", "tender_ok", [])
    assert "Do not press" in out and "<mark>" in out and PRESSURE_QUOTE in out


def test_press_checker_needs_both_answers() -> None:
    pipeline = FakePipeline()
    assert "Please choose" in handlers.press_result(pipeline, None, "tender_ok", None)
    assert pipeline.calls == []


def test_signs_checker_renders_level() -> None:
    out = handlers.signs_result(FakePipeline(), ["arm_weakness"])
    assert "kb-banner-urgent" in out and "See a doctor today." in out


def test_signs_checker_with_nothing_ticked_gives_a_verdict_and_what_would_change_it() -> None:
    out = handlers.signs_result(FakePipeline(), [])
    assert "No warning signs ticked" in out and "What would change this" in out
    assert "more complex" not in out


def test_tab_errors_are_friendly() -> None:
    class Broken(FakePipeline):
        def check_signs(self, signs: list[str]) -> Answer:
            raise RuntimeError("boom")

    out = handlers.signs_result(Broken(), [])
    assert "something went wrong" in out and "boom" not in out


def test_build_app_without_launching(tmp_path: Path) -> None:
    from ui.app import build_app

    app = build_app(FakePipeline(), feedback_file=tmp_path / "f.jsonl")
    assert app.title == "Knotbot"


def test_the_api_describes_the_chat_and_the_two_checkers_only(tmp_path: Path) -> None:
    """What a gradio_client user downloads at every connection: the three things there are
    to ask, not the page's own buttons (which still run: they stay in the page's config)."""
    from ui.app import build_app

    app = build_app(FakePipeline(), feedback_file=tmp_path / "f.jsonl")
    assert len(app.get_api_info()["named_endpoints"]) == 3
    assert "/on_send" in app.get_api_info()["named_endpoints"]
    fns = {d["api_name"]: d for d in app.get_config_file()["dependencies"]}
    assert {"on_like", "on_comment", "restore"} <= set(fns)


def test_build_app_survives_a_pipeline_without_index(tmp_path: Path) -> None:
    import gradio as gr

    from rag.errors import IndexMissingError
    from ui.app import build_app

    class NoIndex(FakePipeline):
        def press_form(self):  # type: ignore[no-untyped-def]
            raise IndexMissingError("/tmp/nowhere")

        def warning_signs(self):  # type: ignore[no-untyped-def]
            raise IndexMissingError("/tmp/nowhere")

    app = build_app(NoIndex(), feedback_file=tmp_path / "f.jsonl")
    notes = [b.value for b in app.blocks.values() if isinstance(b, gr.HTML)]
    assert sum("run `knotbot ingest` first" in str(v) for v in notes) == 2
