"""Run a :class:`~anklet.live.session.LiveSession` in the Qt dashboard or, without a
display (or with ``--headless``), in the terminal view; then analyse the recording.
The one front-end path of ``anklet live``, ``anklet demo`` and ``anklet replay``."""

from __future__ import annotations

import os
import sys
import warnings
from typing import TextIO

from anklet.analysis import AnalysisResult
from anklet.live.session import LiveSession
from anklet.live.terminal import run_terminal_view


def display_available() -> bool:
    """True when a Qt window can be shown: Windows/macOS, or an X11/Wayland display
    on other systems (``QT_QPA_PLATFORM=offscreen`` counts as a display, for tests)."""
    if sys.platform in ("win32", "darwin") or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_session(
    session: LiveSession,
    subtitle: str,
    *,
    headless: bool,
    duration_s: float | None,
    out: TextIO,
) -> AnalysisResult:
    """Show ``session`` until its source ends, ``duration_s`` wall seconds pass or the
    window is closed; return the analysis of everything recorded.

    Falls back to the terminal view (with a warning) when there is no display or Qt
    cannot start.

    Raises:
        anklet.errors.InsufficientDataError: too little was recorded to analyse.
    """
    if not headless and display_available():
        try:
            _run_dashboard(session, subtitle, duration_s)
            return session.finish()
        except ImportError as error:  # Qt or its system libraries missing
            warnings.warn(f"cannot open the dashboard ({error}); showing the terminal view", stacklevel=2)
    elif not headless:
        print("anklet: no display found; showing the terminal view (--headless to choose it)", file=out)
    session.start()
    try:
        run_terminal_view(session, out, duration_s)
    finally:
        session.stop()
    return session.finish()


def _run_dashboard(session: LiveSession, subtitle: str, duration_s: float | None) -> None:
    from PySide6 import QtCore, QtWidgets

    from anklet.live.dashboard import Dashboard

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    window = Dashboard(session, subtitle)
    window.show()
    session.start()
    if duration_s is not None:
        QtCore.QTimer.singleShot(int(duration_s * 1000), window.close)
    app.exec()
    session.stop()
