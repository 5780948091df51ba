"""Fault injection and guards of EmulatedPeripheral, observed at the central through bleak."""

from __future__ import annotations

import asyncio

import pytest
from bleak import BleakClient

from anklet.sensors.emulated import BleakClientBumble, EmulationError, NotificationStats, VirtualRadio

from .support import CONTROL_UUID, DATA_UUID, make_profile, run_async


def test_dropped_notification_is_missing_at_the_central() -> None:
    async def main() -> None:
        async with VirtualRadio() as radio:
            left = await radio.add_peripheral(make_profile("anklet-L"))
            received: list[bytes] = []
            async with BleakClient(left.address, backend=BleakClientBumble) as client:
                await client.start_notify(DATA_UUID, lambda c, d: received.append(bytes(d)))
                delivered = []
                for index in range(10):
                    if index == 4:
                        left.drop_next(1)
                    delivered.append(await left.notify(DATA_UUID, bytes([index])))
                await client.read_gatt_char(CONTROL_UUID)  # round trip: everything sent has arrived
            assert received == [bytes([i]) for i in range(10) if i != 4]
            assert delivered == [i != 4 for i in range(10)]
            assert left.stats == NotificationStats(sent=9, dropped=1, withheld=0)

    run_async(main)


def test_pause_without_backlog_loses_what_is_sent_meanwhile() -> None:
    async def main() -> None:
        async with VirtualRadio() as radio:
            left = await radio.add_peripheral(make_profile("anklet-L"))
            received: list[bytes] = []
            async with BleakClient(left.address, backend=BleakClientBumble) as client:
                await client.start_notify(DATA_UUID, lambda c, d: received.append(bytes(d)))
                await left.notify(DATA_UUID, b"a")
                left.pause(0.2)
                await left.notify(DATA_UUID, b"lost-1")
                await left.notify(DATA_UUID, b"lost-2")
                await asyncio.sleep(0.25)
                await left.notify(DATA_UUID, b"b")
                await client.read_gatt_char(CONTROL_UUID)
            assert received == [b"a", b"b"]
            assert left.stats == NotificationStats(sent=2, dropped=2, withheld=0)

    run_async(main)


def test_pause_with_backlog_delivers_late_in_order() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        async with VirtualRadio() as radio:
            left = await radio.add_peripheral(make_profile("anklet-L"))
            arrivals: list[tuple[float, bytes]] = []
            async with BleakClient(left.address, backend=BleakClientBumble) as client:
                await client.start_notify(DATA_UUID, lambda c, d: arrivals.append((loop.time(), bytes(d))))
                pause_end_s = loop.time() + 0.2
                left.pause(0.2, keep_backlog=True)
                for index in range(3):
                    assert not await left.notify(DATA_UUID, bytes([index]))
                assert left.stats.withheld == 3
                while len(arrivals) < 3:  # the backlog is flushed without further notify calls
                    await asyncio.sleep(0.01)
            assert [payload for _, payload in arrivals] == [b"\x00", b"\x01", b"\x02"]
            assert min(t for t, _ in arrivals) >= pause_end_s
            assert left.stats == NotificationStats(sent=3, dropped=0, withheld=0)

    run_async(main)


def test_switched_off_sensor_cannot_be_reconnected_until_it_advertises() -> None:
    async def main() -> None:
        async with VirtualRadio() as radio:
            left = await radio.add_peripheral(make_profile("anklet-L"))
            client = BleakClient(left.address, backend=BleakClientBumble, timeout=0.3)
            await client.connect()
            await left.disconnect(readvertise=False)
            with pytest.raises(TimeoutError):
                await client.connect()
            await left.start_advertising()
            await client.connect()
            assert client.is_connected
            await client.disconnect()

    run_async(main)


def test_payload_longer_than_negotiated_mtu_is_refused() -> None:
    async def main() -> None:
        async with VirtualRadio() as radio:
            left = await radio.add_peripheral(make_profile("anklet-L"))
            async with BleakClient(left.address, backend=BleakClientBumble, mtu_bytes=100) as client:
                await client.start_notify(DATA_UUID, lambda c, d: None)
                assert await left.notify(DATA_UUID, bytes(97))
                with pytest.raises(EmulationError, match="98-byte value does not fit the ATT MTU of 100"):
                    await left.notify(DATA_UUID, bytes(98))

    run_async(main)


def test_misuse_names_the_problem() -> None:
    async def main() -> None:
        async with VirtualRadio() as radio:
            left = await radio.add_peripheral(make_profile("anklet-L"))
            with pytest.raises(EmulationError, match="no 'notify' property"):
                await left.notify(CONTROL_UUID, b"\x01")
            with pytest.raises(EmulationError, match="no 'read' property"):
                left.set_value(DATA_UUID, b"\x01")
            with pytest.raises(ValueError):
                left.pause(0.0)
            with pytest.raises(ValueError):
                left.drop_next(-1)

    run_async(main)


def test_cancelled_connect_leaves_the_radio_usable() -> None:
    async def main() -> None:
        async with VirtualRadio() as radio:
            left = await radio.add_peripheral(make_profile("anklet-L"))
            await left.disconnect(readvertise=False)
            client = BleakClient(left.address, backend=BleakClientBumble)
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(client.connect(), 0.2)
            await left.start_advertising()
            await client.connect()
            assert client.is_connected and left.is_connected
            await client.disconnect()

    run_async(main)


def test_subscription_wait_and_handler_follow_the_cccd_writes() -> None:
    async def main() -> None:
        async with VirtualRadio() as radio:
            left = await radio.add_peripheral(make_profile("anklet-L"))
            async with BleakClient(left.address, backend=BleakClientBumble) as client:
                with pytest.raises(TimeoutError):
                    await left.wait_until_subscribed(DATA_UUID, timeout_s=0.05)
                changes: list[tuple[str, bool]] = []
                left.on_subscription = lambda uuid, enabled: changes.append((uuid, enabled))
                waiter = asyncio.create_task(left.wait_until_subscribed(DATA_UUID, timeout_s=2.0))
                await asyncio.sleep(0)
                assert not waiter.done()
                await client.start_notify(DATA_UUID, lambda c, d: None)
                await waiter
                assert left.is_subscribed(DATA_UUID)
                await client.stop_notify(DATA_UUID)
                assert changes == [(DATA_UUID, True), (DATA_UUID, False)]

    run_async(main)
