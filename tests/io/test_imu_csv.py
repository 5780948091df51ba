"""anklet CSV reader/writer: known answers, exact error messages, round trip."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anklet.errors import InputFormatError, RecordingError
from anklet.imu import ImuData
from anklet.io.imu_csv import COLUMNS, read_imu_csv, write_imu_csv

HEADER = "time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z"


def write_text(tmp_path: Path, text: str, name: str = "left.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def rows_text(n: int) -> str:
    """n valid rows at 100 Hz whose values encode the row index."""
    return "".join(
        f"{i / 100:.2f},{i}.5,-{i}.25,9.81,{i * 2},0.5,-{i}\n" for i in range(n)
    )


def test_reads_values_units_and_column_order(tmp_path: Path) -> None:
    path = write_text(
        tmp_path,
        "gyr_z,extra,time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y\n"
        "-3,foo,0.00,1.5,2.5,9.8,10,20\n"
        "-6,bar,0.01,1.25,2.25,9.7,11,21\n",
    )
    imu = read_imu_csv(path)
    np.testing.assert_array_equal(imu.time_s, [0.0, 0.01])
    np.testing.assert_array_equal(imu.acc_mps2, [[1.5, 2.5, 9.8], [1.25, 2.25, 9.7]])
    np.testing.assert_array_equal(imu.gyr_dps, [[10, 20, -3], [11, 21, -6]])
    assert imu.source == str(path)


def test_blank_lines_are_skipped_and_line_numbers_stay_true(tmp_path: Path) -> None:
    path = write_text(tmp_path, HEADER + "\n0,1,2,3,4,5,6\n\n  \n0.01,1,2,3,4,x,6\n")
    with pytest.raises(InputFormatError) as info:
        read_imu_csv(path)
    assert info.value.line == 5
    assert "'gyr_y' (column 6)" in str(info.value) and "'x'" in str(info.value)


def test_windows_line_endings_and_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(("\ufeff" + HEADER + "\r\n" + rows_text(3).replace("\n", "\r\n")).encode("utf-8"))
    assert len(read_imu_csv(path)) == 3


def test_missing_column_names_it_and_lists_found(tmp_path: Path) -> None:
    path = write_text(tmp_path, "time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y\n0,1,2,3,4,5\n")
    with pytest.raises(InputFormatError) as info:
        read_imu_csv(path)
    message = str(info.value)
    assert "left.csv" in message and "line 1" in message
    assert "missing column(s) 'gyr_z'" in message
    assert "found columns: 'time_s', 'acc_x', 'acc_y', 'acc_z', 'gyr_x', 'gyr_y'" in message


@pytest.mark.parametrize(
    ("bad_row", "column", "expected"),
    [
        ("0.02,1,2,abc,4,5,6", "'acc_z' (column 4)", "'abc' is not a number"),
        ("0.02,1,2,3,,5,6", "'gyr_x' (column 5)", "is empty"),
        ("0.02,1,2,3,4,5", "'gyr_z' (column 7)", "is missing"),
        ("0.02,nan,2,3,4,5,6", "'acc_x' (column 2)", "'nan' is not a finite number"),
        ("0.02,1,2,3,4,-inf,6", "'gyr_y' (column 6)", "'-inf' is not a finite number"),
    ],
)
def test_bad_cell_names_file_line_column_and_text(
    tmp_path: Path, bad_row: str, column: str, expected: str
) -> None:
    path = write_text(tmp_path, HEADER + "\n" + rows_text(2) + bad_row + "\n" + "0.03,1,2,3,4,5,6\n")
    with pytest.raises(InputFormatError) as info:
        read_imu_csv(path)
    message = str(info.value)
    assert message.startswith(f"{path}, line 4: ")
    assert column in message and expected in message
    assert info.value.line == 4


@pytest.mark.parametrize(("second_time", "relation"), [("0.01", "equal to"), ("0.005", "before")])
def test_non_monotonic_time_names_both_lines_and_times(
    tmp_path: Path, second_time: str, relation: str
) -> None:
    path = write_text(tmp_path, HEADER + f"\n0,1,2,3,4,5,6\n0.01,1,2,3,4,5,6\n{second_time},1,2,3,4,5,6\n")
    with pytest.raises(InputFormatError) as info:
        read_imu_csv(path)
    message = str(info.value)
    assert info.value.line == 4
    assert f"time_s={float(second_time)!r} is {relation} time_s=0.01 on line 3" in message


def test_empty_and_header_only_files(tmp_path: Path) -> None:
    with pytest.raises(InputFormatError, match="empty"):
        read_imu_csv(write_text(tmp_path, "", "empty.csv"))
    with pytest.raises(InputFormatError, match="empty"):
        read_imu_csv(write_text(tmp_path, "\n  \n", "blank.csv"))
    with pytest.raises(InputFormatError, match="has a header but no data rows"):
        read_imu_csv(write_text(tmp_path, HEADER + "\n\n", "header_only.csv"))


def test_missing_file_and_binary_file(tmp_path: Path) -> None:
    with pytest.raises(InputFormatError, match="file not found"):
        read_imu_csv(tmp_path / "nope.csv")
    binary = tmp_path / "data.xlsx"
    binary.write_bytes(HEADER.encode() + b"\n0,1,2\xff,3,4,5,6\n")
    with pytest.raises(InputFormatError, match="not a UTF-8 text file") as info:
        read_imu_csv(binary)
    assert info.value.line == 2


def test_round_trip_is_exact_at_written_precision(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    n = 500
    # Values that are exactly the float64 nearest to 6/5/4-decimal strings.
    time_s = np.cumsum(rng.integers(4_000, 6_000, n)) / 1e6
    acc = rng.integers(-2_000_000, 2_000_000, (n, 3)) / 1e5
    gyr = rng.integers(-5_000_000, 5_000_000, (n, 3)) / 1e4
    path = tmp_path / "out.csv"
    write_imu_csv(ImuData(time_s, acc, gyr), path)
    back = read_imu_csv(path)
    np.testing.assert_array_equal(back.time_s, time_s)
    np.testing.assert_array_equal(back.acc_mps2, acc)
    np.testing.assert_array_equal(back.gyr_dps, gyr)
    assert path.read_text().splitlines()[0] == ",".join(COLUMNS)


def test_round_trip_of_arbitrary_floats_is_within_half_a_unit_and_stable(tmp_path: Path) -> None:
    rng = np.random.default_rng(8)
    imu = ImuData(
        np.arange(300) / 204.8 + 0.123456789, rng.normal(0, 20, (300, 3)), rng.normal(0, 300, (300, 3))
    )
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    write_imu_csv(imu, first)
    back = read_imu_csv(first)
    assert np.abs(back.time_s - imu.time_s).max() <= 0.5e-6 + 1e-12
    assert np.abs(back.acc_mps2 - imu.acc_mps2).max() <= 0.5e-5 + 1e-12
    assert np.abs(back.gyr_dps - imu.gyr_dps).max() <= 0.5e-4 + 1e-12
    write_imu_csv(back, second)
    assert first.read_bytes() == second.read_bytes()


def test_writer_refuses_data_that_could_not_be_read_back(tmp_path: Path) -> None:
    acc = np.zeros((3, 3))
    with pytest.raises(RecordingError, match="samples 1 and 2"):
        write_imu_csv(ImuData(np.array([0.0, 1.0, 1.0000001]), acc, acc), tmp_path / "x.csv")
    gyr = np.zeros((3, 3))
    gyr[2, 0] = np.nan
    with pytest.raises(RecordingError, match="sample 2 has a NaN"):
        write_imu_csv(ImuData(np.array([0.0, 1.0, 2.0]), acc, gyr), tmp_path / "y.csv")


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 40),
    start_s=st.floats(-1e4, 1e4),
    rate_hz=st.floats(1.0, 1000.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_write_read_write_is_byte_identical(n: int, start_s: float, rate_hz: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    imu = ImuData(
        start_s + np.arange(n) / rate_hz, rng.normal(0, 50, (n, 3)), rng.normal(0, 2000, (n, 3))
    )
    with tempfile.TemporaryDirectory() as folder:
        first, second = Path(folder) / "a.csv", Path(folder) / "b.csv"
        write_imu_csv(imu, first)
        write_imu_csv(read_imu_csv(first), second)
        assert first.read_bytes() == second.read_bytes()


def test_semicolon_csv_gets_a_hint(tmp_path: Path) -> None:
    path = write_text(tmp_path, HEADER.replace(",", ";") + "\n0;1;2;3;4;5;6\n")
    with pytest.raises(InputFormatError, match="separated by commas"):
        read_imu_csv(path)


@pytest.mark.parametrize(
    ("bad_row", "cells"),
    [
        ("0.02,1,2,3,4,5,6,7", 8),  # one cell too many
        ("0.02,1,2,3,4,5,6,", 8),  # trailing comma
        ("0,02,1,2,3,4,5,6", 8),  # decimal comma in time_s
        ("0.02,1,2,9,81,4,5,6,7", 9),  # decimal commas in two cells
    ],
)
def test_row_with_more_cells_than_the_header_names_line_and_counts(
    tmp_path: Path, bad_row: str, cells: int
) -> None:
    path = write_text(tmp_path, HEADER + "\n" + rows_text(2) + bad_row + "\n0.03,1,2,3,4,5,6\n")
    with pytest.raises(InputFormatError) as info:
        read_imu_csv(path)
    message = str(info.value)
    assert info.value.line == 4
    assert message.startswith(f"{path}, line 4: the row has {cells} cells but the header has 7")
    assert "decimal commas" in message


def test_decimal_comma_file_is_not_reported_as_time_going_backwards(tmp_path: Path) -> None:
    path = write_text(tmp_path, HEADER + "\n0,00,0,1,9,8,0,0,0\n0,01,0,1,9,8,0,0,0\n")
    with pytest.raises(InputFormatError) as info:
        read_imu_csv(path)
    message = str(info.value)
    assert message.startswith(f"{path}, line 2: the row has 9 cells but the header has 7")
    assert "'.' as the decimal point" in message and "increase" not in message


def test_extra_header_columns_still_allow_rows_that_fill_them(tmp_path: Path) -> None:
    path = write_text(tmp_path, HEADER + ",note\n0,1,2,3,4,5,6,a\n0.01,1,2,3,4,5,6\n")
    assert len(read_imu_csv(path)) == 2


@pytest.mark.parametrize(("separator", "name"), [(";", "semicolons"), ("\t", "tabs"), (" ", "spaces")])
def test_other_separator_says_commas_and_no_decimal_commas(
    tmp_path: Path, separator: str, name: str
) -> None:
    path = write_text(tmp_path, HEADER.replace(",", separator) + "\n0;1,5;2;3;4;5;6\n")
    with pytest.raises(InputFormatError) as info:
        read_imu_csv(path)
    message = str(info.value)
    assert message.startswith(f"{path}, line 1: the header is separated by {name}")
    assert "must be separated by commas" in message
    assert "decimal commas such as 0,01 are not accepted" in message
