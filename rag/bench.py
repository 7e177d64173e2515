"""`knotbot bench`: start-up, warm latency, memory, concurrent users and corpus growth.

Figures, not tests: every number depends on the machine and its load (printed first).
Cold runs are new processes, as a person starting Knotbot gets them; the ONNX and the
torch encoders are timed side by side in the same run.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rag.settings import Settings

QUESTION = "what causes knots?"
STEPS = ("embed", "triage", "retrieve", "compose", "total")


def pct(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def rss_mb(pid: int | None = None, field: str = "VmRSS") -> float:
    """Resident memory of a process (this one by default), from /proc: all of it, or
    ``field`` "RssAnon" (its own memory) or "RssFile" (pages of mapped files: libraries,
    and the index's memory-mapped token vectors, which the kernel may drop and read again)."""
    path = Path(f"/proc/{pid or os.getpid()}/status")
    for line in path.read_text().splitlines() if path.is_file() else []:
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _rss(p: dict[str, Any]) -> str:
    return (f"{p['rss_mb']:.0f} MB ({p['anon_mb']:.0f} MB its own, {p['file_mb']:.0f} MB "
            "pages of mapped files)")


def _env(settings: Settings, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNOTBOT_")}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false",
               KNOTBOT_DATA_DIR=str(settings.data_dir), KNOTBOT_CACHE_DIR=str(settings.cache_dir),
               KNOTBOT_CORPUS_DIR=str(settings.corpus_dir), KNOTBOT_STORE_TIMEOUT="60")
    env.update(extra)
    return env


def cold_ask(settings: Settings, backend: str) -> tuple[float, str]:
    """Seconds for `knotbot ask` in a new process, from start to answer printed; and the
    answer (JSON)."""
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "rag", "ask", QUESTION, "--json"],
                          env=_env(settings, KNOTBOT_EMBEDDING_BACKEND=backend),
                          capture_output=True, text=True, timeout=900, check=False)
    took = time.perf_counter() - t0
    if done.returncode != 0 or not json.loads(done.stdout).get("citations"):
        raise RuntimeError(f"cold ask ({backend}) failed: {done.stderr[-300:]}")
    return took, done.stdout


def probe(settings: Settings, questions: list[str]) -> dict[str, Any]:
    """In this process: start (pipeline ready), per-step warm latency, RSS."""
    from rag.startup import starting

    with starting():  # as `knotbot ask` and `knotbot serve` start
        from rag.pipeline import KnotbotPipeline

        t0 = time.perf_counter()
        pipeline = KnotbotPipeline(settings)
        start = time.perf_counter() - t0
    pipeline.answer(QUESTION)
    steps: dict[str, list[float]] = {s: [] for s in STEPS}
    for q in questions:
        t = pipeline.answer(q).timings_ms
        for s in STEPS:
            steps[s].append(float(getattr(t, s)))
    return {"start_s": start, "rss_mb": rss_mb(), "anon_mb": rss_mb(field="RssAnon"),
            "file_mb": rss_mb(field="RssFile"), "questions": len(questions),
            "steps": {s: [pct(v, 50), pct(v, 95)] for s, v in steps.items()}}


