"""One entry point for every export format."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from anklet.analysis import AnalysisResult
from anklet.export.bids import BidsNames, bids_names, write_bids_export
from anklet.export.csv_export import write_csv_export
from anklet.export.events import session_events
from anklet.export.json_export import write_json_export
from anklet.export.output_dir import prepare_output_dir
from anklet.export.session import ExportSession
from anklet.export.signals import align_signals
from anklet.imu import ImuData, Placement, Side
from anklet.recording.decode import StreamQuality

ExportFormat = Literal["csv", "json", "bids"]
FORMATS: tuple[ExportFormat, ...] = ("csv", "json", "bids")


def export_session(
    export_format: ExportFormat,
    out_dir: str | Path,
    imu: Mapping[Side, ImuData],
    result: AnalysisResult,
    session: ExportSession,
    *,
    placement: Placement = "ankle",
    names: BidsNames | None = None,
    quality: Mapping[Side, StreamQuality] | None = None,
) -> list[Path]:
    """Export one analysed session in ``export_format`` into a new or empty directory.

    Args:
        export_format: "csv", "json" or "bids" (docs/exports.md).
        out_dir: output directory; created if missing (its parent must exist).
        imu: both legs' samples on the session timeline (acc m/s^2, gyr deg/s),
            the data ``result`` was computed from.
        result: the analysis of ``imu``.
        session: session facts after the privacy rule
            (:func:`anklet.export.session.session_from_recording`).
        placement: where the sensors sat (BIDS tracked points).
        names: BIDS labels; None derives them from ``session``.
        quality: the decoder's stream quality per side, added to the json
            export's ``analysis.json`` when given.

    Returns:
        The files written.

    Raises:
        OutputDirectoryError: ``out_dir`` is a file, not empty, or cannot be created.
        InsufficientDataError: no leg has at least two samples (csv, bids).

    The csv and bids signals are on one grid at :func:`nominal_rate_hz` (or the
    highest measured rate when no sensor states one).
        ValueError: an unknown ``export_format``.
    """
    if export_format not in FORMATS:
        raise ValueError(f"export_format must be one of {', '.join(FORMATS)}, got {export_format!r}")
    directory = prepare_output_dir(out_dir)
    if export_format == "json":
        return write_json_export(directory, result, session, quality)
    signals = align_signals(imu, nominal_rate_hz(session))
    events = session_events(result, session)
    if export_format == "csv":
        return write_csv_export(directory, result, signals, events, session)
    return write_bids_export(directory, signals, events, session, placement, names or bids_names(session))


def nominal_rate_hz(session: ExportSession) -> float | None:
    """The highest ``sampling_rate_hz`` in the sensors' configurations, Hz; None if none states one.

    Exports put the signals on a grid at this nominal rate (e.g. 208 Hz) rather
    than at the rate measured on the session clock (e.g. 207.994 Hz for a sensor
    clock 29 ppm fast), so that ``SamplingFrequency`` is the round number users expect.
    """
    rates = [sensor.config.get("sampling_rate_hz") for sensor in session.sensors.values()]
    valid = [float(rate) for rate in rates if isinstance(rate, int | float) and rate > 0]
    return max(valid) if valid else None
