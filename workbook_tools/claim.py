"""Payment-claim statistics (zestawienie do wniosku o płatność), counted from the staff's
own workbooks.

Every few months a project reports who started, ended and dropped out, who they were
on entry, what each form of support delivered, what material aid was paid, and how far
its indicators have come. Staff count this by hand from the same workbooks the toolkit
reads; here it is counted once, by rules that are written down and tested:

* a person is counted once per project, found by PESEL on every participant list (or,
  without a PESEL, by name and birth date);
* a person starts on the earliest start date of their rows and has ended when every row
  has an end date (the latest one); started before the period and ended in it: counted
  as ended, not started;
* age is full years at the start date, from the PESEL's birth date (else the typed one);
* a dropout without an end date, a row without a start date, an outcome for someone still
  taking part are located issues (Z…), never guesses.

Each table cell keeps the rows it counted (:class:`Source`), so an auditor can check any
figure; the outputs mask the PESEL of every source unless asked. The categories are the
programme period's (:mod:`workbook_tools.programmes`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .checks import ProjectData, SheetContext
from .issues import Issue, Name, Personal
from .kinds.attendance import book, entries, form_name
from .kinds.budget import BUDGET, own_contribution
from .kinds.contracts import CONTRACTS, contracts_of
from .kinds.participants import (
    PARTICIPANTS,
    STUDYING,
    Participant,
    age_on,
    full_name,
    name_key,
    who,
)
from .kinds.payments import PSU_BENEFIT, payments_in_order
from .kinds.psu import work as psu_work
from .kinds.psu import worked_within
from .names import SETTINGS_FILE
from .programmes import PROGRAMMES, AgeGroup, Programme
from .settings import Indicator, ProjectSettings
from .summary import Hours, Percent
from .values import Sex, ValueProblem, fold

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


# --- what a claim is made of -------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One row counted in a cell: where it is, and whose it is (masked at output)."""

    file: str
    sheet: str
    row: int
    person: str = ""


@dataclass
class Cell:
    value: Any  # int, Decimal (zł or hours), Percent, bool or None
    sources: list[Source] = field(default_factory=list)


@dataclass
class Row:
    label: str
    label_en: str
    cells: list[Cell]


@dataclass
class ClaimTable:
    key: str
    title: str
    title_en: str
    columns: list[str]
    columns_en: list[str]
    rows: list[Row]


@dataclass
class Claim:
    """The tables of one project for one reporting period, and what counting found."""

    project: str
    name: str | None
    programme: str
    #: how the programme period was chosen (Polish, English)
    programme_why: tuple[str, str]
    start: dt.date | None
    end: dt.date | None
    tables: list[ClaimTable]
    issues: list[Issue] = field(default_factory=list)


def choose_programme(settings: ProjectSettings, first_start: dt.date | None = None
                     ) -> tuple[Programme, tuple[str, str]]:
    """``okres_programowania``, else ``[budzet] program``, else the year the project
    started (``poczatek``, else its first participant's start date)."""
    if settings.programme_period:
        return PROGRAMMES[settings.programme_period], ("okres_programowania w projekt.toml",
                                                       "okres_programowania in projekt.toml")
    if settings.budget.programme:
        return PROGRAMMES[settings.budget.programme], ("[budzet] program w projekt.toml",
                                                       "[budzet] program in projekt.toml")
    start = settings.start or first_start
    if start is None:
        return PROGRAMMES["fe-2021-2027"], (
            "przyjęty: brak okresu projektu i okres_programowania w projekt.toml",
            "assumed: projekt.toml gives neither the project period nor okres_programowania")
    key = ("po-kl-2007-2013" if start.year < 2014 else
           "efs-2014-2020" if start.year < 2022 else "fe-2021-2027")
    what = ("początku projektu", "the project's start") if settings.start else (
        "pierwszego rozpoczęcia udziału", "the first participant's start")
    return PROGRAMMES[key], (f"z daty {what[0]} ({start:%d.%m.%Y})",
                             f"from {what[1]} ({start:%d.%m.%Y})")


