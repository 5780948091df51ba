"""Strides of one leg and their temporal parameters.

A stride runs from one initial contact (IC) of a leg to its next IC. All times are
seconds on the input's time axis.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from anklet.imu import Side

#: Per-stride parameter columns of :class:`StrideTable`, in report order.
#: Names carry their units; documented in docs/result-format.md.
PARAMETERS: tuple[str, ...] = (
    "stride_time_s",
    "stance_time_s",
    "swing_time_s",
    "step_time_s",
    "double_support_time_s",
    "cadence_steps_per_min",
    "peak_swing_angular_velocity_dps",
)


@dataclass(frozen=True)
class StrideTable:
    """All strides of one leg, one row per stride (columns are (n,) arrays).

    Attributes:
        side: "left" or "right".
        start_s: IC that opens the stride.
        end_s: next IC of the same leg, closing the stride.
        final_contact_s: FC (toe-off) inside the stride.
        stride_time_s: end_s - start_s.
        stance_time_s: final_contact_s - start_s (contact time when running).
        swing_time_s: end_s - final_contact_s (includes flight when running).
        step_time_s: start_s minus the last contralateral IC before it; NaN
            without the other leg.
        double_support_time_s: initial double support, from this leg's IC to the
            contralateral FC that follows it (0 when that FC comes first, as in
            running); NaN without the other leg.
        cadence_steps_per_min: 120 / stride_time_s.
        peak_swing_angular_velocity_dps: largest sagittal angular velocity during
            swing, deg/s, positive.
        bout_index: index of the walking/running bout the stride belongs to.
        included: True for steady-state strides that enter summary statistics.
        excluded_reason: None for included strides, else a short reason such as
            "turn", "first_stride_of_bout", "last_stride_of_bout", "gap",
            "implausible_duration".
    """

    side: Side
    start_s: np.ndarray
    end_s: np.ndarray
    final_contact_s: np.ndarray
    stride_time_s: np.ndarray
    stance_time_s: np.ndarray
    swing_time_s: np.ndarray
    step_time_s: np.ndarray
    double_support_time_s: np.ndarray
    cadence_steps_per_min: np.ndarray
    peak_swing_angular_velocity_dps: np.ndarray
    bout_index: np.ndarray
    included: np.ndarray
    excluded_reason: tuple[str | None, ...] = field(default=())

    def __len__(self) -> int:
        return int(self.start_s.shape[0])

    def column(self, name: str, included_only: bool = True) -> np.ndarray:
        """One parameter column (see :data:`PARAMETERS`), optionally only included strides."""
        values = np.asarray(getattr(self, name), dtype=float)
        return values[self.included] if included_only else values
