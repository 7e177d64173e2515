"""Start-up reads what ingest derived; a one-article change encodes only that article."""

from __future__ import annotations

import mmap
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

from rag import artefacts
from rag.ingest import ingest
from rag.loaded import load_index
from rag.settings import Settings
from rag.store import connect, open_active


class Recording(Embeddings):
    """The real model, noting every text sent to it; ``refuse`` makes any call fail."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.texts: list[str] = []
        self.refuse = False

    def _note(self, texts: list[str]) -> None:
        if self.refuse:
            raise AssertionError(f"the model was asked to encode {texts[:3]}")
        self.texts += texts

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self._note(list(texts))
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)

    def tokens(self, text: str) -> Any:
        return self.inner.tokens(text)

    def document_tokens(self, texts: list[str]) -> list[Any]:
        self._note(list(texts))
        return self.inner.document_tokens(texts)


@pytest.fixture
def own(tmp_path: Path) -> Settings:
    # No common-word table: this test must not wait for 20,000 words to be embedded.
    return Settings(data_dir=tmp_path / "data", cache_dir=tmp_path / "cache",
                    corpus_dir=tmp_path / "corpus", expansion_words=0)


def _load(settings: Settings, model: Any) -> Any:
    client = connect(settings)
    col, info = open_active(client, settings)
    return load_index(client, col, info.name, settings, model, None)


def _active(settings: Settings) -> str:
    return str(open_active(connect(settings), settings)[1].name)


def _mapped(array: np.ndarray) -> bool:
    """Is this array's memory a map of a file (not a copy read into memory)?"""
    base: Any = array
    while base is not None:
        if isinstance(base, np.memmap | mmap.mmap):
            return True
        base = base.obj if isinstance(base, memoryview) else getattr(base, "base", None)
    return False


def test_start_reads_the_derived_data_and_never_calls_the_model(
        own: Settings, corpus_copy: Path, embeddings) -> None:  # type: ignore[no-untyped-def]
    model = Recording(embeddings)
    ingest(own, corpus_copy, load_embeddings=lambda _s: model)
    fresh = _load(own.model_copy(update={"cache_dir": own.cache_dir / "elsewhere"}), model)
    model.refuse = True  # from here on, any encoding fails the test
    index = _load(own, model)
    model.refuse = False  # answering may encode the question's unknown words
    assert index.chunk_sentences == fresh.chunk_sentences
    for s, v in fresh.sentence_vectors.items():
        assert np.allclose(index.sentence_vectors[s], v)
    assert _mapped(index.sentence_vectors[next(iter(index.sentence_vectors))])
    q = embeddings.tokens("how long should I hold pressure on a knot?")
    assert index.retriever.late is not None and fresh.retriever.late is not None
    assert index.retriever.late.scores(q) == fresh.retriever.late.scores(q)
    assert index.coverage.check("can I take naproxen?").terms == ["naproxen"]
    question = "how long should I hold pressure on the knot?"
    assert [d.id for d in index.retriever.invoke(question)] == \
        [d.id for d in fresh.retriever.invoke(question)]
    # The composer's word weights are read, and are what counting the sentences gives.
    from rag.derive import sentence_idf

    assert index.idf == fresh.idf == sentence_idf(list(index.sentence_vectors))
    # BM25 is read as ingest stored it (rows in the order the store gives the chunks),
    # and scores as an index built now does.
    keyword = artefacts.load(artefacts.folder(own, _active(own))).keyword  # type: ignore[union-attr]
    assert keyword is not None and keyword.ids == list(index.chunks)
    assert index.retriever.keyword.model is not fresh.retriever.keyword.model
    for q in (question, "stretching at my desk", "warm compress or ice pack?", "zzz"):
        assert index.retriever.keyword.scores(q) == fresh.retriever.keyword.scores(q)
    sentences = [s for sents in index.chunk_sentences.values() for s in sents][:40]
    assert index.score_sentences(question, sentences) == \
        fresh.score_sentences(question, sentences)
    # The chunks' token vectors are read as float32 (nothing to convert per question),
    # holding the very values the float16 ones give: the scores above are equal.
    assert all(t.vectors.dtype == np.float32 for t in index.retriever.late.chunks.values())
    # The answer stage's figure table is read, and is what going over the chunks gives.
    from rag.answer.aspect import FIGURES, figure_stems, never_given

    chunks = list(index.chunks.values())
    assert index.figures is not None and index.figures.given
    for kind in FIGURES:
        assert index.figures.stems[kind] == figure_stems(kind, chunks)
        assert (kind not in index.figures.given) == never_given(kind, chunks)


