"""Collector tests: the ``slow`` marker (real-time BLE sessions of 10 s or more)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: streams emulated sensors in real time for 10 s or more")
