"""Bilateral coordination of gait from the initial and final contacts of both legs.

Computes, on one shared clock in seconds:

* the contralateral initial contact (IC) inside each stride of a leg, the building
  block of step phase and flight time;
* flight time per stride (running): ``max(0, t_contralateral_IC - t_FC)``;
* Gait Asymmetry, ``GA = 100 * |ln(mean swing_R / mean swing_L)|`` (Yogev G, Plotnik M,
  Peretz C, Giladi N, Hausdorff JM. Gait asymmetry in patients with Parkinson's
  disease and elderly fallers. Exp Brain Res 2007;177:336-346);
* the Phase Coordination Index, ``PCI = phi_CV + P_phi_ABS`` (Plotnik M, Giladi N,
  Hausdorff JM. A new measure for quantifying the bilateral coordination of human
  gait: effects of aging and Parkinson's disease. Exp Brain Res 2007;181:561-570).

95 % confidence intervals come from a seeded percentile bootstrap over strides.
Formulas, thresholds and their sources are documented in ``docs/asymmetry.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import numpy as np

from anklet.errors import AnkletError
from anklet.gait.strides import StrideTable
from anklet.imu import Side

#: Bootstrap resamples for every 95 % confidence interval.
N_BOOTSTRAP: int = 2000
#: Seed of the bootstrap random generator: the same data give the same intervals.
DEFAULT_SEED: int = 0
#: Fewer included strides than this on a leg makes a per-leg mean, SI or GA "unreliable".
MIN_STRIDES_PER_LEG: int = 10
#: Fewer phase values than this makes the PCI "unreliable" (Kribus-Shmiel et al. 2018
#: found ~23 strides on average are needed for a stable PCI in healthy young adults).
MIN_PCI_STRIDES: int = 20
#: Fewest values per leg a bootstrap interval is drawn from: a single value resamples
#: to itself and would give a zero-width interval that reads as certainty.
MIN_BOOTSTRAP_VALUES: int = 2
#: Largest number of resampled values held in memory at once by :func:`bootstrap_rows`.
_BOOTSTRAP_CHUNK_VALUES: int = 2_000_000


class AsymmetryOptionError(AnkletError, ValueError):
    """An asymmetry option is invalid (unknown parameter, swapped legs, bad window);
    the message says which values are allowed."""


@dataclass(frozen=True)
class HealthyLimits:
    """Upper ends of the typical healthy range used for neutral "outside typical
    healthy range" flags (sources and caveats in docs/asymmetry.md).

    Attributes:
        symmetry_index_pct: |SI| above this is flagged; 10 % is a widely used
            convention, not a measured norm.
        gait_asymmetry_pct: GA above this is flagged (convention, about twice the
            GA reported for healthy adults).
        phase_coordination_index_pct: PCI above this is flagged: mean + 2 SD of
            healthy adults aged 40-75 (3.16 +/- 1.11 %, Zadik et al. 2022).
    """

    symmetry_index_pct: float = 10.0
    gait_asymmetry_pct: float = 5.0
    phase_coordination_index_pct: float = 5.4


DEFAULT_LIMITS = HealthyLimits()


@dataclass(frozen=True)
class BilateralCoordination:
    """Gait Asymmetry and Phase Coordination Index of one session or bout.

    Attributes:
        gait_asymmetry_pct: GA = 100 * |ln(mean swing_R / mean swing_L)|, or None.
        gait_asymmetry_ci95: (low, high) bootstrap 95 % interval of GA, or None.
        phase_coordination_index_pct: PCI in %, or None.
        phase_coordination_index_ci95: (low, high) bootstrap 95 % interval, or None.
        phase_mean_deg: mean step phase phi in degrees (180 = perfect anti-phase), or None.
        phase_abs_deg: phi_ABS = mean |phi - 180| in degrees, or None.
        phase_cv_pct: phi_CV = 100 * SD(phi) / mean(phi), or None.
        reference_side: leg whose strides are 360 deg (the one with the longer mean
            swing time), or None.
        n_strides: number of phase values (reference strides) behind the PCI.
        n_swing_left: included left swing times behind GA.
        n_swing_right: included right swing times behind GA.
        flags: neutral flags ("outside typical healthy range ...", "unreliable: ...")
            and the reason for every value that is None.
    """

    gait_asymmetry_pct: float | None
    gait_asymmetry_ci95: tuple[float, float] | None
    phase_coordination_index_pct: float | None
    phase_coordination_index_ci95: tuple[float, float] | None
    phase_mean_deg: float | None
    phase_abs_deg: float | None
    phase_cv_pct: float | None
    reference_side: Side | None
    n_strides: int
    n_swing_left: int
    n_swing_right: int
    flags: tuple[str, ...]


def bootstrap_rows(
    values: np.ndarray,
    statistic: Callable[[np.ndarray], np.ndarray],
    n_bootstrap: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Bootstrap distribution of a statistic over resampled values (with replacement).

    Args:
        values: (n,) observations, n >= 1, e.g. one value per stride.
        statistic: maps an (m, n) array of m resamples to (m,) statistics (row-wise).
        n_bootstrap: number of resamples, >= 1.
        rng: random generator (seed it for repeatable intervals).

    Returns:
        (n_bootstrap,) statistics. Resamples are drawn in chunks so memory stays
        bounded for long sessions.

    Raises:
        ValueError: if ``values`` is empty or ``n_bootstrap`` < 1.
    """
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        raise ValueError("cannot bootstrap an empty array")
    if n_bootstrap < 1:
        raise ValueError(f"n_bootstrap must be >= 1, got {n_bootstrap}")
    rows_per_chunk = max(1, _BOOTSTRAP_CHUNK_VALUES // values.size)
    chunks = [
        statistic(values[rng.integers(0, values.size, size=(min(rows_per_chunk, n_bootstrap - done), values.size))])
        for done in range(0, n_bootstrap, rows_per_chunk)
    ]
    return np.concatenate(chunks)


def percentile_ci95(samples: np.ndarray) -> tuple[float, float] | None:
    """2.5th and 97.5th percentiles of the finite bootstrap samples, or None if none are finite."""
    finite = np.asarray(samples, dtype=float)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return None
    low, high = np.percentile(finite, [2.5, 97.5])
    return float(low), float(high)


def two_leg_mean_ci95(
    left_values: np.ndarray,
    right_values: np.ndarray,
    metric: Callable[[np.ndarray, np.ndarray], np.ndarray],
    n_bootstrap: int,
    rng: np.random.Generator,
) -> tuple[float, float] | None:
    """Bootstrap 95 % interval of ``metric(mean left, mean right)``.

    Stride values are resampled independently per leg and the metric recomputed
    from the resampled means.

    Args:
        left_values, right_values: (n,) finite per-stride values of each leg.
        metric: maps arrays of left and right means to the metric (e.g. SI, GA).
        n_bootstrap: resamples per leg.
        rng: random generator.

    Returns:
        (low, high), or None when a leg has fewer than :data:`MIN_BOOTSTRAP_VALUES`
        values (see :func:`no_interval_note`).
    """
    if min(left_values.size, right_values.size) < MIN_BOOTSTRAP_VALUES:
        return None
    means_left = bootstrap_rows(left_values, lambda rows: rows.mean(axis=1), n_bootstrap, rng)
    means_right = bootstrap_rows(right_values, lambda rows: rows.mean(axis=1), n_bootstrap, rng)
    return percentile_ci95(metric(means_left, means_right))


def no_interval_note(counts: Mapping[Side, int]) -> str | None:
    """Why no 95 % interval is given when a leg (with values) has too few of them, or None."""
    few = [f"{n} on the {side} leg" for side, n in counts.items() if 0 < n < MIN_BOOTSTRAP_VALUES]
    if not few:
        return None
    return f"no 95 % CI: {' and '.join(few)} (at least {MIN_BOOTSTRAP_VALUES} strides per leg needed)"


def strides_text(n: int) -> str:
    """``"1 stride"``, ``"3 strides"``."""
    return f"{n} stride{'' if n == 1 else 's'}"


def initial_contacts_s(table: StrideTable, detected_s: np.ndarray | None = None) -> np.ndarray:
    """All initial contacts of a leg, s, sorted and unique.

    Args:
        table: strides of the leg; the ICs opening or closing any stride (excluded
            ones too) are used when ``detected_s`` is None.
        detected_s: every IC the event detector found for this leg (e.g.
            ``LegAnalysis.initial_contacts_s``), which also holds ICs of lone steps
            that made no stride; NaN are dropped. Preferred when available: a step
            missing from the table could hide non-alternating stepping.
    """
    if detected_s is None:
        detected_s = np.concatenate([np.asarray(table.start_s, float), np.asarray(table.end_s, float)])
    detected_s = np.asarray(detected_s, dtype=float)
    return np.unique(detected_s[np.isfinite(detected_s)])


def contralateral_initial_contact_s(
    start_s: np.ndarray, end_s: np.ndarray, contralateral_ic_s: np.ndarray
) -> np.ndarray:
    """The single contralateral IC strictly inside each stride.

    Args:
        start_s: (n,) IC opening each stride of the leg, s.
        end_s: (n,) next IC of the same leg, s.
        contralateral_ic_s: ICs of the other leg, s, any order.

    Returns:
        (n,) time of the contralateral IC with ``start_s < t < end_s``; NaN where the
        stride holds no contralateral IC or more than one (steps not alternating).
    """
    start_s = np.asarray(start_s, dtype=float)
    end_s = np.asarray(end_s, dtype=float)
    contra = np.sort(np.asarray(contralateral_ic_s, dtype=float))
    first = np.searchsorted(contra, start_s, side="right")
    stop = np.searchsorted(contra, end_s, side="left")
    exactly_one = (stop - first) == 1
    result = np.full(start_s.shape, np.nan)
    result[exactly_one] = contra[first[exactly_one]]
    return result


def flight_time_s(
    start_s: np.ndarray,
    end_s: np.ndarray,
    final_contact_s: np.ndarray,
    contralateral_ic_s: np.ndarray,
) -> np.ndarray:
    """Flight time after this leg's final contact (FC) in each stride, s.

    ``max(0, t_contra - t_FC)`` where ``t_contra`` is the contralateral IC inside the
    stride: positive in running (both feet off the ground), 0 in walking (the other
    foot lands before this one leaves: double support).

    Args:
        start_s: (n,) IC opening each stride, s.
        end_s: (n,) IC closing each stride, s.
        final_contact_s: (n,) FC inside each stride, s.
        contralateral_ic_s: ICs of the other leg, s.

    Returns:
        (n,) flight times in s; NaN where the stride does not hold exactly one
        contralateral IC or the FC is NaN.
    """
    contra = contralateral_initial_contact_s(start_s, end_s, contralateral_ic_s)
    return np.maximum(0.0, contra - np.asarray(final_contact_s, dtype=float))


def gait_asymmetry_pct(swing_left_s: np.ndarray | float, swing_right_s: np.ndarray | float) -> np.ndarray:
    """Gait Asymmetry ``100 * |ln(swing_right / swing_left)|`` of mean swing times (Yogev 2007).

    Args:
        swing_left_s: mean left swing time(s), s, > 0 (scalar or array).
        swing_right_s: mean right swing time(s), s, > 0, broadcastable with the left.

    Returns:
        GA, dimensionless (0 = symmetric; ~ percent difference for small asymmetry).
        Non-positive inputs give NaN or inf; callers check positivity first.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return 100.0 * np.abs(np.log(np.asarray(swing_right_s, float) / np.asarray(swing_left_s, float)))


def phase_deg(start_s: np.ndarray, end_s: np.ndarray, contralateral_ic_s: np.ndarray) -> np.ndarray:
    """Step phase ``phi = 360 * (t_contra - t_IC_k) / (t_IC_k+1 - t_IC_k)`` in degrees.

    Args:
        start_s: (n,) IC opening each reference stride, s.
        end_s: (n,) IC closing each reference stride, s.
        contralateral_ic_s: (n,) the contralateral IC inside each stride, s (NaN allowed).

    Returns:
        (n,) phases in degrees, 180 for perfectly anti-phased stepping.
    """
    start_s = np.asarray(start_s, dtype=float)
    return 360.0 * (np.asarray(contralateral_ic_s, float) - start_s) / (np.asarray(end_s, float) - start_s)


def phase_coordination_index_pct(phases_deg: np.ndarray) -> np.ndarray:
    """PCI = phi_CV + P_phi_ABS along the last axis (Plotnik et al. 2007).

    ``phi_CV = 100 * SD(phi) / mean(phi)`` (sample SD, ddof = 1) and
    ``P_phi_ABS = 100 * mean(|phi - 180|) / 180``.

    Args:
        phases_deg: (..., n) step phases in degrees, n >= 2.

    Returns:
        (...) PCI in % (0 = perfectly consistent and accurate anti-phase).
    """
    phases_deg = np.asarray(phases_deg, dtype=float)
    phi_cv_pct = 100.0 * phases_deg.std(axis=-1, ddof=1) / phases_deg.mean(axis=-1)
    p_phi_abs_pct = 100.0 * np.abs(phases_deg - 180.0).mean(axis=-1) / 180.0
    return phi_cv_pct + p_phi_abs_pct


def included_mask(table: StrideTable, bout_index: int | None = None) -> np.ndarray:
    """(len(table),) mask of included strides, only those of ``bout_index`` unless it is None."""
    mask = np.asarray(table.included, dtype=bool)
    if bout_index is not None:
        mask = mask & (np.asarray(table.bout_index) == bout_index)
    return mask


def steady_state_phases_deg(
    reference: StrideTable,
    contralateral: StrideTable,
    bout_index: int | None = None,
    contralateral_detected_ic_s: np.ndarray | None = None,
) -> np.ndarray:
    """Step phases of the steady-state strides of ``reference``.

    A reference stride counts when it is included (and in ``bout_index`` if given),
    holds exactly one contralateral IC among all ICs the other leg's table knows
    (no missed or doubled step), and that IC opens an included contralateral stride
    of the same bout (no gap, no turn on the other side).

    Args:
        reference: strides of the leg whose stride is 360 degrees.
        contralateral: strides of the other leg.
        bout_index: restrict to one bout; None for the whole session.
        contralateral_detected_ic_s: every IC detected on the other leg, s; None
            uses the ICs of its strides (see :func:`initial_contacts_s`).

    Returns:
        (m,) phases in degrees, in stride order.
    """
    selected = included_mask(reference, bout_index)
    start_s = np.asarray(reference.start_s, float)[selected]
    end_s = np.asarray(reference.end_s, float)[selected]
    contra_ic_s = contralateral_initial_contact_s(
        start_s, end_s, initial_contacts_s(contralateral, contralateral_detected_ic_s)
    )

    contra_starts = np.asarray(contralateral.start_s, float)
    if contra_starts.size == 0:
        return np.empty(0)
    order = np.argsort(contra_starts)
    matched_row = order[np.clip(np.searchsorted(contra_starts[order], contra_ic_s), 0, contra_starts.size - 1)]
    opens_stride = contra_starts[matched_row] == contra_ic_s
    same_bout = np.asarray(contralateral.bout_index)[matched_row] == np.asarray(reference.bout_index)[selected]
    usable = opens_stride & same_bout & np.asarray(contralateral.included, bool)[matched_row]
    return phase_deg(start_s[usable], end_s[usable], contra_ic_s[usable])


def _swing_times_s(table: StrideTable, bout_index: int | None) -> np.ndarray:
    swing = np.asarray(table.swing_time_s, float)[included_mask(table, bout_index)]
    return swing[np.isfinite(swing)]


def _range_flag(name: str, value: float, ci95: tuple[float, float] | None, limit: float, unit: str) -> str | None:
    """Neutral flag for a non-negative metric whose healthy range is [0, limit]."""
    if value <= limit:
        return None
    flag = f"{name} {value:.1f}{unit} is outside typical healthy range (<= {limit:g}{unit})"
    if ci95 is None:
        flag += "; uncertain: no 95 % CI"
    elif ci95[0] <= limit:
        flag += f"; uncertain: 95 % CI [{ci95[0]:.1f}, {ci95[1]:.1f}] reaches into it"
    return flag


def _gait_asymmetry(
    swing_left_s: np.ndarray,
    swing_right_s: np.ndarray,
    limits: HealthyLimits,
    n_bootstrap: int,
    rng: np.random.Generator,
) -> tuple[float | None, tuple[float, float] | None, list[str]]:
    """GA, its CI and flags from the included swing times of both legs."""
    swings = {"left": swing_left_s, "right": swing_right_s}
    missing = [side for side, swing in swings.items() if swing.size == 0]
    if missing:
        legs = " and ".join(missing) + (" legs" if len(missing) == 2 else " leg")
        return None, None, [f"gait asymmetry not available: no included strides on the {legs}"]
    for side, swing in swings.items():
        if np.any(swing <= 0):
            return None, None, [f"gait asymmetry not available: non-positive swing times on the {side} leg"]
    value = float(gait_asymmetry_pct(swing_left_s.mean(), swing_right_s.mean()))
    ci95 = two_leg_mean_ci95(swing_left_s, swing_right_s, gait_asymmetry_pct, n_bootstrap, rng)
    flags = [
        f"gait asymmetry unreliable: only {strides_text(swing.size)} on the {side} leg (minimum {MIN_STRIDES_PER_LEG})"
        for side, swing in swings.items()
        if swing.size < MIN_STRIDES_PER_LEG
    ]
    no_ci = no_interval_note({side: swing.size for side, swing in swings.items()})
    flags.extend([f"gait asymmetry: {no_ci}"] if no_ci else [])
    range_flag = _range_flag("gait asymmetry", value, ci95, limits.gait_asymmetry_pct, "")
    return value, ci95, flags + ([range_flag] if range_flag else [])


def check_sides(left: StrideTable, right: StrideTable) -> None:
    """Raise :class:`AsymmetryOptionError` unless ``left`` is the left and ``right`` the right leg."""
    if left.side != "left" or right.side != "right":
        raise AsymmetryOptionError(
            f"expected the left then the right leg's strides, got {left.side!r} and {right.side!r}: "
            "pass the StrideTable of the left leg first"
        )


def bilateral_coordination(
    left: StrideTable,
    right: StrideTable,
    *,
    bout_index: int | None = None,
    detected_ic_s: Mapping[Side, np.ndarray] | None = None,
    limits: HealthyLimits = DEFAULT_LIMITS,
    n_bootstrap: int = N_BOOTSTRAP,
    seed: int = DEFAULT_SEED,
) -> BilateralCoordination:
    """Gait Asymmetry and Phase Coordination Index of a session or one bout.

    The PCI reference leg is the one with the longer mean swing time (Plotnik et al.
    2007); its included strides are 360 degrees and the contralateral IC inside each
    gives the phase. GA uses the mean included swing times of each leg.

    Args:
        left: strides of the left leg (``side == "left"``).
        right: strides of the right leg (``side == "right"``).
        bout_index: restrict to one bout; None for the whole session.
        detected_ic_s: every IC detected per leg, s ({"left": ..., "right": ...},
            e.g. from ``LegAnalysis.initial_contacts_s``); None uses the strides' ICs.
        limits: healthy-range thresholds for the flags.
        n_bootstrap: bootstrap resamples for the 95 % intervals.
        seed: seed of the bootstrap generator.

    Returns:
        A :class:`BilateralCoordination`; values that cannot be computed (a leg without
        strides, standing only, steps not alternating) are None with the reason in
        ``flags``. Never raises for missing data.

    Raises:
        AsymmetryOptionError: if the tables' sides are not "left" and "right" as passed.
    """
    check_sides(left, right)
    rng = np.random.default_rng(seed)
    swing_left_s, swing_right_s = _swing_times_s(left, bout_index), _swing_times_s(right, bout_index)
    ga, ga_ci95, flags = _gait_asymmetry(swing_left_s, swing_right_s, limits, n_bootstrap, rng)

    empty = BilateralCoordination(
        ga, ga_ci95, None, None, None, None, None, None, 0, swing_left_s.size, swing_right_s.size, ()
    )
    if swing_left_s.size == 0 or swing_right_s.size == 0:
        flags.append("phase coordination index not available: a leg has no included strides")
        return replace(empty, flags=tuple(flags))
    reference_side: Side = "right" if swing_right_s.mean() > swing_left_s.mean() else "left"
    reference, contralateral = (right, left) if reference_side == "right" else (left, right)
    contralateral_ic_s = None if detected_ic_s is None else detected_ic_s[contralateral.side]
    phases = steady_state_phases_deg(reference, contralateral, bout_index, contralateral_ic_s)
    if phases.size < 2:
        flags.append(
            f"phase coordination index not available: {phases.size} of the {reference_side} leg's strides hold "
            "exactly one included contralateral initial contact, at least 2 needed "
            "(steps not alternating, or too few strides)"
        )
        return replace(empty, reference_side=reference_side, n_strides=int(phases.size), flags=tuple(flags))

    pci = float(phase_coordination_index_pct(phases))
    pci_ci95 = percentile_ci95(bootstrap_rows(phases, phase_coordination_index_pct, n_bootstrap, rng))
    if phases.size < MIN_PCI_STRIDES:
        flags.append(
            f"phase coordination index unreliable: only {strides_text(phases.size)} (minimum {MIN_PCI_STRIDES})"
        )
    range_flag = _range_flag("phase coordination index", pci, pci_ci95, limits.phase_coordination_index_pct, " %")
    flags.extend([range_flag] if range_flag else [])
    phase_mean_deg = float(phases.mean())
    return BilateralCoordination(
        gait_asymmetry_pct=ga,
        gait_asymmetry_ci95=ga_ci95,
        phase_coordination_index_pct=pci,
        phase_coordination_index_ci95=pci_ci95,
        phase_mean_deg=phase_mean_deg,
        phase_abs_deg=float(np.abs(phases - 180.0).mean()),
        phase_cv_pct=float(100.0 * phases.std(ddof=1) / phase_mean_deg),
        reference_side=reference_side,
        n_strides=int(phases.size),
        n_swing_left=int(swing_left_s.size),
        n_swing_right=int(swing_right_s.size),
        flags=tuple(flags),
    )
