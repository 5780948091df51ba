"""The JSON export: the analysis result (``anklet.analysis/1``) and the session facts."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from anklet.analysis import AnalysisResult
from anklet.export._text import write_json_file
from anklet.export.session import ExportSession, session_to_json
from anklet.imu import Side
from anklet.recording.decode import StreamQuality


def write_json_export(
    out_dir: Path,
    result: AnalysisResult,
    session: ExportSession,
    quality: Mapping[Side, StreamQuality] | None = None,
) -> list[Path]:
    """Write ``analysis.json`` and ``session.json`` into the existing directory ``out_dir``.

    ``analysis.json`` is ``result.document`` (docs/result-format.md) with, as
    ``anklet analyze FILE.anklet --json`` writes it, the decoder's ``quality``
    per side; its ``input`` field names the recording's file only when
    ``session.source_file`` survived the privacy rule. ``result`` is not modified.

    Raises:
        OSError: the files cannot be written.
    """
    document = {key: value for key, value in result.document.items() if key != "input"}
    if session.source_file is not None:
        document["input"] = {"recording": session.source_file}
    if quality is not None:
        document["quality"] = {side: stream.to_json() for side, stream in quality.items()}
    paths = [out_dir / "analysis.json", out_dir / "session.json"]
    write_json_file(document, paths[0])
    write_json_file(session_to_json(session), paths[1])
    return paths
