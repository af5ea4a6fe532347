"""Polish spreadsheet values: the one place where cell contents become typed values.

Staff type what they see on paper, so the same date arrives as a real date cell, an
Excel serial number, "12.03.2009", "12-03-2009 r." or "2009-03-12"; the same amount as
1234.5, "1 234,50 zł" (with a non-breaking space) or "1234,50 PLN". Every parser here
takes whatever python-calamine, openpyxl or xlwings handed over and returns the typed
value, ``None`` for an empty cell, or raises :class:`ValueProblem` carrying the rule code
that failed. A problem may still carry a usable ``value`` (an amount rounded to grosze, a
PESEL with its lost leading zero restored): the caller reports it and goes on with it.

>>> parse_date("12.03.2009")
datetime.date(2009, 3, 12)
>>> parse_date(39884.0)
datetime.date(2009, 3, 12)
>>> parse_money("1 234,50 zł")
Decimal('1234.50')
>>> parse_money(0.1 + 0.2)
Decimal('0.30')
>>> parse_yes_no("T"), parse_sex("Kobieta")
(True, <Sex.FEMALE: 'K'>)
>>> normalise_header("Numer\\nkontraktu  socjalnego:")
'nr kontraktu socjalnego'
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from .polish import Money, format_date

GROSZ = Decimal("0.01")
EXCEL_EPOCH = dt.date(1899, 12, 30)
#: Excel's last valid date (31.12.9999) as a serial number.
EXCEL_MAX_SERIAL = 2958465


class ValueProblem(ValueError):
    """A cell value that does not fit its column.

    ``code`` is the rule code from :mod:`workbook_tools.rules`; ``params`` fill that rule's
    message; ``value`` is what the record keeps (``None`` when nothing could be recovered).
    """

    def __init__(self, code: str, value: Any = None, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.value = value
        self.params = params


class Sex(enum.StrEnum):
    FEMALE = "K"
    MALE = "M"


_FOLD = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ\u00a0\u202f\u2007", "acelnoszzACELNOSZZ   ")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, drop Polish diacritics, collapse white space (also non-breaking).

    Staff write "Wykształcenie", "wyksztalcenie" and "WYKSZTAŁCENIE " for the same thing;
    every comparison of user text goes through this one function.
    """
    return _SPACES.sub(" ", text.translate(_FOLD).lower()).strip()


_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NR = re.compile(r"\b(numer|nr\.?|no\.?)(?=\s|$)")
_TRAILING = re.compile(r"[\s:.*]+$")


#: head texts normalise_header keeps (every kind asks about every head cell)
NORMALISED_KEPT = 4096


@functools.lru_cache(maxsize=NORMALISED_KEPT, typed=True)
def normalise_header(text: Any) -> str:
    """The form in which a header is compared with the known aliases.

    Case, diacritics, line breaks, trailing colons or dots, required-field asterisks and
    the "Nr"/"Nr."/"Numer" variants do not matter.
    """
    if text is None:
        return ""
    folded = fold(str(text))
    folded = _NR.sub("nr", folded)
    return _TRAILING.sub("", folded).strip()


@functools.lru_cache(maxsize=4096)
def strip_parentheses(header: str) -> str:
    """A header without its explanations: "plec (k/m)" -> "plec"."""
    return _SPACES.sub(" ", _PARENS.sub(" ", header)).strip()


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- dates -------------------------------------------------------------------------

_DATE_FORMATS = (
    # day first, as Poles write it
    (re.compile(r"^(\d{1,2})[.\-/](\d{1,2})[.\-/](\d{4})$"), ("d", "m", "y")),
    # ISO and its dotted cousin
    (re.compile(r"^(\d{4})[.\-/](\d{1,2})[.\-/](\d{1,2})$"), ("y", "m", "d")),
)
_DATE_NOISE = re.compile(r"\s*(r\.?|roku)$|\s+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def excel_serial_to_date(serial: float) -> dt.date:
    """Excel's 1900 date system (the one every Windows workbook uses)."""
    if not 1 <= serial < EXCEL_MAX_SERIAL + 1:  # also NaN and infinity
        raise ValueProblem("V001", text=_show(serial))
    days = int(serial)
    return EXCEL_EPOCH + dt.timedelta(days=days)


def parse_date(value: Any) -> dt.date | None:
    """A date from a date cell, an Excel serial or Polish text."""
    if value.__class__ is dt.date:
        return value  # the hot path: a date cell
    if is_empty(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueProblem("V001", text=_show(value))
    if isinstance(value, int | float):
        return excel_serial_to_date(value)
    if not isinstance(value, str):
        raise ValueProblem("V001", text=_show(value))
    text = _DATE_NOISE.sub("", value.strip()).strip()
    for pattern, order in _DATE_FORMATS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, map(int, match.groups()), strict=True))
            try:
                return dt.date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                break
    raise ValueProblem("V001", text=_show(value))


