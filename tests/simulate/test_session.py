"""Whole sessions: determinism, and the signal features at the documented places
relative to the true events (the definitions in docs/simulation.md)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from anklet.imu import ImuData
from anklet.simulate import (
    GRAVITY_MPS2,
    GaitSpec,
    SensorSpec,
    Stand,
    Turn,
    Walk,
    simulate_session,
)

QUIET = SensorSpec(
    gyr_noise_density_dps_per_sqrt_hz=0.0, acc_noise_density_mps2_per_sqrt_hz=0.0
)
RATE_HZ = 1000.0  # fine sampling so feature times are read to 1 ms
SAMPLE_S = 1.0 / RATE_HZ


def _session(gait: GaitSpec, placement: str, seed: int = 0, strides: int = 8):
    spec = replace(QUIET, placement=placement, sampling_rate_hz=RATE_HZ)
    return simulate_session(
        gait, spec, spec, bouts=[Stand(1.0), Walk(strides), Stand(1.0)], seed=seed
    )


def _trough(t: np.ndarray, x: np.ndarray, lo: float, hi: float) -> float:
    window = (t >= lo) & (t <= hi)
    return float(t[window][np.argmin(x[window])])


def _crossing(t: np.ndarray, x: np.ndarray, after: float, upward: bool) -> float:
    """First zero crossing of x after time ``after`` (linear interpolation)."""
    k = np.flatnonzero(
        (t[:-1] >= after)
        & ((x[:-1] <= 0) & (x[1:] > 0) if upward else (x[:-1] > 0) & (x[1:] <= 0))
    )[0]
    return float(t[k] + (t[k + 1] - t[k]) * x[k] / (x[k] - x[k + 1]))


def test_same_seed_same_session_other_seed_other_session() -> None:
    gait = GaitSpec()
    spec = SensorSpec(
        mounting_rotation_deg=None,
        dropped_sample_fraction=0.02,
        timestamp_jitter_s=0.001,
    )
    bouts = [Stand(1.0), Walk(5), Turn(2), Walk(3), Stand(1.0)]
    a = simulate_session(gait, spec, spec, bouts=bouts, seed=11)
    b = simulate_session(gait, spec, spec, bouts=bouts, seed=11)
    c = simulate_session(gait, spec, spec, bouts=bouts, seed=12)
    for side in ("left", "right"):
        assert np.array_equal(a.imu[side].time_s, b.imu[side].time_s)
        assert np.array_equal(a.imu[side].gyr_dps, b.imu[side].gyr_dps)
        assert np.array_equal(a.imu[side].acc_mps2, b.imu[side].acc_mps2)
        assert np.array_equal(
            a.truth.legs[side].initial_contacts_s, b.truth.legs[side].initial_contacts_s
        )
        assert not np.array_equal(
            a.truth.legs[side].initial_contacts_s, c.truth.legs[side].initial_contacts_s
        )
        assert isinstance(a.imu[side], ImuData)
    generator_seeded = simulate_session(
        gait, spec, spec, bouts=bouts, seed=np.random.default_rng(5)
    )
    assert len(generator_seeded.imu["left"]) > 0


@pytest.mark.parametrize(
    "gait", [GaitSpec(), GaitSpec(swing_time_asymmetry_pct=15.0), GaitSpec.running()]
)
def test_shank_features_lie_on_the_true_events(gait: GaitSpec) -> None:
    """Ankle: IC = first trough after the swing lobe; FC = midpoint between the trough
    before the swing lobe and the next upward zero crossing; swing peak as imposed."""
    session = _session(gait, "ankle", seed=1)
    for side in ("left", "right"):
        t, gyr = session.imu[side].time_s, session.imu[side].gyr_dps[:, 2]
        strides = session.truth.legs[side].strides
        for k in np.flatnonzero(strides.included):
            start, end, fc = (
                strides.start_s[k],
                strides.end_s[k],
                strides.final_contact_s[k],
            )
            peak_time = _trough(t, -gyr, fc, end)
            zc_down = _crossing(t, gyr, peak_time, upward=False)
            assert _trough(t, gyr, zc_down, zc_down + 0.15) == pytest.approx(
                end, abs=2 * SAMPLE_S
            )
            fc_trough = _trough(t, gyr, fc - 0.2 * (fc - start), fc)
            fc_feature = 0.5 * (fc_trough + _crossing(t, gyr, fc_trough, upward=True))
            assert fc_feature == pytest.approx(fc, abs=2 * SAMPLE_S)
            assert gyr.max(
                where=(t > fc) & (t < end), initial=-np.inf
            ) == pytest.approx(strides.peak_swing_angular_velocity_dps[k], rel=0.02)
            assert 0.3 < (peak_time - fc) / (end - fc) < 0.8


@pytest.mark.parametrize("gait", [GaitSpec(), GaitSpec.running()])
def test_foot_features_lie_on_the_true_events(gait: GaitSpec) -> None:
    """Foot: IC = midpoint between the downward zero crossing after the swing lobe and
    the trough after it; FC = midpoint between the push-off trough and the upward
    zero crossing after it."""
    session = _session(gait, "foot", seed=2)
    t, gyr = session.imu["right"].time_s, session.imu["right"].gyr_dps[:, 2]
    strides = session.truth.legs["right"].strides
    for k in np.flatnonzero(strides.included):
        start, end, fc = (
            strides.start_s[k],
            strides.end_s[k],
            strides.final_contact_s[k],
        )
        peak_time = _trough(t, -gyr, fc, end)
        zc_down = _crossing(t, gyr, peak_time, upward=False)
        ic_feature = 0.5 * (zc_down + _trough(t, gyr, zc_down, zc_down + 0.15))
        assert ic_feature == pytest.approx(end, abs=2 * SAMPLE_S)
        push_off = _trough(t, gyr, fc - 0.3 * (fc - start), fc)
        assert gyr[t == push_off][0] < -0.5 * gait.peak_swing_angular_velocity_dps
        fc_feature = 0.5 * (push_off + _crossing(t, gyr, push_off, upward=True))
        assert fc_feature == pytest.approx(fc, abs=2 * SAMPLE_S)


@pytest.mark.parametrize("gait", [GaitSpec(), GaitSpec.running()])
def test_impact_spike_follows_each_contact(gait: GaitSpec) -> None:
    with_impact = _session(gait, "ankle", seed=3)
    without = _session(replace(gait, impact_peak_g=0.0), "ankle", seed=3)
    t = with_impact.imu["left"].time_s
    spike = np.linalg.norm(
        with_impact.imu["left"].acc_mps2 - without.imu["left"].acc_mps2, axis=1
    )
    truth = with_impact.truth.legs["left"]
    strides = truth.strides
    for k in np.flatnonzero(strides.included):
        ic = strides.start_s[k]
        window = (t >= ic) & (t < ic + 0.1)
        assert spike[window].max() == pytest.approx(
            gait.impact_peak_g * GRAVITY_MPS2, rel=0.01
        )
        assert (
            0.002 < t[window][np.argmax(spike[window])] - ic < 0.012
        )  # a sharp spike just after IC
    since_ic = (
        t
        - truth.initial_contacts_s[
            np.maximum(np.searchsorted(truth.initial_contacts_s, t) - 1, 0)
        ]
    )
    assert np.all(spike[(since_ic < 0) | (since_ic > 0.15)] == 0.0)


def test_standing_is_still_and_upright() -> None:
    session = simulate_session(
        GaitSpec(), QUIET, QUIET, bouts=[Stand(2.0), Walk(3), Stand(2.0)], seed=0
    )
    for side in ("left", "right"):
        imu = session.imu[side]
        start, end = session.truth.gait_bouts_s[0]
        still = (imu.time_s < start) | (imu.time_s > end)
        assert imu.gyr_dps[still] == pytest.approx(np.zeros((still.sum(), 3)), abs=1e-9)
        assert imu.acc_mps2[still] == pytest.approx(
            np.tile([0.0, GRAVITY_MPS2, 0.0], (still.sum(), 1))
        )
        moving = ~still
        assert np.abs(imu.gyr_dps[moving, 2]).max() > 100.0


def test_sagittal_rate_integrates_to_the_pitch_over_each_stride() -> None:
    """The angle is the integral of the rate: over a steady stride (IC to IC) the
    sagittal rate integrates to ~0 and gravity tilts the accelerometer by it."""
    session = _session(GaitSpec(out_of_plane_amplitude_deg=0.0), "ankle", seed=4)
    imu = session.imu["left"]
    strides = session.truth.legs["left"].strides
    for k in np.flatnonzero(strides.included):
        window = (imu.time_s >= strides.start_s[k]) & (imu.time_s <= strides.end_s[k])
        assert np.trapezoid(
            imu.gyr_dps[window, 2], imu.time_s[window]
        ) == pytest.approx(0.0, abs=0.5)
    # in mid-stance the shank is still, near vertical: the accelerometer sees ~gravity
    k = np.flatnonzero(strides.included)[0]
    mid = strides.start_s[k] + 0.5 * strides.stance_time_s[k]
    acc = imu.acc_mps2[np.argmin(np.abs(imu.time_s - mid))]
    assert np.linalg.norm(acc) == pytest.approx(GRAVITY_MPS2, rel=0.02)
    assert np.degrees(np.arctan2(acc[0], acc[1])) == pytest.approx(0.0, abs=3.0)


def test_turn_shows_on_the_vertical_axis() -> None:
    session = simulate_session(
        GaitSpec(),
        QUIET,
        QUIET,
        bouts=[Stand(1.0), Walk(3), Turn(2, 180.0), Walk(3)],
        seed=5,
    )
    imu = session.imu["right"]
    ((start, end),) = session.truth.turns_s
    during = (imu.time_s >= start) & (imu.time_s <= end)
    turned = np.trapezoid(imu.gyr_dps[during, 1], imu.time_s[during])
    assert 150.0 < turned < 190.0  # the shank's long axis is tilted from vertical
    straight = (imu.time_s > 1.5) & (imu.time_s < start - 1.0)
    assert np.abs(imu.gyr_dps[straight, 1]).max() < 40.0  # out-of-plane only


def test_duration_gives_an_exact_session_with_gait() -> None:
    session = simulate_session(GaitSpec(), QUIET, QUIET, duration_s=60.0, seed=0)
    assert session.duration_s == 60.0
    assert len(session.imu["left"]) == 12000
    assert session.imu["left"].time_s[-1] < 60.0
    strides = session.truth.legs["left"].strides
    assert len(strides) > 40
    assert strides.end_s[-1] < 59.0
    assert (
        simulate_session(GaitSpec(), duration_s=3.0)
        .truth.legs["left"]
        .initial_contacts_s.size
        == 0
    )
