"""Sensor model: mounting rotation, clock offset/drift/jitter, loss, noise, range."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from anklet.simulate import (
    GRAVITY_MPS2,
    GaitSpec,
    SensorSpec,
    Stand,
    Walk,
    simulate_session,
)
from anklet.simulate.sensor import lost_samples

QUIET = SensorSpec(
    gyr_noise_density_dps_per_sqrt_hz=0.0, acc_noise_density_mps2_per_sqrt_hz=0.0
)
BOUTS = [Stand(1.0), Walk(4), Stand(1.0)]


def _quiet(**changes) -> SensorSpec:
    return replace(QUIET, **changes)


def test_mounting_rotation_rotates_and_preserves_norms() -> None:
    plain = simulate_session(GaitSpec(), QUIET, QUIET, bouts=BOUTS, seed=4)
    turned = simulate_session(
        GaitSpec(),
        _quiet(mounting_rotation_deg=(30.0, -50.0, 120.0)),
        QUIET,
        bouts=BOUTS,
        seed=4,
    )
    a, b = plain.imu["left"], turned.imu["left"]
    rotation = turned.truth.mounting_rotation["left"]
    assert not np.allclose(rotation, np.eye(3))
    assert np.linalg.norm(b.gyr_dps, axis=1) == pytest.approx(
        np.linalg.norm(a.gyr_dps, axis=1)
    )
    assert np.linalg.norm(b.acc_mps2, axis=1) == pytest.approx(
        np.linalg.norm(a.acc_mps2, axis=1)
    )
    assert not np.allclose(b.gyr_dps, a.gyr_dps, atol=1.0)
    # v_segment = R @ v_sensor
    assert b.gyr_dps @ rotation.T == pytest.approx(a.gyr_dps, abs=1e-9)
    assert b.acc_mps2 @ rotation.T == pytest.approx(a.acc_mps2, abs=1e-9)


def test_random_mounting_is_a_seeded_proper_rotation() -> None:
    random_mount = _quiet(mounting_rotation_deg=None)
    first = simulate_session(
        GaitSpec(), random_mount, random_mount, bouts=[Stand(1.0)], seed=9
    )
    again = simulate_session(
        GaitSpec(), random_mount, random_mount, bouts=[Stand(1.0)], seed=9
    )
    other = simulate_session(
        GaitSpec(), random_mount, random_mount, bouts=[Stand(1.0)], seed=10
    )
    r = first.truth.mounting_rotation["right"]
    assert r @ r.T == pytest.approx(np.eye(3), abs=1e-12)
    assert np.linalg.det(r) == pytest.approx(1.0)
    assert r == pytest.approx(again.truth.mounting_rotation["right"])
    assert not np.allclose(r, other.truth.mounting_rotation["right"])
    assert not np.allclose(r, first.truth.mounting_rotation["left"])
    # standing: the accelerometer reads gravity (+y of the segment) in the sensor frame
    assert first.imu["right"].acc_mps2 == pytest.approx(
        np.tile(r.T @ [0.0, GRAVITY_MPS2, 0.0], (200, 1))
    )


def test_clock_offset_and_drift_change_timestamps_as_specified() -> None:
    spec = _quiet(clock_offset_s=1000.0, clock_drift_ppm=200.0, sampling_rate_hz=100.0)
    session = simulate_session(GaitSpec(), spec, QUIET, bouts=[Stand(600.0)], seed=0)
    imu, clock = session.imu["left"], session.clock["left"]
    # stamps are the sensor clock's ticks, taken at the mapped session instants
    assert imu.time_s == pytest.approx(clock.sample_index / 100.0)
    assert imu.time_s == pytest.approx(
        spec.sensor_time_s(clock.session_time_s), abs=1e-9
    )
    assert imu.time_s[0] == pytest.approx(1000.0, abs=0.01)
    # 600 true seconds last 600 * (1 + 200e-6) on the sensor: 12 extra samples
    assert len(imu) == 60012
    assert np.diff(clock.session_time_s) == pytest.approx(0.01 / (1 + 200e-6))
    assert len(session.imu["right"]) == 120000


@pytest.mark.parametrize(
    ("jitter_s", "expected_sd_s"), [(0.0005, 0.0005), (0.05, 0.002)]
)
def test_jitter_has_the_given_sd_and_keeps_timestamps_increasing(
    jitter_s: float, expected_sd_s: float
) -> None:
    session = simulate_session(
        GaitSpec(),
        _quiet(timestamp_jitter_s=jitter_s),
        QUIET,
        bouts=[Stand(60.0)],
        seed=2,
    )
    imu, clock = session.imu["left"], session.clock["left"]
    error = imu.time_s - clock.sample_index / 200.0
    assert np.all(np.diff(imu.time_s) > 0)
    assert np.abs(error).max() <= 0.4 / 200.0 + 1e-12  # clipped at 0.4 sample periods
    assert error.std() == pytest.approx(expected_sd_s, rel=0.05)


@pytest.mark.parametrize(("fraction", "burst"), [(0.02, 1.0), (0.1, 4.0)])
def test_lost_fraction_and_burst_length(fraction: float, burst: float) -> None:
    lost = lost_samples(400_000, fraction, burst, np.random.default_rng(1))
    assert lost.mean() == pytest.approx(fraction, rel=0.05)
    starts = np.flatnonzero(np.diff(lost.astype(int)) == 1)
    mean_run = lost.sum() / starts.size
    assert mean_run == pytest.approx(
        burst / (1.0 - fraction), rel=0.15
    )  # overlaps merge bursts


def test_session_drops_the_requested_fraction() -> None:
    spec = _quiet(dropped_sample_fraction=0.05)
    session = simulate_session(GaitSpec(), spec, QUIET, duration_s=300.0, seed=3)
    clock = session.clock["left"]
    assert 1.0 - len(session.imu["left"]) / clock.samples_taken == pytest.approx(
        0.05, abs=0.006
    )
    assert np.all(np.diff(clock.sample_index) >= 1)
    assert len(session.imu["right"]) == 60000


def test_noise_bias_and_range() -> None:
    spec = SensorSpec(
        gyr_noise_density_dps_per_sqrt_hz=0.02,
        acc_noise_density_mps2_per_sqrt_hz=0.002,
        gyr_bias_dps=(1.0, -2.0, 0.5),
        gyr_range_dps=250.0,
    )
    session = simulate_session(
        GaitSpec(), spec, spec, bouts=[Stand(20.0), Walk(5)], seed=6
    )
    imu = session.imu["left"]
    still = imu.time_s < 19.0
    assert imu.gyr_dps[still].mean(axis=0) == pytest.approx([1.0, -2.0, 0.5], abs=0.03)
    assert imu.gyr_dps[still].std(axis=0) == pytest.approx(
        np.full(3, 0.02 * np.sqrt(100.0)), rel=0.05
    )
    assert imu.acc_mps2[still].std(axis=0) == pytest.approx(
        np.full(3, 0.002 * np.sqrt(100.0)), rel=0.05
    )
    assert imu.gyr_dps.max() == 250.0  # the 300 deg/s swing peak saturates
