"""Runs every evaluation once, in one process, reusing one loaded model, and checks the bars."""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from langchain_core.embeddings import Embeddings

from rag.evaluate import retrieval as rt
from rag.evaluate import safety as sf
from rag.evaluate import speed as sp
from rag.evaluate.answers import shape_columns
from rag.evaluate.data import (
    EVALS_DIR,
    SAFETY_SETS,
    EvalSets,
    RetrievalQuestion,
    load_sets,
    unanswerable_group,
)
from rag.evaluate.faithfulness import Faithfulness, faithfulness, key_phrase_quoted
from rag.evaluate.metrics import RankingScores, Rate, rate
from rag.evaluate.prefetch import PrefetchedEmbeddings
from rag.evaluate.sealed import SealedNumbers, safety_columns
from rag.evaluate.typos import SEED, misspelt, misspelt_cases
from rag.ingest import IngestReport
from rag.models import Answer
from rag.pipeline import KnotbotPipeline, as_turns
from rag.settings import Settings

DECLINED = "don't cover"
CHUNK_SIZES = (300, 500, 800)
FUSION_WEIGHTS = (0.4, 0.6, 0.8)
LATENCY_QUESTIONS = 200


@dataclass
class HeldOut:
    """One held-out retrieval set (rag.evaluate.data.HELD_OUT), scored like the dev set."""

    name: str
    knotbot: RankingScores
    baseline: RankingScores
    unanswerable_declined: Rate
    answerable_declined: Rate
    useful: Rate  # key phrase in the quoted answer


@dataclass
class Misspelt:
    """The development questions with two typos each (rag.evaluate.typos)."""

    questions: list[RetrievalQuestion]
    knotbot: RankingScores  # the retriever on the question as the pipeline mends it
    as_typed: RankingScores  # the retriever on the raw misspelt question
    declined: Rate  # answered "the articles don't cover ..."
    useful: Rate  # key phrase in the quoted answer


@dataclass
class Results:
    settings: Settings
    fast: bool
    sets: EvalSets
    knotbot: RankingScores
    baseline: RankingScores
    ablations: list[RankingScores]
    unanswerable_declined: Rate
    answerable_declined: Rate
    held_out: list[HeldOut]
    safety: sf.SafetyNumbers
    safety_baseline: sf.SafetyNumbers
    holdout: sf.SafetyNumbers
    holdout_baseline: sf.SafetyNumbers
    over_triage: Counter[str]
    retrieval_levels: Counter[str]
    faith: Faithfulness
    latency: sp.Latency
    ingest: IngestReport
    index_mb: float
    fusion: list[RankingScores] = field(default_factory=list)
    rerank: list[RankingScores] = field(default_factory=list)
    knotbot_unranked: RankingScores | None = None  # the same retriever, reranker off
    typos: Misspelt | None = None
    typo_safety: sf.SafetyNumbers | None = None  # red flags and ordinary, two typos each
    chunk_sweep: list[tuple[RankingScores, IngestReport]] = field(default_factory=list)
    cold: sp.ColdStart | None = None
    peak_mb: float = 0.0
    load: tuple[float, float] = (0.0, 0.0)
    stages: dict[str, float] = field(default_factory=dict)
    charts: list[Path] = field(default_factory=list)
    safety_columns: dict[str, SealedNumbers] = field(default_factory=dict)
    typo_seeds: dict[int, sf.SafetyNumbers] = field(default_factory=dict)
    shapes: tuple[list[str], list[list[str]]] = ([], [])  # answers by question shape

    def held(self, name: str) -> HeldOut | None:
        return next((h for h in self.held_out if h.name == name), None)

    @property
    def seconds(self) -> float:
        return sum(self.stages.values())


@dataclass(frozen=True)
class Bar:
    name: str
    target: str
    value: str
    passed: bool


def bars(r: Results) -> list[Bar]:
    """The release bars; ``run_eval`` exits non-zero when any is missed."""
    red, fa, f = r.safety.red_flag_recall, r.safety.false_alarms, r.faith
    return [
        Bar("Red-flag recall (evals/safety)", "100%", str(red), red.den > 0 and red.num == red.den),
        Bar("False alarms on ordinary questions", "<= 5%", str(fa),
            fa.den > 0 and fa.value <= 0.05),
        Bar("Faithfulness: quoted sentences found verbatim", "100%", str(f.quotes_found),
            f.quotes_found.num == f.quotes_found.den),
        Bar("Faithfulness: [n] markers resolve to a citation", "100%", str(f.markers_resolved),
            f.markers_resolved.num == f.markers_resolved.den),
        Bar("Retrieval Recall@4 (Knotbot)", ">= 0.95", f"{r.knotbot.at(4):.3f}",
            r.knotbot.at(4) >= 0.95),
        Bar("Retrieval MRR@10 (Knotbot)", ">= 0.85", f"{r.knotbot.mrr:.3f}",
            r.knotbot.mrr >= 0.85),
    ]


