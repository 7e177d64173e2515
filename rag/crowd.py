"""Many people chatting with the running app at once, for `knotbot bench`.

Each person is one Gradio session talking to the real app over HTTP, in the protocol the
page itself and gradio_client use (sse_v3): the page's config once, a heartbeat stream
kept open for the session, and for every message a POST to ``queue/join`` with the
session's hash, then the server-sent events of ``queue/data`` read until the reply is
complete. The chat's state stays on the server, keyed by the session, exactly as for a
browser. All the people run in one thread on one asyncio loop: a gradio_client `Client`
per person costs several threads that poll every 50 ms, and on the app's own two cores
100 of them used three times the CPU the app did, so the bench measured the client.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Tally:
    """What the crowd saw: reply times (all turns, and turns 2 on), errors, leaks."""

    times: list[float] = field(default_factory=list)
    later: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    leaks: int = 0


@dataclass(frozen=True)
class Endpoint:
    """Where and how to send a chat message, read from the app's config."""

    base: str  # the app's URL and API prefix, ending in "/"
    fn_index: int
    inputs: int  # the event's inputs; the first is the message, the rest are state


async def endpoint(client: Any, url: str, api_name: str) -> Endpoint:
    config = (await client.get(url.rstrip("/") + "/config")).json()
    dep = next(d for d in config["dependencies"] if d.get("api_name") == api_name)
    prefix = str(config.get("api_prefix", "")).strip("/")
    return Endpoint(url.rstrip("/") + "/" + (prefix + "/" if prefix else ""),
                    int(dep["id"]), len(dep["inputs"]))


def _apply(outputs: list[Any] | None, data: list[Any]) -> list[Any]:
    """The outputs after one streamed frame: the first frame is whole, the rest are diffs."""
    from gradio_client.utils import apply_diff

    if outputs is None:
        return list(data)
    return [apply_diff(old, diff) for old, diff in zip(outputs, data, strict=True)]


async def send(client: Any, ep: Endpoint, session: str, text: str) -> list[Any]:
    """One message in one session; the event's outputs once the reply is complete."""
    joined = await client.post(ep.base + "queue/join", json={
        "data": [text, *([None] * (ep.inputs - 1))], "fn_index": ep.fn_index,
        "session_hash": session, "event_data": None, "trigger_id": None})
    joined.raise_for_status()
    event_id = joined.json()["event_id"]
    outputs: list[Any] | None = None
    async with client.stream("GET", ep.base + "queue/data",
                             params={"session_hash": session}) as stream:
        async for line in stream.aiter_lines():
            if not line.startswith("data:"):
                continue
            msg = json.loads(line[5:])
            if msg.get("event_id") != event_id:
                continue
            if msg["msg"] == "process_generating":
                outputs = _apply(outputs, msg["output"]["data"])
            elif msg["msg"] == "process_completed":
                if not msg.get("success", True):
                    raise RuntimeError(f"the app failed: {str(msg.get('output'))[:150]}")
                return list(msg["output"]["data"])
    raise RuntimeError("the event stream ended before the reply was complete")


async def _heartbeat(client: Any, ep: Endpoint, session: str) -> None:
    try:
        async with client.stream("GET", ep.base + f"heartbeat/{session}") as stream:
            async for _ in stream.aiter_bytes():
                pass
    except Exception:  # noqa: BLE001 - closed when the person leaves
        return


async def person(client: Any, ep: Endpoint, turns: Sequence[str],
                 check: Callable[[int, str], bool], pause: tuple[float, float],
                 rng: random.Random, tally: Tally) -> None:
    """One session, its turns one after another; ``check(turn, reply)`` says whether the
    reply is right for this person (False counts a leak)."""
    session = uuid.uuid4().hex[:11]
    beat = asyncio.create_task(_heartbeat(client, ep, session))
    try:
        for turn, text in enumerate(turns):
            if turn and pause[1] > 0:
                await asyncio.sleep(rng.uniform(*pause))
            t0 = time.perf_counter()
            try:
                out = await send(client, ep, session, text)
                reply = json.dumps(out[0][-1])  # the chat's last message
            except Exception as err:  # noqa: BLE001 - counted
                tally.errors.append(f"{type(err).__name__}: {err}"[:200])
                continue
            took = time.perf_counter() - t0
            tally.times.append(took)
            if turn:
                tally.later.append(took)
            if not check(turn, reply):
                tally.leaks += 1
    finally:
        beat.cancel()


async def _crowd(url: str, people: Sequence[tuple[Sequence[str], Callable[[int, str], bool]]],
                 pause: tuple[float, float], api_name: str) -> Tally:
    import httpx

    tally = Tally()
    limits = httpx.Limits(max_connections=3 * len(people) + 10,
                          max_keepalive_connections=3 * len(people) + 10)
    async with httpx.AsyncClient(timeout=300, limits=limits) as client:
        ep = await endpoint(client, url, api_name)
        await asyncio.gather(*(person(client, ep, turns, check, pause, random.Random(n), tally)
                               for n, (turns, check) in enumerate(people)))
    return tally


def crowd(url: str, people: Sequence[tuple[Sequence[str], Callable[[int, str], bool]]],
          pause: tuple[float, float] = (0.0, 0.0), api_name: str = "on_send") -> Tally:
    """Every person at once, each with their turns and their reply check; with ``pause``
    (seconds, low and high) each waits a random time in that range before a later turn,
    as someone reading the reply would."""
    return asyncio.run(_crowd(url, people, pause, api_name))


def first_reply(url: str, text: str, api_name: str = "on_send") -> str:
    """One message in a new session: the reply (the chat's last message), as JSON text."""
    import httpx

    async def ask() -> str:
        async with httpx.AsyncClient(timeout=60) as client:
            ep = await endpoint(client, url, api_name)
            out = await send(client, ep, uuid.uuid4().hex[:11], text)
            return json.dumps(out[0][-1])

    return asyncio.run(ask())
