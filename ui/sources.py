"""Pure functions for the sources under an answer: the quoted sentence in a little
context, the whole passage one click away, and an id each [n] in the text links to."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from rag.models import Citation

CONTEXT_CHARS = 110  # about a line of text either side of the quote
ELLIPSIS = "\u2026"


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def source_id(key: str, n: int) -> str:
    """The element id of source n under the answer with this key (unique on the page)."""
    return f"kb-src-{key}-{n}"


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


def _spans(text: str, quotes: Sequence[str]) -> list[tuple[int, int]]:
    return _merge([span for q in quotes if (span := _quote_span(text, q)) is not None])


def highlight_passage(text: str, quotes: Sequence[str]) -> str:
    """The passage escaped, with every quoted sentence wrapped in <mark>."""
    out: list[str] = []
    pos = 0
    for start, end in _spans(text, quotes):
        out.append(_esc(text[pos:start]))
        out.append(f"<mark>{_esc(text[start:end])}</mark>")
        pos = end
    out.append(_esc(text[pos:]))
    return "".join(out)


def passage_body(citation: Citation) -> str:
    """The passage without its first line when that line only repeats the section name."""
    text = citation.text.strip()
    if citation.section and text.startswith(citation.section):
        rest = text[len(citation.section):]
        if rest[:1] in ("\n", ""):
            return rest.strip()
    return text


def in_context(text: str, quotes: Sequence[str], reach: int = CONTEXT_CHARS) -> str:
    """The quoted sentences with about ``reach`` characters either side, cut at words."""
    spans = _spans(text, quotes)
    if not spans:
        start, end = 0, 0
    else:
        start, end = spans[0][0], spans[-1][1]
        if end - start > 4 * reach:  # quotes far apart: the first one is enough here
            end = spans[0][1]
    lo, hi = max(0, start - reach), min(len(text), end + reach)
    if lo > 0:
        lo = text.find(" ", lo, start) + 1 or start
    if hi < len(text):
        cut = text.rfind(" ", end, hi)
        hi = cut if cut > end else hi
    head = ELLIPSIS + " " if lo > 0 else ""
    tail = " " + ELLIPSIS if hi < len(text) else ""
    return _esc(head) + highlight_passage(text[lo:hi].strip(), quotes) + _esc(tail)


def render_citation(citation: Citation, key: str = "") -> str:
    """One source: [n], title and section, the quote in context, the passage behind a click."""
    section = (f' <span class="kb-source-section">\u2014 {_esc(citation.section)}</span>'
               if citation.section else "")
    ident = f' id="{source_id(key, citation.n)}"' if key else ""
    body = passage_body(citation)
    return (
        f'<li class="kb-source"{ident}><p class="kb-source-head">'
        f'<span class="kb-source-n">[{citation.n}]</span> '
        f'<span class="kb-source-title">{_esc(citation.title)}</span>{section}</p>'
        f'<p class="kb-passage kb-passage-brief">{in_context(body, citation.quotes)}</p>'
        '<details class="kb-more"><summary>Show the whole passage</summary>'
        f'<blockquote class="kb-passage">{highlight_passage(body, citation.quotes)}'
        "</blockquote></details></li>"
    )


def render_sources(citations: Sequence[Citation], key: str = "") -> str:
    """The list of cited passages under an answer ('' when there are none)."""
    if not citations:
        return ""
    items = "".join(render_citation(c, key) for c in citations)
    return (
        '<div class="kb-sources"><p class="kb-sources-title">Sources</p>'
        f'<ol class="kb-source-list">{items}</ol></div>'
    )
