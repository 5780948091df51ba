"""Sagittal templates: shape, periodic angle and the IC/FC feature definitions."""

from __future__ import annotations

import numpy as np
import pytest

from anklet.simulate import STANCE_FRACTION_RANGE, event_features, sagittal_template

CASES = [
    (placement, mode, f)
    for placement in ("ankle", "foot")
    for mode in ("walk", "run")
    for f in np.linspace(*STANCE_FRACTION_RANGE[mode], 4).round(3)
]


def test_event_features_on_an_analytic_cycle() -> None:
    # rate = sin(2 pi (x - 0.5)): peak at 0.75, downward zero at 1.0, trough at 0.25,
    # upward zero at 0.5 -> foot IC midpoint(1.0, 1.25) = 0.125, ankle IC = 0.25,
    # FC = midpoint(0.25, 0.5) = 0.375
    x = np.arange(4096) / 4096
    rate = np.sin(2 * np.pi * (x - 0.5))
    ankle_ic, ankle_fc = event_features(rate, "ankle")
    foot_ic, foot_fc = event_features(rate, "foot")
    assert ankle_ic == pytest.approx(0.25, abs=1e-3)
    assert foot_ic == pytest.approx(0.125, abs=1e-3)
    assert ankle_fc == pytest.approx(0.375, abs=1e-3)
    assert foot_fc == pytest.approx(0.375, abs=1e-3)


@pytest.mark.parametrize(("placement", "mode", "f"), CASES)
def test_template_puts_events_and_peak_where_documented(
    placement: str, mode: str, f: float
) -> None:
    template = sagittal_template(placement, mode, float(f), 350.0, 1.1)
    rate = template.rate_dps[:-1]
    ic, fc = event_features(rate, placement)
    assert min(ic, 1 - ic) < 1e-4
    assert fc == pytest.approx(f, abs=1e-4)
    assert rate.max() == pytest.approx(350.0)
    peak_phase = np.argmax(rate) / rate.size
    assert f < peak_phase < 1.0  # the swing lobe peaks in swing
    # periodic angle: the cycle's rates integrate to zero
    assert template.angle_deg[-1] == pytest.approx(template.angle_deg[0], abs=1e-6)


@pytest.mark.parametrize("mode", ["walk", "run"])
def test_shank_rotates_slowly_forward_in_stance(mode: str) -> None:
    f = 0.6 if mode == "walk" else 0.38
    template = sagittal_template("ankle", mode, f, 300.0, 1.1)
    mid_stance = template.rate_at(np.linspace(0.25 * f, 0.6 * f, 50))
    assert np.all(mid_stance < 0)
    assert np.all(mid_stance > -0.5 * 300.0)


def test_foot_is_still_during_foot_flat_and_pushes_off_hard() -> None:
    f = 0.6
    template = sagittal_template("foot", "walk", f, 300.0, 1.1)
    flat = template.rate_at(np.linspace(0.2 * f, 0.4 * f, 50))
    assert np.all(np.abs(flat) < 5.0)
    push_off = template.rate_at(np.linspace(0.8 * f, f, 200)).min()
    assert push_off < -0.5 * 300.0


def test_rate_scales_with_the_requested_peak_and_angle_with_stride_time() -> None:
    small = sagittal_template("ankle", "walk", 0.6, 200.0, 1.0)
    large = sagittal_template("ankle", "walk", 0.6, 400.0, 2.0)
    assert large.rate_dps == pytest.approx(2.0 * small.rate_dps)
    assert large.angle_deg == pytest.approx(4.0 * small.angle_deg)
