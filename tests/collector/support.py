"""Shared helpers: run a collector session against an emulated pair, decode a recording."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from anklet.collector import (
    DEFAULT_POLICY,
    CollectorSession,
    LinkPolicy,
    SampleHook,
    StreamSettings,
    scan_sensors,
)
from anklet.collector.link import Arrival
from anklet.collector.simulated import SimulatedPair
from anklet.collector.stream import SideStream
from anklet.imu import SIDES, ImuData, Side
from anklet.recording import Recording, RecordingWriter, SensorInfo, SessionMetadata
from anklet.sensors.registry import get_protocol

_T = TypeVar("_T")


def run_async(main: Callable[[], Awaitable[_T]], timeout_s: float) -> _T:
    """Run ``main()`` on a fresh loop, failing after ``timeout_s`` instead of hanging."""

    async def bounded() -> _T:
        async with asyncio.timeout(timeout_s):
            return await main()

    return asyncio.run(bounded())


async def record_pair(
    pair: SimulatedPair,
    path: Path,
    duration_s: float,
    policy: LinkPolicy = DEFAULT_POLICY,
    on_samples: SampleHook | None = None,
) -> CollectorSession:
    """Find the pair by scanning, record it for ``duration_s`` into ``path``; the finished session."""
    found = {sensor.address: sensor for sensor in await scan_sensors(0.3)}
    sensors = {side: found[pair.sensors[side].peripheral.address] for side in SIDES}
    settings = {
        side: StreamSettings.for_protocol(sensor.protocol)
        for side, sensor in sensors.items()
    }
    infos = {
        side: SensorInfo(
            s.address,
            s.name,
            s.protocol.name,
            "",
            {"sampling_rate_hz": settings[side].sampling_rate_hz},
        )
        for side, s in sensors.items()
    }
    start_monotonic_s, start_time_utc = time.monotonic(), datetime.now(UTC)
    metadata = SessionMetadata(start_time_utc=start_time_utc)
    with RecordingWriter(path, metadata, infos) as writer:
        session = CollectorSession(
            sensors,
            settings,
            writer=writer,
            policy=policy,
            on_samples=on_samples,
            start_monotonic_s=start_monotonic_s,
            start_time_utc=start_time_utc,
        )
        pair.inject_faults(session.now_s)
        await session.run(asyncio.Event(), duration_s)
    return session


def decode(recording: Recording) -> tuple[dict[Side, ImuData], dict[Side, SideStream]]:
    """Decode a recording with the collector's own per-side decoding (one connection per
    "connected"/"reconnected" event), all samples mapped with the final clock fit."""
    imu: dict[Side, ImuData] = {}
    streams: dict[Side, SideStream] = {}
    for side in recording.sides:
        sensor = recording.sensors[side]
        stream = SideStream(
            side,
            get_protocol(sensor.protocol),
            float(sensor.config.get("sampling_rate_hz", 200.0)),
        )
        starts = sorted(
            e.time_s
            for e in recording.connection_events
            if e.side == side and e.kind in ("connected", "reconnected")
        )
        arrivals = [
            Arrival(
                side,
                sum(t <= p.arrival_time_s for t in starts),
                p.arrival_time_s,
                p.payload,
                p.characteristic_uuid,
            )
            for p in recording.iter_packets()
            if p.side == side
        ]
        chunk = stream.add(arrivals)
        assert chunk is not None
        imu[side], streams[side] = chunk, stream
    return imu, streams
