"""``anklet export`` end to end, through the real command-line entry point."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from anklet.cli import main
from anklet.recording import Recording

from .conftest import (
    SECRET_ADDRESS,
    SECRET_NOTES,
    START,
    Analysed,
    bids_errors,
    validate_bids,
)


def test_a_non_empty_output_directory_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    status = main(["export", str(tmp_path / "missing.anklet"), "--format", "csv", "-o", str(tmp_path / "out")])
    assert status == 2
    assert "is not empty" in capsys.readouterr().err
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["keep.txt"]


def test_a_missing_parent_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["export", str(tmp_path / "x.anklet"), "--format", "bids", "-o", str(tmp_path / "a" / "b")])
    assert status == 2
    assert "parent directory" in capsys.readouterr().err


def test_bids_labels_need_bids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["export", "x.anklet", "--format", "csv", "-o", str(tmp_path / "o"), "--session", "pre"])
    assert status == 2
    assert "--format bids" in capsys.readouterr().err


def test_a_missing_recording_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["export", str(tmp_path / "missing.anklet"), "--format", "json", "-o", str(tmp_path / "o")])
    assert status == 2
    assert "missing.anklet" in capsys.readouterr().err


def _all_text(root: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(root.rglob("*")) if p.is_file())


@pytest.mark.parametrize("export_format", ["csv", "json", "bids"])
def test_no_identifying_field_leaves_without_opt_in(
    tmp_path: Path, analysed: Analysed, export_format: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["export", str(analysed.path), "--format", export_format, "-o", str(out)]) == 0
    assert f"files to {out}" in capsys.readouterr().out
    text = _all_text(out)
    sensors = Recording.open(analysed.path).sensors
    secrets = [SECRET_NOTES, SECRET_ADDRESS, "2026-03-04", "jane_roe"]
    secrets += [info.address for info in sensors.values()] + [info.name for info in sensors.values()]
    assert [secret for secret in secrets if secret in text] == []
    assert "S-07" in text or "sub-S07" in text


def test_identifying_fields_on_request(tmp_path: Path, analysed: Analysed) -> None:
    out = tmp_path / "out"
    assert main(["export", str(analysed.path), "--format", "csv", "-o", str(out), "--include-identifying"]) == 0
    session = json.loads((out / "session.json").read_text(encoding="utf-8"))
    assert session["notes"] == SECRET_NOTES and session["start_time_utc"] == START.isoformat()
    assert session["source_file"] == analysed.path.name


def test_csv_strides_are_the_recording_analysis(tmp_path: Path, analysed: Analysed) -> None:
    out = tmp_path / "out"
    assert main(["export", str(analysed.path), "--format", "csv", "-o", str(out)]) == 0
    with (out / "strides.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    for side, leg in analysed.result.gait.legs.items():
        swing = [float(r["swing_time_s"]) for r in rows if r["side"] == side]
        assert swing == leg.strides.swing_time_s.tolist()


def test_json_equals_anklet_analyze(tmp_path: Path, analysed: Analysed) -> None:
    out = tmp_path / "out"
    assert main(["export", str(analysed.path), "--format", "json", "-o", str(out)]) == 0
    assert main(["analyze", str(analysed.path), "--json", str(tmp_path / "analyze.json")]) == 0
    exported = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    analysed_json = json.loads((tmp_path / "analyze.json").read_text(encoding="utf-8"))
    assert "input" not in exported and exported["quality"]["left"]["protocol"] == "movesense"
    assert exported == {k: v for k, v in analysed_json.items() if k != "input"}


def test_bids_from_a_recording_is_valid(tmp_path: Path, analysed: Analysed) -> None:
    out = tmp_path / "bids"
    args = ["export", str(analysed.path), "--format", "bids", "-o", str(out), "--session", "week 3"]
    assert main([*args, "--include-identifying"]) == 0
    motion = out / "sub-S07" / "ses-week3" / "motion"
    assert (motion / "sub-S07_ses-week3_task-overgroundwalk_tracksys-imu_motion.tsv").is_file()
    assert (out / "sub-S07" / "ses-week3" / "sub-S07_ses-week3_scans.tsv").read_text().count("2026-03-04T10:11:1") == 1
    assert bids_errors(validate_bids(out)) == []
