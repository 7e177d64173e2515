"""The `knotbot` command line. Errors print as one line naming the fix, never a traceback."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from rag.errors import KnotbotError, QuestionError
from rag.settings import Settings

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Knotbot: safety-first answers about neck and shoulder knots, from vetted articles.",
)


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@app.command()
def ingest(
    corpus: Annotated[Path | None, typer.Option(help="folder of .md/.txt/.html articles")] = None,
    rebuild: Annotated[bool, typer.Option(help="start the index over")] = False,
) -> None:
    """Chunk and embed the articles into the index (only what changed)."""
    from rag import wordlists
    from rag.ingest import describe
    from rag.ingest import ingest as run_ingest

    settings = Settings()
    report = run_ingest(settings, corpus_dir=corpus, rebuild=rebuild,
                        show_progress=sys.stderr.isatty())
    # The language check's word lists as files (once, a few seconds), so neither `ask`
    # nor `serve` has to load them (rag.wordlists).
    wordlists.ensure(settings.cache_dir, wordlists.other_languages())
    if settings.crisis_head:  # the crisis reader's layer as a graph (`rag.safety.crisis_graph`)
        from rag.safety.crisis import ensure_graph

        ensure_graph(settings.cache_dir)
    for line in report.repaired:
        typer.echo(f"repaired: {line}", err=True)
    for line in [*report.skipped, *report.warnings]:  # every run, not only when embedded
        typer.echo(f"warning: {line}", err=True)
    typer.echo(describe(report))


@app.command()
def gc() -> None:
    """Remove the vector folders of dropped index versions (ingest does it too)."""
    from rag.repair import collect_garbage

    settings = Settings()
    if settings.chroma_host:
        _fail("a Chroma server manages its own folder: `knotbot gc` cleans the embedded store "
              "(unset KNOTBOT_CHROMA_HOST)")
    folders, freed = collect_garbage(settings)
    typer.echo(f"removed {folders} unused vector folders ({freed / 1e6:.1f} MB)")


@app.command()
def sources() -> None:
    """List what is indexed: files, titles and chunk counts."""
    from collections import Counter

    from rich.console import Console
    from rich.table import Table

    from rag.store import connect, open_active

    settings = Settings()
    col, info = open_active(connect(settings), settings)
    metas = col.get(include=["metadatas"])["metadatas"] or []
    counts = Counter(str(m["source"]) for m in metas)
    titles = {str(m["source"]): str(m["title"]) for m in metas}
    table = Table(title=f"{info.chunks} chunks, model {info.embedding_model}")
    for column in ("file", "title", "chunks"):
        table.add_column(column)
    for source in sorted(info.manifest):
        table.add_row(source, titles.get(source, "(not readable: skipped)"),
                      str(counts.get(source, 0)))
    Console().print(table)


def _print_answer(answer: Any) -> None:
    from rich.console import Console
    from rich.markdown import Markdown

    Console().print(Markdown(answer.answer))


def _jsonl_line(pipeline: Any, line: str, number: int) -> str:
    """One --jsonl input line to one output line; a bad line gets an error object."""
    import json

    try:
        item = json.loads(line)
    except json.JSONDecodeError:
        item = line.strip()
    question, history = (item, None) if isinstance(item, str) else (None, None)
    if isinstance(item, dict):
        question, history = item.get("question"), item.get("history")
    try:
        if not isinstance(question, str):
            raise QuestionError(f"line {number}: expected a string or an object with \"question\"")
        return pipeline.answer(question, history).model_dump_json()
    except KnotbotError as err:
        return json.dumps({"question": question, "error": str(err).splitlines()[0]})
    except Exception as err:  # one bad line must not stop the batch or print a traceback
        return json.dumps({"question": question,
                           "error": f"could not answer this line ({type(err).__name__})"})


def _warn_search_error(out: str, number: int) -> None:
    """The operator's reason on stderr when a --jsonl answer went out without articles."""
    import json

    reason = json.loads(out).get("search_error")
    if reason:
        typer.echo(f"error: line {number}: {reason}", err=True)


