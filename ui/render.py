"""Pure functions that turn Knotbot answers into safe HTML (no gradio here).

Every piece of text that comes from a person or from an article is passed through
``html.escape`` first; only then are a few known patterns (``**bold**``, ``[n]``
markers, line breaks, ``- `` bullets) turned into markup. Nothing a user types or an
article contains is ever interpreted as HTML or Markdown.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterator, Sequence

from rag.models import Answer, PressCheck, Triage
from ui.sources import highlight_passage as highlight_passage  # re-exported
from ui.sources import render_sources, source_id

STANDING_NOTE = (
    "Knotbot gives general information from its articles. It is not a diagnosis and "
    "cannot examine you. In an emergency, call your local emergency number "
    "(112 / 911 / 999) now. English only: Knotbot reads and answers in English; a "
    "message in another language gets the emergency signs in that language."
)

# level -> (css modifier, headline, ARIA role). self_care has no banner.
_BANNERS: dict[str, tuple[str, str, str]] = {
    "emergency": ("emergency", "Emergency: get help now", "alert"),
    "urgent": ("urgent", "Urgent: get medical care today", "alert"),
    "see_doctor": ("see-doctor", "See a doctor", "note"),
    "out_of_scope": ("out-of-scope", "Outside what Knotbot covers", "note"),
}

# verdict -> (css modifier, the words a person sees); the modifier is also a CSS class
VERDICT_LABELS: dict[str, tuple[str, str]] = {
    "do_not_press": ("do-not-press", "Do not press"),
    "stop": ("stop", "Stop"),
    "gently": ("gently", "Press gently"),
}

_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_MARKER = re.compile(r"\[(\d{1,3})\]")
_BULLET = re.compile(r"^\s*(?:[-*\u2022])\s+(.*)$")


def esc(text: str) -> str:
    """Escape text for HTML, quotes included."""
    return html.escape(text, quote=True)


def render_user_message(text: str, limit: int = 0) -> str:
    """A user's message as literal text: escaped, with line breaks kept.

    With a ``limit``, a longer message shows only its start, so that the reply (and its
    safety banner) is not pushed far below a wall of the person's own text.
    """
    shown = text
    if limit and len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        shown = text[: cut if cut > limit // 2 else limit].rstrip()
    out = esc(shown).replace("\r\n", "\n").replace("\n", "<br>")
    if shown != text:
        out += (f' \u2026 <span class="kb-shortened">(your message is {len(text):,} characters '
                "long; only its start is shown here)</span>")
    return out


def _inline(escaped: str, key: str = "") -> str:
    """Markup for already-escaped text: bold, and [n] markers as links to their source."""
    out = _BOLD.sub(r"<strong>\1</strong>", escaped)
    if not key:
        return _MARKER.sub(r'<span class="kb-ref">[\1]</span>', out)
    return _MARKER.sub(
        lambda m: f'<a class="kb-ref" href="#{source_id(key, int(m.group(1)))}" '
        f'aria-label="Source {m.group(1)}">[{m.group(1)}]</a>', out)


def _render_block(block: str, key: str = "") -> str:
    """One paragraph (lines without a blank line between), bullets become a list."""
    lines = [line for line in block.split("\n") if line.strip()]
    parts: list[str] = []
    items: list[str] = []
    for line in lines:
        match = _BULLET.match(line)
        if match:
            items.append(f"<li>{_inline(esc(match.group(1)), key)}</li>")
            continue
        if items:
            parts.append(f"<ul>{''.join(items)}</ul>")
            items = []
        parts.append(_inline(esc(line.strip()), key))
    if items:
        parts.append(f"<ul>{''.join(items)}</ul>")
    html_parts = [p if p.startswith("<ul>") else f"<p>{p}</p>" for p in _join_lines(parts)]
    return "".join(html_parts)


def _join_lines(parts: list[str]) -> list[str]:
    """Merge consecutive plain lines into one paragraph joined by <br>."""
    merged: list[str] = []
    for part in parts:
        if merged and not part.startswith("<ul>") and not merged[-1].startswith("<ul>"):
            merged[-1] = f"{merged[-1]}<br>{part}"
        else:
            merged.append(part)
    return merged


def render_answer_text(text: str, key: str = "") -> str:
    """The answer's Markdown-ish text as safe HTML: escape first, then add markup.

    With a ``key`` (unique on the page), each [n] is a link to source n of that answer.
    """
    normalized = text.replace("\r\n", "\n").strip()
    if not normalized:
        return ""
    blocks = re.split(r"\n\s*\n", normalized)
    return "".join(_render_block(block, key) for block in blocks if block.strip())


def sentence_case(text: str) -> str:
    """A reason as a person reads it: starting with a capital letter."""
    text = text.strip()
    return text[:1].upper() + text[1:]


def _reasons(reasons: Sequence[str], css: str) -> str:
    if not reasons:
        return ""
    items = "".join(f"<li>{esc(sentence_case(r))}</li>" for r in reasons)
    return f'<ul class="{css}">{items}</ul>'


def render_earlier(earlier: Sequence[str]) -> str:
    """Why a level stays raised: what the person said earlier in this conversation."""
    if not earlier:
        return ""
    said = "; ".join(r.strip().rstrip(".") for r in earlier)
    return (
        f'<p class="kb-banner-earlier">Earlier in this conversation you mentioned a warning '
        f"sign: {esc(said)}. "
        "Knotbot keeps this advice for the rest of the conversation. If that no longer "
        "applies, press \u201cStart a new conversation\u201d below the chat.</p>"
    )


def render_banner(triage: Triage, earlier: Sequence[str] = ()) -> str:
    """The safety banner for a triage level ('' for self_care).

    ``earlier`` names the reasons that came from earlier messages, not from this one.
    """
    spec = _BANNERS.get(triage.level)
    if spec is None:
        return ""
    css, headline, role = spec
    message = f'<p class="kb-banner-action">{esc(triage.message)}</p>' if triage.message else ""
    return (
        f'<div class="kb-banner kb-banner-{css}" role="{role}">'
        f'<p class="kb-banner-title">{esc(headline)}</p>{message}'
        f"{_reasons(triage.reasons, 'kb-banner-reasons')}{render_earlier(earlier)}</div>"
    )


def render_press_check(check: PressCheck | None) -> str:
    """The pressing verdict as a prominent box ('' when the answer has none)."""
    if check is None:
        return ""
    css, label = VERDICT_LABELS[check.verdict]
    return (
        f'<div class="kb-press kb-press-{css}">'
        f'<p class="kb-press-verdict">{esc(label)}</p>'
        f"{_reasons(check.reasons, 'kb-press-reasons')}</div>"
    )


def render_safety(answer: Answer, earlier: Sequence[str] = ()) -> str:
    """The safety block that always comes first: banner, then the pressing verdict."""
    return render_banner(answer.triage, earlier) + render_press_check(answer.press_check)


def answer_text(answer: Answer) -> str:
    """The text to show between the safety block and the sources.

    ``Answer.body`` is the cited part alone; ``Answer.answer`` may repeat the safety block
    and the sources as Markdown, so it is only used when there is neither to repeat.
    """
    if answer.body:
        return answer.body
    has_head = answer.triage.level != "self_care" or answer.press_check is not None
    return "" if has_head or answer.citations else answer.answer


def _wrap(answer: Answer, inner: str, state: str = "done") -> str:
    """The reply's outer box; classes, not data-* attributes (the Chatbot strips those)."""
    level = answer.triage.level.replace("_", "-")
    return f'<div class="kb-answer kb-level-{level} kb-{state}">{inner}</div>'


