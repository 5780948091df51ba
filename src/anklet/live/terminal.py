"""Terminal view of a live session (no display, or ``--headless``): one status line
per second, then the caller prints the final summary table."""

from __future__ import annotations

import time
from typing import TextIO

import numpy as np

from anklet.imu import SIDES
from anklet.live.session import LiveSession, LiveSnapshot


def _si_text(snapshot: LiveSnapshot, parameter: str) -> str:
    if snapshot.asymmetry is None or snapshot.asymmetry[parameter].symmetry_index_pct is None:
        return "  --  "
    return f"{snapshot.asymmetry[parameter].symmetry_index_pct:+5.1f}%"


def status_line(snapshot: LiveSnapshot) -> str:
    """One line: session time, strides per leg, running SI of stance and swing time
    (positive = right larger), packet loss and battery per sensor, recording state."""
    now = 0.0 if np.isnan(snapshot.now_s) else snapshot.now_s
    strides = " ".join(f"{side[0].upper()} {len(snapshot.strides.get(side, ())):3d}" for side in SIDES)
    loss = " ".join(
        f"{side[0].upper()} {status.loss_pct:4.1f}%" for side, status in snapshot.status.items()
    )
    battery = " ".join(
        f"{side[0].upper()} {'--' if status.battery_pct is None else f'{status.battery_pct}%'}"
        for side, status in snapshot.status.items()
    )
    state = "REC" if snapshot.recording else "   "
    return (
        f"{now:7.1f} s | strides {strides} | SI stance {_si_text(snapshot, 'stance_time')} "
        f"swing {_si_text(snapshot, 'swing_time')} | loss {loss} | battery {battery} | {state}"
    )


def run_terminal_view(
    session: LiveSession, out: TextIO, duration_s: float | None = None, interval_s: float = 1.0
) -> None:
    """Print a status line every ``interval_s`` until the source is finished or
    ``duration_s`` wall seconds have passed (None: until finished or Ctrl-C).

    The session keeps running; the caller stops it and prints the summary.
    """
    start = time.perf_counter()
    next_line = start + interval_s
    while not session.source.finished():
        if duration_s is not None and time.perf_counter() - start >= duration_s:
            break
        time.sleep(max(0.0, min(next_line, start + (duration_s or np.inf)) - time.perf_counter()))
        if time.perf_counter() >= next_line:
            print(status_line(session.snapshot()), file=out, flush=True)
            next_line += interval_s
    session.wait(timeout_s=5.0 if session.source.finished() else 0.0)
    print(status_line(session.snapshot()), file=out, flush=True)
