"""The serving path's encoder: ONNX, held to sentence-transformers, and no torch loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rag.evaluate.data import load_sets
from rag.onnx_encoder import export_path
from rag.settings import PROJECT_DIR, Settings
from tests.triage_helpers import model_calls

HEAVY = ("torch", "transformers", "sentence_transformers")


@pytest.fixture(scope="module")
def torch_embeddings():  # type: ignore[no-untyped-def]
    from rag.embeddings import load_torch_embeddings

    return load_torch_embeddings(Settings())


def _texts(pipeline) -> list[str]:  # type: ignore[no-untyped-def]
    """Every corpus sentence and chunk, and every question of every evaluation set."""
    index = pipeline.index
    sets = load_sets()
    texts = {s for sents in index.chunk_sentences.values() for s in sents}
    texts |= {d.page_content for d in index.chunks.values()}
    texts |= {c.question for c in sets.cases}
    texts |= {q.question for q in sets.retrieval}
    texts |= {q.question for qs in sets.held_out.values() for q in qs}
    return sorted(t for t in texts if t.strip())


def test_onnx_vectors_match_sentence_transformers(pipeline, embeddings,  # type: ignore[no-untyped-def]
                                                  torch_embeddings) -> None:
    texts = _texts(pipeline)
    assert len(texts) > 500
    ours = np.asarray(embeddings.embed_documents(texts))
    reference = np.asarray(torch_embeddings.embed_documents(texts))
    cosines = (ours * reference).sum(axis=1)
    worst = int(cosines.argmin())
    assert cosines[worst] >= 0.999, texts[worst]
    # The question's own vector and token vectors (late interaction) agree as well.
    for text in texts[::25]:
        a, b = embeddings.tokens(text), torch_embeddings.tokens(text)
        assert a is not None and b is not None
        assert a.ids.tolist() == b.ids.tolist(), text
        rows = (a.vectors.astype(np.float32) * b.vectors.astype(np.float32)).sum(axis=1)
        assert rows.min() >= 0.999, text
        assert float(np.dot(embeddings.embed_query(text), torch_embeddings.embed_query(text))) \
            >= 0.999


def test_the_hidden_states_before_the_last_layer_match_torch(  # type: ignore[no-untyped-def]
        pipeline, embeddings, torch_embeddings) -> None:
    """What the crisis reader reads (`rag.safety.crisis`), ONNX against torch."""
    texts = _texts(pipeline)[::20]
    ours, reference = embeddings.lower_states(texts), torch_embeddings.lower_states(texts)
    for text, a, b in zip(texts, ours, reference, strict=True):
        assert a.shape == b.shape, text
        rows = (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
        assert rows.min() >= 0.999, text


def test_a_long_text_is_cut_where_sentence_transformers_cuts_it(embeddings,  # type: ignore[no-untyped-def]
                                                                 torch_embeddings) -> None:
    text = "my shoulder knot hurts when I press on it " * 80  # far over 256 pieces
    assert float(np.dot(embeddings.embed_query(text), torch_embeddings.embed_query(text))) \
        >= 0.999
    assert len(embeddings.tokens(text).ids) == len(torch_embeddings.tokens(text).ids)


def test_the_export_is_kept_in_the_cache_under_the_models_key(embeddings) -> None:  # type: ignore[no-untyped-def]
    settings = Settings()
    path = export_path(settings.cache_dir, settings.model_path())
    assert path.is_file() and path.parent.name.startswith("onnx-")
    # Another model folder gets another key, so a stale export is never used for it.
    other = export_path(settings.cache_dir, str(PROJECT_DIR / "rag" / "safety" / "data"))
    assert other != path


def test_ask_answers_without_importing_torch(built_index: Settings) -> None:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("KNOTBOT_") or k == "KNOTBOT_CACHE_DIR"}
    env.update(KNOTBOT_DATA_DIR=str(built_index.data_dir), KNOTBOT_STORE_TIMEOUT="60",
               HF_HUB_OFFLINE="1")
    script = ("import json, sys\n"
              "from rag.cli import main\n"
              "sys.argv = ['knotbot', 'ask', 'what causes knots in the shoulder?', '--json']\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              f"heavy = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})\n"
              "print(json.dumps([heavy, 'scipy' in sys.modules]))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=300, cwd=Path(PROJECT_DIR))
    assert done.returncode == 0, done.stderr
    *answer_lines, modules = done.stdout.strip().splitlines()
    answer = json.loads("\n".join(answer_lines))
    assert answer["citations"] and not answer["search_error"]
    # Nor SciPy, which bm25s imported only to build an index with it (rag.lean_import).
    assert json.loads(modules) == [[], False]


def test_a_texts_vectors_do_not_depend_on_the_texts_packed_beside_it(embeddings) -> None:  # type: ignore[no-untyped-def]
    encoder = embeddings.encoder
    alone = encoder.encode(["my neck is stiff and I have a fever"])[0]
    company = ["ok", "how do I massage a knot under my shoulder blade with a tennis ball?",
               "knot " * 200, "my neck is stiff and I have a fever", "thanks!"]
    packed = encoder.encode(company)
    assert [len(e.ids) for e in packed] == [len(encoder.tokenizer.encode(t).ids)
                                            for t in company]
    beside = packed[3]
    assert beside.ids.tolist() == alone.ids.tolist()
    assert float(alone.vector @ beside.vector) >= 0.99999
    rows = (alone.hidden * beside.hidden).sum(axis=1) / (
        np.linalg.norm(alone.hidden, axis=1) * np.linalg.norm(beside.hidden, axis=1))
    assert rows.min() >= 0.99999
    # Each text is its own: the short ones beside it are not pulled towards it.
    assert float(packed[0].vector @ encoder.encode(["ok"])[0].vector) >= 0.99999


def test_a_question_and_the_clauses_triage_reads_cost_one_model_call(pipeline) -> None:  # type: ignore[no-untyped-def]
    question = ("I was lifting boxes all morning. Now my upper back has a knot, and my left "
                "hand is weak, how long do I rub it?")
    with model_calls(pipeline.embeddings.encoder) as calls:
        answer = pipeline.answer(question)
    assert answer.triage.level in ("emergency", "urgent")
    # The question and its clauses went in together; no later call encoded any of them
    # (the answer stage may still embed a word or two of the articles' own).
    together = [c for c in calls if question in c or any("hand is weak" in t for t in c)]
    assert len(together) == 1 and question in together[0] and len(together[0]) > 2


def test_texts_the_uncased_model_reads_alike_go_to_it_once(embeddings) -> None:  # type: ignore[no-untyped-def]
    """The triage reads a question as typed and folded ("Can I..." and "can i..."): the
    model sees the same tokens, so it runs on them once and both get its outputs."""
    encoder = embeddings.encoder
    texts = ["Can a KNOT come from a small strain?", "how do I rub it?",
             "can a knot come from a small strain?", "Can  a knot come from a small strain?"]
    seen: list[int] = []
    run = encoder.session.run

    def counted(names, feed):  # type: ignore[no-untyped-def]
        seen.append(int((feed["input_ids"] > 0).sum()))
        return run(names, feed)

    encoder.session = _Counted(encoder.session, counted)
    try:
        out = encoder.encode(texts, lower=True)
    finally:
        encoder.session = encoder.session.inner
    ids = [len(encoder.tokenizer.encode(t).ids) for t in texts]
    assert seen == [ids[0] + ids[1]]  # one call, each distinct text's tokens once
    assert out[0].ids.tolist() == out[2].ids.tolist() == out[3].ids.tolist()
    assert np.array_equal(out[0].vector, out[2].vector)
    assert out[2].lower is not None and out[2].lower.shape == (ids[0], out[2].hidden.shape[1])
    alone = encoder.encode([texts[2]])[0]
    assert float(alone.vector @ out[3].vector) >= 0.99999
    assert not np.array_equal(out[1].vector, out[0].vector)


class _Counted:
    def __init__(self, inner, run) -> None:  # type: ignore[no-untyped-def]
        self.inner, self.run = inner, run
