"""Decoding recordings onto one session timeline: round trips through real
protocol payloads, lost and corrupt packets, clock rollover and restarts."""

from __future__ import annotations

import numpy as np
import pytest

from anklet.errors import RecordingError
from anklet.imu import ImuData
from anklet.recording import (
    ClockModel,
    ConnectionEvent,
    RecordingWriter,
    SensorInfo,
    SessionMetadata,
)
from anklet.recording.decode import decode_recording, load_recording_imu
from anklet.recording.reader import Recording
from anklet.recording.synthesize import write_synthetic_recording
from anklet.sensors import anklet as anklet_protocol
from anklet.sensors import polar_pmd
from anklet.sensors.base import STANDARD_GRAVITY_MPS2
from anklet.simulate import SensorSpec, simulate_session

#: Half a count of the anklet protocol at 16 g / 2000 deg/s (quantisation).
ACC_TOL_MPS2 = 16 * STANDARD_GRAVITY_MPS2 / 32768 / 2 + 1e-9
GYR_TOL_DPS = 2000 / 32768 / 2 + 1e-9
OFFSETS_S = {"left": -250.0, "right": -250.03}
DRIFTS_PPM = {"left": 0.0, "right": 100.0}


def _session(rate_hz: float, duration_s: float = 40.0):
    spec = SensorSpec(sampling_rate_hz=rate_hz)
    return simulate_session(left=spec, right=spec, duration_s=duration_s, seed=4)


@pytest.fixture(scope="module")
def walk():
    return _session(200.0)


def _synthesize(tmp_path, session, name="s.anklet", **options):
    options = {"clock_offset_s": OFFSETS_S, "clock_drift_ppm": DRIFTS_PPM, "seed": 2, **options}
    return write_synthetic_recording(tmp_path / name, session.imu, **options)


def _matched_errors(decoded: ImuData, truth: ImuData) -> tuple[np.ndarray, np.ndarray]:
    """Time errors (s) of decoded samples and the index of the truth sample each
    came from: the nearest in time once the median clock error (found by
    matching gyroscope values) is removed."""
    near = np.clip(np.searchsorted(truth.time_s, decoded.time_s), 0, truth.time_s.size - 1)
    candidates = np.clip(near + np.arange(-2, 3)[:, None], 0, truth.time_s.size - 1)
    distance = np.abs(truth.gyr_dps[candidates] - decoded.gyr_dps[None]).max(axis=2)
    by_value = candidates[np.argmin(distance, axis=0), np.arange(near.size)]
    shift_s = np.median(decoded.time_s - truth.time_s[by_value])
    index = np.clip(np.searchsorted(truth.time_s, decoded.time_s - shift_s), 1, truth.time_s.size - 1)
    earlier = np.abs(truth.time_s[index - 1] - decoded.time_s + shift_s) < np.abs(
        truth.time_s[index] - decoded.time_s + shift_s
    )
    index = np.where(earlier, index - 1, index)
    return decoded.time_s - truth.time_s[index], index


def test_round_trip_recovers_samples_and_aligns_the_legs(tmp_path, walk):
    decoded = load_recording_imu(_synthesize(tmp_path, walk))
    errors = {}
    for side in ("left", "right"):
        got, truth = decoded.imu[side], walk.imu[side]
        assert len(got) == len(truth)
        assert np.max(np.abs(got.acc_mps2 - truth.acc_mps2)) <= ACC_TOL_MPS2
        assert np.max(np.abs(got.gyr_dps - truth.gyr_dps)) <= GYR_TOL_DPS
        errors[side] = got.time_s - truth.time_s
        quality = decoded.quality[side]
        assert (quality.samples_lost, quality.gaps, quality.corrupt_packets) == (0, (), 0)
        assert quality.clock_source == "fitted" and quality.clock_segments == 1
    # between the legs (what asymmetry needs): < 2 ms everywhere, whatever the clocks
    spread_s = max(errors["left"].max(), errors["right"].max()) - min(errors["left"].min(), errors["right"].min())
    assert spread_s < 2e-3
    assert decoded.clock_models["right"].drift_ppm == pytest.approx(100.0, abs=5.0)
    assert decoded.clock_models["right"].offset_s - decoded.clock_models["left"].offset_s == pytest.approx(
        -0.03, abs=2e-3
    )


def test_lost_packets_leave_gaps_and_never_shift_later_samples(tmp_path, walk):
    decoded = load_recording_imu(_synthesize(tmp_path, walk, drop_packets_fraction=0.05))
    for side in ("left", "right"):
        got, truth = decoded.imu[side], walk.imu[side]
        quality = decoded.quality[side]
        assert quality.samples_decoded == len(got) < len(truth)
        assert quality.samples_lost == len(truth) - len(got)
        assert len(quality.gaps) > 0
        errors_s, _ = _matched_errors(got, truth)
        assert np.ptp(errors_s) < 1e-3, "samples after a loss keep their time"
        start_s, end_s = quality.gaps[0]
        assert end_s - start_s > anklet_protocol.samples_per_notification() / 200.0


