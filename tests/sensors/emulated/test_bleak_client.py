"""BleakClient with the Bumble backend against emulated peripherals: bleak's public API only."""

from __future__ import annotations

import asyncio
import itertools

import numpy as np
import pytest
from bleak import BleakClient, BleakScanner
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.exc import BleakDeviceNotFoundError, BleakError, BleakGATTProtocolError, BleakGATTProtocolErrorCode

from anklet.errors import DecodeError
from anklet.sensors.emulated import (
    BleakClientBumble,
    BleakScannerBumble,
    EmulatedPeripheral,
    VirtualRadio,
    WriteRejected,
    stream_notifications,
)

from .support import CONTROL_UUID, DATA_UUID, EVENT_UUID, SERVICE_UUID, make_profile, run_async

CCCD_UUID = "00002902-0000-1000-8000-00805f9b34fb"


def random_packets(count: int, size_bytes: int, seed: int) -> list[bytes]:
    rng = np.random.default_rng(seed)
    return [rng.integers(0, 256, size_bytes, dtype=np.uint8).tobytes() for _ in range(count)]


async def wait_for_count(received: list[bytes], count: int) -> None:
    while len(received) < count:
        await asyncio.sleep(0.005)


def test_connect_discovers_services_and_negotiates_mtu() -> None:
    async def main() -> None:
        async with VirtualRadio() as radio:
            left = await radio.add_peripheral(make_profile("anklet-L", max_mtu_bytes=185))
            device = await BleakScanner.find_device_by_name("anklet-L", timeout=1.0, backend=BleakScannerBumble)
            assert device is not None
            async with BleakClient(device, backend=BleakClientBumble) as client:
                assert client.is_connected and client.name == "anklet-L"
                assert client.mtu_size == 185  # min(central's 517, peripheral's 185)
                service = client.services.get_service(SERVICE_UUID)
                assert service is not None
                properties = {c.uuid: c.properties for c in service.characteristics}
                assert properties == {
                    CONTROL_UUID: ["read", "write-without-response", "write"],
                    DATA_UUID: ["notify"],
                    EVENT_UUID: ["indicate"],
                }
                data = client.services.get_characteristic(DATA_UUID)
                assert data is not None
                assert [d.uuid for d in data.descriptors] == [CCCD_UUID]
                assert data.max_write_without_response_size == 182
            assert not client.is_connected
            assert not left.is_connected

    run_async(main)


def test_requested_mtu_and_service_filter_reach_the_backend() -> None:
    async def main() -> None:
        async with VirtualRadio() as radio:
            left = await radio.add_peripheral(make_profile("anklet-L"))
            async with BleakClient(
                left.address, services=[SERVICE_UUID], backend=BleakClientBumble, mtu_bytes=100
            ) as client:
                assert client.mtu_size == 100
                assert [s.uuid for s in client.services] == [SERVICE_UUID]

    run_async(main)


def test_write_reaches_handler_bit_exact_and_reads_back() -> None:
    async def main() -> None:
        async with VirtualRadio() as radio:
            writes: list[tuple[str, bytes]] = []
            left = await radio.add_peripheral(make_profile("anklet-L"), on_write=lambda u, b: writes.append((u, b)))
            command = bytes(range(200))
            async with BleakClient(left.address, backend=BleakClientBumble) as client:
                assert await client.read_gatt_char(CONTROL_UUID) == bytearray(b"\x00")
                await client.write_gatt_char(CONTROL_UUID, command, response=True)
                await client.write_gatt_char(CONTROL_UUID, b"\x02", response=False)
                assert await client.read_gatt_char(CONTROL_UUID) == bytearray(b"\x02")
            assert writes == [(CONTROL_UUID, command), (CONTROL_UUID, b"\x02")]

    run_async(main)


def test_rejected_writes_and_reads_come_back_as_gatt_protocol_errors() -> None:
    async def main() -> None:
        def reject(char_uuid: str, payload: bytes) -> None:
            if payload == b"\x80":
                raise WriteRejected(0x80, "unknown opcode")
            raise DecodeError(f"test: unknown command {payload.hex()}")

        async with VirtualRadio() as radio:
            left = await radio.add_peripheral(make_profile("anklet-L"), on_write=reject)
            async with BleakClient(left.address, backend=BleakClientBumble) as client:
                with pytest.raises(BleakGATTProtocolError) as rejected:
                    await client.write_gatt_char(CONTROL_UUID, b"\xff", response=True)
                assert rejected.value.code == BleakGATTProtocolErrorCode.VALUE_NOT_ALLOWED
                with pytest.raises(BleakGATTProtocolError) as application_error:
                    await client.write_gatt_char(CONTROL_UUID, b"\x80", response=True)
                assert application_error.value.code == 0x80
                with pytest.raises(BleakGATTProtocolError) as not_writable:
                    await client.write_gatt_char(DATA_UUID, b"\x01", response=True)
                assert not_writable.value.code == BleakGATTProtocolErrorCode.WRITE_NOT_PERMITTED
                with pytest.raises(BleakGATTProtocolError) as not_readable:
                    await client.read_gatt_char(DATA_UUID)
                assert not_readable.value.code == BleakGATTProtocolErrorCode.READ_NOT_PERMITTED

    run_async(main)


