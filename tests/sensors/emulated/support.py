"""Shared pieces for the emulation tests: a small sensor-like profile and an asyncio runner."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from anklet.sensors.emulated import CharacteristicSpec, PeripheralProfile, ServiceSpec

_T = TypeVar("_T")

SERVICE_UUID = "e1acfdcd-34bd-489f-afd3-f1ccd4a4dee8"
CONTROL_UUID = "eea1a270-003f-4eeb-86cc-6bcb2de1b03a"  # read + write
DATA_UUID = "a0efc469-1811-49e4-b77a-301c23c813fb"  # notify
EVENT_UUID = "9effdadd-952f-4910-817b-d346f33ce97a"  # indicate

#: Generous bound per test; every test should finish well within it.
TEST_TIMEOUT_S = 5.0


def make_profile(name: str, service_uuid: str = SERVICE_UUID, max_mtu_bytes: int = 247) -> PeripheralProfile:
    """A sensor-like profile: one service with a control point, a data and an event characteristic."""
    return PeripheralProfile(
        name=name,
        services=(
            ServiceSpec(
                service_uuid,
                (
                    CharacteristicSpec(CONTROL_UUID, frozenset({"read", "write", "write-without-response"}), b"\x00"),
                    CharacteristicSpec(DATA_UUID, frozenset({"notify"})),
                    CharacteristicSpec(EVENT_UUID, frozenset({"indicate"})),
                ),
            ),
        ),
        advertised_service_uuids=(service_uuid,),
        max_mtu_bytes=max_mtu_bytes,
        advertising_interval_s=0.02,
    )


def run_async(main: Callable[[], Awaitable[_T]]) -> _T:
    """Run ``main()`` on a fresh event loop, failing after TEST_TIMEOUT_S seconds instead of hanging."""

    async def bounded() -> _T:
        async with asyncio.timeout(TEST_TIMEOUT_S):
            return await main()

    return asyncio.run(bounded())