@app.command()
def ask(
    question: Annotated[str | None, typer.Argument(help="the question")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="read questions from stdin, "
                                        "one JSON line each; write one JSON line each")] = False,
) -> None:
    """Answer a question from the articles, safety first."""
    from rag.question import clean_question
    from rag.startup import starting

    if jsonl == (question is not None):
        _fail("give a QUESTION, or --jsonl with questions on standard input")
    settings = Settings()
    if question is not None:
        clean_question(question)  # fail fast, before loading the model
    with starting():
        # wordfreq finds its data folder with inspect.stack(), which maps every module
        # loaded so far to its file: about 0.1 s once the pipeline's 1,200 modules are
        # loaded, a tenth of that now (it is needed for every message anyway).
        import wordfreq  # noqa: F401

        from rag.embeddings import PendingEmbeddings

        # The model's session is built beside the imports below (LangChain, Chroma).
        model = PendingEmbeddings(settings)
        from rag.pipeline import KnotbotPipeline

        pipeline = KnotbotPipeline(settings, embeddings=model)
    if jsonl:
        stream = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
        for number, line in enumerate(stream, 1):
            if line.strip():
                out = _jsonl_line(pipeline, line, number)
                typer.echo(out)
                _warn_search_error(out, number)
        return
    answer = pipeline.answer(str(question))
    if answer.search_error:  # the safety answer still goes out, and the exit code is 0
        typer.echo(f"error: {answer.search_error}", err=True)
    if as_json:
        typer.echo(answer.model_dump_json())
    else:
        _print_answer(answer)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="default: KNOTBOT_UI_HOST")] = None,
    port: Annotated[int | None, typer.Option(help="default: KNOTBOT_UI_PORT")] = None,
) -> None:
    """Start the web app (Gradio) on 127.0.0.1:7860."""
    from ui.serve import serve as run_server

    settings = Settings()
    run_server(settings, host or settings.ui_host, port or settings.ui_port)


@app.command(name="eval")
def evaluate(
    out: Annotated[Path, typer.Option(help="folder for report.md and charts")] = Path("evals"),
    fast: Annotated[bool, typer.Option(help="skip sweeps, cold start and charts")] = False,
) -> None:
    """Run every evaluation set and write the report; exits 1 when a bar is missed."""
    from rag.evaluate import run_eval

    raise typer.Exit(run_eval(Settings(), out, fast=fast))


@app.command(name="train-triage")
def train_triage() -> None:
    """Refit the learned triage head on evals/train/ and save it with the package."""
    from rag.embeddings import load_embeddings
    from rag.safety.learned import HEAD_FILE
    from rag.safety.lexicon import load_lexicon
    from rag.safety.train import data_hash, read_training, train_head, training_files

    files = training_files()
    if not files:
        _fail("no training files in evals/train/: restore them from git")
    classes = [c.id for c in load_lexicon().classes]
    texts, labels = read_training(files, classes)
    head, report = train_head(texts, labels, classes,
                              load_embeddings(Settings()).embed_documents, data_hash(files))
    head.save(HEAD_FILE)
    for name, value in vars(report).items():
        typer.echo(f"{name}: {value}")
    typer.echo(f"saved {HEAD_FILE}")


@app.command(name="train-crisis")
def train_crisis_reader(
    calibrate: Annotated[bool, typer.Option(
        help="keep the shipped reader's weights; choose its thresholds again (no torch)")] = False,
) -> None:
    """Fit the crisis reader (thoughts of suicide or self-harm) on evals/train/crisis/:
    MiniLM's last layer fine-tuned with a head (torch; about 25 minutes on two cores)."""
    from rag.embeddings import load_embeddings
    from rag.safety.crisis import CRISIS_FILE, crisis_files, load_crisis, read_crisis
    from rag.safety.crisis_tune import choose_threshold, fine_tune, plain_questions, training_rows
    from rag.safety.train import data_hash

    files = crisis_files()
    if not files:
        _fail("no training files in evals/train/crisis/: restore them from git")
    texts, positive = read_crisis(files)
    settings = Settings()
    reader = load_crisis() if calibrate else None
    if calibrate and reader is None:
        _fail(f"no crisis reader at {CRISIS_FILE}: run `knotbot train-crisis` first")
    if reader is None:
        rows, ys = training_rows(texts, positive)
        reader = fine_tune(settings.model_path(), rows, ys, log=typer.echo)
    head, report = choose_threshold(reader, texts, positive,
                                    load_embeddings(settings).lower_states,
                                    reader.data_hash if calibrate else data_hash(files),
                                    plain_questions())
    head.save(CRISIS_FILE)
    for name, value in vars(report).items():
        typer.echo(f"{name}: {value}")
    typer.echo(f"saved {CRISIS_FILE}")


