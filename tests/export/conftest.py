"""Shared fixtures: one simulated two-leg session, analysed, and a recording
written by the real writer with every identifying field set."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from anklet.analysis import AnalysisResult, analyze
from anklet.export import ExportSession, SensorDescription, SessionMarker
from anklet.imu import ImuData, Side
from anklet.recording import Recording, RecordingWriter, SensorInfo, SessionMetadata
from anklet.simulate import GaitSpec, Stand, Turn, Walk, simulate_session

#: Identifying values that must never appear in an export made without opt-in.
SECRET_ADDRESS = "C0:FF:EE:12:34:56"
SECRET_NAME = "Movesense 174630000999"
SECRET_NOTES = "Jane Roe, knee brace left"
SECRET_MARKER = "Jane stumbles"
START = datetime(2026, 3, 4, 10, 11, 12, 345678, tzinfo=UTC)


@dataclass(frozen=True)
class Analysed:
    """IMU data of both legs and their analysis."""

    imu: dict[Side, ImuData]
    result: AnalysisResult


@pytest.fixture(scope="session")
def analysed() -> Analysed:
    """A 50 s walk with a turn and 8 % swing-time asymmetry, analysed."""
    session = simulate_session(
        GaitSpec(swing_time_asymmetry_pct=8.0),
        bouts=[Stand(2.0), Walk(16), Turn(2, 180.0), Walk(16), Stand(2.0)],
        seed=3,
    )
    return Analysed(dict(session.imu), analyze(session.imu))


@pytest.fixture()
def export_session_facts() -> ExportSession:
    """Non-identifying session facts with one marker."""
    sensors = {side: SensorDescription("anklet", "1.0.0", {"sampling_rate_hz": 200}) for side in ("left", "right")}
    return ExportSession("S-07", "overground walk", sensors, (SessionMarker(4.0, "marker"),))


@pytest.fixture()
def identifying_recording(tmp_path: Path) -> Recording:
    """A recording (no packets) whose metadata holds every identifying field."""
    path = tmp_path / "jane_roe.anklet"
    sensors = {
        "left": SensorInfo(SECRET_ADDRESS, SECRET_NAME, "movesense", "2.1.0", {"sampling_rate_hz": 208}),
        "right": SensorInfo("C0:FF:EE:65:43:21", "anklet-R", "anklet", "1.0.0", {"sampling_rate_hz": 200}),
    }
    meta = SessionMetadata("S07", "overground walk", SECRET_NOTES, START, {"left": SECRET_ADDRESS})
    with RecordingWriter(path, meta, sensors) as writer:
        writer.add_marker(4.0, SECRET_MARKER)
    return Recording.open(path)
