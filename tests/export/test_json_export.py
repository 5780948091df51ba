from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from anklet.export import ExportSession, export_session
from anklet.result import SCHEMA

from .conftest import Analysed


def test_analysis_json_is_the_result_document(
    tmp_path: Path, analysed: Analysed, export_session_facts: ExportSession
) -> None:
    export_session("json", tmp_path / "out", analysed.imu, analysed.result, export_session_facts)
    document = json.loads((tmp_path / "out" / "analysis.json").read_text(encoding="utf-8"))
    assert document["schema"] == SCHEMA
    assert document == json.loads(json.dumps(analysed.result.document))
    assert "input" not in document
    assert json.loads((tmp_path / "out" / "session.json").read_text())["activity"] == "overground walk"


def test_input_names_the_recording_only_with_identifying_fields(
    tmp_path: Path, analysed: Analysed, export_session_facts: ExportSession
) -> None:
    session = dataclasses.replace(export_session_facts, include_identifying=True, source_file="s07.anklet")
    export_session("json", tmp_path / "out", analysed.imu, analysed.result, session)
    document = json.loads((tmp_path / "out" / "analysis.json").read_text(encoding="utf-8"))
    assert document["input"] == {"recording": "s07.anklet"}
    assert "input" not in analysed.result.document