@app.command(name="safety-check")
def safety_check(
    files: Annotated[list[Path], typer.Argument(help="case files (JSON Lines with a kind)")],
    misses: Annotated[bool, typer.Option(help="list every miss (unseals the wording)")] = False,
) -> None:
    """Score safety case files, such as sets kept sealed outside the repository."""
    from rag.evaluate.sealed import run_sealed, table
    from rag.pipeline import KnotbotPipeline

    for path in files:
        if not path.is_file():
            _fail(f"no case file at {path}: give the path of a .jsonl file")
    numbers, _ = run_sealed(KnotbotPipeline(Settings()), files)
    width = max(len(k) for k, _ in table(numbers))
    for name, value in table(numbers):
        typer.echo(f"{name:<{width}}  {value}")
    if misses:
        for line in numbers.misses:
            typer.echo(f"miss: {line}")


@app.command(name="answer-check")
def answer_check(
    folder: Annotated[Path, typer.Argument(help="folder with answerable.jsonl, uncovered.jsonl "
                                           "and other_meaning.jsonl (or questions.jsonl and "
                                           "unanswerable.jsonl)")],
    misses: Annotated[bool, typer.Option(help="list every miss (unseals the wording)")] = False,
) -> None:
    """Does the answer answer? Usefulness per question shape, declines, faithfulness."""
    from rag.evaluate.answers import confusion_lines, run_answer_check, table
    from rag.pipeline import KnotbotPipeline

    if not folder.is_dir():
        _fail(f"no folder at {folder}: give the folder that holds the .jsonl files")
    numbers = run_answer_check(KnotbotPipeline(Settings()), folder)
    width = max(len(k) for k, _ in table(numbers))
    for name, value in table(numbers):
        typer.echo(f"{name:<{width}}  {value}")
    if misses:
        typer.echo("shape rules vs the writer's labels (label -> rules):")
        for line in confusion_lines(numbers):
            typer.echo(line)
        for line in numbers.misses:
            typer.echo(f"miss: {line}")


@app.command()
def fuzz(
    answers: Annotated[int, typer.Option(help="inputs for rag.answer and for --jsonl")] = 1000,
    app_inputs: Annotated[int, typer.Option("--app", help="inputs for the app's API")] = 200,
    seconds: Annotated[float, typer.Option(help="stop each part after this long")] = 1800,
) -> None:
    """Fuzz rag.answer, `ask --jsonl` and the app's API; exit 1 on any traceback or hang."""
    try:
        from rag.fuzz import run_all
    except ImportError as err:
        _fail(f"fuzzing needs the dev extras ({err.name} is missing): run "
              "`pip install -e '.[dev]'`")

    tallies = run_all(answers, app_inputs, seconds)
    for tally in tallies:
        typer.echo(tally.line())
        for example in tally.tracebacks[:5]:
            typer.echo(f"  traceback: {example}")
    raise typer.Exit(0 if all(t.clean for t in tallies) else 1)


@app.command()
def bench(
    users: Annotated[list[int] | None, typer.Option(help="concurrent app users (repeat)")
                     ] = None,
    chunks: Annotated[list[int] | None, typer.Option(help="synthetic corpus sizes (repeat)")
                      ] = None,
) -> None:
    """Cold start, warm latency, memory, concurrent users and growth (make bench)."""
    from rag.bench import run

    run(Settings(), users or [50, 100], chunks or [1000, 10000],
        say=lambda line: typer.echo(line))


_READ_ONLY = ("ask",)  # commands that write nothing: their process may end at once


def _end_now(code: int | str | None) -> None:
    """End a read-only command's process without tearing the interpreter down: unloading
    the model session, the store's client and every module took 0.3 to 1.6 s of each cold
    `knotbot ask` after its answer was printed (loaded machine). Output is flushed first."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code if isinstance(code, int) else (0 if code is None else 1))


def _is_the_process() -> bool:
    """Is this process `knotbot` itself (its console script, or `python -m rag`), not a
    program that calls `main` and carries on after it?"""
    top = sys.modules.get("__main__")
    spec = getattr(top, "__spec__", None)
    return (spec is not None and spec.name == "rag.__main__") or \
        Path(getattr(top, "__file__", None) or "").name == "knotbot"


def main() -> None:
    """Entry point: run the app, turning Knotbot errors into one clear line."""
    try:
        app()
    except SystemExit as done:
        if sys.argv[1:2] and sys.argv[1] in _READ_ONLY and _is_the_process():
            if isinstance(done.code, str):
                typer.echo(done.code, err=True)
            _end_now(done.code)
        raise
    except KnotbotError as err:
        typer.echo(f"error: {err}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as err:  # a bug or a broken store: one line, never a traceback
        first = str(err).splitlines()[0][:200] if str(err) else ""
        typer.echo(f"error: {type(err).__name__}: {first} (run `knotbot ingest` to check "
                   "and repair the index)", err=True)
        sys.exit(1)
