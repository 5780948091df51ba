"""Discover the supported sensors around: name, address, protocol, RSSI.

A device is "supported" when :func:`anklet.sensors.registry.protocol_for_advertisement`
recognises its advertisement (service UUIDs first, then name prefixes).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from bleak import BleakScanner
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData
from bleak.exc import BleakError

from anklet.collector.backend import scanner_backend
from anklet.errors import AnkletError, DeviceNotFoundError
from anklet.imu import Side
from anklet.sensors.base import SensorProtocol
from anklet.sensors.registry import protocol_for_advertisement

#: Default scan duration, seconds: sensors advertise every 20 ms to 1 s.
DEFAULT_SCAN_TIMEOUT_S = 5.0


class BluetoothUnavailableError(AnkletError):
    """The platform's Bluetooth stack could not be used (no adapter, adapter off, no BlueZ)."""


class SensorPairError(AnkletError):
    """The two sensors cannot be used together (same sensor, different or unexpected protocols)."""


@asynccontextmanager
async def _bluetooth() -> AsyncIterator[None]:
    """Turn the platform's "no Bluetooth" failures into :class:`BluetoothUnavailableError`."""
    try:
        yield
    except (BleakError, OSError) as exc:  # no adapter, adapter off, no BlueZ/D-Bus
        raise BluetoothUnavailableError(
            f"Bluetooth is not available ({type(exc).__name__}: {exc or 'no details'}); switch the "
            "adapter on (Linux: BlueZ must run), or try the emulated sensors with --simulate"
        ) from exc


@dataclass(frozen=True)
class FoundSensor:
    """One advertising sensor anklet can read.

    Attributes:
        name: advertised local name ("" if none was advertised).
        address: BLE address (a UUID on macOS).
        protocol: the sensor family that matched its advertisement.
        rssi_dbm: received signal strength of the last advertisement, dBm.
        device: bleak's handle, for connecting (not compared, not printed).
    """

    name: str
    address: str
    protocol: SensorProtocol = field(repr=False)
    rssi_dbm: int
    device: BLEDevice = field(compare=False, repr=False)


async def scan_sensors(timeout_s: float = DEFAULT_SCAN_TIMEOUT_S) -> list[FoundSensor]:
    """Scan for ``timeout_s`` seconds and return the supported sensors, strongest signal first.

    Uses the platform's bleak backend, or the emulated one when a
    :class:`~anklet.sensors.emulated.VirtualRadio` runs on this loop.

    Raises:
        BluetoothUnavailableError: no Bluetooth adapter, or it is off.
    """
    async with _bluetooth():
        found = await BleakScanner.discover(timeout=timeout_s, return_adv=True, backend=scanner_backend())
    sensors = []
    for device, advertisement in found.values():
        name = advertisement.local_name or device.name or ""
        protocol = protocol_for_advertisement(name or None, advertisement.service_uuids)
        if protocol is not None:
            sensors.append(FoundSensor(name, device.address, protocol, advertisement.rssi, device))
    return sorted(sensors, key=lambda s: (-s.rssi_dbm, s.address))


async def find_sensor(address: str, timeout_s: float = DEFAULT_SCAN_TIMEOUT_S) -> FoundSensor:
    """Scan until the device with ``address`` (case-insensitive) advertises; it must be a supported sensor.

    Raises:
        DeviceNotFoundError: nothing with this address advertised within
            ``timeout_s`` seconds, or it is not a supported sensor; the message
            says to run ``anklet scan``.
        BluetoothUnavailableError: no Bluetooth adapter, or it is off.
    """
    wanted = address.upper()
    seen: list[AdvertisementData] = []

    def is_wanted(device: BLEDevice, advertisement: AdvertisementData) -> bool:
        if device.address.upper() != wanted:
            return False
        seen.append(advertisement)
        return True

    async with _bluetooth():
        device = await BleakScanner.find_device_by_filter(is_wanted, timeout=timeout_s, backend=scanner_backend())
    if device is None:
        raise DeviceNotFoundError(
            f"sensor {address} not found: it did not advertise within {timeout_s:g} s; check that it is on, charged "
            "and not connected to another device (a phone app), and run 'anklet scan' to list the sensors in range"
        )
    advertisement = seen[-1]
    name = advertisement.local_name or device.name or ""
    protocol = protocol_for_advertisement(name or None, advertisement.service_uuids)
    if protocol is None:
        raise DeviceNotFoundError(
            f"{address} ({name or 'no name'}) is not a sensor anklet supports; run 'anklet scan' to list "
            "the supported sensors in range"
        )
    return FoundSensor(name, device.address, protocol, advertisement.rssi, device)


async def find_pair(
    addresses: Mapping[Side, str], protocol: str | None = None, timeout_s: float = DEFAULT_SCAN_TIMEOUT_S
) -> dict[Side, FoundSensor]:
    """Find the left and right sensors by address and check that they can be used together.

    Args:
        addresses: "left" and "right" -> BLE address.
        protocol: the protocol both must speak, or None for any (but the same).
        timeout_s: scan time allowed per sensor, seconds.

    Raises:
        DeviceNotFoundError: a sensor did not advertise (see :func:`find_sensor`).
        BluetoothUnavailableError: no Bluetooth adapter, or it is off.
        SensorPairError: see :func:`check_pair`.
    """
    if addresses["left"].upper() == addresses["right"].upper():
        raise SensorPairError(f"--left and --right are the same sensor ({addresses['left']}); give two sensors")
    found = {side: await find_sensor(addresses[side], timeout_s) for side in ("left", "right")}
    check_pair(found, protocol)
    return found


def check_pair(found: Mapping[Side, FoundSensor], protocol: str | None) -> None:
    """Check that the two found sensors differ, speak one protocol, and ``protocol`` if given.

    Raises:
        SensorPairError: the message names the sensors and what to change.
    """
    left, right = found["left"], found["right"]
    if left.address.upper() == right.address.upper():
        raise SensorPairError(f"--left and --right are the same sensor ({left.address}); give two sensors")
    for side, sensor in found.items():
        if protocol is not None and sensor.protocol.name != protocol:
            raise SensorPairError(
                f"the {side} sensor {sensor.address} ({sensor.name}) speaks {sensor.protocol.name}, not "
                f"{protocol}; drop --protocol or choose another sensor"
            )
    if left.protocol.name != right.protocol.name:
        raise SensorPairError(
            f"the sensors speak different protocols ({left.protocol.name} left, {right.protocol.name} right); "
            "use two sensors of one family"
        )
