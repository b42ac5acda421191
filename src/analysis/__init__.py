"""kaztur-analysis: reproduce, check and teach the numbers of a dissertation on
Kazakhstan–Türkiye relations within the Organization of Turkic States.

Public entry points: :mod:`analysis.data.datasets` (``names()``, ``load(name)``),
:mod:`analysis.data.parse` (the number parser) and the ``kaztur`` command line.
"""

__version__ = "0.1.0"
