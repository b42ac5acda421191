"""Browser assets the HTML pages load, copied from installed packages (never a CDN).

MathJax 3 comes from the ``django-static-mathjax`` package on PyPI (pinned with its hash in
requirements.lock): its ``es5/tex-svg.js`` is one file that holds the TeX input and the SVG
output with its glyphs, so it needs no font files and works from ``file://``. One copy goes
to ``reports/_assets/mathjax/`` for the pipeline's notebook pages (the template
``run/templates/notebook_offline.html.j2`` points there) and one into each site build's
``_static/``.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

MATHJAX_FILE = "tex-svg.js"
ASSETS_DIR = "_assets"


def mathjax_source() -> Path:
    """``tex-svg.js`` inside the installed ``mathjax`` package (django-static-mathjax)."""
    path = Path(str(resources.files("mathjax") / "static" / "mathjax" / "es5" / MATHJAX_FILE))
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing: the django-static-mathjax package is not installed as "
            "requirements.lock pins it (run `make env`)")
    return path


def copy_if_changed(source: Path, target: Path) -> bool:
    """Copy ``source`` to ``target`` unless an identical file is there; True if copied."""
    if target.is_file() and target.stat().st_size == source.stat().st_size \
            and target.read_bytes() == source.read_bytes():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    shutil.copyfile(source, tmp)
    tmp.replace(target)
    return True


def install(reports: Path) -> Path:
    """``reports/_assets/mathjax/tex-svg.js`` (what the notebook pages load); its path."""
    target = reports / ASSETS_DIR / "mathjax" / MATHJAX_FILE
    copy_if_changed(mathjax_source(), target)
    return target
