"""Registry lookups, and properties every registered decoder must have."""

from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anklet.errors import DecodeError
from anklet.sensors import anklet, movesense, polar_pmd, witmotion
from anklet.sensors.base import STANDARD_GRAVITY_MPS2, DecodedPacket, SensorConfigError, normalize_uuid
from anklet.sensors.registry import PROTOCOLS, get_protocol, protocol_for_advertisement

ACC = np.array([[0.1, -0.2, STANDARD_GRAVITY_MPS2], [1.0, 2.0, 3.0]])
GYR = np.array([[10.0, -20.0, 30.0], [-1.0, 0.5, 0.25]])

#: One valid data notification per protocol, made by its own encoder.
VALID_PACKETS: dict[str, bytes] = {
    "anklet": anklet.encode_packet(
        ACC, GYR, sequence=1, timestamp_us=10, sample_period_us=1000, acc_range_g=8, gyr_range_dps=2000
    ),
    "movesense": movesense.encode_data_notifications(1, movesense.encode_imu6_message(5, ACC, GYR))[0],
    "polar_pmd": polar_pmd.encode_delta_frame(polar_pmd.MEASUREMENT_ACC, 10**9, np.array([[0, 0, 1000], [1, 2, 3]])),
    "witmotion": witmotion.encode_packet(ACC[0], GYR[0]),
}


def test_every_protocol_is_registered_under_its_name_with_a_sample_packet() -> None:
    assert set(PROTOCOLS) == {"anklet", "movesense", "polar_pmd", "witmotion"} == set(VALID_PACKETS)
    assert all(get_protocol(name).name == name for name in PROTOCOLS)


def test_unknown_protocol_name_lists_known_ones() -> None:
    with pytest.raises(SensorConfigError, match="known protocols: anklet, movesense, polar_pmd, witmotion"):
        get_protocol("xsens")


@pytest.mark.parametrize(
    ("name", "uuids", "expected"),
    [
        (None, [anklet.SERVICE_UUID.upper()], "anklet"),
        ("Movesense 220330000123", [], "movesense"),
        (None, ["FDF3"], "movesense"),
        ("Polar Sense B5A3C42F", [], "polar_pmd"),
        (None, [polar_pmd.PMD_SERVICE_UUID], "polar_pmd"),
        ("WT901BLE68", [], "witmotion"),
        ("Some Watch", ["180d", "not-a-uuid"], None),
    ],
)
def test_protocol_for_advertisement(name: str | None, uuids: list[str], expected: str | None) -> None:
    found = protocol_for_advertisement(name, uuids)
    assert (found.name if found else None) == expected


def test_normalize_uuid_forms() -> None:
    assert normalize_uuid("0x180F") == "0000180f-0000-1000-8000-00805f9b34fb"
    assert normalize_uuid("B8280001-9870-4D4C-8C46-A80111A8C68C") == anklet.SERVICE_UUID
    with pytest.raises(ValueError):
        normalize_uuid("xyz")


@pytest.mark.parametrize("name", sorted(VALID_PACKETS))
def test_sample_packet_decodes_with_every_decoder_fresh(name: str) -> None:
    protocol = PROTOCOLS[name]
    packet = protocol.new_decoder(protocol.supported_rates_hz[0]).decode(VALID_PACKETS[name])
    assert isinstance(packet, DecodedPacket)


@pytest.mark.parametrize("name", ["anklet", "witmotion"])
def test_truncated_packets_raise_decode_error(name: str) -> None:
    protocol = PROTOCOLS[name]
    valid = VALID_PACKETS[name]
    for length in range(len(valid)):
        with pytest.raises(DecodeError, match=f"^{name}: "):
            protocol.new_decoder(protocol.supported_rates_hz[0]).decode(valid[:length])


def test_truncated_movesense_and_polar_packets_never_pass_as_the_full_packet() -> None:
    """These formats carry no sample count: a prefix that ends on a sample boundary is itself a
    well-formed shorter message (documented in their READMEs); every other prefix is an error or,
    for Movesense, kept as a possible first part (empty packet)."""
    movesense_packet = VALID_PACKETS["movesense"]
    for length in range(len(movesense_packet)):
        try:
            assert len(movesense.MovesenseDecoder(13.0).decode(movesense_packet[:length])) < len(ACC)
        except DecodeError as error:
            assert str(error).startswith("movesense: ")
    polar_packet = VALID_PACKETS["polar_pmd"]
    for length in range(len(polar_packet)):
        try:
            assert len(polar_pmd.decode_frame(polar_packet[:length])[2]) < 2
        except DecodeError as error:
            assert str(error).startswith("polar_pmd: ")


@pytest.mark.parametrize("name", sorted(VALID_PACKETS))
@settings(max_examples=300, deadline=None)
@given(payload=st.binary(max_size=300))
def test_random_bytes_decode_or_raise_decode_error(name: str, payload: bytes) -> None:
    protocol = PROTOCOLS[name]
    decoder = protocol.new_decoder(protocol.supported_rates_hz[0])
    try:
        packet = decoder.decode(payload)
    except DecodeError as error:
        assert str(error).startswith(f"{name}: ")
        return
    assert packet.acc_mps2.shape == packet.gyr_dps.shape == (len(packet), 3)


@pytest.mark.parametrize("name", sorted(VALID_PACKETS))
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_mutated_valid_packets_decode_or_raise_decode_error(name: str, data: st.DataObject) -> None:
    valid = bytearray(VALID_PACKETS[name])
    index = data.draw(st.integers(0, len(valid) - 1))
    valid[index] = data.draw(st.integers(0, 255))
    protocol = PROTOCOLS[name]
    with contextlib.suppress(DecodeError):
        protocol.new_decoder(protocol.supported_rates_hz[0]).decode(bytes(valid))
