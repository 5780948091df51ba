"""Progress report: decreasing imposed asymmetry over three sessions shows as a decrease."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from anklet.errors import InsufficientDataError
from anklet.report import MixedSubjectsWarning, progress_report, write_report
from anklet.report.document import Table
from anklet.report.formatting import signed_pct_text, unsigned_text
from anklet.report.load import load_session

from .conftest import ARTIFACTS


@pytest.fixture(scope="module")
def sessions(progress_paths):
    """Three weekly sessions of one subject (imposed swing asymmetry 14, 8, 2 %), out of time order."""
    return [load_session(path) for path in progress_paths]


def test_the_decrease_shows_in_the_pdf(sessions, tmp_path):
    report = progress_report(sessions)
    path = tmp_path / "progress.pdf"
    write_report(report, path)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(path, ARTIFACTS / "sample_progress_report.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    ordered = sorted(sessions, key=lambda s: s.start_time_utc)
    swing_in_json = [s.result.document["asymmetry"]["swing_time"]["symmetry_index_pct"] for s in ordered]
    ga_in_json = [s.result.document["bilateral"]["gait_asymmetry"] for s in ordered]
    assert swing_in_json[0] > swing_in_json[1] > swing_in_json[2]  # the simulation did what we asked
    lines = text.splitlines()
    for number, (session, swing, ga) in enumerate(zip(ordered, swing_in_json, ga_in_json, strict=True), start=1):
        row = next(
            line.split()
            for line in lines
            if line.split()[:2] == [str(number), f"{session.start_time_utc:%Y-%m-%d}"] and len(line.split()) == 7
        )
        # columns: #, date, stance SI, swing SI, step SI, GA, PCI
        assert row[3] == signed_pct_text(swing) and row[5] == unsigned_text(ga)
    swing_change = next(line for line in lines if line.strip().startswith("swing time SI"))
    assert "smaller (beyond" in swing_change
    assert f"{swing_in_json[2] - swing_in_json[0]:+.1f}" in swing_change
    assert "Measurement accuracy of a change (shank sensors, walking" in " ".join(text.split())


def test_change_table_and_headline(sessions):
    report = progress_report(sessions)
    change = next(b for b in report.blocks if isinstance(b, Table) and b.label == "change")
    rows = {row[0]: row for row in change.rows}
    assert rows["swing time SI (%)"][6] == "smaller (beyond variability)"
    assert rows["gait asymmetry GA"][6] == "smaller (beyond variability)"
    assert float(rows["swing time SI (%)"][7]) < 0  # negative weekly trend
    assert float(rows["stride time SI (%)"][4]) > 0  # an SDC was computed
    per_session = next(b for b in report.blocks if isinstance(b, Table) and b.label == "per_session")
    assert [row[1] for row in per_session.rows] == ["2026-03-02", "2026-03-09", "2026-03-16"]


def test_different_subjects_warn(sessions):
    from dataclasses import replace

    mixed = [sessions[0], replace(sessions[1], subject_id="S08"), sessions[2]]
    with pytest.warns(MixedSubjectsWarning, match="different subjects.*S08"):
        progress_report(mixed)


def test_one_session_is_not_a_progress_report(sessions):
    with pytest.raises(InsufficientDataError, match="at least two sessions"):
        progress_report(sessions[:1])
