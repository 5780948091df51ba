"""Shared helpers: run a collector session against an emulated pair, keep its live samples."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import numpy as np

from anklet.imu import ImuData, Side

_T = TypeVar("_T")


def run_async(main: Callable[[], Awaitable[_T]], timeout_s: float) -> _T:
    """Run ``main()`` on a fresh loop, failing after ``timeout_s`` instead of hanging."""

    async def bounded() -> _T:
        async with asyncio.timeout(timeout_s):
            return await main()

    return asyncio.run(bounded())


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
