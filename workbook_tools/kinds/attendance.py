"""Hours attended (ewidencja obecności) per form of support, and who completed it.

Staff keep attendance in one of two shapes, and both are read here:

* **long** — one row per participant per session: person, form of support, date, hours
  of the session, hours attended;
* **grid** — one row per participant, one column per session date (the dates often under
  a merged "Daty zajęć" cell, typed as dates or as text). A cell holds the hours attended
  or a mark: ``x`` / ``ob`` present, ``nb`` absent, ``u`` excused. The hours of each
  session stand in a "Liczba godzin" row by the dates, or come from the course plan.

Both become the same :class:`Entry` list (one per person per session), so every check
and every computed value is written once. A course plan (``[kursy]`` in projekt.toml)
gives the planned total hours and the completion threshold (80 % unless set).
"""

# annotations are evaluated at import, not kept as strings: see schema.fields_of
import dataclasses
import datetime as dt
import enum
import functools
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from ..checks import ProjectData, SheetContext, SheetData
from ..days_off import day_off
from ..issues import Issue
from ..polish import DATE_PATTERN, Share, format_date, format_hours, plural
from ..read import cell_position
from ..rules import Bilingual, Severity
from ..schema import DATE_FORMAT, HOURS_FORMAT, PERCENT_FORMAT, Column, Computed, Kind
from ..settings import CoursePlan
from ..summary import Hours, Percent, SummaryTable
from ..table import Header, Table, parse_pattern
from ..values import (
    ValueProblem,
    excel_serial_to_date,
    fold,
    is_empty,
    parse_date,
    parse_hours,
    to_hours,
)
from .participants import (
    NamedRow,
    ParticipantIndex,
    full_name,
    person_field,
    person_key,
    who,
)


class Mark(enum.StrEnum):
    PRESENT = "obecny"
    ABSENT = "nieobecny"
    EXCUSED = "nieobecność usprawiedliwiona"


_MARKS = {
    **dict.fromkeys(("x", "ob", "obecny", "obecna", "obecn", "o", "+", "v", "tak", "t", "1/1"),
                    Mark.PRESENT),
    **dict.fromkeys(("nb", "nieob", "nieobecny", "nieobecna", "n", "-", "nie"), Mark.ABSENT),
    **dict.fromkeys(("u", "usp", "nu", "nb u", "nbu", "nb/u", "nb (u)", "usprawiedliwiony",
                     "usprawiedliwiona", "nieobecnosc usprawiedliwiona"), Mark.EXCUSED),
}


def parse_attendance(value: Any) -> Decimal | Mark | None:
    """A cell of attendance: hours attended, or a mark (G008 for anything else).

    >>> parse_attendance("Ob."), parse_attendance("3,5"), parse_attendance(4.0)
    (<Mark.PRESENT: 'obecny'>, Decimal('3.5'), Decimal('4'))
    """
    if is_empty(value):
        return None
    text = value if isinstance(value, str) else None
    if text is not None:
        mark = _MARKS.get(fold(text).rstrip("."))
        if mark is not None:
            return mark
    if isinstance(value, bool):
        raise ValueProblem("G008", text=str(value))
    try:
        hours = to_hours(value)
    except ValueError:
        raise ValueProblem("G008", text=" ".join(str(value).split())[:60]) from None
    if hours < 0:
        raise ValueProblem("G005", None, text=str(value), hours=format_hours(hours))
    return hours


_DATE_TEXT = re.compile(r"\d{1,2}[.\-/]\d{1,2}[.\-/]\d{4}|\d{4}-\d{1,2}-\d{1,2}")


def session_header(value: Any) -> str | None:
    """A header cell that is a session date (a date cell, "02.03.2009", "2009-03-02 r.")
    -> its label "02.03.2009"."""
    day: dt.date | None = None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if 30000 <= value <= 60000 and float(value).is_integer():  # 1982-2064 as a serial
            day = excel_serial_to_date(float(value))
    elif isinstance(value, str):
        text = value.strip().removesuffix("r.").removesuffix("r").strip()
        if _DATE_TEXT.fullmatch(text):
            try:
                day = parse_date(text)
            except ValueProblem:
                return None
    return format_date(day) if day else None


