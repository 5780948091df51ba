"""The emulated WT901BLE, driven and decoded with anklet.sensors.witmotion through bleak."""

from __future__ import annotations

import asyncio

import numpy as np
from bleak import BleakClient, BleakScanner

from anklet.sensors import witmotion as protocol
from anklet.sensors.base import STANDARD_GRAVITY_MPS2
from anklet.sensors.emulated import BleakClientBumble, BleakScannerBumble, VirtualRadio
from anklet.sensors.emulated.sensor import resample_motion
from anklet.sensors.emulated.witmotion_sensor import DEFAULT_RATE_HZ, EmulatedWitmotionSensor

from .motion import sine_motion
from .support import run_async

GAP_DEVICE_NAME_UUID = "00002a00-0000-1000-8000-00805f9b34fb"


def test_streams_while_subscribed_and_changes_rate_only_after_unlock() -> None:
    motion = sine_motion()
    host = protocol.WitmotionProtocol()

    async def main() -> None:
        async with VirtualRadio() as radio:
            sensor = await EmulatedWitmotionSensor.add_to(radio, "WT901BLE68", motion)
            device = await BleakScanner.find_device_by_filter(
                lambda d, adv: host.matches(adv.local_name, adv.service_uuids), timeout=1.0, backend=BleakScannerBumble
            )
            assert device is not None and device.address == sensor.peripheral.address
            payloads: list[bytes] = []
            async with BleakClient(device, backend=BleakClientBumble) as client:
                assert not sensor.is_streaming
                await client.start_notify(host.data_characteristic_uuid, lambda c, d: payloads.append(bytes(d)))
                assert sensor.is_streaming and sensor.output_rate_hz == DEFAULT_RATE_HZ

                rate_only = protocol.encode_command(protocol.REGISTER_RATE, protocol.RATE_CODES[50.0])
                await client.write_gatt_char(protocol.WRITE_CHARACTERISTIC_UUID, rate_only, response=False)
                await client.read_gatt_char(GAP_DEVICE_NAME_UUID)  # round trip: the write command was handled
                assert sensor.output_rate_hz == DEFAULT_RATE_HZ  # locked: ignored

                for char_uuid, command in host.start_commands(50.0, 16.0, 2000.0):
                    await client.write_gatt_char(char_uuid, command, response=True)
                assert sensor.output_rate_hz == 50.0
                payloads.clear()  # what arrived before the rate write's response was at 10 Hz
                while len(payloads) < 10:
                    await asyncio.sleep(0.01)
                await client.stop_notify(host.data_characteristic_uuid)
                assert not sensor.is_streaming

        decoder = host.new_decoder(50.0)
        packets = [decoder.decode(p) for p in payloads]
        assert [p.sample_index for p in packets] == list(range(len(packets)))
        acc = np.concatenate([p.acc_mps2 for p in packets])
        gyr = np.concatenate([p.gyr_dps for p in packets])
        expected_acc, expected_gyr = resample_motion(motion, 50.0)
        np.testing.assert_allclose(acc, expected_acc[: len(acc)], atol=16 * STANDARD_GRAVITY_MPS2 / 32768)
        np.testing.assert_allclose(gyr, expected_gyr[: len(gyr)], atol=2000 / 32768)

    run_async(main)
