"""CollectorSession against emulated sensors through bleak: losses, reconnection, watchdog, clock
alignment, and live decoding equal to ``decode_recording`` of the file it wrote."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from anklet.collector import CollectorSession, LinkPolicy
from anklet.collector.simulated import (
    Drop,
    Outage,
    SimulatedPair,
    SimulationFaults,
    SimulationSpec,
    record_simulated_pair,
)
from anklet.imu import Side
from anklet.recording import DecodedRecording, Recording, decode_recording
from anklet.recording.side_decoder import SideDecoder
from anklet.sensors.anklet import samples_per_notification
from anklet.sensors.registry import get_protocol

from .support import LiveChunks, run_async

SAMPLES_PER_PACKET = samples_per_notification()  # anklet at the emulator's MTU of 247
PERIOD_S = 1 / 200.0
#: Rounding margin of the live-vs-file time comparison, s.
MARGIN_S = 1e-4


def record(
    tmp_path: Path, name: str, duration_s: float, spec: SimulationSpec, policy: LinkPolicy | None = None
) -> tuple[CollectorSession, LiveChunks, DecodedRecording]:
    """Record the emulated pair of ``spec``; the session, its live chunks and the decoded file."""
    live = LiveChunks()

    async def main() -> CollectorSession:
        async with SimulatedPair(spec) as pair:
            options = {} if policy is None else {"policy": policy}
            return await record_simulated_pair(pair, tmp_path / name, duration_s, on_samples=live, **options)

    session = run_async(main, duration_s + 30.0)
    return session, live, decode_recording(Recording.open(tmp_path / name))


def latency_above_final_fit_s(decoded: DecodedRecording, side: Side) -> np.ndarray:
    """Per data packet of ``side``: arrival time minus the final clock model's time of its last sample.

    The online fit's line never lies above a packet it has seen, so a live sample time is at most its
    packet's arrival; early on the online line may sit higher than the final one by up to this much.
    """
    recording = decoded.recording
    info = recording.sensors[side]
    decoder = SideDecoder(get_protocol(info.protocol), info.config["sampling_rate_hz"])
    starts = [e.time_s for e in recording.connection_events if e.side == side and e.kind != "disconnected"]
    model = decoded.clock_models[side]
    latency_s = []
    for packet in recording.iter_packets():
        if packet.side == side:
            connection = sum(t <= packet.arrival_time_s for t in starts)
            chunk = decoder.feed(packet.payload, packet.arrival_time_s, packet.characteristic_uuid, connection)
            if chunk is not None:
                mapped_s = model.offset_s + chunk.sensor_time_s[-1] * (1 + model.drift_ppm * 1e-6)
                latency_s.append(chunk.arrival_time_s - mapped_s)
    return np.array(latency_s)


def assert_live_equals_file(session: CollectorSession, live: LiveChunks, decoded: DecodedRecording) -> None:
    """Same samples (count and values) and loss counts live and from the file; times close."""
    for side, status in session.status().items():
        got, stored = live.joined(side), decoded.imu[side]
        quality = decoded.quality[side]
        assert len(got) == len(stored) == status.samples == quality.samples_decoded
        np.testing.assert_array_equal(got.acc_mps2, stored.acc_mps2)
        np.testing.assert_array_equal(got.gyr_dps, stored.gyr_dps)
        # live times (online fit) differ from the file's (final fit) by at most the online-vs-final line distance
        difference_s = got.time_s - stored.time_s
        bound_s = np.max(latency_above_final_fit_s(decoded, side)) + MARGIN_S
        assert np.all(np.abs(difference_s) <= bound_s), (np.abs(difference_s).max(), bound_s)
        assert np.all(np.diff(got.time_s) > 0)
        assert (status.lost, status.decode_errors) == (quality.samples_lost, quality.corrupt_packets)
        assert quality.clock_source == "file"
        assert decoded.clock_models[side] == session.clock_models()[side]


def test_clean_link_loses_nothing_and_the_hook_gets_what_the_file_decodes_to(tmp_path: Path) -> None:
    session, live, decoded = record(tmp_path, "clean.anklet", 4.0, SimulationSpec(gait_duration_s=10.0))
    assert_live_equals_file(session, live, decoded)
    for side, status in session.status().items():
        assert status.lost == 0 and status.decode_errors == 0 and status.battery_pct == 100
        assert status.samples > 600
        events = [e.kind for e in decoded.recording.connection_events if e.side == side]
        assert events == ["connected", "disconnected"]


def test_drops_and_a_disconnect_are_counted_the_same_live_and_from_the_file(tmp_path: Path) -> None:
    faults = SimulationFaults(drops=(Drop("left", 2.0, 3),), outages=(Outage("right", 3.0),))
    session, live, decoded = record(tmp_path, "faults.anklet", 6.0, SimulationSpec(gait_duration_s=10.0, faults=faults))
    assert_live_equals_file(session, live, decoded)
    status = session.status()
    assert status["left"].lost == 3 * SAMPLES_PER_PACKET  # exactly the dropped notifications' samples
    assert status["right"].reconnections == 1 and status["right"].lost > 0
    events = [(e.kind, e.time_s) for e in decoded.recording.connection_events if e.side == "right"]
    assert [kind for kind, _ in events] == ["connected", "disconnected", "reconnected", "disconnected"]
    # the right gap spans the outage and is sized exactly by the sensor clock
    down_s, up_s = events[1][1], events[2][1]
    time_s = decoded.imu["right"].time_s
    largest = int(np.argmax(np.diff(time_s)))
    assert time_s[largest] <= down_s + 0.01 and time_s[largest + 1] >= up_s - 0.01
    assert round((time_s[largest + 1] - time_s[largest]) / PERIOD_S) - 1 == status["right"].lost


def test_connection_events_precede_the_answers_to_the_start_commands(tmp_path: Path) -> None:
    # Polar's start answers carry the scale factor: decode_recording must start the connection's
    # decoder before them, so each (re)connection event must come before its answers in the file.
    spec = SimulationSpec(
        protocol="polar_pmd", gait_duration_s=10.0, faults=SimulationFaults(outages=(Outage("right", 1.5),))
    )
    session, live, decoded = record(tmp_path, "polar.anklet", 3.0, spec)
    assert_live_equals_file(session, live, decoded)
    recording = decoded.recording
    for side in ("left", "right"):
        events = [e for e in recording.connection_events if e.side == side]
        packets = [p for p in recording.iter_packets() if p.side == side]
        starts_s = [e.time_s for e in events if e.kind != "disconnected"]
        assert len(starts_s) == (2 if side == "right" else 1)
        for start_s in starts_s:
            following = [p for p in packets if p.arrival_time_s >= start_s][:3]
            # SDK mode, ACC and GYRO start answers
            assert [p.characteristic_uuid is not None for p in following] == [True, True, True]
    after_s = starts_s[-1]
    assert not any(p.characteristic_uuid is not None for p in packets if 1.5 < p.arrival_time_s < after_s)
    assert decoded.quality["left"].corrupt_packets == 0
    # the dropped link ended the sensor's measurements, so the restart is accepted and data flow again
    right_data_s, _ = recording.packets("right")
    assert np.count_nonzero(right_data_s > after_s) > 0
    assert session.status()["right"].reconnections == 1


def test_watchdog_reconnects_a_silent_link(tmp_path: Path) -> None:
    faults = SimulationFaults(outages=(Outage("left", 1.5, kind="silence", duration_s=3.0),))
    policy = LinkPolicy(silence_timeout_s=0.5, scan_timeout_s=2.0)
    session, live, decoded = record(
        tmp_path, "silent.anklet", 6.0, SimulationSpec(gait_duration_s=10.0, faults=faults), policy
    )
    status = session.status()
    assert status["left"].reconnections >= 1 and status["right"].reconnections == 0
    recording = decoded.recording
    details = [e.detail for e in recording.connection_events if e.side == "left" and e.kind == "disconnected"]
    assert details[0].startswith("watchdog")
    times_s, _ = recording.packets("left")
    assert times_s[-1] > 5.0  # streaming again after the silence
    assert_live_equals_file(session, live, decoded)


#: The drift only shows in arrival times once the packets' phase against the connection
#: events has wrapped: 95 ms anklet packets on the emulated 15 ms events wait in classes
#: 5 ms apart, and at 100 ppm that phase slides 5 ms in 50 s. Over 20 s (the issue's
#: `record --simulate --duration 20`) the right leg's least delay rises by 2 ms with no
#: way to tell it from drift, so the 2 ms limit would be met by luck (measured 0.9-2.8 ms);
#: 60 s covers one wrap (measured 0.2-1.3 ms). docs/clock-alignment.md, "Connection-event beat".
DRIFT_RECORDING_S = 60.0


@pytest.mark.slow
def test_drift_and_offset_are_aligned_within_2_ms(tmp_path: Path) -> None:
    faults = SimulationFaults(drift_ppm=100.0, offset_s=0.030)
    truth: dict[str, object] = {}

    async def main() -> CollectorSession:
        async with SimulatedPair(SimulationSpec(gait_duration_s=DRIFT_RECORDING_S + 10.0, faults=faults)) as pair:
            session = await record_simulated_pair(pair, tmp_path / "drift.anklet", DRIFT_RECORDING_S)
            truth.update(pair.sensors)
            return session

    session = run_async(main, DRIFT_RECORDING_S + 40.0)
    decoded = decode_recording(Recording.open(tmp_path / "drift.anklet"))
    errors_s = {}
    for side, sensor in truth.items():
        model = decoded.clock_models[side]
        session_s = np.linspace(1.0, DRIFT_RECORDING_S - 1.0, 50)
        # the sensor times the model puts at these session times, and when the sensor clock really read them
        sensor_s = (session_s - model.offset_s) / (1 + model.drift_ppm * 1e-6)
        true_session_s = sensor.host_time_s(sensor_s) - session.start_monotonic_s  # type: ignore[attr-defined]
        errors_s[side] = session_s - true_session_s
    between_legs_s = errors_s["left"] - errors_s["right"]
    assert np.max(np.abs(between_legs_s)) < 0.002
    assert np.max(np.abs(errors_s["left"])) < 0.02  # plus the BLE latency floor, common to both legs
