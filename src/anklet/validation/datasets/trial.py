"""The in-memory form of one validation trial: both legs' IMU data with the
reference gait events on the same time axis."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

from anklet.imu import ImuData, Side

Placement = Literal["foot", "ankle"]


@dataclass(frozen=True)
class ReferenceEvents:
    """Reference gait events of one leg, seconds on the trial's IMU time axis.

    Attributes:
        initial_contacts_s: (n,) initial contacts (heel strike / load onset), increasing.
        final_contacts_s: (m,) final contacts (toe-off / end of unloading), increasing.
    """

    initial_contacts_s: np.ndarray
    final_contacts_s: np.ndarray

    def __post_init__(self) -> None:
        for name in ("initial_contacts_s", "final_contacts_s"):
            times = getattr(self, name)
            if times.ndim != 1 or np.any(np.diff(times) <= 0):
                raise ValueError(f"{name} must be a 1-D strictly increasing array of seconds")


@dataclass(frozen=True)
class Trial:
    """One recording of both legs with reference events.

    Attributes:
        name: trial name inside its dataset, e.g. "3-2" or "Young_20180518_1".
        dataset: dataset folder name, e.g. "ipol-healthy-gait".
        placement: "foot" (dorsum/instep) or "ankle" (shank just above the ankle).
        imu: ImuData per side ("left", "right"), sensor axes as mounted.
        reference: ReferenceEvents per side; a side is absent when its reference is
            unusable (see ``notes``).
        evaluation_window_s: (start, end) in s inside which the reference is
            complete; events outside are not scored. None: the whole recording.
        annotations: named intervals (start, end) in s, e.g. "turn".
        notes: caveats found while loading, e.g. an excluded pressure sensor.
        subject: subject metadata when the dataset gives it (age_years,
            height_cm, mass_kg, sex), else empty.
    """

    name: str
    dataset: str
    placement: Placement
    imu: Mapping[Side, ImuData]
    reference: Mapping[Side, ReferenceEvents]
    evaluation_window_s: tuple[float, float] | None
    annotations: Mapping[str, tuple[float, float]]
    notes: tuple[str, ...]
    subject: Mapping[str, float | str]


def walking_window_s(reference: Mapping[Side, ReferenceEvents]) -> tuple[float, float] | None:
    """From the first final contact to the last initial contact of either leg.

    Before the first lift-off both feet stand; after the last foot placement a
    derived reference may lack events (a foot set down with little load).

    Args:
        reference: events per side.

    Returns:
        (start, end) in s, or None when there is no FC followed by an IC.
    """
    fcs = [e.final_contacts_s for e in reference.values() if e.final_contacts_s.size]
    ics = [e.initial_contacts_s for e in reference.values() if e.initial_contacts_s.size]
    if not fcs or not ics:
        return None
    start_s = float(min(f[0] for f in fcs))
    end_s = float(max(i[-1] for i in ics))
    return (start_s, end_s) if end_s > start_s else None