# --- people ------------------------------------------------------------------------


@dataclass
class Person:
    """One participant of the project, however many lists name them."""

    key: str
    rows: list[tuple[SheetContext, Participant]]
    start: dt.date | None = None
    end: dt.date | None = None  # None: still taking part (or dropped out without a date)
    last: Participant | None = None  # the row whose end is the person's end
    undated_dropout: bool = False
    _starting: list[Source] | None = field(default=None, repr=False)
    _ending: list[Source] | None = field(default=None, repr=False)

    @property
    def record(self) -> Participant:
        return self.rows[0][1]

    @property
    def sex(self) -> Sex | None:
        return self.record.pesel_sex or self.record.sex

    @property
    def age(self) -> int | None:
        born = self.record.effective_birth_date
        return age_on(born, self.start) if born and self.start else None

    @property
    def dropped(self) -> bool:
        last = self.last
        return last is not None and (last.completed_path is False or (
            bool(last.dropout_reason) and last.completed_path is not True))

    def sources(self) -> list[Source]:
        return [_source(ctx, record) for ctx, record in self.rows]

    def source(self, *, ending: bool = False) -> list[Source]:
        """The row a count rests on: the one that gives the start date (first read on a
        tie), or with ``ending`` the one that gives the end. Made once per person: a
        person is counted in dozens of cells, and a list of 50 000 people must not make
        millions of them."""
        if ending and self.last is not None:
            if self._ending is None:
                self._ending = [_source(*next((ctx, r) for ctx, r in self.rows
                                              if r is self.last))]
            return self._ending
        if self._starting is None:
            self._starting = [_source(*min(self.rows,
                                           key=lambda item: item[1].start or dt.date.max))]
        return self._starting


def _source(ctx: SheetContext, record: Any) -> Source:
    """The row, and the person it names (a budget line names nobody)."""
    person: str = ""
    if getattr(record, "pesel", None):
        person = Personal(record.pesel)
    elif hasattr(record, "full_name"):
        person = Name(full_name(record) or "")
    return Source(Path(ctx.table.file).name, ctx.table.sheet, record.row, person)


def participant_key(record: Participant) -> str:
    """PESEL; without one, the name (any order, case, diacritics) and the birth date."""
    if record.pesel:
        return str(record.pesel)
    born = record.effective_birth_date
    return f"~{name_key(full_name(record)) or '?'}~{born.isoformat() if born else ''}"


def people(project: ProjectData) -> tuple[list[Person], list[Issue]]:
    """Every participant once, with their start and end (Z001, Z002 while counting)."""
    by_key: dict[str, Person] = {}
    for sheet in project.of_kind(PARTICIPANTS):
        for record in sheet.records:
            key = participant_key(record)
            found = by_key.get(key)
            if found is None:
                found = by_key[key] = Person(key, [])
            found.rows.append((sheet.ctx, record))
    issues: list[Issue] = []
    for person in by_key.values():
        starts = [r.start for _c, r in person.rows if r.start]
        if not starts:
            ctx, record = person.rows[0]
            issues.append(ctx.issue("Z001", record, "start" if ctx.has("start") else None,
                                    who=who(record)))
            continue
        person.start = min(starts)
        ends = [(r.end, r) for _c, r in person.rows]
        if all(end for end, _r in ends):
            person.end, person.last = max(((e, r) for e, r in ends if e),
                                          key=lambda item: item[0])
        for ctx, record in person.rows:
            says_dropout = record.completed_path is False or (
                bool(record.dropout_reason) and record.completed_path is not True)
            if record.end is None and says_dropout:
                person.undated_dropout = True
                issues.append(ctx.issue("Z002", record, "end" if ctx.has("end") else None,
                                        who=who(record)))
            elif record.end is not None and record.completed_path is None \
                    and not record.dropout_reason and ctx.has("completed_path"):
                issues.append(ctx.issue("Z005", record, "completed_path", who=who(record)))
    return [p for p in by_key.values() if p.start is not None], issues


