"""The `knotbot` command line. Errors print as one line naming the fix, never a traceback."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from rag.errors import KnotbotError
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
    from rag.ingest import describe
    from rag.ingest import ingest as run_ingest

    report = run_ingest(Settings(), corpus_dir=corpus, rebuild=rebuild,
                        show_progress=sys.stderr.isatty())
    for line in report.skipped:
        typer.echo(f"warning: {line}", err=True)
    typer.echo(describe(report))


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


def main() -> None:
    """Entry point: run the app, turning Knotbot errors into one clear line."""
    try:
        app()
    except KnotbotError as err:
        typer.echo(f"error: {err}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
