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