def test_decoding_is_deterministic(tmp_path, walk):
    path = _synthesize(tmp_path, walk, drop_packets_fraction=0.02)
    first, second = load_recording_imu(path), load_recording_imu(path)
    for side in ("left", "right"):
        for name in ("time_s", "acc_mps2", "gyr_dps"):
            assert getattr(first.imu[side], name).tobytes() == getattr(second.imu[side], name).tobytes()


def _anklet_packets(timestamps_us, n_per_packet=10, period_us=5000):
    samples = np.tile([0.0, 0.0, 9.81], (n_per_packet, 1))
    return [
        anklet_protocol.encode_packet(
            samples,
            np.zeros((n_per_packet, 3)),
            sequence=k,
            timestamp_us=t,
            sample_period_us=period_us,
            acc_range_g=16,
            gyr_range_dps=2000,
        )
        for k, t in enumerate(timestamps_us)
    ]


def _write(path, packets, *, events=(), clock=None, config=None):
    """One 'left' anklet sensor; packets as (arrival_s, payload)."""
    info = SensorInfo("AA", "anklet-L", "anklet", "", {"sampling_rate_hz": 200} if config is None else config)
    with RecordingWriter(path, SessionMetadata(), {"left": info}) as writer:
        for event in events:
            writer.add_connection_event(event.side, event.time_s, event.kind)
        for arrival_s, payload in packets:
            writer.add_packet("left", arrival_s, payload)
        if clock is not None:
            writer.set_clock_model("left", clock)
    return path


def test_corrupt_packets_are_counted_and_skipped(tmp_path):
    good = _anklet_packets(50_000 * np.arange(40))
    packets = [(0.06 + 0.05 * k, p) for k, p in enumerate(good)]
    packets[5] = (packets[5][0], b"\x07garbage")
    packets[9] = (packets[9][0], good[9][:-3])
    decoded = decode_recording(Recording.open(_write(tmp_path / "c.anklet", packets)))
    quality = decoded.quality["left"]
    assert (quality.packets, quality.corrupt_packets) == (40, 2)
    assert quality.samples_decoded == 380 and quality.samples_lost == 20 and len(quality.gaps) == 2


def test_a_complete_file_uses_its_stored_clock_model(tmp_path):
    good = _anklet_packets(50_000 * np.arange(40))
    stored = ClockModel(offset_s=1.25, drift_ppm=20.0, residual_s=0.001)
    path = _write(tmp_path / "m.anklet", [(1.3 + 0.05 * k, p) for k, p in enumerate(good)], clock=stored)
    decoded = load_recording_imu(path)
    assert decoded.quality["left"].clock_source == "file"
    assert decoded.clock_models["left"] == stored
    assert decoded.imu["left"].time_s[1] == 1.25 + 0.005 * (1 + 20e-6)


def test_clock_rollover_is_unwrapped(tmp_path, walk):
    wrap_s = anklet_protocol.AnkletProtocol.sensor_clock_wrap_s
    offsets = {"left": -(wrap_s - 15.0), "right": -(wrap_s - 25.0)}  # wraps 15 s and 25 s in
    decoded = load_recording_imu(_synthesize(tmp_path, walk, clock_offset_s=offsets))
    for side in ("left", "right"):
        assert decoded.quality[side].clock_segments == 1
        errors_s = decoded.imu[side].time_s - walk.imu[side].time_s
        assert np.ptp(errors_s) < 2e-3


def test_a_sensor_restart_after_reconnection_starts_a_new_clock_segment(tmp_path):
    # 2 s of packets, a reconnection, and the rebooted sensor's clock starts again at 0
    before = [(0.06 + 0.05 * k, p) for k, p in enumerate(_anklet_packets(3_000_000 + 50_000 * np.arange(40)))]
    after = [(4.06 + 0.05 * k, p) for k, p in enumerate(_anklet_packets(50_000 * np.arange(40)))]
    events = (ConnectionEvent("left", 0.0, "connected"), ConnectionEvent("left", 4.0, "reconnected"))
    decoded = load_recording_imu(_write(tmp_path / "r.anklet", before + after, events=events))
    time_s = decoded.imu["left"].time_s
    assert decoded.quality["left"].clock_segments == 2
    assert np.all(np.diff(time_s) > 0)
    assert time_s[400] == pytest.approx(4.06 - 0.045, abs=1e-6)
    assert decoded.quality["left"].gaps == ((pytest.approx(2.01), pytest.approx(4.015)),)


