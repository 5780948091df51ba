"""Format registry and read_imu dispatch by sniffing or by name."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from anklet.errors import InputFormatError
from anklet.imu import ImuData
from anklet.io import FORMATS, read_imu, write_imu_csv

XSENS_TEXT = (
    "Acquisition frequency: 100 Hz\n"
    "PacketCounter\tAcc_X\tAcc_Y\tAcc_Z\tGyr_X\tGyr_Y\tGyr_Z\n"
    "7\t0.1\t0.2\t9.8\t1.0\t0.0\t0.0\n"
    "8\t0.1\t0.2\t9.8\t1.0\t0.0\t0.0\n"
)


def test_sniffs_anklet_csv(tmp_path: Path) -> None:
    path = tmp_path / "right.csv"
    write_imu_csv(ImuData(np.array([0.0, 0.01]), np.ones((2, 3)), np.full((2, 3), 2.0)), path)
    imu = read_imu(path)
    np.testing.assert_array_equal(imu.gyr_dps, np.full((2, 3), 2.0))


def test_sniffs_xsens_whatever_the_suffix(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(XSENS_TEXT)
    imu = read_imu(path)
    np.testing.assert_allclose(imu.time_s, [0.07, 0.08])
    np.testing.assert_allclose(imu.gyr_dps[:, 0], np.degrees(1.0))


def test_explicit_format_skips_sniffing(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_text(XSENS_TEXT)
    with pytest.raises(InputFormatError, match="missing column"):
        read_imu(path, fmt="csv")
    assert len(read_imu(path, fmt="xsens")) == 2


def test_unknown_format_name_lists_supported(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text(XSENS_TEXT)
    with pytest.raises(InputFormatError, match="unknown format 'movesense'") as info:
        read_imu(path, fmt="movesense")
    assert all(f"'{name}'" in str(info.value) for name in FORMATS)


def test_unrecognised_file_lists_supported_formats(tmp_path: Path) -> None:
    path = tmp_path / "phone.csv"
    path.write_text("timestamp,ax,ay,az\n1,2,3,4\n")
    with pytest.raises(InputFormatError, match="unrecognised file format") as info:
        read_imu(path)
    message = str(info.value)
    assert "'timestamp,ax,ay,az'" in message
    assert all(f"'{name}' ({spec.description})" in message for name, spec in FORMATS.items())


ANKLET_HEADER = "time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z"
ROW = "0.00,0.1,0.2,9.8,1.0,0.0,0.0\n0.01,0.1,0.2,9.8,1.0,0.0,0.0\n"


@pytest.mark.parametrize(
    ("header", "rows", "expected"),
    [
        # A column dropped, or misspelt: the CSV reader's precise message, not "unrecognised".
        ("time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y", "0,1,2,3,4,5\n", "missing column(s) 'gyr_z'; found columns: 'time_s'"),
        (ANKLET_HEADER.replace("gyr_x", "gyro_x"), ROW, "missing column(s) 'gyr_x'; found columns:"),
        ("timestamp,acc_x,acc_y,acc_z", "1,2,3,4\n", "missing column(s) 'time_s', 'gyr_x'"),
        ("time_s,ax,ay,az", "1,2,3,4\n", "missing column(s) 'acc_x'"),
    ],
)
def test_near_miss_csv_header_gets_the_csv_readers_message(
    tmp_path: Path, header: str, rows: str, expected: str
) -> None:
    path = tmp_path / "left.csv"
    path.write_text("\n" + header + "\n" + rows)
    with pytest.raises(InputFormatError) as info:
        read_imu(path)
    message = str(info.value)
    assert message.startswith(f"{path}, line 2: ")
    assert expected in message and "unrecognised" not in message
    with pytest.raises(InputFormatError) as explicit:
        read_imu(path, fmt="csv")
    assert str(explicit.value) == message


@pytest.mark.parametrize(("separator", "name"), [(";", "semicolons (;)"), ("\t", "tabs")])
def test_other_separator_is_named_and_asks_for_commas_and_decimal_points(
    tmp_path: Path, separator: str, name: str
) -> None:
    path = tmp_path / "right.csv"
    path.write_text(ANKLET_HEADER.replace(",", separator) + "\n" + ROW.replace(",", separator))
    with pytest.raises(InputFormatError) as info:
        read_imu(path)
    message = str(info.value)
    assert message.startswith(f"{path}, line 1: the header is separated by {name}")
    assert "separated by commas" in message and "decimal commas" in message
    assert "unrecognised" not in message


def test_xsens_header_without_clock_is_not_taken_for_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("Acc_X\tAcc_Y\tAcc_Z\tGyr_X\tGyr_Y\tGyr_Z\n0.1\t0.2\t9.8\t1.0\t0.0\t0.0\n")
    with pytest.raises(InputFormatError, match="unrecognised file format"):
        read_imu(path)


def test_extra_cells_are_an_error_when_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "left.csv"
    path.write_text(ANKLET_HEADER + "\n0.00,0.1,0.2,9.8,1.0,0.0,0.0\n0,01,0.2,9.8,1.0,0.0,0.0,0\n")
    with pytest.raises(InputFormatError) as info:
        read_imu(path)
    assert str(info.value).startswith(f"{path}, line 3: the row has 8 cells but the header has 7")
