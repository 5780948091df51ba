"""Terminal output shared by the sub-commands."""

from __future__ import annotations

from pathlib import Path

from anklet.analysis import AnalysisResult, summary_text
from anklet.result import write_json


def print_analysis(result: AnalysisResult, json_path: Path | None) -> None:
    """Print the summary table of ``result`` and write its JSON document to ``json_path`` if given."""
    print(summary_text(result))
    if json_path is not None:
        write_json(result.document, json_path)
        print(f"wrote {json_path}")
