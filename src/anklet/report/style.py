"""Visual conventions shared by every figure and both renderers.

Left and right differ in colour, in lightness (so they survive grayscale printing),
in marker shape and in bar hatching. Colours are from the Okabe-Ito colour-blind
safe palette (Okabe M, Ito K. Color Universal Design, 2008): blue (dark) for the
left leg, orange (light) for the right.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from anklet.imu import Side

SIDE_COLOUR: Mapping[Side, str] = MappingProxyType({"left": "#0060a0", "right": "#e69f00"})
SIDE_MARKER: Mapping[Side, str] = MappingProxyType({"left": "o", "right": "s"})
SIDE_HATCH: Mapping[Side, str] = MappingProxyType({"left": "", "right": "////"})
SIDE_LINESTYLE: Mapping[Side, str] = MappingProxyType({"left": "-", "right": "--"})
#: Grey of the "typical healthy range" band.
HEALTHY_BAND_COLOUR = "#e4e4e4"
NEUTRAL_COLOUR = "#404040"
MUTED_COLOUR = "#707070"

#: Font sizes, points.
BODY_PT = 9.0
NOTE_PT = 7.5
TABLE_PT = 7.5
TITLE_PT = 16.0
HEADING_PT = {1: 12.5, 2: 10.0}

#: matplotlib settings for report figures: TrueType (Type 42) fonts in PDF so
#: text stays extractable; SVG text kept as text (searchable, small); fixed
#: SVG hash salt and no date so the same report gives the same bytes.
RC_PARAMS: Mapping[str, Any] = MappingProxyType(
    {
        "pdf.fonttype": 42,
        "svg.fonttype": "none",
        "svg.hashsalt": "anklet",
        "font.family": "DejaVu Sans",
        "font.size": 7.5,
        "axes.titlesize": 8.5,
        "axes.titleweight": "bold",
        "axes.labelsize": 7.5,
        "xtick.labelsize": 7.0,
        "ytick.labelsize": 7.0,
        "legend.fontsize": 7.0,
        "legend.frameon": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.linewidth": 0.6,
        "lines.linewidth": 1.2,
        "lines.markersize": 4.0,
        "hatch.linewidth": 0.6,
        "hatch.color": "#6b4a00",
        "axes.grid": True,
        "grid.color": "#d9d9d9",
        "grid.linewidth": 0.4,
        "axes.axisbelow": True,
    }
)
