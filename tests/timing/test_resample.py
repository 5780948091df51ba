"""Uniform segments: bridging vs splitting, grid phase, interpolation, real IPOL gaps."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from anklet.errors import InsufficientDataError
from anklet.imu import ImuData
from anklet.io import read_xsens_mtw_txt
from anklet.timing import DEFAULT_MAX_BRIDGED_GAP_S, Gap, to_uniform_segments

IPOL_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "datasets" / "ipol-healthy-gait"
IPOL_FILES = sorted(IPOL_DIR.glob("*_[lr]f.txt"))

ACC_SLOPE = np.array([1.0, -2.0, 0.5])
GYR_SLOPE = np.array([100.0, 30.0, -45.0])


def linear_imu(time_s: np.ndarray) -> ImuData:
    """Signals linear in time, so linear interpolation has an exact known answer."""
    return ImuData(time_s, 9.81 + np.outer(time_s, ACC_SLOPE), np.outer(time_s, GYR_SLOPE))


def counters_with_gaps(*missing: int, run: int = 50) -> np.ndarray:
    """Packet counters: runs of `run` packets separated by the given numbers of lost packets."""
    counters, next_counter = [], 0
    for lost in (*missing, None):
        counters.append(np.arange(next_counter, next_counter + run))
        if lost is not None:
            next_counter += run + lost
    return np.concatenate(counters).astype(float)


def test_gap_free_data_give_one_identical_segment() -> None:
    imu = linear_imu(5.0 + np.arange(200) / 100.0)
    segments, gaps = to_uniform_segments(imu)
    assert gaps == [] and len(segments) == 1
    segment = segments[0]
    assert segment.start_s == 5.0 and segment.sampling_rate_hz == pytest.approx(100.0)
    np.testing.assert_allclose(segment.time_s, imu.time_s, atol=1e-12)
    np.testing.assert_allclose(segment.acc_mps2, imu.acc_mps2, atol=1e-9)
    np.testing.assert_allclose(segment.gyr_dps, imu.gyr_dps, atol=1e-9)
    assert not segment.interpolated.any()


def test_short_gap_is_bridged_and_long_gap_splits() -> None:
    time_s = counters_with_gaps(3, 20) / 100.0  # 0.03 s and 0.20 s missing
    segments, gaps = to_uniform_segments(linear_imu(time_s))
    assert [len(s) for s in segments] == [50 + 3 + 50, 50]
    assert [s.start_s for s in segments] == [0.0, time_s[100]]
    assert [int(s.interpolated.sum()) for s in segments] == [3, 0]
    np.testing.assert_array_equal(np.flatnonzero(segments[0].interpolated), [50, 51, 52])
    approx = pytest.approx
    assert gaps == [
        Gap(start_s=approx(0.50), end_s=approx(0.53), duration_s=approx(0.03), bridged=True),
        Gap(start_s=approx(1.03), end_s=approx(1.23), duration_s=approx(0.20), bridged=False),
    ]
    bridged = segments[0]
    np.testing.assert_allclose(bridged.gyr_dps, np.outer(bridged.time_s, GYR_SLOPE), atol=1e-9)


def test_default_bridges_exactly_ten_lost_packets_at_100_hz() -> None:
    assert DEFAULT_MAX_BRIDGED_GAP_S == 0.1
    segments, gaps = to_uniform_segments(linear_imu(counters_with_gaps(10, 11) / 100.0))
    assert [g.bridged for g in gaps] == [True, False]
    assert [len(s) for s in segments] == [110, 50]


def test_zero_max_gap_splits_at_every_gap() -> None:
    imu = linear_imu(counters_with_gaps(1, 2, 1) / 100.0)
    segments, gaps = to_uniform_segments(imu, max_bridged_gap_s=0.0)
    assert len(segments) == 4 and len(gaps) == 3 and not any(g.bridged for g in gaps)
    assert all(len(s) == 50 and not s.interpolated.any() for s in segments)


def test_jittered_times_are_resampled_on_a_grid_anchored_at_the_first_sample() -> None:
    rng = np.random.default_rng(4)
    time_s = 2.0 + (np.arange(1000) + rng.uniform(-0.2, 0.2, 1000)) / 100.0
    segments, gaps = to_uniform_segments(linear_imu(time_s))
    assert gaps == [] and len(segments) == 1
    segment = segments[0]
    assert segment.start_s == time_s[0]
    assert segment.sampling_rate_hz == pytest.approx(100.0, rel=1e-3)
    assert segment.time_s[-1] <= time_s[-1]
    np.testing.assert_allclose(segment.acc_mps2, 9.81 + np.outer(segment.time_s, ACC_SLOPE), atol=1e-9)


def test_explicit_grid_rate_keeps_gap_detection_at_the_native_rate() -> None:
    time_s = counters_with_gaps(1) / 100.0
    segments, gaps = to_uniform_segments(linear_imu(time_s), sampling_rate_hz=200.0)
    assert len(gaps) == 1 and gaps[0].duration_s == pytest.approx(0.01)
    segment = segments[0]
    assert len(segment) == 2 * 100 + 1
    np.testing.assert_allclose(segment.gyr_dps, np.outer(segment.time_s, GYR_SLOPE), atol=1e-9)
    # 200 Hz grid points strictly between the two samples around the lost packet.
    assert int(segment.interpolated.sum()) == 3


def test_invalid_arguments() -> None:
    with pytest.raises(InsufficientDataError):
        to_uniform_segments(linear_imu(np.array([0.0])))
    with pytest.raises(ValueError, match="max_bridged_gap_s"):
        to_uniform_segments(linear_imu(np.arange(10) / 100), max_bridged_gap_s=-1.0)
    with pytest.raises(ValueError, match="sampling_rate_hz"):
        to_uniform_segments(linear_imu(np.arange(10) / 100), sampling_rate_hz=0.0)


@pytest.mark.skipif(not IPOL_FILES, reason=f"IPOL data set not found at {IPOL_DIR}")
@pytest.mark.parametrize("path", IPOL_FILES, ids=[p.name for p in IPOL_FILES])
def test_ipol_gaps_match_counter_jumps(path: Path) -> None:
    counter = np.loadtxt(path, skiprows=2, usecols=0)
    jumps = np.diff(counter)
    lost = jumps[jumps > 1] - 1
    segments, gaps = to_uniform_segments(read_xsens_mtw_txt(path))
    np.testing.assert_allclose([g.duration_s for g in gaps], lost / 100.0, atol=1e-9)
    np.testing.assert_allclose([g.start_s for g in gaps], (counter[:-1][jumps > 1] + 1) / 100.0)
    assert [g.bridged for g in gaps] == (lost <= 10).tolist()
    assert len(segments) == 1 + int((lost > 10).sum())
    assert sum(int(s.interpolated.sum()) for s in segments) == int(lost[lost <= 10].sum())
    assert sum(len(s) for s in segments) == len(counter) + int(lost[lost <= 10].sum())
