"""Emulated sensor speaking the anklet open protocol (``firmware_interfaces/anklet/README.md``).

GATT layout, commands, ATT error codes and packets follow the spec; packets
are built and commands parsed by :mod:`anklet.sensors.anklet`, the same code
the host decodes with (checked byte-for-byte against the C header). A start
command resamples the motion to the requested rate, packs as many samples per
notification as the negotiated ATT MTU allows (the reference firmware does the
same) and streams them; a stop command, a new start or a disconnection ends
the stream.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np

from anklet.errors import DecodeError
from anklet.sensors import anklet as protocol
from anklet.sensors.emulated.errors import WriteRejected
from anklet.sensors.emulated.profile import (
    CharacteristicSpec,
    PeripheralProfile,
    ServiceSpec,
)
from anklet.sensors.emulated.sensor import EmulatedSensor

#: ATT error codes of the anklet protocol (firmware_interfaces/anklet/README.md).
ATT_ERROR_UNKNOWN_OPCODE = 0x80
ATT_ERROR_INVALID_SETTING = 0x81


def anklet_packets(
    acc_mps2: np.ndarray,
    gyr_dps: np.ndarray,
    *,
    first_timestamp_us: int,
    sample_period_us: int,
    acc_range_g: float,
    gyr_range_dps: float,
    samples_per_packet: int,
) -> Iterator[bytes]:
    """Endless anklet data notifications over uniformly sampled motion (looping), sequence from 0.

    Args:
        acc_mps2, gyr_dps: (m, 3) samples at the commanded rate.
        first_timestamp_us: sensor time of the first sample, microseconds.
        sample_period_us: sample spacing on the sensor clock, microseconds.
        acc_range_g, gyr_range_dps: configured full scales.
        samples_per_packet: samples per notification.
    """
    for sequence in itertools.count():
        first = sequence * samples_per_packet
        rows = np.arange(first, first + samples_per_packet) % len(acc_mps2)
        yield protocol.encode_packet(
            acc_mps2[rows],
            gyr_dps[rows],
            sequence=sequence,
            timestamp_us=first_timestamp_us + first * sample_period_us,
            sample_period_us=sample_period_us,
            acc_range_g=acc_range_g,
            gyr_range_dps=gyr_range_dps,
        )


class EmulatedAnkletSensor(EmulatedSensor):
    """An anklet-protocol sensor (reference firmware behaviour) with a Battery Service at 100 %."""

    @classmethod
    def profile(cls, name: str) -> PeripheralProfile:
        """anklet service (advertised; data notify, control write) and Battery Service (level read/notify)."""
        return PeripheralProfile(
            name=name,
            services=(
                ServiceSpec(
                    protocol.SERVICE_UUID,
                    (
                        CharacteristicSpec(protocol.DATA_CHARACTERISTIC_UUID, frozenset({"notify"})),
                        CharacteristicSpec(protocol.CONTROL_CHARACTERISTIC_UUID, frozenset({"write"})),
                    ),
                ),
                ServiceSpec(
                    protocol.BATTERY_SERVICE_UUID,
                    (
                        CharacteristicSpec(
                            protocol.BATTERY_LEVEL_CHARACTERISTIC_UUID, frozenset({"read", "notify"}), bytes([100])
                        ),
                    ),
                ),
            ),
            advertised_service_uuids=(protocol.SERVICE_UUID,),
            max_mtu_bytes=protocol.DEFAULT_ATT_MTU,
        )

    def on_command(self, char_uuid: str, payload: bytes) -> None:
        """Start or stop streaming on a control write.

        Raises:
            WriteRejected: 0x80 for an unknown opcode or wrong length, 0x81 for
                an unsupported rate or range code or an MTU too small for one sample.
        """
        if char_uuid != protocol.CONTROL_CHARACTERISTIC_UUID:
            return
        try:
            command = protocol.parse_command(payload)
        except DecodeError as exc:
            well_formed_start = len(payload) == 5 and payload[0] == protocol.OPCODE_START
            raise WriteRejected(
                ATT_ERROR_INVALID_SETTING if well_formed_start else ATT_ERROR_UNKNOWN_OPCODE, str(exc)
            ) from exc
        self.stop_stream()
        if command.action == "start":
            self._start(command)

    def _start(self, command: protocol.AnkletCommand) -> None:
        rate_hz, acc_range_g, gyr_range_dps = command.sampling_rate_hz, command.acc_range_g, command.gyr_range_dps
        assert rate_hz is not None and acc_range_g is not None and gyr_range_dps is not None  # a start command
        mtu_bytes = min((c.att_mtu for c in self.peripheral.connections), default=protocol.DEFAULT_ATT_MTU)
        try:
            samples_per_packet = protocol.samples_per_notification(mtu_bytes)
        except ValueError as exc:
            raise WriteRejected(ATT_ERROR_INVALID_SETTING, str(exc)) from exc
        acc_mps2, gyr_dps = self.playback(rate_hz)
        packets = anklet_packets(
            acc_mps2,
            gyr_dps,
            first_timestamp_us=int(self.sensor_time_s * 1e6),
            sample_period_us=round(1e6 / rate_hz),
            acc_range_g=acc_range_g,
            gyr_range_dps=gyr_range_dps,
            samples_per_packet=samples_per_packet,
        )
        self.start_stream(protocol.DATA_CHARACTERISTIC_UUID, packets, rate_hz / samples_per_packet)
