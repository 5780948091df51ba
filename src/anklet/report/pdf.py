"""Render a :class:`~anklet.report.document.Report` to an A4 PDF with matplotlib.

Pages are matplotlib figures of A4 size; blocks flow from top to bottom and a
block that does not fit starts a new page. Text is drawn as text with TrueType
(Type 42) fonts, so ``pdftotext`` and screen readers get the words and numbers;
figures are vector (dense stride markers rasterised, see
:data:`anklet.report.figures.RASTERIZE_ABOVE_POINTS`). Every page carries the
footer and "page i of n".
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure as MplFigure
from matplotlib.gridspec import GridSpec
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from anklet.report.document import (
    CONTENT_WIDTH_IN,
    Block,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    Report,
    Table,
)
from anklet.report.style import (
    BODY_PT,
    HEADING_PT,
    MUTED_COLOUR,
    NOTE_PT,
    RC_PARAMS,
    TABLE_PT,
    TITLE_PT,
)
from anklet.report.textfit import wrap

PAGE_IN = (8.27, 11.69)
LEFT_IN = (PAGE_IN[0] - CONTENT_WIDTH_IN) / 2.0
TOP_IN = 0.6
BOTTOM_IN = 0.8
TITLE_BLOCK_IN = 0.75
LINE_SPACING = 1.3
CELL_PAD_IN = 0.04
GAP_AFTER_IN = 0.12


def _line_in(size_pt: float) -> float:
    return size_pt * LINE_SPACING / 72.0


@dataclass(frozen=True)
class _Placed:
    """A block and its height on the page, inches."""

    block: Block
    height_in: float


def _cell_lines(table: Table) -> tuple[list[float], list[list[list[str]]], list[list[str]]]:
    """Column widths (in), wrapped cells per row, and wrapped header cells."""
    total = sum(table.widths)
    widths = [CONTENT_WIDTH_IN * w / total for w in table.widths]
    inner = [w - 2 * CELL_PAD_IN for w in widths]
    rows = [[wrap(cell, w, TABLE_PT) for cell, w in zip(row, inner, strict=True)] for row in table.rows]
    header = (
        [wrap(cell, w, TABLE_PT, bold=True) for cell, w in zip(table.header, inner, strict=True)]
        if table.header
        else []
    )
    return widths, rows, header


def _table_height_in(table: Table) -> float:
    _, rows, header = _cell_lines(table)
    line = _line_in(TABLE_PT)
    height = sum(max(len(c) for c in row) * line + 2 * CELL_PAD_IN for row in rows)
    if header:
        height += max(len(c) for c in header) * line + 2 * CELL_PAD_IN
    notes = sum(len(wrap(note, CONTENT_WIDTH_IN, NOTE_PT)) for note in table.notes)
    return height + notes * _line_in(NOTE_PT) + (0.05 if table.notes else 0.0) + GAP_AFTER_IN


def _height_in(block: Block) -> float:
    if isinstance(block, Heading):
        return _line_in(HEADING_PT[block.level]) + 0.12
    if isinstance(block, Paragraph):
        size = BODY_PT if block.style == "body" else NOTE_PT
        return len(wrap(block.text, CONTENT_WIDTH_IN, size)) * _line_in(size) + 0.08
    if isinstance(block, Table):
        return _table_height_in(block)
    if isinstance(block, Figure):
        return block.height_in + len(wrap(block.caption, CONTENT_WIDTH_IN, NOTE_PT)) * _line_in(NOTE_PT) + 0.2
    return 0.0


def paginate(blocks: Sequence[Block]) -> list[list[_Placed]]:
    """Blocks per page; a block that does not fit opens a new page, a heading is
    never left alone at the bottom of a page."""
    pages: list[list[_Placed]] = [[]]
    free = PAGE_IN[1] - TOP_IN - BOTTOM_IN - TITLE_BLOCK_IN
    for index, block in enumerate(blocks):
        if isinstance(block, PageBreak):
            if pages[-1]:
                pages.append([])
                free = PAGE_IN[1] - TOP_IN - BOTTOM_IN
            continue
        height = _height_in(block)
        needed = height
        if isinstance(block, Heading) and index + 1 < len(blocks):
            needed += _height_in(blocks[index + 1])
        if needed > free and pages[-1]:
            pages.append([])
            free = PAGE_IN[1] - TOP_IN - BOTTOM_IN
        pages[-1].append(_Placed(block, height))
        free -= height
    return pages


class _Page:
    """One A4 figure with a cursor running down the content area (inches from the top)."""

    def __init__(self) -> None:
        self.figure = MplFigure(figsize=PAGE_IN)
        self.y_in = TOP_IN

    def frac(self, x_in: float, y_in: float) -> tuple[float, float]:
        """Figure fractions of a point given in inches from the top-left corner."""
        return x_in / PAGE_IN[0], 1.0 - y_in / PAGE_IN[1]

    def text(self, x_in: float, y_in: float, text: str, size: float, **kwargs: object) -> None:
        self.figure.text(*self.frac(x_in, y_in), text, fontsize=size, va="top", linespacing=LINE_SPACING, **kwargs)

    def rule(self, y_in: float, width_pt: float, colour: str = "black") -> None:
        (x0, y), (x1, _) = self.frac(LEFT_IN, y_in), self.frac(LEFT_IN + CONTENT_WIDTH_IN, y_in)
        self.figure.add_artist(
            Line2D([x0, x1], [y, y], linewidth=width_pt, color=colour, transform=self.figure.transFigure)
        )

    def band(self, y_in: float, height_in: float, colour: str) -> None:
        x, y = self.frac(LEFT_IN, y_in + height_in)
        self.figure.add_artist(
            Rectangle(
                (x, y),
                CONTENT_WIDTH_IN / PAGE_IN[0],
                height_in / PAGE_IN[1],
                facecolor=colour,
                edgecolor="none",
                transform=self.figure.transFigure,
                zorder=-1,
            )
        )


def _draw_table(page: _Page, table: Table) -> None:
    widths, rows, header = _cell_lines(table)
    line = _line_in(TABLE_PT)
    edges = [LEFT_IN + sum(widths[:i]) for i in range(len(widths))]

    def draw_row(cells: list[list[str]], bold: bool, shade: bool) -> None:
        height = max(len(c) for c in cells) * line + 2 * CELL_PAD_IN
        if shade:
            page.band(page.y_in, height, "#f2f2f2")
        for k, (lines, x_in, w_in) in enumerate(zip(cells, edges, widths, strict=True)):
            right = table.align[k] == "r"
            x = x_in + w_in - CELL_PAD_IN if right else x_in + CELL_PAD_IN
            weight = "bold" if bold or (not table.header and k == 0) else "normal"
            page.text(
                x,
                page.y_in + CELL_PAD_IN,
                "\n".join(lines),
                TABLE_PT,
                ha="right" if right else "left",
                fontweight=weight,
                multialignment="right" if right else "left",
            )
        page.y_in += height

    page.rule(page.y_in, 0.9)
    if header:
        draw_row(header, bold=True, shade=False)
        page.rule(page.y_in, 0.5)
    for i, cells in enumerate(rows):
        draw_row(cells, bold=False, shade=i % 2 == 1)
    page.rule(page.y_in, 0.9)
    if table.notes:
        page.y_in += 0.05
        for note in table.notes:
            lines = wrap(note, CONTENT_WIDTH_IN, NOTE_PT)
            page.text(LEFT_IN, page.y_in, "\n".join(lines), NOTE_PT, color=MUTED_COLOUR)
            page.y_in += len(lines) * _line_in(NOTE_PT)
    page.y_in += GAP_AFTER_IN


def _draw_block(page: _Page, placed: _Placed) -> None:
    block = placed.block
    start = page.y_in
    if isinstance(block, Heading):
        page.y_in += 0.06
        page.text(LEFT_IN, page.y_in, block.text, HEADING_PT[block.level], fontweight="bold")
    elif isinstance(block, Paragraph):
        size = BODY_PT if block.style == "body" else NOTE_PT
        colour = "black" if block.style == "body" else MUTED_COLOUR
        page.text(LEFT_IN, page.y_in, "\n".join(wrap(block.text, CONTENT_WIDTH_IN, size)), size, color=colour)
    elif isinstance(block, Table):
        _draw_table(page, block)
    elif isinstance(block, Figure):
        # a subfigure takes its place from the grid's ratios (not its margins): a 3 x 3
        # grid whose middle cell is the figure's rectangle on the page
        below_in = PAGE_IN[1] - page.y_in - block.height_in
        grid = GridSpec(
            3,
            3,
            figure=page.figure,
            left=0,
            right=1,
            bottom=0,
            top=1,
            wspace=0,
            hspace=0,
            width_ratios=(LEFT_IN, CONTENT_WIDTH_IN, PAGE_IN[0] - LEFT_IN - CONTENT_WIDTH_IN),
            height_ratios=(page.y_in, block.height_in, below_in),
        )
        block.draw(page.figure.add_subfigure(grid[1, 1]))
        caption = wrap(block.caption, CONTENT_WIDTH_IN, NOTE_PT)
        page.text(LEFT_IN, page.y_in + block.height_in + 0.05, "\n".join(caption), NOTE_PT, color=MUTED_COLOUR)
    page.y_in = start + placed.height_in


def _pages(report: Report) -> Iterator[MplFigure]:
    layout = paginate(report.blocks)
    footer = "\n".join(wrap(report.footer, CONTENT_WIDTH_IN - 0.9, NOTE_PT))
    for number, placed_blocks in enumerate(layout, start=1):
        page = _Page()
        if number == 1:
            page.text(LEFT_IN, page.y_in, report.title, TITLE_PT, fontweight="bold")
            page.text(LEFT_IN, page.y_in + 0.34, report.subtitle, BODY_PT + 1, color=MUTED_COLOUR)
            page.y_in += TITLE_BLOCK_IN
        else:
            page.text(LEFT_IN, TOP_IN - 0.3, f"{report.title} · {report.subtitle}", NOTE_PT, color=MUTED_COLOUR)
        for placed in placed_blocks:
            _draw_block(page, placed)
        footer_y = PAGE_IN[1] - BOTTOM_IN + 0.2
        page.rule(footer_y - 0.06, 0.4, MUTED_COLOUR)
        page.text(LEFT_IN, footer_y, footer, NOTE_PT, color=MUTED_COLOUR)
        page.text(
            LEFT_IN + CONTENT_WIDTH_IN,
            footer_y,
            f"page {number} of {len(layout)}",
            NOTE_PT,
            color=MUTED_COLOUR,
            ha="right",
        )
        yield page.figure


def render_pdf(report: Report, path: str | Path) -> int:
    """Write ``report`` as an A4 PDF; return the number of pages.

    Raises:
        OSError: if the file cannot be written.
    """
    with matplotlib.rc_context(dict(RC_PARAMS)):
        metadata = {"Title": f"{report.title} - {report.subtitle}", "Creator": "anklet", "CreationDate": None}
        count = 0
        with PdfPages(path, metadata=metadata) as pdf:
            for figure in _pages(report):
                pdf.savefig(figure)
                count += 1
    return count
