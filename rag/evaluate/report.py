"""Markdown for the report file and the headline tables printed to the terminal."""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rag.evaluate.data import HELD_OUT
from rag.evaluate.metrics import RankingScores, Rate
from rag.evaluate.safety import LEVELS, SafetyNumbers
from rag.evaluate.sealed import side_by_side
from rag.evaluate.speed import STAGES

if TYPE_CHECKING:
    from rag.evaluate.runner import Bar, Results


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "n/a"


def bars_table(checks: Sequence[Bar]) -> str:
    return table(["bar", "target", "value", "met"],
                 [[b.name, b.target, b.value, "yes" if b.passed else "**NO**"] for b in checks])


def retrieval_table(k: RankingScores, b: RankingScores, unanswerable: Rate, answerable: Rate,
                    levels: Counter[str] | None = None) -> str:
    rows: list[list[object]] = [[name, f"{x:.3f}", f"{y:.3f}", _ratio(x, y)] for name, x, y in (
        ("Recall@1", k.at(1), b.at(1)), ("Recall@4", k.at(4), b.at(4)),
        ("MRR@10", k.mrr, b.mrr), ("nDCG@10", k.ndcg, b.ndcg))]
    rows.append(["questions", k.questions, b.questions, ""])
    rows.append(["chunks in the index", k.chunks, b.chunks, ""])
    rows.append(["answer span inside one chunk", f"{k.reachable}/{k.questions}",
                 f"{b.reachable}/{b.questions}", ""])
    rows.append(["unanswerable: says \"the articles don't cover …\"",
                 str(unanswerable), "0.0% (always answers)", ""])
    rows.append(["answerable: wrongly says \"don't cover\"", str(answerable), "0.0%", ""])
    if levels is not None:
        rows.append(["answerable: refused as out of scope",
                     str(Rate(levels.get("out_of_scope", 0), sum(levels.values()))), "0.0%", ""])
    return table(["metric", "Knotbot", "Baseline (LangChain tutorial)", "ratio"], rows)


def retrieval_sections(r: Results) -> list[str]:
    parts = ["## Retrieval: Knotbot vs baseline",
             retrieval_table(r.knotbot, r.baseline, r.unanswerable_declined,
                             r.answerable_declined, r.retrieval_levels),
             retrieval_levels_line(r)]
    if r.typos:
        t = r.typos
        parts += ["## Misspelt questions (evals/retrieval, two typos each)",
                  table(["metric", "typos mended (Knotbot)", "typos as typed"], [
                      ["Recall@1", f"{t.knotbot.at(1):.3f}", f"{t.as_typed.at(1):.3f}"],
                      ["Recall@4", f"{t.knotbot.at(4):.3f}", f"{t.as_typed.at(4):.3f}"],
                      ["MRR@10", f"{t.knotbot.mrr:.3f}", f"{t.as_typed.mrr:.3f}"],
                      ["answered \"the articles don't cover …\" (all answerable)",
                       str(t.declined), ""],
                      ["key phrase in the quoted answer", str(t.useful), ""]]),
                  "Each development question with one typo (a letter dropped, swapped, doubled "
                  "or a vowel changed) in each of two longer words, from a fixed seed "
                  "(`rag/evaluate/typos.py`), e.g. " + "; ".join(
                      f"\"{q.question}\"" for q in t.questions[:3]) + ". The pipeline "
                  "mends a word that is not English and is one or two letters from an "
                  "article word or an everyday one; the second column is the retriever on "
                  "the question exactly as typed."]
    for h in r.held_out:
        parts += [f"## Retrieval held out (evals/{h.name}, written blind)",
                  retrieval_table(h.knotbot, h.baseline, h.unanswerable_declined,
                                  h.answerable_declined),
                  "Written by a helper who read only the two articles, never the system or "
                  f"another set. {HELD_OUT.get(h.name, '')}"]
    return parts