# --- counting ----------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: dt.date | None
    end: dt.date | None

    def holds(self, day: dt.date | None) -> bool:
        return day is not None and not ((self.start and day < self.start)
                                        or (self.end and day > self.end))


Group = Callable[[Person], bool]


def _by_sex(chosen: list[Person], *, ending: bool = False) -> list[Cell]:
    women = [p for p in chosen if p.sex is Sex.FEMALE]
    men = [p for p in chosen if p.sex is Sex.MALE]
    return [_count(women, ending=ending), _count(men, ending=ending),
            _count(chosen, ending=ending)]


def _count(chosen: Iterable[Person], *, ending: bool = False) -> Cell:
    chosen = list(chosen)
    return Cell(len(chosen), [s for p in chosen for s in p.source(ending=ending)])


SEX_COLUMNS = (["W okresie: K", "W okresie: M", "W okresie: razem", "Narastająco: K",
                 "Narastająco: M", "Narastająco: razem"],
                ["Period: women", "Period: men", "Period: total", "To date: women",
                 "To date: men", "To date: total"])


def flow_table(persons: list[Person], period: Period, *, says_path: bool = True
               ) -> ClaimTable:
    """Started, ended (along the path, dropped out), continuing: in the period and to
    its end. Without a path or dropout-reason column on any list, the "of which" rows
    stay empty: nobody said, which is not zero."""
    to_date = Period(None, period.end)

    def row(label: str, label_en: str, test: Callable[[Person, Period], bool],
            ending: bool = False) -> Row:
        return Row(label, label_en,
                   _by_sex([p for p in persons if test(p, period)], ending=ending)
                   + _by_sex([p for p in persons if test(p, to_date)], ending=ending))

    def started(p: Person, when: Period) -> bool:
        return when.holds(p.start)

    def ended(p: Person, when: Period) -> bool:
        return when.holds(p.end)

    def continuing(p: Person, when: Period) -> bool:
        end = period.end
        return ((end is None or (p.start is not None and p.start <= end))
                and not p.undated_dropout and (p.end is None or (end is not None
                                                                 and p.end > end)))

    def unknown(label: str, label_en: str) -> Row:
        return Row(label, label_en, [Cell(None) for _ in SEX_COLUMNS[0]])

    along = (row("w tym zgodnie ze ścieżką", "of which along the planned path",
                 lambda p, w: ended(p, w) and p.last is not None
                 and p.last.completed_path is True, True) if says_path
             else unknown("w tym zgodnie ze ścieżką", "of which along the planned path"))
    dropped = (row("w tym przerwali udział", "of which dropped out",
                   lambda p, w: ended(p, w) and p.dropped, True) if says_path
               else unknown("w tym przerwali udział", "of which dropped out"))
    return ClaimTable(
        "przeplyw", "Przepływ uczestników", "Participant flow", *SEX_COLUMNS, [
            row("Rozpoczęli udział w projekcie", "Started", started),
            row("Zakończyli udział", "Ended", ended, True),
            along,
            dropped,
            row("Przerwali bez daty zakończenia (do wyjaśnienia)",
                "Dropped out without an end date (to be explained)",
                lambda p, w: p.undated_dropout and (period.end is None or (
                    p.start is not None and p.start <= period.end))),
            row("Kontynuują udział na koniec okresu", "Continuing at the end of the period",
                continuing),
        ])


