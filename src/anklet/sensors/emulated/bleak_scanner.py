"""bleak scanner backend on a :class:`~anklet.sensors.emulated.radio.VirtualRadio`.

``BleakScanner(backend=BleakScannerBumble)`` (bleak >= 0.18: the ``backend``
argument takes a :class:`bleak.backends.scanner.BaseBleakScanner` subclass)
scans with the radio's central. Each Bumble advertising report becomes a
``(BLEDevice, AdvertisementData)`` pair; ``BLEDevice.details`` is the radio.
"""

from __future__ import annotations

from typing import Any, Literal, cast

from bleak.backends.scanner import (
    AdvertisementData,
    AdvertisementDataCallback,
    BaseBleakScanner,
)
from bumble.core import UUID, AdvertisingData
from bumble.device import Advertisement

from anklet.sensors.emulated.profile import from_bumble_uuid
from anklet.sensors.emulated.radio import VirtualRadio

_T = AdvertisingData.Type
_SERVICE_UUID_LIST_TYPES = (
    _T.INCOMPLETE_LIST_OF_16_BIT_SERVICE_CLASS_UUIDS,
    _T.COMPLETE_LIST_OF_16_BIT_SERVICE_CLASS_UUIDS,
    _T.INCOMPLETE_LIST_OF_32_BIT_SERVICE_CLASS_UUIDS,
    _T.COMPLETE_LIST_OF_32_BIT_SERVICE_CLASS_UUIDS,
    _T.INCOMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS,
    _T.COMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS,
)
_SERVICE_DATA_TYPES = (_T.SERVICE_DATA_16_BIT_UUID, _T.SERVICE_DATA_32_BIT_UUID, _T.SERVICE_DATA_128_BIT_UUID)


def advertisement_data(advertisement: Advertisement) -> AdvertisementData:
    """bleak's :class:`AdvertisementData` for one Bumble advertising report.

    UUIDs become lower-case 128-bit strings, RSSI is in dBm as reported by the
    virtual controller, ``platform_data`` is ``(advertisement,)``.
    """
    data = advertisement.data
    local_name = data.get(_T.COMPLETE_LOCAL_NAME) or data.get(_T.SHORTENED_LOCAL_NAME)
    # Bumble types get_all() per literal AD type; these loops cover several types.
    uuid_lists = [cast(list[UUID], u) for ad_type in _SERVICE_UUID_LIST_TYPES for u in data.get_all(ad_type)]
    service_uuids = [from_bumble_uuid(uuid) for uuid_list in uuid_lists for uuid in uuid_list]
    uuid_data = [cast(tuple[UUID, bytes], d) for ad_type in _SERVICE_DATA_TYPES for d in data.get_all(ad_type)]
    service_data = {from_bumble_uuid(uuid): bytes(payload) for uuid, payload in uuid_data}
    manufacturer_data = {
        company_id: bytes(payload) for company_id, payload in data.get_all(_T.MANUFACTURER_SPECIFIC_DATA)
    }
    return AdvertisementData(
        local_name=local_name,
        manufacturer_data=manufacturer_data,
        service_data=service_data,
        service_uuids=list(dict.fromkeys(service_uuids)),
        tx_power=data.get(_T.TX_POWER_LEVEL),
        rssi=advertisement.rssi,
        platform_data=(advertisement,),
    )


class BleakScannerBumble(BaseBleakScanner):
    """bleak scanner backend that listens on the central of a :class:`VirtualRadio`.

    Args:
        detection_callback: bleak detection callback (or None).
        service_uuids: only report advertisements listing one of these services.
        scanning_mode: ``"active"`` or ``"passive"``.
        radio: the radio to scan on; default :meth:`VirtualRadio.current` at ``start()``.
        **kwargs: bleak's platform arguments (``bluez``, ``cb``), ignored.
    """

    def __init__(
        self,
        detection_callback: AdvertisementDataCallback | None,
        service_uuids: list[str] | None,
        scanning_mode: Literal["active", "passive"] = "active",
        *,
        radio: VirtualRadio | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(detection_callback, service_uuids)
        self._active = scanning_mode == "active"
        self._radio = radio
        self._scanning_radio: VirtualRadio | None = None

    async def start(self) -> None:
        """Clear :attr:`seen_devices` and start receiving advertisements.

        Raises:
            EmulationError: no radio was given and none runs on this loop.
        """
        radio = self._radio or VirtualRadio.current()
        self.seen_devices = {}
        radio.central.on(radio.central.EVENT_ADVERTISEMENT, self._on_advertisement)
        self._scanning_radio = radio
        await radio.acquire_scanning(self._active)

    async def stop(self) -> None:
        """Stop receiving advertisements (no-op if not started)."""
        radio, self._scanning_radio = self._scanning_radio, None
        if radio is None:
            return
        radio.central.remove_listener(radio.central.EVENT_ADVERTISEMENT, self._on_advertisement)
        await radio.release_scanning()

    def _on_advertisement(self, advertisement: Advertisement) -> None:
        adv = advertisement_data(advertisement)
        if not self.is_allowed_uuid(adv.service_uuids):
            return
        address = advertisement.address.to_string(False)
        device = self.create_or_update_device(address, address, adv.local_name, self._scanning_radio, adv)
        self.call_detection_callbacks(device, adv)
