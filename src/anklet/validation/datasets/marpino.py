"""Reader of the Marpino walking data set (public repository Marpino/Walking-dataset,
no licence file: read in place for testing only, never redistributed).

One CSV per recording, 100 Hz: ``time_s`` then, for each of ``right_foot``,
``right_shank``, ``left_shank``, ``left_foot``, ``_acc_x/_y/_z`` (m/s^2, gravity
included) and ``_gyr_x/_y/_z`` (deg/s); the foot sensors add ``_toe_pressure`` and
``_heel_pressure`` (raw ADC counts). Each recording gives two trials with the same
reference: placement "ankle" (shank sensors, where an ankle-worn sensor sits) and
"foot". Reference ICs and FCs come from the pressure sensors
(:mod:`anklet.validation.pressure_events`); a side whose heel or toe sensor does not
work has no reference. The evaluation window runs from the first final contact to the last
initial contact of either leg (:func:`~anklet.validation.datasets.trial.walking_window_s`).
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import numpy as np

from anklet.errors import InputFormatError
from anklet.imu import SIDES, ImuData, Side
from anklet.validation.datasets.trial import (
    Placement,
    ReferenceEvents,
    Trial,
    walking_window_s,
)
from anklet.validation.pressure_events import contacts_from_pressure, sensor_problem

DATASET = "marpino-walking"
_SEGMENT: dict[Placement, str] = {"ankle": "shank", "foot": "foot"}
_AXES = ("x", "y", "z")


def list_names(folder: Path) -> list[str]:
    """Recording names (file stems) in ``folder``, sorted."""
    return sorted(p.stem for p in folder.glob("*.csv"))


def load(folder: Path, name: str) -> list[Trial]:
    """Load recording ``name`` as an "ankle" and a "foot" trial sharing one reference.

    Rows repeating the previous time stamp (the last row of every file) are dropped.

    Raises:
        InputFormatError: the file is missing, lacks a column or holds non-numbers.
    """
    path = folder / f"{name}.csv"
    columns = _read_columns(path)
    time_s = columns["time_s"]
    step_s = np.diff(time_s)
    if np.any(step_s < 0):
        row = int(np.flatnonzero(step_s < 0)[0]) + 2
        raise InputFormatError(path, "time_s goes backwards; expected increasing times in seconds", line=row + 1)
    keep = np.r_[True, step_s > 0]
    reference: dict[Side, ReferenceEvents] = {}
    notes: list[str] = []
    for side in SIDES:
        heel = columns[f"{side}_foot_heel_pressure"][keep]
        toe = columns[f"{side}_foot_toe_pressure"][keep]
        problems = [
            f"{part} pressure {p}" for part, p in (("heel", sensor_problem(heel)), ("toe", sensor_problem(toe))) if p
        ]
        if problems:
            notes.append(f"{side} reference excluded: {'; '.join(problems)}")
            continue
        contacts = contacts_from_pressure(time_s[keep], heel, toe)
        reference[side] = ReferenceEvents(contacts.initial_contacts_s, contacts.final_contacts_s)
    window = walking_window_s(reference)
    shared_reference = MappingProxyType(reference)
    return [
        Trial(
            name=name,
            dataset=DATASET,
            placement=placement,
            imu=MappingProxyType(
                {side: _imu(columns, keep, f"{side}_{segment}", f"{path}:{side}_{segment}") for side in SIDES}
            ),
            reference=shared_reference,
            evaluation_window_s=window,
            annotations=MappingProxyType({}),
            notes=tuple(notes),
            subject=MappingProxyType({}),
            # Marzia_*: one person; the Young_* names do not say which young adult walked.
            person="Marzia" if name.startswith("Marzia_") else None,
        )
        for placement, segment in _SEGMENT.items()
    ]


def _imu(columns: dict[str, np.ndarray], keep: np.ndarray, prefix: str, source: str) -> ImuData:
    """ImuData of one sensor from its ``<prefix>_acc_*`` and ``<prefix>_gyr_*`` columns."""
    return ImuData(
        time_s=columns["time_s"][keep],
        acc_mps2=np.column_stack([columns[f"{prefix}_acc_{a}"][keep] for a in _AXES]),
        gyr_dps=np.column_stack([columns[f"{prefix}_gyr_{a}"][keep] for a in _AXES]),
        source=source,
    )


def _required_columns() -> list[str]:
    names = ["time_s"]
    for side in SIDES:
        for segment in _SEGMENT.values():
            names += [f"{side}_{segment}_{kind}_{a}" for kind in ("acc", "gyr") for a in _AXES]
        names += [f"{side}_foot_toe_pressure", f"{side}_foot_heel_pressure"]
    return names


def _read_columns(path: Path) -> dict[str, np.ndarray]:
    """The needed columns of one recording by name.

    Raises:
        InputFormatError: unreadable file, missing column or non-numeric cell.
    """
    try:
        with path.open(encoding="utf-8") as handle:
            header = handle.readline().strip().split(",")
    except OSError as error:
        raise InputFormatError(path, f"cannot read the recording: {error}") from error
    needed = _required_columns()
    missing = [c for c in needed if c not in header]
    if missing:
        raise InputFormatError(path, f"header lacks column(s) {', '.join(missing)}", line=1)
    try:
        data = np.loadtxt(path, delimiter=",", skiprows=1, usecols=[header.index(c) for c in needed], ndmin=2)
    except ValueError as error:
        raise InputFormatError(path, f"non-numeric data: {error}") from error
    return {name: data[:, i] for i, name in enumerate(needed)}
