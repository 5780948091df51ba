"""Shared fixtures: small recordings written by the real writer."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from anklet.recording import Packet, RecordingWriter, SensorInfo, SessionMetadata


def make_sensors() -> dict[str, SensorInfo]:
    """Two sensors with distinct identities and JSON configs."""
    return {
        "left": SensorInfo(
            "C0:FF:EE:00:00:01", "anklet-L", "anklet", "1.2.0", {"sampling_rate_hz": 200, "acc_range_g": 16}
        ),
        "right": SensorInfo("C0:FF:EE:00:00:02", "Movesense 123", "movesense", "", {"sampling_rate_hz": 208}),
    }


def make_metadata() -> SessionMetadata:
    """Metadata with every field set, including non-ASCII text."""
    return SessionMetadata(
        subject_id="S07",
        activity="treadmill 1.2 m/s",
        notes="knee brace on the left; Übung 2",
        start_time_utc=datetime(2026, 3, 4, 10, 11, 12, 345678, tzinfo=UTC),
        config={"command": "record", "duration_s": 60, "nested": {"a": [1, 2.5, None]}},
    )


#: A response characteristic (the Polar PMD control point) for command answers.
RESPONSE_UUID = "fb005c81-02e7-f387-1cad-8acd2d8df0c8"


def random_packets(n: int, seed: int) -> list[Packet]:
    """``n`` packets alternating sides irregularly, payloads 0..244 bytes
    (zero-length and 244-byte ones included), strictly increasing times,
    about 1 % from a response characteristic."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(0, 245, n)
    lengths[:2] = (0, 244)
    sides = np.where(rng.random(n) < 0.5, "left", "right")
    times_s = np.cumsum(rng.uniform(0.001, 0.02, n))
    is_response = rng.random(n) < 0.01
    return [
        Packet(str(s), float(t), rng.bytes(int(k)), RESPONSE_UUID if r else None)
        for s, t, k, r in zip(sides, times_s, lengths, is_response, strict=True)
    ]


def write_packets(path: Path, packets: list[Packet]) -> None:
    """Write ``packets`` with the standard metadata and sensors and close the file."""
    with RecordingWriter(path, make_metadata(), make_sensors()) as writer:
        for packet in packets:
            writer.add_packet(packet.side, packet.arrival_time_s, packet.payload, packet.characteristic_uuid)


@pytest.fixture(scope="module")
def packets_5k() -> list[Packet]:
    return random_packets(5000, seed=1)


@pytest.fixture(scope="module")
def recording_5k(tmp_path_factory: pytest.TempPathFactory, packets_5k: list[Packet]) -> Path:
    """A complete recording of :func:`packets_5k`; do not modify (copy it)."""
    path = tmp_path_factory.mktemp("rec") / "five_k.anklet"
    write_packets(path, packets_5k)
    return path