def structure_table(persons: list[Person], period: Period,
                    programme: Programme) -> ClaimTable:
    """Who they were on entry: of those who started in the period and to its end."""
    to_date = Period(None, period.end)
    now = [p for p in persons if period.holds(p.start)]
    all_ = [p for p in persons if to_date.holds(p.start)]
    rows: list[Row] = []

    def add(label: str, label_en: str, test: Group) -> None:
        rows.append(Row(label, label_en, _by_sex([p for p in now if test(p)])
                        + _by_sex([p for p in all_ if test(p)])))

    def status(p: Person) -> str | None:
        return p.record.labour_status

    add("Rozpoczęli udział (razem)", "Started (total)", lambda p: True)
    add("Bezrobotni", "Unemployed",
        lambda p: status(p) in ("bezrobotny", "długotrwale bezrobotny"))
    add("w tym długotrwale bezrobotni", "of which long-term",
        lambda p: status(p) == "długotrwale bezrobotny")
    add("Nieaktywni zawodowo", "Inactive",
        lambda p: status(p) in ("nieaktywny zawodowo", STUDYING))
    add("w tym uczący się lub kształcący", "of which in education or training",
        lambda p: status(p) == STUDYING)
    add("Zatrudnieni", "Employed", lambda p: status(p) == "zatrudniony")
    add("Status na rynku pracy nieznany", "Labour-market status not given",
        lambda p: status(p) is None)
    for group in programme.age_groups:
        add(f"Wiek: {group.label}", f"Age: {group.label}", _aged(group))
    add("Wiek nieznany", "Age unknown", lambda p: p.age is None)
    for education in programme.education:
        add(f"Wykształcenie: {education.label}", f"Education: {education.label}",
            _field_in("education", education.levels))
    add("Wykształcenie nieznane", "Education not given", lambda p: p.record.education is None)
    add("Osoby z niepełnosprawnością", "People with a disability",
        lambda p: p.record.disability is True)
    add("Obszar miejski", "Urban area", lambda p: p.record.area == "miejski")
    add("Obszar wiejski", "Rural area", lambda p: p.record.area == "wiejski")
    for degurba in sorted({p.record.degurba for p in all_ if p.record.degurba}):
        add(f"DEGURBA {degurba}", f"DEGURBA {degurba}", _field_in("degurba", {degurba}))
    for target in sorted({p.record.target_group for p in all_ if p.record.target_group}):
        add(f"Grupa docelowa: {target}", f"Target group: {target}",
            _field_in("target_group", {target}))
    return ClaimTable("struktura", "Uczestnicy w chwili przystąpienia do projektu",
                      "Participants on entry", *SEX_COLUMNS, rows)


def _aged(group: AgeGroup) -> Group:
    return lambda person: person.age is not None and group.holds(person.age)


def _field_in(name: str, values: Iterable[str]) -> Group:
    """People whose list row's ``name`` is one of ``values``."""
    chosen = frozenset(values)
    return lambda person: getattr(person.record, name) in chosen


def forms_table(project: ProjectData, persons: list[Person], period: Period) -> ClaimTable:
    """Per form of support: started, completed the required hours, hours delivered."""
    settings = project.settings
    to_date = Period(None, period.end)
    started: dict[str, dict[str, list[Source]]] = defaultdict(dict)  # form -> person
    started_all: dict[str, dict[str, list[Source]]] = defaultdict(dict)
    names: dict[str, str] = {}
    for person in persons:
        for ctx, record in person.rows:
            if not record.support_form:
                continue
            form = form_name(settings, record.support_form)
            form = names.setdefault(fold(form), form)
            source = [_source(ctx, record)]
            begun = record.start or person.start
            if period.holds(begun):
                started[form].setdefault(person.key, source)
            if to_date.holds(begun):
                started_all[form].setdefault(person.key, source)
    hours: dict[str, Cell] = {}
    hours_all: dict[str, Cell] = {}
    for entry in entries(project):
        if entry.attended is None or not entry.attended or entry.date is None:
            continue
        form = names.setdefault(fold(entry.form), entry.form)
        held = _source(entry.ctx, entry.record)
        for when, into in ((period, hours), (to_date, hours_all)):
            if when.holds(entry.date):
                cell = into.setdefault(form, Cell(Decimal(0)))
                cell.value += entry.attended
                cell.sources.append(held)
    completed: dict[str, Cell] = {}
    for (form, _person), progress in book(project).progress.items():
        form = names.setdefault(fold(form), form)
        if progress.completed:
            cell = completed.setdefault(form, Cell(0))
            cell.value += 1
            cell.sources.append(_source(progress.first.ctx, progress.first.record))
    rows = []
    for form in sorted({*started_all, *hours_all, *completed}, key=fold):
        rows.append(Row(form, form, [
            Cell(len(started[form]), [s for v in started[form].values() for s in v]),
            Cell(len(started_all[form]), [s for v in started_all[form].values() for s in v]),
            completed.get(form, Cell(0)),
            _hours(hours.get(form)), _hours(hours_all.get(form))]))
    return ClaimTable(
        "formy", "Formy wsparcia", "Forms of support",
        ["Rozpoczęli w okresie", "Rozpoczęli narastająco", "Ukończyli (próg godzin)",
         "Godziny w okresie", "Godziny narastająco"],
        ["Started in the period", "Started to date", "Completed (hours threshold)",
         "Hours in the period", "Hours to date"], rows)


