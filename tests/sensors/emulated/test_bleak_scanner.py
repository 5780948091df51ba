"""BleakScanner with the Bumble backend finds emulated peripherals on the virtual radio."""

from __future__ import annotations

from typing import Literal

import pytest
from bleak import BleakScanner

from anklet.sensors.emulated import BleakScannerBumble, EmulationError, VirtualRadio

from .support import SERVICE_UUID, make_profile, run_async

OTHER_SERVICE_UUID = "0000180d-0000-1000-8000-00805f9b34fb"


@pytest.mark.parametrize("scanning_mode", ["active", "passive"])
def test_scan_finds_two_named_peripherals_with_service_uuids_and_rssi(
    scanning_mode: Literal["active", "passive"],
) -> None:
    async def main() -> None:
        async with VirtualRadio() as radio:
            left = await radio.add_peripheral(make_profile("anklet-L"))
            right = await radio.add_peripheral(make_profile("anklet-R"))
            found = await BleakScanner.discover(
                0.2, return_adv=True, scanning_mode=scanning_mode, backend=BleakScannerBumble
            )
            assert set(found) == {left.address, right.address}
            for peripheral, name in ((left, "anklet-L"), (right, "anklet-R")):
                device, adv = found[peripheral.address]
                assert device.name == name
                assert adv.local_name == name
                assert adv.service_uuids == [SERVICE_UUID]
                assert isinstance(adv.rssi, int) and -127 <= adv.rssi <= 20
                assert device.details is radio

    run_async(main)


def test_service_filter_and_detection_callback_see_only_matching_advertisers() -> None:
    async def main() -> None:
        async with VirtualRadio() as radio:
            wanted = await radio.add_peripheral(make_profile("anklet-L"))
            await radio.add_peripheral(make_profile("heart", service_uuid=OTHER_SERVICE_UUID))
            seen: list[str] = []
            scanner = BleakScanner(
                lambda device, adv: seen.append(device.address),
                service_uuids=[SERVICE_UUID],
                backend=BleakScannerBumble,
            )
            async with scanner:
                device = await BleakScanner.find_device_by_name(
                    "heart", timeout=1.0, backend=BleakScannerBumble
                )
            assert device is not None and device.name == "heart"
            assert seen and set(seen) == {wanted.address}
            assert [d.address for d in scanner.discovered_devices] == [wanted.address]

    run_async(main)


def test_scanning_without_a_radio_says_what_to_do() -> None:
    async def main() -> None:
        with pytest.raises(EmulationError, match="async with VirtualRadio"):
            await BleakScanner.discover(0.05, backend=BleakScannerBumble)

    run_async(main)
