"""Many people at once: the pipeline answers from threads exactly as it does alone."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from rag.settings import Settings

QUESTIONS = [
    "what causes knots in my shoulder?",
    "I have a fever and a stiff neck, can I massage the knot?",
    "how long should I hold pressure on a knot?",
    "can I take naproxen for a neck knot?",
    "is it safe to press on the front of my neck?",
    "my arm is numb and weak since the knot started",
    "does stretching help a knot in the upper back?",
    "what is the best pizza topping?",
]
HISTORY = [{"role": "user", "content": "I was in a car accident yesterday"},
           {"role": "assistant", "content": "Please see a doctor."}]


def _key(ans) -> tuple:  # type: ignore[no-untyped-def, type-arg]
    return (ans.triage.level, ans.answer, [c.source for c in ans.citations],
            ans.press_check.verdict if ans.press_check else None)


def test_answers_from_many_threads_equal_the_answers_one_at_a_time(pipeline) -> None:  # type: ignore[no-untyped-def]
    jobs = [(q, h) for q in QUESTIONS for h in (None, HISTORY)] * 3
    alone = {(q, h is None): _key(pipeline.answer(q, h)) for q, h in jobs}
    # Fresh caches, so threads really encode, retrieve and compose side by side.
    pipeline.embeddings._cache.clear()
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(lambda job: _key(pipeline.answer(*job)), jobs))
    for (q, h), got in zip(jobs, together, strict=True):
        assert got == alone[(q, h is None)], q
    # A level raised earlier in one conversation never leaks into another's.
    assert {alone[(q, True)][0] for q in QUESTIONS[:1]} == {"self_care"}
    assert alone[(QUESTIONS[0], False)][0] in ("emergency", "urgent")


def test_the_app_answers_several_chats_at_once(built_index: Settings, pipeline) -> None:  # type: ignore[no-untyped-def]
    from ui.app import build_app

    app = build_app(pipeline, built_index)
    chat = [fn for fn in app.fns.values() if fn.concurrency_id == "chat"]
    assert chat and all(fn.concurrency_limit == built_index.ui_concurrency > 1 for fn in chat)
    assert all(fn.show_progress != "hidden" for fn in chat)  # the queue position shows


def test_the_benchs_crowd_gets_every_reply_through_the_real_app(built_index: Settings, pipeline,  # type: ignore[no-untyped-def]
                                                                 tmp_path) -> None:
    """`knotbot bench`'s simulated people (`rag.crowd`, Gradio sessions over HTTP) get
    every reply from the launched app, and each keeps its own level: those who opened
    with a warning sign are reminded of it, the others never are."""
    from rag.bench import _people, free_port
    from rag.crowd import crowd
    from ui.app import build_app

    app = build_app(pipeline, built_index, feedback_file=tmp_path / "feedback.jsonl")
    port = free_port()
    app.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        people = _people(6)
        tally = crowd(f"http://127.0.0.1:{port}/", people)
        replies: list[tuple[int, str]] = []
        one = crowd(f"http://127.0.0.1:{port}/",
                    [(people[0][0], lambda turn, reply: replies.append((turn, reply)) or True)])
    finally:
        app.close()
    assert (len(tally.times), tally.errors, tally.leaks) == (18, [], 0)
    assert len(tally.later) == 12 and len(one.times) == 3
    assert "Emergency" in replies[0][1] and all("Earlier in this conversation" in r
                                                for turn, r in replies if turn)
