"""The one way every notebook starts::

    %matplotlib inline
    from analysis.present.session import start
    ex = start("01_trade", globals())

Why one idiom: a student who opens any notebook sees the same first cell after the
``parameters`` cell, and every notebook gets the same guarantees from it:

* the parameters as they stand in the notebook (edited by hand, or injected by papermill)
  are validated (:func:`analysis.present.parameters.validate`): an unknown name, a wrong type or a
  value out of range stops the notebook with a clear message instead of a wrong result;
  the validated values are written back (so ``ci_level = 1`` becomes ``1.0``);
* the figure style is set (fonts that cover Kazakh, deterministic output);
* the returned :class:`~analysis.present.notebook.Exhibits` numbers, captions, shows and
  saves the notebook's tables and figures in its language (``ex.lang``, ``ex.params``).
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from typing import Any

from analysis.present import parameters, style
from analysis.present.notebook import Exhibits

_NUMBERED = re.compile(r"^(?:seminar_)?(\d+)_")


def exhibit_number(stem: str) -> str:
    """The number exhibits of a notebook carry: ``01_trade`` → ``1``; a seminar notebook
    ``seminar_02_shares`` → ``S2``."""
    match = _NUMBERED.match(stem)
    if match is None:
        raise ValueError(f"notebook name {stem!r} does not start with a number such as 01_")
    number = str(int(match.group(1)))
    return f"S{number}" if stem.startswith("seminar_") else number


def start(stem: str, namespace: MutableMapping[str, Any]) -> Exhibits:
    """Validate the notebook's parameters in ``namespace`` (its ``globals()``), write the
    validated values back, set the figure style, and return the notebook's exhibits."""
    values = parameters.from_notebook_globals(stem, namespace)
    namespace.update(values)
    lang = style.setup(values["lang"])
    return Exhibits(exhibit_number(stem), lang, values)
