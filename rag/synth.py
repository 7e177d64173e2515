"""A synthetic corpus of any size, made from the real articles, for `knotbot bench`.

Each variant of an article keeps its headings, shuffles the paragraphs within each
section and swaps one word in every sentence for another word of the articles, so every
sentence is new text to encode (as a real, larger corpus would be), yet reads like the
articles. ``python -m rag.synth OUT --chunks N`` writes about N chunks' worth of files.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from pathlib import Path

from rag.chunking import ChunkSpec, chunk_article
from rag.corpus import list_corpus, parse_article, read_text

_WORD = re.compile(r"\b[a-z]{5,}\b")
_HEADING = re.compile(r"^#{1,6} ", re.MULTILINE)


def _swap(sentence: str, words: list[str], rng: random.Random) -> str:
    found = list(_WORD.finditer(sentence))
    if not found:
        return sentence
    m = rng.choice(found)
    return sentence[:m.start()] + rng.choice(words) + sentence[m.end():]


def variant(text: str, words: list[str], rng: random.Random) -> str:
    """The article with shuffled paragraphs (per section) and one word swapped a sentence."""
    body = text.split("\n---\n", 1)[-1] if text.startswith("---") else text
    sections = re.split(r"(?m)^(?=#{1,6} )", body)
    out = []
    for section in sections:
        head, _, rest = section.partition("\n") if _HEADING.match(section) else ("", "", section)
        paras = [p for p in rest.split("\n\n") if p.strip()]
        rng.shuffle(paras)
        paras = [" ".join(_swap(s, words, rng) for s in re.split(r"(?<=[.!?]) ", p))
                 for p in paras]
        out.append("\n\n".join(([head] if head else []) + paras))
    return "\n\n".join(out)


def make(corpus_dir: Path, out: Path, chunks: int, seed: int = 13) -> int:
    """Write about ``chunks`` chunks of variants to ``out`` (emptied first); the count."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    sources = {p.name: read_text(p) for p in list_corpus(corpus_dir)}
    words = sorted({w for t in sources.values() for w in _WORD.findall(t.lower())})
    rng = random.Random(seed)
    spec = ChunkSpec(500, 120)
    total, n = 0, 0
    while total < chunks:
        name, text = list(sources.items())[n % len(sources)]
        title = f"Variant {n} of {Path(name).stem.replace('-', ' ')}"
        doc = f'---\ntitle: "{title}"\n---\n\n{variant(text, words, rng)}\n'
        path = out / f"synthetic-{n:05d}.md"
        path.write_text(doc, encoding="utf-8")
        total += len(chunk_article(parse_article(path.name, doc), spec))
        n += 1
    return total


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--chunks", type=int, default=10_000)
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    args = parser.parse_args()
    print(f"{make(args.corpus, args.out, args.chunks)} chunks in {args.out}")
