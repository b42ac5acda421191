"""``python -m analysis.run.site``: ``kaztur site`` (see :mod:`analysis.run.site.make`), with
the command line's handling of signals and exit statuses (:mod:`analysis.run.exits`)."""

import sys

from analysis.run.exits import guarded
from analysis.run.site.make import main

raise SystemExit(guarded("site", lambda: main(sys.argv[1:]), entry=True))