@pytest.mark.parametrize(
    ("protocol", "rate_hz", "acc_tol", "time_tol_s"),
    [
        ("movesense", 208.0, 1e-5, 2.5e-3),  # float32 values; 1 ms timestamps
        ("polar_pmd", 208.0, 16 * STANDARD_GRAVITY_MPS2 / 32768, 2e-3),
        ("witmotion", 50.0, 16 * STANDARD_GRAVITY_MPS2 / 32768, 5e-3),  # no timestamps
    ],
)
def test_other_protocols_round_trip(tmp_path, protocol, rate_hz, acc_tol, time_tol_s):
    session = _session(rate_hz, duration_s=30.0)
    decoded = load_recording_imu(_synthesize(tmp_path, session, protocol=protocol))
    errors = []
    for side in ("left", "right"):
        got, truth = decoded.imu[side], session.imu[side]
        errors_s, index = _matched_errors(got, truth)
        assert len(got) >= len(truth) - 2  # Polar pairs ACC and GYRO frames: the last may wait
        assert np.max(np.abs(got.acc_mps2 - truth.acc_mps2[index])) <= acc_tol
        errors.append(errors_s)
    all_errors_s = np.concatenate(errors)
    assert np.ptp(all_errors_s) < time_tol_s


def test_unknown_protocol_and_missing_rate_are_clear_errors(tmp_path):
    packets = [(0.1, _anklet_packets([0])[0])]
    with pytest.raises(RecordingError, match="sampling_rate_hz"):
        decode_recording(Recording.open(_write(tmp_path / "a.anklet", packets, config={})))
    info = SensorInfo("AA", "x", "future_sensor", "", {"sampling_rate_hz": 100})
    with RecordingWriter(tmp_path / "b.anklet", SessionMetadata(), {"left": info}) as writer:
        writer.add_packet("left", 0.1, b"\x00")
    with pytest.raises(RecordingError, match="future_sensor"):
        load_recording_imu(tmp_path / "b.anklet")


def test_a_file_without_decodable_samples_is_a_clear_error(tmp_path):
    path = _write(tmp_path / "g.anklet", [(0.1 * k, b"\x01\x02") for k in range(5)])
    with pytest.raises(RecordingError, match="no IMU samples.*5 corrupt"):
        load_recording_imu(path)


def _polar_connection(start_s, factors, first_timestamp_ns, n_frames=20, per_frame=10):
    """One Polar connection: its SDK-mode, ACC and GYRO start answers (with ``factors``) right after
    ``start_s``, then ACC+GYRO frames of 1 g on z and 100 deg/s on x, every 0.05 s, in counts of those factors."""
    acc_factor, gyr_factor = factors
    answers = [
        polar_pmd.encode_control_response(polar_pmd.OP_START, polar_pmd.MEASUREMENT_SDK_MODE),
        polar_pmd.encode_control_response(polar_pmd.OP_START, polar_pmd.MEASUREMENT_ACC, factor=acc_factor),
        polar_pmd.encode_control_response(polar_pmd.OP_START, polar_pmd.MEASUREMENT_GYRO, factor=gyr_factor),
    ]
    packets = [
        (start_s + 0.001 * (k + 1), payload, polar_pmd.PMD_CONTROL_POINT_UUID) for k, payload in enumerate(answers)
    ]
    acc_counts = np.tile([0, 0, round(1000 / acc_factor)], (per_frame, 1))
    gyr_counts = np.tile([round(100 / gyr_factor), 0, 0], (per_frame, 1))
    for k in range(n_frames):
        timestamp_ns = first_timestamp_ns + round(k * per_frame * 1e9 / 208)
        arrival_s = start_s + 0.06 + 0.05 * k
        packets.append(
            (arrival_s, polar_pmd.encode_delta_frame(polar_pmd.MEASUREMENT_ACC, timestamp_ns, acc_counts), None)
        )
        packets.append(
            (arrival_s, polar_pmd.encode_delta_frame(polar_pmd.MEASUREMENT_GYRO, timestamp_ns, gyr_counts), None)
        )
    return packets


def test_a_reconnection_decodes_with_the_scale_of_its_own_start_answers(tmp_path):
    # the second connection's sensor answers other factors: its decoder must get them, not the first one's
    packets = _polar_connection(0.0, (0.5, 0.1), 10**18) + _polar_connection(2.0, (0.25, 0.05), 10**18 + 2 * 10**9)
    info = SensorInfo("AA", "Polar Sense 1", "polar_pmd", "", {"sampling_rate_hz": 208})
    with RecordingWriter(tmp_path / "p.anklet", SessionMetadata(), {"left": info}) as writer:
        writer.add_connection_event("left", 0.0, "connected")
        writer.add_connection_event("left", 2.0, "reconnected")
        for arrival_s, payload, uuid in packets:
            writer.add_packet("left", arrival_s, payload, uuid)
    decoded = load_recording_imu(tmp_path / "p.anklet")
    imu, quality = decoded.imu["left"], decoded.quality["left"]
    assert quality.corrupt_packets == 0 and len(imu) == 400
    np.testing.assert_allclose(imu.acc_mps2, np.tile([0, 0, STANDARD_GRAVITY_MPS2], (400, 1)), atol=1e-9)
    np.testing.assert_allclose(imu.gyr_dps, np.tile([100.0, 0, 0], (400, 1)), atol=1e-9)
