"""Shared fixtures: the real datasets beside the repository (../shared/datasets)."""

from __future__ import annotations

from pathlib import Path

import pytest

DATASETS_ROOT = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"


@pytest.fixture(scope="session")
def datasets_root() -> Path:
    """The shared datasets folder; tests using it skip (with the reason) when it is absent."""
    if not DATASETS_ROOT.is_dir():
        pytest.skip(f"real datasets not found at {DATASETS_ROOT} (CI always has them)")
    return DATASETS_ROOT
