"""The emulated Polar Verity Sense (PMD ACC + GYRO), driven and decoded with anklet.sensors.polar_pmd through bleak."""

from __future__ import annotations

import asyncio
import struct

import numpy as np
import pytest
from bleak import BleakClient, BleakScanner

from anklet.sensors import polar_pmd as protocol
from anklet.sensors.base import STANDARD_GRAVITY_MPS2
from anklet.sensors.emulated import BleakClientBumble, BleakScannerBumble, VirtualRadio
from anklet.sensors.emulated.polar_sensor import EmulatedPolarSensor, samples_per_frame
from anklet.sensors.emulated.sensor import resample_motion

from .motion import sine_motion
from .support import run_async

NAME = "Polar Sense B36E9D2A"
RATE_HZ = 52.0
ACC_RANGE_G = 8.0
GYR_RANGE_DPS = 1000.0


def test_frames_hold_a_tenth_of_a_second_within_the_mtu() -> None:
    assert [samples_per_frame(rate, 247) for rate in protocol.SUPPORTED_RATES_HZ] == [3, 5, 10, 21, 36]
    assert samples_per_frame(416.0, 23) == 1


def test_host_starts_sdk_mode_acc_gyro_and_pairs_the_decoded_samples() -> None:
    motion = sine_motion()
    host = protocol.PolarPmdProtocol()

    async def main() -> None:
        async with VirtualRadio() as radio:
            sensor = await EmulatedPolarSensor.add_to(radio, NAME, motion)
            device = await BleakScanner.find_device_by_filter(
                lambda d, adv: host.matches(adv.local_name, adv.service_uuids), timeout=1.0, backend=BleakScannerBumble
            )
            assert device is not None and device.address == sensor.peripheral.address
            decoder = host.new_decoder(RATE_HZ)
            answers: list[bytes] = []
            frames: list[bytes] = []
            async with BleakClient(device, backend=BleakClientBumble) as client:
                for char_uuid in host.response_characteristic_uuids:
                    await client.start_notify(char_uuid, lambda c, d: answers.append(bytes(d)))
                await client.start_notify(host.data_characteristic_uuid, lambda c, d: frames.append(bytes(d)))
                for char_uuid, command in host.start_commands(RATE_HZ, ACC_RANGE_G, GYR_RANGE_DPS):
                    await client.write_gatt_char(char_uuid, command, response=True)
                assert sensor.sdk_mode and sensor.is_streaming
                while len(frames) < 8:
                    await asyncio.sleep(0.01)
                for char_uuid, command in host.stop_commands():
                    await client.write_gatt_char(char_uuid, command, response=True)
                assert not sensor.sdk_mode and not sensor.is_streaming

        assert [a[:5] for a in answers] == [
            bytes([0xF0, 0x02, t, 0, 0]) for t in (0x09, 0x02, 0x05)
        ] + [bytes([0xF0, 0x03, t, 0, 0]) for t in (0x02, 0x05, 0x09)]
        for answer in answers:
            decoder.handle_response(answer)
        packets = [decoder.decode(f) for f in frames]
        assert decoder.unpaired_samples == 0
        acc = np.concatenate([p.acc_mps2 for p in packets])
        gyr = np.concatenate([p.gyr_dps for p in packets])
        assert len(acc) >= 5 * 4  # four frame pairs of 5 samples at least
        expected_acc, expected_gyr = resample_motion(motion, RATE_HZ)
        acc_step = ACC_RANGE_G * 1000 / 32768 * 1e-3 * STANDARD_GRAVITY_MPS2
        np.testing.assert_allclose(acc, expected_acc[: len(acc)], atol=acc_step * 0.5001)
        np.testing.assert_allclose(gyr, expected_gyr[: len(gyr)], atol=GYR_RANGE_DPS / 32768 * 0.5001)
        time_s = np.concatenate([p.sensor_time_s for p in packets])
        np.testing.assert_allclose(np.diff(time_s), 1 / RATE_HZ, atol=1e-6)

    run_async(main)


@pytest.mark.parametrize(
    ("command", "error"),
    [
        (b"\x07\x02", 1),  # unknown op code
        (b"\x02\x02\x00\x01", 4),  # truncated settings
        (b"\x02\x03", 2),  # PPI is not emulated
        (protocol.encode_start_command(protocol.MEASUREMENT_ACC, 100.0, 8.0), 8),
        (protocol.encode_start_command(protocol.MEASUREMENT_ACC, 52.0, 3.0), 9),
    ],
)
def test_bad_commands_are_answered_with_pmd_error_codes(command: bytes, error: int) -> None:
    async def main() -> None:
        async with VirtualRadio() as radio:
            sensor = await EmulatedPolarSensor.add_to(radio, NAME, sine_motion())
            answers: list[bytes] = []
            async with BleakClient(sensor.peripheral.address, backend=BleakClientBumble) as client:
                await client.start_notify(protocol.PMD_CONTROL_POINT_UUID, lambda c, d: answers.append(bytes(d)))
                await client.write_gatt_char(protocol.PMD_CONTROL_POINT_UUID, command, response=True)
            assert [a[3] for a in answers] == [error]
            assert not sensor.is_streaming

    run_async(main)


def test_get_settings_lists_rates_and_ranges() -> None:
    async def main() -> None:
        async with VirtualRadio() as radio:
            sensor = await EmulatedPolarSensor.add_to(radio, NAME, sine_motion())
            answers: list[bytes] = []
            async with BleakClient(sensor.peripheral.address, backend=BleakClientBumble) as client:
                await client.start_notify(protocol.PMD_CONTROL_POINT_UUID, lambda c, d: answers.append(bytes(d)))
                request = bytes([protocol.OP_GET_SETTINGS, protocol.MEASUREMENT_GYRO])
                await client.write_gatt_char(protocol.PMD_CONTROL_POINT_UUID, request, response=True)
            (answer,) = answers
            assert answer[:5] == bytes([0xF0, 0x01, 0x05, 0, 0])
            rates = struct.unpack_from("<5H", answer, 7)
            assert answer[5:7] == bytes([protocol.SETTING_SAMPLE_RATE, 5])
            assert rates == tuple(round(r) for r in protocol.SUPPORTED_RATES_HZ)

    run_async(main)
