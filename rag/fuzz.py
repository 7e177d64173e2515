"""Fuzz every entry point with hypothesis: rag.answer, `knotbot ask --jsonl`, the app's API.

Each input must get a valid answer or a one-line error: never a traceback, never a hang,
and `--jsonl` must write exactly one JSON object per input line. Counts and time are
bounded; `knotbot fuzz` runs the full 1,000 + 200, the test suite a small number.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

SCRIPTS = ["knot in my neck", "fever", "stiff neck", "шея болит", "首の凝り", "ألم الرقبة",
           "गर्दन में दर्द", "🙂🔥", "ｆｕｌｌｗｉｄｔｈ", "e\u0301", "\u202eevil", "\u200b"]
HANG_SECONDS = 30.0  # one answer taking longer than this counts as a hang


def _json_values() -> st.SearchStrategy[Any]:
    leaves = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
    return st.recursive(leaves, lambda c: st.lists(c, max_size=4)
                        | st.dictionaries(st.text(max_size=8), c, max_size=4), max_leaves=12)


def questions() -> st.SearchStrategy[Any]:
    """Random Unicode (lone surrogates and controls too), huge, empty, mixed scripts,
    nested JSON as text, and values that are not text at all."""
    return st.one_of(
        st.text(st.characters(codec=None, exclude_categories=()), max_size=300),
        st.text(st.characters(max_codepoint=0x9f), max_size=60),
        st.sampled_from(["", " ", "\n\t\r", "\x00", "\u2028"]),
        st.lists(st.sampled_from(SCRIPTS), min_size=1, max_size=8).map(" ".join),
        st.builds(lambda s, k: (s * k)[:60_000], st.text(min_size=1, max_size=12),
                  st.integers(200, 20_000)),
        _json_values().map(json.dumps),
        _json_values(),
    )


def histories() -> st.SearchStrategy[Any]:
    turn = st.fixed_dictionaries({"role": st.sampled_from(["user", "assistant", "system", 3]),
                                  "content": st.one_of(st.text(max_size=80), _json_values())})
    return st.one_of(st.none(), st.lists(turn, max_size=4), _json_values(),
                     st.lists(st.fixed_dictionaries({"role": st.just("user"),
                                                     "content": st.text(max_size=80)}),
                              max_size=3))


@dataclass
class Tally:
    """What came back: answers, one-line errors, tracebacks (unexpected errors), hangs."""

    name: str
    answers: int = 0
    errors: int = 0
    tracebacks: list[str] = field(default_factory=list)
    hangs: int = 0
    malformed: int = 0  # --jsonl output lines that are not one JSON object each
    slowest: float = 0.0
    slowest_input: str = ""
    seconds: float = 0.0

    def timed(self, took: float, value: Any) -> None:
        if took > self.slowest:
            self.slowest, self.slowest_input = took, f"{len(str(value))} chars: {value!r}"[:120]
        self.hangs += took > HANG_SECONDS

    @property
    def total(self) -> int:
        return self.answers + self.errors + len(self.tracebacks)

    @property
    def clean(self) -> bool:
        return not self.tracebacks and not self.hangs and not self.malformed

    def line(self) -> str:
        return (f"{self.name}: {self.total} inputs, {self.answers} answers, {self.errors} "
                f"one-line errors, {len(self.tracebacks)} tracebacks, {self.hangs} hangs, "
                f"{self.malformed} malformed lines; slowest {self.slowest:.2f} s, "
                f"{self.seconds:.0f} s in all" + (f" (slowest input: {self.slowest_input})"
                                                   if self.slowest_input else ""))


def _drive(count: int, seconds: float, strategy: st.SearchStrategy[Any],
           each: Callable[[Any], None]) -> None:
    """Call ``each`` on up to ``count`` generated values, stopping after ``seconds``."""
    stop = time.monotonic() + seconds

    @hyp_settings(max_examples=count, deadline=None, database=None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(value: Any) -> None:
        if time.monotonic() < stop:
            each(value)

    run()


def fuzz_answer(answer: Callable[[Any, Any], Any], count: int, seconds: float) -> Tally:
    """``answer(question, history)`` (rag.answer or a pipeline's) on generated input."""
    from rag.errors import KnotbotError

    tally = Tally("rag.answer")
    started = time.monotonic()

    def each(pair: tuple[Any, Any]) -> None:
        t0 = time.monotonic()
        try:
            got = answer(*pair)
            assert got.answer.strip() and got.triage.level
            tally.answers += 1
        except KnotbotError as err:
            if "\n" in str(err) or not str(err):
                tally.tracebacks.append(f"multi-line or empty error: {err!r}"[:300])
            else:
                tally.errors += 1
        except Exception as err:  # noqa: BLE001 - that is what is counted
            tally.tracebacks.append(f"{type(err).__name__}: {err} <- {pair!r}"[:300])
        tally.timed(time.monotonic() - t0, pair)

    _drive(count, seconds, st.tuples(questions(), histories()), each)
    tally.seconds = time.monotonic() - started
    return tally


def jsonl_lines(count: int, seconds: float = 60.0) -> list[str]:
    """``count`` generated --jsonl input lines: questions, objects, and broken JSON."""
    lines: list[str] = []
    item = st.one_of(
        questions().map(json.dumps),
        st.tuples(questions(), histories()).map(
            lambda p: json.dumps({"question": p[0], "history": p[1]})),
        st.text(st.characters(codec="utf-8", exclude_characters="\n\r\x0b\x0c\x1c\x1d\x1e"
                              "\x85\u2028\u2029"), min_size=1, max_size=80),
    )
    def keep(line: str) -> None:
        if line.strip() and len(lines) < count:  # a blank input line is skipped, not counted
            lines.append(line)

    _drive(2 * count, seconds, item, keep)
    return lines


def fuzz_jsonl(lines: list[str], env: dict[str, str], timeout: float) -> Tally:
    """Run `knotbot ask --jsonl` once over the lines: one JSON object out per line in."""
    tally = Tally("knotbot ask --jsonl")
    started = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-m", "rag", "ask", "--jsonl"], env=env,
                              input="\n".join(lines) + "\n", capture_output=True, text=True,
                              encoding="utf-8", timeout=timeout)
    except subprocess.TimeoutExpired:
        tally.hangs += 1
        return tally
    # JSON Lines are separated by "\n" alone: a string may hold U+2028 or U+0085 as such.
    out = done.stdout.removesuffix("\n").split("\n") if done.stdout else []
    tally.malformed += abs(len(out) - len(lines))
    for line in out:
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            tally.malformed += 1
            continue
        ok = isinstance(obj, dict) and ("answer" in obj or "\n" not in str(obj.get("error")))
        tally.answers += "answer" in obj
        tally.errors += "error" in obj
        tally.malformed += not ok
        if "answer" in obj:  # the time each answer took, as the answer reports it
            tally.timed(float(obj["timings_ms"]["total"]) / 1000, obj["question"])
    if "Traceback" in done.stderr or done.returncode != 0:
        tally.tracebacks.append(done.stderr[-300:])
    tally.seconds = time.monotonic() - started
    return tally


