"""Reading ``.anklet`` recordings, including crashed and damaged ones.

:meth:`Recording.open` reads the whole file in one pass (about 0.5 s per hour of
two 50-packet/s sensors) and closes it again. Every row carries a CRC-32 (see
:func:`anklet.recording.schema.row_crc32`) and row ids are consecutive from 1,
so damage is detected rather than returned: rows that SQLite cannot read (a
broken page, a truncated file) or whose checksum does not match are dropped,
the missing ids are counted, and a :class:`DamagedRecordingWarning` says how
much was recovered. A recording whose writer never finished (a crash) opens
with ``complete == False`` and an :class:`IncompleteRecordingWarning`.
"""

from __future__ import annotations

import json
import sqlite3
import struct
import urllib.parse
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from anklet.errors import RecordingError
from anklet.imu import SIDES, Side
from anklet.recording.model import (
    ClockModel,
    ConnectionEvent,
    Marker,
    Packet,
    SensorInfo,
    SessionMetadata,
)
from anklet.recording.schema import (
    APPLICATION_ID,
    COLUMNS,
    FORMAT_VERSION,
    SQLITE_MAGIC,
    packet_crc32,
    row_crc32,
)

#: Row-id range size of one query when reading around damaged pages.
_SALVAGE_CHUNK_ROWS = 1024


class RecordingWarning(UserWarning):
    """Base class of the warnings issued while opening a recording."""


class IncompleteRecordingWarning(RecordingWarning):
    """The recording was not finalised (its writer crashed or was killed)."""


class DamagedRecordingWarning(RecordingWarning):
    """Parts of the recording were unreadable or failed their checksum and were dropped."""


@dataclass(frozen=True)
class SidePackets:
    """All data-characteristic packets of one side in arrival order.

    Attributes:
        packet_id: (n,) int64 row ids; their order across sides is the arrival order.
        arrival_time_s: (n,) float64 host arrival times, session seconds.
        payloads: the n raw payloads, bit-exact.
    """

    packet_id: np.ndarray
    arrival_time_s: np.ndarray
    payloads: list[bytes]

    @property
    def byte_count(self) -> int:
        """Total payload bytes."""
        return sum(map(len, self.payloads))


@dataclass(frozen=True)
class TableDamage:
    """What was lost from one table of a damaged file.

    Attributes:
        table: table name ("packet", "marker", ...).
        recovered_rows: rows read intact.
        lost_rows: rows known to be lost (missing ids, failed checksums).
        unreadable: True if the table's extent could not be established, so
            more rows than ``lost_rows`` may be missing.
    """

    table: str
    recovered_rows: int
    lost_rows: int
    unreadable: bool

    def describe(self) -> str:
        """E.g. "packet: 4999 rows recovered, 1 lost"."""
        lost = f"at least {self.lost_rows}" if self.unreadable else str(self.lost_rows)
        return f"{self.table}: {self.recovered_rows} rows recovered, {lost} lost"


