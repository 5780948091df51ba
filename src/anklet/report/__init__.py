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
from anklet.report.progress import MixedSubjectsWarning, progress_report
from anklet.report.session import session_report

#: Output suffixes and what they produce.
SUFFIXES = {".pdf": "PDF", ".html": "HTML", ".htm": "HTML"}


class ReportOptionError(AnkletError):
    """A report was asked for in a way that cannot work (e.g. an unknown output suffix)."""


def check_output_path(path: str | Path) -> str:
    """The output kind ("PDF" or "HTML") of a report path.

    Raises:
        ReportOptionError: the suffix is not .pdf/.html/.htm, or the folder does not exist.
    """
    path = Path(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise ReportOptionError(
            f"{path}: the report file must end in .pdf or .html (got {path.suffix or 'no suffix'!r})"
        )
    if not path.parent.is_dir():
        raise ReportOptionError(f"{path}: folder {path.parent} does not exist; create it or choose another path")
    return kind


def write_report(report: Report, path: str | Path) -> None:
    """Render ``report`` to ``path``: PDF for ``.pdf``, HTML for ``.html``/``.htm``.

    Raises:
        ReportOptionError: for any other suffix or a missing folder.
        OSError: if the file cannot be written.
    """
    if check_output_path(path) == "PDF":
        from anklet.report.pdf import render_pdf

        render_pdf(report, path)
    else:
        from anklet.report.html import render_html

        render_html(report, path)


__all__ = [
    "MixedSubjectsWarning",
    "Report",
    "ReportOptionError",
    "SessionInput",
    "StreamQuality",
    "check_output_path",
    "progress_report",
    "session_report",
    "write_report",
]
