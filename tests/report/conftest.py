"""Shared fixtures: real ``.anklet`` recordings (the demo recording and simulated
sessions with a known imposed asymmetry, written by the recording synthesiser),
loaded through :func:`anklet.report.load.load_session`, and the rendered demo
session report (PDF and HTML)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from anklet.imu import ImuData, Side
from anklet.io import read_imu
from anklet.recording import SessionMetadata
from anklet.recording.synthesize import write_synthetic_recording
from anklet.report import SessionInput, session_report, write_report
from anklet.report.document import Report
from anklet.report.load import load_session
from anklet.simulate import (
    GaitSpec,
    SensorSpec,
    SimulatedSession,
    Stand,
    Turn,
    Walk,
    simulate_session,
)

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
DEMO_DIR = Path(__file__).resolve().parents[2] / "recordings"
START = datetime(2026, 3, 2, 10, 15, tzinfo=UTC)


def simulated_walk(swing_asymmetry_pct: float, seed: int, strides: int = 25) -> SimulatedSession:
    """Stand - walk - 180 degree turn - walk - stand, right swing ``swing_asymmetry_pct`` % longer."""
    sensor = SensorSpec(sampling_rate_hz=100.0, mounting_rotation_deg=None)
    return simulate_session(
        GaitSpec(swing_time_asymmetry_pct=swing_asymmetry_pct),
        sensor,
        sensor,
        bouts=[Stand(3.0), Walk(strides), Turn(2, 180.0), Walk(strides), Stand(3.0)],
        seed=seed,
    )


def write_recording(path: Path, imu: dict[Side, ImuData], *, subject_id: str = "S07", days: int = 0) -> Path:
    """``imu`` as an ``.anklet`` file of anklet-protocol sensors, 1 % of packets lost."""
    metadata = SessionMetadata(subject_id=subject_id, activity="corridor walk",
                               start_time_utc=START + timedelta(days=days))
    return write_synthetic_recording(path, imu, metadata=metadata, drop_packets_fraction=0.01, seed=days)


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo recording (recordings/demo_*.csv: right swing 8 % longer) as an ``.anklet`` file."""
    imu = {side: read_imu(DEMO_DIR / f"demo_{side}.csv") for side in ("left", "right")}
    return write_recording(tmp_path_factory.mktemp("demo") / "demo.anklet", imu)


@pytest.fixture(scope="session")
def demo_input(demo_path: Path) -> SessionInput:
    return load_session(demo_path)


@pytest.fixture(scope="session")
def demo_report(demo_input: SessionInput) -> Report:
    return session_report(demo_input)


@pytest.fixture(scope="session")
def rendered(demo_report: Report, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo report as PDF and HTML."""
    folder = tmp_path_factory.mktemp("report")
    paths = {"pdf": folder / "session.pdf", "html": folder / "session.html"}
    for path in paths.values():
        write_report(demo_report, path)
    return paths


@pytest.fixture(scope="session")
def progress_paths(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three weekly recordings of S07, imposed swing asymmetry 14, 8 and 2 %, listed out of order."""
    folder = tmp_path_factory.mktemp("progress")
    paths = [
        write_recording(folder / f"week{i}.anklet", simulated_walk(asymmetry, seed=40 + i).imu, days=7 * i)
        for i, asymmetry in enumerate((14.0, 8.0, 2.0))
    ]
    return [paths[2], paths[0], paths[1]]
