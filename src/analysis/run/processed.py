"""Build ``data/processed/`` from ``data/raw/`` (``kaztur data``, and ``kaztur run`` when
the folder is not a current build: :func:`ensure_current`).

What the folder holds and when it is current: :mod:`analysis.data.processed`. Every input
is verified first (``data/raw/`` and ``data/external/``: checksums, descriptors,
schemas; see :mod:`analysis.run.preflight`); every dataset is then
computed and validated before anything is written, into a staging folder that replaces
``data/processed/`` as a whole (:mod:`analysis.run.staging`). A killed or failed build
leaves the previous processed files, all of them, as they were.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from analysis import config
from analysis.data import processed as store
from analysis.errors import rel
from analysis.run import preflight, progress, staging

if TYPE_CHECKING:
    import pandas as pd


def build_all() -> dict[str, pd.DataFrame]:
    """Every dataset built from ``data/raw/``, in name order. Raises DataError before any
    write on bad input."""
    # deliberate lazy import: a run whose processed data is current never loads pandas here
    from analysis.data import datasets

    return {name: datasets.build(name) for name in datasets.names()}


def write_all(out_dir: Path | None = None,
              note: Callable[[str], None] = lambda _: None, verified: bool = False
              ) -> list[Path]:
    """Verify (unless the caller just did: ``verified``), build every dataset, write them
    and the stamp into a staging folder and swap it in; ``note`` hears each step
    (``kaztur data -v``)."""
    out_dir = out_dir or config.PROCESSED_DIR
    # the folder, and the one beside it where the staging folder goes: refused at once
    staging.require_writable([out_dir.parent, out_dir, staging.lock_folder(config.ROOT)])
    if not verified:
        preflight.require_verified(config.ROOT)
        note("inputs verified (data/raw/ and data/external/)")
    inputs = store.built_from()  # before the build: a file changed meanwhile is stale
    frames = build_all()
    note(f"{len(frames)} datasets built; writing them")
    staging.clean_leftovers(out_dir)
    stage = staging.staging_dir(out_dir)
    try:
        for name in store.DOCS:
            if (out_dir / name).is_file():
                staging.link_or_copy(str(out_dir / name), str(stage / name))
        written = store.write(frames, stage, inputs)
        note(f"{len(written)} files written; swapping them in")
        staging.swap_in(stage, out_dir)
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)
    return [out_dir / p.name for p in written]


def ensure_current(note: Callable[[str], None]) -> bool:
    """Rebuild ``data/processed/`` when it is not a current build of the verified raw files
    (``kaztur run``, under its lock, after its pre-check); True when it did."""
    why = store.problem()
    if why is None:
        return False
    note(f"{why}; building it")
    write_all(config.PROCESSED_DIR, verified=True)
    return True


def main(verbose: bool = False) -> int:
    """``kaztur data [-v]``, under the project lock (a run reading processed data waits)."""
    show = progress.Lines(sys.stderr, progress.VERBOSE if verbose else progress.NORMAL,
                          command="data")
    with staging.project_lock(config.ROOT, "data", _note):
        written = write_all(config.PROCESSED_DIR,
                            lambda message: show.note(message, progress.VERBOSE))
    print(f"kaztur data: wrote {len(written)} files to {rel(config.PROCESSED_DIR)}/")
    return 0


def _note(message: str) -> None:
    print(f"kaztur data: {message}", file=sys.stderr)
