"""Exception hierarchy. User mistakes raise an :class:`AnkletError` subclass whose
message says what is wrong and what to do; the CLI prints it without a traceback."""

from __future__ import annotations

from pathlib import Path


class AnkletError(Exception):
    """Base class of every error anklet raises on purpose."""


class InputFormatError(AnkletError):
    """An input file is malformed. Names the file, the 1-based line (if known) and the problem."""

    def __init__(self, path: str | Path, problem: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}" if line is None else f"{self.path}, line {line}"
        super().__init__(f"{where}: {problem}")


class InsufficientDataError(AnkletError):
    """The data are valid but too short or too sparse for the requested analysis."""


class DecodeError(AnkletError):
    """A sensor packet could not be decoded. Counted and skipped, never fatal."""


class RecordingError(AnkletError):
    """A recording file cannot be written or read."""


class OutputPathError(AnkletError):
    """An output file cannot be written where asked (missing folder, a folder given, no permission)."""


class DeviceNotFoundError(AnkletError):
    """A requested BLE sensor was not found."""
