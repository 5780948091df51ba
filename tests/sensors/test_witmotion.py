"""WitMotion WT901BLE: byte vectors derived from the datasheet formulas, counting, commands."""

from __future__ import annotations

import numpy as np
import pytest

from anklet.errors import DecodeError
from anklet.sensors.base import STANDARD_GRAVITY_MPS2, SensorConfigError
from anklet.sensors.witmotion import (
    WRITE_CHARACTERISTIC_UUID,
    WitmotionDecoder,
    WitmotionProtocol,
    encode_packet,
    parse_command,
)

# Hand-derived from the WT901BLECL datasheet (section 6.1.1): a = count/32768*16 g,
# w = count/32768*2000 deg/s, angle = count/32768*180 deg, int16 little-endian.
# ax=0, ay=0, az=0x0800=2048 -> 1 g; wx=0x0100=256 -> 15.625 deg/s, wy=0xff00=-256 -> -15.625,
# wz=0; roll=0x4000 -> 90 deg, pitch=0, yaw=0xc000 -> -90 deg.
VECTOR = bytes.fromhex("55 61 0000 0000 0008 0001 00ff 0000 0040 0000 00c0")


def test_datasheet_vector_decodes_to_expected_units() -> None:
    packet = WitmotionDecoder().decode(VECTOR)
    np.testing.assert_allclose(packet.acc_mps2, [[0.0, 0.0, STANDARD_GRAVITY_MPS2]])
    np.testing.assert_allclose(packet.gyr_dps, [[15.625, -15.625, 0.0]])
    assert packet.sensor_time_s is None and packet.sequence is None and packet.sample_index == 0


def test_encoder_reproduces_datasheet_vector() -> None:
    encoded = encode_packet([0.0, 0.0, STANDARD_GRAVITY_MPS2], [15.625, -15.625, 0.0], [90.0, 0.0, -90.0])
    assert encoded == VECTOR


def test_decoder_counts_samples_across_notifications_and_frames() -> None:
    decoder = WitmotionDecoder()
    rng = np.random.default_rng(2)
    acc = rng.uniform(-150, 150, (3, 3))
    gyr = rng.uniform(-1900, 1900, (3, 3))
    first = decoder.decode(encode_packet(acc[0], gyr[0]))
    both = decoder.decode(encode_packet(acc[1:], gyr[1:]))  # two frames in one notification
    register_reply = decoder.decode(bytes([0x55, 0x71]) + bytes(18))
    last = decoder.decode(VECTOR)
    assert [first.sample_index, both.sample_index, register_reply.sample_index, last.sample_index] == [0, 1, 3, 3]
    assert len(register_reply) == 0
    np.testing.assert_allclose(both.acc_mps2, acc[1:], atol=16 / 32768 / 2 * STANDARD_GRAVITY_MPS2 + 1e-12)
    np.testing.assert_allclose(both.gyr_dps, gyr[1:], atol=2000 / 32768 / 2 + 1e-12)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"", "0 bytes"),
        (VECTOR[:19], "19 bytes"),
        (b"\x54" + VECTOR[1:], "0x55 header"),
        (b"\x55\x62" + VECTOR[2:], "0x62"),
    ],
)
def test_malformed_notifications_raise(payload: bytes, message: str) -> None:
    with pytest.raises(DecodeError, match=f"^witmotion: .*{message}"):
        WitmotionDecoder().decode(payload)


def test_start_commands_unlock_then_set_rate_and_parse_back() -> None:
    commands = WitmotionProtocol().start_commands(50, 16, 2000)
    assert commands == [
        (WRITE_CHARACTERISTIC_UUID, bytes.fromhex("ff aa 69 88 b5")),
        (WRITE_CHARACTERISTIC_UUID, bytes.fromhex("ff aa 03 08 00")),
    ]
    unlock, rate = (parse_command(data) for _, data in commands)
    assert unlock.is_unlock and unlock.sampling_rate_hz is None
    assert not rate.is_unlock and rate.sampling_rate_hz == 50.0
    assert WitmotionProtocol().stop_commands() == []


def test_ranges_are_fixed_and_bad_commands_rejected() -> None:
    with pytest.raises(SensorConfigError, match="choose one of 16 g"):
        WitmotionProtocol().start_commands(50, 8, 2000)
    with pytest.raises(SensorConfigError, match="10, 20, 50 Hz"):
        WitmotionProtocol().new_decoder(100)
    with pytest.raises(DecodeError, match="^witmotion: "):
        parse_command(b"\xff\xab\x03\x08\x00")
