"""Xsens MT Manager text exports: layout variants, counters, errors, real IPOL files."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from anklet.errors import InputFormatError
from anklet.io.xsens import read_xsens_mtw_txt

IPOL_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "datasets" / "ipol-healthy-gait"
IPOL_FILES = sorted(IPOL_DIR.glob("*_[lr]f.txt"))

IPOL_HEADER = "PacketCounter\tAcc_X\tAcc_Y\tAcc_Z\tGyr_X\tGyr_Y\tGyr_Z\tMag_X\tMag_Y\tMag_Z"


def ipol_text(counters: list[int], rate_line: str = "Acquisition frequency: 100 Hz") -> str:
    """An IPOL-style export; gyr_x of each row is counter / 1000 rad/s."""
    rows = "".join(
        f"{c}.0\t0.1\t0.2\t9.8\t{c / 1000}\t-0.5\t1.0\t-0.6\t0.0\t-0.4\n" for c in counters
    )
    return f"{rate_line}\n{IPOL_HEADER}\n{rows}"


def write(tmp_path: Path, text: str, name: str = "1-1_lf.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_ipol_layout_time_from_counter_and_gyro_in_dps(tmp_path: Path) -> None:
    imu = read_xsens_mtw_txt(write(tmp_path, ipol_text([2, 3, 7, 8])))
    np.testing.assert_allclose(imu.time_s, [0.02, 0.03, 0.07, 0.08])
    np.testing.assert_allclose(imu.gyr_dps[:, 0], np.degrees([0.002, 0.003, 0.007, 0.008]))
    np.testing.assert_allclose(imu.gyr_dps[0, 1:], np.degrees([-0.5, 1.0]))
    np.testing.assert_array_equal(imu.acc_mps2[0], [0.1, 0.2, 9.8])


def test_mt_manager_4_header_with_sample_time_fine_and_empty_cells(tmp_path: Path) -> None:
    text = (
        "// Start Time: Unknown\n// Update Rate: 40.0Hz\n// Filter Profile: human (46.1)\n"
        "// Firmware Version: 4.6.0\n"
        "PacketCounter\tSampleTimeFine\tUTC_Year\tAcc_X\tAcc_Y\tAcc_Z\tGyr_X\tGyr_Y\tGyr_Z\n"
        "03583\t1000\t\t3.0\t5.2\t-7.7\t0.1\t0.2\t0.3\n"
        "03584\t1250\t\t3.1\t5.3\t-7.8\t0.1\t0.2\t0.3\n"
    )
    imu = read_xsens_mtw_txt(write(tmp_path, text))
    np.testing.assert_allclose(imu.time_s, [3583 / 40, 3584 / 40])
    np.testing.assert_allclose(imu.gyr_dps[1], np.degrees([0.1, 0.2, 0.3]))


def test_sample_time_fine_is_used_without_a_rate(tmp_path: Path) -> None:
    text = (
        "// General information:\n//  MT Manager version: 2022.2.0\n// Device settings:\n"
        "//  Filter Profile: human(46.1)\n// Coordinate system: ENU\n"
        "SampleTimeFine;Acc_X;Acc_Y;Acc_Z;Gyr_X;Gyr_Y;Gyr_Z\n"
        "4294967000;1;2;3;0;0;0\n"
        "100;1;2;3;0;0;0\n"
    )
    imu = read_xsens_mtw_txt(write(tmp_path, text))
    np.testing.assert_allclose(imu.time_s, [4294967000 / 1e4, (4294967296 + 100) / 1e4])


def test_long_preamble_rate_and_explicit_rate_override(tmp_path: Path) -> None:
    text = ipol_text([10, 11], rate_line="// Device settings:\n//  Update Rate: 60.0Hz")
    path = write(tmp_path, text)
    np.testing.assert_allclose(read_xsens_mtw_txt(path).time_s, [10 / 60, 11 / 60])
    np.testing.assert_allclose(read_xsens_mtw_txt(path, sampling_rate_hz=200).time_s, [0.05, 0.055])


def test_packet_counter_roll_over_is_unwrapped(tmp_path: Path) -> None:
    imu = read_xsens_mtw_txt(write(tmp_path, ipol_text([65533, 65535, 0, 3])))
    np.testing.assert_allclose(imu.time_s * 100, [65533, 65535, 65536, 65539])


def test_repeated_counter_is_dropped_with_a_counted_warning(tmp_path: Path) -> None:
    path = write(tmp_path, ipol_text([5, 6, 6, 7, 8, 8, 8, 9]))
    with pytest.warns(UserWarning, match=r"dropped 3 row\(s\) .*\(first on line 5\)"):
        imu = read_xsens_mtw_txt(path)
    np.testing.assert_allclose(imu.time_s * 100, [5, 6, 7, 8, 9])


def test_no_warning_without_repeats(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_xsens_mtw_txt(write(tmp_path, ipol_text([1, 2, 4])))


def test_counter_going_backwards_names_lines_and_values(tmp_path: Path) -> None:
    path = write(tmp_path, ipol_text([100, 101, 102, 90, 91]))
    with pytest.raises(InputFormatError) as info:
        read_xsens_mtw_txt(path)
    assert info.value.line == 6
    assert "PacketCounter goes backwards: 90 comes after 102 on line 5" in str(info.value)


def test_non_integer_counter_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, ipol_text([1, 2]).replace("2.0\t", "2.5\t"))
    with pytest.raises(InputFormatError, match=r"'PacketCounter' \(column 1\).*'2.5'") as info:
        read_xsens_mtw_txt(path)
    assert info.value.line == 4


def test_bad_cell_names_file_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, ipol_text([1, 2, 3]).replace("0.003\t", "oops\t"))
    with pytest.raises(InputFormatError) as info:
        read_xsens_mtw_txt(path)
    assert str(info.value).startswith(f"{path}, line 5: column 'Gyr_X' (column 5): 'oops'")


def test_missing_gyro_and_missing_rate_are_explained(tmp_path: Path) -> None:
    no_gyro = write(tmp_path, "// Update Rate: 100Hz\nPacketCounter\tAcc_X\tAcc_Y\tAcc_Z\n1\t0\t0\t9.8\n")
    with pytest.raises(InputFormatError, match="missing column.*'Gyr_X'.*Rate of turn"):
        read_xsens_mtw_txt(no_gyro)
    no_rate = write(tmp_path, ipol_text([1, 2], rate_line="// Start Time: Unknown"), "b.txt")
    with pytest.raises(InputFormatError, match="no sampling rate.*sampling_rate_hz"):
        read_xsens_mtw_txt(no_rate)


def test_header_without_data(tmp_path: Path) -> None:
    with pytest.raises(InputFormatError, match="no data rows"):
        read_xsens_mtw_txt(write(tmp_path, ipol_text([])))


@pytest.mark.skipif(not IPOL_FILES, reason=f"IPOL data set not found at {IPOL_DIR}")
@pytest.mark.parametrize("path", IPOL_FILES, ids=[p.name for p in IPOL_FILES])
def test_every_ipol_file_loads_with_counter_times_and_dps(path: Path) -> None:
    raw = np.loadtxt(path, skiprows=2)
    imu = read_xsens_mtw_txt(path)
    assert len(imu) == len(raw)
    np.testing.assert_array_equal(np.rint(imu.time_s * 100), raw[:, 0])
    np.testing.assert_allclose(imu.gyr_dps, np.degrees(raw[:, 4:7]))
    np.testing.assert_array_equal(imu.acc_mps2, raw[:, 1:4])
    # Walking: the foot's swing reaches several hundred deg/s (several rad/s).
    assert 150 < np.abs(imu.gyr_dps).max() < 2000


@pytest.mark.parametrize("separator", [",", " "])
def test_comma_and_space_separated_exports(tmp_path: Path, separator: str) -> None:
    imu = read_xsens_mtw_txt(write(tmp_path, ipol_text([4, 6]).replace("\t", separator)))
    np.testing.assert_allclose(imu.time_s, [0.04, 0.06])
    np.testing.assert_allclose(imu.gyr_dps[:, 0], np.degrees([0.004, 0.006]))


def test_comments_only_and_clockless_files_are_explained(tmp_path: Path) -> None:
    with pytest.raises(InputFormatError, match="no column header found"):
        read_xsens_mtw_txt(write(tmp_path, "// Start Time: Unknown\n// Update Rate: 100Hz\n"))
    clockless = write(tmp_path, "Acc_X\tAcc_Y\tAcc_Z\tGyr_X\tGyr_Y\tGyr_Z\n0\t0\t9.8\t0\t0\t0\n", "c.txt")
    with pytest.raises(InputFormatError, match="no time column: need 'PacketCounter' or 'SampleTimeFine'"):
        read_xsens_mtw_txt(clockless)
