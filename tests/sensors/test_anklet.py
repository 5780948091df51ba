"""anklet open protocol: hand-derived byte vectors, round trips, commands, errors."""

from __future__ import annotations

import numpy as np
import pytest

from anklet.errors import DecodeError
from anklet.sensors.anklet import (
    CONTROL_CHARACTERISTIC_UUID,
    AnkletCommand,
    AnkletDecoder,
    AnkletProtocol,
    encode_packet,
    parse_command,
    samples_per_notification,
)
from anklet.sensors.base import STANDARD_GRAVITY_MPS2, SensorConfigError

# Derived by hand from the layout in firmware_interfaces/anklet/README.md:
# version 01, flags 00, sequence 0x0102, timestamp 1_000_000 us = 0x000f4240,
# 2 samples, ranges 0x31 (acc code 1 = 4 g, gyr code 3 = 2000 dps), period 10000 us = 0x2710.
# Sample 1: acc (8192, 0, -8192) counts = (1, 0, -1) g; gyr (16384, -16384, 1) = (1000, -1000, 0.061...) dps.
# Sample 2: acc (0, 0, 32767); gyr (0, 0, -32768) = -2000 dps.
VECTOR = bytes.fromhex("01 00 0201 40420f00 02 31 1027 0020 0000 00e0 0040 00c0 0100 0000 0000 ff7f 0000 0000 0080")


def test_hand_vector_decodes_to_documented_numbers() -> None:
    packet = AnkletDecoder().decode(VECTOR)
    assert packet.sequence == 0x0102
    np.testing.assert_allclose(packet.sensor_time_s, [1.0, 1.01])
    np.testing.assert_allclose(packet.acc_mps2[0], [STANDARD_GRAVITY_MPS2, 0.0, -STANDARD_GRAVITY_MPS2])
    np.testing.assert_allclose(packet.acc_mps2[1, 2], 4 * 32767 / 32768 * STANDARD_GRAVITY_MPS2)
    np.testing.assert_allclose(packet.gyr_dps[0], [1000.0, -1000.0, 2000 / 32768])
    np.testing.assert_allclose(packet.gyr_dps[1], [0.0, 0.0, -2000.0])


def test_encoder_reproduces_hand_vector() -> None:
    acc = np.array([[1.0, 0.0, -1.0], [0.0, 0.0, 4 * 32767 / 32768]]) * STANDARD_GRAVITY_MPS2
    gyr = np.array([[1000.0, -1000.0, 2000 / 32768], [0.0, 0.0, -2000.0]])
    encoded = encode_packet(
        acc, gyr, sequence=0x0102, timestamp_us=1_000_000, sample_period_us=10_000, acc_range_g=4, gyr_range_dps=2000
    )
    assert encoded == VECTOR


def test_round_trip_is_within_half_a_count() -> None:
    rng = np.random.default_rng(1)
    acc = rng.uniform(-15, 15, (19, 3)) * STANDARD_GRAVITY_MPS2
    gyr = rng.uniform(-1900, 1900, (19, 3))
    encoded = encode_packet(
        acc, gyr, sequence=70000, timestamp_us=2**32 + 5, sample_period_us=1000, acc_range_g=16, gyr_range_dps=2000
    )
    assert len(encoded) == 240
    packet = AnkletDecoder().decode(encoded)
    assert packet.sequence == 70000 - 65536
    np.testing.assert_allclose(packet.sensor_time_s[0], 5e-6)
    np.testing.assert_allclose(packet.acc_mps2, acc, atol=16 / 32768 / 2 * STANDARD_GRAVITY_MPS2 + 1e-12)
    np.testing.assert_allclose(packet.gyr_dps, gyr, atol=2000 / 32768 / 2 + 1e-12)


def test_samples_per_notification_follows_the_mtu_arithmetic() -> None:
    assert samples_per_notification(247) == 19  # (247 - 3 - 12) // 12
    assert samples_per_notification(27) == 1  # the 27-byte LL minimum carries one sample
    with pytest.raises(ValueError):
        samples_per_notification(20)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (VECTOR[:11], "shorter than the 12-byte header"),
        (VECTOR[:-1], "does not match its sample count"),
        (b"\x02" + VECTOR[1:], "version 2"),
        (VECTOR[:9] + b"\x34" + VECTOR[10:], "invalid range codes"),
        (VECTOR[:10] + b"\x00\x00" + VECTOR[12:], "period is 0"),
        (VECTOR[:8] + b"\x00" + VECTOR[9:12], "sample count 0"),
    ],
)
def test_malformed_packets_raise_decode_error_naming_protocol(payload: bytes, message: str) -> None:
    with pytest.raises(DecodeError, match=f"^anklet: .*{message}"):
        AnkletDecoder().decode(payload)


def test_start_and_stop_commands_round_trip_through_the_sensor_parser() -> None:
    protocol = AnkletProtocol()
    [(uuid, start)] = protocol.start_commands(1000, 16, 2000)
    assert uuid == CONTROL_CHARACTERISTIC_UUID
    assert start == bytes.fromhex("01 03 03 e803")
    assert parse_command(start) == AnkletCommand("start", 1000.0, 16.0, 2000.0)
    [(uuid, stop)] = protocol.stop_commands()
    assert (uuid, stop) == (CONTROL_CHARACTERISTIC_UUID, b"\x02")
    assert parse_command(stop) == AnkletCommand("stop")


@pytest.mark.parametrize(
    "data", [b"", b"\x03", b"\x01\x00\x00\xe8", bytes.fromhex("01 04 00 e803"), bytes.fromhex("01 00 00 3400")]
)
def test_bad_commands_are_rejected(data: bytes) -> None:
    with pytest.raises(DecodeError, match="^anklet: "):
        parse_command(data)


def test_unsupported_settings_raise_config_error_listing_choices() -> None:
    with pytest.raises(SensorConfigError, match="choose one of 2, 4, 8, 16 g"):
        AnkletProtocol().start_commands(100, 3, 2000)
    with pytest.raises(SensorConfigError, match="50, 100, 200, 500, 1000 Hz"):
        AnkletProtocol().new_decoder(52)
