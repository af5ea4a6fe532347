"""Socially useful work (prace społecznie użyteczne, PSU): the hours register and its pay.

A gmina puts unemployed clients without benefit into socially useful work on the labour
office's referral (art. 73a of the act of 20 April 2004 on the promotion of employment;
since 1 June 2025 the act of 20 March 2025 on the labour market). The centre keeps a
register, signed off by the workplace and the labour office, in one of two shapes, and
both are read here:

* **long** — one row per person and month (or per day): person, month or date, hours,
  hourly rate, amount paid, agreement number;
* **grid** — one row per person, one column per day worked (dates in the header) or per
  week ("03.06–09.06.2019"), the hours in the cells, and the month's rate and amount at
  the end of the row.

Both become the same :class:`Work` list (one per person per row or day), so every check
and computed value is written once. What the law allows — hours per week and month, the
lowest hourly rate — is the dated table :data:`TERMS`, overridable in ``[psu]`` of
projekt.toml. Amounts are ``Decimal`` to the grosz.
"""

# annotations are evaluated at import, not kept as strings: see schema.fields_of
import dataclasses
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePath
from typing import Annotated, Any

from ..checks import ProjectData, SheetContext, SheetData
from ..days_off import day_off
from ..issues import Issue
from ..polish import Money, format_date, format_hours
from ..schema import DATE_FORMAT, HOURS_FORMAT, MONEY_FORMAT, Column, Computed, Kind
from ..summary import Hours, SummaryTable
from ..values import GROSZ, fold, parse_hours, parse_month
from .attendance import label_date, session_header
from .budget import BUDGET, own_cells, own_contribution
from .participants import (
    NamedRow,
    ParticipantIndex,
    full_name,
    person_field,
    person_key,
    who,
)
from .payments import PSU_BENEFIT, payments_in_order

ZERO = Decimal("0.00")


# --- what the law allows, by date --------------------------------------------------


@dataclass(frozen=True)
class Terms:
    """The PSU limits in force from ``since`` until the next entry."""

    since: dt.date
    weekly_hours: Decimal
    #: None where the sources of the time state only the weekly limit
    monthly_hours: Decimal | None
    #: the lowest benefit per hour worked (art. 73a ust. 3)
    min_rate: Decimal
    source: str


#: Each entry cites where its figures were read. Between entries the earlier (lower)
#: minimum applies, so a missing yearly indexation (1 June, art. 72 ust. 6) can make the
#: rate check miss an underpayment but never raise a false one; a project whose agreement
#: says more sets ``[psu] stawka_minimalna``.
TERMS: tuple[Terms, ...] = (
    # Art. 73a ust. 1 and 3 as first enacted; the procedure: rozporządzenie MGiP z 25
    # października 2005 r. w sprawie trybu organizowania prac społecznie użytecznych
    # (Dz.U. nr 210, poz. 1745). "w wymiarze do 10 godzin w tygodniu": PUP Sztum
    # (https://pupsztum.mojbip.pl/84.html), PUP Braniewo 2011
    # (http://pupbraniewo.pl/art/id/2607). The 6 zł minimum is the act's text of that time
    # (Dz.U. 2004 nr 99 poz. 1001 as amended); no page in the searched corpus states it.
    Terms(dt.date(2005, 10, 25), Decimal(10), None, Decimal("6.00"),
          "art. 73a ustawy o promocji zatrudnienia (do 27.05.2014)"),
    # The amendment of 14 March 2014 (Dz.U. 2014 poz. 598, in force 27 May 2014): "do 10
    # godzin tygodniowo (40 godzin miesięcznie) ... co najmniej 8,10 zł za każdą godzinę":
    # PUP Błonie (http://pup.blonie.ibip.pl/public/print.php?id_menu_item=147605), PUP
    # Rybnik (http://pup-rybnik.pl/prace-spolecznie-uzyteczne/); still 8,10 zł on 1 June
    # 2017, "nie zostały zwaloryzowane" (http://opiis.com.pl/wyplaty, after
    # psz.praca.gov.pl "Stawki, kwoty, wskaźniki").
    Terms(dt.date(2014, 5, 27), Decimal(10), Decimal(40), Decimal("8.10"),
          "art. 73a ust. 1 i 3 ustawy o promocji zatrudnienia, od 27.05.2014"),
    # "Od 1 czerwca 2023 r. świadczenie ... (art. 73a ust. 3) wynosi 10,90 za godzinę ...
    # 40 godzin (maksymalnie 10 godzin w tygodniu)": MCPS Pabianice
    # (http://mcps.pabianice.pl/2023/06/01/wyzsza-stawka-za-prace-spolecznie-uzyteczne/).
    # The act of 20 March 2025 (Dz.U. 2025 poz. 620) replaced the 2004 act on 1 June 2025
    # without an indexation: the ministry holds the rates of 31 May 2025 (Gazeta Prawna,
    # https://www.gazetaprawna.pl/praca/artykuly/10630235,spor-o-waloryzacje-swiadczen-za-
    # prace-spolecznie-uzyteczne-jest-stano.html), so no entry starts that day.
    Terms(dt.date(2023, 6, 1), Decimal(10), Decimal(40), Decimal("10.90"),
          "waloryzacja od 01.06.2023 (art. 73a ust. 3 w zw. z art. 72 ust. 6)"),
)


