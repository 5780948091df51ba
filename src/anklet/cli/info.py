"""``anklet info``: summarise an ``.anklet`` recording."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``info`` sub-command."""
    parser = sub.add_parser("info", help="summarise an .anklet recording file")
    parser.add_argument("file", type=Path, help="the recording (.anklet)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the summary of the recording ``args.file``."""
    from anklet.recording import Recording, summarize

    print(summarize(Recording.open(args.file)))
    return 0
