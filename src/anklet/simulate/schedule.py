"""The event schedule of a session: when each leg's contacts happen (the ground
truth), the gait phase between them, the size of each swing and the turns.

Timing model (one gait bout = consecutive Walk/Turn entries between standings):

* Steps (IC to contralateral IC) are independent: nominal ``phase * T0`` from a
  left IC to the next right IC and ``(1 - phase) * T0`` from a right IC to the next
  left IC (``phase = contralateral_phase_deg / 360``), times
  ``turn_stride_time_factor`` in turning strides, times ``1 + cv_step * z`` with
  ``z`` standard normal truncated at +-3 and ``cv_step`` chosen so a stride (two
  steps) has the GaitSpec's CV.
* The leading leg (right in even-numbered bouts, left in odd ones) starts from
  standing with a virtual stride of ``T0 * (1 + cv * z)`` before its first IC; its
  first stance is the last ``f`` of it and ends with the bout's first FC. The other
  leg starts the same way one step later.
* Each stride keeps the leg's stance fraction ``f``: ``FC = IC_prev + f * stride``.
* After the last IC each leg has a final stance of ``f`` times its last stride in
  which it comes to rest; the bout ends when both legs have.

Swing sizes: the first and last swing of each leg in a bout get
``transition_swing_scale``; swings of turning strides get ``turn_swing_scale``. The
size changes smoothly (quintic smoothstep) in the middle of the stance before the
swing (30-70 % of the stance), away from the IC and FC signal features.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from anklet.imu import SIDES, Side
from anklet.simulate.specs import Bout, GaitSpec, SimulationSpecError, Stand, Turn, Walk

#: Size ramps occupy this part of a stance (fractions of the stance).
RAMP_WINDOW = (0.3, 0.7)


@dataclass(frozen=True)
class LegSchedule:
    """Contacts and phase of one leg over the session (session time, s).

    Swing ``j`` opens at ``final_contacts_s[j]`` and closes at
    ``initial_contacts_s[j]``; stride ``k`` of the truth runs from IC ``j`` to IC
    ``j + 1`` of the same bout.

    Attributes:
        side: "left" or "right".
        stance_fraction: stance / stride of this leg.
        initial_contacts_s, final_contacts_s: (n,) per swing.
        swing_scale: (n,) size of each swing relative to a steady one.
        swing_bout: (n,) gait bout index of each swing.
        swing_in_turn: (n,) True for swings of turning strides.
        knot_time_s, knot_phase: piecewise-linear gait phase (cycles; integer = IC).
        ramp_start_s, ramp_end_s, ramp_from, ramp_to: swing-size transitions.
    """

    side: Side
    stance_fraction: float
    initial_contacts_s: np.ndarray
    final_contacts_s: np.ndarray
    swing_scale: np.ndarray
    swing_bout: np.ndarray
    swing_in_turn: np.ndarray
    knot_time_s: np.ndarray
    knot_phase: np.ndarray
    ramp_start_s: np.ndarray
    ramp_end_s: np.ndarray
    ramp_from: np.ndarray
    ramp_to: np.ndarray

    def phase(self, time_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Gait phase (cycles) and its rate (cycles/s) at session times ``time_s``;
        the rate is 0 outside gait bouts' first and last knots."""
        if self.knot_time_s.size < 2:
            return np.zeros_like(time_s, dtype=float), np.zeros_like(
                time_s, dtype=float
            )
        phase = np.interp(time_s, self.knot_time_s, self.knot_phase)
        k = np.clip(
            np.searchsorted(self.knot_time_s, time_s, side="right") - 1,
            0,
            self.knot_time_s.size - 2,
        )
        rate = np.diff(self.knot_phase)[k] / np.diff(self.knot_time_s)[k]
        outside = (time_s < self.knot_time_s[0]) | (time_s >= self.knot_time_s[-1])
        return phase, np.where(outside, 0.0, rate)

    def size(self, time_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Swing size (0 when standing) and its time derivative (1/s) at ``time_s``."""
        if self.ramp_start_s.size == 0:
            return np.zeros_like(time_s, dtype=float), np.zeros_like(
                time_s, dtype=float
            )
        k = np.searchsorted(self.ramp_start_s, time_s, side="right") - 1
        before = k < 0
        k = np.maximum(k, 0)
        span = self.ramp_end_s[k] - self.ramp_start_s[k]
        x = np.clip((time_s - self.ramp_start_s[k]) / span, 0.0, 1.0)
        step = self.ramp_to[k] - self.ramp_from[k]
        size = self.ramp_from[k] + step * x**3 * (10.0 - 15.0 * x + 6.0 * x**2)
        rate = step * 30.0 * x**2 * (1.0 - x) ** 2 / span
        return np.where(before, 0.0, size), np.where(before, 0.0, rate)


@dataclass(frozen=True)
class Schedule:
    """Both legs' schedules and the session-level scenario.

    Attributes:
        legs: per side.
        duration_s: session length, s.
        gait_bouts_s: (n, 2) start and end of each gait bout, s.
        turns_s: (m, 2) start and end of each turn, s.
        turn_angle_deg: (m,) signed turn angles (positive = left turn).
    """

    legs: dict[Side, LegSchedule]
    duration_s: float
    gait_bouts_s: np.ndarray
    turns_s: np.ndarray
    turn_angle_deg: np.ndarray

    def yaw_rate_dps(self, time_s: np.ndarray) -> np.ndarray:
        """Body yaw rate about the vertical at ``time_s``, deg/s (raised-cosine
        profile over each turn: ``angle / D * (1 - cos(2 pi x))``)."""
        if self.turn_angle_deg.size == 0:
            return np.zeros_like(time_s, dtype=float)
        k = np.maximum(np.searchsorted(self.turns_s[:, 0], time_s, side="right") - 1, 0)
        start, end = self.turns_s[k, 0], self.turns_s[k, 1]
        inside = (time_s >= start) & (time_s < end)
        x = (time_s - start) / (end - start)
        return np.where(
            inside,
            self.turn_angle_deg[k] / (end - start) * (1.0 - np.cos(2.0 * np.pi * x)),
            0.0,
        )


@dataclass
class _LegBuilder:
    """Accumulates one leg's arrays bout by bout."""

    parts: dict[str, list[np.ndarray]]
    next_phase: float = 0.0

    @classmethod
    def empty(cls) -> _LegBuilder:
        names = (
            "ic", "fc", "scale", "bout", "turn", "knot_t", "knot_phase",
            "ramp_start", "ramp_end", "ramp_from", "ramp_to",
        )  # fmt: skip
        return cls({name: [] for name in names})

    def add(self, name: str, values: np.ndarray) -> None:
        self.parts[name].append(np.asarray(values))

    def array(self, name: str, dtype: type = float) -> np.ndarray:
        return (
            np.concatenate(self.parts[name]).astype(dtype)
            if self.parts[name]
            else np.zeros(0, dtype)
        )


def _gait_groups(bouts: Sequence[Bout]) -> list[Stand | list[Walk | Turn]]:
    """Group consecutive Walk/Turn entries into gait bouts.

    Raises:
        SimulationSpecError: an entry is not a Stand, Walk or Turn.
    """
    groups: list[Stand | list[Walk | Turn]] = []
    for i, bout in enumerate(bouts):
        if isinstance(bout, Stand):
            groups.append(bout)
        elif isinstance(bout, Walk | Turn):
            if groups and isinstance(groups[-1], list):
                groups[-1].append(bout)
            else:
                groups.append([bout])
        else:
            raise SimulationSpecError(
                f"bouts[{i}] is a {type(bout).__name__}: use anklet.simulate.Stand, Walk or Turn."
            )
    return groups


def _leg_bout(
    leg: _LegBuilder,
    ic: np.ndarray,
    first_stride_s: float,
    stance_fraction: float,
    scale: np.ndarray,
    in_turn: np.ndarray,
    bout: int,
) -> float:
    """Append one leg's part of a gait bout; return when the leg is at rest again.

    ``ic`` holds the leg's C + 1 ICs, ``scale``/``in_turn`` one value per swing.
    """
    f = stance_fraction
    virtual_ic = ic[0] - first_stride_s
    strides = np.diff(np.concatenate(([virtual_ic], ic)))
    fc = ic - (1.0 - f) * strides
    rest = ic[-1] + f * strides[-1]
    k0 = np.floor(leg.next_phase) + 1.0
    leg.add("knot_t", np.concatenate(([virtual_ic], ic, [rest])))
    leg.add(
        "knot_phase", k0 + np.concatenate((np.arange(ic.size + 1.0), [ic.size + f]))
    )
    leg.next_phase = k0 + ic.size + f
    stance_start = np.concatenate(([virtual_ic], ic))
    stance_end = np.concatenate((fc, [rest]))
    duration = stance_end - stance_start
    leg.add("ramp_start", stance_start + RAMP_WINDOW[0] * duration)
    leg.add("ramp_end", stance_start + RAMP_WINDOW[1] * duration)
    leg.add("ramp_from", np.concatenate(([0.0], scale)))
    leg.add("ramp_to", np.concatenate((scale, [0.0])))
    leg.add("ic", ic)
    leg.add("fc", fc)
    leg.add("scale", scale)
    leg.add("bout", np.full(ic.size, bout))
    leg.add("turn", in_turn)
    return float(rest)


def _bout_contacts(
    gait: GaitSpec,
    turning: np.ndarray,
    lead: Side,
    start_s: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, float]:
    """ICs of the leading and the other leg in one gait bout, and the virtual
    stride before the first IC (see the module docstring).

    Args:
        gait: the gait pattern.
        turning: (n,) True for turning strides of the bout.
        lead: the leg that starts.
        start_s: when the leading leg leaves standing, s.
        rng: variability source.
    """
    n = turning.size
    t0 = gait.stride_time_s
    right_phase = gait.contralateral_phase_deg / 360.0
    cv = gait.stride_time_cv_pct / 100.0
    # independent steps; a stride is two of them: this step CV gives the stride CV
    step_cv = cv / np.hypot(right_phase, 1.0 - right_phase)
    # IC k (alternating lead, other) follows IC k - 1 after one step; step k >= 1
    # belongs to the leading leg's stride (k - 1) // 2
    k = np.arange(1, 2 * n + 2)
    turning_step = np.concatenate((turning, [False]))[(k - 1) // 2]
    to_right = (k % 2 == 0) == (lead == "right")
    nominal = np.where(to_right, right_phase, 1.0 - right_phase) * t0
    nominal *= np.where(turning_step, gait.turn_stride_time_factor, 1.0)
    z = np.clip(rng.standard_normal(k.size + 1), -3.0, 3.0)
    first_stride = t0 * (1.0 + cv * z[0])
    steps = nominal * (1.0 + step_cv * z[1:])
    ic = start_s + first_stride + np.concatenate(([0.0], np.cumsum(steps)))
    return ic[0::2], ic[1::2], float(first_stride)


def build_schedule(
    gait: GaitSpec, bouts: Sequence[Bout], rng: np.random.Generator
) -> Schedule:
    """Lay out the contacts of both legs for a scenario.

    Args:
        gait: the gait pattern.
        bouts: Stand / Walk / Turn entries in order; consecutive Walk/Turn form one
            gait bout.
        rng: source of the stride-time variability.

    Returns:
        The schedule; the session starts at 0 s and ends when the last entry does.

    Raises:
        SimulationSpecError: an entry is of the wrong type or the scenario is empty.
    """
    if len(bouts) == 0:
        raise SimulationSpecError(
            "the scenario has no bouts: give at least one Stand, Walk or Turn."
        )
    fractions = dict(zip(SIDES, gait.stance_fractions(), strict=True))
    legs = {side: _LegBuilder.empty() for side in SIDES}
    time_s = 0.0
    gait_bouts: list[tuple[float, float]] = []
    turns: list[tuple[float, float, float]] = []
    for group in _gait_groups(bouts):
        if isinstance(group, Stand):
            time_s += group.duration_s
            continue
        b = len(gait_bouts)
        lead, other = SIDES[::-1] if b % 2 == 0 else SIDES
        turning = np.concatenate(
            [np.full(int(entry.strides), isinstance(entry, Turn)) for entry in group]
        )
        lead_ic, other_ic, first_stride = _bout_contacts(
            gait, turning, lead, time_s, rng
        )
        # swing j closes stride j - 1; swings 0 and n are the transition swings
        swing_turn = np.concatenate(([False], turning))
        scale = np.where(swing_turn, gait.turn_swing_scale, 1.0)
        scale[[0, -1]] = gait.transition_swing_scale
        ends = [
            _leg_bout(
                legs[side], side_ic, first_stride, fractions[side], scale, swing_turn, b
            )
            for side, side_ic in ((lead, lead_ic), (other, other_ic))
        ]
        gait_bouts.append((time_s, max(ends)))
        first = np.cumsum([0] + [int(entry.strides) for entry in group])
        turns.extend(
            (lead_ic[i], lead_ic[i + int(entry.strides)], entry.angle_deg)
            for entry, i in zip(group, first, strict=False)
            if isinstance(entry, Turn)
        )
        time_s = max(ends)
    leg_schedules = {
        side: LegSchedule(
            side=side,
            stance_fraction=fractions[side],
            initial_contacts_s=legs[side].array("ic"),
            final_contacts_s=legs[side].array("fc"),
            swing_scale=legs[side].array("scale"),
            swing_bout=legs[side].array("bout", int),
            swing_in_turn=legs[side].array("turn", bool),
            knot_time_s=legs[side].array("knot_t"),
            knot_phase=legs[side].array("knot_phase"),
            ramp_start_s=legs[side].array("ramp_start"),
            ramp_end_s=legs[side].array("ramp_end"),
            ramp_from=legs[side].array("ramp_from"),
            ramp_to=legs[side].array("ramp_to"),
        )
        for side in SIDES
    }
    turn_array = np.array(turns, dtype=float).reshape(-1, 3)
    return Schedule(
        legs=leg_schedules,
        duration_s=time_s,
        gait_bouts_s=np.array(gait_bouts, dtype=float).reshape(-1, 2),
        turns_s=turn_array[:, :2],
        turn_angle_deg=turn_array[:, 2],
    )