def fuzz_app(url: str, count: int, seconds: float) -> Tally:
    """The Gradio app's chat API through gradio_client: a page, never a stack trace."""
    from gradio_client import Client

    client = Client(url, verbose=False)
    tally = Tally("Gradio API")
    started = time.monotonic()

    def each(message: Any) -> None:
        t0 = time.monotonic()
        try:
            shown = json.dumps(client.predict(message, api_name="/on_send"), default=str)
            if "Traceback" in shown or 'File "' in shown:
                tally.tracebacks.append(shown[:300])
            else:
                tally.answers += 1
        except Exception as err:  # noqa: BLE001 - the app raised: counted
            tally.tracebacks.append(f"{type(err).__name__}: {err}"[:300])
        tally.timed(time.monotonic() - t0, message)

    # An HTTP client cannot send a lone surrogate (rag.answer is fuzzed with them).
    text_only = questions().filter(lambda q: isinstance(q, str)).map(
        lambda q: q[:5000].encode("utf-8", "replace").decode("utf-8"))
    _drive(count, seconds, text_only, each)
    tally.seconds = time.monotonic() - started
    return tally


def run_all(answers: int, app_inputs: int, seconds: float) -> list[Tally]:
    """The full run for `knotbot fuzz`: rag.answer and --jsonl with ``answers`` inputs
    each, the app's API with ``app_inputs``; each part stops after ``seconds``."""
    import os
    import socket

    import rag
    from rag.pipeline import default_pipeline
    from ui.app import build_app

    default_pipeline()  # built before the clock starts: loading is not answering
    tallies = [fuzz_answer(rag.answer, answers, seconds)]
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    tallies.append(fuzz_jsonl(jsonl_lines(answers, seconds), env, timeout=seconds + 300))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    app = build_app(default_pipeline())
    app.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        tallies.append(fuzz_app(f"http://127.0.0.1:{port}/", app_inputs, seconds))
    finally:
        app.close()
    return tallies
