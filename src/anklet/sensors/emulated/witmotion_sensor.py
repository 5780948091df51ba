"""Emulated WitMotion WT901BLE(CL) (``firmware_interfaces/witmotion/README.md``).

The sensor notifies one 20-byte ``55 61`` packet per sample (no counter, no
timestamp) for as long as a central is subscribed, at the output rate in
register RRATE (0x03), 10 Hz after power-on. A rate write only takes effect
within 10 s of the unlock command ``FF AA 69 88 B5`` (WIT standard protocol);
other writes are accepted and ignored. Packets come from
:func:`anklet.sensors.witmotion.encode_packet`; the angle fields carry zeros
(the emulator does not run the sensor's attitude filter).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator

import numpy as np

from anklet.imu import ImuData
from anklet.sensors import witmotion as protocol
from anklet.sensors.emulated.peripheral import EmulatedPeripheral
from anklet.sensors.emulated.profile import (
    CharacteristicSpec,
    PeripheralProfile,
    ServiceSpec,
)
from anklet.sensors.emulated.sensor import EmulatedSensor
from anklet.sensors.emulated.streaming import ConnectionTiming

#: Output rate after power-on, Hz (WIT standard protocol, RRATE default).
DEFAULT_RATE_HZ = 10.0
#: How long an unlock lasts, seconds (WIT standard protocol).
UNLOCK_VALIDITY_S = 10.0


def witmotion_packets(acc_mps2: np.ndarray, gyr_dps: np.ndarray) -> Iterator[bytes]:
    """Endless 20-byte packets, one per sample, looping over the (m, 3) motion arrays."""
    for row in itertools.cycle(range(len(acc_mps2))):
        yield protocol.encode_packet(acc_mps2[row], gyr_dps[row])


class EmulatedWitmotionSensor(EmulatedSensor):
    """A WT901BLE: streams while subscribed; unlock + rate write change the rate.

    Attributes:
        output_rate_hz: the current output rate (register RRATE), Hz.
    """

    def __init__(
        self,
        peripheral: EmulatedPeripheral,
        motion: ImuData,
        timing: ConnectionTiming,
        clock_drift_ppm: float,
        *,
        clock_offset_s: float = 0.0,
        motion_epoch_s: float | None = None,
    ) -> None:
        super().__init__(
            peripheral, motion, timing, clock_drift_ppm, clock_offset_s=clock_offset_s, motion_epoch_s=motion_epoch_s
        )
        self.output_rate_hz = DEFAULT_RATE_HZ
        self._unlocked_until_s = -math.inf

    @classmethod
    def profile(cls, name: str) -> PeripheralProfile:
        """Service ffe5 with notify ffe4 and write ffe9; only the name is advertised (as the device does)."""
        return PeripheralProfile(
            name=name,
            services=(
                ServiceSpec(
                    protocol.SERVICE_UUID,
                    (
                        CharacteristicSpec(protocol.NOTIFY_CHARACTERISTIC_UUID, frozenset({"notify"})),
                        CharacteristicSpec(
                            protocol.WRITE_CHARACTERISTIC_UUID, frozenset({"write-without-response", "write"})
                        ),
                    ),
                ),
            ),
        )

    def on_subscription(self, char_uuid: str, enabled: bool) -> None:
        """Stream while the data characteristic is subscribed."""
        if char_uuid != protocol.NOTIFY_CHARACTERISTIC_UUID:
            return
        if enabled:
            self._restart()
        else:
            self.stop_stream()

    def on_command(self, char_uuid: str, payload: bytes) -> None:
        """Apply unlock and rate writes.

        Raises:
            DecodeError: not a 5-byte ``FF AA`` command (a write request then
                gets ATT error 0x13; a write command is dropped silently).
        """
        if char_uuid != protocol.WRITE_CHARACTERISTIC_UUID:
            return
        command = protocol.parse_command(payload)
        if command.is_unlock:
            self._unlocked_until_s = self.sensor_time_s + UNLOCK_VALIDITY_S
        elif command.sampling_rate_hz is not None and self.sensor_time_s < self._unlocked_until_s:
            self.output_rate_hz = command.sampling_rate_hz
            if self.is_streaming:
                self._restart()

    def _restart(self) -> None:
        acc_mps2, gyr_dps = self.playback(self.output_rate_hz)
        packets = witmotion_packets(acc_mps2, gyr_dps)
        self.start_stream(protocol.NOTIFY_CHARACTERISTIC_UUID, packets, self.output_rate_hz)