def _hours(cell: Cell | None) -> Cell:
    return Cell(Hours(cell.value), cell.sources) if cell else Cell(Hours(Decimal(0)))


def aid_table(project: ProjectData, period: Period) -> ClaimTable | None:
    """Material aid paid in the period and to its end, per kind of benefit; the register
    of socially useful work; the own contribution the budget declares from them."""
    to_date = Period(None, period.end)
    contracts = contracts_of(project)
    amounts: dict[str, list[Cell]] = {}
    people_now: dict[str, set[str]] = defaultdict(set)

    def cells_of(kind: str) -> list[Cell]:
        return amounts.setdefault(kind, [Cell(ZERO), Cell(0), Cell(ZERO)])

    for ctx, payment, key in payments_in_order(project):
        if payment.amount is None or payment.date is None:
            continue
        kind = payment.benefit or "(nie podano)"
        found = contracts.get(key or "")
        person = ""
        if found is not None:
            contract = found[1]
            person = contract.pesel or name_key(full_name(contract)) or ""
        source = Source(Path(ctx.table.file).name, ctx.table.sheet, payment.row,
                        Personal(found[1].pesel) if found and found[1].pesel else "")
        for kinds in (kind, "Razem"):
            cells = cells_of(kinds)
            if period.holds(payment.date):
                cells[0].value += payment.amount
                cells[0].sources.append(source)
                if person and person not in people_now[kinds]:
                    people_now[kinds].add(person)
                    cells[1].sources.append(source)
            if to_date.holds(payment.date):
                cells[2].value += payment.amount
                cells[2].sources.append(source)
    for kinds, persons in people_now.items():
        amounts[kinds][1].value = len(persons)
    register = [line for line in psu_work(project)[1] if line.amount is not None]
    rows: list[Row] = [Row(kind, kind, cells) for kind, cells in sorted(
        amounts.items(), key=lambda item: (item[0] == "Razem", item[0]))]
    if register:
        cells = [Cell(ZERO), Cell(0), Cell(ZERO)]
        who_now: set[str] = set()
        for line in register:
            source = _source(line.ctx, line.record)
            if worked_within(line.month, line.day, period.start, period.end):
                cells[0].value += line.amount
                cells[0].sources.append(source)
                if line.person not in who_now:
                    who_now.add(line.person)
                    cells[1].sources.append(source)
            if worked_within(line.month, line.day, to_date.start, to_date.end):
                cells[2].value += line.amount
                cells[2].sources.append(source)
        cells[1].value = len(who_now)
        rows.append(Row("Prace społecznie użyteczne (ewidencja PSU)",
                        "Socially useful work (PSU register)", cells))
    # what the budget declares as own contribution, beside what was paid to the period's
    # end: benefits (payments other than PSU), and PSU (the register, else the payments)
    psu_paid = amounts.get(PSU_BENEFIT, [Cell(ZERO)] * 3)[2].value
    paid_to_date = {"benefits": amounts.get("Razem", [Cell(ZERO)] * 3)[2].value - psu_paid,
                    "psu": rows[-1].cells[2].value if register else psu_paid}
    for sheet in project.of_kind(BUDGET):
        own = own_contribution(sheet)
        for source_kind, label, label_en in (
                ("benefits", "ze świadczeń", "from benefits"), ("psu", "z PSU", "from PSU")):
            declared, lines = own[source_kind]
            if not lines:
                continue
            sources = [_source(sheet.ctx, line) for line in lines]
            rows.append(Row(f"Wkład własny {label} w budżecie",
                            f"Own contribution {label_en} in the budget",
                            [Cell(None), Cell(None), Cell(declared, sources)]))
            rows.append(Row(f"Różnica: wkład własny {label} − wypłacono",
                            f"Difference: own contribution {label_en} − paid",
                            [Cell(None), Cell(None),
                             Cell(declared - paid_to_date[source_kind], sources)]))
    if not rows:
        return None
    return ClaimTable(
        "pomoc", "Pomoc materialna i wkład własny (zł)", "Material aid and own contribution",
        ["Wypłacono w okresie", "Osób w okresie", "Wypłacono narastająco"],
        ["Paid in the period", "People in the period", "Paid to date"], rows)


