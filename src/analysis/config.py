"""Project paths, resolved once.

The project root is ``KAZTUR_ROOT`` when set; otherwise the nearest folder, from the
working directory up, that holds ``data/raw/`` (so a notebook run inside a *copy* of the
project reads that copy's data, which the nbval tamper test relies on). It is never,
silently, the checkout this package was installed from: run from elsewhere, the root is
the working directory and commands that need a project say that none is there
(:func:`project_problem`). A root whose ``data/raw/datapackage.json`` is missing is still
that root: the missing descriptor is reported as an error there.
"""

from __future__ import annotations

import os
from pathlib import Path

_MARKER = Path("data") / "raw"


def find_root(start: Path | None = None) -> Path:
    """Return the project root (see the module docstring for the search order)."""
    env = os.environ.get("KAZTUR_ROOT")
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / _MARKER).is_dir():
            return candidate
    return here


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


#: Set by ``kaztur run`` in every notebook's kernel: the language-neutral ledger
#: (``ledger.json``) its ledger task built once for the whole run, which a notebook showing
#: the ledger loads instead of building it again; empty when the run has none (the notebook
#: then builds it: :func:`analysis.checks.ledger.current`).
RUN_LEDGER_ENV = "KAZTUR_RUN_LEDGER"


def source_available() -> bool:
    """True when the dissertation text is beside the checkout."""
    return DISSERTATION.is_file()


def project_problem() -> str | None:
    """Why the resolved root is not a project (None when it is one)."""
    if RAW_DIR.is_dir():
        return None
    if os.environ.get("KAZTUR_ROOT"):
        return (f"no project at {ROOT} (KAZTUR_ROOT): there is no data/raw/ folder there. "
                "Set KAZTUR_ROOT to the project folder (the one holding data/raw/ and "
                "notebooks/), or unset it and run kaztur inside that folder.")
    return (f"no project at {ROOT} (the working directory): there is no data/raw/ folder "
            "there or in any folder above it. Run kaztur inside the project folder (the "
            "one holding data/raw/ and notebooks/), or set KAZTUR_ROOT to it.")
