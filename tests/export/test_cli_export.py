"""``anklet export`` end to end, through the real command-line entry point."""

from __future__ import annotations

from pathlib import Path

import pytest

from anklet.cli import main


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