def test_notifications_arrive_in_order_and_bit_exact() -> None:
    packets = random_packets(200, 240, seed=1)

    async def main() -> None:
        async with VirtualRadio() as radio:
            left = await radio.add_peripheral(make_profile("anklet-L"))
            received: list[bytes] = []
            senders: set[str] = set()

            def on_data(characteristic: BleakGATTCharacteristic, data: bytearray) -> None:
                senders.add(characteristic.uuid)
                received.append(bytes(data))

            async with BleakClient(left.address, backend=BleakClientBumble) as client:
                await client.start_notify(DATA_UUID, on_data)
                for packet in packets:
                    await left.notify(DATA_UUID, packet)
                await wait_for_count(received, len(packets))
            assert received == packets
            assert senders == {DATA_UUID}

    run_async(main)


def test_async_callback_and_stop_notify() -> None:
    async def main() -> None:
        async with VirtualRadio() as radio:
            left = await radio.add_peripheral(make_profile("anklet-L"))
            received: list[bytes] = []

            async def on_data(characteristic: BleakGATTCharacteristic, data: bytearray) -> None:
                received.append(bytes(data))

            async with BleakClient(left.address, backend=BleakClientBumble) as client:
                await client.start_notify(DATA_UUID, on_data)
                assert left.is_subscribed(DATA_UUID)
                await left.notify(DATA_UUID, b"first")
                await wait_for_count(received, 1)
                await client.stop_notify(DATA_UUID)
                assert not left.is_subscribed(DATA_UUID)
                await left.notify(DATA_UUID, b"second")
                await client.read_gatt_char(CONTROL_UUID)  # a round trip after the notification
            assert received == [b"first"]

    run_async(main)


def test_indications_reach_the_central() -> None:
    async def main() -> None:
        async with VirtualRadio() as radio:
            left = await radio.add_peripheral(make_profile("anklet-L"))
            received: list[bytes] = []
            async with BleakClient(left.address, backend=BleakClientBumble) as client:
                await client.start_notify(EVENT_UUID, lambda c, d: received.append(bytes(d)))
                await left.indicate(EVENT_UUID, b"\x01\x02\x03")  # returns after the confirmation
            assert received == [b"\x01\x02\x03"]

    run_async(main)


def test_two_peripherals_stream_at_once_to_one_central() -> None:
    left_packets = random_packets(100, 240, seed=2)
    right_packets = random_packets(100, 240, seed=3)

    async def main() -> None:
        async with VirtualRadio() as radio:
            left = await radio.add_peripheral(make_profile("anklet-L"))
            right = await radio.add_peripheral(make_profile("anklet-R"))
            received: dict[str, list[bytes]] = {"left": [], "right": []}
            async with (
                BleakClient(left.address, backend=BleakClientBumble) as left_client,
                BleakClient(right.address, backend=BleakClientBumble) as right_client,
            ):
                await left_client.start_notify(DATA_UUID, lambda c, d: received["left"].append(bytes(d)))
                await right_client.start_notify(DATA_UUID, lambda c, d: received["right"].append(bytes(d)))

                async def send(peripheral: EmulatedPeripheral, packets: list[bytes]) -> None:
                    for packet in packets:
                        await peripheral.notify(DATA_UUID, packet)

                await asyncio.gather(send(left, left_packets), send(right, right_packets))
                await wait_for_count(received["left"], len(left_packets))
                await wait_for_count(received["right"], len(right_packets))
            assert received == {"left": left_packets, "right": right_packets}

    run_async(main)


def test_disconnect_mid_stream_fires_callback_and_reconnect_works() -> None:
    async def main() -> None:
        async with VirtualRadio() as radio:
            left = await radio.add_peripheral(make_profile("anklet-L"))
            disconnected = asyncio.Event()
            received: list[bytes] = []
            client = BleakClient(left.address, lambda c: disconnected.set(), backend=BleakClientBumble)
            await client.connect()
            await client.start_notify(DATA_UUID, lambda c, d: received.append(bytes(d)))
            counter = (index.to_bytes(4, "little") for index in itertools.count())
            stream = asyncio.create_task(stream_notifications(left, DATA_UUID, counter, 200.0))
            await wait_for_count(received, 10)

            await left.disconnect()  # mid-stream, from the sensor side
            await disconnected.wait()
            sent_before = await stream  # the stream ends with the connection
            assert not client.is_connected
            assert received == [i.to_bytes(4, "little") for i in range(sent_before)]
            with pytest.raises(BleakError):
                await client.read_gatt_char(CONTROL_UUID)

            disconnected.clear()
            await client.connect()
            await client.start_notify(DATA_UUID, lambda c, d: received.append(bytes(d)))
            await left.notify(DATA_UUID, b"after")
            await wait_for_count(received, sent_before + 1)
            await client.disconnect()
            await disconnected.wait()
            assert received[-1] == b"after"

    run_async(main)


def test_unknown_address_raises_device_not_found() -> None:
    async def main() -> None:
        async with VirtualRadio():
            with pytest.raises(BleakDeviceNotFoundError):
                await BleakClient("C0:A0:00:00:00:99", backend=BleakClientBumble).connect()

    run_async(main)
