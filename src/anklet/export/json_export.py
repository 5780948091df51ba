"""The JSON export: the analysis result (``anklet.analysis/1``) and the session facts."""

from __future__ import annotations

from pathlib import Path

from anklet.analysis import AnalysisResult
from anklet.export._text import write_json_file
from anklet.export.session import ExportSession, session_to_json


def write_json_export(out_dir: Path, result: AnalysisResult, session: ExportSession) -> list[Path]:
    """Write ``analysis.json`` and ``session.json`` into the existing directory ``out_dir``.

    ``analysis.json`` is ``result.document`` (docs/result-format.md); its
    ``input`` field names the recording's file only when ``session.source_file``
    survived the privacy rule. ``result`` is not modified.

    Raises:
        OSError: the files cannot be written.
    """
    document = {key: value for key, value in result.document.items() if key != "input"}
    if session.source_file is not None:
        document["input"] = {"recording": session.source_file}
    paths = [out_dir / "analysis.json", out_dir / "session.json"]
    write_json_file(document, paths[0])
    write_json_file(session_to_json(session), paths[1])
    return paths