@functools.lru_cache(maxsize=4096)
def label_date(label: str) -> dt.date:
    return dt.datetime.strptime(label, DATE_PATTERN).date()


_PLAN_LABEL = re.compile(
    r"(liczba godzin|liczba godz\.?|l\. ?godz\.?|ilosc godzin|ilosc godz\.?|godziny|godzin"
    r"|godz\.?|wymiar( godzin| zajec)?|plan|planowane|planowana liczba godzin|czas trwania"
    r"|czas zajec|czas|h|ilosc h|liczba h|godziny dydaktyczne|godz\. dydaktyczne)( .*)?")


def plan_row(cells: list[Any], header: Header) -> bool:
    """A row of a grid that gives each session's hours: it starts with "Liczba godzin"."""
    for value in cells:
        if value is None or value == "":
            continue
        return isinstance(value, str) and _PLAN_LABEL.fullmatch(
            fold(value).rstrip(":. ")) is not None
    return False


# --- the two layouts ---------------------------------------------------------------

_FORM_ALIASES = ("rodzaj wsparcia", "rodzaj zajęć", "nazwa zajęć", "zajęcia", "kurs",
                 "szkolenie", "nazwa szkolenia", "nazwa kursu", "forma wsparcia / zajęcia")


#: The person and form columns both layouts share.
_FORM = Column("Forma wsparcia", _FORM_ALIASES)


@dataclass(eq=False, repr=False)
class AttendanceRow(NamedRow):
    """Long layout: one session of one participant (its "Lp." is not read: it numbers
    sessions, not people, and is never checked)."""

    support_form: Annotated[str | None, _FORM] = None
    date: Annotated[dt.date | None, Column(
        "Data zajęć", ("data", "data spotkania", "termin zajęć", "dzień zajęć", "data zajęć "
                       "(dd.mm.rrrr)"), value_required=True, number_format=DATE_FORMAT)] = None
    planned: Annotated[Decimal | None, Column(
        "Liczba godzin zajęć", ("godziny zajęć", "liczba godzin planowanych",
                                "godziny planowane", "planowana liczba godzin", "plan godzin",
                                "wymiar godzin", "czas trwania zajęć", "godzin zajęć"),
        parser=parse_hours, number_format=HOURS_FORMAT)] = None
    attended: Annotated[Decimal | Mark | None, Column(
        "Liczba godzin obecności", ("godziny obecności", "liczba godzin uczestnictwa",
                                    "godziny uczestnictwa", "obecność", "obecność godz",
                                    "liczba godzin udziału", "godziny udziału",
                                    "obecność w godzinach", "godzin obecności"),
        value_required=True, parser=parse_attendance, number_format=HOURS_FORMAT)] = None


@dataclass(eq=False, repr=False)
class AttendanceGridRow(NamedRow):
    """Grid layout: one participant, one cell per session date (by its label)."""

    lp: Annotated[int | None, Column("Lp.", ("l.p.", "lp"))] = None
    support_form: Annotated[str | None, _FORM] = None
    sessions: dict[str, Decimal | Mark] = dataclasses.field(default_factory=dict)


# --- one list of entries for both layouts ------------------------------------------


@dataclass(slots=True, eq=False, repr=False)
class Entry:
    """One participant at one session, wherever the sheet keeps it."""

    ctx: SheetContext
    record: Any
    index: int  # raw column of the hours cell
    person: str  # PESEL, else the folded name
    form: str  # the course plan's name when the form matches one
    date: dt.date | None
    planned: Decimal | None  # the session's hours
    attended: Decimal | None  # hours counted (a "present" mark counts the session)
    mark: Mark | None

    @property
    def cell(self) -> str:
        return self.ctx.table.address(self.record.row, self.index)

    @property
    def date_cell(self) -> str:
        """Where the date is written: the row's date cell, or the grid's date header."""
        table = self.ctx.table
        if "date" in table.header.columns:
            return table.cell(self.record.row, "date")
        return table.address(table.header_bottom, self.index)


