"""The generated table of Polish public holidays is the ``holidays`` package's, day by
day, in both languages (the fast path of G007 and U005 must agree with the reference)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import holidays
from hypothesis import given
from hypothesis import strategies as st

from workbook_tools import days_off
from workbook_tools.days_off import FIRST_YEAR, LAST_YEAR, day_off, holiday, table_source

YEARS = range(FIRST_YEAR, LAST_YEAR + 1)


def test_the_table_is_what_the_installed_holidays_computes():
    committed = Path(days_off.__file__).with_name("holidays_pl.py").read_text("utf-8")
    assert committed == table_source(), "run: python -m workbook_tools.days_off"


def test_every_day_of_the_table_agrees_with_holidays_in_both_languages():
    polish = holidays.country_holidays("PL", language="pl", years=YEARS)
    english = holidays.country_holidays("PL", language="en_US", years=YEARS)
    day = dt.date(FIRST_YEAR, 1, 1)
    while day.year <= LAST_YEAR:
        expected = (polish[day], english[day]) if day in polish else None
        assert holiday(day) == expected, day
        day += dt.timedelta(days=1)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_day_off_agrees_with_holidays_on_any_day(day):
    name = holidays.country_holidays("PL", language="pl").get(day)
    reason = day_off(day)
    if name:
        assert reason is not None and reason.pl == f"święto: {name}"
    elif day.weekday() == 6:
        assert reason is not None and reason.pl == "niedziela"
    else:
        assert reason is None
