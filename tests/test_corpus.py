"""Articles come in as clean blocks: no scrape debris, text kept word for word."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rag.chunking import ChunkSpec, chunk_article, split_sentences
from rag.corpus import parse_article, read_text
from rag.errors import CorpusError

from .conftest import CORPUS, RAW_CORPUS, needs_raw_corpus

DEBRIS = ("top of page", "bottom of page", "self massage on na", "updated: jul 9",
          "what is a muscle knot.", "how to get rid of a knot in your neck.")


def _chunks(path: Path, spec: ChunkSpec | None = None) -> list[str]:
    article = parse_article(path.name, read_text(path))
    return [d.page_content for d in chunk_article(article, spec or ChunkSpec())]


@pytest.mark.parametrize("path", sorted(RAW_CORPUS.glob("*.txt")) + sorted(CORPUS.glob("*.md")),
                         ids=lambda p: p.name)
def test_no_debris_reaches_a_chunk(path: Path) -> None:
    for text in _chunks(path):
        for line in text.lower().splitlines():
            assert line.strip() not in DEBRIS, (path.name, line)
        assert "top of page" not in text.lower() and "bottom of page" not in text.lower()


@needs_raw_corpus
def test_raw_and_markdown_copies_give_the_same_text() -> None:
    for md in CORPUS.glob("*.md"):
        raw = RAW_CORPUS / (md.stem + ".txt")
        squash = lambda chunks: " ".join(" ".join(chunks).replace("- ", "").split())  # noqa: E731
        md_words = " ".join(c.split("\n\n", 1)[-1] for c in _chunks(md))
        raw_words = " ".join(c.split("\n\n", 1)[-1] for c in _chunks(raw))
        assert squash([md_words]) == squash([raw_words])


def test_markdown_front_matter_gives_title_and_publisher() -> None:
    path = CORPUS / "how-to-get-rid-of-a-knot-in-your-neck.md"
    article = parse_article(path.name, read_text(path))
    assert article.title == "How to Get Rid of a Knot in Your Neck?"
    assert "RMT Movement" in article.meta["publisher"]


def test_every_faq_question_stays_with_its_answer() -> None:
    texts = _chunks(CORPUS / "how-to-get-rid-of-a-knot-in-your-neck.md", ChunkSpec(120, 40))
    pairs = {
        "Is It Good to Push on Muscle Knots?": "Applying gentle pressure on muscle knots",
        "Are Neck Knots Permanent?": "Neck knots are not usually permanent.",
        "How Long Does a Muscle Knot in the Neck Last?": "from a few days to a few weeks",
    }
    for question, answer in pairs.items():
        assert any(t.startswith(question) and answer in t for t in texts), question


def test_offsets_point_into_the_source_text() -> None:
    for path in CORPUS.glob("*.md"):
        text = read_text(path)
        article = parse_article(path.name, text)
        for doc in chunk_article(article, ChunkSpec()):
            first_words = doc.page_content.split("\n\n")[-1][:30].lstrip("- ")
            span = text[doc.metadata["start"] : doc.metadata["end"]]
            assert first_words.split()[0] in span


def test_chunk_ids_are_stable_and_unique() -> None:
    path = CORPUS / "how-to-massage-neck-knots.md"
    first = [d.id for d in chunk_article(parse_article(path.name, read_text(path)), ChunkSpec())]
    again = [d.id for d in chunk_article(parse_article(path.name, read_text(path)), ChunkSpec())]
    assert first == again and len(set(first)) == len(first)


def test_html_articles_are_cleaned(tmp_path: Path) -> None:
    html = """<html><head><script>alert(1)</script><style>p{}</style></head><body>
    <nav>top of page</nav><h1>Knots 101</h1><p>Updated: Jul 9</p>
    <h2>Heat or ice?</h2><figure><img src=a.png><figcaption>self massage on na</figcaption></figure>
    <p>Apply heat to relax the muscle.</p><ul><li>Use a warm towel.</li></ul>
    <footer>bottom of page</footer></body></html>"""
    path = tmp_path / "knots.html"
    path.write_text(html, encoding="utf-8")
    article = parse_article(path.name, read_text(path))
    assert article.title == "Knots 101"
    text = "\n".join(d.page_content for d in chunk_article(article, ChunkSpec()))
    assert "Apply heat to relax the muscle." in text and "- Use a warm towel." in text
    for junk in ("alert", "Updated", "self massage", "top of page", "bottom of page"):
        assert junk not in text


def test_non_utf8_and_binary_files_are_named(tmp_path: Path) -> None:
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9 knots".encode("latin-1"))
    with pytest.raises(CorpusError, match="latin.txt is not UTF-8"):
        read_text(latin)
    binary = tmp_path / "blob.md"
    binary.write_bytes(b"\x89PNG\x00\x00\x01")
    with pytest.raises(CorpusError, match="blob.md is not a text file"):
        read_text(binary)


def test_a_file_with_no_text_is_refused() -> None:
    with pytest.raises(CorpusError, match="has no article text"):
        parse_article("empty.md", "---\ntitle: x\n---\n\n# Only a heading\n")


@given(st.lists(st.sampled_from(["Knots hurt.", "Why?", "Heat helps!", "Use 2-3 reps.",
                                 "Dr. Smith said so.", "“Good pain.”", "Stop now"]),
                min_size=1, max_size=8))
def test_sentences_are_verbatim_pieces(parts: list[str]) -> None:
    text = " ".join(parts)
    sentences = split_sentences(text)
    assert sentences and all(s in text for s in sentences)
    assert " ".join(sentences).split() == text.split()


def test_long_paragraphs_split_at_sentences_with_true_offsets() -> None:
    sentences = (f"Sentence number {i} is about a tight knot." for i in range(30))
    text = "# Knots\n\n" + "  ".join(sentences)
    article = parse_article("long.md", text + "\n")
    docs = chunk_article(article, ChunkSpec(max_chars=200, min_chars=50))
    assert len(docs) > 3
    for doc in docs:
        body = doc.page_content.split("\n\n", 1)[-1]
        assert text[doc.metadata["start"] : doc.metadata["end"]] == body
    assert [d.metadata["start"] for d in docs] == sorted(d.metadata["start"] for d in docs)
