"""The directory an export writes into: new or empty, never merged into old files."""

from __future__ import annotations

import os
from pathlib import Path

from anklet.errors import AnkletError


class OutputDirectoryError(AnkletError):
    """The output directory cannot be used (a file, not empty, missing parent, read-only)."""


def check_output_dir(path: str | Path) -> Path:
    """Check that ``path`` can become an export's output directory, without creating it.

    It may not exist yet (its parent must) or may exist empty. An export never
    overwrites or merges: a stale file from an earlier export would otherwise
    look like part of this one.

    Args:
        path: the output directory.

    Returns:
        ``path`` as a Path.

    Raises:
        OutputDirectoryError: ``path`` is a file, a non-empty directory, its
            parent does not exist, or the directory (or its parent) is not writable.
    """
    out_dir = Path(path)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputDirectoryError(f"{out_dir} is a file, not a directory; give a new or empty directory with -o")
    if out_dir.is_dir():
        if any(out_dir.iterdir()):
            raise OutputDirectoryError(
                f"{out_dir} is not empty; give a new or empty directory with -o "
                "(an export never overwrites or merges with existing files)"
            )
        writable = out_dir
    elif out_dir.parent.is_dir():
        writable = out_dir.parent
    else:
        raise OutputDirectoryError(f"cannot create {out_dir}: its parent directory {out_dir.parent} does not exist")
    if not os.access(writable, os.W_OK | os.X_OK):
        raise OutputDirectoryError(f"{writable} is not writable; give a directory you can write to")
    return out_dir


def prepare_output_dir(path: str | Path) -> Path:
    """Create ``path`` if needed (see :func:`check_output_dir`) and return it, existing and empty.

    Raises:
        OutputDirectoryError: as :func:`check_output_dir`, or the directory cannot be created.
    """
    out_dir = check_output_dir(path)
    try:
        out_dir.mkdir(exist_ok=True)
    except OSError as exc:
        raise OutputDirectoryError(f"cannot create {out_dir}: {exc.strerror or exc}") from exc
    return out_dir
