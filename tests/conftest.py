"""Shared fixtures: the real datasets beside the repository (../shared/datasets)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from anklet.validation.datasets import default_root

DATASETS_ROOT = default_root()


@pytest.fixture(scope="session")
def datasets_root() -> Path:
    """The shared datasets folder (``$ANKLET_DATASETS`` or ``../shared/datasets``).

    On CI (``CI`` set) a missing folder fails the tests that need it; elsewhere
    they skip with the reason, so a clone without the datasets still runs the rest.
    """
    if not DATASETS_ROOT.is_dir():
        message = f"real datasets not found at {DATASETS_ROOT}; set ANKLET_DATASETS or put them in ../shared/datasets"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return DATASETS_ROOT
