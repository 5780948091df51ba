"""The in-memory form of one sensor's inertial data, shared by importers, simulation
and analysis."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

Side = Literal["left", "right"]
SIDES: tuple[Side, Side] = ("left", "right")

#: Where a sensor is worn: "ankle" (shank, just above the ankle) or "foot" (dorsum).
Placement = Literal["ankle", "foot"]
PLACEMENTS: tuple[Placement, Placement] = ("ankle", "foot")


@dataclass(frozen=True)
class ImuData:
    """Samples of one 6-axis IMU, axes as mounted (sensor frame, right-handed).

    Attributes:
        time_s: (n,) sample times in seconds, strictly increasing. Gaps (lost
            packets) and jitter are allowed; uniform resampling happens in
            :mod:`anklet.timing`.
        acc_mps2: (n, 3) specific force in m/s^2, gravity included.
        gyr_dps: (n, 3) angular rate in deg/s.
        source: where the data came from (a path or a device), for messages.
    """

    time_s: np.ndarray
    acc_mps2: np.ndarray
    gyr_dps: np.ndarray
    source: str = ""

    def __post_init__(self) -> None:
        n = self.time_s.shape[0]
        if self.time_s.ndim != 1:
            raise ValueError("time_s must be one-dimensional")
        for name in ("acc_mps2", "gyr_dps"):
            arr = getattr(self, name)
            if arr.shape != (n, 3):
                raise ValueError(f"{name} must have shape ({n}, 3), got {arr.shape}")

    def __len__(self) -> int:
        return int(self.time_s.shape[0])