def terms_on(day: dt.date, project: ProjectData) -> Terms | None:
    """The limits in force on ``day`` with the project's own ``[psu]`` values over them;
    None before PSU existed and nothing is set."""
    found = None
    for terms in TERMS:
        if terms.since <= day:
            found = terms
    own = project.settings.psu
    if found is None:
        if own.min_rate is None and own.weekly_hours is None and own.monthly_hours is None:
            return None
        found = Terms(day, Decimal(0), None, Decimal(0), "")
    changed: dict[str, Any] = {}
    if own.weekly_hours is not None:
        changed["weekly_hours"] = own.weekly_hours
    if own.monthly_hours is not None:
        changed["monthly_hours"] = own.monthly_hours
    if own.min_rate is not None:
        changed["min_rate"] = own.min_rate
    if changed:
        found = dataclasses.replace(found, source="projekt.toml [psu]", **changed)
    return found


# --- the two layouts ---------------------------------------------------------------

_RATE = Column("Stawka za godzinę", ("stawka", "stawka godzinowa", "stawka zł/godz",
                                     "stawka za 1 godzinę", "kwota za godzinę",
                                     "świadczenie za godzinę", "stawka za 1 godz",
                                     "stawka godz"), number_format=MONEY_FORMAT)
_AMOUNT = Column("Kwota świadczenia", ("kwota", "kwota do wypłaty", "do wypłaty",
                                       "świadczenie", "kwota świadczenia zł",
                                       "wartość świadczenia", "kwota wypłaty",
                                       "należne świadczenie", "kwota zł"),
                 number_format=MONEY_FORMAT)
_AGREEMENT = Column("Nr porozumienia", ("porozumienie", "nr porozumienia z pup",
                                        "nr skierowania", "skierowanie", "nr decyzji",
                                        "decyzja", "porozumienie nr"))
_PLACE = Column("Miejsce wykonywania prac", ("miejsce pracy", "miejsce wykonywania",
                                             "miejsce wykonywania psu", "jednostka",
                                             "organizator"))


@dataclass(eq=False, repr=False)
class PsuRow(NamedRow):
    """Long layout: one person in one month (or on one day)."""

    lp: Annotated[int | None, Column("Lp.", ("l.p.", "lp"))] = None
    month: Annotated[dt.date | None, Column(
        "Miesiąc", ("miesiąc wykonywania prac", "miesiąc rozliczeniowy", "okres",
                    "okres rozliczeniowy", "za miesiąc", "miesiąc/rok", "m-c", "miesiąc i rok"),
        parser=parse_month, number_format="mm.yyyy")] = None
    date: Annotated[dt.date | None, Column(
        "Data wykonywania prac", ("data", "dzień", "data pracy", "dzień pracy"),
        number_format=DATE_FORMAT)] = None
    hours: Annotated[Decimal | None, Column(
        "Liczba godzin", ("liczba przepracowanych godzin", "przepracowane godziny",
                          "godziny", "liczba godzin psu", "ilość godzin", "godz",
                          "ilość przepracowanych godzin", "godziny psu"),
        value_required=True, parser=parse_hours, number_format=HOURS_FORMAT)] = None
    rate: Annotated[Decimal | None, _RATE] = None
    amount: Annotated[Decimal | None, _AMOUNT] = None
    agreement_no: Annotated[str | None, _AGREEMENT] = None
    place: Annotated[str | None, _PLACE] = None


