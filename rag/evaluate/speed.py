"""Speed and size: cold start, warm per-stage latency, ingest throughput, memory, disk."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rag.evaluate.data import Case
from rag.evaluate.metrics import percentile
from rag.pipeline import KnotbotPipeline
from rag.settings import Settings

STAGES = ("embed", "triage", "retrieve", "compose", "total")
COLD_QUESTION = "how do I get rid of a knot in my neck?"


@dataclass
class ColdStart:
    seconds: float | None
    note: str


@dataclass
class Latency:
    samples: dict[str, list[float]]

    def median(self, stage: str) -> float:
        return percentile(self.samples[stage], 50)

    def p95(self, stage: str) -> float:
        return percentile(self.samples[stage], 95)

    @property
    def questions(self) -> int:
        return len(self.samples["total"])


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment that makes a child process build the same Settings."""
    env = dict(os.environ)
    for key in list(env):
        if key.startswith("KNOTBOT_"):
            del env[key]
    for name, value in settings.model_dump().items():
        if value is not None:
            env[f"KNOTBOT_{name.upper()}"] = str(value)
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("TRANSFORMERS_OFFLINE", "1")
    env.setdefault("TOKENIZERS_PARALLELISM", "false")
    return env


def knotbot_command() -> list[str]:
    script = Path(sys.executable).parent / "knotbot"
    return [str(script)] if script.exists() else [sys.executable, "-m", "rag"]


def cold_start(settings: Settings, question: str = COLD_QUESTION,
               timeout: float = 120.0) -> ColdStart:
    """Wall time of ``knotbot ask "..." --json`` in a new process, to its exit."""
    cmd = [*knotbot_command(), "ask", question, "--json"]
    start = time.perf_counter()
    try:
        done = subprocess.run(cmd, env=settings_env(settings), capture_output=True, text=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return ColdStart(None, f"timed out after {timeout:.0f} s")
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return ColdStart(None, f"`knotbot ask --json` exited {done.returncode}: {last[:160]}")
    try:
        json.loads(done.stdout)
    except ValueError:
        return ColdStart(seconds, "exited 0 but did not print JSON")
    return ColdStart(seconds, "ok")


def sample(cases: Sequence[Case], n: int = 200) -> list[Case]:
    """``n`` cases spread evenly over all sets, deterministic."""
    if len(cases) <= n:
        return list(cases)
    step = len(cases) / n
    return [cases[int(i * step)] for i in range(n)]


def warm_latency(pipeline: KnotbotPipeline, cases: Sequence[Case]) -> Latency:
    """Per-stage timings of questions the (loaded) pipeline has not seen before.

    Prefetched vectors and the query-embedding cache are emptied first, so every
    question costs one real forward pass of the model, as a live question does.
    """
    clear = getattr(pipeline.embeddings, "clear", None)
    cache = getattr(pipeline.embeddings, "_cache", None)
    if callable(clear):
        clear()
    elif cache is not None and hasattr(cache, "clear"):
        cache.clear()
    samples: dict[str, list[float]] = {s: [] for s in STAGES}
    for case in cases:
        timings = pipeline.answer(case.question, case.history or None).timings_ms
        for stage in STAGES:
            samples[stage].append(float(getattr(timings, stage)))
    return Latency(samples)


def peak_memory_mb() -> float:
    """Peak resident memory of this process (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def load_average() -> float:
    """1-minute load average (0 where the OS has none): latency is only as quiet as the box."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return 0.0


def disk_mb(path: Path) -> float:
    if not path.exists():
        return 0.0
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6
