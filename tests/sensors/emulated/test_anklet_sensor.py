"""The emulated anklet-protocol sensor, driven and decoded with anklet.sensors.anklet through bleak."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from bleak import BleakClient, BleakScanner
from bleak.exc import BleakGATTProtocolError

from anklet.sensors import anklet as protocol
from anklet.sensors.base import STANDARD_GRAVITY_MPS2
from anklet.sensors.emulated import BleakClientBumble, BleakScannerBumble, VirtualRadio
from anklet.sensors.emulated.anklet_sensor import EmulatedAnkletSensor
from anklet.sensors.emulated.sensor import resample_motion

from .motion import sine_motion
from .support import run_async

RATE_HZ = 200.0
ACC_RANGE_G = 4.0
GYR_RANGE_DPS = 500.0


def test_host_finds_starts_decodes_and_stops_the_emulated_sensor() -> None:
    motion = sine_motion()
    host = protocol.AnkletProtocol()

    async def main() -> None:
        async with VirtualRadio() as radio:
            sensor = await EmulatedAnkletSensor.add_to(radio, "anklet-L", motion)
            device = await BleakScanner.find_device_by_filter(
                lambda d, adv: host.matches(adv.local_name, adv.service_uuids), timeout=1.0, backend=BleakScannerBumble
            )
            assert device is not None and device.address == sensor.peripheral.address
            payloads: list[bytes] = []
            async with BleakClient(device, backend=BleakClientBumble) as client:
                mtu_bytes = client.mtu_size
                assert await client.read_gatt_char(protocol.BATTERY_LEVEL_CHARACTERISTIC_UUID) == bytearray([100])
                await client.start_notify(host.data_characteristic_uuid, lambda c, d: payloads.append(bytes(d)))
                for char_uuid, command in host.start_commands(RATE_HZ, ACC_RANGE_G, GYR_RANGE_DPS):
                    await client.write_gatt_char(char_uuid, command, response=True)
                assert sensor.is_streaming
                while len(payloads) < 8:
                    await asyncio.sleep(0.01)
                for char_uuid, command in host.stop_commands():
                    await client.write_gatt_char(char_uuid, command, response=True)
                assert not sensor.is_streaming
                received = len(payloads)
                await asyncio.sleep(0.05)
                assert len(payloads) == received

        decoder = host.new_decoder(RATE_HZ)
        packets = [decoder.decode(p) for p in payloads]
        assert [p.sequence for p in packets] == list(range(len(packets)))
        assert {len(p) for p in packets} == {protocol.samples_per_notification(mtu_bytes)}
        time_s = np.concatenate([p.sensor_time_s for p in packets])
        np.testing.assert_allclose(np.diff(time_s), 1.0 / RATE_HZ, atol=1e-9)
        acc = np.concatenate([p.acc_mps2 for p in packets])
        gyr = np.concatenate([p.gyr_dps for p in packets])
        expected_acc, expected_gyr = resample_motion(motion, RATE_HZ)
        half_count_acc = ACC_RANGE_G * STANDARD_GRAVITY_MPS2 / 32768 / 2
        np.testing.assert_allclose(acc, expected_acc[: len(acc)], atol=half_count_acc * 1.0001)
        np.testing.assert_allclose(gyr, expected_gyr[: len(gyr)], atol=GYR_RANGE_DPS / 32768 / 2 * 1.0001)

    run_async(main)


@pytest.mark.parametrize(
    ("command", "att_error"),
    [(b"\x07", 0x80), (b"\x01\x00\x00", 0x80), (b"\x01\x00\x00\x7b\x00", 0x81), (b"\x01\x09\x00\xc8\x00", 0x81)],
)
def test_bad_control_writes_get_the_spec_att_errors(command: bytes, att_error: int) -> None:
    async def main() -> None:
        async with VirtualRadio() as radio:
            sensor = await EmulatedAnkletSensor.add_to(radio, "anklet-R", sine_motion())
            async with BleakClient(sensor.peripheral.address, backend=BleakClientBumble) as client:
                with pytest.raises(BleakGATTProtocolError) as rejected:
                    await client.write_gatt_char(protocol.CONTROL_CHARACTERISTIC_UUID, command, response=True)
                assert rejected.value.code == att_error
                assert not sensor.is_streaming

    run_async(main)
