"""Time to make the session report of a one-hour two-sensor session (target < 10 s).

Usage: python benchmarks/report_speed.py [--minutes 60] [--out DIR]

A synthetic one-hour walk (two shank sensors at 100 Hz, 1 % lost samples, right
swing 8 % longer) is written as an ``.anklet`` recording when the recording
synthesiser is available, else kept in memory. Timed: loading (decode + analysis),
building the report model, and rendering the PDF and the HTML.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from anklet.analysis import analyze
from anklet.report import SessionInput, session_report, write_report
from anklet.simulate import GaitSpec, SensorSpec, simulate_session


def _session(minutes: float, folder: Path) -> tuple[SessionInput, float, str]:
    """The session as a report input, the load time and how it was loaded."""
    sensor = SensorSpec(sampling_rate_hz=100.0, dropped_sample_fraction=0.01)
    simulated = simulate_session(
        GaitSpec(swing_time_asymmetry_pct=8.0), sensor, sensor, duration_s=60.0 * minutes, seed=1
    )
    try:
        from anklet.recording.synthesize import write_synthetic_recording
    except ImportError:
        start = time.perf_counter()
        session = SessionInput(
            result=analyze(simulated.imu),
            subject_id="S01",
            activity="synthetic walk",
            start_time_utc=datetime(2026, 1, 1, tzinfo=UTC),
            duration_s=simulated.duration_s,
            sensors={side: "simulated, 100 Hz" for side in ("left", "right")},
            source="in memory",
        )
        return session, time.perf_counter() - start, "analysis of in-memory data (no .anklet synthesiser yet)"
    from anklet.report.load import load_session

    path = folder / "hour.anklet"
    write_synthetic_recording(path, simulated.imu)
    start = time.perf_counter()
    session = load_session(path)
    return session, time.perf_counter() - start, "open + decode + analysis of an .anklet file"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--out", type=Path, default=None, help="keep the reports in this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.out or Path(tmp)
        session, load_s, how = _session(args.minutes, Path(tmp))
        start = time.perf_counter()
        report = session_report(session)
        model_s = time.perf_counter() - start
        timings = {}
        for suffix in ("pdf", "html"):
            start = time.perf_counter()
            write_report(report, folder / f"report.{suffix}")
            timings[suffix] = time.perf_counter() - start
            size_kb = (folder / f"report.{suffix}").stat().st_size / 1024
            timings[f"{suffix}_kb"] = size_kb
    strides = sum(len(leg.strides) for leg in session.result.gait.legs.values())
    total_pdf = load_s + model_s + timings["pdf"]
    print(f"session: {args.minutes:g} min, {strides} strides (both legs); load = {how}")
    print(f"load {load_s:.2f} s | report model {model_s:.2f} s | PDF {timings['pdf']:.2f} s "
          f"({timings['pdf_kb']:.0f} kB) | HTML {timings['html']:.2f} s ({timings['html_kb']:.0f} kB)")
    print(f"file to PDF: {total_pdf:.2f} s (target < 10 s): {'ok' if total_pdf < 10 else 'TOO SLOW'}")


if __name__ == "__main__":
    main()