# --- indicators and effectiveness ----------------------------------------------------


def _resolve_where(indicator: Indicator, project: ProjectData) -> dict[str, Any] | str:
    """``warunek`` as {field: parsed value}; the key that names no column, on failure."""
    fields = PARTICIPANTS.fields
    resolved: dict[str, Any] = {}
    sheets = project.of_kind(PARTICIPANTS)
    for key, wanted in indicator.where.items():
        name = key if key in fields else PARTICIPANTS.match_header(key)
        if name is None or not any(sheet.ctx.has(name) for sheet in sheets):
            return key
        spec = fields[name]
        try:
            resolved[name] = spec.parse("tak" if wanted is True else "nie" if wanted is False
                                        else wanted)
        except ValueProblem:
            return key
    return resolved


def indicators_table(project: ProjectData, persons: list[Person], period: Period,
                     settings_file: str) -> tuple[ClaimTable | None, list[Issue]]:
    """Each ``[wskazniki]`` entry: target, achieved to the period's end and in it, and
    the share of the target reached."""
    declared = project.settings.indicators
    if not declared:
        return None, []
    issues: list[Issue] = []
    to_date = Period(None, period.end)
    rows = []
    forms = {fold(form_name(project.settings, r.support_form))
             for p in persons for _c, r in p.rows if r.support_form}
    forms |= {fold(e.form) for e in entries(project)}
    for name, indicator in declared.items():
        where = _resolve_where(indicator, project)
        if isinstance(where, str):
            issues.append(Issue("Z004", settings_file, params={
                "indicator": name, "key": f"warunek.{where}"}))
            continue
        if indicator.form and fold(form_name(project.settings, indicator.form)) not in forms:
            issues.append(Issue("Z004", settings_file, params={
                "indicator": name, "key": f"forma = \"{indicator.form}\""}))
            continue
        chosen = [p for p in persons
                  if all(getattr(p.record, f) == v for f, v in where.items())]
        now = _achieved(project, indicator, chosen, period)
        total = _achieved(project, indicator, chosen, to_date)
        share = (Percent((Decimal(total.value) * HUNDRED / indicator.target).quantize(
            Decimal("0.01"))) if indicator.target else None)
        target: Any = indicator.target
        if indicator.count == "godziny":
            target, now, total = Hours(target), _hours(now), _hours(total)
        elif indicator.count != "kwota_wyplat" and target == target.to_integral_value():
            target = int(target)
        rows.append(Row(name, name, [Cell(target), total, now, Cell(share)]))
    if not rows:
        return None, issues
    return ClaimTable(
        "wskazniki", "Wskaźniki", "Indicators",
        ["Wartość docelowa", "Osiągnięto narastająco", "W okresie", "% celu"],
        ["Target", "Achieved to date", "In the period", "% of target"], rows), issues


