"""The replication site: a static book built offline from the pipeline's executed notebooks.

``make site`` (``python -m analysis.run.site``) reads what ``kaztur run`` and ``kaztur check``
left in ``reports/`` (never re-executing a notebook) and writes, under ``reports/``:

    site/index.html             language chooser (→ kk/ or en/)
    site/kk/, site/en/          the Sphinx + MyST-NB + sphinx-book-theme build per language
    site/.build/<lang>/         generated sources and Sphinx's doctrees (incremental builds)
    REPLICATION.md              the per-exhibit replication report (English)
    _assets/mathjax/tex-svg.js  MathJax for the pipeline's notebook pages

Modules: :mod:`.inputs` (where the run's files are: the one place that knows the layout),
:mod:`.findings` (the front page's numbers, read from those files), :mod:`.replication`
(per-exhibit classification), :mod:`.pages` (MyST sources), :mod:`.notebooks` (notebook
copies with the cell tags applied; teacher and student pages), :mod:`.sphinx_ext` and
:mod:`.sphinx_conf` (the Sphinx side: Kazakh search, the language switch, configuration),
:mod:`.build` (orchestration), :mod:`.assets` (MathJax), :mod:`.binder` (binder/ files).
"""
