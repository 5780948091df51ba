"""Importers and exporters of IMU files: the anklet CSV and Xsens MT Manager text
exports, read into :class:`anklet.imu.ImuData`. See docs/import-formats.md."""

from anklet.io.formats import FORMATS, ImuFormat, read_imu
from anklet.io.imu_csv import read_imu_csv, write_imu_csv
from anklet.io.xsens import read_xsens_mtw_txt

__all__ = ["FORMATS", "ImuFormat", "read_imu", "read_imu_csv", "read_xsens_mtw_txt", "write_imu_csv"]
