"""The ``anklet`` command line: one module per sub-command.

Every public module of this package (``anklet.cli.<verb>``) defines
``register(subparsers)``, which adds its sub-parser and sets ``func`` to a
function ``(argparse.Namespace) -> int``. Heavy imports (Qt, bleak, matplotlib)
belong inside those functions so that ``anklet --help`` stays fast.

User mistakes (bad files, missing data) print ``anklet: error: ...`` and exit with
status 2 without a traceback; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
import warnings
from collections.abc import Sequence
from typing import TextIO

import anklet
from anklet.errors import AnkletError

#: Sub-commands in the order ``anklet --help`` lists them; modules not named
#: here follow in alphabetical order.
COMMAND_ORDER = ("demo", "scan", "record", "live", "replay", "analyze", "report", "export", "info")


def _command_modules() -> list[str]:
    found = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    rank = {name: i for i, name in enumerate(COMMAND_ORDER)}
    return sorted(found, key=lambda name: (rank.get(name, len(rank)), name))


def build_parser() -> argparse.ArgumentParser:
    """The ``anklet`` argument parser with every sub-command of this package."""
    parser = argparse.ArgumentParser(
        prog="anklet", description="Left/right gait asymmetry from two leg-worn IMUs."
    )
    parser.add_argument("--version", action="version", version=f"anklet {anklet.__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in _command_modules():
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``anklet`` console script; returns the exit status."""
    args = build_parser().parse_args(argv)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = _show_warning
        try:
            return int(args.func(args))
        except AnkletError as error:
            print(f"anklet: error: {error}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print("anklet: interrupted", file=sys.stderr)
            return 130
        except BrokenPipeError:
            # The reader of stdout went away (`anklet analyze ... | head`): stop quietly,
            # and keep Python from failing again when it flushes stdout at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 1


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """Print warnings as one ``anklet: warning: ...`` line (no source location)."""
    print(f"anklet: warning: {message}", file=sys.stderr)
