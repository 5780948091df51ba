"""Emulated Movesense sensor speaking GSP with an IMU6 subscription (``firmware_interfaces/movesense/README.md``).

Commands arrive on the GSP write characteristic; answers and data leave on
the notify characteristic, tagged with the client's reference: HELLO answers
``01 <ref> "Hello"``, SUBSCRIBE ``/Meas/IMU6/<rate>`` answers COMMAND_RESULT
200 and starts IMU6 DATA messages (404 for another path or rate),
UNSUBSCRIBE answers 200 and stops them. Messages and notifications come from
:func:`anklet.sensors.movesense.encode_imu6_message` and
:func:`~anklet.sensors.movesense.encode_data_notifications`.

Samples per message: the sensor's IMU delivers about 13 messages per second
(8 samples at 104 Hz), so N = rate / 13, capped at what two notifications
(DATA + DATA_PART2) of the negotiated MTU carry. This batching is the
emulator's assumption, not a documented constant.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np

from anklet.sensors import movesense as protocol
from anklet.sensors.emulated.profile import (
    CharacteristicSpec,
    PeripheralProfile,
    ServiceSpec,
)
from anklet.sensors.emulated.sensor import EmulatedSensor

#: IMU6 messages per second the emulated sensor aims for.
MESSAGES_PER_S = 13.0
STATUS_OK = 200
STATUS_NOT_FOUND = 404
_DEFAULT_MTU_BYTES = 247


def samples_per_message(sampling_rate_hz: float, att_mtu_bytes: int) -> int:
    """IMU6 samples per DATA message: rate / 13, at most what DATA + DATA_PART2 carry.

    Raises:
        ValueError: the MTU cannot carry one sample in two notifications.
    """
    room_bytes = 2 * (att_mtu_bytes - 3 - 2) - protocol.TIMESTAMP_SIZE
    largest = room_bytes // protocol.SAMPLE_SIZE
    if largest < 1:
        raise ValueError(f"an ATT MTU of {att_mtu_bytes} bytes cannot carry one IMU6 sample")
    return max(1, min(largest, round(sampling_rate_hz / MESSAGES_PER_S)))


def imu6_notifications(
    acc_mps2: np.ndarray,
    gyr_dps: np.ndarray,
    *,
    reference: int,
    first_timestamp_ms: float,
    sampling_rate_hz: float,
    samples_per_message: int,
    max_payload_bytes: int,
) -> Iterator[bytes]:
    """Endless DATA (and DATA_PART2) notifications over the (m, 3) motion arrays, looping.

    Message k starts at sample ``k * samples_per_message`` and carries
    ``timestamp_ms = first_timestamp_ms + start / rate * 1000`` (whole ms).
    """
    for message in itertools.count():
        first = message * samples_per_message
        rows = np.arange(first, first + samples_per_message) % len(acc_mps2)
        timestamp_ms = int(first_timestamp_ms + first * 1000.0 / sampling_rate_hz)
        body = protocol.encode_imu6_message(timestamp_ms, acc_mps2[rows], gyr_dps[rows])
        yield from protocol.encode_data_notifications(reference, body, max_payload_bytes)


class EmulatedMovesenseSensor(EmulatedSensor):
    """A Movesense running the GSP firmware module, serving ``/Meas/IMU6/<rate>``."""

    @classmethod
    def profile(cls, name: str) -> PeripheralProfile:
        """GSP service (write + notify characteristics); advertises 0xFDF3 and ``name``."""
        return PeripheralProfile(
            name=name,
            services=(
                ServiceSpec(
                    protocol.SERVICE_UUID,
                    (
                        CharacteristicSpec(protocol.WRITE_CHARACTERISTIC_UUID, frozenset({"write"})),
                        CharacteristicSpec(protocol.NOTIFY_CHARACTERISTIC_UUID, frozenset({"notify"})),
                    ),
                ),
            ),
            advertised_service_uuids=(protocol.ADVERTISED_SERVICE_UUID,),
            max_mtu_bytes=_DEFAULT_MTU_BYTES,
        )

    async def on_command(self, char_uuid: str, payload: bytes) -> None:
        """Answer HELLO, SUBSCRIBE and UNSUBSCRIBE on the notify characteristic.

        Raises:
            DecodeError: the write is not a GSP command (ATT error 0x13).
        """
        if char_uuid != protocol.WRITE_CHARACTERISTIC_UUID:
            return
        command = protocol.parse_command(payload)
        answer_uuid = protocol.NOTIFY_CHARACTERISTIC_UUID
        if command.action == "hello":
            await self.peripheral.notify(
                answer_uuid, bytes([protocol.RESPONSE_COMMAND_RESULT, command.reference]) + b"Hello"
            )
        elif command.action == "unsubscribe":
            self.stop_stream()
            await self.peripheral.notify(answer_uuid, protocol.encode_command_result(command.reference, STATUS_OK))
        elif command.sampling_rate_hz is not None and command.sampling_rate_hz in protocol.SUPPORTED_RATES_HZ:
            await self.peripheral.notify(answer_uuid, protocol.encode_command_result(command.reference, STATUS_OK))
            self._start(command.reference, command.sampling_rate_hz)
        else:
            await self.peripheral.notify(
                answer_uuid, protocol.encode_command_result(command.reference, STATUS_NOT_FOUND)
            )

    def _start(self, reference: int, sampling_rate_hz: float) -> None:
        mtu_bytes = min((c.att_mtu for c in self.peripheral.connections), default=_DEFAULT_MTU_BYTES)
        per_message = samples_per_message(sampling_rate_hz, mtu_bytes)
        max_payload_bytes = mtu_bytes - 3
        message_bytes = protocol.TIMESTAMP_SIZE + protocol.SAMPLE_SIZE * per_message
        notifications_per_message = 1 if message_bytes <= max_payload_bytes - 2 else 2
        acc_mps2, gyr_dps = self.playback(sampling_rate_hz)
        packets = imu6_notifications(
            acc_mps2,
            gyr_dps,
            reference=reference,
            first_timestamp_ms=self.sensor_time_s * 1000.0,
            sampling_rate_hz=sampling_rate_hz,
            samples_per_message=per_message,
            max_payload_bytes=max_payload_bytes,
        )
        packet_rate_hz = sampling_rate_hz / per_message * notifications_per_message
        self.start_stream(protocol.NOTIFY_CHARACTERISTIC_UUID, packets, packet_rate_hz)
