from __future__ import annotations

from pathlib import Path

import pytest

from anklet.errors import AnkletError
from anklet.export import OutputDirectoryError, prepare_output_dir


def test_creates_a_missing_directory(tmp_path: Path) -> None:
    out = prepare_output_dir(tmp_path / "new")
    assert out.is_dir() and not any(out.iterdir())


def test_accepts_an_empty_directory(tmp_path: Path) -> None:
    assert prepare_output_dir(tmp_path) == tmp_path


def test_refuses_a_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "old.csv").write_text("x\n")
    with pytest.raises(OutputDirectoryError, match="not empty") as info:
        prepare_output_dir(tmp_path)
    assert str(tmp_path) in str(info.value) and isinstance(info.value, AnkletError)
    assert (tmp_path / "old.csv").read_text() == "x\n"


def test_refuses_a_file(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_text("")
    with pytest.raises(OutputDirectoryError, match="is a file"):
        prepare_output_dir(path)


def test_refuses_a_missing_parent(tmp_path: Path) -> None:
    with pytest.raises(OutputDirectoryError, match="parent directory .* does not exist"):
        prepare_output_dir(tmp_path / "typo" / "out")
    assert not (tmp_path / "typo").exists()