_WEEK = re.compile(r"(?:tydz\w*\.?\s*)?(\d{1,2})\.(\d{1,2})(?:\.(\d{4}))?\s*(?:[-–—]|do)\s*"
                   r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s*r\.?)?")


def week_header(value: Any) -> str | None:
    """A header naming a week by its first and last day ("03.06–09.06.2019", "tydzień
    03.06.2019 - 09.06.2019") -> its label "03.06.2019–09.06.2019"; at most 7 days."""
    if not isinstance(value, str):
        return None
    found = _WEEK.fullmatch(fold(value).strip())
    if found is None:
        return None
    day, month, year, last_day, last_month, last_year = found.groups()
    try:
        last = dt.date(int(last_year), int(last_month), int(last_day))
        first = dt.date(int(year or last_year), int(month), int(day))
    except ValueError:
        return None
    if first > last and year is None:  # "28.12–03.01.2020": the first day is in 2019
        first = first.replace(year=first.year - 1)
    if not 0 <= (last - first).days <= 6:
        return None
    return f"{format_date(first)}–{format_date(last)}"


@dataclass(eq=False, repr=False)
class PsuGridRow(NamedRow):
    """Grid layout: one person, one cell of hours per day worked or per week (by its
    date label)."""

    lp: Annotated[int | None, Column("Lp.", ("l.p.", "lp"))] = None
    rate: Annotated[Decimal | None, _RATE] = None
    amount: Annotated[Decimal | None, _AMOUNT] = None
    agreement_no: Annotated[str | None, _AGREEMENT] = None
    days: dict[str, Decimal] = dataclasses.field(default_factory=dict)
    weeks: dict[str, Decimal] = dataclasses.field(default_factory=dict)


# --- one list of work for both layouts ---------------------------------------------


@dataclass(slots=True, eq=False, repr=False)
class Work:
    """One person's hours on one register row or one day of a grid."""

    ctx: SheetContext
    record: Any
    index: int  # raw column of the hours cell
    person: str  # PESEL, else the folded name
    day: dt.date | None  # None: the row covers a whole month (or a week)
    month: dt.date  # its first day
    hours: Decimal
    #: the ISO (year, week) the hours belong to; None for a month row
    week: tuple[int, int] | None = None

    @property
    def cell(self) -> str:
        return self.ctx.table.address(self.record.row, self.index)


@dataclass(slots=True, eq=False, repr=False)
class Line:
    """One register row with what it pays: a long row, or a grid row's month."""

    ctx: SheetContext
    record: Any
    person: str
    month: dt.date
    #: the day of a register row kept per day; None for a month (and a card's row)
    day: dt.date | None
    hours: Decimal
    #: typed, else hours × rate; None when neither is known
    amount: Decimal | None


def _iso_week(day: dt.date | None) -> tuple[int, int] | None:
    if day is None:
        return None
    year, week, _ = day.isocalendar()
    return year, week


def work(project: ProjectData) -> tuple[list[Work], list[Line]]:
    """Every hour of PSU in the project, both layouts alike (computed once)."""
    return project.memo("psu_work", lambda: _work(project))


def pay(hours: Decimal, rate: Decimal) -> Decimal:
    """Hours × rate to the grosz, halves up (as a payroll rounds)."""
    return (hours * rate).quantize(GROSZ, rounding=ROUND_HALF_UP)


