"""The emulated Movesense (GSP, IMU6), driven and decoded with anklet.sensors.movesense through bleak."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from bleak import BleakClient, BleakScanner

from anklet.sensors import movesense as protocol
from anklet.sensors.emulated import BleakClientBumble, BleakScannerBumble, VirtualRadio
from anklet.sensors.emulated.movesense_sensor import EmulatedMovesenseSensor, samples_per_message
from anklet.sensors.emulated.sensor import resample_motion

from .motion import sine_motion
from .support import run_async

NAME = "Movesense 220330000123"


def result(reference: int, status: int) -> bytes:
    return protocol.encode_command_result(reference, status)


def test_samples_per_message_follow_the_rate_and_fit_two_notifications() -> None:
    assert [samples_per_message(rate, 247) for rate in protocol.SUPPORTED_RATES_HZ] == [1, 2, 4, 8, 16, 20]
    assert samples_per_message(104.0, 23) == 1
    with pytest.raises(ValueError):
        samples_per_message(104.0, 7)


def test_hello_subscribe_decode_and_unsubscribe() -> None:
    motion = sine_motion()
    host = protocol.MovesenseProtocol()

    async def main() -> None:
        async with VirtualRadio() as radio:
            sensor = await EmulatedMovesenseSensor.add_to(radio, NAME, motion)
            found = await BleakScanner.discover(0.2, return_adv=True, backend=BleakScannerBumble)
            device, adv = found[sensor.peripheral.address]
            assert adv.local_name == NAME and adv.service_uuids == [protocol.ADVERTISED_SERVICE_UUID]
            assert host.matches(adv.local_name, adv.service_uuids)
            answers: list[bytes] = []
            async with BleakClient(device, backend=BleakClientBumble) as client:
                await client.start_notify(host.data_characteristic_uuid, lambda c, d: answers.append(bytes(d)))
                write = protocol.WRITE_CHARACTERISTIC_UUID
                await client.write_gatt_char(write, bytes([protocol.COMMAND_HELLO, 7]), response=True)
                await client.write_gatt_char(write, protocol.encode_subscribe(9, "/Meas/IMU6/100"), response=True)
                assert answers == [bytes([1, 7]) + b"Hello", result(9, 404)]
                answers.clear()
                for char_uuid, command in host.start_commands(104.0, 8.0, 2000.0):
                    await client.write_gatt_char(char_uuid, command, response=True)
                assert sensor.is_streaming
                while len(answers) < 6:
                    await asyncio.sleep(0.01)
                for char_uuid, command in host.stop_commands():
                    await client.write_gatt_char(char_uuid, command, response=True)
                assert not sensor.is_streaming
                assert answers[0] == result(protocol.IMU_REFERENCE, 200)
                assert answers[-1] == result(protocol.IMU_REFERENCE, 200)

        decoder = host.new_decoder(104.0)
        packets = [decoder.decode(p) for p in answers[1:-1]]
        assert all(len(p) == 8 for p in packets)  # 104 Hz / 13 messages per second
        acc = np.concatenate([p.acc_mps2 for p in packets])
        gyr = np.concatenate([p.gyr_dps for p in packets])
        expected_acc, expected_gyr = resample_motion(motion, 104.0)
        np.testing.assert_allclose(acc, expected_acc[: len(acc)], rtol=1e-6, atol=1e-5)  # float32 on air
        np.testing.assert_allclose(gyr, expected_gyr[: len(gyr)], rtol=1e-6, atol=1e-4)
        first_times_s = np.array([p.sensor_time_s[0] for p in packets])
        np.testing.assert_allclose(np.diff(first_times_s), 8 / 104.0, atol=1e-3)  # whole-ms timestamps

    run_async(main)
