"""EmulatedSensor machinery: motion resampling, the sensor clock, stream capacity checks."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from bleak import BleakClient
from bleak.exc import BleakGATTProtocolError, BleakGATTProtocolErrorCode

from anklet.sensors import anklet as protocol
from anklet.sensors.emulated import BleakClientBumble, ConnectionTiming, VirtualRadio
from anklet.sensors.emulated.anklet_sensor import EmulatedAnkletSensor
from anklet.sensors.emulated.sensor import resample_motion

from .motion import sine_motion
from .support import run_async


def test_resample_motion_hits_the_original_samples_on_a_shared_grid() -> None:
    motion = sine_motion()
    acc, gyr = resample_motion(motion, 200.0)
    assert acc.shape == gyr.shape == (399, 3)  # 1.99 s at 200 Hz, both ends included
    np.testing.assert_allclose(acc[::2], motion.acc_mps2, atol=1e-12)
    np.testing.assert_allclose(gyr[1::2], 0.5 * (motion.gyr_dps[:-1] + motion.gyr_dps[1:]), atol=1e-12)


def test_sensor_clock_runs_fast_by_the_drift() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        async with VirtualRadio() as radio:
            sensor = await EmulatedAnkletSensor.add_to(radio, "anklet-L", sine_motion(), clock_drift_ppm=50_000)
            host_0, sensor_0 = loop.time(), sensor.sensor_time_s
            await asyncio.sleep(0.05)
            host_1, sensor_1 = loop.time(), sensor.sensor_time_s
            assert np.isclose((sensor_1 - sensor_0) / (host_1 - host_0), 1.05, rtol=1e-3)

    run_async(main)


def test_a_rate_the_link_cannot_carry_is_refused_at_the_start_command() -> None:
    slow_link = ConnectionTiming(interval_s=0.1, max_notifications_per_event=1)  # 10 notifications/s

    async def main() -> None:
        async with VirtualRadio() as radio:
            sensor = await EmulatedAnkletSensor.add_to(radio, "anklet-L", sine_motion(), timing=slow_link)
            async with BleakClient(sensor.peripheral.address, backend=BleakClientBumble) as client:
                command = protocol.encode_start_command(1000.0, 16.0, 2000.0)  # 1000 Hz / 19 = 53 packets/s
                with pytest.raises(BleakGATTProtocolError) as rejected:
                    await client.write_gatt_char(protocol.CONTROL_CHARACTERISTIC_UUID, command, response=True)
                assert rejected.value.code == BleakGATTProtocolErrorCode.VALUE_NOT_ALLOWED
                assert not sensor.is_streaming

    run_async(main)


def test_power_on_offset_and_host_time_invert_the_sensor_clock() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        async with VirtualRadio() as radio:
            sensor = await EmulatedAnkletSensor.add_to(
                radio, "anklet-L", sine_motion(), clock_drift_ppm=100.0, clock_offset_s=1234.5
            )
            host_s, reading_s = loop.time(), sensor.sensor_time_s
            assert 1234.5 <= reading_s < 1235.5
            assert abs(float(sensor.host_time_s(np.array([reading_s]))[0]) - host_s) < 1e-3
            later = sensor.host_time_s(np.array([reading_s, reading_s + 10.0]))
            assert np.isclose(later[1] - later[0], 10.0 / (1 + 100e-6), rtol=0, atol=1e-9)

    run_async(main)


def test_playback_follows_the_motion_epoch() -> None:
    motion = sine_motion()

    async def main() -> None:
        loop = asyncio.get_running_loop()
        async with VirtualRadio() as radio:
            from_start = await EmulatedAnkletSensor.add_to(radio, "anklet-L", motion)
            in_step = await EmulatedAnkletSensor.add_to(radio, "anklet-R", motion, motion_epoch_s=loop.time() - 0.5)
            acc, gyr = resample_motion(motion, 100.0)
            np.testing.assert_array_equal(from_start.playback(100.0)[0], acc)
            rolled_acc, rolled_gyr = in_step.playback(100.0)
            shift = next(k for k in range(45, 60) if np.array_equal(rolled_acc[0], acc[k]))  # about 0.5 s in
            np.testing.assert_array_equal(rolled_gyr, np.roll(gyr, -shift, axis=0))

    run_async(main)