def _work(project: ProjectData) -> tuple[list[Work], list[Line]]:
    found: list[Work] = []
    lines: list[Line] = []
    for sheet in project.of_kind(PSU):
        ctx = sheet.ctx
        index = ctx.table.header.columns["hours"]
        for record in sheet.records:
            month = record.month or (record.date.replace(day=1) if record.date else None)
            if record.hours is None or month is None:
                continue
            person = person_key(record)
            found.append(Work(ctx, record, index, person, record.date, month, record.hours,
                              _iso_week(record.date)))
            lines.append(_line(ctx, record, person, month, record.date, record.hours))
    for sheet in project.of_kind(PSU_GRID):
        ctx = sheet.ctx
        columns = ctx.table.header.patterns.get("days", [])
        weeks = ctx.table.header.patterns.get("weeks", [])
        for record in sheet.records:
            person = person_key(record)
            total, first = Decimal(0), None
            for index, label in columns:
                hours = record.days.get(label)
                if hours is None:
                    continue
                day = label_date(label)
                first = first or day.replace(day=1)
                total += hours
                found.append(Work(ctx, record, index, person, day, day.replace(day=1), hours,
                                  _iso_week(day)))
            for index, label in weeks:
                hours = record.weeks.get(label)
                if hours is None:
                    continue
                monday = label_date(label.split("–")[0])
                first = first or monday.replace(day=1)
                total += hours
                found.append(Work(ctx, record, index, person, None, monday.replace(day=1),
                                  hours, _iso_week(monday)))
            if first is not None:
                lines.append(_line(ctx, record, person, first, None, total))
    return found, lines


def _line(ctx: SheetContext, record: Any, person: str, month: dt.date, day: dt.date | None,
          hours: Decimal) -> Line:
    amount = record.amount
    if amount is None and record.rate is not None:
        amount = pay(hours, record.rate)
    return Line(ctx, record, person, month, day, hours, amount)


def _issue(code: str, item: Work | Line, field_name: str | None = None, *,
           value: Any = None, **params: Any) -> Issue:
    table = item.ctx.table
    row = item.record.row
    cell = item.cell if isinstance(item, Work) and field_name is None else table.cell(
        row, field_name or person_field(item.ctx, item.record))
    return Issue(code, table.file, sheet=table.sheet, cell=cell, row=row, params=params,
                 value=value)


def _month_text(month: dt.date) -> str:
    return f"{month:%m.%Y}"


# --- checks ------------------------------------------------------------------------


def check_limits(project: ProjectData) -> Iterator[Issue]:
    """U001, U002: hours per person within the weekly and monthly limits in force (said
    at the entry that crosses, once per person and week or month)."""
    items, _lines = work(project)
    weekly: dict[tuple[str, int, int], Decimal] = defaultdict(Decimal)
    monthly: dict[tuple[str, dt.date], Decimal] = defaultdict(Decimal)
    said: set[tuple[Any, ...]] = set()
    for item in sorted(items, key=lambda w: (w.day or w.month, w.record.row)):
        terms = terms_on(item.day or item.month, project)
        if terms is None:
            continue
        if item.week is not None and terms.weekly_hours:
            key = (item.person, *item.week)
            weekly[key] += item.hours
            if weekly[key] > terms.weekly_hours and ("w", *key) not in said:
                said.add(("w", *key))
                monday = dt.date.fromisocalendar(*item.week, 1)
                yield _issue("U001", item, value=str(item.hours), who=who(item.record),
                             week=f"{format_date(monday)} – "
                                  f"{format_date(monday + dt.timedelta(days=6))}",
                             hours=format_hours(weekly[key]),
                             limit=format_hours(terms.weekly_hours))
        month_key = (item.person, item.month)
        monthly[month_key] += item.hours
        if (terms.monthly_hours is not None and monthly[month_key] > terms.monthly_hours
                and ("m", *month_key) not in said):
            said.add(("m", *month_key))
            yield _issue("U002", item, value=str(item.hours), who=who(item.record),
                         month=_month_text(item.month), hours=format_hours(monthly[month_key]),
                         limit=format_hours(terms.monthly_hours))


def check_rates(project: ProjectData) -> Iterator[Issue]:
    """U003, U004: the rate is at least the minimum of the month worked, and the amount
    is hours × rate to the grosz."""
    for line in work(project)[1]:
        record = line.record
        rate = record.rate
        if rate is None:
            continue
        terms = terms_on(line.day or line.month, project)
        if terms is not None and rate < terms.min_rate:
            yield _issue("U003", line, "rate", value=str(rate), who=who(record),
                         rate=Money(rate), minimum=Money(terms.min_rate),
                         when=format_date(line.day) if line.day else _month_text(line.month),
                         source=terms.source)
        if record.amount is not None:
            expected = pay(line.hours, rate)
            if record.amount != expected:
                yield _issue("U004", line, "amount", value=str(record.amount),
                             who=who(record), amount=Money(record.amount),
                             hours=format_hours(line.hours), rate=Money(rate),
                             expected=Money(expected),
                             difference=Money(record.amount - expected))


