"""IC/FC accuracy of the whole pipeline on the shared real recordings.

Thresholds sit a little below what benchmarks/gait_events.py measures (see
docs/validation.md), so a regression fails here while noise does not.
"""

from __future__ import annotations

import numpy as np
import pytest

from anklet.gait.pipeline import GaitPipeline
from anklet.validation.datasets import ipol, marpino
from anklet.validation.matching import MatchSummary, combine, match_events

TOLERANCE_S = 0.1


def _pooled(trials) -> tuple[MatchSummary, MatchSummary]:
    ic, fc = [], []
    for trial in trials:
        analysis = GaitPipeline(trial.placement).run(dict(trial.imu))
        lo, hi = trial.evaluation_window_s or (-np.inf, np.inf)
        for side, reference in trial.reference.items():
            leg = analysis.legs[side]
            inside = lambda t: t[(t >= lo - TOLERANCE_S) & (t <= hi + TOLERANCE_S)]  # noqa: E731
            ic.append(match_events(inside(leg.initial_contacts_s), reference.initial_contacts_s, TOLERANCE_S))
            fc.append(match_events(inside(leg.final_contacts_s), reference.final_contacts_s, TOLERANCE_S))
    return combine(ic), combine(fc)


@pytest.fixture(scope="module")
def ipol_matches(datasets_root):
    folder = datasets_root / "ipol-healthy-gait"
    return _pooled([t for name in ipol.list_names(folder) for t in ipol.load(folder, name)])


@pytest.fixture(scope="module")
def marpino_ankle_matches(datasets_root):
    folder = datasets_root / "marpino-walking"
    trials = [t for name in marpino.list_names(folder) for t in marpino.load(folder, name)]
    return _pooled([t for t in trials if t.placement == "ankle"])


def test_foot_sensor_events_match_ipol_reference(ipol_matches):
    ic, fc = ipol_matches
    assert ic.f1 >= 0.95 and fc.f1 >= 0.96
    assert abs(ic.bias_ms) <= 6.0 and abs(fc.bias_ms) <= 6.0
    assert ic.median_abs_error_ms <= 9.0 and fc.median_abs_error_ms <= 8.0


def test_shank_sensor_events_match_pressure_reference(marpino_ankle_matches):
    ic, fc = marpino_ankle_matches
    assert ic.f1 >= 0.94 and fc.f1 >= 0.96
    assert abs(ic.bias_ms) <= 25.0 and abs(fc.bias_ms) <= 18.0
    assert ic.median_abs_error_ms <= 25.0 and fc.median_abs_error_ms <= 23.0
