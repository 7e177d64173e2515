"""The answer chain: safety stage -> retrieval -> composer, as a LangChain runnable."""

from __future__ import annotations

import threading
import time
from functools import cache, partial
from typing import Any

import numpy as np
from langchain_core.documents import Document
from langchain_core.runnables import Runnable, RunnableLambda

from rag.answer import ask_for, core_words
from rag.compose import compose, massage_allowed, safety_block
from rag.coverage import Coverage, Gap, words_of
from rag.errors import QuestionError, StoreError
from rag.live import LOADING, LiveIndex, reason
from rag.loaded import LoadedIndex
from rag.models import Answer, Option, PressForm, Timings, Triage, Turn
from rag.question import clean_question
from rag.retrieval import HybridRetriever
from rag.safety import SafetyResult, build_safety
from rag.safety.lexicon import load_yaml
from rag.safety.normalise import read_as_said
from rag.safety.triage import FOLLOW_UP
from rag.settings import Settings
from rag.store import is_unreachable
from rag.wordtable import load_word_table


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


UNREACHABLE = ("I can't search the articles right now, so this answer has no quotes from them. "
               "Please try again in a few minutes.")


def _no_scores(question: str, sentences: Any) -> list[float]:
    return [0.0 for _ in sentences]


def _one_blas_thread() -> None:
    """NumPy's matrix products here are tiny; OpenBLAS's idle threads spin for a while
    after each one, and on two cores that starves the model's next forward pass (the
    median answer took 45 ms instead of 25)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def _warm_rules(settings: Settings) -> None:
    """The safety stage's lexicon (its regular expressions, compiled from the programs
    kept in the cache folder: `rag.safety.compiled`) and word lists, built into their
    caches now; `build_safety` then finds them ready."""
    from rag.safety import compiled
    from rag.safety.lexicon import load_lexicon
    from rag.safety.normalise import english_vocabulary, forms_of

    compiled.use_cache(settings.cache_dir)
    load_lexicon().scan  # noqa: B018 - the sign patterns' prefilter, built now (0.2 s)
    compiled.save()
    english_vocabulary(settings.model_path())
    forms_of(frozenset())  # reads wordfreq's English list once


class KnotbotPipeline:
    """Loads the model and the safety stage, then the index; answers many questions.

    Safety needs no store: the pipeline is built even when the store is down, hung or
    damaged, and answers every question with its safety block. The index is opened in
    this thread (``background=False``, the CLI) or beside the requests (the app), and
    refreshed in the background (`rag.live`), never inside a person's request.
    """

    def __init__(self, settings: Settings, embeddings: Any = None,
                 background: bool = False) -> None:
        self.settings = settings
        _one_blas_thread()
        from rag import wordlists

        wordlists.install_english(settings.cache_dir)  # before anything reads English
        warming = self._warm_languages(settings, background)
        from rag.embeddings import PendingEmbeddings

        if embeddings is None:
            embeddings = PendingEmbeddings(settings)
        if isinstance(embeddings, PendingEmbeddings):
            _warm_rules(settings)  # while onnxruntime builds its session
            embeddings = embeddings.result()
        self.embeddings = embeddings
        self.word_table = load_word_table(settings.cache_dir, settings.model_path(),
                                          settings.expansion_words, embeddings)
        self.safety = build_safety(settings, embeddings)
        if self.safety.semantic:
            self.safety.semantic.warm()
        self.chain: Runnable = self._build_chain()
        # Replaced whole, never changed: each question keeps the snapshot it started with.
        self.live = LiveIndex(settings, embeddings, self.word_table, self._scope_from)
        if background:
            self.live.refresh_soon(now=True)
        else:
            self.live.refresh()
        if warming is not None:
            warming.join()

    @staticmethod
    def _warm_languages(settings: Settings, background: bool) -> threading.Thread | None:
        """The language check's word lists read from their files (`rag.wordlists`): in
        the app beside the rest of the start (it builds missing files first), in the CLI
        here (it opens files; py3langid's model loads only for a message that needs it,
        or, when the English-first words are missing, beside the index opening, and the
        CLI waits for it before answering)."""
        from rag import wordlists

        langs = wordlists.other_languages()
        if background:
            target: Any = partial(wordlists.warm, settings.cache_dir)
        elif set(wordlists.install(settings.cache_dir, langs)) != set(langs):
            return None  # the CLI without the files: one list loads when a message needs it
        elif wordlists.english_first_words()[1]:
            return None
        else:
            from rag.safety.language import warm

            target = warm
        thread = threading.Thread(target=target, name="knotbot language lists", daemon=True)
        thread.start()
        return None if background else thread

    @property
    def index(self) -> LoadedIndex:
        """The serving index version; StoreError (saying why) while there is none."""
        index = self.live.index
        if index is None:
            raise StoreError(f"the articles can't be searched: {self.live.error}")
        return index

    def _scope_from(self, index: LoadedIndex) -> None:
        """The scope guard counts what is close to these articles' sentences as in scope,
        and a question using their own terms."""
        self.safety.use_articles(index.coverage.vocabulary,
                                 index.coverage.own_terms(core_words(index)),
                                 index.sentence_vectors)
        if self.safety.semantic and index.sentence_vectors:
            self.safety.semantic.set_article_vectors(
                np.stack(list(index.sentence_vectors.values())))

    def _build_chain(self) -> Runnable:
        """One runnable over the four steps: as a sequence of four, LangChain's own work
        (config, callbacks, each step's signature read again) cost about 0.7 ms of CPU a
        question, what one costs four times over."""
        return RunnableLambda(self._steps, name="knotbot")

    def _steps(self, state: dict[str, Any]) -> Answer:
        return self._compose_step(self._retrieve_step(self._safety_step(
            self._embed_step(state))))

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
        """Pick up the index a later `knotbot ingest` made active, in this thread (the app
        does it in the background by itself). With ``stale``, only if that snapshot is
        still the one serving."""
        if stale is not None and self.live.index is not stale:
            return
        self.live.refresh(wait=60.0)

    def _search(self, query: str, index: LoadedIndex
                ) -> tuple[list[Document], str, LoadedIndex]:
        """Retrieve within the store's deadline. A store that is down or hung: no articles
        (and none asked for until it is back). The version gone or damaged, or the new one
        unreadable: this question searched exactly over the snapshot's own vectors, and the
        new version loaded in the background."""
        if self.live.error and self.live.unreachable:
            return [], self.live.error, index
        # Deeper than retrieval_k for the answer's sentences: MMR picks greedily and the
        # reranker reorders only the first few, so the first retrieval_k are unchanged.
        retriever = index.retriever.model_copy(
            update={"k": max(index.retriever.k, self.settings.answer_depth)})
        if not self.live.error:
            try:
                return retriever.invoke(query), "", index
            except Exception as err:  # Chroma raises several kinds (NotFound, connection)
                unreachable = is_unreachable(err)
                self.live.failed("search", err, unreachable)
                if unreachable:
                    return [], reason(err), index
        try:
            return retriever.model_copy(update={"use_store": False}).invoke(query), "", index
        except Exception as err:  # noqa: BLE001 - the safety block must stand
            return [], reason(err), index

    # --- the steps of the chain ---------------------------------------------------------
    def _embed_step(self, state: dict[str, Any]) -> dict[str, Any]:
        t0 = time.perf_counter()
        # The question (for triage and retrieval) and the learned layer's pieces, in one
        # model call.
        self.safety.prepare(state["question"], state["history"], self.embeddings)
        state["index"] = self.live.index  # this question's snapshot, whatever reloads meanwhile
        self.live.refresh_soon()  # a new version from `knotbot ingest`? (background, rate-limited)
        state["t_embed"] = time.perf_counter() - t0
        return state

    def _safety_step(self, state: dict[str, Any]) -> dict[str, Any]:
        t0 = time.perf_counter()
        state["safety"] = self.safety.assess(state["question"], state["history"])
        state["t_triage"] = time.perf_counter() - t0
        return state

    def _query(self, question: str, history: list[Turn], plain: bool, coverage: Coverage,
               core: frozenset[str] = frozenset()) -> str:
        earlier = [t.content for t in history if t.role == "user"]
        # Short, or naming none of the articles' topic words however long ("my gf says it's
        # cause i don't drink enough water, is she right?"): about the earlier question.
        on_its_own = len(question.split()) >= 14 and bool(set(words_of(question)) & core)
        if earlier and not on_its_own and FOLLOW_UP.search(question.lower()):
            before = earlier[-1][: self.settings.max_question_chars]
            if plain:  # keep what the earlier turn asked that the articles cover: "is gua
                # sha good?" adds nothing to "and how long should I hold it?" but noise
                before = coverage.check(before).covered
            return f"{before} {question}".strip()
        # Naming nothing of the topic but a pronoun, a first question is about the knot,
        # as the safety stage read it ("will this thing ever go away?").
        topical = self.safety.as_topic(question.lower()) if plain and not earlier else ""
        return topical or question

    def _retrieve_step(self, state: dict[str, Any]) -> dict[str, Any]:
        t0 = time.perf_counter()
        res: SafetyResult = state["safety"]
        level = res.triage.level
        index: LoadedIndex | None = state["index"]
        state["query"] = state["question"]
        asked = state["asked"] = read_as_said(state["question"])  # "fur ma neck": for my neck
        if level == "out_of_scope" or res.crisis_only:  # no article is for a crisis
            state["docs"] = []
        elif index is None:  # safety still answers; the articles are not there yet
            state["docs"], state["search_error"] = [], self.live.error or LOADING
        elif level == "emergency":
            state["docs"] = index.doctor_docs
        else:
            # Only when the safety stage has not spoken to the person's situation: with a
            # red flag or a press verdict, the question's words are the person's, not a topic.
            plain = massage_allowed(res.triage, res.press_check)
            gap = index.coverage.check(asked, core_words(index)) if plain \
                else Gap(asked, [])
            state["uncovered"] = gap.terms
            # Answer only the sentences the articles may cover.
            # Typos mended ("sholder"), so a misspelt question finds what the right one does.
            covered = index.coverage.respell(gap.covered)
            state["query"] = self._query(covered, state["history"], plain, index.coverage,
                                         core_words(index)) if covered else ""
            found, state["search_error"], state["index"] = (
                self._search(state["query"], index) if state["query"] else ([], "", index))
            k = self.settings.retrieval_k
            state["docs"], state["deeper"] = found[:k], found[k:]
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
            state["index"].score_sentences if state["index"] else _no_scores,
            threshold=-1.0 if red_flag else self.settings.answer_threshold,
            max_sentences=self.settings.answer_max_sentences,
            uncovered=state.get("uncovered", ()), deeper=state.get("deeper", ()),
            ask=ask_for(state.get("asked", state["question"]), state["history"], state["index"],
                        state.get("uncovered", ())))
        if state.get("search_error"):
            head = safety_block(res.triage, res.press_check)
            body = UNREACHABLE + (" The safety advice above still stands." if head else "")
            text = "\n\n".join(p for p in (head, body) if p)
        if state["index"] is not None:
            state["index"].release_pages()
        t_compose = time.perf_counter() - t0
        timings = Timings(embed=state["t_embed"] * 1e3, triage=state["t_triage"] * 1e3,
                          retrieve=state["t_retrieve"] * 1e3, compose=t_compose * 1e3)
        timings.total = (time.perf_counter() - state["t_start"]) * 1e3
        return Answer(question=state["question"], triage=res.triage,
                      press_check=res.press_check, answer=text, citations=citations,
                      body=body, timings_ms=timings, search_error=state.get("search_error", ""))

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
