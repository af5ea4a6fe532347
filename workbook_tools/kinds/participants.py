"""Participant list (lista uczestników), after the PEFS 2007 monitoring form.

One row per person who signed up for the project: identity (PESEL, name, sex, birth
date), the education and labour-market status reported to the Managing Authority, the
address, the form of support and social contract, and the dates of joining and leaving.
Everything else in the project refers to these people: attendance, contracts and
payments are checked against this list.

>>> age_on(dt.date(1990, 5, 14), dt.date(2009, 5, 13))
18
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Annotated, Any

from pydantic.dataclasses import dataclass

from .. import pesel as pesel_mod
from ..checks import ProjectData, SheetContext, SheetData
from ..issues import Issue, Personal
from ..schema import DATE_FORMAT, Column, Computed, Kind
from ..settings import PLAN_COLUMNS
from ..summary import SummaryTable
from ..values import Sex, choice_parser, fold

EDUCATION = choice_parser(
    {v: v for v in ("brak", "podstawowe", "gimnazjalne", "ponadgimnazjalne", "pomaturalne",
                    "wyższe")},
    {
        "bez wykształcenia": "brak", "niepełne podstawowe": "brak",
        "średnie": "ponadgimnazjalne", "średnie ogólne": "ponadgimnazjalne",
        "średnie zawodowe": "ponadgimnazjalne", "zasadnicze zawodowe": "ponadgimnazjalne",
        "zawodowe": "ponadgimnazjalne", "ponadpodstawowe": "ponadgimnazjalne",
        "policealne": "pomaturalne", "wyższe licencjackie": "wyższe",
        "wyższe magisterskie": "wyższe",
    },
)
LABOUR_STATUS = choice_parser(
    {v: v for v in ("bezrobotny", "długotrwale bezrobotny", "nieaktywny zawodowo",
                    "zatrudniony")},
    {
        "bezrobotna": "bezrobotny", "osoba bezrobotna": "bezrobotny",
        "bezrobotny zarejestrowany": "bezrobotny",
        "długotrwale bezrobotna": "długotrwale bezrobotny",
        "osoba długotrwale bezrobotna": "długotrwale bezrobotny",
        "nieaktywna zawodowo": "nieaktywny zawodowo",
        "osoba nieaktywna zawodowo": "nieaktywny zawodowo",
        "bierny zawodowo": "nieaktywny zawodowo", "bierna zawodowo": "nieaktywny zawodowo",
        "osoba bierna zawodowo": "nieaktywny zawodowo",
        "zatrudniona": "zatrudniony", "pracujący": "zatrudniony", "pracująca": "zatrudniony",
        "osoba pracująca": "zatrudniony",
    },
)
AREA = choice_parser(
    {"miejski": "miejski", "wiejski": "wiejski"},
    {"miasto": "miejski", "obszar miejski": "miejski", "wieś": "wiejski",
     "obszar wiejski": "wiejski"},
)


@dataclass(slots=True)
class Participant:
    """One row of the list. Slots: a 50 000-row list must fit in memory many times over."""

    row: int
    lp: Annotated[int | None, Column("Lp.", ("l.p.", "lp", "nr", "nr porzadkowy"))] = None
    first_name: Annotated[str | None, Column(
        "Imię", ("imiona", "imie uczestnika"), value_required=True, personal=True)] = None
    last_name: Annotated[str | None, Column(
        "Nazwisko", ("nazwisko uczestnika",), value_required=True, personal=True)] = None
    full_name: Annotated[str | None, Column(
        "Nazwisko i imię", ("imię i nazwisko", "nazwisko, imię", "imię i nazwisko uczestnika",
                            "nazwisko i imię uczestnika", "uczestnik", "uczestnik projektu"),
        value_required=True, personal=True)] = None
    pesel: Annotated[str | None, Column(
        "PESEL", ("nr pesel", "pesel uczestnika"), value_required=True, personal=True,
        parser=pesel_mod.parse_pesel)] = None
    sex: Annotated[Sex | None, Column("Płeć", ("plec k/m",))] = None
    birth_date: Annotated[dt.date | None, Column(
        "Data urodzenia", number_format=DATE_FORMAT)] = None
    age: Annotated[int | None, Column(
        "Wiek w chwili przystąpienia do projektu",
        ("wiek", "wiek w chwili przystąpienia", "wiek w momencie przystąpienia do projektu",
         "wiek uczestnika"))] = None
    education: Annotated[str | None, Column(
        "Wykształcenie", ("poziom wykształcenia",), parser=EDUCATION)] = None
    street: Annotated[str | None, Column("Ulica", personal=True)] = None
    house_no: Annotated[str | None, Column(
        "Nr domu", ("nr budynku",), personal=True)] = None
    flat_no: Annotated[str | None, Column(
        "Nr lokalu", ("nr mieszkania",), personal=True)] = None
    town: Annotated[str | None, Column("Miejscowość", ("miasto",))] = None
    postal_code: Annotated[str | None, Column("Kod pocztowy", ("kod",))] = None
    commune: Annotated[str | None, Column("Gmina")] = None
    county: Annotated[str | None, Column("Powiat")] = None
    voivodeship: Annotated[str | None, Column("Województwo")] = None
    area: Annotated[str | None, Column(
        "Obszar", ("obszar miejski/wiejski", "obszar zamieszkania"), parser=AREA)] = None
    phone: Annotated[str | None, Column(
        "Telefon", ("nr telefonu", "telefon kontaktowy", "telefon stacjonarny",
                    "telefon komórkowy"), personal=True)] = None
    email: Annotated[str | None, Column(
        "E-mail", ("email", "adres e-mail", "adres poczty elektronicznej"),
        personal=True)] = None
    labour_status: Annotated[str | None, Column(
        "Status na rynku pracy", ("status osoby na rynku pracy",
                                  "status na rynku pracy w chwili przystąpienia do projektu"),
        parser=LABOUR_STATUS)] = None
    target_group: Annotated[str | None, Column("Grupa docelowa", ("grupa",))] = None
    disability: Annotated[bool | None, Column(
        "Niepełnosprawność", ("osoba niepełnosprawna", "osoba z niepełnosprawnością",
                              "niepełnosprawny", "niepełnosprawna"), personal=True)] = None
    support_form: Annotated[str | None, Column(
        "Forma wsparcia", ("rodzaj wsparcia", "forma wsparcia w projekcie",
                           "instrument aktywnej integracji"))] = None
    contract_no: Annotated[str | None, Column(
        "Nr kontraktu socjalnego", ("nr kontraktu", "kontrakt socjalny nr",
                                    "kontrakt socjalny"))] = None
    start: Annotated[dt.date | None, Column(
        "Data rozpoczęcia udziału w projekcie",
        ("data rozpoczęcia udziału", "data rozpoczęcia", "data przystąpienia do projektu",
         "data przystąpienia", "data rozpoczęcia udziału w projekcie (dd.mm.rrrr)"),
        value_required=True, number_format=DATE_FORMAT)] = None
    end: Annotated[dt.date | None, Column(
        "Data zakończenia udziału w projekcie",
        ("data zakończenia udziału", "data zakończenia", "data wyjścia z projektu"),
        number_format=DATE_FORMAT)] = None
    completed_path: Annotated[bool | None, Column(
        "Zakończenie udziału zgodnie ze ścieżką",
        ("zakończenie zgodnie ze ścieżką", "zakończenie zgodnie ze ścieżką uczestnictwa",
         "zakończenie udziału w projekcie zgodnie z zaplanowaną dla niego ścieżką "
         "uczestnictwa", "ukończenie zgodnie ze ścieżką"))] = None
    dropout_reason: Annotated[str | None, Column(
        "Powód przerwania udziału", ("powód przerwania", "przyczyna przerwania udziału",
                                     "przyczyna przerwania"))] = None

    #: Derived once from the PESEL: several checks need it.
    pesel_birth_date: dt.date | None = None
    pesel_sex: Sex | None = None

    def __post_init__(self) -> None:
        if self.pesel:
            self.pesel_birth_date = pesel_mod.birth_date(self.pesel)
            self.pesel_sex = pesel_mod.sex(self.pesel)

    @property
    def effective_birth_date(self) -> dt.date | None:
        """The birth date the PESEL carries, else the one typed in the sheet."""
        return self.pesel_birth_date or self.birth_date


def name_key(name: str | None) -> str | None:
    """A name compared regardless of order, case and diacritics: "Nowak Anna" = "ANNA NOWAK"."""
    if not name:
        return None
    return " ".join(sorted(fold(name).split())) or None


def full_name(record: Any) -> str | None:
    """The person's name from one "Nazwisko i imię" column or from the two columns."""
    if record.full_name:
        return str(record.full_name)
    parts = [p for p in (record.last_name, record.first_name) if p]
    return " ".join(parts) or None


