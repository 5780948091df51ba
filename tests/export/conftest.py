"""Shared fixtures: one simulated two-leg session, analysed, and a recording
written by the real writer with every identifying field set."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from anklet.analysis import AnalysisResult, analyze
from anklet.export import ExportSession, SensorDescription
from anklet.imu import ImuData, Side
from anklet.recording import (
    Marker,
    Recording,
    RecordingWriter,
    SensorInfo,
    SessionMetadata,
    load_recording_imu,
)
from anklet.recording.synthesize import write_synthetic_recording
from anklet.simulate import GaitSpec, SensorSpec, Stand, Turn, Walk, simulate_session

#: Identifying values that must never appear in an export made without opt-in.
SECRET_ADDRESS = "C0:FF:EE:12:34:56"
SECRET_NAME = "Movesense 174630000999"
SECRET_NOTES = "Jane Roe, knee brace left"
SECRET_MARKER = "Jane stumbles"
START = datetime(2026, 3, 4, 10, 11, 12, 345678, tzinfo=UTC)


@dataclass(frozen=True)
class Analysed:
    """A synthetic recording, its decoded IMU data and their analysis."""

    path: Path
    imu: dict[Side, ImuData]
    result: AnalysisResult


@pytest.fixture(scope="session")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Analysed:
    """A 38 s walk with a turn and 8 % swing-time asymmetry, recorded by two
    Movesense sensors at 208 Hz (1 % of packets lost, every identifying field
    set), decoded onto the session timeline and analysed."""
    sensor = SensorSpec(sampling_rate_hz=208.0)
    simulated = simulate_session(
        GaitSpec(swing_time_asymmetry_pct=8.0), sensor, sensor,
        bouts=[Stand(2.0), Walk(16), Turn(2, 180.0), Walk(16), Stand(2.0)],
        seed=3,
    )
    meta = SessionMetadata("S-07", "overground walk", SECRET_NOTES, START, {"left": SECRET_ADDRESS})
    path = write_synthetic_recording(
        tmp_path_factory.mktemp("recording") / "jane_roe.anklet", simulated.imu,
        protocol="movesense", metadata=meta, drop_packets_fraction=0.01, seed=1,
    )
    imu = load_recording_imu(path).imu
    return Analysed(path, imu, analyze(imu))


@pytest.fixture()
def export_session_facts() -> ExportSession:
    """Non-identifying session facts with one marker."""
    sensors = {side: SensorDescription("movesense", "2.1.0", {"sampling_rate_hz": 208}) for side in ("left", "right")}
    return ExportSession("S-07", "overground walk", sensors, (Marker(4.0, "marker"),))


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


def _validator() -> str:
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    found = shutil.which("bids-validator-deno", path=search)
    if found is None:
        pytest.fail("bids-validator-deno is missing: install the test extra (scripts/test does)")
    return found


def validate_bids(root: Path) -> list[dict]:
    """Issues the official BIDS validator reports on ``root`` (errors and warnings)."""
    run = subprocess.run(
        [_validator(), str(root), "--format", "json", "--max-rows", "-1"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    return json.loads(run.stdout)["issues"]["issues"]


def bids_errors(issues: list[dict]) -> list[str]:
    """The errors among ``issues`` as "CODE location subCode"."""
    return [f"{i['code']} {i.get('location')} {i.get('subCode')}" for i in issues if i["severity"] == "error"]