@dataclass(frozen=True)
class Recording:
    """An opened recording: metadata plus all packets, in memory.

    Attributes:
        path: the file.
        format_version: layout version of the file.
        anklet_version: version of anklet that wrote it ("" if unreadable).
        metadata: session metadata.
        sensors: sensor identity per side.
        markers: free-text markers in the order they were added.
        connection_events: connection changes in the order they were added.
        clock_models: clock model per side, absent for sides without one
            (always possible after a crash).
        complete: True if the writer finalised the file.
        damage: per table, rows lost to damage (empty for an intact file).
        side_packets: data-characteristic packets per side (see :meth:`packets`).
        responses: packets from response characteristics (command answers),
            both sides, in arrival order.
        response_ids: (len(responses),) int64 row ids of ``responses``.
    """

    path: Path
    format_version: int
    anklet_version: str
    metadata: SessionMetadata
    sensors: dict[Side, SensorInfo]
    markers: tuple[Marker, ...]
    connection_events: tuple[ConnectionEvent, ...]
    clock_models: dict[Side, ClockModel]
    complete: bool
    damage: tuple[TableDamage, ...] = ()
    side_packets: dict[Side, SidePackets] = field(default_factory=dict, repr=False)
    responses: tuple[Packet, ...] = field(default=(), repr=False)
    response_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64), repr=False)

    @classmethod
    def open(cls, path: str | Path) -> Recording:
        """Read a recording file (any name; identified by its SQLite application id).

        Warns:
            IncompleteRecordingWarning: if the writer did not finish.
            DamagedRecordingWarning: if rows were unreadable or failed their
                checksum; the message says how many were recovered.

        Raises:
            RecordingError: if the file is missing, not an SQLite database, not
                an anklet recording, from a newer format version, or too
                damaged to read anything.
        """
        return _open(Path(path))

    @property
    def sides(self) -> tuple[Side, ...]:
        """Sides that have a sensor or packets, "left" first."""
        return tuple(s for s in SIDES if s in self.sensors or s in self.side_packets)

    def packets(self, side: Side) -> tuple[np.ndarray, list[bytes]]:
        """Arrival times (float64, session seconds) and raw payloads of the data
        characteristic of one side (responses are in :attr:`responses`).

        Raises:
            RecordingError: if ``side`` is not "left" or "right".
        """
        part = self._side(side)
        return part.arrival_time_s, part.payloads

    def iter_packets(self) -> Iterator[Packet]:
        """All packets of both sides, data and responses, in arrival order (the
        order they were written): what a replay feeds to the decoders."""
        parts = list(self.side_packets.items())
        id_arrays = [p.packet_id for _, p in parts] + [self.response_ids]
        ids = np.concatenate(id_arrays)
        which = np.concatenate([np.full(len(a), k) for k, a in enumerate(id_arrays)])
        index = np.concatenate([np.arange(len(a)) for a in id_arrays])
        order = np.argsort(ids, kind="stable")
        for k, i in zip(which[order].tolist(), index[order].tolist(), strict=True):
            if k == len(parts):
                yield self.responses[i]
            else:
                side, part = parts[k]
                yield Packet(side, float(part.arrival_time_s[i]), part.payloads[i])

    def packet_count(self, side: Side) -> int:
        """Number of packets of ``side`` (0 if none).

        Raises:
            RecordingError: if ``side`` is not "left" or "right".
        """
        return len(self._side(side).payloads)

    def byte_count(self, side: Side) -> int:
        """Total payload bytes of ``side``.

        Raises:
            RecordingError: if ``side`` is not "left" or "right".
        """
        return self._side(side).byte_count

    @property
    def start_s(self) -> float:
        """Earliest data-packet arrival time over both sides, session seconds (0.0 without packets)."""
        starts = [p.arrival_time_s[0] for p in self.side_packets.values() if len(p.payloads)]
        return float(min(starts)) if starts else 0.0

    @property
    def duration_s(self) -> float:
        """Time from the first to the last data packet over both sides, seconds."""
        ends = [p.arrival_time_s[-1] for p in self.side_packets.values() if len(p.payloads)]
        return float(max(ends)) - self.start_s if ends else 0.0

    def _side(self, side: Side) -> SidePackets:
        if side not in SIDES:
            raise RecordingError(f"side must be 'left' or 'right', got {side!r}")
        return self.side_packets.get(side, _EMPTY)


_EMPTY = SidePackets(np.zeros(0, np.int64), np.zeros(0, np.float64), [])


def _open(path: Path) -> Recording:
    try:
        with open(path, "rb") as file:
            header = file.read(100)
    except OSError as exc:
        raise RecordingError(f"{path}: cannot open the recording: {exc.strerror or exc}") from exc
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise RecordingError(
            f"{path}: not an anklet recording (not an SQLite database); "
            "expected a .anklet file written by 'anklet record'"
        )
    uri = f"file:{urllib.parse.quote(str(path.resolve()))}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
        # A truncated file is shorter than the page count in its header, which
        # SQLite refuses unless writable_schema is on; the connection is
        # read-only (mode=ro), so nothing can be written either way.
        conn.execute("PRAGMA writable_schema = ON")
    except sqlite3.Error as exc:
        raise RecordingError(f"{path}: cannot open the recording: {exc}") from exc
    try:
        return _read(conn, path)
    except sqlite3.Error as exc:
        raise RecordingError(
            f"{path}: the recording is too damaged to read ({exc}); "
            "if it came from a crashed session, keep its -wal file next to it"
        ) from exc
    finally:
        conn.close()


