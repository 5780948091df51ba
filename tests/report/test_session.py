"""Session report model: the clear errors, and the content of page 1."""

from __future__ import annotations

from dataclasses import replace

import pytest

from anklet.analysis import analyze
from anklet.errors import InsufficientDataError
from anklet.report import ReportOptionError, session_report, write_report
from anklet.report.document import Figure, Table
from anklet.simulate import Stand, simulate_session

from .conftest import simulated_walk


def test_one_leg_only_is_a_clear_error(demo_input):
    one_leg = replace(demo_input, result=analyze({"left": simulated_walk(8.0, seed=5).imu["left"]}))
    # (the CLI path of a one-sensor recording is tested in test_cli_report.py)
    with pytest.raises(InsufficientDataError, match="no data from the right sensor.*both legs"):
        session_report(one_leg)


def test_no_strides_is_a_clear_error(demo_input):
    standing = simulate_session(bouts=[Stand(20.0)], seed=1)
    with pytest.raises(InsufficientDataError, match="no steady-state strides on the left and right legs"):
        session_report(replace(demo_input, result=analyze(standing.imu)))


def test_unknown_output_suffix_is_a_clear_error(demo_report, tmp_path):
    with pytest.raises(ReportOptionError, match=r"must end in \.pdf or \.html"):
        write_report(demo_report, tmp_path / "report.docx")
    with pytest.raises(ReportOptionError, match="does not exist"):
        write_report(demo_report, tmp_path / "missing" / "report.pdf")


def test_page_one_says_which_leg_differs_and_how(demo_report, demo_input):
    tables = {b.label: b for b in demo_report.blocks if isinstance(b, Table)}
    assert {"session", "asymmetry", "bilateral", "quality"} <= set(tables)
    swing = next(row for row in tables["asymmetry"].rows if row[0].startswith("swing time"))
    si = demo_input.result.document["asymmetry"]["swing_time"]["symmetry_index_pct"]
    assert swing[4] == f"{si:+.1f}" and 5.0 < si < 11.0  # imposed: right swing 8 % longer
    text = " ".join(getattr(b, "text", "") for b in demo_report.blocks)
    assert "Right swing time is" in text and "longer than left" in text
    labels = [b.label for b in demo_report.blocks if isinstance(b, Figure)]
    assert labels == ["bars", "trend", "timeline", "gait_cycle", "quality"]