def _achieved(project: ProjectData, indicator: Indicator, chosen: list[Person],
              when: Period) -> Cell:
    count = indicator.count
    if count == "uczestnicy":
        return _count(p for p in chosen if when.holds(p.start))
    if count in ("zakonczyli", "zgodnie_ze_sciezka", "przerwali", "zatrudnieni",
                 "postep_spoleczny"):
        ended = [p for p in chosen if when.holds(p.end)]
        if count == "zgodnie_ze_sciezka":
            ended = [p for p in ended if p.last and p.last.completed_path is True]
        elif count == "przerwali":
            ended = [p for p in ended if p.dropped]
        elif count == "zatrudnieni":
            ended = [p for p in ended if p.last and p.last.employed_after is True]
        elif count == "postep_spoleczny":
            ended = [p for p in ended if p.last and p.last.social_progress is True]
        return _count(ended, ending=True)
    keys = {p.key for p in chosen}
    settings = project.settings
    wanted_form = fold(form_name(settings, indicator.form)) if indicator.form else None
    if count == "ukonczyli":
        cell = Cell(0)
        for (form, person), progress in book(project).progress.items():
            if person in keys and progress.completed and (
                    wanted_form is None or fold(form) == wanted_form):
                day = max(progress.days) if progress.days else None
                if day is None or when.holds(day):
                    cell.value += 1
                    cell.sources.append(_source(progress.first.ctx, progress.first.record))
        return cell
    if count == "godziny":
        cell = Cell(Decimal(0))
        for entry in entries(project):
            if (entry.person in keys and entry.attended and when.holds(entry.date)
                    and (wanted_form is None or fold(entry.form) == wanted_form)):
                cell.value += entry.attended
                cell.sources.append(_source(entry.ctx, entry.record))
        return cell
    if count == "kontrakty":
        cell = Cell(0)
        for sheet in project.of_kind(CONTRACTS):
            for record in sheet.records:
                if record.signed is None or when.holds(record.signed):
                    cell.value += 1
                    cell.sources.append(_source(sheet.ctx, record))
        return cell
    # kwota_wyplat
    cell = Cell(ZERO)
    for ctx, payment, _key in payments_in_order(project):
        if (payment.amount is not None and when.holds(payment.date)
                and (indicator.benefit is None
                     or fold(payment.benefit or "") == fold(indicator.benefit))):
            cell.value += payment.amount
            cell.sources.append(Source(Path(ctx.table.file).name, ctx.table.sheet,
                                       payment.row))
    return cell


def effectiveness_table(project: ProjectData, persons: list[Person], period: Period,
                        programme: Programme) -> tuple[ClaimTable | None, list[Issue]]:
    """Social and employment effectiveness of those who ended (to the period's end),
    when the list has outcome columns; an outcome for someone still taking part is Z003."""
    sheets = project.of_kind(PARTICIPANTS)
    has = {name: any(s.ctx.has(name) for s in sheets)
           for name in ("employed_after", "social_progress")}
    if not any(has.values()):
        return None, []
    issues: list[Issue] = []
    to_date = Period(None, period.end)
    for person in persons:
        if to_date.holds(person.end):
            continue
        for ctx, record in person.rows:
            for name in ("employed_after", "social_progress"):
                if getattr(record, name) is not None:
                    issues.append(ctx.issue("Z003", record, name, who=who(record),
                                            column=ctx.header(name)))
    own = project.settings.effectiveness
    minimum = programme.effectiveness
    ended = [p for p in persons if to_date.holds(p.end)]
    rows = []

    def add(label: str, label_en: str, group: list[Person], outcome: str,
            floor: Decimal | None) -> None:
        achieved = [p for p in group if p.last and getattr(p.last, outcome) is True]
        share = (Percent((Decimal(len(achieved)) * HUNDRED / len(group)).quantize(
            Decimal("0.01"))) if group else None)
        met = None if share is None or floor is None else share.value >= floor
        rows.append(Row(label, label_en, [_count(group, ending=True),
                                          _count(achieved, ending=True), Cell(share),
                                          Cell(Percent(floor) if floor is not None else None),
                                          Cell(met)]))

    if has["social_progress"]:
        add("Efektywność społeczna", "Social effectiveness", ended, "social_progress",
            own.social if own.social is not None else minimum.social if minimum else None)
    if has["employed_after"]:
        add("Efektywność zatrudnieniowa", "Employment effectiveness", ended,
            "employed_after", own.employment if own.employment is not None
            else minimum.employment if minimum else None)
        disabled = [p for p in ended if p.record.disability is True]
        if disabled:
            add("w tym osoby z niepełnosprawnością", "of which people with a disability",
                disabled, "employed_after", own.employment_disabled
                if own.employment_disabled is not None
                else minimum.employment_disabled if minimum else None)
    return ClaimTable(
        "efektywnosc", "Efektywność (narastająco)", "Effectiveness (to date)",
        ["Zakończyli udział", "Z wynikiem", "%", "Minimum", "Spełnione"],
        ["Ended", "With the outcome", "%", "Minimum", "Met"], rows), issues