def who(record: Any) -> str:
    """How a person is named in a message: the name, or the (masked) PESEL."""
    return full_name(record) or (Personal(record.pesel) if record.pesel else "?")


def person_field(ctx: SheetContext, record: Any) -> str:
    """The column that names the person on a row (contracts, attendance): where an
    issue about who the person is points."""
    if record.pesel and ctx.has("pesel"):
        return "pesel"
    return "full_name" if ctx.has("full_name") else "last_name"


class ParticipantIndex:
    """Who is on the project's participant lists, found by PESEL or, failing that, by name.

    Attendance, contracts and payments name people; this is how they are matched to the
    list. Empty when the project has no participant workbook: checks then say nothing.
    """

    def __init__(self, project: ProjectData) -> None:
        self.by_pesel: dict[str, Participant] = {}
        self.by_name: dict[str, list[Participant]] = defaultdict(list)
        for sheet in project.of_kind("participants"):
            for record in sheet.records:
                if record.pesel:
                    self.by_pesel.setdefault(record.pesel, record)
                key = name_key(full_name(record))
                if key:
                    self.by_name[key].append(record)

    def __bool__(self) -> bool:
        return bool(self.by_pesel or self.by_name)

    def find(self, pesel: str | None, name: str | None) -> Participant | None:
        """By PESEL; by name when there is no PESEL, or when the list holds the name
        without a valid PESEL (a typo on the list must not hide the person)."""
        if pesel and pesel in self.by_pesel:
            return self.by_pesel[pesel]
        key = name_key(name)
        matches = self.by_name.get(key, []) if key else []
        if pesel:
            matches = [m for m in matches if not m.pesel]
        return matches[0] if matches else None


