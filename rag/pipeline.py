"""The answer chain: safety stage -> retrieval -> composer, as a LangChain runnable."""

from __future__ import annotations

import re
import threading
import time
from functools import cache
from typing import Any

import numpy as np
from langchain_core.documents import Document
from langchain_core.runnables import Runnable, RunnableLambda

from rag.compose import compose, massage_allowed, safety_block
from rag.coverage import Coverage, Gap
from rag.errors import KnotbotError, QuestionError
from rag.loaded import LoadedIndex, load_index
from rag.models import Answer, Option, PressForm, Timings, Triage, Turn
from rag.retrieval import HybridRetriever
from rag.safety import SafetyResult, build_safety
from rag.safety.lexicon import load_yaml
from rag.safety.triage import FOLLOW_UP
from rag.settings import Settings
from rag.wordtable import load_word_table


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
        # Replaced whole, never changed: each question keeps the snapshot it started with.
        self.index: LoadedIndex = load_index(client, col, info.name, settings, embeddings,
                                             self.word_table)
        self.safety = build_safety(settings, embeddings)
        if self.safety.semantic:
            self.safety.semantic.warm()
        from rag.safety.language import warm

        warm()
        self._scope_from(self.index)
        self.chain: Runnable = self._build_chain()

    def _scope_from(self, index: LoadedIndex) -> None:
        """The scope guard counts what is close to these articles' sentences as in scope."""
        if self.safety.semantic and index.sentence_vectors:
            self.safety.semantic.set_article_vectors(
                np.stack(list(index.sentence_vectors.values())))

    def _build_chain(self) -> Runnable:
        return (RunnableLambda(self._embed_step) | RunnableLambda(self._safety_step)
                | RunnableLambda(self._retrieve_step) | RunnableLambda(self._compose_step))

    # The current index's parts, for the evaluation and tests.
    @property
    def chunks(self) -> dict[str, Document]:
        return self.index.chunks

    @property
    def retriever(self) -> HybridRetriever:
        return self.index.retriever

    @property
    def coverage(self) -> Coverage:
        return self.index.coverage

    def reload(self, stale: LoadedIndex | None = None) -> None:
        """Pick up the index a later `knotbot ingest` made active. With ``stale`` (the
        snapshot a failed search used), only if nobody has replaced it meanwhile: many
        questions failing at once cause one reload, not one each."""
        from rag.store import connect, open_active

        with self._lock:
            if stale is not None and self.index is not stale:
                return
            client = connect(self.settings)
            col, info = open_active(client, self.settings)
            index = load_index(client, col, info.name, self.settings, self.embeddings,
                               self.word_table)
            self.index = index
            self._scope_from(index)

    def _search(self, query: str, index: LoadedIndex
                ) -> tuple[list[Document], str, LoadedIndex]:
        """Retrieve; if the index changed under us, reload once and answer from the new one
        (returned, so the composer scores with the same version). Never lose the safety."""
        def why(err: Exception) -> str:
            return str(err) if isinstance(err, KnotbotError) else \
                f"{type(err).__name__}: run `knotbot ingest` and restart"

        for attempt in (1, 2):
            try:
                return index.retriever.invoke(query), "", index
            except Exception as err:  # Chroma raises several kinds (NotFound, connection)
                if attempt == 2:
                    return [], why(err), index
                try:
                    self.reload(stale=index)
                except Exception as reload_err:  # noqa: BLE001 - the safety block must stand
                    return [], why(reload_err), index
                index = self.index
        return [], "", index

    # --- the steps of the chain ---------------------------------------------------------
    def _embed_step(self, state: dict[str, Any]) -> dict[str, Any]:
        t0 = time.perf_counter()
        self.embeddings.embed_query(state["question"])  # cached for triage and retrieval
        self.safety.prepare(state["question"], state["history"])  # the learned layer's pieces
        state["index"] = self.index  # this question's snapshot, whatever reloads meanwhile
        state["t_embed"] = time.perf_counter() - t0
        return state

    def _safety_step(self, state: dict[str, Any]) -> dict[str, Any]:
        t0 = time.perf_counter()
        state["safety"] = self.safety.assess(state["question"], state["history"])
        state["t_triage"] = time.perf_counter() - t0
        return state

    def _query(self, question: str, history: list[Turn], plain: bool, coverage: Coverage
               ) -> str:
        earlier = [t.content for t in history if t.role == "user"]
        if earlier and len(question.split()) < 14 and FOLLOW_UP.search(question.lower()):
            before = earlier[-1][: self.settings.max_question_chars]
            if plain:  # keep what the earlier turn asked that the articles cover: "is gua
                # sha good?" adds nothing to "and how long should I hold it?" but noise
                before = coverage.check(before).covered
            return f"{before} {question}".strip()
        return question

    def _retrieve_step(self, state: dict[str, Any]) -> dict[str, Any]:
        t0 = time.perf_counter()
        res: SafetyResult = state["safety"]
        level = res.triage.level
        index: LoadedIndex = state["index"]
        state["query"] = state["question"]
        if level == "out_of_scope":
            state["docs"] = []
        elif level == "emergency":
            state["docs"] = index.doctor_docs
        else:
            # Only when the safety stage has not spoken to the person's situation: with a
            # red flag or a press verdict, the question's words are the person's, not a topic.
            plain = massage_allowed(res.triage, res.press_check)
            gap = index.coverage.check(state["question"]) if plain else Gap(state["question"], [])
            state["uncovered"] = gap.terms
            # Answer only the sentences the articles may cover.
            # Typos mended ("sholder"), so a misspelt question finds what the right one does.
            covered = index.coverage.respell(gap.covered)
            state["query"] = self._query(covered, state["history"], plain, index.coverage) \
                if covered else ""
            state["docs"], state["search_error"], state["index"] = (
                self._search(state["query"], index) if state["query"] else ([], "", index))
        state["t_retrieve"] = time.perf_counter() - t0
        return state

    def _compose_step(self, state: dict[str, Any]) -> Answer:
        t0 = time.perf_counter()
        res: SafetyResult = state["safety"]
        # Emergency and urgent answers may quote only get-help and what-to-avoid sentences,
        # so any of them backs the verdict up; elsewhere a weak match is left out.
        red_flag = res.triage.level in ("emergency", "urgent")
        text, body, citations = compose(
            state["query"], res.triage, res.press_check, state["docs"],
            state["index"].score_sentences,
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