@dataclass(eq=False, repr=False)
class SheetForms:
    """What a sheet says once for all its rows: its form of support and session hours."""

    form: str
    session_hours: dict[str, Decimal]  # grid label -> the session's hours (plan row)
    #: the course's planned hours written in the title: "Trening … (100 godz.)"
    title_hours: Decimal | None = None


#: Planned hours in a sheet's title or name: "(100 godz.)", "100 h", "– 60 godzin".
_TITLE_HOURS = re.compile(r"(\d{1,4}(?:[.,]\d+)?)\s*(?:godz\w*|h)\b\.?", re.IGNORECASE)


def title_hours(texts: list[str]) -> Decimal | None:
    """The planned hours a title states, when it states exactly one figure.

    >>> title_hours(["Lista obecności — Trening kompetencji (100 godz.)"])
    Decimal('100')
    """
    found = {Decimal(m.group(1).replace(",", ".")) for text in texts
             for m in _TITLE_HOURS.finditer(text)}
    return found.pop() if len(found) == 1 else None


def form_name(settings: Any, written: str) -> str:
    """A form of support as the course plan names it, else as written (spaces folded)."""
    found = settings.course(written)
    return found[0] if found else " ".join(written.split())


def sheet_forms(project: ProjectData, ctx: SheetContext) -> SheetForms:
    """The sheet's own form of support (from the title or the sheet's name, matched to a
    course plan) and the hours of each session from a "Liczba godzin" row."""
    def compute() -> SheetForms:
        settings = ctx.settings
        table = ctx.table
        form = table.sheet
        candidates = [table.sheet, *table.title]
        for name, plan in settings.courses.items():
            names = [fold(n) for n in (name, *plan.aliases)]
            if any(n and n in fold(text) for text in candidates for n in names):
                form = name
                break
        return SheetForms(form, session_hours(table)[0],
                          title_hours([table.sheet, *table.title]))

    return project.memo(f"sheet_forms:{id(ctx)}", compute)


def entries(project: ProjectData) -> list[Entry]:
    """Every attendance entry of the project, long and grid sheets alike (computed once)."""
    return project.memo("attendance_entries", lambda: list(_entries(project)))


def _entries(project: ProjectData) -> Iterator[Entry]:
    settings = project.settings
    forms: dict[str, str] = {}
    people: dict[tuple[str | None, ...], str] = {}
    per_session: dict[str, CoursePlan | None] = {}

    by_key: dict[str, str] = {}

    def form_of(written: str | None, default: str) -> str:
        """The form's plan name, else the first spelling met ("kis" = "KIS")."""
        written = written or default
        found = forms.get(written)
        if found is None:
            name = form_name(settings, written)
            found = forms[written] = by_key.setdefault(fold(name), name)
        return found

    def person_of(record: Any) -> str:
        if record.pesel:
            return str(record.pesel)
        key = (record.full_name, record.last_name, record.first_name)
        found = people.get(key)
        if found is None:  # one folding per spelling of a name, not per session
            found = people[key] = person_key(record)
        return found

    def plan_hours(form: str) -> Decimal | None:
        if form not in per_session:
            found = settings.course(form)
            per_session[form] = found[1] if found else None
        plan = per_session[form]
        return plan.hours_per_session if plan else None

    for sheet in project.of_kind(ATTENDANCE):
        ctx = sheet.ctx
        default = sheet_forms(project, ctx).form
        attended_index = ctx.table.header.columns["attended"]
        written: Any = object()
        form = default
        for record in sheet.records:
            value = record.attended
            if value is None:
                continue
            if record.support_form != written:  # rows of one form follow each other
                written = record.support_form
                form = form_of(written, default)
            planned = record.planned if record.planned is not None else plan_hours(form)
            if isinstance(value, Mark):
                hours = planned if value is Mark.PRESENT else Decimal(0)
                yield Entry(ctx, record, attended_index, person_of(record), form, record.date,
                            planned, hours, value)
            else:
                yield Entry(ctx, record, attended_index, person_of(record), form, record.date,
                            planned, value, None)
    for sheet in project.of_kind(ATTENDANCE_GRID):
        ctx = sheet.ctx
        forms_here = sheet_forms(project, ctx)
        columns = ctx.table.header.patterns.get("sessions", [])
        for record in sheet.records:
            form = form_of(record.support_form, forms_here.form)
            person = person_of(record)
            default_hours = plan_hours(form)
            for index, label in columns:
                value = record.sessions.get(label)
                if value is None:
                    continue
                planned = forms_here.session_hours.get(label, default_hours)
                if isinstance(value, Mark):
                    hours = planned if value is Mark.PRESENT else Decimal(0)
                    yield Entry(ctx, record, index, person, form, label_date(label), planned,
                                hours, value)
                else:
                    yield Entry(ctx, record, index, person, form, label_date(label), planned,
                                value, None)


