"""Fault state of a notification path: lost notifications, silences, held-back backlogs.

Pure bookkeeping on the caller's clock (seconds); the peripheral asks
:meth:`LinkFaults.admit` what to do with each notification and sends what
:meth:`LinkFaults.release` returns once a silence is over.
"""

from __future__ import annotations

import math
from collections import deque
from enum import Enum
from typing import Generic, TypeVar

_T = TypeVar("_T")


class Verdict(Enum):
    """What happens to one notification."""

    SEND = "send"
    DROP = "drop"
    HOLD = "hold"


class LinkFaults(Generic[_T]):
    """Pending faults of one link: ``drop_next`` count and one ``pause`` window.

    Items are whatever the caller needs to send later (e.g. characteristic
    and payload).
    """

    def __init__(self) -> None:
        self._drop_remaining = 0
        self._paused_until_s = -math.inf
        self._keep_backlog = False
        self._backlog: deque[_T] = deque()

    @property
    def held(self) -> int:
        """Number of items held back by a pause with backlog."""
        return len(self._backlog)

    def drop_next(self, count: int) -> None:
        """Drop the next ``count`` admitted items.

        Raises:
            ValueError: ``count`` is negative.
        """
        if count < 0:
            raise ValueError(f"count must be >= 0, got {count}")
        self._drop_remaining += count

    def pause(self, now_s: float, duration_s: float, keep_backlog: bool) -> None:
        """Silence the link from ``now_s`` for ``duration_s`` seconds, dropping or holding what comes.

        Raises:
            ValueError: ``duration_s`` is not positive.
        """
        if duration_s <= 0:
            raise ValueError(f"duration_s must be > 0, got {duration_s}")
        self._paused_until_s = now_s + duration_s
        self._keep_backlog = keep_backlog

    def is_paused(self, now_s: float) -> bool:
        """True inside a pause window."""
        return now_s < self._paused_until_s

    def admit(self, now_s: float, item: _T) -> Verdict:
        """Decide the fate of ``item`` at ``now_s``: held or dropped in a pause, else dropped if due, else sent."""
        if self.is_paused(now_s):
            if self._keep_backlog:
                self._backlog.append(item)
                return Verdict.HOLD
            return Verdict.DROP
        if self._drop_remaining > 0:
            self._drop_remaining -= 1
            return Verdict.DROP
        return Verdict.SEND

    def release(self, now_s: float) -> list[_T]:
        """The held items, oldest first, once the pause is over (empty inside it)."""
        if self.is_paused(now_s):
            return []
        released = list(self._backlog)
        self._backlog.clear()
        return released