def probe_process(settings: Settings, questions: list[str]) -> dict[str, Any]:
    """`probe` in a new process (a cold start, and its own memory)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(questions, fh)
    done = subprocess.run([sys.executable, "-m", "rag.bench", "probe", fh.name],
                          env=_env(settings), capture_output=True, text=True, timeout=1800,
                          check=False)
    Path(fh.name).unlink(missing_ok=True)
    if done.returncode != 0:
        raise RuntimeError(f"probe failed: {done.stderr[-500:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_app(settings: Settings, recorded: Path | None = None
              ) -> tuple[subprocess.Popen[bytes], str, float]:
    """`knotbot serve` in a new process; seconds from start to its first answer from the
    articles. Asked as a browser would (`rag.crowd`), every 0.1 s until the page is up.
    With ``recorded`` (an answer's JSON), the same page around `rag.standin` instead."""
    from rag.crowd import first_reply

    port = free_port()
    t0 = time.perf_counter()
    command = ["-m", "rag.standin", str(recorded), str(port)] if recorded else \
        ["-m", "rag", "serve", "--port", str(port)]
    proc = subprocess.Popen([sys.executable, *command],
                            env=_env(settings), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    while time.perf_counter() - t0 < 600:
        try:
            reply = first_reply(url, QUESTION)
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.1)
            continue
        if "kb-ref" in reply:  # answered from the articles (a citation)
            return proc, url, time.perf_counter() - t0
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the app gave no answer from the articles within 600 s")


THINK = (2.0, 8.0)  # seconds a person takes to read a reply before the next turn
FLAG = "I was in a car accident this morning and now my neck hurts"
TURNS = ("what causes knots?", "how long should I hold pressure on one?")
EARLIER = "Earlier in this conversation you mentioned a warning"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far, from /proc."""
    path = Path(f"/proc/{pid}/stat")
    if not path.is_file():
        return float("nan")
    fields = path.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _people(count: int) -> list[tuple[tuple[str, ...], Callable[[int, str], bool]]]:
    """Every other person opens with a warning sign, which must stay with them (and only
    them) in their later turns: a later reply says so exactly when they gave one."""
    def check(flagged: bool) -> Callable[[int, str], bool]:
        return lambda turn, reply: turn == 0 or (EARLIER in reply) == flagged

    return [(((FLAG,) if n % 2 == 0 else ("is stretching good?",)) + TURNS, check(n % 2 == 0))
            for n in range(count)]


def users(url: str, count: int, think: tuple[float, float] = (0.0, 0.0),
          server_pid: int | None = None, client: str = "http") -> dict[str, Any]:
    """``count`` people at once, 3 turns each (`_people`), all connecting and sending their
    first message at once. With ``think`` (seconds, low and high) each waits a random time
    in that range before each later turn, as a person reading the reply would; with (0, 0)
    the next turn goes as soon as the reply is in.

    ``client`` "http": the people are Gradio sessions on one asyncio loop (`rag.crowd`);
    "gradio_client": each is a `gradio_client.Client` in a thread of this process. Both run
    on the machine the app runs on; the CPU time of the app and of the simulated people is
    measured apart (``server_cpu``, ``client_cpu``): the people's own cost would be on
    their own machines."""
    from rag.crowd import Tally, crowd

    people = _people(count)
    t0, mine = time.perf_counter(), time.process_time()
    theirs = cpu_seconds(server_pid) if server_pid else float("nan")
    tally = crowd(url, people, think) if client == "http" else \
        _gradio_clients(url, people, think)
    assert isinstance(tally, Tally)
    return {"users": count, "replies": len(tally.times), "errors": len(tally.errors),
            "p50": pct(tally.times, 50), "p95": pct(tally.times, 95), "leaks": tally.leaks,
            "later_p50": pct(tally.later, 50), "later_p95": pct(tally.later, 95),
            "seconds": time.perf_counter() - t0, "examples": tally.errors[:3],
            "server_cpu": (cpu_seconds(server_pid) - theirs) if server_pid else float("nan"),
            "client_cpu": time.process_time() - mine}


def _gradio_clients(url: str, people: list[tuple[tuple[str, ...], Callable[[int, str], bool]]],
                    think: tuple[float, float]) -> Any:
    """`users` with one gradio_client `Client` per person, each in its own thread.

    The people share one SSL context. gradio_client makes each request with httpx's
    module functions, and each of those builds a new context, reading the whole CA bundle
    (even for an http:// URL): on this machine about 100 ms of the simulated people's CPU
    a reply, on the app's own cores, and 100 of them in one process queued behind it for
    the interpreter lock (p95 12.3 -> 4.1 s, their CPU 39 -> 6 s, the app's alike)."""
    import random
    import ssl

    from gradio_client import Client

    from rag.crowd import Tally

    tally = Tally()
    lock = threading.Lock()
    shared = ssl.create_default_context()

    def person(n: int) -> None:
        turns, check = people[n]
        try:
            client = Client(url, verbose=False, httpx_kwargs={"timeout": 300},
                            ssl_verify=shared)  # type: ignore[arg-type]  # passed to httpx
        except Exception as err:  # noqa: BLE001 - could not even open the page: counted
            with lock:
                tally.errors.append(f"connect: {type(err).__name__}: {err}"[:200])
            return
        pause = random.Random(n)
        for turn, text in enumerate(turns):
            if turn and think[1] > 0:
                time.sleep(pause.uniform(*think))
            t0 = time.perf_counter()
            try:
                out = client.predict(text, api_name="/on_send")
                last = json.dumps(out[0][-1])  # the reply: the chat's last message
            except Exception as err:  # noqa: BLE001 - counted
                with lock:
                    tally.errors.append(f"{type(err).__name__}: {err}"[:200])
                continue
            with lock:
                tally.times.append(time.perf_counter() - t0)
                if turn:
                    tally.later.append(tally.times[-1])
                if not check(turn, last):
                    tally.leaks += 1

    threads = [threading.Thread(target=person, args=(n,)) for n in range(len(people))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return tally


def blind_questions() -> list[str]:
    from rag.evaluate.data import load_sets

    sets = load_sets()
    return [q.question for qs in sets.held_out.values() for q in qs]


def timed(run: Callable[[], Any]) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = run()
    return out, time.perf_counter() - t0


def _ingest(settings: Settings) -> tuple[Any, float]:
    from rag.ingest import ingest

    return timed(lambda: ingest(settings))


def _steps(p: dict[str, Any]) -> str:
    return ", ".join(f"{s} {a:.1f}/{b:.1f}" for s, (a, b) in p["steps"].items())


def _users_line(n: int, think: tuple[float, float], client: str, u: dict[str, Any],
                leaks: bool = True) -> str:
    return (f"{n} users x 3 turns ({client}), " + (
        f"{think[0]:.0f}-{think[1]:.0f} s to read each reply" if think[1]
        else "no pause between turns") +
        f": {u['replies']}/{3 * n} replies, {u['errors']} errors, reply p50 "
        f"{u['p50']:.2f} s p95 {u['p95']:.2f} s (turns 2-3 alone: p50 "
        f"{u['later_p50']:.2f} s p95 {u['later_p95']:.2f} s), "
        + (f"{u['leaks']} level leaks " if leaks else "") +
        f"({u['seconds']:.1f} s in all; CPU: app {u['server_cpu']:.1f} s = "
        f"{1e3 * u['server_cpu'] / max(u['replies'], 1):.0f} ms a reply, "
        f"the simulated people {u['client_cpu']:.1f} s)"
        + (f"; e.g. {u['examples'][0]}" if u["examples"] else ""))


def floor(settings: Settings, answer_json: str, n: int, say: Callable[[str], None]) -> None:
    """The gradio_client people against the same page around an instant stand-in
    (`rag.standin`): how much of their reply time is not Knotbot's own work."""
    with tempfile.TemporaryDirectory(prefix="knotbot-standin-") as tmp:
        recorded = Path(tmp) / "answer.json"
        recorded.write_text(answer_json, encoding="utf-8")
        proc, url, _ = start_app(settings, recorded)
        try:
            u = users(url, n, THINK, proc.pid, "gradio_client")
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    say("the same page around an instant stand-in (one recorded answer, no model, no "
        "store; what Gradio, HTTP and the simulated people cost on these cores): "
        + _users_line(n, THINK, "gradio_client", u, leaks=False))


def today(settings: Settings, say: Callable[[str], None], user_counts: Sequence[int]) -> None:
    """The real corpus: ingest, cold ask (ONNX vs torch), warm steps, app, users."""
    from rag.probe import crashes

    report, secs = _ingest(settings)
    say(f"ingest: {report.chunks} chunks in {secs:.1f} s ({report.chunks / secs:.1f} chunks/s)")
    # A new version's files are opened once in a child process before any process uses
    # them (rag.probe): done here, so neither cold run below pays for it and the other not.
    _, check = timed(lambda: crashes(settings))
    say(f"new version's one-time store check (a child process): {check:.2f} s")
    (onnx, answer), (torch, _) = cold_ask(settings, "onnx"), cold_ask(settings, "torch")
    say(f"cold `knotbot ask`: {onnx:.2f} s (torch path, same run: {torch:.2f} s; "
        f"{torch / onnx:.1f}x)")
    p = probe_process(settings, blind_questions())
    say(f"pipeline start {p['start_s']:.2f} s; RSS after {p['questions']} blind questions "
        f"{_rss(p)}")
    say(f"warm ms p50/p95 per step: {_steps(p)}")
    proc, url, ready = start_app(settings)
    try:
        say(f"`knotbot serve`: first answer {ready:.2f} s after start")
        runs = [(n, think, "http") for n in user_counts for think in ((0.0, 0.0), THINK)]
        # The same people as gradio_client threads, as a cross-check of the lighter client
        # (on this machine they compete with the app for its cores).
        runs += [(max(user_counts), THINK, "gradio_client")] if user_counts else []
        for n, think, client in runs:
            say(_users_line(n, think, client, users(url, n, think, proc.pid, client)))
        say(f"app RSS after the users: {rss_mb(proc.pid):.0f} MB "
            f"({rss_mb(proc.pid, 'RssAnon'):.0f} MB its own)")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    if user_counts:
        floor(settings, answer, max(user_counts), say)


def growth(settings: Settings, sizes: Sequence[int], work: Path,
           say: Callable[[str], None]) -> None:
    """Synthetic corpora (rag.synth): ingest, start, warm latency, RSS, one-article change."""
    from rag import synth
    from rag.probe import crashes

    questions = blind_questions()
    say("chunks | ingest (chunks/s) | store check | start | warm p50/p95 ms | retrieve p50 | "
        "RSS | one-article change: re-ingest, texts encoded, next start")
    for size in sizes:
        corpus = work / f"corpus-{size}"
        synth.make(settings.corpus_dir, corpus, size)
        s = settings.model_copy(update={"corpus_dir": corpus, "data_dir": work / f"data-{size}"})
        report, secs = _ingest(s)
        t_check = time.perf_counter()
        crashes(s)  # once per new version, not part of a start
        check = time.perf_counter() - t_check
        p = probe_process(s, questions)
        first = sorted(corpus.iterdir())[0]
        first.write_text(first.read_text(encoding="utf-8")
                         + "\nThis variant was edited once, to time a reload.\n",
                         encoding="utf-8")
        again, secs2 = _ingest(s)
        crashes(s)
        p2 = probe_process(s, questions[:10])
        total = p["steps"]["total"]
        say(f"{report.chunks} | {secs:.0f} s ({report.chunks / secs:.0f}/s) | "
            f"{check:.1f} s | {p['start_s']:.2f} s | {total[0]:.1f} / {total[1]:.1f} | "
            f"{p['steps']['retrieve'][0]:.1f} ms | {_rss(p)} | {secs2:.1f} s, "
            f"{again.chunks_embedded} chunks + {again.texts_derived} derived texts, "
            f"{p2['start_s']:.2f} s")


def own_cache(shared: Path, work: Path) -> Path:
    """The bench's cache folder: links to the shared one's model export, word lists and
    tables (nothing is built twice), and derived data of its own. Each ingest prunes the
    derived data of every other version, so sharing the folder left the real index to be
    derived again at its next start."""
    own = work / "cache"
    own.mkdir(parents=True, exist_ok=True)
    for item in sorted(shared.iterdir()) if shared.is_dir() else []:
        if item.name != "derived" and not item.name.startswith("."):
            (own / item.name).symlink_to(item.resolve())
    return own


def run(settings: Settings, user_counts: Sequence[int], sizes: Sequence[int],
        say: Callable[[str], None] = print) -> None:
    say(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start "
        f"(figures, not tests: they move with the load)")
    with tempfile.TemporaryDirectory(prefix="knotbot-bench-") as tmp:
        work = Path(tmp)
        base = settings.model_copy(update={"data_dir": work / "data",
                                           "cache_dir": own_cache(settings.cache_dir, work)})
        today(base, say, user_counts)
        growth(base, sizes, work, say)
    say(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__" and sys.argv[1:2] == ["probe"]:
    print(json.dumps(probe(Settings(), json.loads(Path(sys.argv[2]).read_text()))))
