"""The streaming grid equals the whole-file grid of anklet.timing, chunk by chunk."""

from __future__ import annotations

import numpy as np
import pytest

from anklet.gait.stream_resampling import StreamOrderError, StreamResampler
from anklet.imu import ImuData
from anklet.timing import to_uniform_segments
from anklet.validation.datasets import iter_trials


def _push_in_chunks(resampler: StreamResampler, imu: ImuData, rng: np.random.Generator) -> None:
    a = 0
    while a < len(imu):
        b = a + int(rng.integers(1, 30))
        resampler.push(ImuData(imu.time_s[a:b], imu.acc_mps2[a:b], imu.gyr_dps[a:b]))
        a = b


@pytest.mark.parametrize("name", ["1-1", "5-3"])
def test_real_data_with_lost_packets_give_the_offline_segments(datasets_root, name):
    trial = next(iter_trials("ipol-healthy-gait", datasets_root, names=[name]))
    for k, imu in enumerate(trial.imu.values()):
        keep = np.ones(len(imu), dtype=bool)
        keep[700:706] = keep[1500:1560] = False  # one bridged, one splitting gap more
        imu = ImuData(imu.time_s[keep], imu.acc_mps2[keep], imu.gyr_dps[keep])
        resampler = StreamResampler(max_bridged_gap_s=0.1)
        _push_in_chunks(resampler, imu, np.random.default_rng(k))
        resampler.close()
        expected, gaps = to_uniform_segments(imu, max_bridged_gap_s=0.1)
        assert resampler.gaps == gaps
        streamed = resampler.segments()
        assert len(streamed) == len(expected) >= 2
        for got, want in zip(streamed, expected, strict=True):
            assert got.start_s == want.start_s and len(got) == len(want)
            np.testing.assert_allclose(got.gyr_dps, want.gyr_dps, atol=1e-9)
            np.testing.assert_allclose(got.acc_mps2, want.acc_mps2, atol=1e-9)
            np.testing.assert_array_equal(got.interpolated, want.interpolated)


def test_samples_out_of_order_are_refused():
    resampler = StreamResampler(max_bridged_gap_s=0.1)
    t = np.arange(10) / 100.0
    chunk = ImuData(t, np.zeros((10, 3)), np.zeros((10, 3)), "right.bin")
    resampler.push(chunk)
    with pytest.raises(StreamOrderError, match="right.bin"):
        resampler.push(chunk)
