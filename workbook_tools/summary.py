"""Computed values shown to people: the tables ``validate --summary`` prints.

Each kind contributes tables computed from the project's records (paid to date per
contract, participants per form of support...). Cells hold typed values (``Decimal``,
``date``, ``int``); formatting for a terminal or JSON happens at output.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .polish import format_date, format_hours, format_money, format_percent


@dataclass(frozen=True)
class Percent:
    """A share in per cent, shown as "45,50 %" (money is plain ``Decimal``)."""

    value: Decimal


@dataclass(frozen=True)
class Hours:
    """A number of hours, shown as "4,5 h"."""

    value: Decimal


@dataclass(eq=False)
class SummaryTable:
    title: str
    title_en: str
    columns: list[str]
    columns_en: list[str]
    rows: list[list[Any]]


def show(value: Any) -> str:
    """A cell as a Polish reader expects it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "tak" if value else "nie"
    if isinstance(value, Hours):
        return format_hours(value.value)
    if isinstance(value, Percent):
        return format_percent(value.value)
    if isinstance(value, Decimal):
        return format_money(value)
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, str):
        return value  # personal data keeps its type, to be masked where it is shown
    return str(value)


def to_excel(value: Any) -> Any:
    """A computed value as a cell holds it: shares as fractions (formatted "0.00%"),
    hours and amounts as exact decimals, yes/no as "tak"/"nie"."""
    if isinstance(value, Percent):
        return value.value / 100
    if isinstance(value, Hours):
        return value.value
    if isinstance(value, bool):
        return "tak" if value else "nie"
    if isinstance(value, enum.Enum):
        return str(value.value)
    return value


def to_json(value: Any) -> Any:
    """A cell for JSON: amounts as exact decimal strings, dates ISO, shares as numbers."""
    if isinstance(value, Percent | Hours):
        return str(value.value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
