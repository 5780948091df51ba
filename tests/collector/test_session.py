"""CollectorSession against emulated sensors through bleak: losses, reconnection, watchdog, clock alignment."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from anklet.collector import LinkPolicy
from anklet.collector.simulated import (
    Drop,
    Outage,
    SimulatedPair,
    SimulationFaults,
    SimulationSpec,
)
from anklet.recording import Recording
from anklet.sensors.anklet import samples_per_notification

from .support import decode, record_pair, run_async

SAMPLES_PER_PACKET = samples_per_notification()  # anklet at the emulator's MTU of 247
PERIOD_S = 1 / 200.0


def test_clean_link_loses_nothing_and_the_hook_gets_every_sample(
    tmp_path: Path,
) -> None:
    chunks: dict[str, list[np.ndarray]] = {"left": [], "right": []}

    async def main():  # type: ignore[no-untyped-def]
        async with SimulatedPair(SimulationSpec(gait_duration_s=10.0)) as pair:
            return await record_pair(
                pair,
                tmp_path / "clean.anklet",
                4.0,
                on_samples=lambda side, c: chunks[side].append(c.time_s),
            )

    session = run_async(main, 30.0)
    recording = Recording.open(tmp_path / "clean.anklet")
    imu, streams = decode(recording)
    assert set(recording.clock_models) == {"left", "right"}
    for side, status in session.status().items():
        assert (
            status.lost == 0 and status.decode_errors == 0 and status.battery_pct == 100
        )
        assert (
            status.samples == len(imu[side]) == sum(len(c) for c in chunks[side]) > 600
        )
        assert streams[side].lost == 0
        assert np.all(np.diff(np.concatenate(chunks[side])) > 0)
        assert [e.kind for e in recording.connection_events if e.side == side] == [
            "connected",
            "disconnected",
        ]


def test_drops_and_a_disconnect_are_reported_exactly_and_sessions_reconnect(
    tmp_path: Path,
) -> None:
    faults = SimulationFaults(
        drops=(Drop("left", 2.0, 3),), outages=(Outage("right", 3.0),)
    )
    dropped: dict[str, int] = {}

    async def main():  # type: ignore[no-untyped-def]
        async with SimulatedPair(
            SimulationSpec(gait_duration_s=10.0, faults=faults)
        ) as pair:
            session = await record_pair(pair, tmp_path / "faults.anklet", 6.0)
            dropped.update(
                {
                    side: sensor.peripheral.stats.dropped
                    for side, sensor in pair.sensors.items()
                }
            )
            return session

    status = run_async(main, 40.0).status()
    assert dropped == {"left": 3, "right": 0}
    assert (
        status["left"].lost == 3 * SAMPLES_PER_PACKET
    )  # exactly the dropped notifications' samples
    assert status["right"].reconnections == 1
    recording = Recording.open(tmp_path / "faults.anklet")
    events = [
        (e.kind, e.detail) for e in recording.connection_events if e.side == "right"
    ]
    assert [kind for kind, _ in events] == [
        "connected",
        "disconnected",
        "reconnected",
        "disconnected",
    ]
    imu, streams = decode(recording)
    assert streams["left"].lost == status["left"].lost
    assert streams["right"].lost == status["right"].lost > 0
    # the right gap spans the outage: samples stop before the disconnection and resume after the reconnection
    (down_s,) = [
        e.time_s
        for e in recording.connection_events
        if e.side == "right" and e.kind == "disconnected"
    ][:1]
    (up_s,) = [
        e.time_s
        for e in recording.connection_events
        if e.side == "right" and e.kind == "reconnected"
    ]
    gaps = np.diff(imu["right"].time_s)
    largest = int(np.argmax(gaps))
    assert (
        imu["right"].time_s[largest] <= down_s + 0.01
        and imu["right"].time_s[largest + 1] >= up_s - 0.01
    )
    assert round(gaps[largest] / PERIOD_S) - 1 == status["right"].lost


def test_watchdog_reconnects_a_silent_link(tmp_path: Path) -> None:
    faults = SimulationFaults(
        outages=(Outage("left", 1.5, kind="silence", duration_s=3.0),)
    )
    policy = LinkPolicy(silence_timeout_s=0.5, scan_timeout_s=2.0)

    async def main():  # type: ignore[no-untyped-def]
        async with SimulatedPair(
            SimulationSpec(gait_duration_s=10.0, faults=faults)
        ) as pair:
            return await record_pair(
                pair, tmp_path / "silent.anklet", 6.0, policy=policy
            )

    status = run_async(main, 40.0).status()
    assert status["left"].reconnections >= 1 and status["right"].reconnections == 0
    recording = Recording.open(tmp_path / "silent.anklet")
    details = [
        e.detail
        for e in recording.connection_events
        if e.side == "left" and e.kind == "disconnected"
    ]
    assert details[0].startswith("watchdog")
    times_s, _ = recording.packets("left")
    assert times_s[-1] > 5.0  # streaming again after the silence


@pytest.mark.slow
def test_drift_and_offset_are_aligned_within_2_ms(tmp_path: Path) -> None:
    faults = SimulationFaults(drift_ppm=100.0, offset_s=0.030)
    truth: dict[str, object] = {}

    async def main():  # type: ignore[no-untyped-def]
        async with SimulatedPair(
            SimulationSpec(gait_duration_s=30.0, faults=faults)
        ) as pair:
            session = await record_pair(pair, tmp_path / "drift.anklet", 12.0)
            truth.update(pair.sensors)
            return session

    session = run_async(main, 60.0)
    recording = Recording.open(tmp_path / "drift.anklet")
    _, streams = decode(recording)
    errors_s = {}
    for side, sensor in truth.items():
        # sensor times of the recorded samples on the sensor clock, and when the sensor clock read them
        sensor_s = np.linspace(1.0, 11.0, 50) + streams[side].clock.to_sensor(0.0)
        true_session_s = sensor.host_time_s(sensor_s) - session.start_monotonic_s  # type: ignore[attr-defined]
        model = recording.clock_models[side]
        fitted_s = model.offset_s + sensor_s * (1 + model.drift_ppm * 1e-6)
        errors_s[side] = fitted_s - true_session_s
    between_legs_s = errors_s["left"] - errors_s["right"]
    assert np.max(np.abs(between_legs_s)) < 0.002
    assert (
        np.max(np.abs(errors_s["left"])) < 0.02
    )  # plus the BLE latency floor, common to both legs
