"""``anklet info``: summarise an ``.anklet`` recording and its decoded streams."""

from __future__ import annotations

import argparse
from pathlib import Path

from anklet.errors import AnkletError


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``info`` sub-command."""
    parser = sub.add_parser("info", help="summarise an .anklet recording file")
    parser.add_argument("file", type=Path, help="the recording (.anklet)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the summary of the recording ``args.file`` and, when it can be
    decoded, per side the samples, losses, gaps and clock model."""
    from anklet.recording import (
        Recording,
        decode_recording,
        describe_decoded,
        summarize,
    )

    recording = Recording.open(args.file)
    print(summarize(recording))
    try:
        print(describe_decoded(decode_recording(recording)))
    except AnkletError as error:
        print(f"decoded: not possible: {error}")
    return 0
