"""Discover the supported sensors around: name, address, protocol, RSSI.

A device is "supported" when :func:`anklet.sensors.registry.protocol_for_advertisement`
recognises its advertisement (service UUIDs first, then name prefixes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bleak import BleakScanner
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData

from anklet.collector.backend import scanner_backend
from anklet.errors import DeviceNotFoundError
from anklet.sensors.base import SensorProtocol
from anklet.sensors.registry import protocol_for_advertisement

#: Default scan duration, seconds: sensors advertise every 20 ms to 1 s.
DEFAULT_SCAN_TIMEOUT_S = 5.0


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
        bleak.exc.BleakError: no Bluetooth adapter, or it is off (the CLI turns
            this into a message).
    """
    found = await BleakScanner.discover(
        timeout=timeout_s, return_adv=True, backend=scanner_backend()
    )
    sensors = []
    for device, advertisement in found.values():
        name = advertisement.local_name or device.name or ""
        protocol = protocol_for_advertisement(name or None, advertisement.service_uuids)
        if protocol is not None:
            sensors.append(
                FoundSensor(name, device.address, protocol, advertisement.rssi, device)
            )
    return sorted(sensors, key=lambda s: (-s.rssi_dbm, s.address))


async def find_sensor(
    address: str, timeout_s: float = DEFAULT_SCAN_TIMEOUT_S
) -> FoundSensor:
    """Scan until the device with ``address`` (case-insensitive) advertises; it must be a supported sensor.

    Raises:
        DeviceNotFoundError: nothing with this address advertised within
            ``timeout_s`` seconds, or it is not a supported sensor; the message
            says to run ``anklet scan``.
    """
    wanted = address.upper()
    seen: list[AdvertisementData] = []

    def is_wanted(device: BLEDevice, advertisement: AdvertisementData) -> bool:
        if device.address.upper() != wanted:
            return False
        seen.append(advertisement)
        return True

    device = await BleakScanner.find_device_by_filter(
        is_wanted, timeout=timeout_s, backend=scanner_backend()
    )
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
