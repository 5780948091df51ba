"""The on-disk layout of an ``.anklet`` recording (SQLite): identifiers, pragmas,
table definitions and the per-row checksum rule. Documented in
docs/recording-format.md; keep the two in step.
"""

from __future__ import annotations

import struct
import zlib

from anklet.imu import SIDES

#: File name suffix of a recording.
SUFFIX = ".anklet"
#: Stored in the SQLite header (``PRAGMA application_id``, offset 68): ASCII "ANKL".
APPLICATION_ID = int.from_bytes(b"ANKL", "big")
#: Layout version, stored as ``PRAGMA user_version`` and as meta key ``format_version``.
FORMAT_VERSION = 1
#: First 16 bytes of every SQLite 3 database file.
SQLITE_MAGIC = b"SQLite format 3\x00"
#: Page size in bytes (SQLite default; set before the first table).
PAGE_SIZE = 4096

#: Statements run once on a new, empty file (in rollback-journal mode, so the
#: header, schema and session metadata reach the main file before any packet).
SCHEMA: tuple[str, ...] = (
    f"PRAGMA page_size = {PAGE_SIZE}",
    f"PRAGMA application_id = {APPLICATION_ID}",
    f"PRAGMA user_version = {FORMAT_VERSION}",
    """CREATE TABLE meta (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        value TEXT NOT NULL,
        crc32 INTEGER NOT NULL)""",
    """CREATE TABLE sensor (
        id INTEGER PRIMARY KEY,
        side TEXT NOT NULL UNIQUE CHECK (side IN ('left', 'right')),
        address TEXT NOT NULL,
        name TEXT NOT NULL,
        protocol TEXT NOT NULL,
        firmware_version TEXT NOT NULL,
        config TEXT NOT NULL,
        crc32 INTEGER NOT NULL)""",
    """CREATE TABLE packet (
        id INTEGER PRIMARY KEY,
        side TEXT NOT NULL CHECK (side IN ('left', 'right')),
        arrival_time_s REAL NOT NULL,
        characteristic_uuid TEXT,
        payload BLOB NOT NULL,
        crc32 INTEGER NOT NULL)""",
    """CREATE TABLE marker (
        id INTEGER PRIMARY KEY,
        time_s REAL NOT NULL,
        text TEXT NOT NULL,
        crc32 INTEGER NOT NULL)""",
    """CREATE TABLE connection_event (
        id INTEGER PRIMARY KEY,
        side TEXT NOT NULL CHECK (side IN ('left', 'right')),
        time_s REAL NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('connected', 'disconnected', 'reconnected')),
        detail TEXT NOT NULL,
        crc32 INTEGER NOT NULL)""",
    """CREATE TABLE clock_model (
        id INTEGER PRIMARY KEY,
        side TEXT NOT NULL CHECK (side IN ('left', 'right')),
        model TEXT NOT NULL,
        crc32 INTEGER NOT NULL)""",
)

#: Pragmas for the recording phase: WAL so a commit needs no fsync and readers
#: can look at a file that is still being written; NORMAL sync is durable
#: against process crashes (the WAL is in the OS page cache).
RECORDING_PRAGMAS: tuple[str, ...] = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
)

#: Table name -> its columns in order, without ``crc32`` (which covers them all).
COLUMNS: dict[str, tuple[str, ...]] = {
    "meta": ("id", "key", "value"),
    "sensor": ("id", "side", "address", "name", "protocol", "firmware_version", "config"),
    "packet": ("id", "side", "arrival_time_s", "characteristic_uuid", "payload"),
    "marker": ("id", "time_s", "text"),
    "connection_event": ("id", "side", "time_s", "kind", "detail"),
    "clock_model": ("id", "side", "model"),
}

_INT64 = struct.Struct("<q")
_FLOAT64 = struct.Struct("<d")
_UINT32 = struct.Struct("<I")
_NULL_FIELD = b"\xff\xff\xff\xff"
_SIDE_FIELD: dict[str, bytes] = {side: _UINT32.pack(len(side)) + side.encode("ascii") for side in SIDES}


def row_crc32(values: tuple[int | float | str | bytes | None, ...]) -> int:
    """CRC-32 (ISO-HDLC, as zlib) of one row's values in column order.

    Each value is encoded and the encodings concatenated: int -> 8-byte
    little-endian two's complement; float -> 8-byte little-endian IEEE 754
    binary64; str -> its UTF-8 bytes, bytes -> as is, both preceded by their
    length as a 4-byte little-endian unsigned integer; None (SQL NULL) -> the
    four bytes FF FF FF FF.

    Raises:
        TypeError: for a value of any other type.
    """
    crc = 0
    for value in values:
        if isinstance(value, bool) or not isinstance(value, (int, float, str, bytes, type(None))):
            raise TypeError(f"cannot checksum a {type(value).__name__}")
        if value is None:
            crc = zlib.crc32(_NULL_FIELD, crc)
        elif isinstance(value, int):
            crc = zlib.crc32(_INT64.pack(value), crc)
        elif isinstance(value, float):
            crc = zlib.crc32(_FLOAT64.pack(value), crc)
        else:
            data = value.encode("utf-8") if isinstance(value, str) else value
            crc = zlib.crc32(_UINT32.pack(len(data)) + data, crc)
    return crc


def packet_crc32(
    packet_id: int, side: str, arrival_time_s: float, characteristic_uuid: str | None, payload: bytes
) -> int:
    """:func:`row_crc32` of a packet row, specialised for the common case of a
    data packet (``characteristic_uuid`` None); same result.

    Raises:
        KeyError: if ``side`` is not "left" or "right".
        TypeError, struct.error: for values of the wrong type.
    """
    if characteristic_uuid is not None:
        return row_crc32((packet_id, side, arrival_time_s, characteristic_uuid, payload))
    head = (
        _INT64.pack(packet_id)
        + _SIDE_FIELD[side]
        + _FLOAT64.pack(arrival_time_s)
        + _NULL_FIELD
        + _UINT32.pack(len(payload))
    )
    return zlib.crc32(payload, zlib.crc32(head))
