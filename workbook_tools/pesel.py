"""PESEL as it arrives in workbooks, on top of ``stdnum.pl.pesel``.

python-stdnum knows the number itself (checksum, birth date, sex). What it cannot know is
how a spreadsheet mangles it: typed into a number cell, a PESEL of someone born in
2000-2009 ("05211301234") loses its leading zero and becomes 5211301234; a long number
shown in a narrow column turns into "5,2113E+09" text when copied. This module turns cell
contents back into the 11 digits, saying what it had to do, and masks the number for
anything printed.

>>> parse_pesel(44051401359.0)
'44051401359'
>>> parse_pesel(2270803624.0)  # born 2002, leading zero lost
Traceback (most recent call last):
    ...
workbook_tools.values.ValueProblem: P002
>>> mask("44051401359")
'440514*****'
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import re
from typing import Any

from .rules import Bilingual
from .values import Sex, ValueProblem, _show, is_empty

_SCIENTIFIC = re.compile(r"^\d([.,]\d+)?e\+?\d+$", re.IGNORECASE)
#: 11 digits, or 6 + 5 written with a hyphen or a space ("800402-01247"), not inside a
#: longer number
_PESEL_RUN = re.compile(r"(?<![\d.,])(\d{6})([-\s\u00a0]?)(\d{5})(?![\d]|[.,]\d)")


_REASONS = {
    "checksum": Bilingual("błędna cyfra kontrolna", "wrong check digit"),
    "date": Bilingual("niemożliwa data urodzenia", "impossible birth date"),
    "length": Bilingual("PESEL ma 11 cyfr", "a PESEL has 11 digits"),
    "format": Bilingual("dozwolone są tylko cyfry", "only digits are allowed"),
    "scientific": Bilingual(
        "zapisany w notacji wykładniczej, cyfry zostały utracone — wpisz go ponownie jako tekst",
        "stored in scientific notation, digits were lost; type it again as text"),
}


def _reason(error: Exception) -> Bilingual:
    from stdnum import exceptions as stdnum_errors

    if isinstance(error, stdnum_errors.InvalidChecksum):
        return _REASONS["checksum"]
    if isinstance(error, stdnum_errors.InvalidComponent):
        return _REASONS["date"]
    if isinstance(error, stdnum_errors.InvalidLength):
        return _REASONS["length"]
    return _REASONS["format"]


def parse_pesel(value: Any) -> str | None:
    """The 11-digit PESEL, or a :class:`ValueProblem`.

    P001: not a valid PESEL (``reason`` says which part failed). P002: a number cell that
    lost leading zeros; the recovered PESEL is the problem's ``value``.
    """
    if value.__class__ is str and len(value) == 11 and value.isascii() and value.isdigit():
        # the common case: 11 digits, nothing to clean; a fault is told by _checked
        return value if _fault(value) is None else _checked(value, value)
    if is_empty(value):
        return None
    from_number = False
    if isinstance(value, bool):
        raise ValueProblem("P001", text=_show(value), reason=_REASONS["format"])
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueProblem("P001", text=_show(value), reason=_REASONS["format"])
        value = int(value)
    if isinstance(value, int):
        digits, from_number = str(value), True
    elif not isinstance(value, str):  # a date or time cell: a PESEL never is one
        raise ValueProblem("P001", text=_show(value), reason=_REASONS["format"])
    else:
        from stdnum.pl import pesel as stdnum_pesel  # imported when first needed

        text = str(value).strip()
        if _SCIENTIFIC.match(text):
            raise ValueProblem("P001", text=text, reason=_REASONS["scientific"])
        digits = stdnum_pesel.compact(text)
        from_number = digits.isdigit() and 8 <= len(digits) < 11
    if from_number and len(digits) < 11:
        padded = digits.zfill(11)
        if _fault(padded) is None:  # stdnum's is_valid, on 11 ASCII digits
            raise ValueProblem("P002", value=padded, text=digits, pesel=padded)
    return _checked(value, digits)


#: stdnum's weights for the check digit (``stdnum.pl.pesel.calc_check_digit``); over the
#: ASCII codes of the digits the sum is off by 48 x the weights' sum, a constant.
_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
_ASCII_ZEROS = 48 * sum(_WEIGHTS)


def _check_digit(digits: str) -> int:
    """What ``calc_check_digit`` computes, in C: ``map`` over the bytes (the Python
    generator in stdnum was a third of parsing a list's PESEL column). Agreement with
    stdnum on every 11-character string is a hypothesis test (tests/test_pesel.py)."""
    total: int = sum(map(operator.mul, _WEIGHTS, digits.encode("ascii")[:10]))
    return (10 - (total - _ASCII_ZEROS) % 10) % 10


def _fault(digits: str) -> str | None:
    """What ``stdnum`` ``validate`` finds wrong with 11 ASCII digits, in its order:
    the check digit, then the birth date (None: valid). Its cleaning, which is most of
    its cost, has nothing to do on such a string, and importing stdnum (with ssl and
    pydoc) cost a list with one wrong PESEL 27 ms."""
    if _check_digit(digits) != ord(digits[10]) - 48:
        return "checksum"
    return "date" if _birth_date(digits[:6]) is None else None


def _checked(value: Any, digits: str) -> str:
    """The number, or P001 saying precisely what is wrong.

    11 ASCII digits are checked by :func:`_fault` (the same verdict and reason as
    stdnum, a hypothesis test proves it); anything else goes through stdnum's
    ``validate`` itself.
    """
    if len(digits) == 11 and digits.isascii() and digits.isdigit():
        fault = _fault(digits)
        if fault is None:
            return digits
        raise ValueProblem("P001", text=_show(value), reason=_REASONS[fault])
    from stdnum import exceptions as stdnum_errors
    from stdnum.pl import pesel as stdnum_pesel

    try:
        return str(stdnum_pesel.validate(digits))
    except stdnum_errors.ValidationError as error:
        raise ValueProblem("P001", text=_show(value), reason=_reason(error)) from None


def birth_date(pesel: str) -> dt.date:
    """The date the first six digits of a valid PESEL encode (parsing validated it;
    several checks need it again)."""
    born = _birth_date(pesel[:6])
    if born is None:
        from stdnum.pl import pesel as stdnum_pesel

        return stdnum_pesel.get_birth_date(pesel)  # raises stdnum's InvalidComponent
    return born


#: The century a PESEL's month code says: month + 20 for 2000-2099 and so on
#: (what ``stdnum.pl.pesel.get_birth_date`` adds, keyed by ``month // 20``).
_CENTURIES = (1900, 2000, 2100, 2200, 1800)


@functools.lru_cache(maxsize=1 << 16)
def _birth_date(digits: str) -> dt.date | None:
    """``get_birth_date`` of six ASCII digits without its cleaning (stdnum's compact and
    its exception were most of a list's parsing time); None where stdnum raises.
    Cached by the six digits: people born on one day share it. A hypothesis test proves
    it agrees with stdnum on every six digits it draws (tests/test_pesel.py)."""
    if not (len(digits) == 6 and digits.isascii() and digits.isdigit()):
        return None
    number = int(digits)  # one conversion, not three of two-digit slices: half the time
    month = number // 100 % 100
    try:
        return dt.date(_CENTURIES[month // 20] + number // 10000, month % 20, number % 100)
    except ValueError:
        return None


#: The tenth digit's sex: even for women (a lookup: the enum's members, asked for by
#: name, cost a 10 000-row list 2 ms)
_SEX_OF_DIGIT = {str(digit): Sex.FEMALE if digit % 2 == 0 else Sex.MALE
                 for digit in range(10)}


def sex(pesel: str) -> Sex:
    """The tenth digit: even for women (what ``stdnum`` ``get_gender`` reads, without
    compacting a number that is already 11 digits once more)."""
    return _SEX_OF_DIGIT[pesel[9]]


def mask(pesel: str) -> str:
    """Keep the birth-date part, hide the serial and check digit."""
    return pesel[:6] + "*" * (len(pesel) - 6) if len(pesel) > 6 else "*" * len(pesel)


def _plausible(digits: str) -> bool:
    """Could these six digits be a PESEL's birth date (month codes of 1800-2299)?"""
    month, day = int(digits[2:4]) % 20, int(digits[4:6])
    return 1 <= month <= 12 and 1 <= day <= 31


def mask_in_text(text: str) -> str:
    """Mask every PESEL-like run (11 digits, also "800402-01247" or "800402 01247"),
    in messages, file and sheet names alike: the last guard before anything is
    printed. A run whose first six digits can be no birth date (a count of cells) is
    left alone.

    >>> mask_in_text("lista 80040201247.xlsx, 800402-01247; 17179869184 komórek")
    'lista 800402*****.xlsx, 800402-*****; 17179869184 komórek'
    """
    def hide(match: re.Match[str]) -> str:
        if not _plausible(match.group(1)):
            return match.group(0)
        return f"{match.group(1)}{match.group(2)}*****"

    return _PESEL_RUN.sub(hide, text)
