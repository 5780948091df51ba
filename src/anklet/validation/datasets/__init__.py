"""Public gait datasets with reference events, read in place from the shared
dataset folder (never copied into the repository; see docs/validation-datasets.md).

Usage::

    from anklet.validation.datasets import iter_trials, list_trials
    for trial in iter_trials("marpino-walking", placement="ankle"):
        trial.imu["left"], trial.reference.get("left"), trial.evaluation_window_s

The folder is ``root`` if given, else the ``ANKLET_DATASETS`` environment variable,
else ``../shared/datasets`` next to the repository root.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import ModuleType

from anklet.errors import AnkletError
from anklet.validation.datasets import gaitmap, ipol, marpino
from anklet.validation.datasets.trial import Placement, ReferenceEvents, Trial

__all__ = [
    "DATASETS",
    "DatasetNotFoundError",
    "Placement",
    "ReferenceEvents",
    "Trial",
    "default_root",
    "iter_trials",
    "list_trials",
]

ENVIRONMENT_VARIABLE = "ANKLET_DATASETS"
_READERS: dict[str, ModuleType] = {m.DATASET: m for m in (ipol, marpino, gaitmap)}
#: Names of the supported datasets (their folder names).
DATASETS: tuple[str, ...] = tuple(_READERS)


class DatasetNotFoundError(AnkletError):
    """A dataset name is unknown, or its folder or a trial is missing."""


def default_root() -> Path:
    """The dataset folder: ``$ANKLET_DATASETS``, else ``<repo>/../shared/datasets``."""
    configured = os.environ.get(ENVIRONMENT_VARIABLE)
    if configured:
        return Path(configured)
    repository = Path(__file__).resolve().parents[4]
    return repository.parent / "shared" / "datasets"


def list_trials(dataset: str, root: Path | None = None) -> list[str]:
    """Trial names of ``dataset`` without loading them.

    Args:
        dataset: one of :data:`DATASETS`.
        root: folder holding the dataset folders (default :func:`default_root`).

    Raises:
        DatasetNotFoundError: unknown dataset or missing folder.
    """
    reader, folder = _locate(dataset, root)
    return reader.list_names(folder)


def iter_trials(
    dataset: str,
    root: Path | None = None,
    names: Iterable[str] | None = None,
    placement: Placement | None = None,
) -> Iterator[Trial]:
    """Load the trials of ``dataset`` one at a time.

    Args:
        dataset: one of :data:`DATASETS`.
        root: folder holding the dataset folders (default :func:`default_root`).
        names: trials to load (default: all, see :func:`list_trials`).
        placement: only trials of this sensor placement ("foot" or "ankle");
            None yields every placement (marpino-walking gives both per recording).

    Yields:
        Trials with IMU data and reference events on one time axis (seconds).

    Raises:
        DatasetNotFoundError: unknown dataset, missing folder or unknown trial name.
        anklet.errors.InputFormatError: a dataset file is malformed.
    """
    reader, folder = _locate(dataset, root)
    available = reader.list_names(folder)
    wanted = available if names is None else list(names)
    unknown = sorted(set(wanted) - set(available))
    if unknown:
        raise DatasetNotFoundError(
            f"{dataset} has no trial(s) {', '.join(unknown)} in {folder}; see list_trials('{dataset}')"
        )
    for name in wanted:
        for trial in reader.load(folder, name):
            if placement is None or trial.placement == placement:
                yield trial


def _locate(dataset: str, root: Path | None) -> tuple[ModuleType, Path]:
    """The reader module and folder of ``dataset``."""
    if dataset not in _READERS:
        raise DatasetNotFoundError(f"unknown dataset '{dataset}'; choose one of {', '.join(DATASETS)}")
    folder = (default_root() if root is None else Path(root)) / dataset
    if not folder.is_dir():
        raise DatasetNotFoundError(
            f"dataset folder {folder} not found; pass root= or set {ENVIRONMENT_VARIABLE} "
            "to the folder holding the shared datasets"
        )
    return _READERS[dataset], folder
