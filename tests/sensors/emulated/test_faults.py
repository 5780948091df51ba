"""LinkFaults bookkeeping on an explicit clock."""

from __future__ import annotations

import pytest

from anklet.sensors.emulated.faults import LinkFaults, Verdict


def test_drop_next_drops_exactly_that_many() -> None:
    faults: LinkFaults[int] = LinkFaults()
    faults.drop_next(2)
    assert [faults.admit(0.0, i) for i in range(4)] == [Verdict.DROP, Verdict.DROP, Verdict.SEND, Verdict.SEND]


def test_pause_drops_or_holds_until_it_ends_then_releases_in_order() -> None:
    faults: LinkFaults[int] = LinkFaults()
    faults.pause(10.0, 1.0, keep_backlog=False)
    assert faults.admit(10.5, 1) is Verdict.DROP
    assert faults.admit(11.0, 2) is Verdict.SEND  # the window is [10, 11)

    faults.pause(20.0, 1.0, keep_backlog=True)
    assert [faults.admit(20.0 + k / 10, k) for k in range(3)] == [Verdict.HOLD] * 3
    assert faults.held == 3
    assert faults.release(20.9) == []
    assert faults.release(21.0) == [0, 1, 2]
    assert faults.held == 0 and faults.release(22.0) == []


def test_a_drop_waits_for_the_end_of_a_pause() -> None:
    faults: LinkFaults[str] = LinkFaults()
    faults.drop_next(1)
    faults.pause(0.0, 1.0, keep_backlog=True)
    assert faults.admit(0.5, "held") is Verdict.HOLD
    assert faults.admit(1.5, "dropped") is Verdict.DROP
    assert faults.admit(1.6, "sent") is Verdict.SEND


def test_invalid_arguments_are_refused() -> None:
    faults: LinkFaults[int] = LinkFaults()
    with pytest.raises(ValueError, match="count"):
        faults.drop_next(-1)
    with pytest.raises(ValueError, match="duration_s"):
        faults.pause(0.0, 0.0, keep_backlog=False)
