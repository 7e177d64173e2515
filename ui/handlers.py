"""What happens when a person uses the app; plain Python, no gradio (easy to test).

The chat keeps a log of :class:`Entry` objects, one per chat message, in the same
order as the Chatbot shows them. The Chatbot only ever gets HTML built by
:mod:`ui.render`; the log keeps the raw question and Answer for history and feedback.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from rag.errors import KnotbotError
from rag.models import Answer, Pipeline, Turn
from ui import render
from ui.feedback import append_feedback, feedback_record, rating_from_liked

log = logging.getLogger(__name__)

UNEXPECTED = (
    "Sorry, something went wrong on Knotbot's side and it cannot answer right now. "
    "If this is an emergency, call your local emergency number."
)


@dataclass(frozen=True)
class Entry:
    """One chat message: what the Chatbot shows, plus the raw data behind it."""

    role: Literal["user", "assistant"]
    html: str
    question: str = ""
    answer: Answer | None = None


ChatLog = list[Entry]
Message = dict[str, str]
# chatbot, textbox, notice, log; None means "leave that part of the page as it is"
ChatUpdate = tuple[list[Message] | None, str | None, str, ChatLog | None]


def chat_messages(entries: Sequence[Entry]) -> list[Message]:
    """The Chatbot's value: role and (already safe) HTML content."""
    return [{"role": e.role, "content": e.html} for e in entries]


def history(entries: Sequence[Entry]) -> list[Turn]:
    """Earlier questions and answers as Turns for the pipeline."""
    turns: list[Turn] = []
    for entry in entries:
        if entry.role == "user":
            turns.append(Turn(role="user", content=entry.question))
        elif entry.answer is not None:
            turns.append(Turn(role="assistant", content=entry.answer.answer))
    return turns


def too_long_note(length: int, max_chars: int) -> str:
    return render.render_note(
        f"Your message is {length:,} characters long. Please shorten it to "
        f"{max_chars:,} characters or fewer and send it again.",
    )


def ask(pipeline: Pipeline, question: str, turns: list[Turn]) -> tuple[Answer | None, str]:
    """Call the pipeline; on failure return no Answer and a friendly note instead."""
    try:
        return pipeline.answer(question, turns), ""
    except KnotbotError as err:
        return None, render.render_error(err)
    except Exception:  # a bug must not blank the page: log it, show a calm note
        log.exception("the pipeline failed on a chat question")
        return None, render.render_note(UNEXPECTED, "error")


def respond(
    pipeline: Pipeline,
    message: str | None,
    entries: ChatLog | None,
    *,
    max_chars: int = 2000,
    delay: float = 0.0,
) -> Iterator[ChatUpdate]:
    """Handle one chat message, streaming the reply as progressively longer HTML."""
    entries = list(entries or [])
    text = message or ""
    if not text.strip():
        yield None, None, "", None
        return
    turns = history(entries)
    if len(text) > max_chars:
        yield from _too_long(pipeline, text, turns, entries, max_chars)
        return
    entries.append(Entry("user", render.render_user_message(text), question=text))
    waiting = Entry("assistant", render.render_waiting())
    yield chat_messages([*entries, waiting]), "", "", entries
    answer, note = ask(pipeline, text, turns)
    if answer is None:
        entries.append(Entry("assistant", note, question=text))
        yield chat_messages(entries), "", "", entries
        return
    for frame in render.stream_answer(answer):
        yield chat_messages([*entries, Entry("assistant", frame)]), "", "", entries
        if delay:
            time.sleep(delay)
    entries.append(Entry("assistant", render.render_answer(answer), question=text, answer=answer))
    yield chat_messages(entries), "", store_notice(answer), entries


def store_notice(answer: Answer) -> str:
    """A small notice under the chat while the articles can't be searched ("" otherwise);
    the reason is for whoever runs Knotbot."""
    if not answer.search_error:
        return ""
    return render.render_note("Knotbot can't search its articles right now; safety advice "
                              "still works. For whoever runs Knotbot: " + answer.search_error)


def _too_long(pipeline: Pipeline, text: str, turns: list[Turn], entries: list[Entry],
              max_chars: int) -> Iterator[ChatUpdate]:
    """A long message is not answered, but it is still triaged: a warning sign is shown."""
    note = too_long_note(len(text), max_chars)
    answer, _ = ask(pipeline, text, turns)
    if answer is None or answer.triage.level in ("self_care", "out_of_scope"):
        yield None, None, note, None  # the text stays in the box to be shortened
        return
    entries = [*entries, Entry("user", render.render_user_message(text), question=text),
               Entry("assistant", render.render_answer(answer), question=text, answer=answer)]
    yield chat_messages(entries), None, note, entries


def record_feedback(
    path: Path, entries: Sequence[Entry] | None, index: object, liked: object, comment: str | None
) -> tuple[str, str]:
    """Write one feedback line for the rated answer; returns (status HTML, comment box)."""
    comment = comment or ""
    rating = rating_from_liked(liked)
    entries = list(entries or [])
    if rating is None:
        return "", comment
    position = index[0] if isinstance(index, list | tuple) else index
    if not isinstance(position, int) or not 0 <= position < len(entries):
        return "", comment
    entry = entries[position]
    if entry.answer is None:
        return render.render_note("Only answers from the articles can be rated."), comment
    append_feedback(path, feedback_record(rating, comment, entry.question, entry.answer))
    word = "helpful" if rating == "up" else "not helpful"
    return render.render_note(f"Thank you: saved that this answer was {word}."), ""


def _safe_call(call: str, run: Callable[[], Answer]) -> str:
    """Run one pipeline call and render its Answer, or a friendly note if it fails."""
    try:
        answer = run()
    except KnotbotError as err:
        return render.render_error(err)
    except Exception:
        log.exception("the pipeline failed in %s", call)
        return render.render_note(UNEXPECTED, "error")
    return render.render_answer(answer)


def press_result(
    pipeline: Pipeline, location: str | None, feeling: str | None, conditions: Sequence[str] | None
) -> str:
    """The "should I push on this knot?" result: the pipeline decides, the UI only shows."""
    if not location or not feeling:
        return render.render_note(
            "Please choose where the knot is and what pressing on it feels like."
        )
    chosen = list(conditions or [])
    return _safe_call("check_press", lambda: pipeline.check_press(location, feeling, chosen))


def signs_result(pipeline: Pipeline, signs: Sequence[str] | None) -> str:
    """The "when should I see a doctor?" result for the ticked warning signs."""
    chosen = list(signs or [])
    return _safe_call("check_signs", lambda: pipeline.check_signs(chosen))
