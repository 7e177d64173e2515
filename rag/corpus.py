"""Read articles (.md with front matter, raw .txt, .html) into clean blocks.

Pure functions over text; the only I/O is :func:`read_article`. Web debris left by
page scrapes ("top of page", "Updated: Jul 9", image captions) is dropped here, so
it can never reach a chunk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from rag.errors import CorpusError

SUFFIXES = (".md", ".txt", ".html", ".htm")
BlockKind = Literal["heading", "paragraph", "bullet"]

_DEBRIS = re.compile(
    r"^(top of page|bottom of page|skip to (main )?content|updated:?\s.*|posted:?\s.*"
    r"|share( this)?( post)?|back to top)$",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d+[.)])\s+")
_HEADING_MD = re.compile(r"^(#{1,6})\s+(.*\S)\s*$")


@dataclass(frozen=True)
class Block:
    """One heading, paragraph or bullet item, with its offsets into the source text."""

    kind: BlockKind
    text: str
    start: int
    end: int
    level: int = 0


@dataclass
class Article:
    source: str
    title: str
    blocks: list[Block]
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # indexed, but something to fix


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _looks_like_heading(line: str, nxt: str | None) -> bool:
    s = line.strip()
    if not s or len(s) > 90 or not s[0].isupper() or _BULLET.match(s):
        return False
    if s.endswith("?"):
        return True
    return not s.endswith((".", ":", ",", ";", "–", "-", "!")) and nxt is not None


def _lines_with_offsets(text: str, base: int = 0) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for raw in text.splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        out.append((base + pos, base + pos + len(line), line))
        pos += len(raw)
    return out


def _strip_offsets(start: int, line: str) -> tuple[int, int, str]:
    lead = len(line) - len(line.lstrip())
    s = line.strip()
    return start + lead, start + lead + len(s), s


def parse_markdown(text: str, base: int = 0) -> list[Block]:
    blocks: list[Block] = []
    para: list[tuple[int, int, str]] = []

    def flush() -> None:
        if para:
            blocks.append(Block("paragraph", " ".join(p[2] for p in para), para[0][0], para[-1][1]))
            para.clear()

    for start, _end, line in _lines_with_offsets(text, base):
        st, en, s = _strip_offsets(start, line)
        if not s:
            flush()
            continue
        if m := _HEADING_MD.match(s):
            flush()
            lead = len(m.group(1)) + 1
            blocks.append(Block("heading", m.group(2), st + lead, en, len(m.group(1))))
        elif m := _BULLET.match(s):
            flush()
            blocks.append(Block("bullet", s[m.end() :], st + m.end(), en))
        else:
            para.append((st, en, s))
    flush()
    return blocks


def parse_plain(text: str) -> list[Block]:
    """Raw scraped text: one line a block, headings guessed, debris dropped."""
    lines = [ln for ln in _lines_with_offsets(text) if ln[2].strip()]
    # Glued debris such as "bottom of pageHow to Massage..." starts a new line.
    fixed: list[tuple[int, int, str]] = []
    for start, end, line in lines:
        m = re.match(r"^\s*(bottom of page|top of page)(?=\S)", line, re.IGNORECASE)
        if m:
            fixed.append((start, start + m.end(), line[: m.end()]))
            fixed.append((start + m.end(), end, line[m.end() :]))
        else:
            fixed.append((start, end, line))
    kept = [ln for ln in fixed if not _DEBRIS.match(ln[2].strip())]
    blocks: list[Block] = []
    for i, (start, _end, line) in enumerate(kept):
        st, en, s = _strip_offsets(start, line)
        nxt = kept[i + 1][2] if i + 1 < len(kept) else None
        if m := _BULLET.match(s):
            blocks.append(Block("bullet", s[m.end() :], st + m.end(), en))
        elif _looks_like_heading(s, nxt):
            blocks.append(Block("heading", s, st, en, 1 if not blocks else 2))
        else:
            blocks.append(Block("paragraph", s, st, en))
    return drop_captions(blocks)


def drop_captions(blocks: list[Block]) -> list[Block]:
    """Remove caption lines: short lower-case lines, and lines that repeat a heading."""
    headings = {_squash(b.text) for b in blocks if b.kind == "heading"}
    out = []
    for b in blocks:
        s = b.text.strip()
        caption = b.kind != "heading" and (
            (s[:1].islower() and len(s) < 60) or (_squash(s) in headings and len(s) < 90)
        )
        if not caption:
            out.append(b)
    return out


def parse_html(html: str) -> tuple[str, list[Block]]:
    """HTML to (plain text, blocks); offsets refer to the returned plain text."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "nav", "header", "footer", "figure", "figcaption",
                     "img", "noscript", "form", "button", "aside"]):
        tag.decompose()
    lines: list[str] = []
    for el in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li"]):
        if el.name == "p" and el.find_parent("li"):
            continue
        txt = " ".join(el.get_text(" ").split())
        if not txt:
            continue
        if el.name.startswith("h"):
            lines.append("#" * int(el.name[1]) + " " + txt)
        elif el.name == "li":
            lines.append("- " + txt)
        else:
            lines.append(txt)
    text = "\n\n".join(lines) + "\n"
    return text, drop_captions([b for b in parse_markdown(text) if not _DEBRIS.match(b.text)])


