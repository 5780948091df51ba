from __future__ import annotations

import numpy as np
import pytest

from anklet.errors import InsufficientDataError
from anklet.export import align_signals
from anklet.imu import ImuData


def _ramp(time_s: np.ndarray, slope: float) -> ImuData:
    """Channels that are linear in time (k-th channel = slope * (k + 1) * t), so
    linear interpolation is exact."""
    columns = slope * np.outer(time_s, np.arange(1, 7))
    return ImuData(time_s, columns[:, :3], columns[:, 3:])


def test_both_legs_share_one_grid_and_interpolate_exactly() -> None:
    left = _ramp(np.arange(0.0, 10.0, 0.01), 1.0)
    right = _ramp(np.arange(0.503, 12.0, 0.01), -2.0)  # starts later, offset by 3 ms
    signals = align_signals({"left": left, "right": right})
    assert signals.sampling_rate_hz == pytest.approx(100.0)
    assert signals.time_s[0] == 0.0
    np.testing.assert_allclose(np.diff(signals.time_s), 0.01, atol=1e-9)
    inside = (signals.time_s >= right.time_s[0]) & (signals.time_s <= right.time_s[-1])
    expected = -2.0 * np.outer(signals.time_s[inside], np.arange(1, 4))
    np.testing.assert_allclose(signals.acc_mps2["right"][inside], expected, atol=1e-9)
    assert np.isnan(signals.gyr_dps["right"][~inside]).all()
    left_outside = signals.time_s > left.time_s[-1] + 1e-6
    assert left_outside.sum() > 100 and np.isnan(signals.acc_mps2["left"][left_outside]).all()
    assert not np.isnan(signals.acc_mps2["left"][~left_outside]).any()


def test_long_gaps_are_nan_short_ones_are_bridged() -> None:
    time_s = np.arange(0.0, 10.0, 0.01)
    short_gap = (time_s > 2.0) & (time_s < 2.05)  # 4 samples lost: bridged
    long_gap = (time_s > 5.0) & (time_s < 6.0)  # ~1 s lost: not bridged
    signals = align_signals({"left": _ramp(time_s[~short_gap & ~long_gap], 1.0)})
    t = signals.time_s
    nan = np.isnan(signals.acc_mps2["left"][:, 0])
    assert not nan[(t > 1.9) & (t < 2.2)].any()
    np.testing.assert_array_equal(nan, (t > 5.0 + 1e-6) & (t < time_s[long_gap][-1] + 0.01 - 1e-6))


def test_explicit_rate() -> None:
    signals = align_signals({"left": _ramp(np.arange(0.0, 2.0, 0.01), 1.0)}, sampling_rate_hz=50.0)
    assert len(signals) == 100 and signals.sides == ("left",)


def test_needs_a_leg() -> None:
    with pytest.raises(InsufficientDataError, match="no leg"):
        align_signals({})
