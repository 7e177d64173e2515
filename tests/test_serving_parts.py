"""Small serving parts kept for speed: deadline workers reused, float32 copies of tokens."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from rag.deadline import call_with_deadline
from rag.embeddings import TokenVectors
from rag.errors import StoreTimeout
from rag.late import LateIndex


def _python(script: str) -> str:
    """Run ``script`` in a fresh interpreter (nothing imported yet); its output."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_hung_call_times_out_and_never_holds_up_the_next() -> None:
    release = threading.Event()
    with pytest.raises(StoreTimeout):
        call_with_deadline(release.wait, 0.2, "search")
    # The hung worker is still busy; the next calls are answered by others at once.
    assert [call_with_deadline(lambda n=n: n * 2, 5.0, "search") for n in range(20)] == \
        list(range(0, 40, 2))
    with pytest.raises(KeyError):  # an error in the call reaches the caller as it is
        call_with_deadline(lambda: {}["missing"], 5.0, "search")
    release.set()


def _tokens(rng: np.random.Generator, n: int, vocab: int = 50) -> TokenVectors:
    vectors = rng.normal(size=(n, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return TokenVectors(ids=rng.integers(0, vocab, n), vectors=vectors.astype(np.float16))


def test_late_scores_do_not_depend_on_what_was_scored_before(
        monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(7)
    chunks = {f"c{i}": _tokens(rng, int(rng.integers(3, 30))) for i in range(40)}
    queries = [_tokens(rng, 6) for _ in range(5)]
    ids = list(chunks)

    def reference(q: TokenVectors, keys: list[str]) -> list[float]:
        w = LateIndex(chunks).weights(q.ids)
        return [float(np.max(q.vectors.astype(np.float32)
                             @ chunks[k].vectors.astype(np.float32).T, axis=1) @ w / w.sum())
                for k in keys]

    monkeypatch.setattr("rag.late.UPCAST_BYTES", 4000)  # a few texts fit: evictions happen
    monkeypatch.setattr("rag.late.QUERIES_KEPT", 2)  # and questions' parts are dropped
    late = LateIndex(chunks)
    first: dict[tuple[int, int], dict[str, float]] = {}
    for n, q in enumerate(queries * 3):
        keys = ids[n % 7::3]
        got = late.scores(q, keys)
        assert list(got) == keys
        assert np.allclose(list(got.values()), reference(q, keys), atol=1e-5)
        # Exactly what a fresh index gives, whatever was kept or dropped meanwhile.
        assert got == LateIndex(chunks).scores(q, keys)
        assert first.setdefault((id(q), n % 7), got) == got
    assert late._upcast_bytes <= 4000
    assert len(late._queries) <= 2


def test_chroma_works_without_importing_grpc(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """chromadb's trace exporter is a stand-in (`rag.chroma_import`): the store still
    stores and finds (through `rag.store.connect`), gRPC is never imported, and making
    the exporter says what to do."""
    import json

    script = (
        "import json, sys\n"
        "from rag.chroma_import import import_chromadb\n"
        "chromadb = import_chromadb()\n"
        "from pathlib import Path\n"
        "from rag.settings import Settings\n"
        "from rag.store import connect\n"
        f"client = connect(Settings(data_dir=Path({str(tmp_path)!r})))\n"
        "col = client.create_collection('ccc', embedding_function=None)\n"
        "col.add(ids=['a', 'b'], embeddings=[[1.0, 0.0], [0.0, 1.0]], documents=['x', 'y'])\n"
        "found = col.query(query_embeddings=[[0.9, 0.1]], n_results=1)['ids'][0]\n"
        "from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter\n"
        "try:\n    OTLPSpanExporter()\n    said = ''\n"
        "except RuntimeError as err:\n    said = str(err)\n"
        "import httpx\n"
        "cli = [m in sys.modules for m in ('httpx._main', 'rich', 'click')]\n"
        "import importlib\n"
        "from overrides import override\n"
        "from overrides.signature import ensure_signature_is_compatible\n"
        "checked = importlib.import_module('overrides.overrides')"
        ".ensure_signature_is_compatible is ensure_signature_is_compatible\n"
        "class Base:\n    def f(self, a: int) -> int:\n        return a\n"
        "try:\n    class Wrong(Base):\n        @override\n"
        "        def f(self) -> int:\n            return 0\n    caught = False\n"
        "except TypeError:\n    caught = True\n"
        "print(json.dumps([found, 'grpc' in sys.modules, said, cli, callable(httpx.Client),"
        " checked and caught]))\n")
    out = _python(script)
    found, grpc, said, cli, client, checked = json.loads(out.strip().splitlines()[-1])
    assert found == ["a"]
    assert grpc is False
    assert "chroma_otel_collection_endpoint unset" in said
    # Nor httpx's command-line client (rich, click: rag.lean_import); httpx itself works.
    assert cli == [False, False, False] and client
    # Chroma's classes were made without overrides' signature check; it is back after.
    assert checked


def test_document_frequency_counts_each_text_once_per_id() -> None:
    from collections import Counter

    from rag.late import document_frequency

    rng = np.random.default_rng(3)
    texts = [rng.integers(0, 300, int(rng.integers(0, 40))) for _ in range(200)]
    texts += [np.zeros(0, np.int64), np.array([7, 7, 7])]
    expected = Counter(int(i) for t in texts for i in set(t.tolist()))
    assert document_frequency(texts) == dict(expected)
    assert document_frequency([]) == {} and document_frequency([np.zeros(0, np.int64)]) == {}


def test_keyword_index_scores_as_bm25s_scipy_build_without_importing_scipy() -> None:
    """bm25s is imported with SciPy out of sight (`rag.lean_import`): the keyword index
    builds, saves, loads and scores without SciPy, with the very scores of bm25s' SciPy
    build (made in a process where bm25s has SciPy)."""
    import json

    setup = (
        "import json, sys, tempfile\n"
        "from pathlib import Path\n"
        "from rag.settings import Settings\n"
        "texts = [p for f in sorted(Settings().corpus_dir.glob('*.md')) for p in "
        "f.read_text(encoding='utf-8').split('\\n\\n') if p.strip()]\n"
        "texts += ['neck knot ' * 3, 'fever stiff neck']\n"
        "ids = [str(i) for i in range(len(texts))]\n"
        "qs = ['what causes knots?', 'stiff neck and fever', 'how long should I hold it']\n")
    ours = setup + (
        "from rag.retrieval import KeywordIndex\n"
        "built = KeywordIndex(ids, texts)\n"
        "folder = Path(tempfile.mkdtemp())\n"
        "built.save(folder)\n"
        "loaded = KeywordIndex.load(folder, ids)\n"
        "hidden = sorted(m for m in sys.modules if m.split('.')[0] == 'scipy')\n"
        "same = all(loaded.scores(q) == built.scores(q) for q in qs)\n"
        "print(json.dumps([hidden, same, [built.scores(q) for q in qs]]))\n")
    scipy_built = setup + (
        "import scipy.sparse, bm25s\n"
        "from rag.retrieval import stem_tokens\n"
        "ref = bm25s.BM25(csc_backend='scipy')\n"
        "ref.index([stem_tokens(t) or ['_'] for t in texts], show_progress=False)\n"
        "print(json.dumps([{ids[i]: float(s) for i, s in "
        "enumerate(ref.get_scores(stem_tokens(q))) if s > 0} for q in qs]))\n")
    outs = []
    for script in (ours, scipy_built):
        out = _python(script)
        outs.append(json.loads(out.strip().splitlines()[-1]))
    (hidden, same, scores), reference = outs
    assert hidden == []
    assert same and scores[0]
    assert scores == reference


def test_chroma_import_from_threads_puts_one_stand_in() -> None:
    """Imports from several threads at once (the app's first questions) put the stand-in
    finder in once, and it stays: a finder taken out of ``sys.meta_path`` while another
    thread's import walks it can make that import skip the next finder."""

    script = (
        "import sys, threading\n"
        "from rag.chroma_import import import_chromadb, _StandIn\n"
        "ts = [threading.Thread(target=import_chromadb) for _ in range(4)]\n"
        "[t.start() for t in ts]; [t.join() for t in ts]\n"
        "import chromadb\n"
        "print(sum(isinstance(f, _StandIn) for f in sys.meta_path), 'grpc' in sys.modules)\n")
    out = _python(script)
    assert out.split() == ["1", "False"]