def split_front_matter(text: str, source: str = "the file"
                       ) -> tuple[dict[str, Any], int, list[str]]:
    """Return (front matter, offset where the body starts, warnings about it).

    Front matter that opens with ``---`` and never closes is a CorpusError: where the
    article starts is unknown, and its keys must never be indexed as article text.
    """
    if not re.match(r"^---[ \t]*\r?\n", text):
        return {}, 0, []
    m = re.match(r"^---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|$)", text, re.DOTALL)
    if not m:
        raise CorpusError(f"{source}: its front matter opens with --- but never closes: "
                          "skipped (add a line with --- after the front matter)")
    try:
        meta = yaml.safe_load(m.group(1)) or {}
    except yaml.YAMLError as err:
        where = getattr(err, "problem_mark", None)
        line = f" at line {where.line + 2}" if where is not None else ""
        return {}, m.end(), [f"{source}: its front matter is not valid YAML{line}: indexed "
                             "without its title and metadata (fix the YAML)"]
    if not isinstance(meta, dict):
        return {}, m.end(), [f"{source}: its front matter is not a list of `key: value` "
                             "lines: indexed without it"]
    return meta, m.end(), []


def parse_article(source: str, text: str) -> Article:
    """Turn one file's text into an :class:`Article`; raises CorpusError if no text."""
    suffix = Path(source).suffix.lower()
    meta: dict[str, Any] = {}
    warnings: list[str] = []
    if suffix == ".md":
        meta, body, warnings = split_front_matter(text, source)
        blocks = drop_captions([b for b in parse_markdown(text[body:], body)
                                if not _DEBRIS.match(b.text)])
    elif suffix in (".html", ".htm"):
        _, blocks = parse_html(text)
    else:
        blocks = parse_plain(text)
    title = str(meta.get("title") or "")
    first = blocks[0] if blocks else None
    if first and first.kind == "heading" and (not title or _squash(title) == _squash(first.text)):
        title = title or first.text
        blocks = blocks[1:]
    if not any(b.kind != "heading" for b in blocks):
        raise CorpusError(f"{source} has no article text: add text or remove the file")
    return Article(source=source, title=title or Path(source).stem.replace("-", " "),
                   blocks=blocks, meta=meta, warnings=warnings)


def list_corpus(corpus_dir: Path) -> list[Path]:
    if corpus_dir.exists() and not corpus_dir.is_dir():
        raise CorpusError(f"{corpus_dir} is a file, not a folder: pass --corpus with the folder "
                          "that holds the articles")
    if not corpus_dir.is_dir():
        raise CorpusError(
            f"the corpus folder {corpus_dir} does not exist: create it or pass --corpus DIR"
        )
    files = sorted(p for p in corpus_dir.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
    if not files:
        raise CorpusError(
            f"the corpus folder {corpus_dir} has no .md, .txt or .html files: add articles to it"
        )
    return files


def read_text(path: Path) -> str:
    """Read a file as UTF-8 text, or raise CorpusError naming it."""
    data = path.read_bytes()
    if b"\x00" in data:
        raise CorpusError(f"{path.name} is not a text file (binary data): skipped")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CorpusError(
            f"{path.name} is not UTF-8 text: skipped (re-save it as UTF-8)"
        ) from None