def render_answer(answer: Answer, key: str = "", earlier: Sequence[str] = ()) -> str:
    """A whole answer: safety block first, then the text, then the sources.

    ``key`` makes the [n] links and source ids unique on the page (the chat has many
    answers); ``earlier`` is passed to :func:`render_banner`.
    """
    body = render_answer_text(answer_text(answer), key)
    text = f'<div class="kb-text">{body}</div>' if body else ""
    sources = render_sources(answer.citations, key)
    return _wrap(answer, render_safety(answer, earlier) + text + sources)


def stream_answer(answer: Answer, max_frames: int = 30, key: str = "",
                  earlier: Sequence[str] = ()) -> Iterator[str]:
    """Progressively longer renderings of an answer; the safety block is in every frame."""
    safety = render_safety(answer, earlier)
    words = answer_text(answer).split(" ")
    step = max(1, math.ceil(len(words) / max_frames))
    yield _wrap(answer, safety + '<p class="kb-typing">\u2026</p>', "streaming")
    for end in range(step, len(words), step):
        partial = render_answer_text(" ".join(words[:end]))
        yield _wrap(answer, f'{safety}<div class="kb-text">{partial} \u2026</div>', "streaming")
    yield render_answer(answer, key, earlier)


def render_no_signs() -> str:
    """The doctor checker's verdict when nothing is ticked, and what would change it."""
    return (
        '<div class="kb-answer kb-level-self-care kb-done">'
        '<div class="kb-press kb-press-gently kb-verdict-none">'
        '<p class="kb-press-verdict">No warning signs ticked: caring for the knot yourself '
        "is reasonable for now</p>"
        '<p class="kb-verdict-change">What would change this: if any sign on the list above '
        "appears, tick it and press the button again. If the pain gets worse, does not ease, "
        "or you are worried, see a doctor anyway.</p></div></div>"
    )


def render_note(message: str, kind: str = "info") -> str:
    """A calm note (kind: info, error) with escaped text."""
    css = "error" if kind == "error" else "info"
    return f'<div class="kb-note kb-note-{css}" role="status">{esc(message)}</div>'


def render_waiting() -> str:
    """Shown in the reply while the pipeline works."""
    return '<div class="kb-waiting" role="status">Looking in Knotbot\'s articles\u2026</div>'


def render_error(err: Exception) -> str:
    """A Knotbot error as a friendly note that says what to do next."""
    return render_note(f"Knotbot can't answer right now: {err}", "error")


def render_standing_note() -> str:
    """The always-visible reminder of what Knotbot is and is not."""
    return f'<div class="kb-standing" role="note">{esc(STANDING_NOTE)}</div>'
