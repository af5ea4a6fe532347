"""Days on which nobody should be made to attend or work: Sundays and Poland's public
holidays (ustawa z 18 stycznia 1951 r. o dniach wolnych od pracy, as the ``holidays``
package keeps it). Attendance (G007) and socially useful work (U005) both ask here."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from .rules import Bilingual


@functools.lru_cache(maxsize=1)
def _holidays() -> tuple[Any, Any]:
    """Poland's public holidays (the ``holidays`` package, imported when first needed)."""
    import holidays

    return (holidays.country_holidays("PL", language="pl"),
            holidays.country_holidays("PL", language="en_US"))


@functools.lru_cache(maxsize=4096)
def day_off(day: dt.date) -> Bilingual | None:
    """Why nobody should attend or work on ``day``: a Sunday or a public holiday."""
    polish, english = _holidays()
    name = polish.get(day)
    if name:
        return Bilingual(f"święto: {name}", f"public holiday: {english.get(day)}")
    if day.weekday() == 6:
        return Bilingual("niedziela", "Sunday")
    return None
