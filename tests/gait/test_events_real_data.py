"""IC/FC accuracy of the whole pipeline on the shared real recordings.

Thresholds sit a little below what benchmarks/gait_events.py measures (see
docs/validation.md), so a regression fails here while noise does not.
"""

from __future__ import annotations

import pytest

from anklet.gait.pipeline import GaitPipeline
from anklet.validation.datasets import iter_trials
from anklet.validation.matching import MatchSummary, combine, match_events

TOLERANCE_S = 0.1


def _pooled(trials) -> tuple[MatchSummary, MatchSummary]:
    ic, fc = [], []
    for trial in trials:
        analysis = GaitPipeline(trial.placement).run(dict(trial.imu))
        window = trial.evaluation_window_s
        for side, reference in trial.reference.items():
            leg = analysis.legs[side]
            ic.append(match_events(leg.initial_contacts_s, reference.initial_contacts_s, TOLERANCE_S, window))
            fc.append(match_events(leg.final_contacts_s, reference.final_contacts_s, TOLERANCE_S, window))
    return combine(ic), combine(fc)


@pytest.fixture(scope="module")
def ipol_matches(datasets_root):
    return _pooled(iter_trials("ipol-healthy-gait", datasets_root))


@pytest.fixture(scope="module")
def marpino_ankle_matches(datasets_root):
    return _pooled(iter_trials("marpino-walking", datasets_root, placement="ankle"))


def test_foot_sensor_events_match_ipol_reference(ipol_matches):
    ic, fc = ipol_matches
    assert ic.f1 >= 0.97 and fc.f1 >= 0.98
    assert abs(ic.bias_ms) <= 6.0 and abs(fc.bias_ms) <= 6.0
    assert ic.median_abs_error_ms <= 9.0 and fc.median_abs_error_ms <= 8.0


def test_shank_sensor_events_match_pressure_reference(marpino_ankle_matches):
    ic, fc = marpino_ankle_matches
    assert ic.f1 >= 0.95 and fc.f1 >= 0.97
    assert abs(ic.bias_ms) <= 25.0 and abs(fc.bias_ms) <= 18.0
    assert ic.median_abs_error_ms <= 25.0 and fc.median_abs_error_ms <= 23.0
