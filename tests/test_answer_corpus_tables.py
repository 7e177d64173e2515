"""The answer stage's per-index tables give what going over every chunk gave."""

from __future__ import annotations

import random

from langchain_core.documents import Document

from rag.answer.aspect import FIGURES, figure_stems, figure_table, never_given
from rag.answer.quoted import PREFIX, QuoteFinder
from rag.answer.select import _first_group


def _sentences(rng: random.Random, n: int) -> list[str]:
    words = "neck knot press hold the a stretch ice heat slowly for seconds".split()
    return ["", "Hold it."] + [" ".join(rng.choices(words, k=rng.randint(1, 9))) + "."
                               for _ in range(n)]


def test_the_quoted_sentences_are_those_that_occur_in_the_reply() -> None:
    rng = random.Random(7)
    for n in (3, 40, 3000):  # fewer sentences than characters, and many more
        sentences = _sentences(rng, n)
        finder = QuoteFinder(sentences)
        for _ in range(30):
            reply = " ".join(rng.choices(sentences, k=5)) + " " + rng.choice(sentences)[:PREFIX]
            assert finder.quoted(reply) == frozenset(s for s in sentences if s in reply)
        assert finder.quoted("") == frozenset({""})


def _chunk(text: str, **meta: object) -> Document:
    return Document(page_content=text, metadata=meta)


def test_a_figure_is_found_given_next_to_a_subject_in_any_one_passage() -> None:
    chunks = [_chunk("Hold the stretch for 30 seconds."), _chunk("Ice helps a sore neck."),
              _chunk("Heat is soothing.")]
    stems = figure_stems("how long", chunks)
    assert "stretch" in stems and "ice" not in stems  # only the passage with a duration
    assert figure_stems("prices", chunks) == frozenset()
    assert FIGURES["how long"].search(chunks[0].page_content)


def test_the_figure_table_kept_at_ingest_is_what_each_kind_gives_alone() -> None:
    rng = random.Random(11)
    words = ("hold it for 30 seconds", "twice a day", "costs $40", "at 40 degrees",
             "10 reps", "ice the neck", "stretch gently", "rest")
    for n in (0, 1, 5, 200):
        chunks = [_chunk(". ".join(rng.choices(words, k=rng.randint(1, 4))) + ".")
                  for _ in range(n)]
        table = figure_table(chunks)
        for kind in FIGURES:
            assert table.stems[kind] == figure_stems(kind, chunks)
            assert (kind not in table.given) == never_given(kind, chunks)


def test_the_list_under_a_parent_heading_is_read_from_this_list_of_chunks() -> None:
    def under(parent: str, article: str, n: int) -> list[Document]:
        return [_chunk(f"{article} part {i}", source=article, parent=parent,
                       section=f"{parent} {i}", position=n - i) for i in range(n)]

    causes = under("What are the causes of neck knots?", "a.md", 3)
    chunks = [*under("How to stretch", "a.md", 2), *causes]
    group = _first_group([], chunks, "cause")
    assert group == sorted(causes, key=lambda c: c.metadata["position"])
    assert _first_group([], chunks, "cause") == group  # kept, and the same
    # Another list (even one made at the same address later) is read afresh.
    other = under("What are the causes of neck knots?", "b.md", 2)
    assert _first_group([], other, "cause") == sorted(other, key=lambda c: c.metadata["position"])
    assert _first_group([], other[:1], "cause") is None  # one section is no list


def test_the_best_uses_are_the_highest_highest_first() -> None:
    import numpy as np

    from rag.answer.sense import best

    rng = np.random.default_rng(3)
    for n in (1, 2, 3, 4, 50, 5000):
        sims = rng.standard_normal(n).astype(np.float32)
        assert np.array_equal(best(sims), np.sort(sims)[::-1][:3])


def test_token_vectors_are_read_as_float32_bit_for_bit() -> None:
    import numpy as np

    from rag.late import upcast

    every = np.arange(2**16, dtype=np.uint16).view(np.float16).reshape(-1, 64)
    assert np.array_equal(upcast(every).view(np.uint32),
                          every.astype(np.float32).view(np.uint32))
    assert upcast(every[::2, ::2]).shape == (512, 32)  # not contiguous
