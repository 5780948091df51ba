"""The progress figure: one small panel per metric, value and 95 % interval per
session against time, healthy range shaded, weighted trend line dashed."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import FigureBase

from anklet.report.change import Estimate
from anklet.report.figures import axes_grid
from anklet.report.style import HEALTHY_BAND_COLOUR, MUTED_COLOUR, NEUTRAL_COLOUR


@dataclass(frozen=True)
class ProgressPanel:
    """One metric over the sessions.

    Attributes:
        title: panel title with unit.
        estimates: per session (time order), value and 95 % interval.
        limit: upper limit of the typical healthy range of |value|.
        signed: True when the value has a sign (SI): the band is +/- limit.
    """

    title: str
    estimates: tuple[Estimate, ...]
    limit: float
    signed: bool


def _trend_line(x: np.ndarray, estimates: Sequence[Estimate]) -> tuple[np.ndarray, np.ndarray] | None:
    """End points of the weighted least-squares line (same weights as change.weekly_slope)."""
    keep = np.array([e.value is not None for e in estimates])
    if keep.sum() < 2 or np.ptp(x[keep]) == 0:
        return None
    y = np.array([e.value for e in estimates if e.value is not None], dtype=float)
    se = np.array([e.standard_error or 0.0 for e in estimates if e.value is not None])
    weights = 1.0 / se if np.all(se > 0) else None  # polyfit weights multiply residuals: 1 / SE
    slope, intercept = np.polyfit(x[keep], y, 1, w=weights)
    ends = np.array([x[keep].min(), x[keep].max()])
    return ends, slope * ends + intercept


def draw_progress(
    fig: FigureBase,
    panels: Sequence[ProgressPanel],
    x: Sequence[float],
    x_label: str,
    tick_labels: Sequence[str],
    ncols: int = 4,
) -> None:
    """Small multiples of every metric across sessions."""
    nrows = -(-len(panels) // ncols)
    axes = axes_grid(fig, nrows, ncols, left_in=0.45, wspace_in=0.45, hspace_in=0.95, top_in=0.4, bottom_in=0.7)
    xs = np.asarray(x, dtype=float)
    for ax, panel in zip(axes.flat, panels, strict=False):
        ax.axhspan(-panel.limit if panel.signed else 0.0, panel.limit, color=HEALTHY_BAND_COLOUR, linewidth=0)
        if panel.signed:
            ax.axhline(0.0, color=MUTED_COLOUR, linewidth=0.6)
        for xi, estimate in zip(xs, panel.estimates, strict=True):
            if estimate.value is None:
                continue
            error = None if estimate.ci95 is None else [[estimate.value - estimate.ci95[0]],
                                                         [estimate.ci95[1] - estimate.value]]
            ax.errorbar(xi, estimate.value, yerr=error, marker="o", markersize=3.5, color=NEUTRAL_COLOUR,
                        capsize=2.5, linewidth=0.9)
        line = _trend_line(xs, panel.estimates)
        if line is not None:
            ax.plot(*line, linestyle="--", color=NEUTRAL_COLOUR, linewidth=0.9)
        ax.set_title(textwrap.fill(panel.title, 28), loc="left", fontsize=7.5)
        ax.set_xticks(xs, tick_labels, rotation=45, ha="right", fontsize=6.0)
        ax.grid(axis="x", visible=False)
    for ax in axes.flat[len(panels):]:
        ax.set_visible(False)
    fig.supxlabel(x_label, fontsize=7.0, y=0.0, va="bottom")
