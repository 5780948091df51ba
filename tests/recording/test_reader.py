"""Tests of anklet.recording.reader: round trips and bad, truncated, damaged files."""

from __future__ import annotations

import shutil
import sqlite3
import warnings
from pathlib import Path

import numpy as np
import pytest

from anklet.errors import RecordingError
from anklet.recording import (
    ClockModel,
    ConnectionEvent,
    DamagedRecordingWarning,
    Marker,
    Packet,
    Recording,
    RecordingWarning,
    RecordingWriter,
)
from anklet.recording.schema import FORMAT_VERSION

from .conftest import make_metadata, make_sensors


def test_packets_round_trip_bit_exact(recording_5k: Path, packets_5k: list[Packet]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        recording = Recording.open(recording_5k)
    assert recording.complete
    assert list(recording.iter_packets()) == packets_5k
    assert recording.responses == tuple(p for p in packets_5k if p.characteristic_uuid is not None)
    assert recording.responses
    for side in ("left", "right"):
        expected = [p for p in packets_5k if p.side == side and p.characteristic_uuid is None]
        times_s, payloads = recording.packets(side)
        assert times_s.dtype == np.float64
        np.testing.assert_array_equal(times_s, [p.arrival_time_s for p in expected])
        assert payloads == [p.payload for p in expected]
        assert recording.packet_count(side) == len(expected)
        assert recording.byte_count(side) == sum(len(p.payload) for p in expected)
    assert {len(p.payload) for p in packets_5k} >= {0, 244}
    data_times_s = [p.arrival_time_s for p in packets_5k if p.characteristic_uuid is None]
    assert recording.start_s == data_times_s[0]
    assert recording.duration_s == data_times_s[-1] - data_times_s[0]
    assert recording.damage == ()


def test_metadata_markers_events_clock_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "meta.anklet"
    markers = [Marker(0.5, "start"), Marker(3.25, "turn ↻ left"), Marker(3.25, "")]
    events = [
        ConnectionEvent("right", 1.0, "disconnected", "supervision timeout"),
        ConnectionEvent("right", 2.5, "reconnected"),
    ]
    clock = ClockModel(offset_s=-0.125, drift_ppm=-31.5, residual_s=0.0021)
    with RecordingWriter(path, make_metadata(), make_sensors()) as writer:
        writer.add_packet("left", 0.0, b"\x00\x01")
        for marker in markers:
            writer.add_marker(marker.time_s, marker.text)
        for event in events:
            writer.add_connection_event(event.side, event.time_s, event.kind, event.detail)
        writer.set_clock_model("left", ClockModel(0.0, 0.0, 1.0))
        writer.set_clock_model("left", clock)  # the last one wins
    recording = Recording.open(path)
    assert recording.metadata == make_metadata()
    assert recording.sensors == make_sensors()
    assert recording.markers == tuple(markers)
    assert recording.connection_events == tuple(events)
    assert recording.clock_models == {"left": clock}
    assert recording.packet_count("right") == 0
    assert recording.packets("right")[1] == []
    assert recording.sides == ("left", "right")
    assert recording.format_version == FORMAT_VERSION


def test_bad_side_is_rejected(recording_5k: Path) -> None:
    with pytest.raises(RecordingError, match="'left' or 'right'"):
        Recording.open(recording_5k).packets("middle")  # type: ignore[arg-type]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RecordingError, match="cannot open"):
        Recording.open(tmp_path / "nope.anklet")


@pytest.mark.parametrize("content", [b"", b"left,right\n1,2\n" * 20, b"SQLite format 3\x00"])
def test_not_sqlite(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "fake.anklet"
    path.write_bytes(content)
    with pytest.raises(RecordingError, match="not an anklet recording"):
        Recording.open(path)


def test_other_sqlite_database(tmp_path: Path) -> None:
    path = tmp_path / "other.anklet"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(RecordingError, match="application_id"):
        Recording.open(path)


def test_newer_format_version(tmp_path: Path, recording_5k: Path) -> None:
    path = tmp_path / "future.anklet"
    shutil.copy(recording_5k, path)
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {FORMAT_VERSION + 1}")
    with pytest.raises(RecordingError, match="upgrade anklet"):
        Recording.open(path)


def _open_damaged(path: Path) -> tuple[Recording | None, list[warnings.WarningMessage]]:
    """Open ``path``; a RecordingError is an accepted outcome for damaged files (returns None)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            recording = Recording.open(path)
        except RecordingError:
            return None, []
    return recording, list(caught)


def _assert_no_wrong_data(recording: Recording, original: list[Packet]) -> int:
    """Every recovered packet is an original one, in the original order; returns how many."""
    recovered = list(recording.iter_packets())
    index = {p.arrival_time_s: i for i, p in enumerate(original)}
    positions = [index[p.arrival_time_s] for p in recovered]
    assert [original[i] for i in positions] == recovered
    assert positions == sorted(set(positions))
    return len(recovered)


@pytest.mark.parametrize("fraction", [0.15, 0.5, 0.85, 0.99])
def test_truncated_file(
    tmp_path: Path, recording_5k: Path, packets_5k: list[Packet], fraction: float
) -> None:
    data = recording_5k.read_bytes()
    path = tmp_path / "cut.anklet"
    path.write_bytes(data[: int(len(data) * fraction)])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        recording = Recording.open(path)
    n = _assert_no_wrong_data(recording, packets_5k)
    assert 0 < n < len(packets_5k)
    assert recording.metadata == make_metadata()
    messages = [str(w.message) for w in caught if issubclass(w.category, DamagedRecordingWarning)]
    assert messages and f"recovered {n} packets" in messages[0]


@pytest.mark.parametrize("fraction", np.linspace(0.02, 0.98, 17).round(3).tolist())
def test_flipped_bytes(tmp_path: Path, recording_5k: Path, packets_5k: list[Packet], fraction: float) -> None:
    data = bytearray(recording_5k.read_bytes())
    at = int(len(data) * fraction)
    data[at : at + 48] = bytes(b ^ 0x5A for b in data[at : at + 48])
    path = tmp_path / "flipped.anklet"
    path.write_bytes(bytes(data))
    recording, caught = _open_damaged(path)
    if recording is None:
        return
    n = _assert_no_wrong_data(recording, packets_5k)
    if n < len(packets_5k):
        assert any(issubclass(w.category, DamagedRecordingWarning) for w in caught)
    else:
        assert not any(issubclass(w.category, RecordingWarning) for w in caught)


def test_single_bit_flip_in_payload_is_detected(
    tmp_path: Path, recording_5k: Path, packets_5k: list[Packet]
) -> None:
    """Flipping a packet payload byte is caught by the row checksum (SQLite itself cannot see it)."""
    data = bytearray(recording_5k.read_bytes())
    target = packets_5k[2500].payload
    assert len(target) > 8
    at = bytes(data).index(target)
    data[at + 3] ^= 0x01
    path = tmp_path / "one_bit.anklet"
    path.write_bytes(bytes(data))
    with pytest.warns(DamagedRecordingWarning, match=f"recovered {len(packets_5k) - 1} packets"):
        recording = Recording.open(path)
    assert packets_5k[2500] not in list(recording.iter_packets())
    assert recording.damage[0].table == "packet" and recording.damage[0].lost_rows == 1


def test_rows_missing_at_the_end_are_detected_by_the_completion_counts(tmp_path: Path) -> None:
    """Losing the last row of a table leaves no id gap; the counts written at close catch it."""
    path = tmp_path / "tail.anklet"
    with RecordingWriter(path, make_metadata(), make_sensors()) as writer:
        writer.add_packet("left", 0.0, b"\x01")
        writer.add_marker(1.0, "first")
        writer.add_marker(2.0, "last")
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM marker WHERE id = 2")
    with pytest.warns(DamagedRecordingWarning, match="marker: 1 rows recovered, 1 lost"):
        recording = Recording.open(path)
    assert recording.markers == (Marker(1.0, "first"),)


def test_nothing_recoverable(tmp_path: Path, recording_5k: Path) -> None:
    path = tmp_path / "stub.anklet"
    path.write_bytes(recording_5k.read_bytes()[:4096])  # the schema page only
    with pytest.raises(RecordingError, match="nothing could be recovered"):
        Recording.open(path)