def _issue(code: str, entry: Entry, cell: str | None = None, *, value: Any = None,
           severity: Severity | None = None, **params: Any) -> Issue:
    table = entry.ctx.table
    # a grid's date cell is in the header row, not the record's
    row = cell_position(cell)[0] if cell else entry.record.row
    return Issue(code, table.file, sheet=table.sheet, cell=cell or entry.cell, row=row,
                 params=params, value=value, severity=severity)


# --- checks on one sheet -----------------------------------------------------------


def session_hours(table: Table) -> tuple[dict[str, Decimal], list[Issue]]:
    """Each session's hours from the "Liczba godzin" row(s) by the dates (the first row
    giving a session wins), and the cells there that are not a number of hours."""
    hours: dict[str, Decimal] = {}
    issues: list[Issue] = []
    columns = table.header.patterns.get("sessions", [])
    for row, cells in table.meta:
        found = parse_pattern(table, row, cells, "sessions", parse_hours, columns, issues)
        for label, value in found.items():
            hours.setdefault(label, value)
    return hours, issues


def check_plan_row(ctx: SheetContext, records: list[Any]) -> Iterator[Issue]:
    """V009 in a "Liczba godzin" row: the hours of a session must be a number."""
    yield from session_hours(ctx.table)[1]


# --- checks across the project -----------------------------------------------------


def check_on_list(project: ProjectData) -> Iterator[Issue]:
    """G001: every person on an attendance list is on the participant list (said once per
    person and sheet, at the person's first entry)."""
    index = ParticipantIndex(project)
    if not index:
        return
    first: dict[tuple[int, str], Entry] = {}
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for entry in entries(project):
        key = (id(entry.ctx), entry.person)
        first.setdefault(key, entry)
        counts[key] += 1
    for key, entry in first.items():
        record = entry.record
        if index.find(record.pesel, full_name(record)) is None:
            yield _issue("G001", entry, entry.ctx.table.cell(record.row,
                                                             person_field(entry.ctx, record)),
                         who=who(entry.record), entries=Bilingual(
                             plural(counts[key], "wpis obecności", "wpisy obecności",
                                    "wpisów obecności"),
                             plural(counts[key], "attendance entry", "attendance entries",
                                    lang="en")))


def check_dates(project: ProjectData) -> Iterator[Issue]:
    """G002, G003: a session inside the project period and the person's participation."""
    settings = project.settings
    start, end = settings.start, settings.end
    index = ParticipantIndex(project)
    listed = bool(index)
    found: dict[str, Any] = {}
    for entry in entries(project):
        day = entry.date
        if day is None:
            continue
        if (start and day < start) or (end and day > end):
            yield _issue("G002", entry, entry.date_cell, value=day, date=day,
                         period_from=start or "…", period_to=end or "…")
            continue
        if not listed:
            continue
        if entry.person not in found:
            found[entry.person] = index.find(entry.record.pesel, full_name(entry.record))
        person = found[entry.person]
        if person is None or entry.mark in (Mark.ABSENT, Mark.EXCUSED):
            continue
        if (person.start and day < person.start) or (person.end and day > person.end):
            yield _issue("G003", entry, value=day, date=day, who=who(entry.record),
                         start=person.start or "…", end=person.end or "…")


def check_hours(project: ProjectData) -> Iterator[Issue]:
    """G004: nobody attends longer than the session lasted."""
    for entry in entries(project):
        if (entry.mark is None and entry.planned is not None and entry.attended is not None
                and entry.attended > entry.planned):
            yield _issue("G004", entry, value=str(entry.attended),
                         attended=format_hours(entry.attended),
                         planned=format_hours(entry.planned))


