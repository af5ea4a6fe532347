"""Polish formatting shared by every output: plurals.

Imports nothing from the package, so the engine's own data modules (``explain``) and
every door can use it.

>>> plural_pl(22, "błąd", "błędy", "błędów")
'22 błędy'
"""

from __future__ import annotations


def plural_pl(n: int, one: str, few: str, many: str) -> str:
    """Polish plural: 1 błąd, 2 błędy, 5 błędów, 22 błędy, 12 błędów."""
    if n == 1:
        return f"{n} {one}"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return f"{n} {few}"
    return f"{n} {many}"