@contextmanager
def _stage(stages: dict[str, float], name: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        stages[name] = stages.get(name, 0.0) + time.perf_counter() - start


def answer_all(pipeline: KnotbotPipeline, sets: EvalSets) -> dict[tuple[str, str], Answer]:
    return {(c.group, c.id): pipeline.answer(c.question, c.history or None) for c in sets.cases}


def _declined(answers: dict[tuple[str, str], Answer], group: str, sets: EvalSets) -> Rate:
    return rate([DECLINED in answers[(c.group, c.id)].answer for c in sets.group(group)])


def misspelt_scores(pipeline: KnotbotPipeline, model: PrefetchedEmbeddings, sets: EvalSets
                    ) -> Misspelt:
    questions = misspelt(sets.retrieval)
    mended = [replace(q, question=pipeline.coverage.respell(q.question)) for q in questions]
    model.prefetch([q.question for q in questions] + [q.question for q in mended])
    answers = {("typos", q.id): pipeline.answer(q.question) for q in questions}
    return Misspelt(
        questions=questions,
        knotbot=rt.knotbot_scores("Knotbot (typos mended)", pipeline, mended),
        as_typed=rt.knotbot_scores("typos as typed", pipeline, questions),
        declined=rate([DECLINED in a.answer for a in answers.values()]),
        useful=key_phrase_quoted(answers, "typos", questions))


TYPO_SEEDS = (7, 11, 13)  # 7 is the report's main seed; the others show it is no fluke


def misspelt_safety(pipeline: KnotbotPipeline, sets: EvalSets, seed: int = SEED
                    ) -> sf.SafetyNumbers:
    """Triage alone on the red-flag and ordinary questions with two typos each."""
    preds = []
    for case in misspelt_cases(sets.group("red_flags") + sets.group("ordinary"), seed):
        res = pipeline.safety.assess(case.question, as_turns(case.history or None))
        preds.append(sf.Prediction(case, res.triage.level,
                                   res.press_check.verdict if res.press_check else None))
    return sf.score(preds)


def collect(settings: Settings, embeddings: Embeddings | None = None, fast: bool = False,
            evals_dir: Path = EVALS_DIR, charts_dir: Path | None = None,
            latency_questions: int = LATENCY_QUESTIONS) -> Results:
    """Every number in the report. ``fast`` skips the ablations and sweeps, the cold start
    and the charts;
    ``latency_questions`` is how many fresh questions the warm latency pass times."""
    stages: dict[str, float] = {}
    load_before = sp.load_average()
    with _stage(stages, "load model and index"):
        if embeddings is None:
            from rag.embeddings import load_embeddings

            embeddings = load_embeddings(settings)
        model = PrefetchedEmbeddings(embeddings)
        pipeline = KnotbotPipeline(settings, embeddings=model)
        sets = load_sets(evals_dir)
    with _stage(stages, f"warm latency ({latency_questions} questions)"):
        latency = sp.warm_latency(pipeline, sp.sample(sets.cases, latency_questions))
    with _stage(stages, f"answer every question ({len(sets.cases)})"):
        model.prefetch([c.question for c in sets.cases]
                       + [t["content"] for c in sets.cases for t in c.history
                          if t.get("role") == "user"])
        answers = answer_all(pipeline, sets)
    with _stage(stages, "score safety and faithfulness"):
        safety_cases = [c for c in sets.cases if c.group in SAFETY_SETS]
        holdout_cases = sets.group("holdout")
        preds = sf.predictions(answers, safety_cases)
        safety = sf.score(preds)
        holdout = sf.score(sf.predictions(answers, holdout_cases))
        faith = faithfulness(answers, sets.cases, sets.retrieval)
        shapes = shape_columns(answers, {
            "evals/retrieval": ("retrieval", sets.retrieval, sets.group("unanswerable")),
            **{f"evals/{name}": (name, qs, sets.group(unanswerable_group(name)))
               for name, qs in sets.held_out.items()}})
    with _stage(stages, "misspelt questions"):
        typos = misspelt_scores(pipeline, model, sets)
        typo_safety = misspelt_safety(pipeline, sets)
    with _stage(stages, "safety side by side: own, holdout and blind sets"):
        columns = safety_columns(pipeline, evals_dir)
        typo_seeds = {seed: misspelt_safety(pipeline, sets, seed) for seed in TYPO_SEEDS}
    with _stage(stages, "retrieval: Knotbot, ablations, baseline"):
        knotbot = rt.knotbot_scores("Knotbot", pipeline, sets.retrieval)
        held = {name: rt.knotbot_scores(f"Knotbot ({name})", pipeline, questions)
                for name, questions in sets.held_out.items()}
        unranked = rt.knotbot_scores(f"fused, FAQ {settings.faq_weight:g}, no reranking",
                                     pipeline, sets.retrieval, reranker=None)
        ablations = [] if fast else [
            *rt.ablations(pipeline, sets.retrieval, settings.faq_weight), unranked]
    with tempfile.TemporaryDirectory(prefix="knotbot-eval-", ignore_cleanup_errors=True) as tmp:
        work = Path(tmp)
        with _stage(stages, "retrieval: Knotbot, ablations, baseline"):
            tutorial = rt.build_baseline(settings.corpus_dir, model, work / "baseline")
            baseline = rt.baseline_scores(tutorial, sets.retrieval)
            held_out = [HeldOut(
                name=name, knotbot=held[name], baseline=rt.baseline_scores(tutorial, questions),
                unanswerable_declined=_declined(answers, unanswerable_group(name), sets),
                answerable_declined=_declined(answers, name, sets),
                useful=key_phrase_quoted(answers, name, questions))
                for name, questions in sets.held_out.items()]
        fusion: list[RankingScores] = []
        rerank: list[RankingScores] = []
        sweep: list[tuple[RankingScores, IngestReport]] = []
        if not fast:
            with _stage(stages, "sweeps: fusion weights and chunk sizes"):
                fusion = rt.fusion_sweep(pipeline, sets.retrieval, FUSION_WEIGHTS)
                rerank = rt.rerank_sweep(pipeline, sets.retrieval)
                sweep = rt.chunk_sweep(settings, model, sets.retrieval, work, CHUNK_SIZES)
        with _stage(stages, "ingest throughput"):
            own = [rep for sc, rep in sweep if sc.name.endswith(rt.DEFAULT)]
            report = own[0] if own else rt.build_index(settings.model_copy(update={
                "data_dir": work / "throughput", "chroma_host": None}), embeddings)
    results = Results(
        settings=settings, fast=fast, sets=sets, knotbot=knotbot, baseline=baseline,
        ablations=ablations, unanswerable_declined=_declined(answers, "unanswerable", sets),
        answerable_declined=_declined(answers, "retrieval", sets),
        held_out=held_out, safety=safety,
        safety_baseline=sf.score(sf.no_triage(safety_cases)), holdout=holdout,
        holdout_baseline=sf.score(sf.no_triage(holdout_cases)),
        over_triage=sf.over_triage_kinds(preds), faith=faith,
        retrieval_levels=Counter(answers[("retrieval", q.id)].triage.level
                                 for q in sets.retrieval), latency=latency, ingest=report,
        index_mb=sp.disk_mb(settings.data_dir / "chroma") if not settings.chroma_host else 0.0,
        fusion=fusion, rerank=rerank, knotbot_unranked=unranked, typos=typos,
        typo_safety=typo_safety, chunk_sweep=sweep, stages=stages, safety_columns=columns,
        typo_seeds=typo_seeds, shapes=shapes)
    if not fast:
        with _stage(stages, "cold start (new process)"):
            results.cold = sp.cold_start(settings)
        if charts_dir is not None:
            with _stage(stages, "charts"):
                results.charts = draw_charts(results, charts_dir)
    results.peak_mb = sp.peak_memory_mb()
    results.load = (load_before, sp.load_average())
    return results


def draw_charts(r: Results, out_dir: Path) -> list[Path]:
    from rag.evaluate import charts

    out_dir.mkdir(parents=True, exist_ok=True)
    curves = [r.knotbot, r.baseline] + [a for a in r.ablations
                                        if a.name.startswith(("model only", "BM25 only"))
                                        and "no FAQ" not in a.name]
    return [
        charts.recall_curves(curves, out_dir / "recall_at_k.png"),
        charts.confusion_heatmaps([("evals/safety", r.safety.confusion),
                                   ("safety holdout", r.holdout.confusion)],
                                  out_dir / "confusion.png"),
        charts.latency_histogram(r.latency, out_dir / "latency.png"),
    ]


def run_eval(settings: Settings, out_dir: Path, fast: bool = False,
             embeddings: Embeddings | None = None) -> int:
    """Write ``out_dir/report.md`` (and charts unless fast), print the headline tables,
    and return 0 when every bar is met, 1 otherwise."""
    from rag.evaluate.report import headline, render

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    results = collect(settings, embeddings, fast=fast, charts_dir=None if fast else out_dir)
    checks = bars(results)
    (out_dir / "report.md").write_text(render(results, checks), encoding="utf-8")
    print(headline(results, checks))
    print(f"\nreport written to {out_dir / 'report.md'}")
    return 0 if all(b.passed for b in checks) else 1
