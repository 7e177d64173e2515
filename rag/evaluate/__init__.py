"""Knotbot's evaluation suite: retrieval, safety, faithfulness, speed; one report.

``run_eval(Settings(), Path("evals"))`` writes ``evals/report.md`` and the charts and
returns a non-zero exit code when a release bar is missed.
"""

from rag.evaluate.runner import Bar, Results, bars, collect, run_eval

__all__ = ["Bar", "Results", "bars", "collect", "run_eval"]
