"""Blank workbooks generated from the kinds' own field definitions.

A template is the reader's vocabulary written out: each column's canonical header, its
number format, a dropdown for every closed list the parser accepts, input hints on PESEL
and dates, and the computed columns (shaded, marked as filled by the tool). Nothing here
restates a header or a list: it is all read from :mod:`workbook_tools.schema` declarations,
so a template always validates, and data typed into it is read back as intended.

Written with XlsxWriter (data validation, comments, formats and cached formula results);
the creation time is fixed, so the same command gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter

from .kinds import KINDS
from .names import PANEL_SHEET, PANEL_TITLE, VBA_VERSION_PROPERTY
from .schema import DATE_FORMAT, Computed, FieldSpec, Kind

#: Rows prepared below the header (validation and shading reach this far).
ROWS = 500
CREATED = dt.datetime(2024, 1, 1)
FORMS = ("PAL", "KIS", "Szkolenia zawodowe", "Trening kompetencji społecznych",
         "Prace społecznie użyteczne", "Poradnictwo zawodowe", "Wsparcie psychologiczne")
FILLED_BY_TOOL = ("Kolumnę wypełnia workbook-tools (polecenie fill albo przycisk "
                  "„Uzupełnij”) — nie wpisuj ręcznie.")



def session_dates(first: dt.date, count: int, every_days: int = 7) -> list[dt.date]:
    """Dates of ``count`` sessions from ``first``, moved off Sundays and public holidays
    to the next working day, as a course planner would."""
    from .days_off import day_off

    dates: list[dt.date] = []
    day = first
    while len(dates) < count:
        held = day
        while day_off(held) is not None:
            held += dt.timedelta(days=1)
        dates.append(held)
        day += dt.timedelta(days=every_days)
    return dates


@dataclass(frozen=True)
class SheetSpec:
    title: str  # what the sheet is, after the project name in the title row
    kind: str
    sheet: str
    fields: tuple[str, ...]
    #: a grid: one column per date after ``fields``, then the columns ``after`` (the
    #: month's rate and amount of a PSU card)
    dates: bool = False
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class TemplateSpec:
    name: str  # as given to the command
    file: str
    sheets: tuple[SheetSpec, ...]


_PERSON = ("full_name", "pesel")
TEMPLATES = {
    "uczestnicy": TemplateSpec("uczestnicy", "uczestnicy.xlsx", (SheetSpec(
        "Lista uczestników projektu", "participants", "Uczestnicy",
        ("lp", "first_name", "last_name", "pesel", "sex", "birth_date", "age", "education",
         "street", "house_no", "flat_no", "town", "postal_code", "commune", "county",
         "voivodeship", "area", "phone", "email", "labour_status", "target_group",
         "disability", "support_form", "contract_no", "start", "end", "completed_path",
         "dropout_reason", "employed_after", "social_progress")),)),
    "obecnosc": TemplateSpec("obecnosc", "obecnosc.xlsx", (SheetSpec(
        "Ewidencja godzin (wiersz na zajęcia)", "attendance", "Obecność",
        (*_PERSON, "support_form", "date", "planned", "attended")),)),
    "obecnosc-siatka": TemplateSpec("obecnosc-siatka", "obecnosc-siatka.xlsx", (SheetSpec(
        "Lista obecności", "attendance_grid", "Obecność", ("lp", *_PERSON), dates=True),)),
    "kontrakty": TemplateSpec("kontrakty", "kontrakty.xlsx", (
        SheetSpec("Kontrakty socjalne", "contracts", "Kontrakty",
                  ("contract_no", *_PERSON, "signed", "valid_from", "valid_to", "granted",
                   "purpose", "monthly_limit")),
        SheetSpec("Wypłaty pomocy materialnej", "payments", "Wypłaty",
                  ("contract_no", "date", "amount", "benefit", "decision_no")))),
    "psu": TemplateSpec("psu", "psu.xlsx", (SheetSpec(
        "Ewidencja prac społecznie użytecznych (wiersz na osobę i miesiąc)", "psu", "PSU",
        ("lp", *_PERSON, "month", "hours", "rate", "amount", "agreement_no", "place")),)),
    "psu-siatka": TemplateSpec("psu-siatka", "psu-siatka.xlsx", (SheetSpec(
        "Karta ewidencji prac społecznie użytecznych (kolumna na dzień)", "psu_grid", "PSU",
        ("lp", *_PERSON), dates=True, after=("rate", "amount", "agreement_no")),)),
    "budzet": TemplateSpec("budzet", "budzet.xlsx", (SheetSpec(
        "Budżet projektu — plan i wykonanie (zł)", "budget", "Budżet",
        ("task", "category", "cross_financing", "fixed_asset", "indirect", "total", "efs",
         "own", "own_source", "executed")),)),
}
#: Columns the budget's "Razem" row sums.
SUMMED = ("total", "efs", "own", "executed")
BUDGET_LINES = 20


def _width(header: str) -> float:
    return max(10.0, min(34.0, len(header) * 0.9 + 2))


class _Writer:
    """One template workbook being written."""

    def __init__(self, path: Path, project: str) -> None:
        self.book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                                    "strings_to_urls": False})
        self.book.set_properties({"title": project, "created": CREATED,
                                  "comments": "workbook-tools: szablon"})
        self.project = project
        self.header = self.book.add_format({"bold": True, "text_wrap": True, "valign": "top",
                                            "bg_color": "#D9E1F2", "border": 1})
        self.computed_header = self.book.add_format({"bold": True, "text_wrap": True,
                                                     "valign": "top", "bg_color": "#D9D9D9",
                                                     "border": 1, "italic": True})
        self.title = self.book.add_format({"bold": True, "font_size": 13})
        self.formats: dict[tuple[str | None, bool], Any] = {}

    def cell_format(self, number_format: str | None, shaded: bool) -> Any:
        key = (number_format, shaded)
        if key not in self.formats:
            spec: dict[str, Any] = {}
            if number_format:
                spec["num_format"] = number_format
            if shaded:
                spec["bg_color"] = "#F2F2F2"
            self.formats[key] = self.book.add_format(spec) if spec else None
        return self.formats[key]

    def close(self) -> None:
        self.book.close()


def _validation(sheet: Any, column: int, first: int, spec: FieldSpec,
                forms: Sequence[str]) -> None:
    last = first + ROWS - 1
    title = spec.column.header[:32]  # Excel's limit for the titles of hints
    choices = spec.choices or (tuple(forms) if spec.name == "support_form" else ())
    if choices:
        sheet.data_validation(first, column, last, column, {
            "validate": "list", "source": list(choices), "error_type": "warning",
            "error_title": title,
            "error_message": ("Wartość spoza listy: " + ", ".join(choices))[:255]})
    elif spec.name == "pesel":
        sheet.data_validation(first, column, last, column, {
            "validate": "length", "criteria": "==", "value": 11, "error_type": "warning",
            "input_title": "PESEL", "input_message": "11 cyfr; wpisuj jako tekst, aby nie "
            "zgubić zera na początku (urodzeni 2000–2009).",
            "error_title": "PESEL", "error_message": "PESEL ma 11 cyfr."})
    elif spec.column.number_format == DATE_FORMAT:
        sheet.data_validation(first, column, last, column, {
            "validate": "date", "criteria": "between", "minimum": dt.date(1900, 1, 1),
            "maximum": dt.date(2100, 12, 31), "error_type": "warning",
            "input_title": title, "input_message": "Data: dd.mm.rrrr",
            "error_title": title, "error_message": "Oczekiwano daty dd.mm.rrrr."})


def _sheet(writer: _Writer, spec: SheetSpec, forms: Sequence[str],
           sessions: Sequence[dt.date]) -> None:
    kind: Kind = KINDS[spec.kind]
    sheet = writer.book.add_worksheet(spec.sheet)
    sheet.write_string(0, 0, f"{writer.project} — {spec.title}", writer.title)
    header_row = 2
    grid = spec.dates
    # a grid: the dates, then (attendance) the hours of each session, then people
    first_data = header_row + (1 + (kind.meta_row is not None) + 1 if grid else 1)
    columns: list[tuple[str, Any]] = []  # (header, format) per column, in order

    def field_column(name: str) -> None:
        field = kind.fields[name]
        column = len(columns)
        if grid:  # the name columns span the header and the dates row
            sheet.merge_range(header_row, column, header_row + 1, column, field.column.header,
                              writer.header)
        else:
            sheet.write_string(header_row, column, field.column.header, writer.header)
        fmt = writer.cell_format(field.column.number_format, False)
        sheet.set_column(column, column, _width(field.column.header), fmt)
        _validation(sheet, column, first_data, field, forms)
        columns.append((field.column.header, fmt))

    for name in spec.fields:
        field_column(name)
    if grid:
        count = _grid_dates(writer, sheet, header_row, len(columns), sessions,
                            hours_row=kind.meta_row is not None)
        columns += [("", None)] * count
    for name in spec.after:
        field_column(name)
    fields = {f.name for f in kind.fields.values()}
    for computed in kind.computed:
        if computed.field in fields and computed.field in spec.fields:
            continue  # a field filled from the PESEL: already a column of its own
        _computed_column(writer, sheet, header_row, len(columns), computed, grid)
        columns.append((computed.header, None))
    if spec.kind == "budget":
        _totals_row(writer, sheet, kind, spec, first_data)
    sheet.freeze_panes(first_data, 0)
    sheet.set_row(header_row, 45)


def _computed_column(writer: _Writer, sheet: Any, header_row: int, column: int,
                     computed: Computed, grid: bool) -> None:
    if grid:
        sheet.merge_range(header_row, column, header_row + 1, column, computed.header,
                          writer.computed_header)
    else:
        sheet.write_string(header_row, column, computed.header, writer.computed_header)
    sheet.write_comment(header_row, column, FILLED_BY_TOOL, {"author": "workbook-tools"})
    sheet.set_column(column, column, computed.width,
                     writer.cell_format(computed.number_format, True))


def _grid_dates(writer: _Writer, sheet: Any, header_row: int, first: int,
                sessions: Sequence[dt.date], *, hours_row: bool) -> int:
    """The dates under a merged title and, for attendance, the row of each session's
    hours; a PSU card without dates gets a month's worth of empty date cells. Returns
    how many date columns were written."""
    blank = 1 if hours_row else 31
    count = max(blank, len(sessions))
    what = "Daty zajęć" if hours_row else "Dni pracy"
    label = what if sessions else f"{what} (wpisz daty w wierszu poniżej)"
    if count > 1:
        sheet.merge_range(header_row, first, header_row, first + count - 1, label,
                          writer.header)
    else:
        sheet.write_string(header_row, first, label, writer.header)
    date_format = writer.book.add_format({"num_format": DATE_FORMAT, "bold": True,
                                          "bg_color": "#D9E1F2", "border": 1,
                                          "rotation": 90})
    for offset in range(count):
        if offset < len(sessions):
            sheet.write_datetime(header_row + 1, first + offset,
                                 dt.datetime.combine(sessions[offset], dt.time()), date_format)
        else:
            sheet.write_blank(header_row + 1, first + offset, None, date_format)
        sheet.set_column(first + offset, first + offset, 5.5)
    if hours_row:
        sheet.write_string(header_row + 2, 1, "Liczba godzin")
    sheet.set_row(header_row + 1, 62)
    return count


def _totals_row(writer: _Writer, sheet: Any, kind: Kind, spec: SheetSpec, first: int) -> None:
    """"Razem" under the lines, summing them (the cached result is 0 until lines come)."""
    last = first + BUDGET_LINES - 1
    row = last + 1
    bold = writer.book.add_format({"bold": True, "top": 1})
    sheet.write_string(row, 0, "Razem", bold)
    for column, name in enumerate(spec.fields):
        if name in SUMMED:
            start = xlsxwriter.utility.xl_rowcol_to_cell(first, column)
            end = xlsxwriter.utility.xl_rowcol_to_cell(last, column)
            money = writer.book.add_format({"bold": True, "top": 1,
                                            "num_format": kind.fields[name].column
                                            .number_format})
            sheet.write_formula(row, column, f"=SUM({start}:{end})", money, 0)


BUTTONS = (("Sprawdz", "Sprawdź", "koloruje komórki z uwagami i tworzy arkusz "
             "„Wyniki kontroli” z łączami do nich"),
           ("Uzupelnij", "Uzupełnij", "wpisuje kolumny wyliczane (szare): wiek, status, "
            "godziny, wypłacono do dnia, udziały"),
           ("Popraw", "Popraw", "poprawia to, co ma jedną pewną wartość (PESEL bez zer, "
            "kod pocztowy bez kreski, kwota jako tekst, daty miesiąc/dzień)"),
           ("Zestawienie", "Zestawienie", "tabele do wniosku o płatność (przepływ "
            "uczestników, struktura, formy wsparcia, pomoc, wskaźniki) w arkuszu "
            "„Zestawienie”"),
           ("WyczyscOznaczenia", "Wyczyść oznaczenia", "usuwa kolory, notatki i arkusz "
            "wyników, przywracając poprzedni wygląd i wartości sprzed „Popraw”"))


def _panel(writer: _Writer) -> None:
    """The first sheet of a macro-enabled template: the buttons and what they do."""
    sheet = writer.book.add_worksheet(PANEL_SHEET)
    sheet.set_vba_name("Sheet1")
    sheet.write_string(0, 0, f"{PANEL_TITLE} — {writer.project}", writer.title)
    sheet.write_string(1, 0, "Przyciski działają po włączeniu makr; wymagają Pythona z "
                             "pakietem workbook-tools (zob. README).")
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 90)
    for number, (macro, caption, what) in enumerate(BUTTONS):
        row = 3 + number * 3
        sheet.insert_button(row, 0, {"macro": macro, "caption": caption, "width": 160,
                                     "height": 40})
        sheet.write_string(row, 1, what)


def write_template(name: str, path: Path, project: str = "Nazwa projektu",
                   forms: Sequence[str] = FORMS, sessions: Sequence[dt.date] = (),
                   vba: bytes | None = None) -> Path:
    """A template; with ``vba`` (a vbaProject.bin) an .xlsm with a "Panel" of buttons."""
    spec = TEMPLATES[name]
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = _Writer(path, project)
    try:
        if vba is not None:
            writer.book.set_vba_name("ThisWorkbook")
            writer.book.add_vba_project(io.BytesIO(vba), is_stream=True)
            writer.book.set_custom_property(VBA_VERSION_PROPERTY,
                                            importlib.metadata.version("xlwings"))
            _panel(writer)
        for number, sheet in enumerate(spec.sheets, 2 if vba is not None else 1):
            _sheet(writer, sheet, forms, sessions)
            if vba is not None:
                writer.book.worksheets()[-1].set_vba_name(f"Sheet{number}")
    finally:
        writer.close()
    return path


SETTINGS_SKELETON = '''\
# Ustawienia projektu — czyta je workbook-tools (sprawdzanie i uzupełnianie arkuszy).
# Wiersze zaczynające się od # to komentarze. Daty: rrrr-mm-dd albo "dd.mm.rrrr".

nazwa = "{project}"
osrodek = "Miejski Ośrodek Pomocy Społecznej w ..."
poczatek = 2026-01-01          # okres realizacji projektu
koniec = 2026-12-31
wiek_min = 15                  # wiek uczestnika w chwili przystąpienia do projektu
wiek_max = 64
# data_kontroli = 2026-12-31   # „stan na dzień” (domyślnie: dziś)
# prog_ukonczenia = 80         # % godzin planu potrzebny do ukończenia zajęć
# kolejnosc_dat = "miesiac-dzien"   # daty „2/4/2026” z eksportów zapisujących miesiąc pierwszy
# ignoruj = ["G007"]           # reguły, których nie sprawdzać (kody z `workbook-tools rules`)
# okres_programowania = "fe-2021-2027"   # kategorie zestawienia: po-kl-2007-2013,
#                                        # efs-2014-2020 albo fe-2021-2027

# Planowana liczba uczestników w formach wsparcia (sprawdzane z listą uczestników).
[plan_uczestnikow.forma_wsparcia]
# PAL = 44
# KIS = 28
# "Szkolenia zawodowe" = 49

# Plan zajęć każdej formy wsparcia, dla której prowadzona jest obecność.
# [kursy.KIS]
# godziny = 100                # godzin ogółem
# godziny_na_zajecia = 5       # gdy obecność zaznaczana jest znakami x / nb
# koniec = 2026-06-30          # po tej dacie brak ukończenia to ostrzeżenie

# Limity budżetu (w procentach) — sprawdź je z umową o dofinansowanie.
[budzet]
program = "efs-2014-2020"      # albo "po-kl-2007-2013"
# min_wklad_wlasny = 15

# Prace społecznie użyteczne: gdy porozumienie z urzędem pracy mówi inaczej niż ustawa.
# [psu]
# stawka_minimalna = "10,90"   # zł za godzinę
# limit_tygodniowy = 10        # godzin w tygodniu
# limit_miesieczny = 40        # godzin w miesiącu

# Wskaźniki z wniosku o dofinansowanie: `workbook-tools zestawienie` liczy je z arkuszy
# (licz: uczestnicy, zakonczyli, zgodnie_ze_sciezka, przerwali, ukonczyli, zatrudnieni,
# postep_spoleczny, kontrakty, godziny, kwota_wyplat — opis w README).
[wskazniki]
# "Liczba osób objętych wsparciem" = {{ cel = 121, licz = "uczestnicy" }}
# "Kobiety objęte wsparciem" = {{ cel = 60, licz = "uczestnicy", warunek = {{ "Płeć" = "K" }} }}
# "Liczba osób, które ukończyły KIS" = {{ cel = 28, licz = "ukonczyli", forma = "KIS" }}

# Waga wybranych reguł (kody z `workbook-tools rules`).
# [waga]
# P002 = "błąd"
'''


def write_all(folder: Path, project: str = "Nazwa projektu",
              sessions: Sequence[dt.date] = ()) -> list[Path]:
    """A new project folder: every template and a commented projekt.toml."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [write_template(name, folder / spec.file, project, sessions=sessions)
               for name, spec in TEMPLATES.items()]
    settings = folder / "projekt.toml"
    if not settings.exists():  # never overwrite the project's own settings
        settings.write_text(SETTINGS_SKELETON.format(project=project), encoding="utf-8")
        written.append(settings)
    return written
