"""``python -m analysis.run.site``: ``kaztur site`` (see :mod:`analysis.run.site.make`), with
the command line's handling of signals and exit statuses."""

import sys

from analysis.run.cli import main

raise SystemExit(main(["site", *sys.argv[1:]], entry=True))
