"""Browser assets the HTML pages load, copied from installed packages (never a CDN).

MathJax 3 comes from the ``django-static-mathjax`` package on PyPI (pinned with its hash in
requirements.lock): its ``es5/tex-svg.js`` is one file that holds the TeX input and the SVG
output with its glyphs, so it needs no font files and works from ``file://``. A copy goes
into each site build's ``_static/``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

MATHJAX_FILE = "tex-svg.js"


def mathjax_source() -> Path:
    """``tex-svg.js`` inside the installed ``mathjax`` package (django-static-mathjax)."""
    path = Path(str(resources.files("mathjax") / "static" / "mathjax" / "es5" / MATHJAX_FILE))
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing: the django-static-mathjax package is not installed as "
            "requirements.lock pins it (run `make env`)")
    return path
