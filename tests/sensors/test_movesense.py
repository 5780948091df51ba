"""Movesense GSP / IMU6: byte vectors derived from the documented layout, splitting, commands."""

from __future__ import annotations

import numpy as np
import pytest

from anklet.errors import DecodeError
from anklet.sensors.base import SensorConfigError
from anklet.sensors.movesense import (
    WRITE_CHARACTERISTIC_UUID,
    MovesenseCommand,
    MovesenseDecoder,
    MovesenseProtocol,
    encode_command_result,
    encode_data_notifications,
    encode_imu6_message,
    parse_command,
)

# Hand-derived: DATA (02), reference 01, timestamp 100000 ms = 0x000186a0, two samples.
# acc: (1.0, -1.0, 9.5), (0.5, 0.0, 2.0) m/s^2; gyr: (100.0, -0.25, 0.0), (0.0, 0.0, -2000.0) deg/s,
# as IEEE-754 float32 little-endian: 1.0 = 0000803f, -1.0 = 000080bf, 9.5 = 00001841, 0.5 = 0000003f,
# 2.0 = 00000040, 100.0 = 0000c842, -0.25 = 000080be, -2000.0 = 00 00 fa c4.
VECTOR = bytes.fromhex(
    "02 01 a0860100"
    " 0000803f 000080bf 00001841  0000003f 00000000 00000040"
    " 0000c842 000080be 00000000  00000000 00000000 0000fac4"
)
ACC = np.array([[1.0, -1.0, 9.5], [0.5, 0.0, 2.0]])
GYR = np.array([[100.0, -0.25, 0.0], [0.0, 0.0, -2000.0]])


def test_hand_vector_decodes_with_sample_times_from_the_rate() -> None:
    packet = MovesenseDecoder(104.0).decode(VECTOR)
    np.testing.assert_array_equal(packet.acc_mps2, ACC)
    np.testing.assert_array_equal(packet.gyr_dps, GYR)
    np.testing.assert_allclose(packet.sensor_time_s, [100.0, 100.0 + 1 / 104])
    assert packet.sequence is None


def test_encoder_reproduces_hand_vector() -> None:
    assert encode_data_notifications(1, encode_imu6_message(100_000, ACC, GYR)) == [VECTOR]


@pytest.mark.parametrize("bad", ["0000c07f", "0000807f", "0100807f"])  # NaN, +infinity, signalling NaN
def test_non_finite_samples_are_a_decode_error_not_data(bad: str) -> None:
    corrupt = VECTOR[:10] + bytes.fromhex(bad) + VECTOR[14:]  # the second acc value of the first sample
    decoder = MovesenseDecoder(104.0)
    with pytest.raises(DecodeError, match="movesense.*non-finite"):
        decoder.decode(corrupt)
    np.testing.assert_array_equal(decoder.decode(VECTOR).acc_mps2, ACC)  # the decoder stays usable


def test_message_split_over_data_and_data_part2_is_reassembled() -> None:
    rng = np.random.default_rng(3)
    acc, gyr = rng.normal(0, 10, (8, 3)), rng.normal(0, 300, (8, 3))
    parts = encode_data_notifications(1, encode_imu6_message(2**32 + 7, acc, gyr), max_payload=158)
    assert [p[0] for p in parts] == [2, 3] and len(parts[0]) == 158
    decoder = MovesenseDecoder(208.0)
    assert len(decoder.decode(parts[0])) == 0
    packet = decoder.decode(parts[1])
    np.testing.assert_allclose(packet.acc_mps2, acc.astype(np.float32))
    np.testing.assert_allclose(packet.gyr_dps, gyr.astype(np.float32))
    assert packet.sensor_time_s[0] == pytest.approx(0.007)


def test_incomplete_data_followed_by_new_data_is_counted_as_dropped() -> None:
    decoder = MovesenseDecoder(52.0)
    assert len(decoder.decode(VECTOR[:-5])) == 0  # indistinguishable from a first part
    assert len(decoder.decode(VECTOR)) == 2
    assert decoder.dropped_partial_messages == 1


def test_command_results_give_empty_packets_or_errors() -> None:
    decoder = MovesenseDecoder(52.0)
    assert len(decoder.decode(encode_command_result(1, 200))) == 0
    assert len(decoder.decode(b"\x01\x01Hello")) == 0
    with pytest.raises(DecodeError, match="^movesense: .*status 404"):
        decoder.decode(bytes.fromhex("01 01 9401"))


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"\x02", "lacks response code"),
        (b"\x07\x01\x00\x00", "unknown response code 7"),
        (b"\x02\x05" + VECTOR[2:], "reference 5"),
        (b"\x03\x01" + VECTOR[2:], "DATA_PART2 without"),
    ],
)
def test_malformed_notifications_raise(payload: bytes, message: str) -> None:
    with pytest.raises(DecodeError, match=f"^movesense: .*{message}"):
        MovesenseDecoder(52.0).decode(payload)


def test_subscribe_and_unsubscribe_bytes_and_parsing() -> None:
    protocol = MovesenseProtocol()
    [(uuid, subscribe)] = protocol.start_commands(104, 8, 2000)
    assert uuid == WRITE_CHARACTERISTIC_UUID
    assert subscribe == bytes.fromhex("01 01") + b"/Meas/IMU6/104"
    command = parse_command(subscribe)
    assert command == MovesenseCommand("subscribe", 1, "/Meas/IMU6/104")
    assert command.sampling_rate_hz == 104.0
    [(_, unsubscribe)] = protocol.stop_commands()
    assert unsubscribe == b"\x02\x01"
    assert parse_command(unsubscribe) == MovesenseCommand("unsubscribe", 1)
    assert parse_command(b"\x00\x09").action == "hello"


@pytest.mark.parametrize("data", [b"", b"\x01", b"\x01\x00/Meas", b"\x01\x01", b"\x04\x01", b"\x01\x01\xff"])
def test_bad_commands_are_rejected(data: bytes) -> None:
    with pytest.raises(DecodeError, match="^movesense: "):
        parse_command(data)


def test_unsupported_settings() -> None:
    with pytest.raises(SensorConfigError, match="13, 26, 52, 104, 208, 416 Hz"):
        MovesenseProtocol().start_commands(100, 8, 2000)
    with pytest.raises(SensorConfigError, match="choose one of 8 g"):
        MovesenseProtocol().start_commands(104, 16, 2000)
