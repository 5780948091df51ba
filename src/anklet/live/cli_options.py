"""Command-line options shared by the live sub-commands (``demo``, ``replay``, ``live``)."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_view_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--headless`` and ``--json OUT``."""
    parser.add_argument(
        "--headless", action="store_true",
        help="terminal view (status line each second, summary at the end) instead of the dashboard; "
        "chosen automatically when there is no display",
    )
    parser.add_argument("--json", type=json_output_path, metavar="OUT.json", help="write the analysis result")


def json_output_path(text: str) -> Path:
    """argparse type of ``--json``: a file path whose folder exists, checked before the
    analysis or session runs (so a typo does not lose its result at the end)."""
    from anklet.errors import OutputPathError
    from anklet.result import check_json_path

    try:
        check_json_path(text)
    except OutputPathError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return Path(text)


#: File name ending of a recording.
RECORDING_SUFFIX = ".anklet"


def add_recording_options(parser: argparse.ArgumentParser, default_help: str) -> None:
    """Add ``-o/--output FILE`` (``default_help`` says what happens without it) and ``--overwrite``."""
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help=f"recording to create (default: {default_help})"
    )
    parser.add_argument("--overwrite", action="store_true", help="replace an existing recording file")


def positive_seconds(text: str) -> float:
    """argparse type: a positive number of seconds."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds")
    return value
