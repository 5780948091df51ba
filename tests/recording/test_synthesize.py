"""Synthetic recordings: real protocol payloads, causal arrival times, repeatable."""

from __future__ import annotations

import numpy as np
import pytest

from anklet.recording import Recording
from anklet.recording.synthesize import write_synthetic_recording
from anklet.sensors.base import SensorConfigError
from anklet.sensors.registry import get_protocol
from anklet.simulate import SensorSpec, simulate_session


@pytest.fixture(scope="module")
def session():
    spec = SensorSpec(sampling_rate_hz=100.0)
    return simulate_session(left=spec, right=spec, duration_s=20.0, seed=9)


@pytest.mark.parametrize("protocol", ["anklet", "movesense", "polar_pmd", "witmotion"])
def test_payloads_are_the_protocols_own_and_arrive_after_their_samples(tmp_path, protocol):
    rate_hz = {"anklet": 100.0, "movesense": 104.0, "polar_pmd": 104.0, "witmotion": 50.0}[protocol]
    spec = SensorSpec(sampling_rate_hz=rate_hz)
    imu = simulate_session(left=spec, right=spec, duration_s=8.0, seed=1).imu
    offsets = {"left": -10.0, "right": -12.0}
    path = write_synthetic_recording(tmp_path / "p.anklet", imu, protocol=protocol, clock_offset_s=offsets,
                                     clock_drift_ppm={"left": 0.0, "right": 0.0})
    recording = Recording.open(path)
    assert recording.complete and recording.sensors["left"].protocol == protocol
    assert recording.sensors["left"].config["sampling_rate_hz"] == rate_hz
    for side in ("left", "right"):
        decoder = get_protocol(protocol).new_decoder(rate_hz)
        for response in recording.responses:
            if response.side == side:
                decoder.handle_response(response.payload)
        arrival_s, payloads = recording.packets(side)
        assert np.all(np.diff(arrival_s) >= 0)
        samples = 0
        for t_s, payload in zip(arrival_s, payloads, strict=True):
            packet = decoder.decode(payload)  # raises DecodeError on anything not the protocol's
            samples += len(packet)
            if packet.sensor_time_s is not None and len(packet):
                # causal: a packet arrives after its last sample is taken
                assert offsets[side] + packet.sensor_time_s[-1] <= t_s + 1e-6
        assert samples >= len(imu[side]) - 1  # Polar keeps the last ACC frame waiting for its GYRO frame


def test_same_seed_same_file_and_dropping_removes_packets(tmp_path, session):
    a = Recording.open(write_synthetic_recording(tmp_path / "a.anklet", session.imu, seed=5))
    b = Recording.open(write_synthetic_recording(tmp_path / "b.anklet", session.imu, seed=5))
    c = Recording.open(write_synthetic_recording(tmp_path / "c.anklet", session.imu, seed=5,
                                                 drop_packets_fraction=0.2))
    for side in ("left", "right"):
        assert np.array_equal(a.packets(side)[0], b.packets(side)[0])
        assert a.packets(side)[1] == b.packets(side)[1]
        kept = c.packet_count(side) / a.packet_count(side)
        assert 0.7 < kept < 0.9


def test_connection_events_bunch_packets(tmp_path, session):
    recording = Recording.open(write_synthetic_recording(tmp_path / "s.anklet", session.imu,
                                                         connection_interval_s=0.05, latency_s=1e-4))
    arrival_s, _ = recording.packets("left")
    # 100 Hz, 19 samples per packet (190 ms) on a 50 ms event grid: arrivals sit on the grid
    phase_s = np.mod(arrival_s - arrival_s[0], 0.05)
    assert np.all(np.minimum(phase_s, 0.05 - phase_s) < 2e-3)
    assert [e.kind for e in recording.connection_events] == ["connected", "connected"]


def test_rate_mismatch_and_bad_options_are_refused(tmp_path, session):
    with pytest.raises(SensorConfigError, match="sampled at 100 Hz"):
        write_synthetic_recording(tmp_path / "x.anklet", session.imu, sampling_rate_hz=200.0)
    with pytest.raises(SensorConfigError, match="not supported"):
        write_synthetic_recording(tmp_path / "x.anklet", session.imu, protocol="witmotion", sampling_rate_hz=100.0)
    with pytest.raises(ValueError, match="drop_packets_fraction"):
        write_synthetic_recording(tmp_path / "x.anklet", session.imu, drop_packets_fraction=1.0)
