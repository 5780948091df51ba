"""Polar PMD (Verity Sense ACC + GYRO): real and hand-derived frames, delta bit unpacking, pairing."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from anklet.errors import DecodeError
from anklet.sensors.base import STANDARD_GRAVITY_MPS2, SensorConfigError
from anklet.sensors.polar_pmd import (
    MEASUREMENT_ACC,
    MEASUREMENT_GYRO,
    OP_START,
    PMD_CONTROL_POINT_UUID,
    PolarCommand,
    PolarPmdDecoder,
    PolarPmdProtocol,
    decode_frame,
    encode_control_response,
    encode_delta_frame,
    parse_command,
)

# A Verity Sense ACC delta frame (52 Hz, 8 g, 16 bit) as published in polar-ble-sdk issue #443
# (https://github.com/polarofficial/polar-ble-sdk/issues/443), started with the PMD specification's
# example command 02 02 00 01 34 00 01 01 10 00 02 01 08 00 04 01 03.
VERITY_ACC_FRAME = bytes.fromhex(
    "02 00 41 6F C4 12 45 93 0A 81 EE 02 1F FE 82 FF 08 0A 10 DA 20 D6 A3 0B D9 CB E7 D6 F6 C4 E6 F1 "
    "E1 F3 E0 15 1A FE 28 1B F8 37 2C 25 20 13 19 11 0A 2F ED 4F C0 7E F4 E9 BB 6E 80 0D C8 2F B0 3E "
    "14 D1 AF B0 7F 16 C4 CC 20 87 34 03 54 12 8B FF 8D 00 C1 42 FB E6 D3 DF B5 E1 91 53 2F BE F9 ED "
    "43 B0 3E FD DB 9B 90 3D F5 03 60 5F 7B FA D9 DF AE 00 0B 24 64 70 40 12 CC CF BF 04 E4 C5 33 B0 "
    "38 08 41 80 EF C2 12 EC 17 81 46 FD FE 5B B0 01 F3 D1 D7 6F 81 FF CD 7B 0F C2 01 36 60 7F 43 D3 "
    "5F 3F 3F 78 CB 06 48 4E FF 00 0E FC 82 05 51 AB 55 E3 4A 2D 1D 0C 5F BD E8 58 73 4D BD EB A0 67 "
    "51 02 0C C4 70 41 CA 26 7F A0 02 89 19 FE 3F 5F 74 E7 22 44 20 3F 15 66 B0 52 4D 05 5C A4 1F BE "
    "E9 68 00 "
)

# Hand-derived from the PMD delta-frame layout: GYRO (05), timestamp 1e9 ns = 0x3b9aca00,
# frame type 0x80 (delta, type 0), reference (100, -100, 0) as int16, one block of width 3 with
# 2 samples; deltas (1, -1, 2), (-4, 3, 0) as 3-bit two's complement 001 111 010 100 011 000,
# packed LSB first: bits 0-7 = 1,0,0,1,1,1,0,1 -> 0xb9; bits 8-15 = 0,0,0,1,1,1,0,0 -> 0x38; 0x00.
GYRO_FRAME = bytes.fromhex("05 00ca9a3b00000000 80 6400 9cff 0000 03 02 b9 38 00")
GYRO_COUNTS = np.array([[100, -100, 0], [101, -101, 2], [97, -98, 2]])


def test_real_verity_frame_header_and_hand_checked_samples() -> None:
    measurement, timestamp_ns, counts = decode_frame(VERITY_ACC_FRAME)
    assert measurement == MEASUREMENT_ACC
    assert timestamp_ns == 762_028_708_863_099_136  # 2024-02-23T18:38:28.863 since the 2000 epoch
    # Blocks: width 8 x 10 samples, then width 10 x 47 samples: 1 + 10 + 47 samples, 227 bytes exactly.
    assert counts.shape == (58, 3)
    np.testing.assert_array_equal(counts[0], [750, -481, -126])  # ee02 1ffe 82ff
    np.testing.assert_array_equal(counts[1], [766, -519, -94])  # + 8-bit deltas 0x10, 0xda, 0x20
    # First 10-bit deltas from bytes ed 4f c0 7e: 0x3ed=-19, 0x013=19, 0x3ec=-20.
    np.testing.assert_array_equal(counts[11] - counts[10], [-19, 19, -20])
    # Gravity dominates at rest: every sample's norm is within 0.5 g of 1 g.
    assert np.all(np.abs(np.linalg.norm(counts, axis=1) - 1000) < 500)


def test_hand_derived_gyro_frame_decodes_and_encodes() -> None:
    measurement, timestamp_ns, counts = decode_frame(GYRO_FRAME)
    assert (measurement, timestamp_ns) == (MEASUREMENT_GYRO, 1_000_000_000)
    np.testing.assert_array_equal(counts, GYRO_COUNTS)
    assert encode_delta_frame(MEASUREMENT_GYRO, 1_000_000_000, GYRO_COUNTS, frame_type=0) == GYRO_FRAME


def test_delta_round_trip_with_large_steps_and_many_blocks() -> None:
    rng = np.random.default_rng(4)
    counts = np.clip(np.cumsum(rng.integers(-3000, 3000, (600, 3)), axis=0), -32768, 32767)
    frame = encode_delta_frame(MEASUREMENT_ACC, 123, counts)
    np.testing.assert_array_equal(decode_frame(frame)[2], counts)


def test_raw_acc_frame_type_1_int16() -> None:
    frame = struct.pack("<BQB6h", MEASUREMENT_ACC, 5, 0x01, 1, -2, 1000, -32768, 0, 32767)
    np.testing.assert_array_equal(decode_frame(frame)[2], [[1, -2, 1000], [-32768, 0, 32767]])


def test_decoder_pairs_acc_and_gyro_with_factor_and_sample_times() -> None:
    decoder = PolarPmdDecoder(52.0)
    decoder.handle_response(encode_control_response(OP_START, MEASUREMENT_GYRO, factor=0.5))
    rate_ns = 1e9 / 52
    acc = np.array([[0, 0, 1000]] * 4)
    gyr = np.array([[10, 20, -30]] * 4)
    t_last = 10**12
    assert len(decoder.decode(encode_delta_frame(MEASUREMENT_ACC, t_last, acc))) == 0
    packet = decoder.decode(encode_delta_frame(MEASUREMENT_GYRO, t_last + 1000, gyr))
    assert len(packet) == 4 and decoder.unpaired_samples == 0
    np.testing.assert_allclose(packet.acc_mps2[:, 2], STANDARD_GRAVITY_MPS2)
    np.testing.assert_allclose(packet.gyr_dps, gyr * 0.5)
    np.testing.assert_allclose(np.diff(packet.sensor_time_s), rate_ns * 1e-9)
    assert packet.sensor_time_s[-1] == pytest.approx(1000.0)


def test_unmatched_samples_are_dropped_and_counted() -> None:
    decoder = PolarPmdDecoder(52.0)
    decoder.decode(encode_delta_frame(MEASUREMENT_ACC, 2 * 10**9, np.zeros((10, 3), dtype=int)))
    # GYRO covers only the last 4 ACC sample times: 6 ACC samples can never pair.
    packet = decoder.decode(encode_delta_frame(MEASUREMENT_GYRO, 2 * 10**9, np.zeros((4, 3), dtype=int)))
    assert len(packet) == 4 and decoder.unpaired_samples == 6


def test_error_answer_and_malformed_frames_raise() -> None:
    with pytest.raises(DecodeError, match="^polar_pmd: .*ERROR_INVALID_SAMPLE_RATE"):
        PolarPmdDecoder(52.0).handle_response(bytes.fromhex("f0 02 02 08 00"))
    for payload, message in [
        (VERITY_ACC_FRAME[:10], "shorter than"),
        (b"\x01" + VERITY_ACC_FRAME[1:], "measurement type 0x01"),
        (VERITY_ACC_FRAME[:9] + b"\x85" + VERITY_ACC_FRAME[10:], "frame type 0x85"),
        (VERITY_ACC_FRAME[:-1], "truncated"),
        (GYRO_FRAME[:16] + b"\x00\x02\xb9\x38\x00", "width 0"),
    ]:
        with pytest.raises(DecodeError, match=f"^polar_pmd: .*{message}"):
            PolarPmdDecoder(52.0).decode(payload)


def test_start_commands_match_the_spec_example_and_parse_back() -> None:
    commands = PolarPmdProtocol().start_commands(52, 8, 2000)
    assert [uuid for uuid, _ in commands] == [PMD_CONTROL_POINT_UUID] * 3
    assert commands[0][1] == bytes.fromhex("02 09")
    assert commands[1][1] == bytes.fromhex("02 02 00 01 34 00 01 01 10 00 02 01 08 00 04 01 03")
    assert commands[2][1] == bytes.fromhex("02 05 00 01 34 00 01 01 10 00 02 01 d0 07 04 01 03")
    assert parse_command(commands[2][1]) == PolarCommand(
        "start", MEASUREMENT_GYRO, {0: 52.0, 1: 16.0, 2: 2000.0, 4: 3.0}
    )
    assert [parse_command(data).action for _, data in PolarPmdProtocol().stop_commands()] == ["stop"] * 3


def test_bad_commands_and_settings() -> None:
    for data in [b"\x02", b"\x07\x02", b"\x02\x02\x00\x01\x34", b"\x02\x02\x09\x01\x00\x00"]:
        with pytest.raises(DecodeError, match="^polar_pmd: "):
            parse_command(data)
    with pytest.raises(SensorConfigError, match="26, 52, 104, 208, 416 Hz"):
        PolarPmdProtocol().new_decoder(50)


def test_a_stream_that_never_starts_does_not_grow_the_buffer_without_bound() -> None:
    decoder = PolarPmdDecoder(52.0)
    for frame in range(8):  # 8 frames x 26 samples = 4 s of ACC, no GYRO
        timestamp_ns = 10**9 + frame * 26 * 10**9 // 52
        assert len(decoder.decode(encode_delta_frame(MEASUREMENT_ACC, timestamp_ns, np.zeros((26, 3), dtype=int)))) == 0
    # At most 2 s (104 samples) wait; the older 104 were dropped and counted.
    assert decoder.unpaired_samples == 8 * 26 - 104