# --- the whole claim ---------------------------------------------------------------


def claim(project: ProjectData, *, folder: str, start: dt.date | None,
          end: dt.date | None) -> Claim:
    """The claim tables of one project for the period ``start``–``end`` (either open)."""
    settings = project.settings
    period = Period(start, end)
    persons, issues = people(project)
    programme, why = choose_programme(
        settings, min((p.start for p in persons if p.start), default=None))
    says_path = any(sheet.ctx.has(name) for sheet in project.of_kind(PARTICIPANTS)
                    for name in ("completed_path", "dropout_reason"))
    tables = [flow_table(persons, period, says_path=says_path),
              structure_table(persons, period, programme)]
    forms = forms_table(project, persons, period)
    if forms.rows:
        tables.append(forms)
    aid = aid_table(project, period)
    if aid is not None:
        tables.append(aid)
    settings_file = str(Path(folder) / SETTINGS_FILE)
    indicators, found = indicators_table(project, persons, period, settings_file)
    issues += found
    if indicators is not None:
        tables.append(indicators)
    effective, found = effectiveness_table(project, persons, period, programme)
    issues += found
    if effective is not None:
        tables.append(effective)
    return Claim(folder, settings.name, programme.key, why, start, end, tables, issues)


def indicators_to_date(project: ProjectData, folder: str
                       ) -> list[tuple[str, Any, Any, Decimal | None]]:
    """``[wskazniki]`` as counted to the last data: (name, target, achieved, % of the
    target); an indicator that could not be counted is left out (``zestawienie`` says
    why, Z004)."""
    persons, _issues = people(project)
    table, _found = indicators_table(project, persons, Period(None, None),
                                     str(Path(folder) / SETTINGS_FILE))
    if table is None:
        return []
    return [(row.label, row.cells[0].value, row.cells[1].value,
             row.cells[3].value.value if row.cells[3].value is not None else None)
            for row in table.rows]


def total(claims: list[Claim]) -> Claim:
    """Several projects added up: counts and amounts cell by cell (rows and columns by
    their labels); shares are not added, so their cells stay empty."""
    tables: dict[str, ClaimTable] = {}
    for one in claims:
        for table in one.tables:
            if table.key in ("efektywnosc",):
                continue
            into = tables.setdefault(table.key, ClaimTable(
                table.key, table.title, table.title_en, table.columns, table.columns_en, []))
            rows = {row.label: row for row in into.rows}
            for row in table.rows:
                found = rows.get(row.label)
                if found is None:
                    found = Row(row.label, row.label_en,
                                [Cell(None) for _ in row.cells])
                    into.rows.append(found)
                    rows[row.label] = found
                for mine, theirs in zip(found.cells, row.cells, strict=False):
                    value = theirs.value
                    if isinstance(value, Hours):
                        mine.value = Hours((mine.value.value if mine.value else 0)
                                           + value.value)
                    elif isinstance(value, int | Decimal) and not isinstance(value, bool):
                        mine.value = (mine.value or 0) + value
                    else:
                        continue
                    mine.sources.extend(theirs.sources)
    starts = {c.start for c in claims}
    ends = {c.end for c in claims}
    return Claim("Razem", None, ", ".join(sorted({c.programme for c in claims})),
                 ("suma projektów", "the projects added up"),
                 starts.pop() if len(starts) == 1 else None,
                 ends.pop() if len(ends) == 1 else None, list(tables.values()))