def _read(conn: sqlite3.Connection, path: Path) -> Recording:
    application_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if application_id != APPLICATION_ID:
        raise RecordingError(
            f"{path}: not an anklet recording (an SQLite database with application_id "
            f"{application_id:#x}, expected {APPLICATION_ID:#x})"
        )
    format_version = conn.execute("PRAGMA user_version").fetchone()[0]
    if format_version > FORMAT_VERSION:
        raise RecordingError(
            f"{path}: recording format version {format_version} is newer than this anklet "
            f"supports ({FORMAT_VERSION}); upgrade anklet"
        )
    damage: list[TableDamage] = []
    meta_rows = _load(conn, "meta", damage, _decode_meta)
    meta = {key: value for _, key, value in meta_rows}
    complete = meta.get("complete") is True
    counts = meta.get("row_count") if complete else None
    expected = {t: n for t, n in counts.items() if isinstance(n, int)} if isinstance(counts, dict) else {}
    if expected.get("meta", 0) > len(meta_rows):  # the completion rows count the meta table too
        damage[0] = replace(damage[0], lost_rows=expected["meta"] - len(meta_rows))
    packet_rows = _load(conn, "packet", damage, _check_packet, expected.get("packet", 0))
    if not meta_rows and not packet_rows:
        raise RecordingError(f"{path}: the recording is too damaged to read; nothing could be recovered")

    recording = Recording(
        path=path,
        format_version=format_version,
        anklet_version=str(meta.get("anklet_version", "")),
        metadata=_metadata(meta),
        sensors={
            row[1]: SensorInfo(*row[2:])
            for row in _load(conn, "sensor", damage, _decode_sensor, expected.get("sensor", 0))
        },
        markers=tuple(
            Marker(*row[1:]) for row in _load(conn, "marker", damage, _check_row, expected.get("marker", 0))
        ),
        connection_events=tuple(
            ConnectionEvent(*row[1:])
            for row in _load(
                conn, "connection_event", damage, _check_row, expected.get("connection_event", 0)
            )
        ),
        clock_models={
            row[1]: row[2]
            for row in _load(conn, "clock_model", damage, _decode_clock, expected.get("clock_model", 0))
        },
        complete=complete,
        damage=tuple(d for d in damage if d.lost_rows or d.unreadable),
        **_split_packets(packet_rows),
    )
    _warn(recording)
    return recording


def _load(
    conn: sqlite3.Connection,
    table: str,
    damage: list[TableDamage],
    decode: Any,
    expected_rows: int = 0,
) -> list[tuple[Any, ...]]:
    """Rows of ``table`` that are readable and pass their checksum, by id;
    appends what was lost to ``damage``.

    ``decode(row)`` returns the decoded row (without crc) or None if the row
    is bad. Ids are consecutive from 1, so every missing id below the largest
    known one (``expected_rows`` from the completion record, or the largest id
    in the table) is a lost row.
    """
    raw, max_id, extent_known = _fetch(conn, table, expected_rows)
    good: list[tuple[Any, ...]] = []
    last_id = 0
    for row in raw:
        decoded = decode(row)
        if decoded is not None and isinstance(row[0], int) and row[0] > last_id:
            good.append(decoded)
            last_id = row[0]
    expected = max(expected_rows, max_id, last_id)
    damage.append(TableDamage(table, len(good), expected - len(good), not extent_known))
    return good


def _fetch(
    conn: sqlite3.Connection, table: str, expected_rows: int
) -> tuple[list[tuple[Any, ...]], int, bool]:
    """All raw rows (with crc) of ``table`` by id, reading around unreadable
    pages; also the largest id known to exist (0 if none) and whether that
    bound is known (False if the table could not be read as a whole and
    neither ``max(id)`` nor ``expected_rows`` gave its extent)."""
    select = f"SELECT {', '.join(COLUMNS[table])}, crc32 FROM {table}"
    try:
        rows = conn.execute(f"{select} ORDER BY id").fetchall()
        return rows, max((r[0] for r in rows[-1:] if isinstance(r[0], int)), default=0), True
    except sqlite3.DatabaseError:
        pass
    upper = expected_rows
    extent_known = expected_rows > 0
    try:
        upper = max(upper, conn.execute(f"SELECT max(id) FROM {table}").fetchone()[0] or 0)
        extent_known = True
    except (sqlite3.DatabaseError, TypeError):
        pass
    rows = []
    ranges = [
        (lo, min(lo + _SALVAGE_CHUNK_ROWS - 1, upper)) for lo in range(1, upper + 1, _SALVAGE_CHUNK_ROWS)
    ]
    ranges.reverse()
    while ranges:
        lo, hi = ranges.pop()
        try:
            rows.extend(conn.execute(f"{select} WHERE id BETWEEN ? AND ? ORDER BY id", (lo, hi)).fetchall())
        except sqlite3.DatabaseError:
            if lo < hi:
                mid = (lo + hi) // 2
                ranges.extend(((mid + 1, hi), (lo, mid)))
    return rows, upper, extent_known


