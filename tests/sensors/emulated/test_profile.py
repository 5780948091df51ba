"""PeripheralProfile validation and the advertising data it produces."""

from __future__ import annotations

import pytest
from bumble.core import AdvertisingData

from anklet.errors import AnkletError
from anklet.sensors.emulated import CharacteristicSpec, EmulationError, PeripheralProfile, ServiceSpec
from anklet.sensors.emulated.profile import LEGACY_ADVERTISING_DATA_MAX_BYTES, advertising_data_bytes

from .support import CONTROL_UUID, DATA_UUID, SERVICE_UUID, make_profile


def test_advertising_data_carries_flags_uuid_and_name() -> None:
    data = advertising_data_bytes(make_profile("anklet-L"))
    parsed = AdvertisingData.from_bytes(data)
    assert len(data) <= LEGACY_ADVERTISING_DATA_MAX_BYTES
    assert parsed.get(AdvertisingData.Type.FLAGS) == 0x06
    assert parsed.get(AdvertisingData.Type.COMPLETE_LOCAL_NAME) == "anklet-L"
    (uuids,) = parsed.get_all(AdvertisingData.Type.COMPLETE_LIST_OF_128_BIT_SERVICE_CLASS_UUIDS)
    assert [u.to_hex_str("-").lower() for u in uuids] == [SERVICE_UUID]


def test_sig_uuids_are_advertised_in_16_bit_form() -> None:
    profile = PeripheralProfile(
        "bat", (ServiceSpec("180f", (CharacteristicSpec("2a19", frozenset({"read"})),)),), ("180F",)
    )
    parsed = AdvertisingData.from_bytes(advertising_data_bytes(profile))
    (uuids,) = parsed.get_all(AdvertisingData.Type.COMPLETE_LIST_OF_16_BIT_SERVICE_CLASS_UUIDS)
    assert [u.to_hex_str() for u in uuids] == ["180F"]
    assert profile.advertised_service_uuids == ("0000180f-0000-1000-8000-00805f9b34fb",)


def test_too_long_advertising_data_is_refused_with_its_size() -> None:
    with pytest.raises(EmulationError, match=r"advertising data are \d+ bytes.*31"):
        make_profile("a-name-far-too-long-for-legacy-advertising")


@pytest.mark.parametrize("properties", [frozenset(), frozenset({"notify", "teleport"})])
def test_bad_characteristic_properties_are_refused(properties: frozenset[str]) -> None:
    with pytest.raises(EmulationError, match="properties"):
        CharacteristicSpec(DATA_UUID, properties)


def test_malformed_uuid_is_refused_as_anklet_error() -> None:
    with pytest.raises(AnkletError, match="not a UUID"):
        CharacteristicSpec("not-a-uuid", frozenset({"read"}))


def test_duplicate_characteristic_uuids_are_refused() -> None:
    spec = CharacteristicSpec(DATA_UUID, frozenset({"notify"}))
    with pytest.raises(EmulationError, match="unique"):
        ServiceSpec(SERVICE_UUID, (spec, spec))


@pytest.mark.parametrize("mtu", [22, 518])
def test_mtu_out_of_range_is_refused(mtu: int) -> None:
    with pytest.raises(EmulationError, match="max_mtu_bytes"):
        make_profile("x", max_mtu_bytes=mtu)


def test_characteristic_lookup_accepts_any_uuid_case() -> None:
    profile = make_profile("x")
    assert profile.characteristic(CONTROL_UUID.upper()).uuid == CONTROL_UUID
    with pytest.raises(EmulationError, match="has no characteristic"):
        profile.characteristic("2a19")
