"""Findings: the ledger's contradicted rows grouped into the problems a reader would name.

Why a layer of its own: the claims ledger (:mod:`analysis.checks`) judges every printed
number, one row per number and check, so one problem of the source — two tables that give
different trade for the same years — fills a dozen rows. An examiner needs the problems:
how many there are, how serious each is, which lines it concerns, whether it is firm, what
may have caused it and what an author could correct. This package reads the
language-neutral ledger and the shipped data and returns that, as data; it never draws and
never writes a sentence (the presentation layer, :mod:`analysis.present.findings_text`,
writes each phrase in Kazakh or English).

* :mod:`.facts` — what each ledger row is about (its figures, tables, topic, event, trend),
  read from the row's phrases, and the catalogue of the shipped data it needs;
* :mod:`.grouping` — the grouping rules (code, never a list of row ids): every contradicted
  row belongs to exactly one finding;
* :mod:`.severity` — the stated severity rule (size of the discrepancy relative to the
  quantity; whether a conclusion of the dissertation, ``data/raw/conclusions.csv``, rests
  on it);
* :mod:`.firmness` — firm or debatable, with the reason;
* :mod:`.causes` — cause hypotheses, each a test with its evidence;
* :mod:`.corrections` — what an author could correct, and which source supports it;
* :mod:`.model` — the :class:`~.model.Finding` record and ``findings.json``;
* :mod:`.build` — :func:`~.build.build`, the findings of a ledger;
* :mod:`.headline` — the one set of numbers every front end shows.

The rules are documented for readers in ``docs/FINDINGS.md``.
"""
