"""Issues: what a check found, where, and how it is said to a person.

An issue holds a rule code and the parameters of that rule's message, not a rendered
sentence: the same issue is shown in Polish in the terminal, in English on request, as
JSON for the coordinator and as a comment in the workbook. Personal data travels as
:class:`Personal` values, masked at rendering unless the user asked to see it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import KW_ONLY, dataclass, field
from typing import Any

from . import pesel as pesel_mod
from .polish import Money, Share, format_date, format_money, format_percent
from .rules import RULES, Bilingual, Severity


class Personal(str):
    """A PESEL (or other identifying text) inside an issue: masked when rendered."""

    __slots__ = ()


class Name(Personal):
    """A person's name inside an issue or a table: their initials when rendered, unless
    the user asked to see personal data ("Nowak Anna" -> "N. A."); the cell the issue
    points at still finds the row."""

    __slots__ = ()


def masked(value: Personal) -> str:
    """How personal data is shown by default: a PESEL keeps its birth-date digits, a
    name becomes initials."""
    if isinstance(value, Name):
        return " ".join(f"{part[0]}." for part in value.split() if part[:1].isalnum()) or "…"
    return pesel_mod.mask(str(value))


@dataclass(frozen=True)
class Issue:
    code: str
    file: str
    _: KW_ONLY
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    value: Any = field(default=None, hash=False, compare=False)
    severity: Severity | None = None  # None: the rule's default

    @property
    def level(self) -> str:
        return RULES[self.code].level.value

    @property
    def effective_severity(self) -> Severity:
        return self.severity or RULES[self.code].severity

    def message(self, lang: str = "pl", show_personal: bool = False) -> str:
        rule = RULES[self.code]
        template = rule.message_en if lang == "en" else rule.message
        params = {k: render_param(v, lang, show_personal) for k, v in self.params.items()}
        text = template.format(**params)
        return text if show_personal else pesel_mod.mask_in_text(text)

    def shown_value(self, show_personal: bool = False) -> Any:
        """The offending value as output may carry it (JSON-safe, masked)."""
        value = self.value
        if isinstance(value, dt.date):
            return value.isoformat()
        if value is None or isinstance(value, bool):
            return value
        if show_personal:
            return value if isinstance(value, int | float) else str(value)
        if isinstance(value, Personal):
            return masked(value)
        if isinstance(value, int | float):
            return _mask_number(value)
        return pesel_mod.mask_in_text(str(value))

    def sort_key(self) -> tuple[str, str, int, int, str]:
        return (self.file, self.sheet or "", self.row or 0, _column_number(self.cell), self.code)


def _mask_number(value: float) -> float | str:
    """A number that could be a PESEL (stored as a number) is masked like one."""
    if isinstance(value, float) and not value.is_integer():
        return value
    digits = str(int(value))
    return pesel_mod.mask(digits.zfill(11)) if 9 <= len(digits) <= 11 else value


def _column_number(cell: str | None) -> int:
    if not cell:
        return 0
    number = 0
    for char in cell:
        if not char.isalpha():
            break
        number = number * 26 + ord(char.upper()) - 64
    return number


#: Longest text from a workbook quoted in a message; longer text keeps its ends.
MAX_QUOTED = 200


def shorten(text: str, limit: int = MAX_QUOTED) -> str:
    """Text cut in the middle when longer than ``limit`` ("początek…koniec").

    >>> len(shorten("x" * 32767))
    200
    """
    if len(text) <= limit:
        return text
    head = (limit - 1) * 2 // 3
    return text[:head] + "…" + text[len(text) - (limit - 1 - head):]


def inert(text: str) -> str:
    r"""Text from a workbook made harmless for any output: control characters (escape
    sequences that would clear a terminal or set its title, characters XML cannot hold)
    and bidirectional overrides are shown as visible ``\xNN`` escapes.

    >>> inert("a\x1b]0;tytuł\x07b")
    'a\\x1b]0;tytuł\\x07b'
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch == "\n" else
                   f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}"
                   for ch in text)


def shown(text: Any, show_personal: bool = False) -> str:
    """Text from a workbook or a path as any output shows it: shortened, control
    characters visible, PESEL masked unless the user asked to see it."""
    if isinstance(text, Personal) and not show_personal:
        return masked(text)
    text = inert(shorten(str(text), 400))
    return text if show_personal else pesel_mod.mask_in_text(text)


def render_param(value: Any, lang: str, show_personal: bool) -> str:
    if isinstance(value, Personal):
        return inert(shorten(str(value))) if show_personal else masked(value)
    if isinstance(value, Bilingual):
        return value.en if lang == "en" else value.pl
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, Money):
        return format_money(value.value, lang)
    if isinstance(value, Share):
        return format_percent(value.value, lang)
    return inert(shorten(str(value)))


def ordered(issues: Iterable[Issue], sheet_rank: dict[tuple[str, str], int] | None = None
            ) -> list[Issue]:
    """Files, then sheets in ``sheet_rank`` order (else as first met); inside a sheet by
    row, column and code. File-level issues come before the file's sheets."""
    issues = list(issues)
    rank: dict[tuple[str, str], int] = dict(sheet_rank or {})
    files: dict[str, int] = {}
    for issue in issues:
        files.setdefault(issue.file, len(files))
        rank.setdefault((issue.file, issue.sheet or ""), len(rank))
    return sorted(issues, key=lambda i: (files[i.file], i.sheet is not None,
                                         rank[(i.file, i.sheet or "")], *i.sort_key()[2:]))


def count(issues: Iterable[Issue]) -> dict[str, int]:
    totals = {s.value: 0 for s in Severity}
    for issue in issues:
        totals[issue.effective_severity.value] += 1
    return totals
