"""Render a :class:`~anklet.report.document.Report` as one self-contained HTML file.

No external assets: the style sheet is inline and every figure is an inline SVG
(text kept as text, so it is searchable and scales for print). Element ids inside
each SVG get a per-figure prefix so several figures can share one page.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure as MplFigure

from anklet.report.document import (
    CONTENT_WIDTH_IN,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    Report,
    Table,
)
from anklet.report.style import RC_PARAMS

_CSS = """
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; font-size: 10pt; color: #111;
       max-width: 52em; margin: 2em auto; padding: 0 1em; line-height: 1.4; }
h1 { font-size: 18pt; margin-bottom: 0.1em; }
p.subtitle { color: #555; margin-top: 0; }
h2 { font-size: 13pt; margin-top: 1.6em; border-bottom: 1px solid #bbb; }
h3 { font-size: 11pt; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; margin: 0.6em 0;
        border-top: 1.5px solid #000; border-bottom: 1.5px solid #000; }
th { text-align: left; border-bottom: 1px solid #000; padding: 3px 5px; }
td { padding: 3px 5px; vertical-align: top; }
tbody tr:nth-child(even) { background: #f2f2f2; }
td.r, th.r { text-align: right; font-variant-numeric: tabular-nums; }
table.keyvalue td:first-child { font-weight: bold; width: 22%; }
p.note, ol.notes, figcaption { color: #555; font-size: 8.5pt; }
figure { margin: 1.2em 0; }
figure svg { width: 100%; height: auto; }
footer { margin-top: 2em; border-top: 1px solid #bbb; color: #555; font-size: 8.5pt; padding-top: 0.5em; }
@media print { body { max-width: none; } figure, table { break-inside: avoid; } }
"""

_ID = re.compile(r'\bid="([^"]+)"')


def figure_svg(block: Figure, prefix: str) -> str:
    """The figure as an inline ``<svg>`` element, its ids prefixed with ``prefix``."""
    figure = MplFigure(figsize=(CONTENT_WIDTH_IN, block.height_in))
    block.draw(figure)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    for name in set(_ID.findall(svg)):
        new = f"{prefix}-{name}"
        svg = svg.replace(f'id="{name}"', f'id="{new}"').replace(f"#{name})", f"#{new})")
        svg = svg.replace(f'href="#{name}"', f'href="#{new}"')
    return svg


def _table_html(table: Table) -> str:
    def cell(tag: str, text: str, align: str) -> str:
        css = ' class="r"' if align == "r" else ""
        return f"<{tag}{css}>{html.escape(text)}</{tag}>"

    parts = [f'<table id="table-{table.label}"' + ("" if table.header else ' class="keyvalue"') + ">"]
    if table.header:
        parts.append("<thead><tr>" + "".join(cell("th", h, a) for h, a in zip(table.header, table.align, strict=True))
                     + "</tr></thead>")
    parts.append("<tbody>")
    parts.extend(
        "<tr>" + "".join(cell("td", c, a) for c, a in zip(row, table.align, strict=True)) + "</tr>"
        for row in table.rows
    )
    parts.append("</tbody></table>")
    if table.notes:
        parts.append('<ol class="notes" style="list-style:none;padding-left:0">'
                     + "".join(f"<li>{html.escape(n)}</li>" for n in table.notes) + "</ol>")
    return "\n".join(parts)


def report_html(report: Report) -> str:
    """The whole report as an HTML5 document (a string)."""
    body = [f"<h1>{html.escape(report.title)}</h1>", f'<p class="subtitle">{html.escape(report.subtitle)}</p>']
    with matplotlib.rc_context(dict(RC_PARAMS)):
        for block in report.blocks:
            if isinstance(block, Heading):
                body.append(f"<h{block.level + 1}>{html.escape(block.text)}</h{block.level + 1}>")
            elif isinstance(block, Paragraph):
                css = ' class="note"' if block.style == "note" else ""
                body.append(f"<p{css}>{html.escape(block.text)}</p>")
            elif isinstance(block, Table):
                body.append(_table_html(block))
            elif isinstance(block, Figure):
                body.append(
                    f'<figure id="figure-{block.label}">{figure_svg(block, block.label)}'
                    f"<figcaption>{html.escape(block.caption)}</figcaption></figure>"
                )
            elif not isinstance(block, PageBreak):
                raise TypeError(f"unknown report block {block!r}")
    title = html.escape(f"{report.title} - {report.subtitle}")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="generator" content="anklet">\n<title>{title}</title>\n<style>{_CSS}</style>\n</head>\n'
        "<body>\n" + "\n".join(body) + f"\n<footer>{html.escape(report.footer)}</footer>\n</body>\n</html>\n"
    )


def render_html(report: Report, path: str | Path) -> None:
    """Write ``report`` as a self-contained UTF-8 HTML file.

    Raises:
        OSError: if the file cannot be written.
    """
    Path(path).write_text(report_html(report), encoding="utf-8")
