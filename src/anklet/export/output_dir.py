"""The directory an export writes into: new or empty, never merged into old files."""

from __future__ import annotations

import os
from pathlib import Path

from anklet.errors import AnkletError


class OutputDirectoryError(AnkletError):
    """The output directory cannot be used (a file, not empty, missing parent, read-only)."""


def prepare_output_dir(path: str | Path) -> Path:
    """Create ``path`` if needed and return it, refusing anything that could mix
    this export with other files.

    The directory may not exist yet (its parent must) or may exist empty. An
    export never overwrites or merges: a stale file from an earlier export would
    otherwise look like part of this one.

    Args:
        path: the output directory.

    Returns:
        The directory, existing and empty.

    Raises:
        OutputDirectoryError: ``path`` is a file, a non-empty directory, its
            parent does not exist, or it cannot be created or written.
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
    elif not out_dir.parent.is_dir():
        raise OutputDirectoryError(
            f"cannot create {out_dir}: its parent directory {out_dir.parent} does not exist"
        )
    else:
        try:
            out_dir.mkdir()
        except OSError as exc:
            raise OutputDirectoryError(f"cannot create {out_dir}: {exc.strerror or exc}") from exc
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise OutputDirectoryError(f"{out_dir} is not writable; give a directory you can write to")
    return out_dir
