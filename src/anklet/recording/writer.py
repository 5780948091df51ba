"""Crash-safe writer of ``.anklet`` recordings.

Design: :meth:`RecordingWriter.add_packet` only appends to an in-memory batch
under a lock (no I/O, so a BLE notification callback never waits for the disk).
A daemon thread commits the batch every ``flush_interval_s`` seconds, or sooner
when ``max_batch_packets`` are pending or a marker/connection event arrives. A
commit in WAL mode with ``synchronous=NORMAL`` is a sequential append to the
``-wal`` file without fsync, so SIGKILL at any moment loses at most the last
``flush_interval_s`` of data and the file still opens (SQLite WAL recovery:
https://www.sqlite.org/wal.html). :meth:`RecordingWriter.close` commits the
rest, writes the completion record, checkpoints and switches the file back to
a single self-contained rollback-journal database.
"""

from __future__ import annotations

import json
import math
import sqlite3
import threading
from collections.abc import Mapping
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from anklet import __version__
from anklet.errors import RecordingError
from anklet.imu import SIDES, Side
from anklet.recording.model import (
    CONNECTION_EVENT_KINDS,
    ClockModel,
    ConnectionEventKind,
    SensorInfo,
    SessionMetadata,
    check_side,
    check_time_s,
)
from anklet.recording.schema import (
    COLUMNS,
    FORMAT_VERSION,
    RECORDING_PRAGMAS,
    SCHEMA,
    SUFFIX,
    packet_crc32,
    row_crc32,
)

#: Companion files SQLite may create next to a database.
SIDECAR_SUFFIXES: tuple[str, ...] = ("-wal", "-shm", "-journal")


def _utc_now_iso() -> str:
    return datetime.now(UTC).isoformat()


