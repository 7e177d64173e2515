"""The answer chain: safety stage -> retrieval -> composer, as a LangChain runnable."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
from langchain_core.documents import Document
from langchain_core.runnables import Runnable, RunnableLambda

from rag.chunking import body_of, split_sentences
from rag.compose import (
    LEXICAL_WEIGHT,
    compose,
    inverse_document_frequency,
    keyword_overlap,
    massage_allowed,
    safety_block,
)
from rag.coverage import Coverage, Gap
from rag.embeddings import TokenVectors
from rag.errors import KnotbotError, QuestionError
from rag.late import LateIndex
from rag.models import Answer, Option, PressForm, Timings, Triage, Turn
from rag.rerank import build_reranker
from rag.retrieval import stem_tokens
from rag.safety import SafetyResult, build_safety
from rag.safety.lexicon import load_lexicon, load_yaml
from rag.safety.triage import FOLLOW_UP
from rag.settings import Settings
from rag.wordtable import load_word_table

_DOCTOR = re.compile(r"doctor|specialist|consult", re.IGNORECASE)


def clean_question(question: Any) -> str:
    """The question as safe text: control characters and lone surrogates replaced."""
    if not isinstance(question, str):
        raise QuestionError("the question must be text")
    text = question.encode("utf-8", "replace").decode("utf-8")  # lone surrogates -> "?"
    text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", text).strip()
    if not text:
        raise QuestionError("the question is empty: type a question about a neck or shoulder knot")
    return text


def as_turns(history: Any) -> list[Turn]:
    """Validate a conversation; a malformed one is a QuestionError that says the shape."""
    if history is None:
        return []
    shape = 'history must be a list of {"role": "user"|"assistant", "content": "..."} objects'
    if not isinstance(history, list):
        raise QuestionError(shape)
    turns = []
    for item in history:
        if isinstance(item, Turn):
            turns.append(item)
            continue
        try:
            turns.append(Turn(role=item["role"], content=clean_question(item["content"])))
        except (TypeError, KeyError, ValueError, QuestionError):
            raise QuestionError(shape) from None
    return turns


def _one_blas_thread() -> None:
    """NumPy's matrix products here are tiny; OpenBLAS's idle threads spin for a while
    after each one, and on two cores that starves the model's next forward pass (the
    median answer took 45 ms instead of 25)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


