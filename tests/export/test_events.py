from __future__ import annotations

import numpy as np

from anklet.export import ExportSession, session_events
from anklet.export.events import KINDS

from .conftest import Analysed


def test_every_contact_bout_and_marker_once_in_time_order(
    analysed: Analysed, export_session_facts: ExportSession
) -> None:
    events = session_events(analysed.result, export_session_facts)
    assert np.all(np.diff(events.time_s) >= 0)
    assert set(events.kind) <= set(KINDS)
    kind, side = np.array(events.kind), np.array(events.side)
    for leg_side, leg in analysed.result.gait.legs.items():
        mine = side == leg_side
        np.testing.assert_array_equal(events.time_s[mine & (kind == "initial_contact")], leg.initial_contacts_s)
        np.testing.assert_array_equal(events.time_s[mine & (kind == "final_contact")], leg.final_contacts_s)
    bouts = analysed.result.gait.bouts
    is_bout = np.isin(kind, ("walk_bout", "run_bout"))
    assert is_bout.sum() == len(bouts) >= 1
    np.testing.assert_allclose(np.sort(events.duration_s[is_bout]), np.sort([b.duration_s for b in bouts]))
    assert (events.duration_s[np.isin(kind, ("initial_contact", "final_contact", "marker"))] == 0).all()
    markers = kind == "marker"
    assert events.time_s[markers].tolist() == [4.0] and side[markers].tolist() == [""]
