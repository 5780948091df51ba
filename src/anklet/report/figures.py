"""Session figures. Each ``draw_*`` function fills a matplotlib figure or subfigure
(the PDF page region or the standalone HTML figure) of width
:data:`anklet.report.document.CONTENT_WIDTH_IN`; the data arrive ready-made.

Margins are set in inches (:func:`axes_grid`), not by an automatic layout engine,
so a figure looks the same on the PDF page and in the HTML file and drawing stays
fast.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import FigureBase
from matplotlib.patches import Patch

from anklet.gait.strides import StrideTable
from anklet.imu import SIDES, Side
from anklet.report.gait_cycle import CycleAverage
from anklet.report.style import (
    HEALTHY_BAND_COLOUR,
    MUTED_COLOUR,
    NEUTRAL_COLOUR,
    SIDE_COLOUR,
    SIDE_HATCH,
    SIDE_LINESTYLE,
    SIDE_MARKER,
)

#: Above this many points per series, stride markers are rasterised (at 200 dpi)
#: to keep files small; axes, text and lines stay vector.
RASTERIZE_ABOVE_POINTS = 800


def axes_grid(
    fig: FigureBase,
    nrows: int,
    ncols: int,
    *,
    left_in: float = 0.6,
    right_in: float = 0.15,
    top_in: float = 0.3,
    bottom_in: float = 0.45,
    wspace_in: float = 0.55,
    hspace_in: float = 0.55,
    width_ratios: Sequence[float] | None = None,
) -> np.ndarray:
    """A (nrows, ncols) array of axes with margins and gaps given in inches.

    Raises:
        ValueError: if the margins leave no room for the axes.
    """
    width_in = fig.bbox.width / fig.figure.dpi
    height_in = fig.bbox.height / fig.figure.dpi
    axes_w = (width_in - left_in - right_in - (ncols - 1) * wspace_in) / ncols
    axes_h = (height_in - top_in - bottom_in - (nrows - 1) * hspace_in) / nrows
    if axes_w <= 0 or axes_h <= 0:
        raise ValueError(f"no room for {nrows}x{ncols} axes in {width_in:.2f} x {height_in:.2f} in")
    return fig.subplots(
        nrows,
        ncols,
        squeeze=False,
        gridspec_kw={
            "left": left_in / width_in,
            "right": 1.0 - right_in / width_in,
            "bottom": bottom_in / height_in,
            "top": 1.0 - top_in / height_in,
            "wspace": wspace_in / axes_w,
            "hspace": hspace_in / axes_h,
            "width_ratios": width_ratios,
        },
    )


def _side_legend(fig: FigureBase, kind: str) -> None:
    """A left/right legend at the top right of the figure ("bar", "marker" or "line")."""
    if kind == "bar":
        handles = [
            Patch(facecolor=SIDE_COLOUR[s], hatch=SIDE_HATCH[s], edgecolor=NEUTRAL_COLOUR, label=s) for s in SIDES
        ]
    else:
        from matplotlib.lines import Line2D

        handles = [
            Line2D(
                [], [], color=SIDE_COLOUR[s], marker=SIDE_MARKER[s], label=s,
                linestyle=SIDE_LINESTYLE[s] if kind == "line" else "none",
            )
            for s in SIDES
        ]
    fig.legend(handles=handles, loc="upper right", ncols=2, bbox_to_anchor=(1.0, 1.0), borderaxespad=0.0)


@dataclass(frozen=True)
class LegBar:
    """One parameter of the left-vs-right bar panel.

    Attributes:
        title: panel title, e.g. "swing time (s)".
        mean: per side, the mean (None if missing).
        ci95: per side, the 95 % interval of the mean (None if missing).
        annotation: text under the title, e.g. "SI +8.0 %".
    """

    title: str
    mean: Mapping[Side, float | None]
    ci95: Mapping[Side, tuple[float, float] | None]
    annotation: str


def draw_leg_bars(fig: FigureBase, bars: Sequence[LegBar], ncols: int = 4) -> None:
    """Left vs right bars (mean) with 95 % interval whiskers, one small panel per parameter."""
    nrows = -(-len(bars) // ncols)
    axes = axes_grid(fig, nrows, ncols, left_in=0.45, wspace_in=0.5, hspace_in=0.55, top_in=0.62, bottom_in=0.2)
    for ax, bar in zip(axes.flat, bars, strict=False):
        for x, side in enumerate(SIDES):
            mean = bar.mean[side]
            if mean is None:
                ax.text(x, 0.0, "n/a", ha="center", va="bottom", color=MUTED_COLOUR)
                continue
            ax.bar(
                x, mean, width=0.62, color=SIDE_COLOUR[side], hatch=SIDE_HATCH[side],
                edgecolor=NEUTRAL_COLOUR, linewidth=0.5,
            )
            ci = bar.ci95[side]
            if ci is not None:
                ax.errorbar(
                    x, mean, yerr=[[mean - ci[0]], [ci[1] - mean]], color="black",
                    capsize=3, linewidth=0.9, marker=SIDE_MARKER[side], markersize=3, markerfacecolor="white",
                )
        ax.set_title(f"{bar.title}\n{bar.annotation}", fontsize=7.5, loc="left", linespacing=1.3)
        ax.set_xticks([0, 1], ["L", "R"])
        ax.set_xlim(-0.6, 1.6)
        ax.grid(axis="x", visible=False)
    for ax in axes.flat[len(bars):]:
        ax.set_visible(False)
    _side_legend(fig, "bar")


def _time_scale(duration_s: float) -> tuple[float, str]:
    """Divide seconds by this to get the plotted unit: minutes beyond 5 minutes."""
    return (60.0, "min") if duration_s > 300.0 else (1.0, "s")


def draw_stride_timeline(
    fig: FigureBase,
    tables: Mapping[Side, StrideTable],
    columns: Sequence[tuple[str, str]],
    duration_s: float,
) -> None:
    """Every stride's value against its start time, per leg; excluded strides as grey crosses.

    Args:
        fig: the (sub)figure to fill.
        tables: per side, the stride table.
        columns: (StrideTable column, panel title) per panel.
        duration_s: session length, s (chooses seconds or minutes on the x axis).
    """
    scale, unit = _time_scale(duration_s)
    ncols = 2
    nrows = -(-len(columns) // ncols)
    axes = axes_grid(fig, nrows, ncols, top_in=0.4, hspace_in=0.5, bottom_in=0.42)
    for ax, (column, title) in zip(axes.flat, columns, strict=False):
        for side in SIDES:
            table = tables[side]
            t = table.start_s / scale
            values = np.asarray(getattr(table, column), dtype=float)
            keep = table.included
            raster = keep.size > RASTERIZE_ABOVE_POINTS
            ax.plot(
                t[keep], values[keep], linestyle="none", marker=SIDE_MARKER[side], markersize=2.6,
                color=SIDE_COLOUR[side], markeredgewidth=0.3, markeredgecolor=NEUTRAL_COLOUR, rasterized=raster,
            )
            ax.plot(
                t[~keep], values[~keep], linestyle="none", marker="x", markersize=2.6,
                color=MUTED_COLOUR, markeredgewidth=0.6, rasterized=raster,
            )
        ax.set_title(title, loc="left")
        ax.set_xlabel(f"time ({unit})", labelpad=1)
    for ax in axes.flat[len(columns):]:
        ax.set_visible(False)
    _side_legend(fig, "marker")


@dataclass(frozen=True)
class TrendSeries:
    """One line of the within-session trend panel.

    Attributes:
        label: legend label, e.g. "swing time SI".
        mid_s: (n,) window centres, s.
        values: (n,) values (NaN where not computable).
        reliable: (n,) False for windows with too few strides (drawn hollow).
        marker: marker of this series.
        linestyle: line style of this series.
    """

    label: str
    mid_s: np.ndarray
    values: np.ndarray
    reliable: np.ndarray
    marker: str
    linestyle: str


def _plot_series(ax: Axes, series: TrendSeries, scale: float) -> None:
    t = series.mid_s / scale
    line = ax.plot(t, series.values, linestyle=series.linestyle, marker=series.marker, markersize=3.5,
                   color=NEUTRAL_COLOUR, label=series.label, linewidth=0.9)[0]
    weak = ~series.reliable
    ax.plot(t[weak], series.values[weak], linestyle="none", marker=series.marker, markersize=3.5,
            markerfacecolor="white", color=line.get_color())


def draw_trend(
    fig: FigureBase,
    si_series: Sequence[TrendSeries],
    ga_series: TrendSeries,
    si_limit_pct: float,
    ga_limit: float,
    duration_s: float,
) -> None:
    """SI of several parameters and GA per window through the session, healthy range shaded."""
    scale, unit = _time_scale(duration_s)
    ax_si, ax_ga = axes_grid(fig, 1, 2, width_ratios=(1.6, 1.0), top_in=0.3, bottom_in=0.75)[0]
    ax_si.axhspan(-si_limit_pct, si_limit_pct, color=HEALTHY_BAND_COLOUR, linewidth=0, label="typical healthy range")
    ax_si.axhline(0.0, color=MUTED_COLOUR, linewidth=0.6)
    for series in si_series:
        _plot_series(ax_si, series, scale)
    ax_si.set_title("Symmetry index per window (positive = right larger)", loc="left")
    ax_si.set_ylabel("SI (%)")
    ax_si.set_xlabel(f"time ({unit})", labelpad=1)
    ax_si.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=4, fontsize=6.5)
    ax_ga.axhspan(0.0, ga_limit, color=HEALTHY_BAND_COLOUR, linewidth=0)
    _plot_series(ax_ga, ga_series, scale)
    ax_ga.set_ylim(bottom=0.0)
    ax_ga.set_title("Gait asymmetry GA per window", loc="left")
    ax_ga.set_xlabel(f"time ({unit})", labelpad=1)


def draw_gait_cycle(fig: FigureBase, cycles: Mapping[Side, CycleAverage]) -> None:
    """Both legs' average sagittal angular velocity over the normalised stride, mean +/- 1 SD."""
    (ax,) = axes_grid(fig, 1, 1, top_in=0.3, bottom_in=0.45, left_in=0.65)[0]
    ax.axhline(0.0, color=MUTED_COLOUR, linewidth=0.6)
    for side in SIDES:
        cycle = cycles.get(side)
        if cycle is None:
            continue
        colour = SIDE_COLOUR[side]
        ax.fill_between(cycle.percent, cycle.mean_dps - cycle.sd_dps, cycle.mean_dps + cycle.sd_dps,
                        color=colour, alpha=0.18, linewidth=0)
        ax.plot(cycle.percent, cycle.mean_dps, color=colour, linestyle=SIDE_LINESTYLE[side], linewidth=1.5,
                marker=SIDE_MARKER[side], markevery=10, markersize=3.5,
                label=f"{side} ({cycle.n_strides} strides)")
        if cycle.toe_off_pct is not None:
            ax.axvline(cycle.toe_off_pct, color=colour, linestyle=SIDE_LINESTYLE[side], linewidth=0.9)
            ax.annotate(f"{side} toe-off {cycle.toe_off_pct:.0f} %", (cycle.toe_off_pct, 1.0),
                        xycoords=("data", "axes fraction"), xytext=(3, -10 if side == "left" else -20),
                        textcoords="offset points", fontsize=6.5, color=NEUTRAL_COLOUR)
    ax.set_xlim(0, 100)
    ax.set_xlabel("stride (%): 0 = initial contact, 100 = next initial contact of the same leg", labelpad=1)
    ax.set_ylabel("sagittal angular velocity (deg/s)")
    ax.set_title("Average gait cycle (mean ± 1 SD, positive = forward swing)", loc="left")
    ax.legend(loc="upper left")


