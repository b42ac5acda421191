"""The replication site: the reader's front end, a static book built offline from a run.

``kaztur site`` (``make site``, ``python -m analysis.run.site``) reads what ``kaztur run`` left
in ``reports/`` (never re-executing a notebook) and writes, under ``reports/``:

    index.html                  the language choice (қазақша / English), styled like the site
    site/index.html             the same, inside the site
    site/kk/, site/en/          the Sphinx + MyST-NB + sphinx-book-theme build per language:
                                front page, exhibits, the claims ledger, the replication
                                report, every notebook (readers', teachers', students' pages)
    site/.build/<lang>/         generated sources, Sphinx's doctrees, the build's stamp
    REPLICATION.md              the per-exhibit replication report (English)

Modules: :mod:`.inputs` (where the run's files are: the one place that knows the layout),
:mod:`.front_facts` (the front page's facts, read as data), :mod:`.replication` (per-exhibit
classification), :mod:`.ledger` (the ledger page), :mod:`.pages` (MyST sources),
:mod:`.notebooks` and :mod:`.bilingual` (notebook copies with the cell tags applied, in the
page's language; teacher and student pages), :mod:`.sphinx_ext` and :mod:`.sphinx_conf`
(the Sphinx side: search with numbers, Kazakh chrome, the language switch, configuration),
:mod:`.catalogs` (the chrome's Kazakh translations, compiled),
:mod:`.sphinx_child` (sphinx-build that never writes through a hard link), :mod:`.build`
(sources, staging, swap), :mod:`.make` (the command: up-to-date check, lock, errors),
:mod:`.assets` (MathJax), :mod:`.binder` (binder/ files).
"""
