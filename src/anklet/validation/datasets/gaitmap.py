"""Reader of the gaitmap example data (repository mad-lab-fau/gaitmap, folder
example_data, MIT licence; read in place, not redistributed).

One healthy subject walking 2 x 20 m with a foot-worn IMU on each shoe:
``imu_sample.csv`` (two header rows: sensor ``left_sensor``/``right_sensor`` and axis
``acc_x..gyr_z``; first column the sample index; 204.8 Hz; acc m/s^2, gyr deg/s, in
gaitmap's foot frame: x to the shoe tip, y left, z up) and ``mocap_sample.csv``
(two header rows: marker ``L_/R_`` + ``TOE``/``FCC`` (heel)/``FM5`` and axis; first
column the frame index; 100 Hz; mm). gaitmap documents the motion capture as
"synchronised with" the IMU data and loads both with index / rate, so frame 0 and
sample 0 are the same instant; both files span 38.7 s. Reference events come from
the heel and toe markers (:mod:`anklet.validation.mocap_events`). The stair
recordings have no reference and are not offered as trials.
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import numpy as np

from anklet.errors import InputFormatError
from anklet.imu import SIDES, ImuData, Side
from anklet.validation.datasets.trial import ReferenceEvents, Trial, walking_window_s
from anklet.validation.mocap_events import contacts_from_markers, walking_speed_mps

DATASET = "gaitmap-example"
IMU_RATE_HZ = 204.8
MOCAP_RATE_HZ = 100.0
_TRIALS = {"walk": ("imu_sample.csv", "mocap_sample.csv")}
_MARKER_PREFIX: dict[Side, str] = {"left": "L", "right": "R"}
_IMU_AXES = ("acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z")


def list_names(folder: Path) -> list[str]:
    """Trial names whose files are present in ``folder``."""
    return [name for name, files in _TRIALS.items() if all((folder / f).is_file() for f in files)]


def load(folder: Path, name: str) -> list[Trial]:
    """Load trial ``name`` (see :func:`list_names`) with mocap reference events.

    Raises:
        InputFormatError: a file is missing, lacks a column or holds non-numbers.
        KeyError: ``name`` is not a trial of this dataset.
    """
    imu_file, mocap_file = _TRIALS[name]
    imu_columns = _read_two_header_csv(folder / imu_file)
    imu = {
        side: ImuData(
            time_s=imu_columns["index"] / IMU_RATE_HZ,
            acc_mps2=np.column_stack(
                [_column(imu_columns, folder / imu_file, f"{side}_sensor", a) for a in _IMU_AXES[:3]]
            ),
            gyr_dps=np.column_stack(
                [_column(imu_columns, folder / imu_file, f"{side}_sensor", a) for a in _IMU_AXES[3:]]
            ),
            source=f"{folder / imu_file}:{side}_sensor",
        )
        for side in SIDES
    }
    mocap_path = folder / mocap_file
    mocap = _read_two_header_csv(mocap_path)
    time_s = mocap["index"] / MOCAP_RATE_HZ

    def marker(side: Side, part: str) -> np.ndarray:
        return np.column_stack([_column(mocap, mocap_path, f"{_MARKER_PREFIX[side]}_{part}", a) for a in "xyz"])

    all_markers = np.stack([marker(side, part) for side in SIDES for part in ("TOE", "FCC", "FM5")], axis=1)
    speed_mps = walking_speed_mps(all_markers, MOCAP_RATE_HZ)
    reference = {}
    for side in SIDES:
        contacts = contacts_from_markers(time_s, marker(side, "FCC"), marker(side, "TOE"), speed_mps)
        reference[side] = ReferenceEvents(contacts.initial_contacts_s, contacts.final_contacts_s)
    return [
        Trial(
            name=name,
            dataset=DATASET,
            placement="foot",
            imu=MappingProxyType(imu),
            reference=MappingProxyType(reference),
            evaluation_window_s=walking_window_s(reference),
            annotations=MappingProxyType({}),
            notes=(f"reference from motion capture, walking speed {speed_mps:.2f} m/s",),
            subject=MappingProxyType({}),
            person="gaitmap example subject",
        )
    ]


def _read_two_header_csv(path: Path) -> dict[str, np.ndarray]:
    """Columns of a gaitmap two-header-row CSV, keyed "<row1>|<row2>", plus "index".

    Raises:
        InputFormatError: unreadable file or a non-numeric cell.
    """
    try:
        with path.open(encoding="utf-8") as handle:
            first, second = handle.readline().rstrip("\n").split(","), handle.readline().rstrip("\n").split(",")
    except OSError as error:
        raise InputFormatError(path, f"cannot read: {error}") from error
    if len(first) != len(second) or len(first) < 2:
        raise InputFormatError(path, "expected two header rows of equal length (name row, axis row)", line=2)
    try:
        data = np.loadtxt(path, delimiter=",", skiprows=2, ndmin=2)
    except ValueError as error:
        raise InputFormatError(path, f"non-numeric data: {error}") from error
    columns = {f"{a}|{b}": data[:, i] for i, (a, b) in enumerate(zip(first, second, strict=True)) if i > 0}
    columns["index"] = data[:, 0]
    return columns


def _column(columns: dict[str, np.ndarray], path: Path, name: str, axis: str) -> np.ndarray:
    """One named column of :func:`_read_two_header_csv` output.

    Raises:
        InputFormatError: the column is absent.
    """
    key = f"{name}|{axis}"
    if key not in columns:
        raise InputFormatError(path, f"no column '{name}' / '{axis}' in the two header rows", line=1)
    return columns[key]
