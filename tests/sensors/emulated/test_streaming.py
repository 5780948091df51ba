"""stream_notifications: connection-event bunching, completeness, stopping."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import numpy as np
import pytest
from bleak import BleakClient

from anklet.sensors.emulated import (
    BleakClientBumble,
    ConnectionTiming,
    EmulationError,
    VirtualRadio,
    stream_notifications,
)

from .support import CONTROL_UUID, DATA_UUID, make_profile, run_async


def counter_packets(count: int) -> list[bytes]:
    return [index.to_bytes(4, "little") * 60 for index in range(count)]  # 240 bytes each


def test_stream_arrives_complete_in_order_and_bunched_per_connection_event() -> None:
    timing = ConnectionTiming(interval_s=0.05, max_notifications_per_event=8, jitter_s=0.002)
    packets = counter_packets(40)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        async with VirtualRadio() as radio:
            left = await radio.add_peripheral(make_profile("anklet-L"))
            arrivals: list[tuple[float, bytes]] = []
            async with BleakClient(left.address, backend=BleakClientBumble) as client:
                await client.start_notify(DATA_UUID, lambda c, d: arrivals.append((loop.time(), bytes(d))))
                sent = await stream_notifications(left, DATA_UUID, packets, 100.0, timing)
                await client.read_gatt_char(CONTROL_UUID)
            assert sent == len(packets)
            assert [payload for _, payload in arrivals] == packets
            times_s = np.array([t for t, _ in arrivals])
            bursts = np.split(times_s, np.flatnonzero(np.diff(times_s) > timing.interval_s / 2) + 1)
            sizes = np.array([len(b) for b in bursts])
            # 100 packets/s over 50 ms events: about 5 per event, never more than the cap
            assert sizes.max() <= timing.max_notifications_per_event
            assert np.median(sizes) >= 4
            assert all(np.ptp(b) < timing.interval_s / 2 for b in bursts)

    run_async(main)


def test_stream_stops_when_the_central_disconnects() -> None:
    async def main() -> None:
        async with VirtualRadio() as radio:
            left = await radio.add_peripheral(make_profile("anklet-L"))
            client = BleakClient(left.address, backend=BleakClientBumble)
            await client.connect()
            await client.start_notify(DATA_UUID, lambda c, d: None)
            endless = (index.to_bytes(4, "little") for index in itertools.count())
            stream = asyncio.create_task(stream_notifications(left, DATA_UUID, endless, 100.0))
            await asyncio.sleep(0.1)
            await client.disconnect()
            sent = await stream
            assert 0 < sent < 100

    run_async(main)


def test_rate_beyond_link_capacity_is_refused() -> None:
    async def main() -> None:
        async with VirtualRadio() as radio:
            left = await radio.add_peripheral(make_profile("anklet-L"))
            timing = ConnectionTiming(interval_s=0.05, max_notifications_per_event=2)  # 40/s
            with pytest.raises(EmulationError, match="40 notifications/s"):
                await stream_notifications(left, DATA_UUID, counter_packets(10), 50.0, timing)

    run_async(main)


@pytest.mark.parametrize(
    "kwargs", [{"interval_s": 0.005}, {"interval_s": 5.0}, {"max_notifications_per_event": 0}, {"jitter_s": -0.001}]
)
def test_timing_outside_ble_limits_is_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(EmulationError):
        ConnectionTiming(**kwargs)
