"""Remembered pairing: the last left/right sensor addresses, in a small JSON file.

The file is ``$XDG_CONFIG_HOME/anklet/pairing.json`` (default
``~/.config/anklet/pairing.json``; ``%APPDATA%\\anklet`` on Windows), or the
path in ``ANKLET_CONFIG_DIR`` if set. It holds ``{"left": ADDR, "right": ADDR}``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from anklet.errors import AnkletError
from anklet.imu import SIDES, Side


def config_dir() -> Path:
    """The user's anklet configuration directory (not created)."""
    if "ANKLET_CONFIG_DIR" in os.environ:
        return Path(os.environ["ANKLET_CONFIG_DIR"])
    if sys.platform == "win32" and "APPDATA" in os.environ:
        return Path(os.environ["APPDATA"]) / "anklet"
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "anklet"


def pairing_path() -> Path:
    """Where the remembered pairing is stored."""
    return config_dir() / "pairing.json"


def load_pairing() -> dict[Side, str] | None:
    """The remembered addresses, or None if nothing usable is stored.

    Raises:
        AnkletError: the file exists but is not valid; the message names it.
    """
    path = pairing_path()
    if not path.exists():
        return None
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AnkletError(f"{path}: cannot read the remembered pairing ({exc}); delete the file") from exc
    if not isinstance(stored, dict) or not all(isinstance(stored.get(side), str) for side in SIDES):
        raise AnkletError(f'{path}: expected {{"left": "ADDRESS", "right": "ADDRESS"}}; delete the file')
    return {side: stored[side] for side in SIDES}


def save_pairing(addresses: dict[Side, str]) -> Path:
    """Remember ``addresses`` (both sides); returns the file written.

    Raises:
        OSError: the directory cannot be created or the file written.
    """
    path = pairing_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({side: addresses[side] for side in SIDES}, indent=1) + "\n",
        encoding="utf-8",
    )
    return path


def pair_addresses(left: str | None, right: str | None) -> dict[Side, str]:
    """Both sensors' addresses: the ones given, the rest from the remembered pairing.

    Raises:
        AnkletError: an address is missing and no pairing is remembered.
    """
    if left is not None and right is not None:
        return {"left": left, "right": right}
    remembered = load_pairing()
    if remembered is None:
        raise AnkletError(
            "give --left ADDR and --right ADDR (run 'anklet scan' to list the sensors in range); "
            f"later sessions reuse them (stored in {pairing_path()})"
        )
    return {"left": left or remembered["left"], "right": right or remembered["right"]}
