"""End-to-end latency, CPU use and frame rate of the live dashboard.

Two legs at 200 Hz (a synthetic walk as long as the run: 3 s standing, then walking
with the right swing 8 % longer, sensors at random strap rotations) are replayed at
1x in 20 ms chunks through :class:`anklet.live.LiveSession` into the Qt dashboard
(offscreen unless a display is set), which runs its own event loop for
``--seconds``.

* Latency: from the arrival of the chunk holding an IC/FC sample to the end of the
  first paint of the traces that shows it, split into the analyzer's part (arrival
  -> emitted) and the view's part (emitted -> painted). ICs are also reported
  without each leg's first emitted batch: the analyzer holds a leg's first strides
  until it has found the sensor's orientation (docs/live-analysis.md), a one-off
  at the start of a session.
* CPU: process CPU time / wall time of the whole app (acquisition, analysis,
  GUI), and per thread (Linux ``/proc``).
* Frames per second: paints of the traces.

Usage::

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/live_latency.py [--seconds 30]

A clinical walk test lasts 2-6 minutes (e.g. the 6-minute walk test); the latency
of all ICs includes each leg's first few, held until the orientation settles.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from pathlib import Path

import numpy as np

from anklet.imu import ImuData, Side
from anklet.live.session import LiveSession, ShownEvent
from anklet.live.sources import ReplaySource
from anklet.simulate import GaitSpec, SensorSpec, Stand, Walk, simulate_session

RATE_HZ = 200.0


def _walk(duration_s: float) -> dict[Side, ImuData]:
    """Both legs' IMU data of a synthetic walk lasting ``duration_s`` (3 s standing first)."""
    gait = GaitSpec(swing_time_asymmetry_pct=8.0)
    strides = int((duration_s - 3.0) * gait.cadence_steps_per_min / 120.0) + 2
    sensor = SensorSpec(sampling_rate_hz=RATE_HZ, mounting_rotation_deg=None)
    return dict(simulate_session(gait, sensor, sensor, bouts=[Stand(3.0), Walk(strides)], seed=7).imu)


def _thread_cpu_s() -> dict[str, float]:
    """CPU seconds (user + system) per live thread name; empty where /proc is missing."""
    ticks_per_s = os.sysconf("SC_CLK_TCK")
    out: dict[str, float] = {}
    for thread in threading.enumerate():
        stat = Path(f"/proc/self/task/{thread.native_id}/stat")
        if stat.exists():
            fields = stat.read_text().rsplit(")", 1)[1].split()
            out[thread.name] = (int(fields[11]) + int(fields[12])) / ticks_per_s
    return out


def _ms(values: list[float]) -> str:
    if not values:
        return "none"
    return f"median {1000 * np.median(values):.0f} ms, p95 {1000 * np.percentile(values, 95):.0f} ms (n={len(values)})"


def _warm_up(events: tuple[ShownEvent, ...]) -> set[int]:
    """Indices of the events emitted in each leg's first batch (the orientation warm-up)."""
    first_batch = {}
    for event in events:
        first_batch.setdefault(event.side, event.detected_wall_s)
    return {i for i, e in enumerate(events) if e.detected_wall_s == first_batch[e.side]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="wall seconds to run")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6 import QtCore, QtWidgets

    from anklet.live.dashboard import Dashboard

    imu = _walk(args.seconds)
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    session = LiveSession(ReplaySource(imu, speed=1.0, chunk_s=0.02), placement="ankle")
    window = Dashboard(session, "benchmark")
    window.show()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    session.start()
    end = QtCore.QTimer(singleShot=True, timerType=QtCore.Qt.TimerType.PreciseTimer, interval=int(1000 * args.seconds))
    end.timeout.connect(app.quit)
    end.start()
    threads0 = _thread_cpu_s()
    app.exec()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    threads = {name: cpu_s - threads0.get(name, 0.0) for name, cpu_s in _thread_cpu_s().items()}
    session.stop()

    events = session.snapshot().events[: len(window.latencies_s)]
    painted = window.latencies_s[: len(events)]
    warm_up = _warm_up(events)
    ic = [i for i, e in enumerate(events) if e.kind == "initial_contact"]
    print(f"two sensors at {RATE_HZ:.0f} Hz, 20 ms chunks, {wall:.1f} s wall, {len(events)} events shown")
    print(f"IC latency (arrival -> on screen): {_ms([painted[i] for i in ic])}")
    steady = [painted[i] for i in ic if i not in warm_up]
    print(f"  without each leg's first batch (orientation warm-up): {_ms(steady)}")
    analyzer = [events[i].detected_wall_s - events[i].arrival_wall_s for i in ic]
    print(f"  analyzer part (arrival -> emitted): {_ms(analyzer)}")
    view = [painted[i] - a for i, a in zip(ic, analyzer, strict=True)]
    print(f"  view part (emitted -> on screen): {_ms(view)}")
    print(f"all events (FC shown with the IC that ends its swing): {_ms(painted)}")
    print(f"CPU: {100.0 * cpu / wall:.1f} % of one core", end="")
    print(" (" + ", ".join(f"{name} {100.0 * s / wall:.1f} %" for name, s in sorted(threads.items())) + ")")
    print(f"frames per second: {window.frames_drawn / wall:.1f}")
    window.close()


if __name__ == "__main__":
    main()
