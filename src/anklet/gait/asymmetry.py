"""Left/right asymmetry of every stride parameter: per-leg statistics, Symmetry Index,
symmetry angle, log ratio, bootstrap confidence intervals, healthy-range flags, the
within-session trend, and the ``asymmetry``/``bilateral`` JSON fragment.

Sign convention, used everywhere in anklet: **positive = right larger**.

* Symmetry Index (Robinson RO, Herzog W, Nigg BM. Use of force platform variables to
  quantify the effects of chiropractic manipulation on gait symmetry. J Manipulative
  Physiol Ther 1987;10:172-176): ``SI = 100 * (R - L) / (0.5 * (R + L))`` in %.
* Symmetry angle (Zifchock RA, Davis I, Higginson J, Royer T. The symmetry angle: a
  novel, robust method of quantifying asymmetry. Gait Posture 2008;27:622-627):
  ``SA = 100 * (45 deg - atan(L / R)) / 90 deg`` in %, minus 200 % when
  ``45 deg - atan(L / R) > 90 deg``; bounded to +/-100 %.
* Log ratio ``ln(R / L)``: symmetric in the two legs, 0 when equal.

All inputs are seconds (times), steps/min (cadence) or deg/s (angular velocity) as in
:class:`anklet.gait.strides.StrideTable`; see ``docs/asymmetry.md``.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from anklet.gait.coordination import (
    DEFAULT_LIMITS,
    DEFAULT_SEED,
    MIN_STRIDES_PER_LEG,
    N_BOOTSTRAP,
    AsymmetryOptionError,
    BilateralCoordination,
    HealthyLimits,
    check_sides,
    flight_time_s,
    gait_asymmetry_pct,
    included_mask,
    initial_contacts_s,
    no_interval_note,
    strides_text,
    two_leg_mean_ci95,
)
from anklet.gait.strides import StrideTable
from anklet.imu import Side

#: Parameter name (as in the JSON result, no unit suffix) -> unit. Report order.
PARAMETER_UNITS: Mapping[str, str] = MappingProxyType(
    {
        "stride_time": "s",
        "stance_time": "s",
        "swing_time": "s",
        "step_time": "s",
        "double_support_time": "s",
        "cadence": "steps/min",
        "peak_swing_angular_velocity": "deg/s",
        "contact_time": "s",
        "flight_time": "s",
    }
)
#: Every parameter :func:`session_asymmetry` reports by default.
ASYMMETRY_PARAMETERS: tuple[str, ...] = tuple(PARAMETER_UNITS)

#: StrideTable column behind each parameter; flight_time is computed from the events.
_COLUMNS: Mapping[str, str] = MappingProxyType(
    {
        "stride_time": "stride_time_s",
        "stance_time": "stance_time_s",
        "swing_time": "swing_time_s",
        "step_time": "step_time_s",
        "double_support_time": "double_support_time_s",
        "cadence": "cadence_steps_per_min",
        "peak_swing_angular_velocity": "peak_swing_angular_velocity_dps",
        "contact_time": "stance_time_s",
    }
)


#: Means closer than this relative difference count as equal (no larger side).
_EQUAL_RTOL = 1e-9


@dataclass(frozen=True)
class LegStatistics:
    """Summary of one leg's included strides for one parameter (unit of the parameter).

    Attributes:
        mean: mean, or None without strides.
        sd: sample standard deviation (ddof = 1), or None with fewer than 2 strides.
        cv_pct: coefficient of variation 100 * sd / mean, or None when undefined
            (fewer than 2 strides, mean <= 0).
        n: number of strides with a finite value.
    """

    mean: float | None
    sd: float | None
    cv_pct: float | None
    n: int


@dataclass(frozen=True)
class ParameterAsymmetry:
    """Left/right comparison of one parameter over a session or a bout.

    Attributes:
        parameter: name without unit suffix, e.g. "swing_time".
        unit: unit of the left/right values, e.g. "s".
        left: statistics of the left leg.
        right: statistics of the right leg.
        symmetry_index_pct: SI in % (positive = right larger), or None when
            meaningless (a leg without strides, values zero or of mixed sign, mean
            near zero); the reason is in ``note``.
        symmetry_index_ci95: bootstrap 95 % interval of SI, or None.
        symmetry_angle_pct: symmetry angle in % (positive = right larger), or None.
        log_ratio: ln(right / left), or None when the means are not both of one sign.
        larger_side: leg with the larger mean, None when equal (within 1e-9
            relative) or unknown.
        flag: neutral "outside typical healthy range" flag, or None.
        note: reliability warnings and reasons for None values, or None.
    """

    parameter: str
    unit: str
    left: LegStatistics
    right: LegStatistics
    symmetry_index_pct: float | None
    symmetry_index_ci95: tuple[float, float] | None
    symmetry_angle_pct: float | None
    log_ratio: float | None
    larger_side: Side | None
    flag: str | None
    note: str | None


@dataclass(frozen=True)
class TrendWindow:
    """Asymmetry in one time window of the session (for fatigue over time).

    Attributes:
        start_s: window start on the session clock, s (inclusive).
        end_s: window end, s (exclusive); strides are assigned by their start IC.
        n_left: included left strides with a finite parameter value.
        n_right: included right strides with a finite parameter value.
        symmetry_index_pct: SI of the chosen parameter in %, or None (see note).
        gait_asymmetry_pct: GA of the window's swing times, or None.
        note: reliability warnings and reasons for None values, or None.
    """

    start_s: float
    end_s: float
    n_left: int
    n_right: int
    symmetry_index_pct: float | None
    gait_asymmetry_pct: float | None
    note: str | None


def symmetry_index_pct(left: np.ndarray | float, right: np.ndarray | float) -> np.ndarray:
    """Symmetry Index ``100 * (R - L) / (0.5 * (R + L))`` in % (Robinson et al. 1987).

    Positive = right larger. Element-wise on broadcastable arrays; no validity check
    (see :func:`symmetry_index_problem`).
    """
    left, right = np.asarray(left, dtype=float), np.asarray(right, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return 100.0 * (right - left) / (0.5 * (right + left))


def symmetry_angle_pct(left: np.ndarray | float, right: np.ndarray | float) -> np.ndarray:
    """Symmetry angle in % (Zifchock et al. 2008), positive = right larger, within +/-100 %.

    ``100 * (45 - atan(L / R)) / 90`` with angles in degrees; when ``45 - atan(L / R)``
    exceeds 90 degrees (opposite signs) 180 degrees are subtracted, as in the paper.
    Stays bounded where the SI explodes (means near zero). NaN when both are zero.
    """
    left, right = np.asarray(left, dtype=float), np.asarray(right, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        angle_deg = 45.0 - np.degrees(np.arctan(left / right))
    return 100.0 * np.where(angle_deg > 90.0, angle_deg - 180.0, angle_deg) / 90.0


def log_ratio(left: np.ndarray | float, right: np.ndarray | float) -> np.ndarray:
    """``ln(R / L)``, positive = right larger; NaN unless both have the same non-zero sign."""
    left, right = np.asarray(left, dtype=float), np.asarray(right, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(right / left)


def leg_statistics(values: np.ndarray) -> LegStatistics:
    """Mean, sample SD, CV (%) and count of the finite values of one leg (parameter unit)."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return LegStatistics(None, None, None, 0)
    mean = float(values.mean())
    sd = float(values.std(ddof=1)) if values.size >= 2 else None
    cv_pct = 100.0 * sd / mean if sd is not None and mean > 0 else None
    return LegStatistics(mean, sd, cv_pct, int(values.size))


