"""Tests of anklet.recording.schema: the checksum rule and the documented layout."""

from __future__ import annotations

import sqlite3
import struct
import zlib
from pathlib import Path

import pytest

from anklet.recording.schema import (
    APPLICATION_ID,
    COLUMNS,
    FORMAT_VERSION,
    packet_crc32,
    row_crc32,
)

from .conftest import RESPONSE_UUID


def test_row_crc32_follows_documented_encoding() -> None:
    row = (7, "right", 1.5, None, "Ü", b"\x00\xff")
    encoded = (
        struct.pack("<q", 7)
        + struct.pack("<I", 5)
        + b"right"
        + struct.pack("<d", 1.5)
        + b"\xff\xff\xff\xff"
        + struct.pack("<I", 2)
        + "Ü".encode()
        + struct.pack("<I", 2)
        + b"\x00\xff"
    )
    assert row_crc32(row) == zlib.crc32(encoded)
    assert row_crc32(row) != row_crc32((8, *row[1:]))


@pytest.mark.parametrize("characteristic_uuid", [None, RESPONSE_UUID])
@pytest.mark.parametrize("payload", [b"", b"\x01\x02\x03", bytes(range(244))])
def test_packet_crc32_equals_row_crc32(characteristic_uuid: str | None, payload: bytes) -> None:
    row = (123456789, "left", -0.25, characteristic_uuid, payload)
    assert packet_crc32(*row) == row_crc32(row)


def test_row_crc32_rejects_other_types() -> None:
    with pytest.raises(TypeError, match="list"):
        row_crc32((1, [2]))  # type: ignore[arg-type]


def test_file_is_readable_with_plain_sqlite(recording_5k: Path) -> None:
    """What docs/recording-format.md promises to other tools."""
    conn = sqlite3.connect(f"file:{recording_5k}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == FORMAT_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        for table, columns in COLUMNS.items():
            names = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            assert names == [*columns, "crc32"]
            rows = conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
            assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
            assert all(row_crc32(r[:-1]) == r[-1] for r in rows)
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        assert meta["format_version"] == str(FORMAT_VERSION)
        assert meta["complete"] == "true"
    finally:
        conn.close()