def check_days_off(project: ProjectData) -> Iterator[Issue]:
    """U005: work on a Sunday or a public holiday."""
    for item in work(project)[0]:
        if item.day is None:
            continue
        reason = day_off(item.day)
        if reason is not None and item.hours > 0:
            yield _issue("U005", item, value=item.day, who=who(item.record),
                         date=item.day, day=reason)


def check_people(project: ProjectData) -> Iterator[Issue]:
    """U006, U007: the person is on the participant list (said once per sheet) and works
    within the participation dates (once per row)."""
    index = ParticipantIndex(project)
    if not index:
        return
    found: dict[str, Any] = {}
    said: set[tuple[int, str]] = set()
    outside: set[tuple[int, int]] = set()
    for item in work(project)[0]:
        record = item.record
        if item.person not in found:
            found[item.person] = index.find(record.pesel, full_name(record))
        person = found[item.person]
        if person is None:
            key = (id(item.ctx), item.person)
            if key not in said:
                said.add(key)
                yield _issue("U006", item, person_field(item.ctx, record), who=who(record))
            continue
        start, end = person.start, person.end
        row_key = (id(item.ctx), record.row)
        if not worked_within(item.month, item.day, start, end) and row_key not in outside:
            outside.add(row_key)
            yield _issue("U007", item, value=item.day or item.month, who=who(record),
                         when=format_date(item.day) if item.day else _month_text(item.month),
                         start=start or "…", end=end or "…")


def check_twice(project: ProjectData) -> Iterator[Issue]:
    """U008: one person, one day (or one month of a month register): one entry."""
    first: dict[tuple[str, str, Any], Work] = {}
    for item in work(project)[0]:
        key: tuple[str, str, Any] = (
            (item.person, "d", item.day) if item.day else
            (item.person, "w", item.week) if item.week else (item.person, "m", item.month))
        seen = first.setdefault(key, item)
        if seen is item:
            continue
        where = seen.cell if seen.ctx is item.ctx else f"{seen.ctx.table.sheet}!{seen.cell}"
        yield _issue("U008", item, value=str(item.hours), who=who(item.record),
                     when=_when(item), first=where)


def _when(item: Work) -> str:
    if item.day:
        return format_date(item.day)
    if item.week:
        monday = dt.date.fromisocalendar(*item.week, 1)
        return f"{format_date(monday)} – {format_date(monday + dt.timedelta(days=6))}"
    return _month_text(item.month)


def worked_within(month: dt.date, day: dt.date | None, start: dt.date | None,
                  end: dt.date | None) -> bool:
    """Whether work falls within ``start``–``end`` (either open): a day inside it, or a
    month row (``day`` None) any of whose days is."""
    if day is not None:
        return not ((start and day < start) or (end and day > end))
    last = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return not ((start and last < start) or (end and month > end))


def _in_period(project: ProjectData, month: dt.date, day: dt.date | None) -> bool:
    return worked_within(month, day, project.settings.start, project.settings.end)


def register_total(project: ProjectData) -> Decimal:
    """What the register pays for work within the project period."""
    total = ZERO
    for line in work(project)[1]:
        if line.amount is not None and _in_period(project, line.month, line.day):
            total += line.amount
    return total


def _places(cells: list[tuple[Any, str]], most: int = 8) -> str:
    """Cells named the way a user finds them: "kontrakty.xlsx: Wypłaty!C2, C3", one
    group per file and sheet, at most ``most`` cells in all."""
    groups: dict[tuple[str, str], list[str]] = {}
    for table, cell in cells:
        groups.setdefault((PurePath(table.file).name, table.sheet), []).append(cell)
    shown, left = [], most
    for (file, sheet), found in groups.items():
        part = ", ".join(found[:max(left, 1)])
        if len(found) > max(left, 1):
            part += f" … (+{len(found) - max(left, 1)})"
        left -= len(found)
        shown.append(f"{file}: {sheet}!{part}")
    return "; ".join(shown)


