"""``python -m analysis.run.site``: build the site (see :mod:`analysis.run.site.make`)."""

from analysis.run.site.make import main

raise SystemExit(main())
