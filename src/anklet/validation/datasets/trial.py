"""The in-memory form of one validation trial: both legs' IMU data with the
reference gait events on the same time axis."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from anklet.imu import ImuData, Placement, Side


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
        person: who walked, the same for every trial of that person in the data set;
            None where the data set does not say, or for a trial that repeats
            another trial's recording (no further walk of its person).
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
    person: str | None = None


#: Longest plausible swing, s: a longer unloaded interval is standing on the
#: other leg or a sensor reading low while standing, not a step.
MAX_SWING_S = 1.0


def walking_window_s(reference: Mapping[Side, ReferenceEvents]) -> tuple[float, float] | None:
    """From the first lift-off to the last foot placement of either leg.

    Only steps count: an FC followed by an IC of the same leg within
    :data:`MAX_SWING_S`. Before the window both feet stand; around its ends a
    derived reference may hold doubtful events (a weight shift read as a lift-off,
    a foot set down with too little load to register).

    Args:
        reference: events per side.

    Returns:
        (start, end) in s, or None when no leg makes a step.
    """
    starts, ends = [], []
    for events in reference.values():
        ic, fc = events.initial_contacts_s, events.final_contacts_s
        next_ic = np.searchsorted(ic, fc)
        has_next = next_ic < ic.shape[0]
        swing_s = ic[next_ic[has_next]] - fc[has_next]
        steps = swing_s <= MAX_SWING_S
        if np.any(steps):
            starts.append(fc[has_next][steps][0])
            ends.append(ic[next_ic[has_next]][steps][-1])
    return (float(min(starts)), float(max(ends))) if starts else None
