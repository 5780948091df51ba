"""Agreement of asymmetry metrics from anklet's events with the same metrics from
reference events, over exactly the same steady-state strides.

For each trial with both legs referenced, anklet's included strides are paired with
reference strides whose bounding ICs both lie within 100 ms; the Symmetry Index of
stride, stance, swing and step time and the Gait Asymmetry are then computed once
from anklet's events and once from the reference events of those strides. Where a
data set says who walked, the error of the change between two walks of one person
is measured too (the use case of the progress report). Used by
``benchmarks/asymmetry_accuracy.py`` and by the test that keeps
:data:`anklet.gait.measured_accuracy.MEASURED_ACCURACY` true.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from anklet.gait.asymmetry import session_asymmetry
from anklet.gait.coordination import bilateral_coordination
from anklet.gait.pipeline import GaitPipeline
from anklet.gait.strides import StrideTable, build_stride_table
from anklet.imu import SIDES, Side
from anklet.validation.datasets.trial import MAX_SWING_S, Trial

#: Both ICs of a stride must lie this close to the reference stride's ICs (s).
TOLERANCE_S = 0.1
#: The parameters compared (names as in :func:`anklet.gait.asymmetry.session_asymmetry`).
PARAMETERS = ("stride_time", "stance_time", "swing_time", "step_time")
#: Key of the Gait Asymmetry among the compared metrics.
GAIT_ASYMMETRY = "gait_asymmetry"
#: Every compared metric.
METRICS = (*PARAMETERS, GAIT_ASYMMETRY)


@dataclass(frozen=True)
class TrialAgreement:
    """One trial's asymmetry error.

    Attributes:
        name: trial name in its data set.
        person: who walked it (:attr:`Trial.person`), None if not known.
        difference: metric -> SI(anklet) - SI(reference) in SI points (GA in its own
            units); None where either is not defined.
    """

    name: str
    person: str | None
    difference: Mapping[str, float | None]


@dataclass(frozen=True)
class AsymmetryAgreement:
    """The asymmetry errors of a set of trials.

    Attributes:
        trials: one entry per trial with both legs referenced, in input order.
        resolution_floor: metric -> |SI(reference events moved by uniform +-jitter) -
            SI(reference)|, one value per trial and draw; empty without jitter.
    """

    trials: tuple[TrialAgreement, ...]
    resolution_floor: dict[str, list[float]] = field(default_factory=dict)

    def abs_differences(self, metric: str) -> np.ndarray:
        """|anklet - reference| of ``metric``, one value per trial where it is defined."""
        values = [t.difference[metric] for t in self.trials]
        return np.abs(np.array([v for v in values if v is not None], dtype=float))

    def median(self, metric: str) -> float:
        """Median over trials of |anklet - reference| for ``metric``."""
        return float(np.median(self.abs_differences(metric)))

    def change_abs_differences(self, metric: str) -> np.ndarray:
        """Error of the change of ``metric`` between two walks of one person: |d_i - d_j|
        for every pair of trials i, j of the same person, d = anklet - reference.
        Trials whose person is not known are left out."""
        by_person: dict[str, list[float]] = {}
        for trial in self.trials:
            value = trial.difference[metric]
            if trial.person is not None and value is not None:
                by_person.setdefault(trial.person, []).append(value)
        return np.array(
            [abs(a - b) for values in by_person.values() for a, b in itertools.combinations(values, 2)], dtype=float
        )


def reference_stride_tables(
    trial: Trial, jitter_s: float = 0.0, rng: np.random.Generator | None = None
) -> dict[Side, StrideTable]:
    """Stride tables of both legs built from the trial's reference events.

    Args:
        trial: a trial with reference events for both legs.
        jitter_s: with ``rng``, every reference event is moved by uniform +-``jitter_s``.
        rng: random generator for the jitter; None leaves the events as they are.
    """

    def moved(times_s: np.ndarray) -> np.ndarray:
        return times_s if rng is None else times_s + rng.uniform(-jitter_s, jitter_s, times_s.shape)

    swings = {
        side: _reference_swings(moved(r.initial_contacts_s), moved(r.final_contacts_s))
        for side, r in trial.reference.items()
    }
    tables = {}
    for side, (ic, fc) in swings.items():
        other = swings["right" if side == "left" else "left"]
        n = ic.size
        no_peak, one_segment = np.full(n, np.nan), np.zeros(n, int)
        not_turning = np.zeros(max(n - 1, 0), bool)
        tables[side] = build_stride_table(side, ic, fc, no_peak, one_segment, not_turning, other[0], other[1])
    return tables


def paired_strides(detected: StrideTable, reference: StrideTable) -> tuple[StrideTable, StrideTable]:
    """Both tables restricted to detected steady-state strides that have a reference twin."""
    det_keep = np.zeros(len(detected), bool)
    ref_keep = np.zeros(len(reference), bool)
    for k in np.flatnonzero(detected.included):
        match = np.flatnonzero(
            (np.abs(reference.start_s - detected.start_s[k]) < TOLERANCE_S)
            & (np.abs(reference.end_s - detected.end_s[k]) < TOLERANCE_S)
        )
        if match.size:
            det_keep[k] = True
            ref_keep[match[0]] = True
    return replace(detected, included=det_keep), replace(reference, included=ref_keep)


def paired_trial_strides(trial: Trial) -> dict[Side, tuple[StrideTable, StrideTable]]:
    """Run the pipeline on ``trial`` (both legs referenced) and pair each leg's
    steady-state strides with reference strides: side -> (detected, reference)."""
    analysis = GaitPipeline(trial.placement).run(dict(trial.imu))
    reference = reference_stride_tables(trial)
    return {side: paired_strides(analysis.legs[side].strides, reference[side]) for side in SIDES}


def asymmetry_metrics(left: StrideTable, right: StrideTable) -> dict[str, float | None]:
    """SI (%) of every compared parameter and GA over the included strides of both legs."""
    si = session_asymmetry(left, right, parameters=PARAMETERS, n_bootstrap=10)  # SI only: intervals unused
    values: dict[str, float | None] = {name: si[name].symmetry_index_pct for name in PARAMETERS}
    values[GAIT_ASYMMETRY] = bilateral_coordination(left, right, n_bootstrap=10).gait_asymmetry_pct
    return values


def compare_asymmetry(
    trials: Iterable[Trial], reference_jitter_s: float = 0.0, n_draws: int = 20, seed: int = 0
) -> AsymmetryAgreement:
    """Run the pipeline on every trial with both legs referenced and compare its asymmetry.

    Args:
        trials: trials of one data set (each analysed with its own placement).
        reference_jitter_s: when > 0, also measure the resolution floor: the metrics of
            the reference events moved by uniform +-``reference_jitter_s`` (half the
            annotation grid) against those of the unmoved events, ``n_draws`` per trial.
        n_draws: draws per trial for the resolution floor.
        seed: seed of the jitter's random generator.
    """
    compared: list[TrialAgreement] = []
    floor: dict[str, list[float]] = {name: [] for name in METRICS}
    rng = np.random.default_rng(seed)
    for trial in trials:
        if set(trial.reference) != set(SIDES):
            continue
        pairs = paired_trial_strides(trial)
        reference_metrics = asymmetry_metrics(pairs["left"][1], pairs["right"][1])
        detected_metrics = asymmetry_metrics(pairs["left"][0], pairs["right"][0])
        difference = metric_differences(detected_metrics, reference_metrics)
        compared.append(TrialAgreement(trial.name, trial.person, difference))
        for _ in range(n_draws if reference_jitter_s > 0 else 0):
            moved = reference_stride_tables(trial, reference_jitter_s, rng)
            left, right = (replace(moved[side], included=pairs[side][1].included) for side in SIDES)
            for name, value in metric_differences(asymmetry_metrics(left, right), reference_metrics).items():
                if value is not None:
                    floor[name].append(abs(value))
    return AsymmetryAgreement(tuple(compared), floor)


def _reference_swings(ic_s: np.ndarray, fc_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pair every reference IC with the FC opening its swing (NaN when none within MAX_SWING_S)."""
    i = np.searchsorted(fc_s, ic_s) - 1
    fc = np.where(i >= 0, fc_s[np.maximum(i, 0)], np.nan)
    fc[(ic_s - fc) > MAX_SWING_S] = np.nan
    return ic_s, fc


def metric_differences(a: dict[str, float | None], b: dict[str, float | None]) -> dict[str, float | None]:
    """a - b per compared metric (as from :func:`asymmetry_metrics`), None where either is None."""
    return {name: None if a[name] is None or b[name] is None else a[name] - b[name] for name in METRICS}
