"""GyroEventDetector on synthetic sagittal angular velocities with known features."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import signal

from anklet.gait.events import GyroEventDetector, _lowpass

SAMPLING_RATE_HZ = 100.0
MID_SWINGS_S = (2.0, 3.1, 4.2, 5.3)


def _gauss(t_s: np.ndarray, centre_s: float, width_s: float, amplitude_dps: float) -> np.ndarray:
    return amplitude_dps * np.exp(-0.5 * ((t_s - centre_s) / width_s) ** 2)


def _walk_dps(t_s: np.ndarray, last_step: str) -> np.ndarray:
    """Push-off trough, swing lobe and contact trough per stride; the last stride ends as told.

    ``last_step``: "rest" (the leg stops: a shallow undershoot, then stillness),
    "trough" (a normal contact trough) or "moves" (a slow backward rotation
    whose trough lies beyond the search window: not at rest, no contact found).
    """
    x = np.zeros_like(t_s)
    for ms in MID_SWINGS_S:
        x += _gauss(t_s, ms - 0.25, 0.04, -250.0) + _gauss(t_s, ms, 0.09, 300.0)
        if ms != MID_SWINGS_S[-1]:
            x += _gauss(t_s, ms + 0.22, 0.03, -200.0)
    last = MID_SWINGS_S[-1]
    if last_step == "rest":
        x += _gauss(t_s, last + 0.3, 0.06, -12.0)
    elif last_step == "trough":
        x += _gauss(t_s, last + 0.22, 0.03, -200.0)
    else:
        x += _gauss(t_s, last + 0.6, 0.2, -60.0)
    return x


def _downward_zero_crossing_s(t_s: np.ndarray, x: np.ndarray, after_s: float) -> float:
    i = np.flatnonzero((t_s[1:] > after_s) & (x[:-1] >= 0.0) & (x[1:] < 0.0))[0]
    return float(t_s[i] + x[i] / (x[i] - x[i + 1]) / SAMPLING_RATE_HZ)


@pytest.mark.parametrize("placement", ["ankle", "foot"])
def test_last_step_ending_at_rest_gets_its_ic_at_the_zero_crossing(placement):
    t = np.arange(0.0, 8.0, 1.0 / SAMPLING_RATE_HZ)
    x = _walk_dps(t, "rest")
    swings = GyroEventDetector(placement).detect(x, SAMPLING_RATE_HZ)
    assert len(swings) == len(MID_SWINGS_S)
    assert np.all(np.isfinite(swings.initial_contacts_s))
    expected = _downward_zero_crossing_s(t, x, MID_SWINGS_S[-1])
    assert swings.initial_contacts_s[-1] == pytest.approx(expected, abs=0.02)


@pytest.mark.parametrize("placement", ["ankle", "foot"])
def test_a_contact_trough_is_preferred_to_the_rest_rule(placement):
    t = np.arange(0.0, 8.0, 1.0 / SAMPLING_RATE_HZ)
    x = _walk_dps(t, "trough")
    swings = GyroEventDetector(placement).detect(x, SAMPLING_RATE_HZ)
    crossing = _downward_zero_crossing_s(t, x, MID_SWINGS_S[-1])
    trough = MID_SWINGS_S[-1] + 0.22
    expected = trough if placement == "ankle" else 0.5 * (crossing + trough)
    assert swings.initial_contacts_s[-1] == pytest.approx(expected, abs=0.015)


def test_a_swing_followed_by_slow_rotation_without_trough_has_no_ic():
    t = np.arange(0.0, 8.0, 1.0 / SAMPLING_RATE_HZ)
    swings = GyroEventDetector("foot").detect(_walk_dps(t, "moves"), SAMPLING_RATE_HZ)
    assert np.isnan(swings.initial_contacts_s[-1])
    assert np.all(np.isfinite(swings.initial_contacts_s[:-1]))


def test_the_rest_rule_waits_for_its_whole_window():
    """Data ending soon after the crossing may still hold a trough: no IC yet (the live path)."""
    t = np.arange(0.0, 8.0, 1.0 / SAMPLING_RATE_HZ)
    x = _walk_dps(t, "rest")
    detector = GyroEventDetector("ankle")
    crossing = _downward_zero_crossing_s(t, x, MID_SWINGS_S[-1])
    cut = t <= crossing + 0.5 * detector.max_contact_search_s - 0.05
    assert np.isnan(detector.detect(x[cut], SAMPLING_RATE_HZ).initial_contacts_s[-1])
    cut = t <= crossing + 0.5 * detector.max_contact_search_s + 0.05
    assert np.isfinite(detector.detect(x[cut], SAMPLING_RATE_HZ).initial_contacts_s[-1])


@pytest.mark.parametrize("cutoff_hz", [3.0, 15.0, 45.0])
def test_zero_phase_lowpass_equals_sosfiltfilt_bit_for_bit(cutoff_hz):
    rng = np.random.default_rng(int(cutoff_hz))
    lowpass = _lowpass(cutoff_hz, 200.0)
    for n in (24, 257, 3000):
        x = np.cumsum(rng.normal(size=n)) * 40.0
        np.testing.assert_array_equal(lowpass(x), signal.sosfiltfilt(lowpass.sos, x))


def _slow_stride_dps(
    t_s: np.ndarray, swing_peak_dps: float, contact_trough_dps: float, stance_dps: float = -5.0
) -> np.ndarray:
    """Very slow strides: push-off trough 0.55 s before mid-swing (beyond the 0.5 s
    contact search), a swing lobe, a contact trough, then the slow backward rotation of
    the stance leg (``stance_dps``) until the next push-off."""
    x = np.full_like(t_s, stance_dps)
    for ms in (2.0, 4.7, 7.4):
        x += _gauss(t_s, ms - 0.55, 0.08, -40.0) + _gauss(t_s, ms, 0.12, swing_peak_dps - stance_dps)
        x += _gauss(t_s, ms + 0.36, 0.04, contact_trough_dps)
    return x


def test_a_shallow_contact_trough_counts_after_a_weak_swing_only():
    """Prominence >= min(20 deg/s, 20 % of the swing peak): a trough standing out by
    18 deg/s after an 80 deg/s swing is a contact; after a 300 deg/s swing it is noise."""
    t = np.arange(0.0, 9.0, 1.0 / SAMPLING_RATE_HZ)
    x = _slow_stride_dps(t, 80.0, -19.0)
    weak = GyroEventDetector("ankle").detect(x, SAMPLING_RATE_HZ)
    after_swing = [(t > ms + 0.2) & (t < ms + 0.7) for ms in (2.0, 4.7, 7.4)]
    contact_trough_s = [t[m][np.argmin(x[m])] for m in after_swing]
    np.testing.assert_allclose(weak.initial_contacts_s, contact_trough_s, atol=0.015)
    strong = GyroEventDetector("ankle").detect(_slow_stride_dps(t, 300.0, -19.0), SAMPLING_RATE_HZ)
    assert np.isnan(strong.initial_contacts_s).all()


def test_a_weak_swings_contact_trough_counts_when_stance_rotation_hides_its_prominence():
    """After an 80 deg/s swing the contact trough sinks to -26 deg/s, but the stance leg
    then rotates back at -12 deg/s, so the trough stands out by only 14 deg/s (< 20 % of
    the swing peak): the deepest point of the window is the contact."""
    t = np.arange(0.0, 9.0, 1.0 / SAMPLING_RATE_HZ)
    x = _slow_stride_dps(t, 80.0, -14.0, stance_dps=-12.0)
    swings = GyroEventDetector("ankle").detect(x, SAMPLING_RATE_HZ)
    after_swing = [(t > ms + 0.2) & (t < ms + 0.7) for ms in (2.0, 4.7, 7.4)]
    contact_trough_s = [t[m][np.argmin(x[m])] for m in after_swing]
    np.testing.assert_allclose(swings.initial_contacts_s, contact_trough_s, atol=0.015)


def test_a_weak_swing_sinking_into_stance_without_a_trough_has_no_ic():
    """No rise after the deepest point (the leg just keeps rotating backwards): no IC."""
    t = np.arange(0.0, 9.0, 1.0 / SAMPLING_RATE_HZ)
    swings = GyroEventDetector("ankle").detect(_slow_stride_dps(t, 80.0, 0.0, stance_dps=-30.0), SAMPLING_RATE_HZ)
    assert len(swings) == 3 and np.isnan(swings.initial_contacts_s).all()


@pytest.mark.parametrize("placement", ["ankle", "foot"])
def test_a_push_off_trough_before_the_search_window_is_followed(placement):
    t = np.arange(0.0, 9.0, 1.0 / SAMPLING_RATE_HZ)
    swings = GyroEventDetector(placement).detect(_slow_stride_dps(t, 80.0, -30.0), SAMPLING_RATE_HZ)
    assert len(swings) == 3 and np.all(np.isfinite(swings.final_contacts_s))
    # FC = midpoint of the push-off trough and the upward zero crossing after it.
    fc_s, ms_s = swings.final_contacts_s, swings.mid_swing_s
    assert np.all((fc_s > ms_s - 0.55) & (fc_s < ms_s))



def _running_dps(t_s: np.ndarray, last_push_off_dps: float, last_stance_dps: float = -200.0) -> np.ndarray:
    """Running strides 0.7 s apart: a contact trough (-380 deg/s) 0.23 s after mid-swing,
    a short stance, a push-off trough (-430 deg/s) 0.24 s before the next mid-swing. The
    last stride's stance and push-off are ``last_stance_dps`` and ``last_push_off_dps``."""
    mid_swings = (2.0, 2.7, 3.4, 4.1)
    x = np.zeros_like(t_s)
    for k, ms in enumerate(mid_swings):
        last = k == len(mid_swings) - 1
        x += _gauss(t_s, ms - 0.24, 0.025, last_push_off_dps if last else -430.0) + _gauss(t_s, ms, 0.07, 600.0)
        x += _gauss(t_s, ms + 0.23, 0.03, -380.0)
        x += _gauss(t_s, ms + 0.38, 0.05, last_stance_dps if k == len(mid_swings) - 2 else -200.0)
    return x


