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

from rag.models import Answer, Citation, PressCheck, Triage

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


def render_user_message(text: str) -> str:
    """A user's message as literal text: escaped, with line breaks kept."""
    return esc(text).replace("\r\n", "\n").replace("\n", "<br>")


def _inline(escaped: str) -> str:
    """Markup for already-escaped text: bold and [n] citation markers."""
    out = _BOLD.sub(r"<strong>\1</strong>", escaped)
    return _MARKER.sub(r'<span class="kb-ref">[\1]</span>', out)


def _render_block(block: str) -> str:
    """One paragraph (lines without a blank line between), bullets become a list."""
    lines = [line for line in block.split("\n") if line.strip()]
    parts: list[str] = []
    items: list[str] = []
    for line in lines:
        match = _BULLET.match(line)
        if match:
            items.append(f"<li>{_inline(esc(match.group(1)))}</li>")
            continue
        if items:
            parts.append(f"<ul>{''.join(items)}</ul>")
            items = []
        parts.append(_inline(esc(line.strip())))
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


def render_answer_text(text: str) -> str:
    """The answer's Markdown-ish text as safe HTML: escape first, then add markup."""
    normalized = text.replace("\r\n", "\n").strip()
    if not normalized:
        return ""
    blocks = re.split(r"\n\s*\n", normalized)
    return "".join(_render_block(block) for block in blocks if block.strip())


def _quote_span(text: str, quote: str) -> tuple[int, int] | None:
    """Where a quoted sentence sits in a passage: exact first, then whitespace/case-loose."""
    quote = quote.strip()
    if not quote:
        return None
    start = text.find(quote)
    if start >= 0:
        return start, start + len(quote)
    pattern = r"\s+".join(re.escape(word) for word in quote.split())
    match = re.search(pattern, text, flags=re.IGNORECASE)
    return match.span() if match else None


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight_passage(text: str, quotes: Sequence[str]) -> str:
    """The passage escaped, with every quoted sentence wrapped in <mark>."""
    spans = [span for q in quotes if (span := _quote_span(text, q)) is not None]
    out: list[str] = []
    pos = 0
    for start, end in _merge(spans):
        out.append(esc(text[pos:start]))
        out.append(f"<mark>{esc(text[start:end])}</mark>")
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def _reasons(reasons: Sequence[str], css: str) -> str:
    if not reasons:
        return ""
    items = "".join(f"<li>{esc(r)}</li>" for r in reasons)
    return f'<ul class="{css}">{items}</ul>'


def render_banner(triage: Triage) -> str:
    """The safety banner for a triage level ('' for self_care)."""
    spec = _BANNERS.get(triage.level)
    if spec is None:
        return ""
    css, headline, role = spec
    message = f'<p class="kb-banner-action">{esc(triage.message)}</p>' if triage.message else ""
    return (
        f'<div class="kb-banner kb-banner-{css}" role="{role}">'
        f'<p class="kb-banner-title">{esc(headline)}</p>{message}'
        f"{_reasons(triage.reasons, 'kb-banner-reasons')}</div>"
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


def render_citation(citation: Citation) -> str:
    """One source: [n], title, section heading and the passage with quotes marked."""
    section = (
        f' <span class="kb-source-section">\u2014 {esc(citation.section)}</span>'
        if citation.section
        else ""
    )
    return (
        f'<li class="kb-source"><p class="kb-source-head">'
        f'<span class="kb-source-n">[{citation.n}]</span> '
        f'<span class="kb-source-title">{esc(citation.title)}</span>{section}</p>'
        f'<blockquote class="kb-passage">{highlight_passage(citation.text, citation.quotes)}'
        f"</blockquote></li>"
    )


def render_sources(citations: Sequence[Citation]) -> str:
    """The list of cited passages under an answer ('' when there are none)."""
    if not citations:
        return ""
    items = "".join(render_citation(c) for c in citations)
    return (
        '<div class="kb-sources"><p class="kb-sources-title">Sources</p>'
        f'<ol class="kb-source-list">{items}</ol></div>'
    )


def render_safety(answer: Answer) -> str:
    """The safety block that always comes first: banner, then the pressing verdict."""
    return render_banner(answer.triage) + render_press_check(answer.press_check)


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


def render_answer(answer: Answer) -> str:
    """A whole answer: safety block first, then the text, then the sources."""
    body = render_answer_text(answer_text(answer))
    text = f'<div class="kb-text">{body}</div>' if body else ""
    return _wrap(answer, render_safety(answer) + text + render_sources(answer.citations))


def stream_answer(answer: Answer, max_frames: int = 30) -> Iterator[str]:
    """Progressively longer renderings of an answer; the safety block is in every frame."""
    safety = render_safety(answer)
    words = answer_text(answer).split(" ")
    step = max(1, math.ceil(len(words) / max_frames))
    yield _wrap(answer, safety + '<p class="kb-typing">\u2026</p>', "streaming")
    for end in range(step, len(words), step):
        partial = render_answer_text(" ".join(words[:end]))
        yield _wrap(answer, f'{safety}<div class="kb-text">{partial} \u2026</div>', "streaming")
    yield render_answer(answer)


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
