"""The renderer-neutral report: a title, a flow of blocks and a footer.

Session and progress reports are built once as a :class:`Report` (all numbers
already formatted, all sentences written) and rendered twice, by
:mod:`anklet.report.pdf` and :mod:`anklet.report.html`, so both outputs always say
the same thing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from matplotlib.figure import FigureBase

#: Width of the text and figures on the page, inches (A4 minus 0.6 in margins).
CONTENT_WIDTH_IN = 7.07


@dataclass(frozen=True)
class Heading:
    """A section title; level 1 starts a section, level 2 a subsection."""

    text: str
    level: Literal[1, 2] = 1


@dataclass(frozen=True)
class Paragraph:
    """Running text. ``style`` "note" is smaller and grey (legends, caveats)."""

    text: str
    style: Literal["body", "note"] = "body"


@dataclass(frozen=True)
class Table:
    """A table of already formatted cells.

    Attributes:
        header: column titles; empty for a key/value table without header.
        rows: one tuple of cell strings per row, as long as ``widths``.
        widths: relative column widths (the PDF scales them to the page width).
        align: one character per column, "l" (left) or "r" (right).
        notes: numbered footnotes printed under the table ("[1] ...").
        label: a short machine-readable name (the HTML ``id``), e.g. "asymmetry".
    """

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    align: str
    notes: tuple[str, ...] = ()
    label: str = ""


@dataclass(frozen=True)
class Figure:
    """A figure drawn by ``draw`` into a matplotlib figure or subfigure.

    Attributes:
        draw: callable filling the given (sub)figure, whose size is
            :data:`CONTENT_WIDTH_IN` x ``height_in``.
        height_in: height on the page, inches.
        caption: what the figure shows and how to read it (one or two sentences).
        label: a short machine-readable name (the HTML ``id``), e.g. "bars".
    """

    draw: Callable[[FigureBase], None]
    height_in: float
    caption: str
    label: str


@dataclass(frozen=True)
class PageBreak:
    """Start a new page in paged output (ignored by the HTML renderer)."""


Block = Heading | Paragraph | Table | Figure | PageBreak


@dataclass(frozen=True)
class Report:
    """A whole report, ready to render.

    Attributes:
        title: the report's title ("Gait asymmetry report").
        subtitle: one line under the title (subject, date).
        blocks: the content, in reading order.
        footer: the neutral disclaimer printed on every page.
    """

    title: str
    subtitle: str
    blocks: tuple[Block, ...]
    footer: str