@pytest.mark.parametrize("placement", ["ankle", "foot"])
def test_a_push_off_shallower_than_the_previous_contact_trough_is_found(placement):
    """The last, weaker push-off of a running bout (-300 deg/s after a -380 deg/s landing):
    the search window opens on the previous contact trough, still deeper than it."""
    t = np.arange(0.0, 6.0, 1.0 / SAMPLING_RATE_HZ)
    x = _running_dps(t, -300.0)
    swings = GyroEventDetector(placement).detect(x, SAMPLING_RATE_HZ)
    assert len(swings) == 4 and np.all(np.isfinite(swings.final_contacts_s))
    ms = swings.mid_swing_s[-1]
    before = (t > ms - 0.35) & (t < ms - 0.1)
    trough_s = t[before][np.argmin(x[before])]
    crossing_s = _downward_zero_crossing_s(t, -x, trough_s)
    assert swings.final_contacts_s[-1] == pytest.approx(0.5 * (trough_s + crossing_s), abs=0.015)


def test_a_wiggle_rising_out_of_the_contact_trough_is_no_push_off():
    """No stance rotation and no push-off after the contact trough, only a -5 deg/s
    wiggle before the swing: no FC rather than the wiggle."""
    t = np.arange(0.0, 6.0, 1.0 / SAMPLING_RATE_HZ)
    x = _running_dps(t, 0.0, last_stance_dps=0.0) + _gauss(t, 3.8, 0.01, -5.0)
    swings = GyroEventDetector("ankle").detect(x, SAMPLING_RATE_HZ)
    assert len(swings) == 4 and np.isnan(swings.final_contacts_s[-1])
