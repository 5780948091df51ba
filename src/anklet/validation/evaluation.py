"""Score the whole gait pipeline against a dataset's reference events.

One function shared by ``benchmarks/gait_events.py`` and the data tests, so both
measure the same thing.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from anklet.gait.pipeline import GaitPipeline
from anklet.validation.datasets.trial import Trial
from anklet.validation.matching import MatchSummary, combine, match_events

#: Matching tolerance of the project's accuracy targets, s.
TOLERANCE_S = 0.1


@dataclass(frozen=True)
class PipelineScore:
    """Pooled event matches over a set of trials.

    Attributes:
        initial_contacts: IC matches of every referenced leg, pooled.
        final_contacts: FC matches, pooled.
        n_trials: trials scored.
        n_legs: legs with a reference.
        samples_per_s: samples of both legs analysed per second of pipeline time.
    """

    initial_contacts: MatchSummary
    final_contacts: MatchSummary
    n_trials: int
    n_legs: int
    samples_per_s: float


def score_pipeline(trials: Iterable[Trial], tolerance_s: float = TOLERANCE_S) -> PipelineScore:
    """Run :class:`GaitPipeline` on every trial (its own placement) and match its events.

    Events are matched one-to-one within ``tolerance_s`` inside each trial's
    evaluation window (see :func:`anklet.validation.matching.match_events`).
    """
    ic, fc = [], []
    n_trials = samples = 0
    elapsed_s = 0.0
    for trial in trials:
        start = time.perf_counter()
        analysis = GaitPipeline(trial.placement).run(dict(trial.imu))
        elapsed_s += time.perf_counter() - start
        samples += sum(len(imu) for imu in trial.imu.values())
        n_trials += 1
        window = trial.evaluation_window_s
        for side, reference in trial.reference.items():
            leg = analysis.legs[side]
            ic.append(match_events(leg.initial_contacts_s, reference.initial_contacts_s, tolerance_s, window))
            fc.append(match_events(leg.final_contacts_s, reference.final_contacts_s, tolerance_s, window))
    return PipelineScore(
        initial_contacts=combine(ic),
        final_contacts=combine(fc),
        n_trials=n_trials,
        n_legs=len(ic),
        samples_per_s=samples / elapsed_s if elapsed_s > 0 else float("nan"),
    )
