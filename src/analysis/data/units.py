"""The units a raw value may be counted in, and how to convert between scaled forms.

A closed vocabulary: an unknown unit in a raw file is an error, never a guess.
"""

from __future__ import annotations

from decimal import Decimal

# unit -> (base unit, factor to the base unit)
UNITS: dict[str, tuple[str, int]] = {
    "USD": ("USD", 1),
    "USD million": ("USD", 10**6),
    "USD billion": ("USD", 10**9),
    "USD trillion": ("USD", 10**12),
    "EUR": ("EUR", 1),
    "EUR billion": ("EUR", 10**9),
    "percent": ("percent", 1),
    "fraction": ("percent", 100),     # «үштен бірі» (a third) = 33.3 percent
    "ordinal": ("ordinal", 1),        # a rank or the number of an event (the 11th)
    "count": ("count", 1),
    "tonne": ("tonne", 1),
    "tonne/year": ("tonne/year", 1),
    "barrel": ("barrel", 1),
    "m2": ("m2", 1),
    "m3": ("m3", 1),
    "m3 billion": ("m3", 10**9),
    "m3/year": ("m3/year", 1),
    "m3/year billion": ("m3/year", 10**9),
    "km": ("km", 1),
    "times": ("times", 1),
    "year": ("year", 1),
    "century": ("year", 100),         # «бір жарым ғасырлық» (one and a half centuries)
    "month": ("month", 1),
    "day": ("day", 1),
    "people": ("people", 1),
    "people million": ("people", 10**6),
    "passenger": ("passenger", 1),
    "container": ("container", 1),
    "container/year": ("container/year", 1),
}


def is_known(unit: str) -> bool:
    return unit in UNITS


def convert(value: Decimal | float, unit: str, to: str) -> Decimal:
    """Convert ``value`` from ``unit`` to ``to``; both must share a base unit.

    Used to compare a table cell in ``USD million`` with a text claim in ``USD``.
    """
    base_from, f_from = UNITS[unit]
    base_to, f_to = UNITS[to]
    if base_from != base_to:
        raise ValueError(f"cannot convert {unit!r} to {to!r}: different base units")
    return Decimal(str(value)) * f_from / f_to
