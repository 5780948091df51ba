"""End-to-end latency, CPU use and frame rate of the live dashboard.

Two legs at 200 Hz (the bundled synthetic demo session, resampled) are replayed at
1x in 20 ms chunks through :class:`anklet.live.LiveSession` into the Qt dashboard
(offscreen unless a display is set). Latency = from the arrival of the chunk that
holds an IC/FC sample to the first frame that draws it. CPU = process CPU time /
wall time of the whole app (acquisition, analysis, GUI). Usage::

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/live_latency.py [--seconds 30]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from anklet.cli.demo import DEMO_DIR, DEMO_FILES
from anklet.imu import ImuData
from anklet.io import read_imu
from anklet.live.session import LiveSession
from anklet.live.sources import ReplaySource

RATE_HZ = 200.0


def _at_200_hz(data: ImuData) -> ImuData:
    time_s = np.arange(data.time_s[0], data.time_s[-1], 1.0 / RATE_HZ)
    resample = lambda values: np.column_stack([np.interp(time_s, data.time_s, v) for v in values.T])  # noqa: E731
    return ImuData(time_s, resample(data.acc_mps2), resample(data.gyr_dps), data.source)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="wall seconds to run")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6 import QtWidgets

    from anklet.live.dashboard import Dashboard

    imu = {side: _at_200_hz(read_imu(DEMO_DIR / name)) for side, name in DEMO_FILES.items()}
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    session = LiveSession(ReplaySource(imu, speed=1.0, chunk_s=0.02), placement="ankle")
    window = Dashboard(session, "benchmark")
    window.show()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    session.start()
    while time.perf_counter() - wall0 < args.seconds:
        app.processEvents()
        time.sleep(0.002)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    session.stop()
    latencies_ms = 1000.0 * np.array(window.latencies_s)
    kinds = [e.kind for e in session.snapshot().events]
    ic_ms = latencies_ms[[k == "initial_contact" for k in kinds][: latencies_ms.size]]
    print(f"two sensors at {RATE_HZ:.0f} Hz, {wall:.1f} s wall, {len(kinds)} events shown")
    print(f"IC latency (arrival -> on screen): median {np.median(ic_ms):.0f} ms, p95 {np.percentile(ic_ms, 95):.0f} ms")
    print(f"all events: median {np.median(latencies_ms):.0f} ms, p95 {np.percentile(latencies_ms, 95):.0f} ms")
    print(f"CPU: {100.0 * cpu / wall:.1f} % of one core")
    print(f"frames per second: {window.frames_drawn / wall:.1f}")
    window.close()


if __name__ == "__main__":
    main()
