"""Session and progress reports (PDF and self-contained HTML).

One report model (:mod:`anklet.report.document`: numbers formatted, sentences
written) is built by :func:`session_report` or :func:`progress_report` and
rendered by :func:`write_report` as PDF (:mod:`anklet.report.pdf`) or HTML
(:mod:`anklet.report.html`). Needs matplotlib (the ``report`` extra).
See docs/reports.md.
"""

from __future__ import annotations

from pathlib import Path

from anklet.errors import AnkletError
from anklet.report.document import Report
from anklet.report.inputs import SessionInput, StreamQuality
from anklet.report.session import session_report

#: Output suffixes and what they produce.
SUFFIXES = {".pdf": "PDF", ".html": "HTML", ".htm": "HTML"}


class ReportOptionError(AnkletError):
    """A report was asked for in a way that cannot work (e.g. an unknown output suffix)."""


def write_report(report: Report, path: str | Path) -> None:
    """Render ``report`` to ``path``: PDF for ``.pdf``, HTML for ``.html``/``.htm``.

    Raises:
        ReportOptionError: for any other suffix.
        OSError: if the file cannot be written.
    """
    path = Path(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise ReportOptionError(f"{path}: the report file must end in .pdf or .html (got {path.suffix or 'no suffix'!r})")
    if kind == "PDF":
        from anklet.report.pdf import render_pdf

        render_pdf(report, path)
    else:
        from anklet.report.html import render_html

        render_html(report, path)


__all__ = ["Report", "ReportOptionError", "SessionInput", "StreamQuality", "session_report", "write_report"]