def check_twice(project: ProjectData) -> Iterator[Issue]:
    """G006: one person, one form of support, one date: one entry."""
    for entry, first in book(project).repeated:
        where = first.cell if first.ctx is entry.ctx else f"{first.ctx.table.sheet}!{first.cell}"
        yield _issue("G006", entry, who=who(entry.record), form=entry.form, date=entry.date,
                     first=where)


def check_days_off(project: ProjectData) -> Iterator[Issue]:
    """G007: sessions on a Sunday or a public holiday (once per sheet, form and date)."""
    said: set[tuple[int, str, dt.date]] = set()
    reasons: dict[dt.date, Bilingual | None] = {}
    for entry in entries(project):
        day = entry.date
        if day is None:
            continue
        if day in reasons:
            reason = reasons[day]
        else:
            reason = reasons[day] = day_off(day)
        if reason is None or entry.mark in (Mark.ABSENT, Mark.EXCUSED):
            continue
        key = (id(entry.ctx), entry.form, day)
        if key in said:
            continue
        said.add(key)
        yield _issue("G007", entry, entry.date_cell, value=entry.date, date=entry.date,
                     day=reason)


def check_session_hours_known(project: ProjectData) -> Iterator[Issue]:
    """G010: a "present" mark counts nothing when nobody says how long the session was."""
    said: set[tuple[int, str]] = set()
    for entry in entries(project):
        key = (id(entry.ctx), entry.form)
        if entry.mark is Mark.PRESENT and entry.planned is None and key not in said:
            said.add(key)
            table = entry.ctx.table
            yield Issue("G010", table.file, sheet=table.sheet, params={"form": entry.form})


# --- completion --------------------------------------------------------------------


@dataclass(eq=False, repr=False)
class Progress:
    """One person in one form of support."""

    form: str
    first: Entry
    attended: Decimal = Decimal(0)
    sessions: int = 0
    planned: Decimal | None = None
    threshold: Decimal = Decimal(80)
    #: the person's entry for each session date (the first, when written twice)
    days: dict[dt.date, Entry] = dataclasses.field(default_factory=dict)

    @property
    def percent(self) -> Percent | None:
        if not self.planned:
            return None
        return Percent((self.attended * 100 / self.planned).quantize(Decimal("0.01")))

    @property
    def completed(self) -> bool | None:
        percent = self.percent
        return None if percent is None else percent.value >= self.threshold


@dataclass(eq=False, repr=False)
class AttendanceBook:
    progress: dict[tuple[str, str], Progress]  # (form, person) -> progress
    course_end: dict[str, dt.date | None]  # form -> when its course ends, if known
    #: entries repeating a (person, form, date) already met, with that first entry
    repeated: list[tuple[Entry, Entry]]


def book(project: ProjectData) -> AttendanceBook:
    """Hours per person and form of support against the plan (computed once)."""
    return project.memo("attendance_book", lambda: _build_book(project))


_NOT_YET = Decimal(-1)


