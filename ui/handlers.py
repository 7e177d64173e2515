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

from pydantic import ValidationError

from rag.errors import KnotbotError
from rag.models import LEVEL_RANK, Answer, Pipeline, Turn
from ui import render
from ui.feedback import (
    append_feedback,
    clean_comment,
    feedback_record,
    rating_from_liked,
    remove_feedback,
    update_feedback,
)

log = logging.getLogger(__name__)

UNEXPECTED = (
    "Sorry, something went wrong on Knotbot's side and it cannot answer right now. "
    "If this is an emergency, call your local emergency number."
)
STREAM_FRAMES = 30  # frames of a reply with a typing delay (none without one)
USER_SHOWN_CHARS = 300  # a longer message shows its start only, so the reply stays near


@dataclass(frozen=True)
class Entry:
    """One chat message: what the Chatbot shows, plus the raw data behind it."""

    role: Literal["user", "assistant"]
    html: str
    question: str = ""
    answer: Answer | None = None


ChatLog = list[Entry]
Ratings = dict[int, str]  # chat position of a rated answer -> its feedback record id
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


def to_stored(entries: Sequence[Entry]) -> list[dict[str, object]]:
    """The chat as plain JSON, for the copy kept in the person's own browser."""
    return [{"role": e.role, "html": e.html, "question": e.question,
             "answer": e.answer.model_dump(mode="json") if e.answer else None} for e in entries]


def from_stored(data: object) -> ChatLog:
    """The chat back from the browser's copy; anything unreadable gives an empty chat."""
    if not isinstance(data, list):
        return []
    try:
        return [Entry(role="user" if item["role"] == "user" else "assistant",
                      html=str(item["html"]), question=str(item.get("question") or ""),
                      answer=Answer.model_validate(item["answer"]) if item.get("answer") else None)
                for item in data]
    except (KeyError, TypeError, ValidationError):
        return []


def earlier_reasons(entries: Sequence[Entry], answer: Answer) -> list[str]:
    """The reasons for a raised level that were already given earlier in the chat."""
    if LEVEL_RANK[answer.triage.level] <= LEVEL_RANK["self_care"]:
        return []
    before = {r for e in entries if e.answer is not None for r in e.answer.triage.reasons}
    return [r for r in answer.triage.reasons if r in before]


def too_long_note(length: int, max_chars: int) -> str:
    return render.render_note(
        f"Your message is {length:,} characters long. Please shorten it to "
        f"{max_chars:,} characters or fewer and send it again.",
    )


