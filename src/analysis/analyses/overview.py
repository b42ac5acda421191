"""The overview notebook's inventory: every exhibit of the dissertation, what this package
reproduces of it, and where (notebook). Also the two descriptive tables (Кесте 1, 5) shown
as printed.

The inventory is written here rather than derived, because "what is reproduced" is a
judgement; its labels (both languages) live in ``labels/overview.yaml``.
"""

from __future__ import annotations

# id, source lines, kind, notebook(s); title and "what" come from overview.inv.<id>.*
INVENTORY: tuple[tuple[str, str, str, str], ...] = (
    ("k1", "520–539", "table", "00_overview"),
    ("k2", "577–646", "table", "03_energy"),
    ("k3", "677–770", "table", "03_energy"),
    ("k4", "807–844", "table", "03_energy"),
    ("k5", "884–912", "table", "00_overview"),
    ("k6", "918–979", "table", "01_trade, 02_investment"),
    ("k7", "995–1044", "table", "01_trade"),
    ("k8", "1054–1096", "table", "02_investment"),
    ("app_a", "1533–1613", "appendix", "04_survey"),
    ("app_b", "1615–2028", "appendix", "04_survey"),
    ("charts", "1645–2026", "chart", "04_survey"),
    ("image_1531", "1531", "image", "—"),
    ("text", "8–1521", "text", "01_trade, 02_investment, 03_energy, 05_checks"),
    ("events", "9–1506", "text", "00_overview"),
)