def _build_book(project: ProjectData) -> AttendanceBook:
    settings = project.settings
    progress: dict[tuple[str, str], Progress] = {}
    held: dict[str, dict[dt.date, Decimal]] = defaultdict(dict)  # form -> date -> hours
    repeated: list[tuple[Entry, Entry]] = []
    for entry in entries(project):
        day, form = entry.date, entry.form
        key = (form, entry.person)
        item = progress.get(key)
        if item is None:
            item = progress[key] = Progress(form, entry)
        if day is not None:
            first = item.days.setdefault(day, entry)
            if first is not entry:
                repeated.append((entry, first))
                continue  # a session written twice (G006) counts once
        if entry.attended is not None:
            item.attended += entry.attended
        item.sessions += 1
        planned = entry.planned
        if day is not None and planned is not None:
            sessions = held[form]
            if planned > sessions.get(day, _NOT_YET):
                sessions[day] = planned
    titled: dict[str, Decimal] = {}
    for sheet in [*project.of_kind(ATTENDANCE), *project.of_kind(ATTENDANCE_GRID)]:
        forms_of_sheet = sheet_forms(project, sheet.ctx)
        if forms_of_sheet.title_hours is not None:
            titled.setdefault(forms_of_sheet.form, forms_of_sheet.title_hours)
    course_end: dict[str, dt.date | None] = {}
    planned_total: dict[str, Decimal | None] = {}
    threshold: dict[str, Decimal] = {}
    for form in {p.form for p in progress.values()}:
        found = settings.course(form)
        plan = found[1] if found else None
        course_end[form] = (plan.end if plan else None) or settings.end
        planned_total[form] = (plan.hours if plan and plan.hours else titled.get(form)
                               or sum(held[form].values(), Decimal(0)) or None)
        threshold[form] = (plan.threshold if plan and plan.threshold is not None
                           else settings.completion_threshold)
    for item in progress.values():
        item.planned = planned_total[item.form]
        item.threshold = threshold[item.form]
    return AttendanceBook(progress, course_end, repeated)


def check_completion(project: ProjectData) -> Iterator[Issue]:
    """G009: below the completion threshold — info while the course runs, a warning once
    it has ended (``data_kontroli`` after the course's ``koniec``)."""
    attendance = book(project)
    today = project.settings.today
    for item in attendance.progress.values():
        percent = item.percent
        if percent is None or item.completed or item.planned is None:
            continue
        end = attendance.course_end.get(item.form)
        running = end is None or today <= end
        entry = item.first
        table = entry.ctx.table
        record = entry.record
        yield _issue(
            "G009", entry, table.cell(record.row, person_field(entry.ctx, record)),
            severity=Severity.INFO if running else None, who=who(entry.record), form=item.form,
            attended=format_hours(item.attended), planned=format_hours(item.planned),
            percent=_show_percent(percent), threshold=_show_percent(Percent(item.threshold)),
            running=Bilingual(" (koniec zajęć nieznany: podaj go w [kursy] albo koniec "
                              "projektu w projekt.toml)", " (the course's end is unknown: "
                              "set it in [kursy] or the project's koniec)") if end is None
            else Bilingual(" (zajęcia trwają)", " (the course is running)") if running
            else Bilingual("", ""))


def _show_percent(percent: Percent) -> Share:
    return Share(percent.value)


def summarise(project: ProjectData) -> list[SummaryTable]:
    """Per person and form: hours, plan, share, completed; per form: completed/started."""
    if not (project.of_kind(ATTENDANCE) or project.of_kind(ATTENDANCE_GRID)):
        return []
    attendance = book(project)
    items = sorted(attendance.progress.values(),
                   key=lambda p: (fold(p.form), fold(who(p.first.record))))
    per_person = [[p.form, who(p.first.record), Hours(p.attended),
                   Hours(p.planned) if p.planned is not None else None, p.percent, p.completed]
                  for p in items]
    per_form: dict[str, list[int]] = {}
    for p in items:
        counts = per_form.setdefault(p.form, [0, 0])
        counts[0] += 1
        counts[1] += bool(p.completed)
    return [
        SummaryTable(
            "Obecność: godziny uczestników", "Attendance: hours per participant",
            ["Forma wsparcia", "Uczestnik", "Godziny obecności", "Godziny planowane",
             "% obecności", "Ukończył(a)"],
            ["Form of support", "Participant", "Hours attended", "Hours planned",
             "% attended", "Completed"], per_person),
        SummaryTable(
            "Obecność: ukończenie według formy wsparcia", "Attendance: completion by form",
            ["Forma wsparcia", "Rozpoczęło", "Ukończyło"],
            ["Form of support", "Started", "Completed"],
            [[form, c[0], c[1]] for form, c in per_form.items()]
            + [["Razem", sum(c[0] for c in per_form.values()),
                sum(c[1] for c in per_form.values())]]),
    ]


# --- computed columns (fill) ---------------------------------------------------------


def _grid_progress(project: ProjectData, sheet: SheetData) -> dict[int, Progress]:
    """The progress of the person and form on each grid row."""
    here = sheet.ctx
    found: dict[int, Progress] = {}
    for item in book(project).progress.values():
        for entry in item.days.values():
            if entry.ctx is here:
                found.setdefault(entry.record.row, item)
    return found


