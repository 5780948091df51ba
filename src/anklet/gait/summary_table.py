"""A short plain-text table of the asymmetry results for the terminal.

One row per parameter: left and right means with units, Symmetry Index (positive =
right larger), the larger leg and a flag marker; notes and bilateral coordination
(GA, PCI) follow below the table. Fixed width, no colour codes.
"""

from __future__ import annotations

from collections.abc import Mapping

from anklet.gait.asymmetry import ParameterAsymmetry
from anklet.gait.coordination import BilateralCoordination

#: Decimal places of the left/right values, by unit.
_DECIMALS: Mapping[str, int] = {"s": 3, "steps/min": 1, "deg/s": 0}
_HEADER = ("parameter", "left", "right", "SI %", "larger", "flag")
_MISSING = "-"


def _value(mean: float | None, unit: str) -> str:
    return _MISSING if mean is None else f"{mean:.{_DECIMALS.get(unit, 3)}f} {unit}"


def _flag_marker(item: ParameterAsymmetry) -> str:
    if item.flag is None:
        return ""
    return "outside healthy range (uncertain)" if "uncertain" in item.flag else "outside healthy range"


def _larger(item: ParameterAsymmetry) -> str:
    """The larger leg; "=" when the means are equal or the SI shows as 0.0."""
    shows_zero = item.symmetry_index_pct is not None and abs(item.symmetry_index_pct) < 0.05
    if item.larger_side is not None and not shows_zero:
        return item.larger_side
    return "=" if item.left.mean is not None and item.right.mean is not None else _MISSING


def _ci(ci95: tuple[float, float] | None, unit: str) -> str:
    return "" if ci95 is None else f"  (95 % CI {ci95[0]:.1f} to {ci95[1]:.1f}{unit})"


def _bilateral_lines(bilateral: BilateralCoordination) -> list[str]:
    ga, pci = bilateral.gait_asymmetry_pct, bilateral.phase_coordination_index_pct
    ga_text = _MISSING if ga is None else f"{ga:.1f}"
    pci_text = _MISSING if pci is None else f"{pci:.1f} %"
    reference = (
        f"  [reference: {bilateral.reference_side} leg, {bilateral.n_strides} strides]" if pci is not None else ""
    )
    lines = [
        f"Gait asymmetry GA:         {ga_text}{_ci(bilateral.gait_asymmetry_ci95, '')}",
        f"Phase coordination index:  {pci_text}{_ci(bilateral.phase_coordination_index_ci95, ' %')}{reference}",
    ]
    return lines + [f"  ! {flag}" for flag in bilateral.flags]


def format_asymmetry_table(
    parameters: Mapping[str, ParameterAsymmetry], bilateral: BilateralCoordination | None = None
) -> str:
    """Render asymmetry results as a fixed-width plain-text table.

    Args:
        parameters: output of :func:`anklet.gait.asymmetry.session_asymmetry`.
        bilateral: output of :func:`anklet.gait.coordination.bilateral_coordination`,
            or None to leave GA/PCI out.

    Returns:
        Multi-line text ending without a newline: a header, one row per parameter
        (left, right with units; SI in % with sign, positive = right larger; the larger
        leg; a flag marker), numbered notes, then GA and PCI with 95 % intervals and
        their flags. Missing values print as "-".
    """
    rows = []
    notes: dict[str, int] = {}  # note text -> footnote number; identical notes share one
    for name, item in parameters.items():
        flag = _flag_marker(item)
        details = "; ".join(text for text in (item.flag, item.note) if text)
        if details:
            number = notes.setdefault(details, len(notes) + 1)
            flag = f"{flag} [{number}]".strip()
        si = _MISSING if item.symmetry_index_pct is None else f"{item.symmetry_index_pct:+.1f}"
        left, right = _value(item.left.mean, item.unit), _value(item.right.mean, item.unit)
        rows.append((name, left, right, si, _larger(item), flag))

    widths = [max(len(row[i]) for row in [_HEADER, *rows]) for i in range(len(_HEADER) - 1)]
    right_aligned = {3}

    def line(cells: tuple[str, ...]) -> str:
        padded = [
            cell.rjust(width) if i in right_aligned else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(cells[:-1], widths, strict=True))
        ]
        return "  ".join([*padded, cells[-1]]).rstrip()

    table = [line(_HEADER), "  ".join("-" * w for w in widths) + "  ----", *map(line, rows)]
    legend = "SI = 100 (R - L) / (0.5 (R + L)); positive = right larger."
    bilateral_part = [] if bilateral is None else ["", *_bilateral_lines(bilateral)]
    footnotes = [f"[{number}] {text}" for text, number in notes.items()]
    return "\n".join([*table, legend, *footnotes, *bilateral_part])
