"""``python -m analysis.run.site``: build the site (see :mod:`analysis.run.site.build`)."""

from analysis.run.site.build import main

raise SystemExit(main())