def _grid_column(what: str) -> Any:
    def values(project: ProjectData, sheet: SheetData) -> dict[int, Any]:
        found: dict[int, Any] = {}
        for row, item in _grid_progress(project, sheet).items():
            value = {"attended": Hours(item.attended), "percent": item.percent,
                     "completed": item.completed}[what]
            if value is not None:
                found[row] = value
        return found

    return values


def _running(project: ProjectData, sheet: SheetData) -> dict[int, tuple[Decimal, Progress]]:
    """Long layout: the person's hours in the form up to and including each row's
    session, in date order (the last session's row holds the person's total)."""
    def compute() -> dict[int, tuple[Decimal, Progress]]:
        here = sheet.ctx
        found: dict[int, tuple[Decimal, Progress]] = {}
        for item in book(project).progress.values():
            total = Decimal(0)
            for day in sorted(item.days):
                entry = item.days[day]
                total += entry.attended or 0
                if entry.ctx is here:
                    found[entry.record.row] = (total, item)
        return found

    return project.memo(f"running:{id(sheet.ctx)}", compute)


def _running_hours(project: ProjectData, sheet: SheetData) -> dict[int, Any]:
    return {row: Hours(total) for row, (total, _item) in _running(project, sheet).items()}


def _running_percent(project: ProjectData, sheet: SheetData) -> dict[int, Any]:
    return {row: Percent((total * 100 / item.planned).quantize(Decimal("0.01")))
            for row, (total, item) in _running(project, sheet).items() if item.planned}


_PROJECT_CHECKS = (check_on_list, check_dates, check_hours, check_twice, check_days_off,
                   check_session_hours_known, check_completion)

ATTENDANCE = Kind(
    names=("obecnosc", "obecność", "godziny", "attendance"),
    words=("obecnos", "godzin", "frekwenc"),
    family_name="attendance",
    name="attendance",
    label="ewidencja godzin (wiersz na zajęcia)",
    label_en="hours attended (one row per session)",
    model=AttendanceRow,
    required=(("pesel", "date", "attended"), ("full_name", "date", "attended"),
              ("last_name", "first_name", "date", "attended")),
    project_checks=_PROJECT_CHECKS,
    summaries=(summarise,),
    computed=(
        Computed("Godziny obecności narastająco", _running_hours,
                 number_format=HOURS_FORMAT, width=14, project_wide=True,
                 aliases=("obecność narastająco", "godziny narastająco")),
        Computed("% planu godzin narastająco", _running_percent,
                 number_format=PERCENT_FORMAT, width=14, project_wide=True,
                 aliases=("% planu narastająco",)),
    ),
)

ATTENDANCE_GRID = Kind(
    names=("obecnosc-siatka", "obecność-siatka", "attendance-grid"),
    words=("obecnos", "godzin", "frekwenc"),
    family_name="attendance",
    name="attendance_grid",
    label="lista obecności (kolumna na datę zajęć)",
    label_en="attendance grid (one column per session date)",
    model=AttendanceGridRow,
    required=(("pesel",), ("full_name",), ("last_name", "first_name")),
    checks=(check_plan_row,),
    project_checks=_PROJECT_CHECKS,  # run once per project, whichever layouts it holds
    summaries=(summarise,),
    patterns={"sessions": (session_header, parse_attendance)},
    pattern_score=2,
    meta_row=plan_row,
    min_matches=3,
    computed=(
        Computed("Godziny obecności razem", _grid_column("attended"),
                 number_format=HOURS_FORMAT, width=12, project_wide=True,
                 aliases=("razem godzin", "suma godzin", "godziny razem", "razem")),
        Computed("% obecności", _grid_column("percent"), number_format=PERCENT_FORMAT, width=11,
                 project_wide=True, aliases=("procent obecności", "frekwencja")),
        Computed("Ukończył(a)", _grid_column("completed"), number_format=None, width=11,
                 project_wide=True, aliases=("ukończył", "ukończyła", "ukończenie")),
    ),
)