def _register_cells(project: ProjectData) -> str:
    """Where the register's amounts stand: a column range per sheet."""
    places = []
    for kind in (PSU, PSU_GRID):
        for sheet in project.of_kind(kind):
            table = sheet.ctx.table
            rows = [r.row for r in sheet.records]
            if not rows:
                continue
            field_name = "amount" if sheet.ctx.has("amount") else None
            first, last = table.cell(rows[0], field_name), table.cell(rows[-1], field_name)
            places.append((table, first if first == last else f"{first}:{last}"))
    return _places(places)


def check_reconciliation(project: ProjectData) -> Iterator[Issue]:
    """U009, U010: the register's PSU pay = the budget's own contribution from PSU, and =
    the PSU payments in the payments sheet (within the project period)."""
    if not work(project)[1]:
        return
    registered = register_total(project)
    where = _register_cells(project)
    for sheet in project.of_kind(BUDGET):
        declared, found = own_contribution(sheet)["psu"]
        if found and declared != registered:
            yield sheet.ctx.issue("U009", found[0], "own", value=str(declared),
                                  declared=Money(declared), cells=own_cells(sheet.ctx, found),
                                  registered=Money(registered), register=where,
                                  difference=Money(declared - registered))
    paid, paid_cells = ZERO, []
    for ctx, payment, _key in payments_in_order(project):
        if (payment.benefit != PSU_BENEFIT or payment.amount is None or payment.date is None
                or not _in_period(project, payment.date.replace(day=1), payment.date)):
            continue
        paid += payment.amount
        paid_cells.append((ctx.table, ctx.table.cell(payment.row, "amount")))
    if paid_cells and paid != registered:
        line = work(project)[1][0]
        yield _issue("U010", line, "amount" if line.ctx.has("amount") else None,
                     registered=Money(registered), register=where, paid=Money(paid),
                     cells=_places(paid_cells), difference=Money(registered - paid))


# --- computed values ---------------------------------------------------------------


@dataclass(eq=False, repr=False)
class Totals:
    """Per row: its own hours and pay, the person's in the row's month, and to date."""

    hours: dict[tuple[int, int], Decimal]
    computed_pay: dict[tuple[int, int], Decimal]
    month_hours: dict[tuple[int, int], Decimal]
    month_amount: dict[tuple[int, int], Decimal]
    hours_to_date: dict[tuple[int, int], Decimal]
    amount_to_date: dict[tuple[int, int], Decimal]


def totals(project: ProjectData) -> Totals:
    return project.memo("psu_totals", lambda: _totals(project))