def _to_json(value: Any, what: str) -> str:
    try:
        return json.dumps(value, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise RecordingError(f"{what} must be JSON-serialisable (no NaN): {exc}") from exc


def _prepare_path(path: Path, overwrite: bool) -> None:
    """Create ``path`` as an empty file, refusing to replace an existing recording."""
    if path.suffix != SUFFIX:
        raise RecordingError(f"{path}: a recording file name must end in '{SUFFIX}'")
    existing = [p for p in (path, *(Path(f"{path}{s}") for s in SIDECAR_SUFFIXES)) if p.exists()]
    if existing and not overwrite:
        raise RecordingError(f"{existing[0]} already exists; choose another file name or pass overwrite=True")
    try:
        for stale in existing:
            stale.unlink()
        with open(path, "xb"):
            pass
    except OSError as exc:
        raise RecordingError(f"{path}: cannot create the recording file: {exc}") from exc


class RecordingWriter:
    """Writes one recording session; use as a context manager.

    Args:
        path: file to create, must end in ``.anklet``.
        metadata: session metadata; ``start_time_utc`` None means "now".
        sensors: sensor identity per side ("left"/"right"); packets may only be
            added for these sides.
        overwrite: replace an existing file (and its SQLite sidecar files).
        flush_interval_s: longest time packets wait in memory before a commit,
            i.e. the most data a crash can lose.
        max_batch_packets: commit earlier once this many packets are pending.

    Raises:
        RecordingError: if the file exists (and ``overwrite`` is False), cannot
            be created, has the wrong suffix, or the arguments are invalid.
    """

    def __init__(
        self,
        path: str | Path,
        metadata: SessionMetadata,
        sensors: Mapping[Side, SensorInfo],
        *,
        overwrite: bool = False,
        flush_interval_s: float = 0.25,
        max_batch_packets: int = 512,
    ) -> None:
        self._path = Path(path)
        if not sensors:
            raise RecordingError("a recording needs at least one sensor (sensors={'left': ..., ...})")
        for side in sensors:
            check_side(side)
        if not (0.0 < flush_interval_s <= 1.0):
            raise RecordingError(f"flush_interval_s must be in (0, 1] s, got {flush_interval_s}")
        if max_batch_packets < 1:
            raise RecordingError(f"max_batch_packets must be >= 1, got {max_batch_packets}")
        if metadata.start_time_utc is None:
            metadata = replace(metadata, start_time_utc=datetime.now(UTC))
        self._metadata = metadata
        self._sensors = dict(sensors)
        self._flush_interval_s = flush_interval_s
        self._max_batch_packets = max_batch_packets

        self._pending_lock = threading.Lock()
        self._db_lock = threading.Lock()
        self._pending_packets: list[tuple[int, str, float, str | None, bytes]] = []
        self._pending_rows: list[tuple[str, tuple[Any, ...]]] = []
        self._next_packet_id = 1
        self._next_row_id = {"marker": 1, "connection_event": 1, "clock_model": 1}
        self._packet_counts = {side: 0 for side in self._sensors}
        self._error: RecordingError | None = None
        self._closed = False

        meta_rows = self._meta_rows()  # validates JSON before the file is created
        self._n_meta_rows = len(meta_rows)
        sensor_rows = self._sensor_rows()
        _prepare_path(self._path, overwrite)
        self._conn = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        try:
            for statement in SCHEMA:
                self._conn.execute(statement)
            with self._conn:
                self._conn.execute("BEGIN")
                self._insert("meta", meta_rows)
                self._insert("sensor", sensor_rows)
            for statement in RECORDING_PRAGMAS:
                self._conn.execute(statement)
        except sqlite3.Error as exc:
            self._conn.close()
            self._path.unlink(missing_ok=True)
            raise RecordingError(f"{self._path}: cannot initialise the recording: {exc}") from exc

        self._wake = threading.Event()
        self._stopping = False
        self._flusher = threading.Thread(target=self._flush_loop, name="anklet-recording-flush", daemon=True)
        self._flusher.start()

    @property
    def path(self) -> Path:
        """The recording file."""
        return self._path

    @property
    def metadata(self) -> SessionMetadata:
        """The session metadata as stored (``start_time_utc`` filled in)."""
        return self._metadata

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def add_packet(
        self, side: Side, arrival_time_s: float, payload: bytes, characteristic_uuid: str | None = None
    ) -> None:
        """Queue one raw notification payload (stored bit-exact).

        Cheap: appends to an in-memory batch; the writer commits it within
        ``flush_interval_s``. Packets keep the order of the calls.

        Args:
            side: "left" or "right", one of the sides given at construction.
            arrival_time_s: host arrival time on the session timeline, seconds.
            payload: the notification bytes (0 to any length).
            characteristic_uuid: None for the protocol's data characteristic;
                the UUID of a response characteristic otherwise (command
                answers the decoder needs, e.g. a scale factor).

        Raises:
            RecordingError: for an unknown side, a non-finite time, after
                :meth:`close`, or if an earlier background commit failed.
        """
        if self._error is not None or self._closed:
            self._raise_unusable()
        if side not in self._packet_counts:
            raise RecordingError(
                f"no sensor was registered for side {side!r}; registered: {', '.join(self._sensors)}"
            )
        if not math.isfinite(arrival_time_s):
            raise RecordingError(f"arrival_time_s must be finite, got {arrival_time_s!r}")
        if characteristic_uuid is not None and not isinstance(characteristic_uuid, str):
            raise RecordingError(f"characteristic_uuid must be a str or None, got {characteristic_uuid!r}")
        with self._pending_lock:
            self._pending_packets.append(
                (self._next_packet_id, side, float(arrival_time_s), characteristic_uuid, bytes(payload))
            )
            self._next_packet_id += 1
            self._packet_counts[side] += 1
            if len(self._pending_packets) >= self._max_batch_packets:
                self._wake.set()

    def add_marker(self, time_s: float, text: str) -> None:
        """Add a free-text marker at ``time_s`` (session seconds); committed promptly.

        Raises:
            RecordingError: for a non-finite time, after :meth:`close`, or if a
                background commit failed.
        """
        self._queue_row("marker", (check_time_s(time_s, "marker time_s"), str(text)))

    def add_connection_event(
        self, side: Side, time_s: float, kind: ConnectionEventKind, detail: str = ""
    ) -> None:
        """Record that ``side``'s sensor "connected", "disconnected" or "reconnected"
        at ``time_s`` (session seconds); committed promptly.

        Raises:
            RecordingError: for a bad side, kind or time, after :meth:`close`,
                or if a background commit failed.
        """
        if kind not in CONNECTION_EVENT_KINDS:
            raise RecordingError(
                f"connection event kind must be one of {', '.join(CONNECTION_EVENT_KINDS)}, got {kind!r}"
            )
        row = (check_side(side), check_time_s(time_s, "connection event time_s"), kind, str(detail))
        self._queue_row("connection_event", row)

    def set_clock_model(self, side: Side, model: ClockModel) -> None:
        """Store the clock model of ``side`` (the last one stored wins).

        Raises:
            RecordingError: for a bad side or non-finite values, after
                :meth:`close`, or if a background commit failed.
        """
        fields = asdict(model)
        for name, value in fields.items():
            check_time_s(value, f"ClockModel.{name}")
        self._queue_row("clock_model", (check_side(side), _to_json(fields, "clock model")))

    def flush(self) -> None:
        """Commit everything queued so far in one transaction. Called by the
        writer itself; callers never need to.

        Raises:
            RecordingError: if the database write fails (e.g. disk full).
        """
        with self._db_lock:
            with self._pending_lock:
                packets, self._pending_packets = self._pending_packets, []
                rows, self._pending_rows = self._pending_rows, []
            if not packets and not rows:
                return
            try:
                with self._conn:
                    self._conn.execute("BEGIN")
                    self._conn.executemany(
                        "INSERT INTO packet (id, side, arrival_time_s, characteristic_uuid, payload, crc32)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        [(*p, packet_crc32(*p)) for p in packets],
                    )
                    for table, values in rows:
                        self._insert(table, [values])
            except sqlite3.Error as exc:
                raise RecordingError(
                    f"{self._path}: writing the recording failed ({exc}); "
                    "check free disk space and that the file is still accessible"
                ) from exc

    def close(self) -> None:
        """Commit the rest, mark the recording complete and release the file.
        Idempotent.

        Raises:
            RecordingError: if a commit failed (now or in the background); the
                file then stays incomplete but readable.
        """
        if self._closed:
            return
        self._closed = True
        self._stopping = True
        self._wake.set()
        self._flusher.join()
        try:
            if self._error is not None:
                raise self._error
            self._queue_final_meta()
            self.flush()
        finally:
            self._leave_single_file()

    def _leave_single_file(self) -> None:
        """Fold the WAL into the main file, switch back to a rollback journal
        (so the file is self-contained) and close. Best effort: while another
        process still reads the file, it stays in WAL mode, which is equally
        valid; SQLite folds the WAL in when the last connection closes."""
        try:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._conn.execute("PRAGMA journal_mode = DELETE")
        except sqlite3.OperationalError:
            pass
        finally:
            self._conn.close()

    def _flush_loop(self) -> None:
        while not self._stopping:
            self._wake.wait(self._flush_interval_s)
            self._wake.clear()
            if self._stopping:
                return
            try:
                self.flush()
            except RecordingError as exc:
                self._error = exc
                return

    def _raise_unusable(self) -> None:
        if self._error is not None:
            raise RecordingError(f"recording stopped: {self._error}")
        raise RecordingError(f"{self._path}: the writer is closed")

    def _queue_row(self, table: str, values: tuple[Any, ...]) -> None:
        if self._error is not None or self._closed:
            self._raise_unusable()
        with self._pending_lock:
            row_id = self._next_row_id[table]
            self._next_row_id[table] += 1
            self._pending_rows.append((table, (row_id, *values)))
        self._wake.set()

    def _queue_final_meta(self) -> None:
        final: dict[str, Any] = {
            "complete": True,
            "finalized_utc": _utc_now_iso(),
            "packet_count": {
                side: self._packet_counts[side] for side in SIDES if side in self._packet_counts
            },
        }
        row_count = {table: next_id - 1 for table, next_id in self._next_row_id.items()}
        row_count["sensor"] = len(self._sensors)
        row_count["packet"] = self._next_packet_id - 1
        row_count["meta"] = self._n_meta_rows + len(final) + 1  # + 1: the row_count row itself
        final["row_count"] = row_count
        first_id = self._n_meta_rows + 1
        rows = [
            ("meta", (first_id + i, key, json.dumps(value))) for i, (key, value) in enumerate(final.items())
        ]
        with self._pending_lock:
            self._pending_rows.extend(rows)

    def _insert(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        columns = COLUMNS[table]
        marks = ", ".join("?" * (len(columns) + 1))
        self._conn.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}, crc32) VALUES ({marks})",
            [(*row, row_crc32(row)) for row in rows],
        )

    def _meta_rows(self) -> list[tuple[int, str, str]]:
        meta = self._metadata
        assert meta.start_time_utc is not None
        items = {
            "format_version": json.dumps(FORMAT_VERSION),
            "anklet_version": json.dumps(__version__),
            "created_utc": json.dumps(_utc_now_iso()),
            "start_time_utc": json.dumps(meta.start_time_utc.isoformat()),
            "subject_id": json.dumps(meta.subject_id),
            "activity": json.dumps(meta.activity),
            "notes": json.dumps(meta.notes),
            "config": _to_json(meta.config, "SessionMetadata.config"),
        }
        return [(i, key, value) for i, (key, value) in enumerate(items.items(), start=1)]

    def _sensor_rows(self) -> list[tuple[Any, ...]]:
        return [
            (
                i,
                side,
                info.address,
                info.name,
                info.protocol,
                info.firmware_version,
                _to_json(info.config, f"SensorInfo.config of {side}"),
            )
            for i, (side, info) in enumerate(sorted(self._sensors.items()), start=1)
        ]