#: Month names as a register writes them (nominative "marzec", genitive "marca"), folded.
_MONTH_NAMES = {
    name: number for number, names in enumerate((
        ("styczen", "stycznia", "sty"), ("luty", "lutego", "lut"), ("marzec", "marca", "mar"),
        ("kwiecien", "kwietnia", "kwi"), ("maj", "maja"), ("czerwiec", "czerwca", "cze"),
        ("lipiec", "lipca", "lip"), ("sierpien", "sierpnia", "sie"),
        ("wrzesien", "wrzesnia", "wrz"), ("pazdziernik", "pazdziernika", "paz"),
        ("listopad", "listopada", "lis"), ("grudzien", "grudnia", "gru")), 1)
    for name in names}
_ROMAN = {r: n for n, r in enumerate(
    ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"), 1)}
_MONTH_NUMBERS = (re.compile(r"(\d{1,2})\s*[./\-]\s*(\d{4})"),
                  re.compile(r"(\d{4})\s*[./\-]\s*(\d{1,2})"))
_MONTH_WORD = re.compile(r"([a-z]+)\.?\s*[./\- ]?\s*(\d{4})")


def parse_month(value: Any) -> dt.date | None:
    """The month a register row is about, as its first day: a date cell, "03.2019",
    "2019-03", "marzec 2019", "III 2019" (V012 for anything else).

    >>> parse_month("marzec 2019"), parse_month("03.2019"), parse_month("III.2019 r.")
    (datetime.date(2019, 3, 1), datetime.date(2019, 3, 1), datetime.date(2019, 3, 1))
    """
    if is_empty(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 13:
        # "3.2019" typed into a number cell: Excel keeps 3.2019 (and 1.2020 as 1.202)
        number, typed_year = int(value), round((value - int(value)) * 10000)
        if 1990 <= typed_year <= 2100:
            return dt.date(typed_year, number, 1)
        raise ValueProblem("V012", text=_show(value))
    if isinstance(value, int | float) and not isinstance(value, bool) and value < 30000:
        raise ValueProblem("V012", text=_show(value))  # no plausible date serial
    if isinstance(value, dt.date | int | float) and not isinstance(value, bool):
        try:
            day = parse_date(value)
        except (ValueProblem, ValueError, OverflowError):
            raise ValueProblem("V012", text=_show(value)) from None
        return day.replace(day=1) if day else None
    if not isinstance(value, str):
        raise ValueProblem("V012", text=_show(value))
    text = _DATE_NOISE.sub("", fold(value).strip()).strip().rstrip(".")
    month: int | None = None
    year: int | None = None
    for index, pattern in enumerate(_MONTH_NUMBERS):
        match = pattern.fullmatch(text)
        if match:
            first, second = map(int, match.groups())
            month, year = (first, second) if index == 0 else (second, first)
            break
    else:
        match = _MONTH_WORD.fullmatch(text)
        if match:
            month = _MONTH_NAMES.get(match.group(1)) or _ROMAN.get(match.group(1))
            year = int(match.group(2))
    if month is None or year is None or not 1 <= month <= 12 or year < 1900:
        try:  # a full date stands for its month
            day = parse_date(value)
        except ValueProblem:
            raise ValueProblem("V012", text=_show(value)) from None
        return day.replace(day=1) if day else None
    return dt.date(year, month, 1)


# --- money -------------------------------------------------------------------------

_CURRENCY = re.compile(r"(zł|zl|pln)\.?", re.IGNORECASE)
_MONEY_CHARS = re.compile(r"^[+-]?[\d.,]+$")
_MONEY_SPACES = re.compile(r"[\s\u00a0\u202f\u2007']")  # and the Swiss thousands mark


def _decimal_from_text(text: str) -> Decimal:
    """Decimal comma or point; the last separator is the decimal one."""
    cleaned = _CURRENCY.sub("", text)
    cleaned = _MONEY_SPACES.sub("", cleaned)
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    if negative:
        cleaned = cleaned[1:-1]
    if not cleaned or not _MONEY_CHARS.match(cleaned):
        raise InvalidOperation(text)
    comma, dot = cleaned.rfind(","), cleaned.rfind(".")
    if comma >= 0 and dot >= 0:
        decimal_sep = "," if comma > dot else "."
        thousands = "." if decimal_sep == "," else ","
        cleaned = cleaned.replace(thousands, "").replace(decimal_sep, ".")
    elif comma >= 0:
        if cleaned.count(",") > 1:
            raise InvalidOperation(text)
        cleaned = cleaned.replace(",", ".")
    elif cleaned.count(".") > 1:
        # "1.234.567" - dots as thousands separators, no decimals
        groups = cleaned.lstrip("+-").split(".")
        if any(len(g) != 3 for g in groups[1:]):
            raise InvalidOperation(text)
        cleaned = cleaned.replace(".", "")
    result = Decimal(cleaned)
    return -result if negative else result


def to_decimal(value: Any) -> Decimal:
    """The exact decimal a cell means, without rounding.

    A float from Excel carries at most 15 significant digits; printing it with 15
    digits undoes binary noise such as 0.1 + 0.2 = 0.30000000000000004.
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise InvalidOperation(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise InvalidOperation(value)
        return Decimal(format(value, ".15g"))
    if isinstance(value, str):
        return _decimal_from_text(value)
    raise InvalidOperation(value)


#: Amounts from here up are typing accidents (and beyond Decimal's 28 digits in grosze).
MAX_AMOUNT = Decimal(10) ** 15
#: Below this an amount in grosze has at most 14 significant digits: the value Excel
#: shows (15), and whole grosze are exact in a float. Larger amounts take the general path.
_EXACT_BELOW = 1e12


def parse_money(value: Any) -> Decimal | None:
    """An amount in złote, rounded to grosze; more than two decimals is reported (V003)."""
    if value.__class__ is float and -_EXACT_BELOW < value < _EXACT_BELOW:
        # the hot path (a number cell; NaN and infinity fail the comparison): a typed
        # amount is the float nearest to a whole number of grosze, and exactly that
        # number comes back; binary noise ("0.30000000000000004"), a third decimal and
        # zero (whose sign the general path keeps) go on to to_decimal, which rounds to
        # the 15 digits Excel keeps
        cents = round(value * 100)
        if cents / 100 == value and cents:
            return Decimal(cents) * GROSZ
    if is_empty(value):
        return None
    try:
        amount = to_decimal(value)
    except (InvalidOperation, ValueError):
        raise ValueProblem("V002", text=_show(value)) from None
    if not amount.is_finite() or abs(amount) >= MAX_AMOUNT:  # no project spends that
        raise ValueProblem("V002", text=_show(value))
    rounded = amount.quantize(GROSZ, rounding=ROUND_HALF_UP)
    if rounded != amount:
        raise ValueProblem("V003", value=rounded, text=_show(value), rounded=Money(rounded))
    return rounded


# --- numbers -----------------------------------------------------------------------


def parse_int(value: Any) -> int | None:
    """A whole number, also when Excel stored it as 12.0 or staff typed "12"."""
    if value.__class__ is float and value.is_integer():
        return int(value)  # the hot path: a number cell ("Lp." of every row)
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise ValueProblem("V008", text=_show(value))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = re.sub(r"[\s\u00a0]", "", value).rstrip(".")
        if re.fullmatch(r"[+-]?\d+", text):
            return int(text)
        try:
            number = _decimal_from_text(text)
        except (InvalidOperation, ValueError):
            number = None
        if number is not None and number == number.to_integral_value():
            return int(number)
    raise ValueProblem("V008", text=_show(value))


MAX_HOURS = 10_000
_HOURS_UNIT = re.compile(r"\s*(h|godz\.?|godzin[ay]?|godzina)\s*$", re.IGNORECASE)


def to_hours(value: Any) -> Decimal:
    """A number of hours ("4", 4.0, "4,5", "4 h", "2 godz."), exact; raises ValueError.

    >>> to_hours("4,5 godz.")
    Decimal('4.5')
    """
    if isinstance(value, str):
        value = _HOURS_UNIT.sub("", value)
    try:
        hours = to_decimal(value).normalize() + 0
    except InvalidOperation:
        raise ValueError(value) from None
    if not hours.is_finite() or abs(hours) > MAX_HOURS:  # a year is 8 784 hours
        raise ValueError(value)
    return hours


def parse_hours(value: Any) -> Decimal | None:
    """Hours of a session or course (V009 when the cell is not a number of hours)."""
    if is_empty(value):
        return None
    try:
        return to_hours(value)
    except ValueError:
        raise ValueProblem("V009", text=_show(value)) from None


def parse_text(value: Any) -> str | None:
    """Text as staff see it: numbers without a trailing ".0", dates as dd.mm.rrrr."""
    if value.__class__ is str:  # the hot path: most cells of a list are text
        return " ".join(value.split()) or None  # folds non-breaking spaces and line breaks
    if is_empty(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return format_date(value)
    return str(value)


# --- closed lists ------------------------------------------------------------------

_YES = {"tak", "t", "x", "1", "yes", "y", "true", "prawda", "+"}
_NO = {"nie", "n", "0", "no", "false", "falsz", "-"}


def parse_yes_no(value: Any) -> bool | None:
    if is_empty(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        folded = fold(value)
        if folded in _YES:
            return True
        if folded in _NO:
            return False
    raise ValueProblem("V004", text=_show(value))


#: "Odmowa podania informacji": the third answer of the 2014-2020 and 2021-2027
#: monitoring forms to questions about a person's situation.
_REFUSED = {"odmowa", "odmowa podania informacji", "odmowa odpowiedzi", "odm", "odmawiam",
            "odmowa podania danych"}
REFUSED = "odmowa podania informacji"


def parse_yes_no_refused(value: Any) -> str | None:
    """"tak", "nie" or "odmowa podania informacji" (the monitoring forms' three answers)."""
    if is_empty(value):
        return None
    if isinstance(value, str) and fold(value).rstrip(".") in _REFUSED:
        return REFUSED
    try:
        return "tak" if parse_yes_no(value) else "nie"
    except ValueProblem:
        raise ValueProblem("V006", text=_show(value),
                           allowed=f"tak, nie, {REFUSED}") from None


parse_yes_no_refused.choices = ("tak", "nie", REFUSED)  # type: ignore[attr-defined]


def parse_yes_no_or_refused(value: Any) -> bool | None:
    """Yes or no; a refusal to answer is no answer (None), not a mistake."""
    if isinstance(value, str) and fold(value).rstrip(".") in _REFUSED:
        return None
    return parse_yes_no(value)


#: Separators of several values in one cell, as monitoring exports join them.
MULTI_SEPARATORS = re.compile(r"\s*(?:;|\||\n|,\s*w tym|\s+w tym:?)\s*", re.IGNORECASE)


def split_values(text: str) -> list[str]:
    """The parts of a cell holding several values ("A; B", "A | B", "A, w tym B")."""
    return [part for part in MULTI_SEPARATORS.split(text) if part.strip(" :")]


_SEX = {
    "k": Sex.FEMALE, "kobieta": Sex.FEMALE, "kob": Sex.FEMALE, "kob.": Sex.FEMALE,
    "m": Sex.MALE, "mezczyzna": Sex.MALE, "mez": Sex.MALE, "mez.": Sex.MALE,
}


def parse_sex(value: Any) -> Sex | None:
    if is_empty(value):
        return None
    if isinstance(value, str) and fold(value) in _SEX:
        return _SEX[fold(value)]
    raise ValueProblem("V005", text=_show(value))


def choice_parser(
    canonical: Mapping[str, str], spellings: Mapping[str, str] | None = None
) -> Any:
    """A parser for a closed list: canonical values plus the spellings staff use.

    ``canonical`` maps each allowed value to how it is shown; ``spellings`` maps other
    (folded) spellings to one of those values.
    """
    lookup = {fold(k): k for k in canonical}
    lookup.update({fold(k): v for k, v in (spellings or {}).items()})
    allowed = ", ".join(canonical.values())

    def parse(value: Any) -> str | None:
        if is_empty(value):
            return None
        if isinstance(value, str):
            found = lookup.get(fold(value).rstrip("."))
            if found is not None:
                return found
        raise ValueProblem("V006", text=_show(value), allowed=allowed)

    parse.choices = tuple(canonical.values())  # type: ignore[attr-defined]  # templates
    return parse


def _show(value: Any) -> str:
    """How an offending value is quoted back to the user."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return format_date(value)
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."