def symmetry_index_problem(
    left_values: np.ndarray, right_values: np.ndarray, n_included: Mapping[Side, int] | None = None
) -> str | None:
    """Why the SI of these values would be meaningless, or None if it is meaningful.

    The SI divides by the mean of both legs, so it is refused when a leg has no
    value, when any value is zero or the values are of mixed sign (the phase is
    absent in some strides, e.g. double support in running, flight in walking), or
    when a leg's mean is smaller than its stride-to-stride SD (mean near zero).

    Args:
        left_values: finite values of the left leg.
        right_values: finite values of the right leg.
        n_included: included strides per leg behind the values, when known: a leg
            whose included strides hold no value (step time, double support and
            flight time need the other leg's contacts) is then told apart from a
            leg without included strides.
    """
    values = {"left": left_values, "right": right_values}
    missing = [side for side, v in values.items() if v.size == 0]
    if missing:
        return _missing_values_reason(missing, n_included)
    pooled = np.concatenate([left_values, right_values])
    if np.all(pooled == 0):
        return "zero in every stride (no such phase): SI not defined"
    for side, other in (("left", "right"), ("right", "left")):
        if np.all(values[side] == 0):
            return f"zero in every stride of the {side} leg but not of the {other} leg: SI not defined"
    if not (np.all(pooled > 0) or np.all(pooled < 0)):
        return "zero or of mixed sign in some strides: SI not meaningful"
    for side, values in (("left", left_values), ("right", right_values)):
        if values.size >= 2 and abs(values.mean()) < values.std(ddof=1):
            return f"{side} mean is smaller than its stride-to-stride SD (near zero): SI not meaningful"
    return None


