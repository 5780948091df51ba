"""Shared fixtures: simulated sessions with a known imposed asymmetry, analysed and
wrapped as report inputs, and the rendered session report (PDF and HTML)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from anklet.analysis import analyze
from anklet.report import SessionInput, StreamQuality, session_report, write_report
from anklet.report.document import Report
from anklet.simulate import GaitSpec, SensorSpec, SimulatedSession, Stand, Turn, Walk, simulate_session

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
START = datetime(2026, 3, 2, 10, 15, tzinfo=timezone.utc)


def simulated_walk(swing_asymmetry_pct: float, seed: int, strides: int = 25) -> SimulatedSession:
    """Stand - walk - 180 degree turn - walk - stand, right swing ``swing_asymmetry_pct`` % longer."""
    sensor = SensorSpec(sampling_rate_hz=100.0, mounting_rotation_deg=None, dropped_sample_fraction=0.01)
    return simulate_session(
        GaitSpec(swing_time_asymmetry_pct=swing_asymmetry_pct),
        sensor,
        sensor,
        bouts=[Stand(3.0), Walk(strides), Turn(2, 180.0), Walk(strides), Stand(3.0)],
        seed=seed,
    )


def simulated_input(
    swing_asymmetry_pct: float, seed: int, *, subject_id: str = "S07", days: int = 0, strides: int = 25
) -> SessionInput:
    """:func:`simulated_walk` analysed, as a report input (session ``days`` after START)."""
    session = simulated_walk(swing_asymmetry_pct, seed, strides)
    return SessionInput(
        result=analyze(session.imu),
        subject_id=subject_id,
        activity="corridor walk",
        start_time_utc=START + timedelta(days=days),
        duration_s=session.duration_s,
        sensors={side: f"simulated {side} shank sensor, 100 Hz" for side in ("left", "right")},
        source=f"simulated-{seed}.anklet",
        quality={side: StreamQuality(packets=700, corrupt_packets=0, lost_samples=70, expected_samples=7000)
                 for side in ("left", "right")},
    )


@pytest.fixture(scope="session")
def demo_input() -> SessionInput:
    """The demo scenario: right swing 8 % longer than left."""
    return simulated_input(8.0, seed=2026)


@pytest.fixture(scope="session")
def demo_report(demo_input: SessionInput) -> Report:
    return session_report(demo_input)


@pytest.fixture(scope="session")
def rendered(demo_report: Report, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo report as PDF and HTML (also copied to tests/artifacts for humans)."""
    folder = tmp_path_factory.mktemp("report")
    paths = {"pdf": folder / "session.pdf", "html": folder / "session.html"}
    for path in paths.values():
        write_report(demo_report, path)
    return paths
