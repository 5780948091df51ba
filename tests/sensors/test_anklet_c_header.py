"""Cross-check of the C packing header against the Python encoder/decoder.

Compiles ``anklet_header_check.c`` with the host C compiler; the program packs
known samples with ``firmware_interfaces/anklet/anklet_packet.h`` and prints
hex. The Python encoder must produce the same bytes and the decoder must read
them back to the same numbers.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from anklet.sensors.anklet import AnkletDecoder, encode_packet, parse_command
from anklet.sensors.base import STANDARD_GRAVITY_MPS2

HERE = Path(__file__).parent
HEADER_DIR = HERE.parents[1] / "firmware_interfaces" / "anklet"
COMPILER = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")

# The inputs hard-wired in anklet_header_check.c.
ACC_G = np.array([[0.0, 0.0, 1.0], [0.25, -0.5, 1.125], [-3.3, 7.9, 20.0]])
GYR_DPS = np.array([[10.0, -20.0, 30.0], [123.4, -567.8, 0.3], [-1999.0, 2500.0, -0.7]])
RAW_COUNTS = np.array([[-32768, 32767, 0, 1, -1, 256], [4096, -4096, 2048, -2048, 100, -100]])


@pytest.fixture(scope="module")
def c_output(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    if COMPILER is None:
        pytest.skip("no C compiler (cc/gcc/clang) on PATH: cannot cross-check anklet_packet.h")
    exe = tmp_path_factory.mktemp("c") / "anklet_header_check"
    subprocess.run(
        [
            COMPILER,
            "-std=c99",
            "-Wall",
            "-Wextra",
            "-pedantic",
            "-Werror",
            f"-I{HEADER_DIR}",
            str(HERE / "anklet_header_check.c"),
            "-o",
            str(exe),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.splitlines()


def test_python_encoder_produces_the_c_bytes(c_output: list[str]) -> None:
    expected = encode_packet(
        ACC_G * STANDARD_GRAVITY_MPS2,
        GYR_DPS,
        sequence=65535,
        timestamp_us=4294967000,
        sample_period_us=1000,
        acc_range_g=8,
        gyr_range_dps=2000,
    )
    assert bytes.fromhex(c_output[0]) == expected


def test_decoder_reads_c_packet_back_to_the_inputs(c_output: list[str]) -> None:
    packet = AnkletDecoder().decode(bytes.fromhex(c_output[0]))
    assert packet.sequence == 65535
    np.testing.assert_allclose(packet.sensor_time_s, [4294.967, 4294.968, 4294.969])
    # Within half a count; 20 g and 2500 deg/s saturate at the 8 g / 2000 deg/s ranges.
    expected_acc_g = np.clip(ACC_G, -8.0, 8.0 * 32767 / 32768)
    expected_gyr = np.clip(GYR_DPS, -2000.0, 2000.0 * 32767 / 32768)
    np.testing.assert_allclose(packet.acc_mps2 / STANDARD_GRAVITY_MPS2, expected_acc_g, atol=8 / 32768 / 2)
    np.testing.assert_allclose(packet.gyr_dps, expected_gyr, atol=2000 / 32768 / 2)


def test_raw_count_packet_decodes_to_count_times_scale(c_output: list[str]) -> None:
    packet = AnkletDecoder().decode(bytes.fromhex(c_output[1]))
    assert packet.sequence == 1
    np.testing.assert_allclose(packet.acc_mps2, RAW_COUNTS[:, :3] * 2 / 32768 * STANDARD_GRAVITY_MPS2)
    np.testing.assert_allclose(packet.gyr_dps, RAW_COUNTS[:, 3:] * 250 / 32768)
    np.testing.assert_allclose(packet.sensor_time_s, [0.0, 0.02])


def test_c_capacity_and_command_parser_agree_with_python(c_output: list[str]) -> None:
    assert int(c_output[2]) == 19
    assert int(c_output[3]) == 0
    command = parse_command(bytes.fromhex("010203e803"))
    assert c_output[4].split() == ["2", "3", "1000"]
    assert (command.acc_range_g, command.gyr_range_dps, command.sampling_rate_hz) == (8.0, 2000.0, 1000.0)
    assert int(c_output[5]) == 0x81  # 52 Hz is not an anklet rate
