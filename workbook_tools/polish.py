"""How numbers, amounts, shares, dates, severities and counts are written for the user.

One module for every output (terminal, JSON messages, the report, the Excel door), in
the chosen language: messages carry parameters and are formatted here, at rendering.
It imports nothing from the package, so any layer may use it.

>>> format_money(Decimal("-1234.5"))
'-1 234,50 zł'
>>> format_percent(Decimal("45.50")), format_percent(Decimal("10")), format_hours(Decimal("4.50"))
('45,5 %', '10 %', '4,5 h')
>>> plural(22, "błąd", "błędy", "błędów"), plural(1, "file", "files", lang="en")
('22 błędy', '1 file')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

#: Dates as Polish forms write them (and as staff type them).
DATE_PATTERN = "%d.%m.%Y"

SEVERITY_LABELS = {
    "pl": {"error": "błąd", "warning": "ostrzeżenie", "info": "informacja"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}


def format_money(amount: Decimal, lang: str = "pl") -> str:
    """1234.5 -> "1 234,50 zł" (to the grosz); in English "PLN 1,234.50"."""
    sign = "-" if amount < 0 else ""
    whole, _, fraction = f"{abs(amount):.2f}".partition(".")
    if lang == "en":
        return f"{sign}PLN {int(whole):,}.{fraction}"
    groups = f"{int(whole):,}".replace(",", " ")
    return f"{sign}{groups},{fraction} zł"


@dataclass(frozen=True)
class Money:
    """An amount in a message: kept as a number and written when the message is
    rendered, in the message's language ("1 234,50 zł", "PLN 1,234.50")."""

    value: Decimal

    def __str__(self) -> str:
        return format_money(self.value)


def format_percent(value: Decimal, lang: str = "pl") -> str:
    """A share in per cent to two places, without trailing zeros: "45,5 %", "10 %"
    (in English "45.5%")."""
    rounded = value.quantize(Decimal("0.01"))
    text = f"{rounded:f}".rstrip("0").rstrip(".") if "." in f"{rounded:f}" else f"{rounded:f}"
    return f"{text}%" if lang == "en" else f"{text.replace('.', ',')} %"


@dataclass(frozen=True)
class Share:
    """A share in per cent in a message, written at rendering in its language."""

    value: Decimal

    def __str__(self) -> str:
        return format_percent(self.value)


def format_hours(hours: Decimal) -> str:
    """4.5 -> "4,5 h"."""
    return f"{hours.normalize():f}".replace(".", ",") + " h"


def format_date(day: dt.date) -> str:
    return f"{day:%d.%m.%Y}"


def severity_label(severity: str, lang: str = "pl") -> str:
    """"błąd" / "ostrzeżenie" / "informacja" (or the English word)."""
    return SEVERITY_LABELS["en" if lang == "en" else "pl"][str(severity)]


def plural(n: int, one: str, few: str, many: str | None = None, *, lang: str = "pl") -> str:
    """A count with its noun. Polish has three forms (1 błąd, 2 błędy, 5 błędów, 22 błędy,
    12 błędów); English two (``one``, ``few`` — ``many`` unused)."""
    if lang == "en":
        return f"{n} {one if n == 1 else few}"
    assert many is not None
    if n == 1:
        return f"{n} {one}"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return f"{n} {few}"
    return f"{n} {many}"


def plural_pl(n: int, one: str, few: str, many: str) -> str:
    """Polish plural: 1 błąd, 2 błędy, 5 błędów, 22 błędy, 12 błędów."""
    return plural(n, one, few, many)