def retrieval_levels_line(r: Results) -> str:
    counts = ", ".join(f"{lv} {r.retrieval_levels[lv]}" for lv in LEVELS
                       if r.retrieval_levels.get(lv))
    return (f"Triage levels given to the {len(r.sets.retrieval)} answerable retrieval questions: "
            f"{counts}. Recall@k and MRR/nDCG score the retriever alone, so they do not depend "
            "on triage.")


def scores_table(rows: Sequence[RankingScores], first: str = "configuration",
                 extra: Sequence[Sequence[object]] | None = None,
                 extra_header: Sequence[str] = ()) -> str:
    body = []
    for i, s in enumerate(rows):
        row: list[object] = [s.name, f"{s.at(1):.3f}", f"{s.at(4):.3f}", f"{s.mrr:.3f}",
                             f"{s.ndcg:.3f}"]
        body.append(row + list(extra[i] if extra else []))
    return table([first, "Recall@1", "Recall@4", "MRR@10", "nDCG@10", *extra_header], body)


def safety_rows(s: SafetyNumbers, b: SafetyNumbers, holdout: bool = False) -> list[list[str]]:
    rows = [["Red-flag recall (all classes)", str(s.red_flag_recall), str(b.red_flag_recall)],
            ["False alarms on ordinary questions", str(s.false_alarms), str(b.false_alarms)],
            ["Press-check accuracy (exact verdict)", str(s.press_accuracy),
             str(b.press_accuracy)],
            ["Press questions: level caught", str(s.press_level_caught),
             str(b.press_level_caught)]]
    if not holdout:
        rows += [["Near-miss alarm rate (expected self_care)", str(s.near_miss_alarms),
                  str(b.near_miss_alarms)],
                 ["Near-miss real flags caught", str(s.near_miss_caught),
                  str(b.near_miss_caught)],
                 ["Off-topic refusal rate", str(s.off_topic_refused), str(b.off_topic_refused)],
                 ["Injection success rate (lower is better)", str(s.injection_success),
                  str(b.injection_success)],
                 ["Multi-turn recall", str(s.multi_turn_recall), str(b.multi_turn_recall)]]
    return rows


def per_class_table(s: SafetyNumbers, b: SafetyNumbers) -> str:
    return table(["red-flag class", "Knotbot", "Baseline (no triage)"],
                 [[c, str(v), str(b.per_class.get(c, Rate(0, 0)))]
                  for c, v in s.per_class.items()])


def confusion_table(s: SafetyNumbers) -> str:
    header = ["expected \\ predicted", *LEVELS, "total"]
    rows = []
    for e in LEVELS:
        counts = [s.confusion.get((e, p), 0) for p in LEVELS]
        if sum(counts):
            rows.append([e, *counts, sum(counts)])
    return table(header, rows)


def _misses(items: Sequence[str], limit: int = 15) -> str:
    if not items:
        return "None."
    more = f"\n- … and {len(items) - limit} more" if len(items) > limit else ""
    return "\n".join(f"- {m}" for m in items[:limit]) + more


def faith_table(r: Results) -> str:
    f = r.faith
    return table(["metric", "value"], [
        [f"Quoted sentences found verbatim in the cited passage ({f.answers} answers)",
         str(f.quotes_found)],
        ["[n] markers that resolve to a citation", str(f.markers_resolved)],
        ["Answerable retrieval questions with >= 1 citation", str(f.answers_cited)],
        ["Usefulness: key phrase in the quoted answer", str(f.key_phrase_in_answer)],
        *[[f"Usefulness, {h.name}: key phrase in the quoted answer", str(h.useful)]
          for h in r.held_out],
        ["Key phrase in the cited passages", str(f.key_phrase_in_sources)]])


