"""Lower-envelope clock fit: recovery of offset and drift, rollovers, restarts, online use."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anklet.errors import InsufficientDataError
from anklet.timing.clock import (
    MAX_ENVELOPE_WINDOWS,
    MIN_DRIFT_SPAN_S,
    OnlineClockFit,
    clock_segments,
    fit_clock_model,
    to_session_time,
)

ANKLET_WRAP_S = 2**32 * 1e-6


def _packets(n, period_s, offset_s, drift_ppm, latency_s, rng, *, grid=False, sensor_start_s=100.0):
    """Sensor times, true send times and one-sided-latency arrivals: a wait for
    the next 15 ms connection event (random, or on a fixed event grid), then an
    exponential host delay."""
    sensor_s = sensor_start_s + period_s * np.arange(n)
    send_s = offset_s + sensor_s * (1 + drift_ppm * 1e-6)
    if grid:
        phase_s = 0.015 * rng.random()
        event_s = phase_s + np.ceil((send_s - phase_s) / 0.015) * 0.015
    else:
        event_s = send_s + 0.015 * rng.random(n)
    return sensor_s, send_s, event_s + rng.exponential(latency_s, n)


@settings(max_examples=40, deadline=None)
@given(
    offset_s=st.floats(-5000.0, 5000.0),
    drift_ppm=st.floats(-300.0, 300.0),
    latency_s=st.floats(0.0005, 0.01),
    seed=st.integers(0, 2**32 - 1),
)
def test_fit_recovers_drift_and_offset_from_one_sided_latency(offset_s, drift_ppm, latency_s, seed):
    rng = np.random.default_rng(seed)
    sensor_s, send_s, arrival_s = _packets(3000, 0.1, offset_s, drift_ppm, latency_s, rng)
    model = fit_clock_model(sensor_s, arrival_s)
    # the latency density rises from 0 like t^2 (uniform wait + exponential delay), so
    # the envelope's support points sit up to ~2 ms above the send times: worst of 1500
    # seeds 10 ppm and 3 ms over the 300 s (docs/clock-alignment.md)
    assert model.drift_ppm == pytest.approx(drift_ppm, abs=15.0)
    mapped_s = to_session_time(model, sensor_s)
    assert np.all(mapped_s <= arrival_s + 1e-9), "the envelope lies below every arrival"
    error_s = mapped_s - send_s  # the minimum latency, the same all along
    assert np.all(np.abs(error_s) < 4e-3)
    assert np.ptp(error_s) < 4e-3, "the drift is removed: the error is the same at both ends"
    assert 0.0 < model.residual_s < 0.015 + 3 * latency_s


@pytest.mark.parametrize("seed", range(5))
def test_on_a_connection_event_grid_the_error_is_bounded_by_the_event_spacing(seed):
    # 40 ms packets on a 15 ms event grid: three wait classes 5 ms apart; a class
    # with ~0 wait exists, but its wait slides with the drift and wraps by 5 ms
    rng = np.random.default_rng(seed)
    errors = []
    for offset_s, drift_ppm in ((12.0, -40.0), (-700.0, 60.0)):
        sensor_s, send_s, arrival_s = _packets(3000, 0.04, offset_s, drift_ppm, 0.001, rng, grid=True)
        errors.append(to_session_time(fit_clock_model(sensor_s, arrival_s), sensor_s) - send_s)
    assert np.all(np.abs(np.array(errors)) < 0.005 + 1e-3)


def test_short_span_fits_offset_only():
    sensor_s = np.array([5.0, 5.5, 6.0])
    arrival_s = np.array([1.010, 1.503, 2.020])
    model = fit_clock_model(sensor_s, arrival_s)
    assert MIN_DRIFT_SPAN_S > 1.0
    assert model.drift_ppm == 0.0
    assert model.offset_s == pytest.approx(1.503 - 5.5)
    assert model.residual_s == pytest.approx(0.007)


def test_fit_rejects_empty_and_mismatched_input():
    with pytest.raises(InsufficientDataError):
        fit_clock_model(np.zeros(0), np.zeros(0))
    with pytest.raises(ValueError, match="equal length"):
        fit_clock_model(np.zeros(3), np.zeros(2))


def test_rollover_is_unwrapped_and_a_restart_starts_a_segment():
    period_s, n = 0.1, 400
    raw_s = (ANKLET_WRAP_S - 20.0 + period_s * np.arange(n)) % ANKLET_WRAP_S  # wraps after 200 packets
    arrival_s = 3.0 + period_s * np.arange(n) + 0.005
    raw_s[300:] = period_s * np.arange(100)  # sensor rebooted: clock from 0
    unwrap_s, segment = clock_segments(raw_s, raw_s, arrival_s, wrap_period_s=ANKLET_WRAP_S)
    assert np.all(unwrap_s[:200] == 0.0) and np.all(unwrap_s[200:] == ANKLET_WRAP_S)
    assert np.all(segment[:300] == 0) and np.all(segment[300:] == 1)
    unwrapped_s = raw_s[:300] + unwrap_s[:300]
    assert np.all(np.diff(unwrapped_s) > 0)
    assert fit_clock_model(unwrapped_s, arrival_s[:300]).drift_ppm == pytest.approx(0.0, abs=1e-3)


def test_without_wrap_period_a_rollover_is_a_restart():
    raw_s = np.array([4294.0, 4294.9, 0.8, 1.7])
    arrival_s = np.array([1.0, 1.9, 2.8, 3.7])
    _, segment = clock_segments(raw_s, raw_s, arrival_s)
    assert segment.tolist() == [0, 0, 1, 1]


def test_link_stall_is_no_restart_but_untimed_rise_is():
    sensor_s = 0.02 * np.arange(10)
    arrival_s = sensor_s + 0.01
    arrival_s[5:] += 0.5  # packets delayed (timestamped) or lost (untimed counter)
    _, timed = clock_segments(sensor_s, sensor_s, arrival_s, timestamped=True)
    _, untimed = clock_segments(sensor_s, sensor_s, arrival_s, timestamped=False)
    assert timed.max() == 0
    assert untimed.tolist() == [0] * 5 + [1] * 5


def test_online_fit_matches_the_offline_fit_and_stays_monotonic():
    rng = np.random.default_rng(7)
    sensor_s, send_s, arrival_s = _packets(3000, 0.05, -50.0, 80.0, 0.004, rng)
    fit = OnlineClockFit()
    assert fit.model is None
    with pytest.raises(InsufficientDataError):
        fit.to_session(sensor_s[:1])
    times_s = np.concatenate(
        [fit.update(sensor_s[i] - 0.01 * np.arange(4)[::-1], arrival_s[i]) for i in range(sensor_s.size)]
    )
    assert np.all(np.diff(times_s) > 0)
    offline = fit_clock_model(sensor_s, arrival_s)
    assert fit.model is not None
    assert fit.model.drift_ppm == pytest.approx(offline.drift_ppm, abs=2.0)
    last_s = sensor_s[-1:]
    assert fit.to_session(last_s)[0] == pytest.approx(to_session_time(offline, last_s)[0], abs=5e-4)
    assert abs(times_s[-1] - send_s[-1]) < 0.02


def test_online_fit_unwraps_rollovers_and_reanchors_after_a_restart():
    fit = OnlineClockFit(wrap_period_s=ANKLET_WRAP_S)
    out = [fit.update(np.array([(ANKLET_WRAP_S - 1.0 + 0.1 * k) % ANKLET_WRAP_S]), 10.0 + 0.1 * k) for k in range(100)]
    assert fit.segments == 1
    assert np.all(np.diff(np.concatenate(out)) > 0)
    assert out[-1][0] == pytest.approx(19.9, abs=1e-6)
    after_reboot = fit.update(np.array([0.0, 0.1]), 30.0)
    assert fit.segments == 2
    assert after_reboot[0] > out[-1][0]
    assert after_reboot[1] == pytest.approx(30.0, abs=1e-3)


def test_online_memory_is_bounded():
    fit = OnlineClockFit()
    n = MAX_ENVELOPE_WINDOWS + 500
    for k in range(n):
        fit.update(np.array([float(k)]), 2.0 + k * (1 + 50e-6) + 0.003 * (k % 7))
    assert fit._bin_x.size <= MAX_ENVELOPE_WINDOWS
    assert fit.model is not None and fit.model.drift_ppm == pytest.approx(50.0, abs=0.5)