def _missing_values_reason(missing: Sequence[Side], n_included: Mapping[Side, int] | None) -> str:
    """Why the legs in ``missing`` have no value (see :func:`symmetry_index_problem`)."""
    without = [side for side in missing if n_included is None or n_included[side] == 0]
    reasons = []
    if without:
        reasons.append(f"no included strides on the {' and '.join(without)} leg{'s' if len(without) == 2 else ''}")
    for side in missing:
        if side in without:
            continue
        assert n_included is not None
        other = "right" if side == "left" else "left"
        reason = f"no value in the {strides_text(n_included[side])} included on the {side} leg"
        reasons.append(reason + (f": it needs the {other} leg's contacts" if n_included[other] == 0 else ""))
    return "; ".join(reasons)


def _unreliable_notes(counts: Mapping[Side, int]) -> list[str]:
    """The note "unreliable: only N strides ..." for every leg with some but too few values."""
    return [
        f"unreliable: only {strides_text(n)} on the {side} leg (minimum {MIN_STRIDES_PER_LEG})"
        for side, n in counts.items()
        if 0 < n < MIN_STRIDES_PER_LEG
    ]


def _finite(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    return values[np.isfinite(values)]


def _si_flag(si: float, ci95: tuple[float, float] | None, limit_pct: float) -> str | None:
    """Neutral flag when |SI| exceeds the limit; "uncertain" when the CI reaches inside."""
    if abs(si) <= limit_pct:
        return None
    flag = f"outside typical healthy range: |SI| {abs(si):.1f} % > {limit_pct:g} %"
    if ci95 is None:
        flag += "; uncertain: no 95 % CI"
    elif ci95[0] <= limit_pct and ci95[1] >= -limit_pct:
        flag += f"; uncertain: 95 % CI [{ci95[0]:.1f}, {ci95[1]:.1f}] % reaches into it"
    return flag


def _join(notes: Sequence[str]) -> str | None:
    return "; ".join(notes) if notes else None


def parameter_asymmetry(
    parameter: str,
    left_values: np.ndarray,
    right_values: np.ndarray,
    *,
    limits: HealthyLimits = DEFAULT_LIMITS,
    n_bootstrap: int = N_BOOTSTRAP,
    rng: np.random.Generator | None = None,
    n_included: Mapping[Side, int] | None = None,
) -> ParameterAsymmetry:
    """Compare one parameter between the legs.

    Args:
        parameter: a name of :data:`PARAMETER_UNITS`, e.g. "swing_time".
        left_values: per-stride values of the left leg's included strides (NaN dropped).
        right_values: same for the right leg.
        limits: healthy-range thresholds for the flag.
        n_bootstrap: resamples for the SI interval; stride indices are resampled
            independently per leg and the SI recomputed from the resampled means.
        rng: random generator; None uses a fresh one seeded with DEFAULT_SEED.
        n_included: included strides per leg behind the values, when known (see
            :func:`symmetry_index_problem`).

    Returns:
        A :class:`ParameterAsymmetry`. Values that would be meaningless are None with
        the reason in ``note``; fewer than MIN_STRIDES_PER_LEG strides on a leg adds
        "unreliable: only N strides ...", fewer than MIN_BOOTSTRAP_VALUES gives no
        interval ("no 95 % CI ..."). Never raises for missing data.

    Raises:
        AsymmetryOptionError: if ``parameter`` is unknown.
    """
    unit = _unit_of(parameter)
    rng = np.random.default_rng(DEFAULT_SEED) if rng is None else rng
    left_values, right_values = _finite(left_values), _finite(right_values)
    left, right = leg_statistics(left_values), leg_statistics(right_values)
    counts = {"left": left.n, "right": right.n}
    notes = _unreliable_notes(counts)
    problem = symmetry_index_problem(left_values, right_values, n_included)
    notes.extend([problem] if problem else [])
    if left.mean is None or right.mean is None:
        return ParameterAsymmetry(parameter, unit, left, right, None, None, None, None, None, None, _join(notes))

    si = si_ci95 = flag = None
    if problem is None:
        si = float(symmetry_index_pct(left.mean, right.mean))
        si_ci95 = two_leg_mean_ci95(left_values, right_values, symmetry_index_pct, n_bootstrap, rng)
        no_ci = no_interval_note(counts)
        notes.extend([no_ci] if no_ci else [])
        flag = _si_flag(si, si_ci95, limits.symmetry_index_pct)
    angle = float(symmetry_angle_pct(left.mean, right.mean))
    ratio = float(log_ratio(left.mean, right.mean))
    larger_side: Side | None = None
    if not np.isclose(right.mean, left.mean, rtol=_EQUAL_RTOL, atol=0.0):
        larger_side = "right" if right.mean > left.mean else "left"
    return ParameterAsymmetry(
        parameter=parameter,
        unit=unit,
        left=left,
        right=right,
        symmetry_index_pct=si,
        symmetry_index_ci95=si_ci95,
        symmetry_angle_pct=angle if np.isfinite(angle) else None,
        log_ratio=ratio if np.isfinite(ratio) else None,
        larger_side=larger_side,
        flag=flag,
        note=_join(notes),
    )


def _unit_of(parameter: str) -> str:
    if parameter not in PARAMETER_UNITS:
        raise AsymmetryOptionError(
            f"unknown asymmetry parameter {parameter!r}; choose one of: {', '.join(PARAMETER_UNITS)}"
        )
    return PARAMETER_UNITS[parameter]


def stride_parameter_values(
    table: StrideTable,
    contralateral: StrideTable,
    parameter: str,
    contralateral_detected_ic_s: np.ndarray | None = None,
) -> np.ndarray:
    """Per-stride values of a parameter for every stride of ``table`` (included or not).

    Args:
        table: strides of the leg.
        contralateral: strides of the other leg (needed for flight_time).
        parameter: a name of :data:`PARAMETER_UNITS`.
        contralateral_detected_ic_s: every IC detected on the other leg, s; None
            uses the ICs of its strides (only flight_time needs them).

    Returns:
        (len(table),) values in the parameter's unit; NaN where undefined.

    Raises:
        AsymmetryOptionError: if ``parameter`` is unknown.
    """
    _unit_of(parameter)
    if parameter == "flight_time":
        contra_ic_s = initial_contacts_s(contralateral, contralateral_detected_ic_s)
        return flight_time_s(table.start_s, table.end_s, table.final_contact_s, contra_ic_s)
    return np.asarray(getattr(table, _COLUMNS[parameter]), dtype=float)


def session_asymmetry(
    left: StrideTable,
    right: StrideTable,
    *,
    bout_index: int | None = None,
    detected_ic_s: Mapping[Side, np.ndarray] | None = None,
    parameters: Sequence[str] = ASYMMETRY_PARAMETERS,
    limits: HealthyLimits = DEFAULT_LIMITS,
    n_bootstrap: int = N_BOOTSTRAP,
    seed: int = DEFAULT_SEED,
) -> dict[str, ParameterAsymmetry]:
    """Asymmetry of every parameter over the included strides of a session or one bout.

    Args:
        left: strides of the left leg (``side == "left"``).
        right: strides of the right leg.
        bout_index: only strides of this bout; None for the whole session.
        detected_ic_s: every IC detected per leg, s ({"left": ..., "right": ...});
            None uses the strides' ICs (see :func:`stride_parameter_values`).
        parameters: names from :data:`PARAMETER_UNITS`, in output order.
        limits: healthy-range thresholds for the flags.
        n_bootstrap: resamples per SI interval.
        seed: seed of the bootstrap generator (one generator for all parameters).

    Returns:
        {parameter: ParameterAsymmetry}, in the order of ``parameters``.

    Raises:
        AsymmetryOptionError: for an unknown parameter or swapped tables.
    """
    check_sides(left, right)
    rng = np.random.default_rng(seed)
    detected = {"left": None, "right": None} if detected_ic_s is None else detected_ic_s
    left_mask, right_mask = included_mask(left, bout_index), included_mask(right, bout_index)
    n_included: dict[Side, int] = {"left": int(left_mask.sum()), "right": int(right_mask.sum())}
    return {
        name: parameter_asymmetry(
            name,
            stride_parameter_values(left, right, name, detected["right"])[left_mask],
            stride_parameter_values(right, left, name, detected["left"])[right_mask],
            limits=limits,
            n_bootstrap=n_bootstrap,
            rng=rng,
            n_included=n_included,
        )
        for name in parameters
    }


def _window_edges_s(
    left: StrideTable, right: StrideTable, window_s: float | None, window_strides: int | None
) -> np.ndarray:
    """Window edges on the session clock, s: the first at the first included stride
    start, the last just after the last one (so every window is finite)."""
    starts = np.sort(np.concatenate([np.asarray(t.start_s, float)[included_mask(t)] for t in (left, right)]))
    if starts.size == 0:
        return np.empty(0)
    if window_s is not None:
        n_windows = int(np.floor((starts[-1] - starts[0]) / window_s)) + 1
        return starts[0] + window_s * np.arange(n_windows + 1)
    return np.append(starts[:: 2 * window_strides], np.nextafter(starts[-1], np.inf))


def asymmetry_trend(
    left: StrideTable,
    right: StrideTable,
    *,
    parameter: str = "swing_time",
    window_s: float | None = 60.0,
    window_strides: int | None = None,
    detected_ic_s: Mapping[Side, np.ndarray] | None = None,
) -> tuple[TrendWindow, ...]:
    """SI of one parameter and GA in consecutive windows, so change over the session shows.

    Give either ``window_s`` (fixed duration from the first included stride) or
    ``window_strides`` (about that many strides per leg per window; set
    ``window_s=None``). A stride belongs to the window holding its start IC. The
    last window may be shorter. No bootstrap here (use :func:`session_asymmetry`
    with ``bout_index`` for intervals).

    Args:
        left: strides of the left leg.
        right: strides of the right leg.
        parameter: name from :data:`PARAMETER_UNITS` whose SI is tracked.
        window_s: window length, s, > 0.
        window_strides: strides per leg per window, >= 1.
        detected_ic_s: every IC detected per leg, s; None uses the strides' ICs.

    Returns:
        One :class:`TrendWindow` per window, in time order; empty without strides.

    Raises:
        AsymmetryOptionError: for an unknown parameter, swapped tables, or not
            exactly one valid window size.
    """
    check_sides(left, right)
    _unit_of(parameter)
    if (window_s is None) == (window_strides is None):
        raise AsymmetryOptionError("give exactly one of window_s (seconds) or window_strides (strides per leg)")
    if (window_s is not None and not window_s > 0) or (window_strides is not None and window_strides < 1):
        raise AsymmetryOptionError(f"window must be positive, got window_s={window_s}, window_strides={window_strides}")
    edges = _window_edges_s(left, right, window_s, window_strides)
    detected = {"left": None, "right": None} if detected_ic_s is None else detected_ic_s
    columns = {
        side: (
            np.asarray(table.start_s, float)[included_mask(table)],
            stride_parameter_values(table, other, parameter, detected[other.side])[included_mask(table)],
            np.asarray(table.swing_time_s, float)[included_mask(table)],
        )
        for side, table, other in (("left", left, right), ("right", right, left))
    }
    return tuple(_trend_window(parameter, lo, hi, columns) for lo, hi in itertools.pairwise(edges))


def _trend_window(
    parameter: str, start_s: float, end_s: float, columns: Mapping[str, tuple[np.ndarray, np.ndarray, np.ndarray]]
) -> TrendWindow:
    """Asymmetry of the strides starting in [start_s, end_s)."""
    picked = {
        side: [_finite(column[(starts >= start_s) & (starts < end_s)]) for column in (values, swing)]
        for side, (starts, values, swing) in columns.items()
    }
    (left_values, left_swing), (right_values, right_swing) = picked["left"], picked["right"]
    notes = _unreliable_notes({"left": left_values.size, "right": right_values.size})
    problem = symmetry_index_problem(left_values, right_values)
    si = None if problem else float(symmetry_index_pct(left_values.mean(), right_values.mean()))
    notes.extend([problem] if problem else [])
    swing_ok = left_swing.size > 0 and right_swing.size > 0 and np.all(left_swing > 0) and np.all(right_swing > 0)
    ga = float(gait_asymmetry_pct(left_swing.mean(), right_swing.mean())) if swing_ok else None
    notes.extend([] if swing_ok else ["gait asymmetry not available: missing or non-positive swing times"])
    return TrendWindow(
        float(start_s), float(end_s), int(left_values.size), int(right_values.size), si, ga, _join(notes)
    )


def _ci_list(ci95: tuple[float, float] | None) -> list[float] | None:
    return None if ci95 is None else [ci95[0], ci95[1]]


def asymmetry_to_json(
    parameters: Mapping[str, ParameterAsymmetry], bilateral: BilateralCoordination
) -> dict[str, dict]:
    """The ``asymmetry`` and ``bilateral`` fragments of the JSON result.

    Args:
        parameters: output of :func:`session_asymmetry`.
        bilateral: output of :func:`anklet.gait.coordination.bilateral_coordination`.

    Returns:
        ``{"asymmetry": {parameter: {...}}, "bilateral": {...}}`` with the fixed keys
        documented in docs/asymmetry.md; numbers are float (counts int) or None.
    """
    asymmetry = {
        name: {
            "left": item.left.mean,
            "right": item.right.mean,
            "left_sd": item.left.sd,
            "right_sd": item.right.sd,
            "left_cv_pct": item.left.cv_pct,
            "right_cv_pct": item.right.cv_pct,
            "n_left": item.left.n,
            "n_right": item.right.n,
            "symmetry_index_pct": item.symmetry_index_pct,
            "symmetry_index_ci95": _ci_list(item.symmetry_index_ci95),
            "symmetry_angle_pct": item.symmetry_angle_pct,
            "log_ratio": item.log_ratio,
            "flag": item.flag,
            "note": item.note,
        }
        for name, item in parameters.items()
    }
    return {
        "asymmetry": asymmetry,
        "bilateral": {
            "gait_asymmetry": bilateral.gait_asymmetry_pct,
            "gait_asymmetry_ci95": _ci_list(bilateral.gait_asymmetry_ci95),
            "phase_coordination_index_pct": bilateral.phase_coordination_index_pct,
            "phase_coordination_index_ci95": _ci_list(bilateral.phase_coordination_index_ci95),
            "phase_mean_deg": bilateral.phase_mean_deg,
            "phase_abs_deg": bilateral.phase_abs_deg,
            "phase_cv_pct": bilateral.phase_cv_pct,
            "reference_side": bilateral.reference_side,
            "n_strides": bilateral.n_strides,
            "flags": list(bilateral.flags),
        },
    }
