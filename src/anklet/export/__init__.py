"""Exports of an analysed session for other tools: CSV tables, the JSON result and
a Motion-BIDS dataset (docs/exports.md). Identifying fields stay out unless the
user opts in (:func:`session_from_recording`).

Typical use::

    session = session_from_recording(recording)           # privacy rule applied here
    export_session("bids", "out/", imu, analyze(imu), session)
"""

from anklet.export.bids import BidsNames, bids_label, bids_names
from anklet.export.events import EventTable, session_events
from anklet.export.exporter import FORMATS, ExportFormat, export_session
from anklet.export.output_dir import (
    OutputDirectoryError,
    check_output_dir,
    prepare_output_dir,
)
from anklet.export.session import (
    ExportSession,
    SensorDescription,
    session_from_recording,
)
from anklet.export.signals import AlignedSignals, align_signals

__all__ = [
    "FORMATS",
    "AlignedSignals",
    "BidsNames",
    "EventTable",
    "ExportFormat",
    "ExportSession",
    "OutputDirectoryError",
    "SensorDescription",
    "align_signals",
    "bids_label",
    "bids_names",
    "check_output_dir",
    "export_session",
    "prepare_output_dir",
    "session_events",
    "session_from_recording",
]
