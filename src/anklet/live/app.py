"""Run a :class:`~anklet.live.session.LiveSession` in the Qt dashboard or, without a
display (or with ``--headless``), in the terminal view; then analyse the recording.
The one front-end path of ``anklet live``, ``anklet demo`` and ``anklet replay``.

Stopping: the duration, closing the window, Ctrl-C (SIGINT) or SIGTERM all stop the
session the same way (source stopped, recording finalised, summary analysed). A
source that fails (a sensor not found, Bluetooth off) ends the view at once and its
error is raised to the command.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import warnings
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from anklet.analysis import AnalysisResult
from anklet.live.session import LiveSession
from anklet.live.terminal import run_terminal_view

#: How often the dashboard checks for a failed source and lets Python handle Ctrl-C, ms.
WATCH_INTERVAL_MS = 100


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
    """Show ``session`` until its source ends, ``duration_s`` wall seconds pass, the
    window is closed, or Ctrl-C/SIGTERM; return the analysis of everything recorded.

    Falls back to the terminal view (with a warning) when there is no display or Qt
    cannot start.

    Raises:
        anklet.errors.AnkletError: the source failed (e.g. a sensor not found).
        anklet.errors.InsufficientDataError: too little was recorded to analyse.
    """
    if not headless and display_available():
        try:
            _run_dashboard(session, subtitle, duration_s)
            return _finish(session)
        except ImportError as error:  # Qt or its system libraries missing
            warnings.warn(f"cannot open the dashboard ({error}); showing the terminal view", stacklevel=2)
    elif not headless:
        print("anklet: no display found; showing the terminal view (--headless to choose it)", file=out)
    with _stop_signals(signal.default_int_handler):  # SIGTERM stops like Ctrl-C
        session.start()
        try:
            run_terminal_view(session, out, duration_s)
        except KeyboardInterrupt:
            print("anklet: stopping", file=out, flush=True)
        finally:
            session.stop()
    return _finish(session)


def _finish(session: LiveSession) -> AnalysisResult:
    """Raise the source's error if it failed, else analyse the recording."""
    error = session.source.error()
    if error is not None:
        raise error
    return session.finish()


@contextlib.contextmanager
def _stop_signals(handler: Callable[[int, Any], object]) -> Iterator[None]:
    """Route SIGINT and SIGTERM to ``handler`` meanwhile (main thread only; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, handler) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def _run_dashboard(session: LiveSession, subtitle: str, duration_s: float | None) -> None:
    from PySide6 import QtCore, QtWidgets

    from anklet.live.dashboard import Dashboard

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    window = Dashboard(session, subtitle)
    window.show()
    session.start()

    def close_if_failed() -> None:  # also gives Python the chance to run signal handlers
        if session.source.error() is not None:
            window.close()

    watch = QtCore.QTimer(window)
    watch.setInterval(WATCH_INTERVAL_MS)
    watch.timeout.connect(close_if_failed)
    watch.start()
    if duration_s is not None:
        QtCore.QTimer.singleShot(int(duration_s * 1000), window.close)
    with _stop_signals(lambda _signum, _frame: window.close()):
        app.exec()
    watch.stop()
    session.stop()