def _check_packet(row: tuple[Any, ...]) -> tuple[Any, ...] | None:
    try:
        ok = packet_crc32(*row[:5]) == row[5] and isinstance(row[4], bytes)
    except (KeyError, TypeError, struct.error, OverflowError):
        return None
    return row[:5] if ok else None


def _check_row(row: tuple[Any, ...]) -> tuple[Any, ...] | None:
    try:
        ok = row_crc32(row[:-1]) == row[-1]
    except (TypeError, struct.error, OverflowError):
        return None
    return row[:-1] if ok else None


def _decode_meta(row: tuple[Any, ...]) -> tuple[Any, ...] | None:
    checked = _check_row(row)
    if checked is None:
        return None
    try:
        return (checked[0], checked[1], json.loads(checked[2]))
    except (TypeError, ValueError):
        return None


def _decode_sensor(row: tuple[Any, ...]) -> tuple[Any, ...] | None:
    checked = _check_row(row)
    if checked is None:
        return None
    try:
        return (*checked[:6], json.loads(checked[6]))
    except (TypeError, ValueError):
        return None


def _decode_clock(row: tuple[Any, ...]) -> tuple[Any, ...] | None:
    checked = _check_row(row)
    if checked is None:
        return None
    try:
        return (checked[0], checked[1], ClockModel(**json.loads(checked[2])))
    except (TypeError, ValueError):
        return None


def _metadata(meta: dict[str, Any]) -> SessionMetadata:
    start = meta.get("start_time_utc")
    config = meta.get("config")
    return SessionMetadata(
        subject_id=str(meta.get("subject_id", "")),
        activity=str(meta.get("activity", "")),
        notes=str(meta.get("notes", "")),
        start_time_utc=datetime.fromisoformat(start) if isinstance(start, str) else None,
        config=config if isinstance(config, dict) else {},
    )


def _split_packets(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    """The ``side_packets``, ``responses`` and ``response_ids`` fields of a Recording."""
    columns: dict[Side, tuple[list[int], list[float], list[bytes]]] = {}
    responses: list[Packet] = []
    response_ids: list[int] = []
    for packet_id, side, arrival_time_s, characteristic_uuid, payload in rows:
        if characteristic_uuid is None:
            ids, times, payloads = columns.setdefault(side, ([], [], []))
            ids.append(packet_id)
            times.append(arrival_time_s)
            payloads.append(payload)
        else:
            responses.append(Packet(side, arrival_time_s, payload, characteristic_uuid))
            response_ids.append(packet_id)
    return {
        "side_packets": {
            side: SidePackets(np.array(ids, np.int64), np.array(times, np.float64), payloads)
            for side, (ids, times, payloads) in sorted(columns.items())
        },
        "responses": tuple(responses),
        "response_ids": np.array(response_ids, np.int64),
    }


def _warn(recording: Recording) -> None:
    n_packets = sum(len(p.payloads) for p in recording.side_packets.values()) + len(recording.responses)
    if recording.damage:
        lost = "; ".join(d.describe() for d in recording.damage)
        warnings.warn(
            f"{recording.path}: the recording is damaged; recovered {n_packets} packets ({lost}). "
            "The recovered data are intact (checksummed).",
            DamagedRecordingWarning,
            stacklevel=5,
        )
    if not recording.complete:
        warnings.warn(
            f"{recording.path}: the recording is incomplete (its writer did not finish, e.g. it "
            f"crashed); {n_packets} packets up to t = {recording.start_s + recording.duration_s:.3f} s "
            "were recovered, the last second before the end may be missing",
            IncompleteRecordingWarning,
            stacklevel=5,
        )