def age_on(born: dt.date, day: dt.date) -> int:
    """Full years of age on ``day`` (what the monitoring forms call "wiek")."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def entry_date(record: Participant, ctx: SheetContext) -> dt.date | None:
    return record.start or ctx.settings.start


# --- checks on one sheet -----------------------------------------------------------


def check_pesel_agrees(ctx: SheetContext, records: list[Participant]) -> Iterator[Issue]:
    """P003, P004: birth date and sex typed in the sheet agree with the PESEL."""
    for record in records:
        born, sex = record.pesel_birth_date, record.pesel_sex
        if born is None or sex is None:
            continue
        if record.birth_date and record.birth_date != born:
            yield ctx.issue("P003", record, "birth_date", value=record.birth_date,
                            sheet_date=record.birth_date, pesel_date=born)
        if record.sex and record.sex != sex:
            yield ctx.issue("P004", record, "sex", value=record.sex.value,
                            sheet_sex=record.sex.value, pesel_sex=sex.value)


def check_dates(ctx: SheetContext, records: list[Participant]) -> Iterator[Issue]:
    """P006, P007: start before end, both inside the project period."""
    settings = ctx.settings
    for record in records:
        if record.start and record.end and record.end < record.start:
            yield ctx.issue("P006", record, "end", value=record.end,
                            start=record.start, end=record.end)
        if not (settings.start or settings.end):
            continue
        for name in ("start", "end"):
            day: dt.date | None = getattr(record, name)
            if day is None:
                continue
            if (settings.start and day < settings.start) or (settings.end and day > settings.end):
                yield ctx.issue("P007", record, name, value=day, column=ctx.header(name),
                                date=day, period_from=settings.start or "…",
                                period_to=settings.end or "…")


def check_age(ctx: SheetContext, records: list[Participant]) -> Iterator[Issue]:
    """P008, P012: age at entry within the target group's range; the sheet's age agrees."""
    low, high = ctx.settings.age_min, ctx.settings.age_max
    for record in records:
        born, day = record.effective_birth_date, entry_date(record, ctx)
        if born is None or day is None:
            continue
        age = age_on(born, day)
        if record.age is not None and record.age != age:
            yield ctx.issue("P012", record, "age", value=record.age, sheet_age=record.age,
                            age=age)
        if not low <= age <= high:
            field_name = "pesel" if record.pesel else "birth_date"
            yield ctx.issue("P008", record, field_name, value=age, age=age, age_min=low,
                            age_max=high)


_POSTAL = re.compile(r"^\d{2}-\d{3}$")


def check_postal_code(ctx: SheetContext, records: list[Participant]) -> Iterator[Issue]:
    """P009: postal codes as NN-NNN (a number cell turns 11-200 into 11200)."""
    for record in records:
        code = record.postal_code
        if code and not _POSTAL.match(code):
            yield ctx.issue("P009", record, "postal_code", value=code, text=code)


def check_dropout_reason(ctx: SheetContext, records: list[Participant]) -> Iterator[Issue]:
    """P011: leaving off the planned path needs a reason (PEFS asks for it)."""
    if not ctx.has("dropout_reason"):
        return
    for record in records:
        if record.completed_path is False and not record.dropout_reason:
            yield ctx.issue("P011", record, "dropout_reason")


# --- checks across the project's participant sheets --------------------------------


def check_duplicate_pesel(project: ProjectData) -> Iterator[Issue]:
    """P005: one person, one row; every row of a duplicate names all the others."""
    seen: dict[str, list[tuple[SheetContext, Participant]]] = defaultdict(list)
    sheets = project.of_kind("participants")
    for sheet in sheets:
        for record in sheet.records:
            if record.pesel:
                seen[record.pesel].append((sheet.ctx, record))
    several_files = len({sheet.ctx.table.file for sheet in sheets}) > 1
    for pesel, places in seen.items():
        if len(places) < 2:
            continue
        for ctx, record in places:
            rows = ", ".join(_place(o_ctx, o_rec, ctx, several_files) for o_ctx, o_rec in places)
            yield ctx.issue("P005", record, "pesel", value=Personal(pesel),
                            pesel=Personal(pesel), rows=rows)


def _place(ctx: SheetContext, record: Participant, here: SheetContext, several: bool) -> str:
    """A row as seen from ``here``: its number, or file and sheet when elsewhere."""
    if ctx is here:
        return str(record.row)
    where = f"{ctx.table.file}:" if several else ""
    return f"{where}{ctx.table.sheet}!{record.row}"


def check_plan(project: ProjectData) -> Iterator[Issue]:
    """P010: participants per group as planned in ``[plan_uczestnikow]``."""
    sheets = project.of_kind("participants")
    if not sheets or not project.settings.plan:
        return
    anchor = sheets[0].ctx
    for key, planned in project.settings.plan.items():
        field_name = PLAN_COLUMNS[key]
        if not any(sheet.ctx.has(field_name) for sheet in sheets):
            continue
        counts: dict[str, int] = defaultdict(int)
        shown: dict[str, str] = {}
        for sheet in sheets:
            for record in sheet.records:
                value = getattr(record, field_name)
                if value:
                    counts[fold(value)] += 1
                    shown.setdefault(fold(value), value)
        groups = {fold(g): g for g in planned}
        for folded in sorted(set(groups) | set(counts)):
            plan, actual = planned.get(groups.get(folded, ""), 0), counts.get(folded, 0)
            if plan != actual:
                yield anchor.issue("P010", column=anchor.header(field_name),
                                   group=groups.get(folded) or shown[folded],
                                   actual=actual, planned=plan)




def summarise(project: ProjectData) -> list[SummaryTable]:
    """Participants per form of support (against the plan, when there is one) and sex."""
    records = [r for sheet in project.of_kind("participants") for r in sheet.records]
    if not records:
        return []
    plan = {fold(k): v for k, v in project.settings.plan.get("forma_wsparcia", {}).items()}
    counts: dict[str, list[int]] = {}
    for record in records:
        row = counts.setdefault(record.support_form or "(nie podano)", [0, 0, 0])
        row[0] += 1
        sex = record.pesel_sex or record.sex
        if sex is Sex.FEMALE:
            row[1] += 1
        elif sex is Sex.MALE:
            row[2] += 1
    rows: list[list[Any]] = [[form, plan.get(fold(form)), *c] for form, c in sorted(counts.items())]
    rows.append(["Razem", sum(plan.values()) if plan else None, len(records),
                 sum(c[1] for c in counts.values()), sum(c[2] for c in counts.values())])
    return [SummaryTable(
        "Uczestnicy według formy wsparcia", "Participants by form of support",
        ["Forma wsparcia", "Plan", "Uczestnicy", "Kobiety", "Mężczyźni"],
        ["Form of support", "Planned", "Participants", "Women", "Men"], rows)]


# --- computed columns (fill) ---------------------------------------------------------


def _birth_dates(project: ProjectData, sheet: SheetData) -> dict[int, Any]:
    return {r.row: r.pesel_birth_date for r in sheet.records if r.pesel_birth_date}


def _sexes(project: ProjectData, sheet: SheetData) -> dict[int, Any]:
    return {r.row: r.pesel_sex for r in sheet.records if r.pesel_sex}


def _ages(project: ProjectData, sheet: SheetData) -> dict[int, Any]:
    ages: dict[int, Any] = {}
    for record in sheet.records:
        born, entry = record.effective_birth_date, entry_date(record, sheet.ctx)
        if born and entry:
            ages[record.row] = age_on(born, entry)
    return ages


def status(record: Participant, today: dt.date) -> str | None:
    """Where the person stands on ``today``: the words a monitoring report uses."""
    if record.start is None:
        return None
    if record.start > today:
        return "nie rozpoczął udziału"
    if record.end is None or record.end > today:
        return "uczestniczy"
    if record.completed_path is False or record.dropout_reason:
        return "przerwał udział"
    return "zakończył udział"


def _statuses(project: ProjectData, sheet: SheetData) -> dict[int, Any]:
    today = project.settings.today
    return {r.row: found for r in sheet.records if (found := status(r, today))}


COMPUTED = (
    Computed("Data urodzenia", _birth_dates, DATE_FORMAT, 12, field="birth_date"),
    Computed("Płeć", _sexes, None, 6, field="sex"),
    Computed("Wiek w chwili przystąpienia do projektu", _ages, "0", 10, field="age"),
    Computed("Status uczestnictwa", _statuses, None, 20,
             ("status udziału", "status uczestnika", "status udziału w projekcie")),
)


PARTICIPANTS = Kind(
    words=("uczestni", "lista", "rekrutac"),
    name="participants",
    label="lista uczestników",
    label_en="participant list",
    model=Participant,
    required=(("first_name", "last_name", "pesel"), ("full_name", "pesel")),
    checks=(check_pesel_agrees, check_dates, check_age, check_postal_code,
            check_dropout_reason),
    project_checks=(check_duplicate_pesel, check_plan),
    summaries=(summarise,),
    computed=COMPUTED,
    grouped=((("udzial", "uczestnictw", "okres", "projekt"), {
        **dict.fromkeys(("od", "data od", "rozpoczecie", "rozpoczecia", "data rozpoczecia",
                         "poczatek", "przystapienie", "data przystapienia", "start"),
                        "start"),
        **dict.fromkeys(("do", "data do", "zakonczenie", "zakonczenia", "data zakonczenia",
                         "koniec", "wyjscie", "data wyjscia"), "end")}),),
)