def _totals(project: ProjectData) -> Totals:
    lines = work(project)[1]
    hours: dict[tuple[str, dt.date], Decimal] = defaultdict(Decimal)
    amount: dict[tuple[str, dt.date], Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        hours[(line.person, line.month)] += line.hours
        if line.amount is not None:
            amount[(line.person, line.month)] += line.amount
    result = Totals({}, {}, {}, {}, {}, {})
    running_hours: dict[str, Decimal] = defaultdict(Decimal)
    running_amount: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for line in sorted(lines, key=lambda item: (item.month, item.record.row)):
        key = (id(line.ctx), line.record.row)
        running_hours[line.person] += line.hours
        if line.amount is not None:
            running_amount[line.person] += line.amount
        result.hours[key] = line.hours
        if line.record.rate is not None:
            result.computed_pay[key] = pay(line.hours, line.record.rate)
        result.month_hours[key] = hours[(line.person, line.month)]
        result.month_amount[key] = amount[(line.person, line.month)]
        result.hours_to_date[key] = running_hours[line.person]
        result.amount_to_date[key] = running_amount[line.person]
    return result


def _column(what: str) -> Any:
    def values(project: ProjectData, sheet: SheetData) -> dict[int, Any]:
        found: dict[tuple[int, int], Any] = getattr(totals(project), what)
        here = id(sheet.ctx)
        return {r.row: found[(here, r.row)] for r in sheet.records if (here, r.row) in found}

    return values


def summarise(project: ProjectData) -> list[SummaryTable]:
    """Per month and per person: people, hours and pay (what ``--summary`` prints)."""
    lines = work(project)[1]
    if not lines:
        return []
    months: dict[dt.date, tuple[set[str], Decimal, Decimal]] = {}
    people: dict[str, tuple[str, set[dt.date], Decimal, Decimal]] = {}
    for line in lines:
        names, hours, amount = months.get(line.month, (set(), Decimal(0), ZERO))
        names.add(line.person)
        months[line.month] = (names, hours + line.hours, amount + (line.amount or ZERO))
        name, worked, hours, amount = people.get(
            line.person, (who(line.record), set(), Decimal(0), ZERO))
        worked.add(line.month)
        people[line.person] = (name, worked, hours + line.hours, amount + (line.amount or ZERO))
    all_hours = sum((h for _n, h, _a in months.values()), Decimal(0))
    all_amount = sum((a for _n, _h, a in months.values()), ZERO)
    return [
        SummaryTable(
            "Prace społecznie użyteczne według miesięcy", "Socially useful work by month",
            ["Miesiąc", "Osób", "Godzin", "Kwota"], ["Month", "People", "Hours", "Amount"],
            [[f"{month:%Y-%m}", len(names), Hours(hours), amount]
             for month, (names, hours, amount) in sorted(months.items())]
            + [["Razem", len(people), Hours(all_hours), all_amount]]),
        SummaryTable(
            "Prace społecznie użyteczne według osób", "Socially useful work by person",
            ["Osoba", "Miesięcy", "Godzin", "Kwota"], ["Person", "Months", "Hours", "Amount"],
            [[name, len(worked), Hours(hours), amount]
             for name, worked, hours, amount in people.values()]),
    ]


_PROJECT_CHECKS = (check_limits, check_rates, check_days_off, check_people, check_twice,
                   check_reconciliation)
_PERSON_GROUPS = (("pesel",), ("full_name",), ("last_name", "first_name"))
_TO_DATE = (
    Computed("Godziny narastająco", _column("hours_to_date"), number_format=HOURS_FORMAT,
             width=12, project_wide=True, aliases=("godziny psu narastająco",)),
    Computed("Kwota narastająco", _column("amount_to_date"), number_format=MONEY_FORMAT,
             width=14, project_wide=True, aliases=("kwota psu narastająco",)),
)


#: What a sheet name or title of either layout says ("Karta PSU", "Prace społecznie…").
_WORDS = ("psu", "spoleczn", "uzyteczn")

PSU = Kind(
    names=("psu", "prace-spolecznie-uzyteczne"),
    words=_WORDS,
    family_name="psu",
    name="psu",
    label="prace społecznie użyteczne (wiersz na miesiąc)",
    label_en="socially useful work (one row per month)",
    model=PsuRow,
    required=tuple((*person, when, "hours") for person in _PERSON_GROUPS
                   for when in ("month", "date")),
    project_checks=_PROJECT_CHECKS,
    summaries=(summarise,),
    computed=(
        Computed("Godziny osoby w miesiącu", _column("month_hours"),
                 number_format=HOURS_FORMAT, width=12, project_wide=True,
                 aliases=("godziny w miesiącu", "razem godzin w miesiącu")),
        Computed("Kwota osoby w miesiącu", _column("month_amount"),
                 number_format=MONEY_FORMAT, width=14, project_wide=True,
                 aliases=("kwota w miesiącu",)),
        *_TO_DATE),
)

PSU_GRID = Kind(
    names=("psu-siatka", "psu-grid"),
    words=_WORDS,
    family_name="psu",
    name="psu_grid",
    label="prace społecznie użyteczne (kolumna na dzień)",
    label_en="socially useful work (one column per day)",
    model=PsuGridRow,
    required=_PERSON_GROUPS,
    project_checks=_PROJECT_CHECKS,  # run once per project, whichever layouts it holds
    summaries=(summarise,),
    patterns={"days": (session_header, parse_hours), "weeks": (week_header, parse_hours)},
    pattern_score=2,
    computed=(
        Computed("Godziny razem", _column("hours"), number_format=HOURS_FORMAT, width=10,
                 aliases=("razem godzin", "suma godzin", "godziny w miesiącu razem")),
        Computed("Kwota (godziny × stawka)", _column("computed_pay"),
                 number_format=MONEY_FORMAT, width=14,
                 aliases=("kwota obliczona", "godziny x stawka")),
        *_TO_DATE),
)
