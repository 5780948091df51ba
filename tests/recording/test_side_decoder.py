"""The per-side decoding core: unwrapping, lost and repeated samples, clock segments, corrupt packets."""

from __future__ import annotations

import numpy as np
import pytest

from anklet.errors import InsufficientDataError
from anklet.recording.side_decoder import SideDecoder
from anklet.sensors import anklet, witmotion
from anklet.sensors.registry import get_protocol

PERIOD_US = 5000  # 200 Hz
N = 10  # samples per packet


def anklet_packet(timestamp_us: int) -> bytes:
    samples = np.tile([0.0, 0.0, 9.81], (N, 1))
    return anklet.encode_packet(
        samples,
        np.zeros((N, 3)),
        sequence=0,
        timestamp_us=timestamp_us,
        sample_period_us=PERIOD_US,
        acc_range_g=16,
        gyr_range_dps=2000,
    )


def feed_anklet(decoder: SideDecoder, timestamps_us, arrivals_s, connection: int = 1):
    return [
        decoder.feed(anklet_packet(int(t)), float(a), None, connection)
        for t, a in zip(timestamps_us, arrivals_s, strict=True)
    ]


def test_rollover_is_unwrapped_and_lost_packets_are_counted_across_it() -> None:
    decoder = SideDecoder(get_protocol("anklet"), 200.0)
    wrap_us = 2**32
    start_us = wrap_us - 20 * N * PERIOD_US  # wraps after 20 packets
    timestamps_us = start_us + N * PERIOD_US * np.arange(40)
    keep = np.ones(40, dtype=bool)
    keep[[5, 25, 26]] = False  # one packet lost before the wrap, two after
    arrivals_s = 0.06 + 0.05 * np.arange(40)
    chunks = feed_anklet(decoder, timestamps_us[keep], arrivals_s[keep])
    sensor_s = np.concatenate([c.sensor_time_s for c in chunks])
    assert np.allclose(np.diff(sensor_s)[np.diff(sensor_s) < 0.006], 0.005)
    assert sensor_s[-1] == pytest.approx((start_us + 39 * N * PERIOD_US + (N - 1) * PERIOD_US) * 1e-6)
    assert (decoder.samples, decoder.samples_lost, decoder.segments) == (370, 30, 1)


def test_repeated_samples_are_discarded_and_corrupt_packets_counted() -> None:
    decoder = SideDecoder(get_protocol("anklet"), 200.0)
    timestamps_us = N * PERIOD_US * np.array([0, 1, 1, 2])  # packet 1 repeated
    chunks = feed_anklet(decoder, timestamps_us, [0.06, 0.11, 0.12, 0.16])
    assert chunks[2] is None and decoder.feed(b"\x07bad", 0.2, None, 1) is None
    assert (decoder.samples, decoder.samples_discarded, decoder.samples_lost) == (30, 10, 0)
    assert (decoder.packets, decoder.corrupt_packets) == (5, 1)


def test_a_sensor_restart_opens_a_segment_with_its_own_clock_model() -> None:
    decoder = SideDecoder(get_protocol("anklet"), 200.0)
    before = feed_anklet(decoder, 3_000_000 + 50_000 * np.arange(20), 0.06 + 0.05 * np.arange(20))
    after = feed_anklet(decoder, 50_000 * np.arange(20), 4.06 + 0.05 * np.arange(20), connection=2)
    assert {c.segment for c in before} == {0} and {c.segment for c in after} == {1}
    models = decoder.clock_models()
    assert len(models) == 2 and decoder.main_segment() == 0
    assert models[1].offset_s == pytest.approx(4.06 - 0.045, abs=1e-9)
    # estimated from arrivals: 4.06 - 1.01 s between the packets, minus the 10 samples of the new one
    assert decoder.samples_lost == round((4.06 - 1.01) * 200) - N


def test_without_timestamps_each_connection_counts_again_in_a_new_segment() -> None:
    decoder = SideDecoder(get_protocol("witmotion"), 50.0)
    payload = witmotion.encode_packet(np.tile([0.0, 0.0, 9.81], (5, 1)), np.zeros((5, 3)))
    first = [decoder.feed(payload, 0.1 * (k + 1), None, 1) for k in range(10)]
    second = [decoder.feed(payload, 1.5 + 0.1 * k, None, 2) for k in range(10)]
    assert not decoder.timestamped and decoder.segments == 2
    assert first[0].sensor_time_s[0] == second[0].sensor_time_s[0] == 0.0
    assert {c.segment for c in second} == {1}
    assert decoder.samples_lost == round((1.5 - 1.0) * 50) - 5


def test_no_clock_model_before_a_sample() -> None:
    with pytest.raises(InsufficientDataError):
        SideDecoder(get_protocol("anklet"), 200.0).clock_models()
