"""The common, host-side view of a BLE IMU sensor protocol.

A :class:`SensorProtocol` says how to recognise a sensor in an advertisement,
which GATT characteristic carries its data, which bytes to write to start and
stop streaming, and gives a fresh :class:`PacketDecoder` per connection that
turns one notification payload into a :class:`DecodedPacket`.

Conventions for every family module (``anklet.sensors.<family>``):

* host side: one ``SensorProtocol`` subclass, registered in
  :mod:`anklet.sensors.registry`;
* peripheral side (used by the emulated sensors and the tests): an
  ``encode_...`` function that builds the notification bytes the sensor sends,
  and a ``parse_command`` function that turns the bytes the sensor receives on
  its control characteristic into a small frozen dataclass;
* every decoding problem raises :class:`anklet.errors.DecodeError` whose message
  starts with the protocol name (never ``IndexError``/``struct.error``).

Units: acceleration in m/s^2 (gravity included, standard gravity
``STANDARD_GRAVITY_MPS2``), angular rate in deg/s, sensor time in seconds on the
sensor's own clock (unwrapped within one packet only; rollover across packets is
the clock model's job, see :mod:`anklet.timing`). Axes are the sensor's own
axes as printed on the device / documented by the vendor.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from anklet.errors import AnkletError, DecodeError

#: Standard gravity (CGPM 1901, also ISO 80000-3), m/s^2 per g.
STANDARD_GRAVITY_MPS2 = 9.80665

#: The Bluetooth base UUID; 16-bit assigned numbers expand into it.
_BLUETOOTH_BASE_UUID_SUFFIX = "-0000-1000-8000-00805f9b34fb"


class SensorConfigError(AnkletError):
    """A requested sensor setting (rate, range) is not supported by the protocol."""


def normalize_uuid(uuid: str) -> str:
    """Return ``uuid`` as a lower-case 128-bit UUID string.

    Accepts full 128-bit strings in any case, and 16- or 32-bit Bluetooth
    SIG short forms (``"180F"``, ``"0x180f"``, ``"0000180f"``) which are
    expanded with the Bluetooth base UUID (Core Spec v5.4, Vol 3, Part B, 2.5.1).

    Raises:
        ValueError: ``uuid`` is not a UUID in one of these forms.
    """
    text = uuid.strip().lower()
    text = text.removeprefix("0x")
    hex_digits = text.replace("-", "")
    if not hex_digits or any(c not in "0123456789abcdef" for c in hex_digits):
        raise ValueError(f"not a UUID: {uuid!r}")
    if len(text) in (4, 8) and "-" not in text:
        return f"{int(text, 16):08x}{_BLUETOOTH_BASE_UUID_SUFFIX}"
    if len(hex_digits) != 32:
        raise ValueError(f"not a UUID: {uuid!r} (expected 4, 8 or 32 hex digits)")
    h = hex_digits
    return f"{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


@dataclass(frozen=True)
class DecodedPacket:
    """The samples carried by one notification.

    Attributes:
        acc_mps2: (k, 3) float64 specific force in m/s^2 (gravity included),
            sensor axes. ``k`` may be 0 for packets that carry no IMU samples.
        gyr_dps: (k, 3) float64 angular rate in deg/s, sensor axes.
        sensor_time_s: (k,) float64 sample times in seconds on the sensor's
            clock, or ``None`` when the protocol carries no timestamps
            (the host then uses arrival times / sample counting).
        sequence: the packet's sequence counter as sent (protocol-specific
            width, wraps), or ``None`` when the protocol has none.
        sample_index: index of the first sample of this packet in the stream
            since the decoder was created, counted by the decoder for protocols
            without timestamps (WitMotion); ``None`` otherwise.
    """

    acc_mps2: np.ndarray
    gyr_dps: np.ndarray
    sensor_time_s: np.ndarray | None
    sequence: int | None
    sample_index: int | None = None

    def __post_init__(self) -> None:
        k = self.acc_mps2.shape[0] if self.acc_mps2.ndim == 2 else -1
        if self.acc_mps2.shape != (k, 3) or self.gyr_dps.shape != (k, 3):
            raise ValueError(
                f"acc_mps2 and gyr_dps must both have shape (k, 3), got {self.acc_mps2.shape} and {self.gyr_dps.shape}"
            )
        if self.sensor_time_s is not None and self.sensor_time_s.shape != (k,):
            raise ValueError(f"sensor_time_s must have shape ({k},), got {self.sensor_time_s.shape}")

    def __len__(self) -> int:
        return int(self.acc_mps2.shape[0])


class PacketDecoder(ABC):
    """Decodes the notifications of one connection, in arrival order.

    One decoder per connection, because some protocols carry state across
    packets (sample counting, the last sample of a delta frame, the configured
    scale). Create it with :meth:`SensorProtocol.new_decoder`.
    """

    def handle_response(self, payload: bytes) -> None:
        """Take a notification/indication from one of the protocol's
        :attr:`SensorProtocol.response_characteristic_uuids` (e.g. the answer
        to a start command that carries a scale factor). Default: ignored.

        Raises:
            DecodeError: the response is malformed or reports an error.
        """
        return

    @abstractmethod
    def decode(self, payload: bytes) -> DecodedPacket:
        """Decode one notification payload.

        Raises:
            DecodeError: the payload is malformed (wrong length, unknown frame
                type or version, ...); the message names the protocol and the
                problem. The decoder stays usable for the next packet.
        """


class SensorProtocol(ABC):
    """Host-side description of one BLE sensor family.

    Subclasses set the class attributes and implement the three abstract
    methods. UUIDs are lower-case 128-bit strings (see :func:`normalize_uuid`).

    Attributes:
        name: registry key: ``"anklet"``, ``"movesense"``, ``"polar_pmd"``, ``"witmotion"``.
        service_uuids: primary services that identify the family in
            advertisements or after service discovery.
        advertised_name_prefixes: device-name prefixes that identify the family
            when the advertisement lists no service UUID.
        data_characteristic_uuid: the characteristic whose notifications carry
            IMU samples (subscribe to it before writing start commands).
        response_characteristic_uuids: further characteristics the host must
            subscribe to (notify/indicate) before writing commands, because the
            sensor answers commands there (empty if none).
        supported_rates_hz: sampling rates accepted by :meth:`start_commands`.
        supported_acc_ranges_g: accelerometer full-scale ranges, +-g.
        supported_gyr_ranges_dps: gyroscope full-scale ranges, +-deg/s.
        sensor_clock_wrap_s: after how many seconds the sensor timestamps in
            :attr:`DecodedPacket.sensor_time_s` wrap back to 0 (a fixed-width
            counter), or None when they never wrap in practice or the protocol
            has no timestamps. The host unwraps them (:mod:`anklet.recording.side_decoder`).
    """

    name: ClassVar[str]
    service_uuids: ClassVar[tuple[str, ...]]
    advertised_name_prefixes: ClassVar[tuple[str, ...]] = ()
    data_characteristic_uuid: ClassVar[str]
    response_characteristic_uuids: ClassVar[tuple[str, ...]] = ()
    supported_rates_hz: ClassVar[tuple[float, ...]]
    supported_acc_ranges_g: ClassVar[tuple[float, ...]]
    supported_gyr_ranges_dps: ClassVar[tuple[float, ...]]
    sensor_clock_wrap_s: ClassVar[float | None]

    def matches(self, advertised_name: str | None, service_uuids: Sequence[str]) -> bool:
        """True if an advertisement (local name, advertised service UUIDs) is this family.

        A listed service UUID in :attr:`service_uuids` wins; otherwise the name
        must start with one of :attr:`advertised_name_prefixes` (case-sensitive,
        as vendors print them). Malformed UUID strings are ignored.
        """
        ours = {normalize_uuid(u) for u in self.service_uuids}
        for uuid in service_uuids:
            try:
                if normalize_uuid(uuid) in ours:
                    return True
            except ValueError:
                continue
        return advertised_name is not None and advertised_name.startswith(self.advertised_name_prefixes)

    def check_rate(self, sampling_rate_hz: float) -> float:
        """Return the supported rate (Hz) equal to ``sampling_rate_hz`` (within float tolerance).

        Raises:
            SensorConfigError: it is not supported; the message lists the supported rates.
        """
        index = require_choice(self.name, "sampling rate", sampling_rate_hz, self.supported_rates_hz, "Hz")
        return self.supported_rates_hz[index]

    def check_settings(self, sampling_rate_hz: float, acc_range_g: float, gyr_range_dps: float) -> None:
        """Check that a rate (Hz) and ranges (+-g, +-deg/s) are supported.

        Raises:
            SensorConfigError: a value is not supported; the message lists the
                supported values.
        """
        self.check_rate(sampling_rate_hz)
        require_choice(self.name, "accelerometer range", acc_range_g, self.supported_acc_ranges_g, "g")
        require_choice(self.name, "gyroscope range", gyr_range_dps, self.supported_gyr_ranges_dps, "deg/s")

    @abstractmethod
    def start_commands(
        self, sampling_rate_hz: float, acc_range_g: float, gyr_range_dps: float
    ) -> list[tuple[str, bytes]]:
        """The writes that start acc+gyr streaming, in order.

        Args:
            sampling_rate_hz: one of :attr:`supported_rates_hz`.
            acc_range_g: one of :attr:`supported_acc_ranges_g` (+-g).
            gyr_range_dps: one of :attr:`supported_gyr_ranges_dps` (+-deg/s).

        Returns:
            ``(characteristic_uuid, payload)`` pairs to write with response.

        Raises:
            SensorConfigError: a setting is not supported.
        """

    @abstractmethod
    def stop_commands(self) -> list[tuple[str, bytes]]:
        """The writes that stop streaming, in order, as ``(characteristic_uuid, payload)``."""

    @abstractmethod
    def new_decoder(self, sampling_rate_hz: float) -> PacketDecoder:
        """A fresh decoder for one connection.

        Args:
            sampling_rate_hz: the rate passed to :meth:`start_commands`; some
                protocols need it to time the samples of a packet (Movesense,
                Polar) or count samples (WitMotion).

        Raises:
            SensorConfigError: the rate is not one of :attr:`supported_rates_hz`.
        """


def decode_error(protocol_name: str, problem: str) -> DecodeError:
    """Build a :class:`DecodeError` whose message starts with the protocol name."""
    return DecodeError(f"{protocol_name}: {problem}")


def require_choice(protocol_name: str, label: str, value: float, allowed: Sequence[float], unit: str) -> int:
    """Return the index of ``value`` in ``allowed`` (compared with ``np.isclose``).

    Raises:
        SensorConfigError: ``value`` is not one of ``allowed``; the message
            names the protocol and setting and lists the choices.
    """
    for index, choice in enumerate(allowed):
        if np.isclose(value, choice):
            return index
    choices = ", ".join(f"{a:g}" for a in allowed)
    raise SensorConfigError(
        f"{protocol_name}: {label} {value:g} {unit} is not supported; choose one of {choices} {unit}"
    )


def to_int16_counts(values: np.ndarray, units_per_count: float) -> np.ndarray:
    """Quantise physical values to int16 counts, as a sensor's firmware would.

    ``counts = round(values / units_per_count)`` with halves rounded away from
    zero (like C ``lround``), then saturated to [-32768, 32767].

    Args:
        values: array of physical values (any shape), in the unit of
            ``units_per_count``.
        units_per_count: the value of one count (LSB), > 0.

    Returns:
        An ``int16`` array of the same shape.

    Raises:
        ValueError: ``units_per_count`` is not positive or ``values`` is not finite.
    """
    if not units_per_count > 0:
        raise ValueError(f"units_per_count must be > 0, got {units_per_count}")
    scaled = np.asarray(values, dtype=np.float64) / units_per_count
    if not np.all(np.isfinite(scaled)):
        raise ValueError("values must be finite")
    rounded = np.sign(scaled) * np.floor(np.abs(scaled) + 0.5)
    return np.clip(rounded, -32768, 32767).astype(np.int16)