@dataclass(frozen=True)
class QualityTimeline:
    """What happened on one leg's data stream, for the quality panel (times in s).

    Attributes:
        bouts: (start, end, activity) of every bout (both legs share them).
        gaps: (start, end, bridged) of every data gap of this leg.
        disconnections_s: times the link dropped.
        stride_counts: reason ("included" or an exclusion reason) -> count.
    """

    bouts: Sequence[tuple[float, float, str]]
    gaps: Sequence[tuple[float, float, bool]]
    disconnections_s: Sequence[float]
    stride_counts: Mapping[str, int]


#: Fill of each stride category in the quality panel (grey levels + hatches).
_REASON_STYLE: Mapping[str, tuple[str, str]] = {
    "included": ("#4d4d4d", ""),
    "first_stride_of_bout": ("#bdbdbd", ""),
    "last_stride_of_bout": ("#d9d9d9", "...."),
    "turn": ("#ffffff", "////"),
    "gap": ("#969696", "xxx"),
    "implausible_duration": ("#f0f0f0", "\\\\\\\\"),
}


def draw_quality(fig: FigureBase, legs: Mapping[Side, QualityTimeline], duration_s: float) -> None:
    """Per leg: a session strip (bouts, gaps, disconnections) and strides by inclusion reason."""
    scale, unit = _time_scale(duration_s)
    ax_time, ax_count = axes_grid(fig, 1, 2, width_ratios=(1.5, 1.0), left_in=0.5, wspace_in=1.0,
                                  top_in=0.3, bottom_in=0.7)[0]
    min_width = duration_s / scale / 400.0  # so a one-sample gap stays visible
    for y, side in enumerate(SIDES):
        leg = legs[side]
        for activity, hatch in (("walk", ""), ("run", "////")):
            spans = [(start / scale, (end - start) / scale) for start, end, kind in leg.bouts if kind == activity]
            ax_time.broken_barh(spans, (y - 0.25, 0.5), facecolors="#d0d0d0", hatch=hatch,
                                edgecolor="#909090", linewidth=0.3)
        for bridged, colour in ((True, MUTED_COLOUR), (False, "black")):
            spans = [(start / scale, max((end - start) / scale, min_width))
                     for start, end, kind in leg.gaps if kind == bridged]
            ax_time.broken_barh(spans, (y - 0.4, 0.8), facecolors=colour, linewidth=0)
        if leg.disconnections_s:
            ax_time.plot(np.asarray(leg.disconnections_s) / scale, np.full(len(leg.disconnections_s), y + 0.45),
                         linestyle="none", marker="v", color="black", markersize=4)
    ax_time.set_yticks([0, 1], list(SIDES))
    ax_time.set_ylim(-0.7, 1.9)
    ax_time.set_xlim(0, duration_s / scale)
    ax_time.set_xlabel(f"time ({unit})", labelpad=1)
    ax_time.set_title("Data stream", loc="left")
    ax_time.grid(axis="y", visible=False)
    ax_time.legend(
        handles=[
            Patch(facecolor="#d0d0d0", edgecolor="#909090", label="walking"),
            Patch(facecolor="#d0d0d0", edgecolor="#909090", hatch="////", label="running"),
            Patch(facecolor=MUTED_COLOUR, label="gap (bridged)"),
            Patch(facecolor="black", label="gap (split)"),
        ],
        loc="upper center", bbox_to_anchor=(0.5, -0.22), ncols=4, fontsize=6.5,
    )
    reasons = [r for r in _REASON_STYLE if any(legs[s].stride_counts.get(r, 0) for s in SIDES)]
    reasons += sorted({r for s in SIDES for r in legs[s].stride_counts} - set(reasons))
    lefts = np.zeros(len(SIDES))
    for reason in reasons:
        counts = np.array([legs[s].stride_counts.get(reason, 0) for s in SIDES], dtype=float)
        colour, hatch = _REASON_STYLE.get(reason, ("#a0a0a0", "++"))
        ax_count.barh(np.arange(len(SIDES)), counts, left=lefts, height=0.55, color=colour, hatch=hatch,
                      edgecolor=NEUTRAL_COLOUR, linewidth=0.4, label=reason.replace("_", " "))
        lefts += counts
    ax_count.set_yticks(np.arange(len(SIDES)), list(SIDES))
    ax_count.set_xlabel("strides", labelpad=1)
    ax_count.set_title("Strides: used and excluded (why)", loc="left")
    ax_count.grid(axis="y", visible=False)
    ax_count.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncols=2, fontsize=6.0)
