"""A Chroma server that hangs (SIGSTOP) or stops: safety still answers within the deadline,
ordinary questions say the articles can't be searched, and answering resumes on its own."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from rag.ingest import ingest
from rag.models import Answer
from rag.pipeline import KnotbotPipeline
from rag.settings import PROJECT_DIR, Settings
from ui import handlers

from .chroma_server import ChromaServer

pytestmark = pytest.mark.server

TIMEOUT = 2.0  # KNOTBOT_STORE_TIMEOUT in these tests
RED_FLAG = "I have a fever and my neck is very stiff"
ORDINARY = "What causes knots in the neck and shoulders?"
CANT_SEARCH = "can't search the articles right now"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, embeddings: Any) -> Iterator[ChromaServer]:
    srv = ChromaServer(tmp_path_factory.mktemp("chroma"))
    srv.start()
    try:
        ingest(srv.settings(srv.path / "local"), load_embeddings=lambda _s: embeddings)
        yield srv
    finally:
        srv.stop()


def _settings(server: ChromaServer) -> Settings:
    return server.settings(server.path / "local", store_timeout=TIMEOUT, store_check_seconds=0.5)


def timed(call: Callable[[], Answer]) -> tuple[Answer, float]:
    t0 = time.monotonic()
    out = call()
    return out, time.monotonic() - t0


def _until_answered(pipeline: KnotbotPipeline, seconds: float = 30.0) -> Answer:
    """Ask until the articles answer again (bounded): the store has been brought back."""
    deadline = time.monotonic() + seconds
    while True:
        got = pipeline.answer(ORDINARY)
        if got.citations or time.monotonic() > deadline:
            return got
        time.sleep(0.5)


def _safety_holds(pipeline: KnotbotPipeline, how: str) -> None:
    red, took = timed(lambda: pipeline.answer(RED_FLAG))
    print(f"store {how}: red flag answered in {took * 1000:.0f} ms")
    assert red.triage.level == "emergency" and "Emergency" in red.answer
    assert took < TIMEOUT + 1, f"the red-flag answer took {took:.1f} s"
    plain, took = timed(lambda: pipeline.answer(ORDINARY))
    assert CANT_SEARCH in plain.answer and not plain.citations
    assert "safety advice above" not in plain.answer  # there is none above it
    assert took < TIMEOUT + 1, f"the ordinary answer took {took:.1f} s"
    print(f"store {how}: ordinary question answered in {took * 1000:.0f} ms")
    signs, took = timed(lambda: pipeline.check_signs(["fever_stiff_neck"]))
    assert signs.triage.level == "emergency" and took < TIMEOUT + 1
    press, took = timed(lambda: pipeline.check_press("front_of_neck", "tender_ok", []))
    assert press.press_check and press.press_check.verdict == "do_not_press"
    assert took < TIMEOUT + 1
    *_, last = handlers.respond(pipeline, RED_FLAG, [])  # what the app does with a message
    assert "Emergency" in str(last[0]) and "Traceback" not in str(last)


def test_hung_store_keeps_safety_within_the_deadline(server: ChromaServer, embeddings: Any,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    pipeline = KnotbotPipeline(_settings(server), embeddings=embeddings)
    assert pipeline.answer(ORDINARY).citations
    server.pause()
    try:
        with caplog.at_level(logging.WARNING, logger="knotbot.store"):
            _safety_holds(pipeline, "hung")
        failed = [r.getMessage() for r in caplog.records if "store call failed" in r.getMessage()]
        assert len(failed) == 1 and "did not answer within 2 s" in failed[0]  # one line, why
        # An app started while the store hangs: built within the deadline, safety answers.
        started, took = timed(lambda: KnotbotPipeline(_settings(server), embeddings=embeddings)
                              .answer(RED_FLAG))
        assert started.triage.level == "emergency" and CANT_SEARCH in started.answer
        assert took < 2 * TIMEOUT + 5, f"starting against a hung store took {took:.1f} s"
        print(f"store hung: an app started and answered a red flag in {took:.1f} s")
    finally:
        server.resume()
    t0 = time.monotonic()
    again = _until_answered(pipeline)
    assert again.citations and CANT_SEARCH not in again.answer
    print(f"store resumed: answering from the articles again after {time.monotonic() - t0:.1f} s")


def test_stopped_store_keeps_safety_and_recovers(server: ChromaServer,
                                                 embeddings: Any) -> None:
    pipeline = KnotbotPipeline(_settings(server), embeddings=embeddings)
    server.stop()
    try:
        _safety_holds(pipeline, "stopped")
        cold = KnotbotPipeline(_settings(server), embeddings=embeddings)  # serve started now
        assert cold.answer(RED_FLAG).triage.level == "emergency"
    finally:
        server.start()
    assert _until_answered(pipeline).citations
    assert _until_answered(cold).citations  # started while down, no restart needed


def _ask(settings: Settings, *args: str, stdin: str | None = None
         ) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNOTBOT_")}
    env.update(KNOTBOT_CHROMA_HOST=str(settings.chroma_host),
               KNOTBOT_CHROMA_PORT=str(settings.chroma_port),
               KNOTBOT_STORE_TIMEOUT=str(TIMEOUT), KNOTBOT_DATA_DIR=str(settings.data_dir),
               KNOTBOT_EXPANSION_WORDS="0",  # no word table to build: a faster start
               HF_HUB_OFFLINE="1")
    t0 = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "rag", "ask", *args], input=stdin, text=True,
                          capture_output=True, env=env, timeout=300, cwd=PROJECT_DIR)
    return done, time.monotonic() - t0


def test_cli_answers_safety_with_a_hung_store(server: ChromaServer) -> None:
    settings = _settings(server)
    server.pause()
    try:
        done, took = _ask(settings, RED_FLAG, "--json")
        lines = json.dumps([RED_FLAG, ORDINARY, {"question": RED_FLAG, "history": 3}])
        batch, _ = _ask(settings, "--jsonl", stdin="\n".join(
            json.dumps(x) for x in json.loads(lines)) + "\n")
    finally:
        server.resume()
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["triage"]["level"] == "emergency"
    assert answer["timings_ms"]["total"] < (TIMEOUT + 1) * 1000
    err = done.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and "Traceback" not in done.stderr
    print(f"knotbot ask against a hung store: {took:.1f} s in all, "
          f"{answer['timings_ms']['total']:.0f} ms answering")
    assert batch.returncode == 0, batch.stderr
    out = [json.loads(line) for line in batch.stdout.splitlines()]
    assert len(out) == 3 and out[0]["triage"]["level"] == "emergency"
    assert CANT_SEARCH in out[1]["answer"] and "error" in out[2]
    assert out[0]["timings_ms"]["total"] < (TIMEOUT + 1) * 1000
    print(f"knotbot ask --jsonl against a hung store: red flag {out[0]['timings_ms']['total']:.0f}"
          f" ms, ordinary {out[1]['timings_ms']['total']:.0f} ms answering")
    assert "Traceback" not in batch.stderr