def shape_section(r: Results) -> list[str]:
    header, rows = r.shapes
    if not rows:
        return []
    return ["## Answers by question shape", table(header, rows),
            "Usefulness is the key phrase in the answer, by the shape the rules in "
            "`rag/answer/shape.py` read in the question. \"Declined\" is \"the articles don't "
            "cover …\" or an out-of-scope refusal; \"named\" is a line saying the articles "
            "don't mention the question's subject, followed by what they say nearby."]


def speed_table(r: Results) -> str:
    lat = r.latency
    if r.cold is None:
        cold = "skipped (fast mode)"
    else:
        cold = r.cold.note if r.cold.seconds is None else f"{r.cold.seconds:.2f} s" + (
            "" if r.cold.note == "ok" else f" ({r.cold.note})")
    rows: list[list[object]] = [["Cold start: `knotbot ask \"…\" --json`, new process", cold]]
    for stage in STAGES:
        label = "embed (the question, once; shared by triage and retrieval)" \
            if stage == "embed" else stage
        rows.append([f"Warm {label}: median / p95 ({lat.questions} questions)",
                     f"{lat.median(stage):.1f} ms / {lat.p95(stage):.1f} ms"])
    ing = r.ingest
    speed = ing.chunks_embedded / ing.seconds if ing.seconds else 0.0
    rows += [["Ingest throughput (--rebuild into a temp dir, model already loaded)",
              f"{speed:.1f} chunks/s ({ing.chunks_embedded} chunks in {ing.seconds:.2f} s)"],
             ["Peak memory (maxrss of the eval process)", f"{r.peak_mb:.0f} MB"],
             ["Index on disk", f"{r.index_mb:.1f} MB ({r.knotbot.chunks} chunks)"],
             ["Machine load average (1 min) at start / end of the run",
              f"{r.load[0]:.1f} / {r.load[1]:.1f} on {os.cpu_count()} CPUs"]]
    return table(["measure", "value"], rows)


def typo_safety_section(r: Results) -> list[str]:
    t = r.typo_safety
    if t is None:
        return []
    misses = "; ".join(t.misses[:15]) or "none"
    return ["## Safety with typos (evals/safety red flags and ordinary, two typos each)",
            table(["metric", "Knotbot (triage alone)"], [
                ["Red-flag recall", str(t.red_flag_recall)],
                ["False alarms on ordinary questions", str(t.false_alarms)]]),
            "The same questions with one typo in each of two longer words (fixed seed, "
            f"`rag/evaluate/typos.py`): people in pain type in a hurry. Misses: {misses}."]


def blind_section(r: Results) -> list[str]:
    """Every safety figure with a column per set: the team's own and those written blind."""
    if not r.safety_columns:
        return []
    header, rows = side_by_side(r.safety_columns)
    typo = [[f"seed {seed}", str(n.red_flag_recall), str(n.false_alarms)]
            for seed, n in r.typo_seeds.items()]
    return ["## Safety: own sets beside sets written blind",
            "The blind sets were written from `red-flags.md` alone by helpers who never saw "
            "the rules, the training data or the other sets (see `evals/safety_blind*/README.md`"
            " for when each was first run).",
            table(header, rows),
            "## Typo'd red flags (evals/safety red flags and ordinary, two typos each)",
            table(["seed", "red-flag recall", "false alarms"], typo)]


def headline(r: Results, checks: Sequence[Bar]) -> str:
    s, b, h, hb = r.safety, r.safety_baseline, r.holdout, r.holdout_baseline
    return "\n\n".join([
        "## Bars", bars_table(checks),
        *retrieval_sections(r),
        "## Safety (evals/safety)",
        table(["metric", "Knotbot", "Baseline (no triage)"], safety_rows(s, b)),
        "## Safety holdout (evals/safety_holdout, written independently)",
        table(["metric", "Knotbot", "Baseline (no triage)"], safety_rows(h, hb, True)),
        *typo_safety_section(r),
        *blind_section(r),
        "## Faithfulness and usefulness", faith_table(r),
        *shape_section(r),
        "## Speed and size", speed_table(r),
        f"Evaluation took {r.seconds:.0f} s" + (" (fast mode)." if r.fast else "."),
    ])


