"""Structure-aware chunking: by section heading first, then by paragraph, within size bounds.

A section's heading is kept at the top of each of its chunks, so an FAQ question
always travels with its answer and retrieval sees what the passage is about.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass

from langchain_core.documents import Document

from rag.corpus import Article, Block

# 2: chunks carry the heading they sit under ("parent") and the publisher; 3: each bulleted
# item is a sentence of its own in the derived data (`passage_sentences`)
CHUNK_FORMAT = 3
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")


@dataclass(frozen=True)
class ChunkSpec:
    max_chars: int = 500
    min_chars: int = 120


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in ``text``, surrounding spaces left out."""
    spans, pos = [], 0
    ends = [m.start() + len(m.group(0).rstrip()) for m in _SENTENCE_END.finditer(text)]
    for end in [*ends, len(text)]:
        piece = text[pos:end]
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            spans.append((pos + lead, pos + len(piece.rstrip())))
        pos = end
    return spans


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences; each piece is a verbatim substring of ``text``."""
    return [text[s:e] for s, e in sentence_spans(text)]


def passage_sentences(body: str) -> list[str]:
    """A chunk body's sentences as a reader sees them: each bulleted item whole (without
    its "- "), the prose split into sentences; each a verbatim substring of ``body``.
    (Split as prose, a list runs into one "sentence" from its introduction to its last
    item, which is nowhere in the text and so could never be quoted.)"""
    out: list[str] = []
    for line in body.split("\n"):
        line = line.strip()
        if line.startswith("- "):
            out.append(line[2:].strip())
        elif line:
            out.extend(split_sentences(line))
    return [s for s in out if s]


@dataclass(frozen=True)
class Section:
    heading: str | None
    parent: str  # the heading one level up ("How to Get Relief..." over "Apply Heat/Ice")
    blocks: list[Block]


def _sections(article: Article) -> list[Section]:
    """Sections in reading order, each with the heading it sits under, if any."""
    sections = [Section(None, "", [])]
    open_headings: list[Block] = []  # the headings that enclose the current point
    for b in article.blocks:
        if b.kind == "heading":
            open_headings = [h for h in open_headings if h.level < b.level]
            parent = open_headings[-1].text if open_headings else ""
            open_headings.append(b)
            sections.append(Section(b.text, parent, []))
        else:
            sections[-1].blocks.append(b)
    return [s for s in sections if s.blocks]


def _render(blocks: list[Block]) -> str:
    parts: list[str] = []
    for b in blocks:
        line = f"- {b.text}" if b.kind == "bullet" else b.text
        if parts and b.kind == "bullet" and parts[-1].startswith("- "):
            parts[-1] += "\n" + line
        else:
            parts.append(line)
    return "\n\n".join(parts)


def _split_long(block: Block, max_chars: int) -> list[Block]:
    """A paragraph longer than the bound is cut between sentences."""
    if len(block.text) <= max_chars:
        return [block]
    groups: list[tuple[int, int]] = []
    for start, end in sentence_spans(block.text):
        if groups and end - groups[-1][0] <= max_chars:
            groups[-1] = (groups[-1][0], end)
        else:
            groups.append((start, end))
    return [Block(block.kind, block.text[s:e], block.start + s, block.start + e)
            for s, e in groups]


def _pack(blocks: list[Block], spec: ChunkSpec) -> list[list[Block]]:
    groups: list[list[Block]] = []
    size = 0
    for block in (piece for b in blocks for piece in _split_long(b, spec.max_chars)):
        if groups and (size + len(block.text) <= spec.max_chars or size < spec.min_chars):
            groups[-1].append(block)
            size += len(block.text)
        else:
            groups.append([block])
            size = len(block.text)
    if len(groups) > 1 and sum(len(b.text) for b in groups[-1]) < spec.min_chars:
        groups[-2].extend(groups.pop())
    return groups


def chunk_id(source: str, text: str, occurrence: int = 0) -> str:
    digest = hashlib.sha256(f"{source}\x1f{text}\x1f{occurrence}".encode()).hexdigest()
    return digest[:24]


def chunk_article(article: Article, spec: ChunkSpec, file_hash: str = "") -> list[Document]:
    """Chunks of one article as LangChain Documents with their metadata."""
    docs: list[Document] = []
    seen: Counter[str] = Counter()
    publisher = str(article.meta.get("publisher") or "")
    for sec in _sections(article):
        heading = sec.heading
        for group in _pack(sec.blocks, spec):
            body = _render(group)
            text = f"{heading}\n\n{body}" if heading else body
            cid = chunk_id(article.source, text, seen[text])
            seen[text] += 1
            docs.append(Document(
                id=cid,
                page_content=text,
                metadata={
                    "chunk_id": cid,
                    "source": article.source,
                    "title": article.title,
                    "section": heading or "",
                    "question": heading if heading and heading.endswith("?") else "",
                    "parent": sec.parent,
                    "publisher": publisher,
                    "position": len(docs),
                    "start": group[0].start,
                    "end": group[-1].end,
                    "file_hash": file_hash,
                },
            ))
    return docs


def body_of(doc: Document) -> str:
    """The chunk text without its heading line."""
    section = doc.metadata.get("section") or ""
    text = doc.page_content
    if section and text.startswith(section + "\n\n"):
        return text[len(section) + 2 :]
    return text
