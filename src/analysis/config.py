"""Project paths, resolved once.

The root is found in this order: the ``KAZTUR_ROOT`` environment variable; the nearest
parent of the working directory that holds ``data/raw/datapackage.json`` (so a notebook run
inside a *copy* of the project reads that copy's data, which the nbval tamper test relies
on); the checkout this package was installed from.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_ROOT = Path(__file__).resolve().parents[2]
_MARKER = Path("data") / "raw" / "datapackage.json"


def find_root(start: Path | None = None) -> Path:
    """Return the project root (see the module docstring for the search order)."""
    env = os.environ.get("KAZTUR_ROOT")
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / _MARKER).is_file():
            return candidate
    return _PACKAGE_ROOT


ROOT: Path = find_root()
RAW_DIR: Path = ROOT / "data" / "raw"
PROCESSED_DIR: Path = ROOT / "data" / "processed"
NOTEBOOKS_DIR: Path = ROOT / "notebooks"
REPORTS_DIR: Path = ROOT / "reports"
DATAPACKAGE: Path = RAW_DIR / "datapackage.json"
SRC_DIR: Path = ROOT / "src" / "analysis"

# The dissertation text is not shipped (it is the author's work); checks that compare our
# transcription with it run when it is present beside the checkout, as in ../shared/source.
SOURCE_DIR: Path = Path(os.environ.get("KAZTUR_SOURCE_DIR", ROOT.parent / "shared" / "source"))
DISSERTATION: Path = SOURCE_DIR / "dissertation_kk.txt"


def source_available() -> bool:
    """True when the dissertation text is beside the checkout."""
    return DISSERTATION.is_file()
