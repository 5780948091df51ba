"""Terminal output shared by the sub-commands."""

from __future__ import annotations

from pathlib import Path

from anklet.analysis import AnalysisResult, summary_text
from anklet.recording.decode import DecodedRecording
from anklet.result import write_json


def print_analysis(result: AnalysisResult, json_path: Path | None) -> None:
    """Print the summary table of ``result`` and write its JSON document to ``json_path`` if given."""
    print(summary_text(result))
    if json_path is not None:
        write_json(result.document, json_path)
        print(f"wrote {json_path}")


def note_recording_input(result: AnalysisResult, path: Path, decoded: DecodedRecording) -> None:
    """Add the recording's path (``input``) and per-side stream quality (``quality``) to the JSON document."""
    result.document["input"] = {"recording": str(path)}
    result.document["quality"] = {side: quality.to_json() for side, quality in decoded.quality.items()}
