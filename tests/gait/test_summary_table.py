"""Tests of anklet.gait.summary_table: the plain-text asymmetry table."""

from __future__ import annotations

import numpy as np

from anklet.gait.asymmetry import parameter_asymmetry
from anklet.gait.coordination import BilateralCoordination
from anklet.gait.summary_table import format_asymmetry_table


def results():
    return {
        "swing_time": parameter_asymmetry("swing_time", np.full(20, 0.40), np.full(20, 0.44)),
        "stance_time": parameter_asymmetry("stance_time", np.full(20, 0.70), np.full(20, 0.55)),
        "cadence": parameter_asymmetry("cadence", np.full(20, 109.0), np.full(20, 109.0)),
        "peak_swing_angular_velocity": parameter_asymmetry(
            "peak_swing_angular_velocity", np.full(5, 310.0), np.full(20, 300.0)
        ),
        "flight_time": parameter_asymmetry("flight_time", np.zeros(20), np.zeros(20)),
        "double_support_time": parameter_asymmetry("double_support_time", np.empty(0), np.empty(0)),
    }


def bilateral():
    return BilateralCoordination(
        gait_asymmetry_pct=9.53,
        gait_asymmetry_ci95=(8.9, 10.2),
        phase_coordination_index_pct=None,
        phase_coordination_index_ci95=None,
        phase_mean_deg=None,
        phase_abs_deg=None,
        phase_cv_pct=None,
        reference_side="right",
        n_strides=1,
        n_swing_left=20,
        n_swing_right=20,
        flags=("phase coordination index not available: steps not alternating",),
    )


def row(text: str, parameter: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(parameter + " "))


def test_rows_show_values_with_units_signed_si_and_larger_leg():
    text = format_asymmetry_table(results())
    swing = row(text, "swing_time").split()
    assert swing[:7] == ["swing_time", "0.400", "s", "0.440", "s", "+9.5", "right"]
    stance = row(text, "stance_time")
    assert "-24.0" in stance and " left " in stance and "outside healthy range [" in stance
    assert row(text, "cadence").split()[1:6] == ["109.0", "steps/min", "109.0", "steps/min", "+0.0"]
    assert row(text, "cadence").split()[6] == "="
    assert "310 deg/s" in row(text, "peak_swing_angular_velocity")


def test_an_si_that_shows_as_zero_names_no_larger_leg():
    tiny = {"stride_time": parameter_asymmetry("stride_time", np.full(20, 1.1004), np.full(20, 1.1))}
    assert row(format_asymmetry_table(tiny), "stride_time").split()[5:7] == ["-0.0", "="]


def test_columns_are_fixed_width():
    lines = format_asymmetry_table(results()).splitlines()
    header = lines[0]
    si_end = header.index("SI %") + len("SI %")
    for parameter in ("swing_time", "stance_time", "cadence"):
        line = row("\n".join(lines), parameter)
        assert line[si_end - 1] != " " and line[si_end] == " "  # SI right-aligned under its header
    assert "\x1b[" not in "\n".join(lines)


def test_missing_values_print_as_dash_and_notes_are_listed():
    text = format_asymmetry_table(results())
    flight = row(text, "flight_time")
    assert flight.split()[5] == "-"
    empty = row(text, "double_support_time").split()
    assert empty[1:5] == ["-", "-", "-", "-"]
    assert "zero in every stride" in text
    assert "unreliable: only 5 strides on the left leg" in text
    assert "no included strides on the left and right legs" in text


def test_identical_notes_share_one_footnote():
    same = {name: parameter_asymmetry(name, np.empty(0), np.empty(0)) for name in ("swing_time", "stance_time")}
    text = format_asymmetry_table(same)
    assert text.count("no included strides on the left and right legs") == 1
    assert row(text, "swing_time").endswith("[1]") and row(text, "stance_time").endswith("[1]")


def test_bilateral_section():
    text = format_asymmetry_table(results(), bilateral())
    assert "Gait asymmetry GA:         9.5  (95 % CI 8.9 to 10.2)" in text
    assert "Phase coordination index:  -" in text
    assert "  ! phase coordination index not available: steps not alternating" in text
    assert "Gait asymmetry" not in format_asymmetry_table(results())
