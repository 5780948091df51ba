"""One time-ordered table of everything that happened in a session: gait events,
bouts, data gaps and operator markers. The CSV and BIDS events files both come
from it, so they always agree."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from anklet.analysis import AnalysisResult
from anklet.export.session import ExportSession

#: Event kinds, in the order documented in docs/exports.md.
KINDS: tuple[str, ...] = ("walk_bout", "run_bout", "data_gap", "initial_contact", "final_contact", "marker")


@dataclass(frozen=True)
class EventTable:
    """Events sorted by time (columns are (n,) arrays / tuples).

    Attributes:
        time_s: onset, session seconds.
        duration_s: 0 for instants (contacts, markers), else the span (bouts, gaps), s.
        side: "left"/"right" for a leg's event, "" for both legs (bouts, markers).
        kind: one of :data:`KINDS`.
        text: marker text ("" for other kinds).
    """

    time_s: np.ndarray
    duration_s: np.ndarray
    side: tuple[str, ...]
    kind: tuple[str, ...]
    text: tuple[str, ...]

    def __len__(self) -> int:
        return int(self.time_s.shape[0])


def session_events(result: AnalysisResult, session: ExportSession) -> EventTable:
    """All events of one analysed session.

    Contacts are every IC and FC the analysis found (including those of excluded
    strides); bouts come from ``result.gait.bouts``; gaps are each leg's data
    gaps, bridged or not; markers are ``session.markers`` (texts already
    redacted by the privacy rule). Ties keep the order of :data:`KINDS`, then
    left before right.

    Args:
        result: the analysis of the session.
        session: the exportable session facts.
    """
    legs = result.gait.legs
    blocks = [_block(leg.initial_contacts_s, None, side, "initial_contact") for side, leg in legs.items()]
    blocks += [_block(leg.final_contacts_s, None, side, "final_contact") for side, leg in legs.items()]
    for activity in ("walk", "run"):
        bouts = [b for b in result.gait.bouts if b.activity == activity]
        blocks.append(_block([b.start_s for b in bouts], [b.duration_s for b in bouts], "", f"{activity}_bout"))
    for side, leg in legs.items():
        blocks.append(_block([g.start_s for g in leg.gaps], [g.end_s - g.start_s for g in leg.gaps], side, "data_gap"))
    markers = session.markers
    blocks.append(_block([m.time_s for m in markers], None, "", "marker", tuple(m.text for m in markers)))

    time_s = np.concatenate([b.time_s for b in blocks])
    kind = tuple(k for b in blocks for k in b.kind)
    side = tuple(s for b in blocks for s in b.side)
    kind_rank = np.array([KINDS.index(k) for k in kind], dtype=int)
    side_rank = np.array([("", "left", "right").index(s) for s in side], dtype=int)
    order = np.lexsort((side_rank, kind_rank, time_s)).tolist()
    text = tuple(t for b in blocks for t in b.text)
    return EventTable(
        time_s=time_s[order],
        duration_s=np.concatenate([b.duration_s for b in blocks])[order],
        side=tuple(side[i] for i in order),
        kind=tuple(kind[i] for i in order),
        text=tuple(text[i] for i in order),
    )


def _block(
    time_s: Sequence[float] | np.ndarray,
    duration_s: Sequence[float] | None,
    side: str,
    kind: str,
    text: tuple[str, ...] | None = None,
) -> EventTable:
    """Events of one kind and side (instants when ``duration_s`` is None)."""
    times = np.asarray(time_s, dtype=float)
    n = len(times)
    return EventTable(
        time_s=times,
        duration_s=np.zeros(n) if duration_s is None else np.asarray(duration_s, dtype=float),
        side=(side,) * n,
        kind=(kind,) * n,
        text=("",) * n if text is None else text,
    )
