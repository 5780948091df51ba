"""Shared helpers: run a collector session against an emulated pair, keep its live samples."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import numpy as np

from anklet.collector import (
    DEFAULT_POLICY,
    CollectorSession,
    LinkPolicy,
    SampleHook,
    StreamSettings,
    scan_sensors,
)
from anklet.collector.simulated import SimulatedPair
from anklet.imu import SIDES, ImuData, Side
from anklet.recording import (
    RecordingWriter,
    SensorInfo,
    SessionMetadata,
)

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
    settings = {side: StreamSettings.for_protocol(sensor.protocol) for side, sensor in sensors.items()}
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


class LiveChunks:
    """An ``on_samples`` hook that keeps every chunk per side."""

    def __init__(self) -> None:
        self.chunks: dict[Side, list[ImuData]] = {"left": [], "right": []}

    def __call__(self, side: Side, chunk: ImuData) -> None:
        self.chunks[side].append(chunk)

    def joined(self, side: Side) -> ImuData:
        """All samples of ``side`` as one ImuData."""
        chunks = self.chunks[side]
        return ImuData(
            np.concatenate([c.time_s for c in chunks]),
            np.vstack([c.acc_mps2 for c in chunks]),
            np.vstack([c.gyr_dps for c in chunks]),
            f"live {side}",
        )