def test_every_sentences_topic_match_is_read_as_answering_works_it_out(
        own: Settings, corpus_copy: Path, embeddings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    from rag import loaded

    ingest(own, corpus_copy, load_embeddings=lambda _s: embeddings)
    index = _load(own, embeddings)
    sentences = list(index.sentence_vectors)
    assert set(index.topical) == set(sentences)  # every sentence's, read at start
    fresh = dataclasses.replace(index, topical={})
    # All at once, it is what answering works out, to the last bit.
    assert fresh.topic_match(sentences) == [index.topical[s] for s in sentences]
    # A few at a time, as each answer asks: the same but for the last bits (BLAS sums a
    # small product in another order; answering already differed so between questions).
    for size in (5, 37):
        again = dataclasses.replace(index, topical={})
        for start in range(0, len(sentences), size):
            group = sentences[start:start + size]
            assert again.topic_match(group) == pytest.approx(
                [index.topical[s] for s in group], abs=1e-6)
    # A table kept for other titles or another encoder is not used: worked out on use.
    monkeypatch.setattr(loaded, "table_key", lambda *_a: "other titles")
    other = _load(own, embeddings)
    assert other.topical == {}
    assert other.topic_match(sentences) == [index.topical[s] for s in sentences]


def test_the_headings_token_vectors_are_read_not_encoded_while_answering(
        own: Settings, corpus_copy: Path, embeddings) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    model = Recording(embeddings)
    ingest(own, corpus_copy, load_embeddings=lambda _s: model)
    index = _load(own, model)
    headings = sorted({str(d.metadata.get("section") or "") for d in index.chunks.values()}
                      - {""})
    assert headings and set(headings) <= set(index.extra_tokens) | set(index.sentence_tokens)
    sentences = list(index.sentence_vectors)
    groups = [[s, h] for s, h in zip(sentences, headings * len(sentences), strict=False)]
    question = "how long should I hold the stretch?"
    model.refuse = True  # a sentence read with its heading encodes nothing
    got = index.score_in_context(question, groups)
    model.refuse = False
    # What encoding the headings on use gives (but for the last bits of a smaller batch).
    fresh = dataclasses.replace(index, extra_tokens={})
    assert got == pytest.approx(fresh.score_in_context(question, groups), abs=1e-6)


def test_a_figure_table_kept_for_other_figure_patterns_is_not_used(
        own: Settings, corpus_copy: Path, embeddings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from rag import loaded
    from rag.answer import ask_for

    ingest(own, corpus_copy, load_embeddings=lambda _s: embeddings)
    kept = _load(own, embeddings)
    monkeypatch.setattr(loaded, "figures_key", lambda: "patterns changed since the ingest")
    index = _load(own, embeddings)
    assert kept.figures is not None and index.figures is None  # worked out when asked
    found = []
    for question in ("how long should I hold the stretch?", "how much does an ice pack cost?",
                     "how often should I use heat?"):
        a, b = ask_for(question, [], kept), ask_for(question, [], index)
        assert a is not None and b is not None
        assert (a.missing, a.figure_nowhere) == (b.missing, b.figure_nowhere)
        found.append(b.figure_nowhere)
    assert found == [False, True, True]  # a duration is given; no price, no frequency


def test_start_reads_the_chunks_kept_at_ingest_not_the_store(
        own: Settings, corpus_copy: Path, embeddings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from rag import loaded

    ingest(own, corpus_copy, load_embeddings=lambda _s: embeddings)
    client = connect(own)
    col, _info = open_active(client, own)
    chunks, vectors = loaded.read_chunks(col)

    def refuse(_col: Any) -> Any:
        raise AssertionError("the chunks were read back from the store")

    monkeypatch.setattr(loaded, "read_chunks", refuse)
    index = _load(own, embeddings)
    # The same chunks, in the store's order, with the same metadata and vectors.
    assert list(index.chunks) == list(chunks)
    assert all(index.chunks[c].page_content == d.page_content
               and index.chunks[c].metadata == d.metadata for c, d in chunks.items())
    assert all(np.array_equal(index.retriever.vectors[c], v) for c, v in vectors.items())
    # Chunks the stored copy does not list (another version's data) are read from the store.
    col.delete(ids=[next(iter(chunks))])
    with pytest.raises(AssertionError, match="read back from the store"):
        _load(own, embeddings)


def test_a_one_article_change_encodes_only_that_article(
        own: Settings, corpus_copy: Path, embeddings) -> None:  # type: ignore[no-untyped-def]
    model = Recording(embeddings)
    ingest(own, corpus_copy, load_embeddings=lambda _s: model)
    everything = len(model.texts)
    article = corpus_copy / "how-to-massage-neck-knots.md"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "held for 30 to 90 seconds", "held for 45 to 60 seconds"), encoding="utf-8")
    model.texts.clear()
    ingest(own, corpus_copy, load_embeddings=lambda _s: model)
    changed = [t for t in model.texts if " " in t]  # single words: the coverage vocabulary
    client = connect(own)
    col, info = open_active(client, own)
    massage = set(col.get(where={"source": article.name})["documents"] or [])
    # The changed article's chunks go to Chroma (ingest embeds changed files whole); of
    # everything derived, only the sentence and passage that changed are encoded again.
    derived = [t for t in changed if t not in massage]
    assert derived and all("45 to 60 seconds" in t for t in derived), derived
    assert len(changed) < everything / 2
    # The old version's derived data is gone with it; the new one's is kept.
    folders = list((own.cache_dir / "derived").iterdir())
    assert [f.name for f in folders] == [artefacts.folder(own, info.name).name]


def test_the_safety_examples_are_embedded_once_and_then_read(tmp_path: Path,  # type: ignore[no-untyped-def]
                                                             embeddings) -> None:
    from rag.vector_cache import DiskCachedEmbeddings

    texts = ["my neck is stiff and I have a fever", "can I press on a knot?"]
    model = Recording(embeddings)
    first = DiskCachedEmbeddings(model, tmp_path, "m").embed_documents(texts)
    model.refuse = True  # a second start reads them
    assert DiskCachedEmbeddings(model, tmp_path, "m").embed_documents(texts) == first
    model.refuse = False
    other = DiskCachedEmbeddings(model, tmp_path, "another model")
    other.embed_documents(texts)  # another model's vectors are never reused
    assert model.texts == texts * 2


def _resident_kb(folder: Path) -> int | None:
    """KB of this process's memory mapped from files in ``folder`` (None: not Linux)."""
    smaps = Path("/proc/self/smaps")
    if not smaps.is_file():
        return None
    total, inside = 0, False
    for line in smaps.read_text().splitlines():
        head = line.split()
        if head and "-" in head[0] and len(head) >= 5 and ":" in head[3]:
            inside = len(head) >= 6 and head[5].startswith(str(folder))
        elif inside and line.startswith("Rss:"):
            total += int(head[1])
    return total


def test_an_answer_leaves_no_pages_of_the_derived_files_in_memory(pipeline) -> None:  # type: ignore[no-untyped-def]
    """The token vectors a question read are the page cache's, not the app's: at 10,000
    chunks they were 1.2 GB of its memory after 140 questions."""
    question = "how long should I hold pressure on a knot?"
    folder = artefacts.folder(pipeline.settings, pipeline.index.name)
    first = pipeline.answer(question)
    resident = _resident_kb(folder)
    if resident is None:
        pytest.skip("needs /proc/self/smaps (Linux)")
    assert pipeline.index.pages, "the derived data is read from memory maps"
    assert resident == 0
    again = pipeline.answer(question)  # the rows are read again, from the page cache
    assert again.answer == first.answer
    assert [c.source for c in again.citations] == [c.source for c in first.citations]


def test_a_stored_array_reads_back_as_saved(tmp_path: Path) -> None:
    for array in (np.arange(12, dtype=np.float16).reshape(3, 4), np.zeros((0, 384), np.float32),
                  np.array([3, 1, 2], np.int64)):
        np.save(tmp_path / "a.npy", array)
        read, _ = artefacts._map(tmp_path / "a.npy")
        assert read.dtype == array.dtype and read.shape == array.shape
        assert np.array_equal(read, array) and not read.flags.writeable
    np.save(tmp_path / "b.npy", np.ones((100, 8), np.float32))
    with (tmp_path / "b.npy").open("r+b") as fh:
        fh.truncate(500)  # a damaged file: an error load() turns into "derive again"
    with pytest.raises(ValueError):
        artefacts._map(tmp_path / "b.npy")