class KnotbotPipeline:
    """Loads the index, the model and the safety stage once; answers many questions."""

    def __init__(self, settings: Settings, embeddings: Any = None) -> None:
        from rag.store import connect, open_active

        self.settings = settings
        _one_blas_thread()
        client = connect(settings)
        col, info = open_active(client, settings)
        if embeddings is None:
            from rag.embeddings import load_embeddings

            embeddings = load_embeddings(settings)
        self.embeddings = embeddings
        self.word_table = load_word_table(settings.cache_dir, settings.model_path(),
                                          settings.expansion_words, embeddings)
        self._lock = threading.Lock()
        self._load_index(client, col, info.name)
        self.safety = build_safety(settings, embeddings)
        if self.safety.semantic:
            self.safety.semantic.warm()
            if self._sentences:
                self.safety.semantic.add_scope_vectors(np.stack(list(self._sentences.values())))
        self.chain: Runnable = (RunnableLambda(self._embed_step)
                                | RunnableLambda(self._safety_step)
                                | RunnableLambda(self._retrieve_step)
                                | RunnableLambda(self._compose_step))

    def _load_index(self, client: Any, col: Any, name: str) -> None:
        vectors = self._load_chunks(col)
        # Each chunk's sentences, split once; their vectors and stemmed words, once each.
        self._chunk_sentences = {cid: split_sentences(body_of(d).replace("\n", " "))
                                 for cid, d in self.chunks.items()}
        self._sentences = self._embed_sentences()
        self._sentence_words = {s: frozenset(stem_tokens(s)) for s in self._sentences}
        self._sentence_tokens = self._tokens_of(list(self._sentences))
        self._idf = inverse_document_frequency(list(self._sentence_words.values()))
        self.coverage = Coverage((d.page_content for d in self.chunks.values()), self.embeddings,
                                 known=load_lexicon().contraindications,
                                 table=self.word_table)
        self.retriever = self._build_retriever(client, name, vectors)
        self.doctor_docs = [d for d in self.chunks.values()
                            if _DOCTOR.search(str(d.metadata.get("section") or ""))]

    def reload(self) -> None:
        """Pick up the index a later `knotbot ingest` made active."""
        from rag.store import connect, open_active

        with self._lock:
            client = connect(self.settings)
            col, info = open_active(client, self.settings)
            self._load_index(client, col, info.name)

    def _search(self, query: str) -> tuple[list[Document], str]:
        """Retrieve; if the index changed under us, reload once. Never lose the safety."""
        for attempt in (1, 2):
            try:
                return self.retriever.invoke(query), ""
            except Exception as err:  # Chroma raises several kinds (NotFound, connection)
                if attempt == 2:
                    return [], (str(err) if isinstance(err, KnotbotError)
                                else f"{type(err).__name__}: run `knotbot ingest` and restart")
                try:
                    self.reload()
                except KnotbotError as reload_err:
                    return [], str(reload_err)
        return [], ""

    def _load_chunks(self, col: Any) -> dict[str, np.ndarray]:
        """Every chunk of the active index as Documents; returns their stored vectors."""
        got = col.get(include=["documents", "metadatas", "embeddings"])
        self.chunks = {cid: Document(id=cid, page_content=text, metadata=dict(meta or {}))
                       for cid, text, meta in zip(got["ids"], got["documents"] or [],
                                                  got["metadatas"] or [], strict=True)}
        raw = got["embeddings"] if got["embeddings"] is not None else []
        return {cid: np.asarray(v, dtype=np.float32)
                for cid, v in zip(got["ids"], list(raw), strict=True)}

    def _build_retriever(self, client: Any, collection: str, vectors: dict[str, np.ndarray]
                         ) -> Any:
        from langchain_chroma import Chroma

        from rag.retrieval import HybridRetriever, KeywordIndex

        s, ids = self.settings, list(self.chunks)
        faq = {c: str(d.metadata.get("question") or "") for c, d in self.chunks.items()}
        faq = {c: q for c, q in faq.items() if q}
        faq_vecs = self.embeddings.embed_documents(list(faq.values())) if faq else []
        late = self._late_index(ids)
        sentences = {c: [self._sentence_tokens[x] for x in ss if x in self._sentence_tokens]
                     for c, ss in self._chunk_sentences.items()}
        return HybridRetriever(
            vectorstore=Chroma(client=client, collection_name=collection,
                               embedding_function=self.embeddings),
            embeddings=self.embeddings, chunks=self.chunks, vectors=vectors,
            keyword=KeywordIndex(ids, [self.chunks[i].page_content for i in ids]),
            faq_vectors={c: np.asarray(v, dtype=np.float32)
                         for c, v in zip(faq, faq_vecs, strict=True)},
            sentence_vectors=self._sentence_matrix(), k=s.retrieval_k, method=s.fusion_method,
            dense_weight=s.fusion_dense_weight, bm25_weight=s.fusion_bm25_weight,
            sentence_weight=s.fusion_sentence_weight, faq_weight=s.faq_weight, rrf_k=s.rrf_k,
            late_weight=s.fusion_late_weight, late=late, mmr_lambda=s.mmr_lambda,
            reranker=build_reranker(late, self.embeddings, sentences, s.rerank_depth,
                                    s.rerank_late_weight, s.rerank_sentence_weight),
            expand=self.coverage.related if s.query_expansion else None)

    def _tokens_of(self, texts: list[str]) -> dict[str, TokenVectors]:
        """Token vectors (float32) of each text; empty when late interaction is off or the
        embeddings give none."""
        batch = getattr(self.embeddings, "document_tokens", None)
        if batch is None or self.settings.fusion_late_weight <= 0 or not texts:
            return {}
        vecs = batch(texts)  # empty when the embeddings give no token vectors
        return {t: TokenVectors(v.ids, v.vectors.astype(np.float32))
                for t, v in zip(texts, vecs, strict=True)} if vecs else {}

    def _late_index(self, ids: list[str]) -> LateIndex | None:
        """Token vectors of every chunk (about a second at start-up), or None without them."""
        vecs = self._tokens_of([self.chunks[i].page_content for i in ids])
        return LateIndex({i: vecs[self.chunks[i].page_content] for i in ids}) if vecs else None

    def _embed_sentences(self) -> dict[str, np.ndarray]:
        texts = sorted({s for sents in self._chunk_sentences.values() for s in sents})
        vecs = self.embeddings.embed_documents(texts) if texts else []
        return {t: np.asarray(v, dtype=np.float32) for t, v in zip(texts, vecs, strict=True)}

    def _sentence_matrix(self) -> dict[str, np.ndarray]:
        """Each chunk's sentence vectors, one row a sentence."""
        out = {}
        for cid, sentences in self._chunk_sentences.items():
            rows = [self._sentences[s] for s in sentences if s in self._sentences]
            if rows:
                out[cid] = np.stack(rows)
        return out

    def score_sentences(self, question: str, sentences: Sequence[str]) -> list[float]:
        """Meaning plus a little for sharing the question's rarer words."""
        words = set(stem_tokens(question))
        return [m + LEXICAL_WEIGHT * keyword_overlap(
                    words, self._sentence_words.get(s) or frozenset(stem_tokens(s)), self._idf)
                for m, s in zip(self._meaning(question, sentences), sentences, strict=True)]

    def _meaning(self, question: str, sentences: Sequence[str]) -> list[float]:
        """Late interaction with each sentence when token vectors exist: it quotes the
        question's key phrase more often than one cosine per sentence does (90/128 vs
        79/128 on evals/retrieval/, 50/70 vs 40/70 held out, as many sentences quoted).
        Otherwise (or for a sentence it has no tokens for) the cosine."""
        late: LateIndex | None = self.retriever.late
        tokens = getattr(self.embeddings, "tokens", None)
        q = tokens(question) if late is not None and tokens is not None else None
        if late is not None and q is not None and all(s in self._sentence_tokens
                                                      for s in sentences):
            return late.score_texts(q, [self._sentence_tokens[s] for s in sentences])
        qvec = np.asarray(self.embeddings.embed_query(question), dtype=np.float32)
        return [float(self._sentences[s] @ qvec) if s in self._sentences else 0.0
                for s in sentences]

    # --- the steps of the chain ---------------------------------------------------------
    def _embed_step(self, state: dict[str, Any]) -> dict[str, Any]:
        t0 = time.perf_counter()
        self.embeddings.embed_query(state["question"])  # cached for triage and retrieval
        state["t_embed"] = time.perf_counter() - t0
        return state

    def _safety_step(self, state: dict[str, Any]) -> dict[str, Any]:
        t0 = time.perf_counter()
        state["safety"] = self.safety.assess(state["question"], state["history"])
        state["t_triage"] = time.perf_counter() - t0
        return state

    def _query(self, question: str, history: list[Turn], plain: bool) -> str:
        earlier = [t.content for t in history if t.role == "user"]
        if earlier and len(question.split()) < 14 and FOLLOW_UP.search(question.lower()):
            before = earlier[-1][: self.settings.max_question_chars]
            if plain:  # keep what the earlier turn asked that the articles cover: "is gua
                # sha good?" adds nothing to "and how long should I hold it?" but noise
                before = self.coverage.check(before).covered
            return f"{before} {question}".strip()
        return question

    def _retrieve_step(self, state: dict[str, Any]) -> dict[str, Any]:
        t0 = time.perf_counter()
        res: SafetyResult = state["safety"]
        level = res.triage.level
        state["query"] = state["question"]
        if level == "out_of_scope":
            state["docs"] = []
        elif level == "emergency":
            state["docs"] = self.doctor_docs
        else:
            # Only when the safety stage has not spoken to the person's situation: with a
            # red flag or a press verdict, the question's words are the person's, not a topic.
            plain = massage_allowed(res.triage, res.press_check)
            gap = self.coverage.check(state["question"]) if plain else Gap(state["question"], [])
            state["uncovered"] = gap.terms
            # Answer only the sentences the articles may cover.
            state["query"] = self._query(gap.covered, state["history"], plain) \
                if gap.covered else ""
            state["docs"], state["search_error"] = (
                self._search(state["query"]) if state["query"] else ([], ""))
        state["t_retrieve"] = time.perf_counter() - t0
        return state

    def _compose_step(self, state: dict[str, Any]) -> Answer:
        t0 = time.perf_counter()
        res: SafetyResult = state["safety"]
        # Emergency and urgent answers may quote only get-help and what-to-avoid sentences,
        # so any of them backs the verdict up; elsewhere a weak match is left out.
        red_flag = res.triage.level in ("emergency", "urgent")
        text, body, citations = compose(
            state["query"], res.triage, res.press_check, state["docs"], self.score_sentences,
            threshold=-1.0 if red_flag else self.settings.answer_threshold,
            max_sentences=self.settings.answer_max_sentences,
            uncovered=state.get("uncovered", ()))
        if state.get("search_error"):
            body = (f"I couldn't search the articles just now ({state['search_error']}). "
                    "The safety advice above still stands.")
            text = "\n\n".join(p for p in (safety_block(res.triage, res.press_check), body) if p)
        t_compose = time.perf_counter() - t0
        timings = Timings(embed=state["t_embed"] * 1e3, triage=state["t_triage"] * 1e3,
                          retrieve=state["t_retrieve"] * 1e3, compose=t_compose * 1e3)
        timings.total = (time.perf_counter() - state["t_start"]) * 1e3
        return Answer(question=state["question"], triage=res.triage,
                      press_check=res.press_check, answer=text, citations=citations,
                      body=body, timings_ms=timings)

    # --- public API ---------------------------------------------------------------------
    def answer(self, question: str, history: list[Turn] | list[dict[str, str]] | None = None
               ) -> Answer:
        start = time.perf_counter()
        text = clean_question(question)
        turns = as_turns(history)
        if len(text) > self.settings.max_question_chars:
            return self._too_long(text, turns, start)
        return self.chain.invoke({"question": text, "history": turns, "t_start": start})

    def _too_long(self, text: str, turns: list[Turn], start: float) -> Answer:
        """Still triaged (a red flag in a long message is still a red flag), not answered."""
        res = self.safety.assess(text, turns)
        note = (f"Your message is {len(text):,} characters long; please ask in under "
                f"{self.settings.max_question_chars:,} characters so I can answer it.")
        triage = res.triage
        if triage.level == "out_of_scope":
            triage = Triage(level="self_care", reasons=[], message="")
        head = safety_block(triage, res.press_check)
        body = "\n\n".join(p for p in (head, note) if p)
        return Answer(question=text, triage=triage, press_check=res.press_check, answer=body,
                      body=note,
                      timings_ms=Timings(total=(time.perf_counter() - start) * 1e3))

    def press_form(self) -> PressForm:
        form = load_yaml("forms.yaml")["press"]
        return PressForm(**{k: [Option(id=o["id"], label=o["label"]) for o in form[k]]
                            for k in ("locations", "feelings", "conditions")})

    def check_press(self, location: str, feeling: str, conditions: list[str]) -> Answer:
        form = load_yaml("forms.yaml")["press"]
        says = {o["id"]: o["says"] for k in ("locations", "feelings", "conditions")
                for o in form[k]}
        picked = [says[i] for i in [location, feeling, *conditions] if i in says]
        return self.answer(" ".join([*picked, form["question"]]))

    def warning_signs(self) -> list[Option]:
        return [Option(id=o["id"], label=o["label"]) for o in load_yaml("forms.yaml")["signs"]]

    def check_signs(self, signs: list[str]) -> Answer:
        says = {o["id"]: o["says"] for o in load_yaml("forms.yaml")["signs"]}
        picked = [says[i] for i in signs if i in says]
        return self.answer(" ".join(picked) if picked else
                           "I have none of these warning signs. "
                           "When should I see a doctor about my neck knot?")


@cache
def _default(settings_json: str) -> KnotbotPipeline:
    return KnotbotPipeline(Settings.model_validate_json(settings_json))


def default_pipeline(settings: Settings | None = None) -> KnotbotPipeline:
    return _default((settings or Settings()).model_dump_json())
