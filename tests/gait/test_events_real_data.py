"""IC/FC accuracy of the whole pipeline on the shared real recordings.

Thresholds sit a little below what benchmarks/gait_events.py measures (see
docs/validation.md), so a regression fails here while noise does not.
"""

from __future__ import annotations

import pytest

from anklet.validation.datasets import iter_trials
from anklet.validation.evaluation import score_pipeline


@pytest.fixture(scope="module")
def ipol_score(datasets_root):
    return score_pipeline(iter_trials("ipol-healthy-gait", datasets_root))


@pytest.fixture(scope="module")
def marpino_ankle_score(datasets_root):
    return score_pipeline(iter_trials("marpino-walking", datasets_root, placement="ankle"))


def test_foot_sensor_events_match_ipol_reference(ipol_score):
    ic, fc = ipol_score.initial_contacts, ipol_score.final_contacts
    assert ic.f1 >= 0.975 and fc.f1 >= 0.985
    assert abs(ic.bias_ms) <= 6.0 and abs(fc.bias_ms) <= 6.0
    assert ic.median_abs_error_ms <= 9.0 and fc.median_abs_error_ms <= 8.0


def test_shank_sensor_events_match_pressure_reference(marpino_ankle_score):
    ic, fc = marpino_ankle_score.initial_contacts, marpino_ankle_score.final_contacts
    assert ic.f1 >= 0.95 and fc.f1 >= 0.97
    assert abs(ic.bias_ms) <= 25.0 and abs(fc.bias_ms) <= 18.0
    assert ic.median_abs_error_ms <= 25.0 and fc.median_abs_error_ms <= 23.0
