"""The HTML report parses, is self-contained and holds the same numbers and figures."""

from __future__ import annotations

from html.parser import HTMLParser

from anklet.report.document import Figure

from .test_pdf import expected_rows


class _Collector(HTMLParser):
    """Table rows (cell texts), figure ids, SVG count and external references."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.figures: list[str] = []
        self.svg_count = 0
        self.external: list[str] = []
        self.ids: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "svg":
            self.svg_count += 1
        elif tag == "figure":
            self.figures.append(attributes.get("id", ""))
        for key in ("src", "href"):
            value = attributes.get(key) or ""
            if value and not value.startswith("#"):
                self.external.append(value)
        if tag == "link":
            self.external.append(str(attributes))

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _parse(path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    collector.close()
    return collector


def test_html_tables_hold_the_json_numbers(rendered, demo_input):
    parsed = _parse(rendered["html"])
    for name, cells in expected_rows(demo_input.result.document).items():
        label = name.replace("_", " ")
        matches = [row for row in parsed.rows if row and row[0].startswith(label)]
        assert matches, name
        assert all(cell in matches[0] for cell in cells), (name, cells, matches[0])


def test_html_embeds_every_figure_and_needs_nothing_else(rendered, demo_report):
    parsed = _parse(rendered["html"])
    labels = [f"figure-{b.label}" for b in demo_report.blocks if isinstance(b, Figure)]
    assert parsed.figures == labels
    assert parsed.svg_count == len(labels)
    assert parsed.external == []
    assert len(parsed.ids) == len(set(parsed.ids)), "element ids must be unique across the inline figures"
    text = rendered["html"].read_text(encoding="utf-8")
    assert "not a diagnosis" in text