def render(r: Results, checks: Sequence[Bar]) -> str:
    st = r.settings
    parts = [
        "# Knotbot evaluation report",
        f"Generated {time.strftime('%Y-%m-%d %H:%M')}"
        + (" in **fast mode** (no ablations, sweeps, cold start or charts)" if r.fast else "")
        + f". Settings: chunk_max_chars={st.chunk_max_chars}, retrieval_k={st.retrieval_k}, "
        f"fusion={st.fusion_method} (dense weight {st.fusion_dense_weight}), "
        f"faq_weight={st.faq_weight}, mmr_lambda={st.mmr_lambda}, "
        f"answer_threshold={st.answer_threshold}. "
        f"{len(r.sets.retrieval)} retrieval questions, {len(r.sets.cases)} questions in all.",
        "A retrieved chunk is relevant when it contains the question's answer span "
        "(bullets unmarked, whitespace collapsed). Recall@k is the share of questions with a "
        "relevant chunk in the top k. The baseline is RecursiveCharacterTextSplitter(1000, 200) "
        "over the raw Markdown, the same MiniLM embeddings, Chroma similarity top-k. "
        "For the accuracy runs, question vectors are computed in batches first (they agree "
        "with one-at-a-time vectors to ~1e-7); everything else runs as in production. "
        "Latency is measured on a separate pass with nothing prefetched or cached.",
        headline(r, checks),
    ]
    if r.ablations:
        parts += ["## Retrieval ablations (signals × FAQ matching)",
                  scores_table(r.ablations, "signals")]
    if r.fusion:
        parts += ["## Sweep: fusion method and dense weight", scores_table(r.fusion)]
    if r.rerank:
        parts += [f"## Sweep: reranking the first {r.settings.rerank_depth} passages",
                  "Fusion chooses the passages; the reranker reorders the first few by "
                  "late interaction with the whole passage and with its best sentence "
                  "(weights below; the fused score counts 1). Which passages are in the first "
                  f"{r.settings.rerank_depth} never changes, so neither does Recall@"
                  f"{r.settings.rerank_depth}.",
                  scores_table(r.rerank)]
    if r.chunk_sweep:
        extra = [[s.chunks, f"{s.reachable}/{s.questions}", f"{rep.seconds:.1f} s"]
                 for s, rep in r.chunk_sweep]
        parts += ["## Sweep: chunk size (one fresh index each)",
                  scores_table([s for s, _ in r.chunk_sweep], extra=extra,
                               extra_header=["chunks", "span in one chunk", "ingest"])]
    parts += [
        "## Red-flag recall per class (evals/safety)",
        per_class_table(r.safety, r.safety_baseline),
        "## Confusion matrix (evals/safety, every case with an expected level)",
        confusion_table(r.safety),
        "False alarms on ordinary questions, by predicted level: "
        + (", ".join(f"{k}: {v}" for k, v in r.over_triage.items()) or "none") + ".",
        "## Misses (evals/safety): under-triage or wrong press verdict",
        _misses(r.safety.misses),
        "## False alarms (expected self_care, predicted another level; evals/safety)",
        _misses(r.safety.alarms),
        "## Holdout: red-flag recall per class", per_class_table(r.holdout, r.holdout_baseline),
        "## Holdout: confusion matrix", confusion_table(r.holdout),
        "## Holdout misses", _misses(r.holdout.misses),
        "## Holdout false alarms", _misses(r.holdout.alarms),
        "## Faithfulness failures", _misses(r.faith.failures),
        "## Time spent by this evaluation",
        table(["stage", "seconds"], [[k, f"{v:.1f}"] for k, v in r.stages.items()]),
    ]
    if r.charts:
        parts += ["## Charts", "\n\n".join(f"![{p.stem}]({p.name})" for p in r.charts)]
    return "\n\n".join(parts) + "\n"
