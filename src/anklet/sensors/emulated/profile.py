"""Declarative GATT profile of an emulated peripheral, and its advertising data.

A :class:`PeripheralProfile` is pure data: the advertised name, the services
with their characteristics, the service UUIDs to advertise, the largest ATT MTU
the peripheral accepts. Sensor-family modules build one from their own UUIDs;
:class:`~anklet.sensors.emulated.peripheral.EmulatedPeripheral` turns it into a
Bumble GATT server.

Advertising data follows the Core Specification Supplement (CSS v11, Part A,
1.1 Service UUIDs, 1.2 Local Name, 1.3 Flags, 1.4 Manufacturer Specific Data)
and must fit the 31 bytes of a legacy advertising PDU (Core Spec v5.4, Vol 6,
Part B, 2.3.1.1). Bumble's virtual controller does not send a separate scan
response, so everything a scanner must see goes into these 31 bytes.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

from bumble.core import UUID, AdvertisingData

from anklet.sensors.base import normalize_uuid
from anklet.sensors.emulated.errors import EmulationError

#: Characteristic properties an emulated characteristic may have, spelled as
#: bleak spells them (``BleakGATTCharacteristic.properties``).
CHARACTERISTIC_PROPERTIES: frozenset[str] = frozenset(
    {"read", "write", "write-without-response", "notify", "indicate"}
)

#: Legacy advertising payload limit in bytes (Core Spec v5.4, Vol 6, Part B, 2.3.1.1).
LEGACY_ADVERTISING_DATA_MAX_BYTES = 31

#: ATT_MTU bounds: 23 is the LE default/minimum, 517 the largest useful value
#: (512-byte attribute + 5 bytes of ATT overhead), Core Spec v5.4, Vol 3, Part F, 3.2.8/3.2.9.
ATT_MTU_MIN_BYTES = 23
ATT_MTU_MAX_BYTES = 517

#: Tail of every UUID on the Bluetooth base UUID (Core Spec v5.4, Vol 3, Part B, 2.5.1).
_BLUETOOTH_BASE_UUID_SUFFIX = "-0000-1000-8000-00805f9b34fb"

#: Flags AD: LE General Discoverable Mode | BR/EDR Not Supported (CSS v11, Part A, 1.3).
_FLAGS_LE_GENERAL_NO_BREDR = 0x06


def _uuid_or_raise(uuid: str, where: str) -> str:
    try:
        return normalize_uuid(uuid)
    except ValueError as exc:
        raise EmulationError(
            f"{where}: {uuid!r} is not a UUID; use a 128-bit UUID string or a 16-bit short form like '180f'"
        ) from exc


@dataclass(frozen=True)
class CharacteristicSpec:
    """One characteristic of an emulated GATT service.

    Attributes:
        uuid: characteristic UUID (128-bit string or 16-bit short form);
            normalised to lower-case 128-bit.
        properties: subset of :data:`CHARACTERISTIC_PROPERTIES`, e.g.
            ``frozenset({"write", "notify"})``.
        initial_value: the value a read returns until
            :meth:`EmulatedPeripheral.set_value` changes it.

    Raises:
        EmulationError: the UUID is malformed, ``properties`` is empty or holds
            an unknown name.
    """

    uuid: str
    properties: frozenset[str]
    initial_value: bytes = b""

    def __post_init__(self) -> None:
        object.__setattr__(self, "uuid", _uuid_or_raise(self.uuid, "characteristic"))
        object.__setattr__(self, "properties", frozenset(self.properties))
        unknown = self.properties - CHARACTERISTIC_PROPERTIES
        if unknown or not self.properties:
            raise EmulationError(
                f"characteristic {self.uuid}: properties {sorted(self.properties)} are invalid; "
                f"use one or more of {sorted(CHARACTERISTIC_PROPERTIES)}"
            )
        object.__setattr__(self, "initial_value", bytes(self.initial_value))


@dataclass(frozen=True)
class ServiceSpec:
    """One primary GATT service: a UUID and its characteristics.

    Raises:
        EmulationError: the UUID is malformed or two characteristics share a UUID.
    """

    uuid: str
    characteristics: tuple[CharacteristicSpec, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "uuid", _uuid_or_raise(self.uuid, "service"))
        object.__setattr__(self, "characteristics", tuple(self.characteristics))
        uuids = [c.uuid for c in self.characteristics]
        if len(set(uuids)) != len(uuids):
            raise EmulationError(
                f"service {self.uuid}: characteristic UUIDs must be unique, got {uuids}"
            )


@dataclass(frozen=True)
class PeripheralProfile:
    """Everything a scanner and a GATT client can see of an emulated peripheral.

    Attributes:
        name: Complete Local Name in the advertisement (UTF-8), also the GAP
            Device Name characteristic.
        services: the primary services, in handle order.
        advertised_service_uuids: service UUIDs put in the advertisement
            (may be empty; may name services not in ``services``, as some
            vendors do).
        manufacturer_data: optional ``(company_id, payload)`` Manufacturer
            Specific Data AD structure.
        max_mtu_bytes: the largest ATT_MTU the peripheral accepts in an MTU
            exchange (23..517; 247 is what most nRF52 firmwares use).
        advertising_interval_s: advertising interval in seconds (>= 0.02 s,
            Core Spec v5.4, Vol 6, Part B, 4.4.2.2).

    Raises:
        EmulationError: a field is out of range, a characteristic UUID appears
            in two services, or the advertising data do not fit 31 bytes.
    """

    name: str
    services: tuple[ServiceSpec, ...]
    advertised_service_uuids: tuple[str, ...] = ()
    manufacturer_data: tuple[int, bytes] | None = None
    max_mtu_bytes: int = 247
    advertising_interval_s: float = 0.05

    def __post_init__(self) -> None:
        object.__setattr__(self, "services", tuple(self.services))
        object.__setattr__(
            self,
            "advertised_service_uuids",
            tuple(_uuid_or_raise(u, "advertised service") for u in self.advertised_service_uuids),
        )
        if not ATT_MTU_MIN_BYTES <= self.max_mtu_bytes <= ATT_MTU_MAX_BYTES:
            raise EmulationError(
                f"peripheral {self.name!r}: max_mtu_bytes={self.max_mtu_bytes} is out of range; "
                f"use {ATT_MTU_MIN_BYTES}..{ATT_MTU_MAX_BYTES}"
            )
        if self.advertising_interval_s < 0.02:
            raise EmulationError(
                f"peripheral {self.name!r}: advertising_interval_s={self.advertising_interval_s} "
                "is below the 0.02 s minimum of the Core Specification"
            )
        char_uuids = [c.uuid for s in self.services for c in s.characteristics]
        if len(set(char_uuids)) != len(char_uuids):
            raise EmulationError(
                f"peripheral {self.name!r}: a characteristic UUID appears in two services; "
                "the emulator addresses characteristics by UUID, so make them unique"
            )
        advertising_data_bytes(self)  # validates the length

    def characteristic(self, char_uuid: str) -> CharacteristicSpec:
        """The characteristic with UUID ``char_uuid`` (any accepted UUID form).

        Raises:
            EmulationError: no characteristic of this profile has that UUID.
        """
        wanted = _uuid_or_raise(char_uuid, "characteristic")
        for service in self.services:
            for spec in service.characteristics:
                if spec.uuid == wanted:
                    return spec
        raise EmulationError(
            f"peripheral {self.name!r} has no characteristic {wanted}; "
            f"it has {[c.uuid for s in self.services for c in s.characteristics]}"
        )


def to_bumble_uuid(uuid: str) -> UUID:
    """A Bumble UUID for a normalised 128-bit UUID string.

    UUIDs on the Bluetooth base (``0000xxxx-0000-1000-8000-00805f9b34fb``) become
    16- or 32-bit UUIDs, as the Core Spec requires for assigned numbers in
    attribute declarations and AD structures (Vol 3, Part B, 2.5.1).
    """
    if uuid.endswith(_BLUETOOTH_BASE_UUID_SUFFIX):
        short = int(uuid[:8], 16)
        return UUID.from_16_bits(short) if short <= 0xFFFF else UUID.from_32_bits(short)
    return UUID(uuid)


def from_bumble_uuid(uuid: UUID) -> str:
    """The lower-case 128-bit string form (as bleak and :mod:`anklet.sensors.base` use) of a Bumble UUID."""
    return normalize_uuid(uuid.to_hex_str("-"))


def _uuid_list_structures(uuids: Sequence[str]) -> list[tuple[int, bytes]]:
    """Complete-list AD structures, one per UUID width (CSS v11, Part A, 1.1)."""
    types_by_width = {
        2: AdvertisingData.Type.COMPLETE_LIST_OF_16_BIT_SERVICE_CLASS_UUIDS,
        4: AdvertisingData.Type.COMPLETE_LIST_OF_32_BIT_SERVICE_CLASS_UUIDS,
        16: AdvertisingData.Type.COMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS,
    }
    by_width: dict[int, bytes] = {}
    for uuid in uuids:
        uuid_bytes = to_bumble_uuid(uuid).to_bytes()
        by_width[len(uuid_bytes)] = by_width.get(len(uuid_bytes), b"") + uuid_bytes
    return [(types_by_width[width], data) for width, data in sorted(by_width.items())]


def advertising_data_bytes(profile: PeripheralProfile) -> bytes:
    """The legacy advertising payload of ``profile``: flags, service UUIDs, name, manufacturer data.

    Returns:
        The AD structures as sent on air (at most 31 bytes).

    Raises:
        EmulationError: the payload exceeds 31 bytes; the message gives the size
            and suggests a shorter name or fewer advertised UUIDs.
    """
    structures: list[tuple[int, bytes]] = [
        (AdvertisingData.Type.FLAGS, bytes([_FLAGS_LE_GENERAL_NO_BREDR]))
    ]
    structures += _uuid_list_structures(profile.advertised_service_uuids)
    structures.append((AdvertisingData.Type.COMPLETE_LOCAL_NAME, profile.name.encode("utf-8")))
    if profile.manufacturer_data is not None:
        company_id, payload = profile.manufacturer_data
        structures.append(
            (AdvertisingData.Type.MANUFACTURER_SPECIFIC_DATA, struct.pack("<H", company_id) + bytes(payload))
        )
    data = bytes(AdvertisingData(structures))
    if len(data) > LEGACY_ADVERTISING_DATA_MAX_BYTES:
        raise EmulationError(
            f"peripheral {profile.name!r}: advertising data are {len(data)} bytes, legacy advertising "
            f"allows {LEGACY_ADVERTISING_DATA_MAX_BYTES}; shorten the name, advertise fewer service "
            "UUIDs or drop the manufacturer data"
        )
    return data
