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


#: Plausible stride durations (s): a sprint stride is ~0.5 s, a very slow
#: pathological stride ~2.5 s (Hollman et al. 2011 normative ranges widened).
MIN_STRIDE_TIME_S = 0.4
MAX_STRIDE_TIME_S = 3.0


def build_stride_table(
    side: Side,
    initial_contacts_s: np.ndarray,
    final_contacts_s: np.ndarray,
    peak_swing_dps: np.ndarray,
    bout_index: np.ndarray,
    turning: np.ndarray,
    contralateral_initial_contacts_s: np.ndarray | None = None,
    contralateral_final_contacts_s: np.ndarray | None = None,
    *,
    gap_between: np.ndarray | None = None,
) -> StrideTable:
    """Strides of one leg from its consecutive swings.

    Stride k opens at the IC ending swing k and closes at the IC ending swing k+1;
    its FC is the one opening swing k+1. Only pairs of swings in the same bout (hence
    the same gap-free data segment) make a stride: nothing is invented across gaps.

    Args:
        side: "left" or "right".
        initial_contacts_s, final_contacts_s, peak_swing_dps: (n,) per swing, in
            time order (NaN where a swing's event was not found).
        bout_index: (n,) bout of each swing.
        turning: (n-1,) True where stride k (swing k -> k+1) is a turning stride.
        contralateral_initial_contacts_s, contralateral_final_contacts_s: the other
            leg's events (any order, NaN allowed) for step time and double support.
        gap_between: (n-1,) True where a data gap that split the data (of either
            leg) lies between swing k and k+1 (see
            :func:`anklet.gait.bouts.gap_between_swings`); None: no gaps.

    Returns:
        The table; strides are excluded (with a reason) when they are of
        implausible duration or stance, next to a data gap (the first stride after
        it or the last before it: the bout ends because data are missing), a bout's
        first or last, or turning.
    """
    first = np.flatnonzero(bout_index[:-1] == bout_index[1:]) if bout_index.size > 1 else np.zeros(0, int)
    start = initial_contacts_s[first]
    end = initial_contacts_s[first + 1]
    fc = final_contacts_s[first + 1]
    valid = np.isfinite(start) & np.isfinite(end) & np.isfinite(fc) & (start < fc) & (fc < end)
    first, start, end, fc = first[valid], start[valid], end[valid], fc[valid]
    bout = bout_index[first]
    stride_time = end - start
    stance = fc - start
    step_time, double_support = _bilateral_times(
        start, fc, end, contralateral_initial_contacts_s, contralateral_final_contacts_s
    )
    cut = np.zeros(max(bout_index.size - 1, 0), dtype=bool) if gap_between is None else np.asarray(gap_between, bool)
    cut_before = np.concatenate(([False], cut))[first]
    cut_after = np.concatenate((cut, [False]))[first + 1]
    reasons = _exclusion_reasons(bout, stride_time, stance, turning[first], cut_before | cut_after)
    return StrideTable(
        side=side,
        start_s=start,
        end_s=end,
        final_contact_s=fc,
        stride_time_s=stride_time,
        stance_time_s=stance,
        swing_time_s=end - fc,
        step_time_s=step_time,
        double_support_time_s=double_support,
        cadence_steps_per_min=120.0 / stride_time,
        peak_swing_angular_velocity_dps=peak_swing_dps[first + 1],
        bout_index=bout,
        included=np.array([r is None for r in reasons], dtype=bool),
        excluded_reason=tuple(reasons),
    )


def _bilateral_times(
    start_s: np.ndarray,
    final_contact_s: np.ndarray,
    end_s: np.ndarray,
    other_ic_s: np.ndarray | None,
    other_fc_s: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Step time (from the last contralateral IC) and initial double support."""
    nan = np.full(start_s.shape, np.nan)
    if other_ic_s is None or other_fc_s is None:
        return nan, nan.copy()
    other_ic = np.sort(other_ic_s[np.isfinite(other_ic_s)])
    other_fc = np.sort(other_fc_s[np.isfinite(other_fc_s)])
    step = nan.copy()
    i = np.searchsorted(other_ic, start_s, side="left") - 1
    has_ic = i >= 0
    step[has_ic] = start_s[has_ic] - other_ic[i[has_ic]]
    double_support = nan.copy()
    j = np.searchsorted(other_fc, start_s, side="right")
    has_fc = j < other_fc.size
    next_fc = other_fc[np.minimum(j, max(other_fc.size - 1, 0))] if other_fc.size else nan
    # The contralateral FC must fall inside this stride; later means the other leg's
    # data are missing here (a gap, or a recording of another time): no value.
    has_fc &= next_fc < end_s
    double_support[has_fc] = np.where(
        next_fc[has_fc] < final_contact_s[has_fc], next_fc[has_fc] - start_s[has_fc], 0.0
    )
    # A contralateral IC a whole stride or more before this IC means the other
    # leg's step was missed or it was standing: no step time.
    step[step >= end_s - start_s] = np.nan
    return step, double_support


def _exclusion_reasons(
    bout: np.ndarray,
    stride_time_s: np.ndarray,
    stance_time_s: np.ndarray,
    turning: np.ndarray,
    next_to_gap: np.ndarray,
) -> list[str | None]:
    """Why each stride is excluded from steady-state statistics (None = included).

    ``next_to_gap`` marks strides whose neighbouring swing lies across a data gap; it
    only counts for a bout's first or last stride (the gap ended the bout).
    """
    n = bout.size
    first_of_bout = np.ones(n, dtype=bool)
    last_of_bout = np.ones(n, dtype=bool)
    if n:
        first_of_bout[1:] = bout[1:] != bout[:-1]
        last_of_bout[:-1] = bout[1:] != bout[:-1]
    stance_fraction = stance_time_s / stride_time_s
    implausible = (
        (stride_time_s < MIN_STRIDE_TIME_S)
        | (stride_time_s > MAX_STRIDE_TIME_S)
        | (stance_fraction < 0.15)
        | (stance_fraction > 0.85)
    )
    checks = (
        (implausible, "implausible_duration"),
        (next_to_gap & (first_of_bout | last_of_bout), "gap"),
        (first_of_bout, "first_stride_of_bout"),
        (last_of_bout, "last_stride_of_bout"),
        (turning, "turn"),
    )
    reasons: list[str | None] = [None] * n
    for mask, reason in checks:
        for k in np.flatnonzero(mask):
            if reasons[k] is None:
                reasons[k] = reason
    return reasons
