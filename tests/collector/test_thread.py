"""CollectorSource: the collector on its own thread over the emulated pair; stop, cleanup, errors."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from bleak.backends.device import BLEDevice

from anklet.collector.scan import FoundSensor, SensorPairError, check_pair
from anklet.collector.simulated import SimulationSpec
from anklet.collector.thread import CollectorSource, RecordingPlan
from anklet.errors import DeviceNotFoundError
from anklet.imu import ImuData, Side
from anklet.recording import Recording, decode_recording
from anklet.sensors.registry import get_protocol

#: Upper bound of any wait in these tests (a hang fails instead of blocking the suite), s.
DEADLINE_S = 60.0
#: Samples per side streamed before stopping.
STREAMED_SAMPLES = 400


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


class Chunks:
    """A sink that keeps what it receives, and on which thread."""

    def __init__(self) -> None:
        self.samples: dict[Side, int] = {"left": 0, "right": 0}
        self.last_time_s: dict[Side, float] = {}
        self.threads: set[str] = set()
        self.monotonic = True

    def __call__(self, side: Side, chunk: ImuData) -> None:
        self.threads.add(threading.current_thread().name)
        if side in self.last_time_s and chunk.time_s[0] <= self.last_time_s[side]:
            self.monotonic = False
        self.last_time_s[side] = float(chunk.time_s[-1])
        self.samples[side] += len(chunk)


def test_streams_on_its_own_thread_and_stop_finalises_the_recording(tmp_path: Path) -> None:
    path = tmp_path / "live.anklet"
    source = CollectorSource(simulation=SimulationSpec(), recording=RecordingPlan(path, subject_id="S01"))
    assert all(not s.connected and s.samples == 0 for s in source.status().values())
    source.keep_markers(lambda: [(1.5, "turn")])
    sink = Chunks()
    source.start(sink)
    wait_until(lambda: min(sink.samples.values()) >= STREAMED_SAMPLES, "samples of both legs")
    streaming = source.status()
    assert all(s.connected and s.lost == 0 and s.battery_pct is not None for s in streaming.values())
    source.stop()
    source.stop()  # idempotent

    assert source.finished() and source.error() is None
    assert sink.threads == {"anklet-ble"} and sink.monotonic
    stopped = source.status()
    assert all(not s.connected for s in stopped.values())
    assert {side: s.samples for side, s in stopped.items()} == sink.samples
    recording = Recording.open(path)
    assert recording.complete and set(recording.clock_models) == {"left", "right"}
    assert recording.metadata.subject_id == "S01"
    assert [(m.time_s, m.text) for m in recording.markers] == [(1.5, "turn")]
    ended = {e.side for e in recording.connection_events if e.kind == "disconnected" and e.detail == "session ended"}
    assert ended == {"left", "right"}  # stop commands written while still connected
    imu = decode_recording(recording).imu
    assert {side: len(data) for side, data in imu.items()} == sink.samples


def test_stop_while_still_scanning_cancels_the_scan() -> None:
    # Addresses no emulated sensor has: the scan would end in DeviceNotFoundError after 5 s.
    addresses = {"left": "AA:AA:AA:AA:AA:01", "right": "AA:AA:AA:AA:AA:02"}
    source = CollectorSource(addresses, simulation=SimulationSpec(), scan_timeout_s=5.0)
    source.start(Chunks())
    time.sleep(0.5)
    source.stop()
    assert source.finished() and source.error() is None and source.sensors == {}


def test_a_sensor_not_found_reaches_the_caller_as_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "never.anklet"
    addresses = {"left": "AA:AA:AA:AA:AA:01", "right": "AA:AA:AA:AA:AA:02"}
    source = CollectorSource(
        addresses, simulation=SimulationSpec(), recording=RecordingPlan(path), scan_timeout_s=0.5
    )
    source.start(Chunks())
    wait_until(source.finished, "the BLE thread to give up")
    error = source.error()
    assert isinstance(error, DeviceNotFoundError)
    assert "AA:AA:AA:AA:AA:01" in str(error) and "anklet scan" in str(error)
    assert not path.exists()
    source.stop()  # still fine after a failure


def test_neither_addresses_nor_simulation_is_refused() -> None:
    with pytest.raises(ValueError, match="addresses"):
        CollectorSource({"left": "AA:AA:AA:AA:AA:01"})


def found(address: str, protocol: str) -> FoundSensor:
    return FoundSensor("sensor", address, get_protocol(protocol), -50, BLEDevice(address, "sensor", None))


def test_check_pair_refuses_one_sensor_twice_mixed_and_unexpected_protocols() -> None:
    check_pair({"left": found("AA:01", "anklet"), "right": found("AA:02", "anklet")}, "anklet")
    with pytest.raises(SensorPairError, match="same sensor"):
        check_pair({"left": found("aa:01", "anklet"), "right": found("AA:01", "anklet")}, None)
    with pytest.raises(SensorPairError, match="different protocols"):
        check_pair({"left": found("AA:01", "anklet"), "right": found("AA:02", "movesense")}, None)
    with pytest.raises(SensorPairError, match="not movesense"):
        check_pair({"left": found("AA:01", "anklet"), "right": found("AA:02", "anklet")}, "movesense")
