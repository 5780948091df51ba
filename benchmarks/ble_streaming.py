"""Collector throughput: two emulated anklet sensors streamed, decoded and recorded in real time.

For each rate (200, 500, 1000 Hz) a CollectorSession reads two
EmulatedAnkletSensor peripherals through bleak (Bumble backend), writes a
recording to a temporary file and decodes every packet; reported: decoded
samples per second (both sensors), CPU of this process in % of one core
(emulated sensors, Bumble stack, collector, SQLite writer all included), lost
samples.

    .venv/bin/python benchmarks/ble_streaming.py [--duration 60]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from anklet.collector import CollectorSession, StreamSettings, scan_sensors
from anklet.collector.simulated import SimulatedPair, SimulationSpec
from anklet.imu import SIDES
from anklet.recording import RecordingWriter, SensorInfo, SessionMetadata

RATES_HZ = (200.0, 500.0, 1000.0)


async def measure(rate_hz: float, duration_s: float, folder: Path) -> tuple[float, float, int]:
    """(samples/s, CPU % of one core, lost samples) for one rate."""
    async with SimulatedPair(SimulationSpec(gait_duration_s=30.0)) as pair:
        found = {s.address: s for s in await scan_sensors(0.3)}
        sensors = {side: found[pair.sensors[side].peripheral.address] for side in SIDES}
        settings = {side: StreamSettings.for_protocol(s.protocol, rate_hz) for side, s in sensors.items()}
        infos = {side: SensorInfo(s.address, s.name, s.protocol.name) for side, s in sensors.items()}
        start_mono, start_utc = time.monotonic(), datetime.now(UTC)
        path = folder / f"bench_{rate_hz:g}.anklet"
        with RecordingWriter(path, SessionMetadata(start_time_utc=start_utc), infos) as writer:
            session = CollectorSession(
                sensors, settings, writer=writer, start_monotonic_s=start_mono, start_time_utc=start_utc
            )
            cpu_0, wall_0 = time.process_time(), time.perf_counter()
            await session.run(asyncio.Event(), duration_s)
            cpu_s, wall_s = time.process_time() - cpu_0, time.perf_counter() - wall_0
        status = session.status()
        samples = sum(s.samples for s in status.values())
        return samples / wall_s, 100.0 * cpu_s / wall_s, sum(s.lost for s in status.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per rate (default 60)")
    args = parser.parse_args()
    print(f"| rate per sensor | samples/s (both) | CPU (% of one core) | lost samples |  ({args.duration:g} s each)")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for rate_hz in RATES_HZ:
            samples_per_s, cpu_pct, lost = asyncio.run(measure(rate_hz, args.duration, Path(folder)))
            print(f"| {rate_hz:g} Hz | {samples_per_s:.0f} | {cpu_pct:.1f} | {lost} |", flush=True)


if __name__ == "__main__":
    main()
