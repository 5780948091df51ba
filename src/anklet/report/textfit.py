"""Measuring and wrapping text in a given font, for laying out pages."""

from __future__ import annotations

from functools import lru_cache

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

_TEXT_TO_PATH = TextToPath()
#: Reference size for measuring; widths scale linearly with the font size.
_REFERENCE_PT = 10.0


@lru_cache(maxsize=4096)
def _reference_width_pt(text: str, bold: bool) -> float:
    prop = FontProperties(family="DejaVu Sans", size=_REFERENCE_PT, weight="bold" if bold else "normal")
    width, _, _ = _TEXT_TO_PATH.get_text_width_height_descent(text, prop, ismath=False)
    return float(width)


def text_width_in(text: str, size_pt: float, bold: bool = False) -> float:
    """Width of one line of ``text`` in DejaVu Sans at ``size_pt``, inches."""
    return _reference_width_pt(text, bold) * size_pt / _REFERENCE_PT / 72.0


def wrap(text: str, width_in: float, size_pt: float, bold: bool = False) -> list[str]:
    """Greedy word wrap of ``text`` into lines no wider than ``width_in`` (a single
    over-long word keeps its own line). Explicit newlines are kept."""
    lines: list[str] = []
    space_in = text_width_in(" ", size_pt, bold)
    for paragraph in text.split("\n"):
        current: list[str] = []
        current_in = 0.0
        for word in paragraph.split():
            word_in = text_width_in(word, size_pt, bold)
            if current and current_in + space_in + word_in > width_in:
                lines.append(" ".join(current))
                current, current_in = [word], word_in
            else:
                current_in += (space_in if current else 0.0) + word_in
                current.append(word)
        lines.append(" ".join(current))
    return lines