def too_long_flagged_note(length: int, max_chars: int) -> str:
    """Never advise cutting text that holds a warning sign: the person might cut the sign."""
    return render.render_note(
        f"Your message is {length:,} characters long. Knotbot answers messages of up to "
        f"{max_chars:,} characters, so it has not answered all of it. It did read all of it "
        "for warning signs and found one: please follow the advice above first.",
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
    earlier = list(entries)
    entries.append(Entry("user", render.render_user_message(text, USER_SHOWN_CHARS),
                         question=text))
    waiting = Entry("assistant", render.render_waiting())
    yield chat_messages([*entries, waiting]), "", "", entries
    answer, note = ask(pipeline, text, turns)
    if answer is None:
        entries.append(Entry("assistant", note, question=text))
        yield chat_messages(entries), "", "", entries
        return
    key, said = f"m{len(entries)}", earlier_reasons(earlier, answer)
    # A typing delay holds a worker for every frame (0.6 s a reply at 0.02 s), so people
    # queue behind it: none unless asked for (``delay``). Without one the reply goes whole:
    # the answer is complete before any frame of it could go, so a frame of its safety
    # block alone would reach the page a few ms before the reply, and each frame costs the
    # server the whole chat's post-processing (sanitising, diffing, sending). The stream's
    # last frame is the finished reply, which the last update below carries anyway.
    if delay:
        for frame in list(render.stream_answer(answer, max_frames=STREAM_FRAMES, key=key,
                                               earlier=said))[:-1]:
            yield chat_messages([*entries, Entry("assistant", frame)]), "", "", entries
            time.sleep(delay)
    html = render.render_answer(answer, key, said)
    entries.append(Entry("assistant", html, question=text, answer=answer))
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
    """A long message is not answered, but it is still triaged: a warning sign is shown,
    first in the reply, under only the start of the person's message."""
    answer, _ = ask(pipeline, text, turns)
    if answer is None or answer.triage.level in ("self_care", "out_of_scope"):
        # the text stays in the box to be shortened
        yield None, None, too_long_note(len(text), max_chars), None
        return
    # Only the safety block: the pipeline's own "please ask in under N characters" body
    # would advise cutting the very text that holds the warning sign.
    safety_only = answer.model_copy(update={"body": "", "citations": []})
    html = render.render_answer(safety_only, f"m{len(entries) + 1}",
                                earlier_reasons(entries, answer))
    entries = [*entries,
               Entry("user", render.render_user_message(text, USER_SHOWN_CHARS), question=text),
               Entry("assistant", html, question=text, answer=answer)]
    yield chat_messages(entries), None, too_long_flagged_note(len(text), max_chars), entries


@dataclass(frozen=True)
class Rated:
    """What a thumb click leaves on the page."""

    status: str  # the note beside the chat
    ratings: Ratings
    current: int | None  # the rated answer a comment now goes to (None: no comment box)
    comment_saved: bool = False  # the comment in the box went to the answer rated before


def _quoted(question: str, limit: int = 60) -> str:
    short = question if len(question) <= limit else question[: limit - 3].rstrip() + "\u2026"
    return f"\u201c{short}\u201d"


def _position(index: object, entries: Sequence[Entry]) -> int | None:
    position = index[0] if isinstance(index, list | tuple) else index
    if not isinstance(position, int) or not 0 <= position < len(entries):
        return None
    return position


def rate(path: Path, entries: Sequence[Entry] | None, ratings: Ratings | None, index: object,
         liked: object, pending: str | None = None, current: int | None = None) -> Rated:
    """A thumb on an answer: write (or change, or take back) its feedback line.

    A comment still in the box belongs to the answer rated before (``current``): it is
    saved there first, so it never lands on the answer rated next.
    """
    entries, ratings = list(entries or []), dict(ratings or {})
    saved, before = False, ""
    if current is not None and current in ratings and clean_comment(pending):
        saved = update_feedback(path, ratings[current], comment=clean_comment(pending))
        asked = entries[current].question if current < len(entries) else ""
        before = f"Your comment was saved with the answer to {_quoted(asked)}. " if saved else ""
    position = _position(index, entries)
    if position is None:
        return Rated("", ratings, current, saved)
    entry, rating = entries[position], rating_from_liked(liked)
    if entry.answer is None:
        return Rated(render.render_note("Only answers from the articles can be rated."),
                     ratings, None, saved)
    if rating is None:
        record_id = ratings.pop(position, None)
        if record_id:
            remove_feedback(path, record_id)
        return Rated(render.render_note(f"{before}Your rating of this answer was removed."),
                     ratings, None, saved)
    if position not in ratings or not update_feedback(path, ratings[position], rating=rating):
        record = feedback_record(rating, "", entry.question, entry.answer)
        append_feedback(path, record)
        ratings[position] = record["id"]
    word = "helpful" if rating == "up" else "not helpful"
    return Rated(render.render_note(
        f"{before}Thank you: saved that the answer to {_quoted(entry.question)} was {word}. "
        "You can add a comment below."), ratings, position, saved)


def save_comment(path: Path, entries: Sequence[Entry] | None, ratings: Ratings | None,
                 current: int | None, comment: str | None) -> tuple[str, str]:
    """Save a comment with the answer last rated; returns (status HTML, comment box)."""
    ratings, text = dict(ratings or {}), clean_comment(comment)
    if current is None or current not in ratings:
        return render.render_note(
            "Press thumbs up or down on an answer first; then write your comment."), comment or ""
    if not text:
        return render.render_note("Write your comment in the box first."), ""
    if not update_feedback(path, ratings[current], comment=text):
        return render.render_note("That rating was removed, so the comment was not saved.",
                                  "error"), comment or ""
    entries = list(entries or [])
    asked = entries[current].question if current < len(entries) else ""
    return render.render_note(
        f"Thank you: your comment was saved with your rating of the answer to "
        f"{_quoted(asked)}."), ""


def _safe_call(call: str, run: Callable[[], Answer],
               show: Callable[[Answer, str], str] = render.render_answer) -> str:
    """Run one pipeline call and show its Answer, or a friendly note if it fails."""
    try:
        answer = run()
    except KnotbotError as err:
        return render.render_error(err)
    except Exception:
        log.exception("the pipeline failed in %s", call)
        return render.render_note(UNEXPECTED, "error")
    return show(answer, call)


def _no_signs_or_answer(answer: Answer, key: str) -> str:
    if answer.triage.level == "self_care":
        return render.render_no_signs()
    return render.render_answer(answer, key)


def press_result(
    pipeline: Pipeline, location: str | None, feeling: str | None, conditions: Sequence[str] | None
) -> str:
    """The "should I push on this knot?" result: the pipeline decides, the UI only shows."""
    if not location or not feeling:
        return render.render_note(
            "Please choose where the knot is and what pressing on it feels like."
        )
    chosen = list(conditions or [])
    return _safe_call("press", lambda: pipeline.check_press(location, feeling, chosen))


def signs_result(pipeline: Pipeline, signs: Sequence[str] | None) -> str:
    """The "when should I see a doctor?" result for the ticked warning signs.

    With nothing ticked there is still a clear verdict, and what would change it.
    """
    chosen = list(signs or [])
    show = render.render_answer if chosen else _no_signs_or_answer
    return _safe_call("signs", lambda: pipeline.check_signs(chosen), show)
