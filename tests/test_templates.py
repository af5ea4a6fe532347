"""Templates: generated from the field definitions, committed as generated, read back."""

import datetime as dt
import shutil
from collections import Counter
from pathlib import Path

import pytest
import python_calamine as calamine
from openpyxl import load_workbook

from workbook_tools.engine import validate_paths
from workbook_tools.kinds import KINDS
from workbook_tools.templates import TEMPLATES, write_all, write_template

from .conftest import run, run_json

ROOT = Path(__file__).parent.parent / "workbooks"
COMMITTED = ROOT / "szablony"
EXAMPLE = ROOT / "przyklad"


def test_committed_templates_are_what_the_command_generates(tmp_path):
    result = run("template", "--all", tmp_path / "nowy")
    assert result.exit_code == 0
    generated = sorted(p.name for p in (tmp_path / "nowy").iterdir())
    assert generated == sorted(p.name for p in COMMITTED.iterdir())
    for name in generated:
        assert (tmp_path / "nowy" / name).read_bytes() == (COMMITTED / name).read_bytes(), name


def test_fresh_templates_validate_clean_and_are_recognised(tmp_path):
    write_all(tmp_path / "projekt", "Twoja Szansa",
              sessions=[dt.date(2026, 3, 2) + dt.timedelta(days=7 * i) for i in range(10)])
    code, document = run_json(tmp_path / "projekt")
    assert (code, document["issues"]) == (0, [])
    kinds = {(Path(f["file"]).name, s["sheet"]): s["kind"] for f in document["files"]
             for s in f["sheets"]}
    assert kinds == {
        ("budzet.xlsx", "Budżet"): "budget", ("kontrakty.xlsx", "Kontrakty"): "contracts",
        ("kontrakty.xlsx", "Wypłaty"): "payments",
        ("obecnosc-siatka.xlsx", "Obecność"): "attendance_grid",
        ("obecnosc.xlsx", "Obecność"): "attendance",
        ("psu.xlsx", "PSU"): "psu", ("psu-siatka.xlsx", "PSU"): "psu_grid",
        ("uczestnicy.xlsx", "Uczestnicy"): "participants"}


def test_template_features(tmp_path):
    path = write_template("uczestnicy", tmp_path / "u.xlsx", "Twoja Szansa")
    book = load_workbook(path)
    sheet = book["Uczestnicy"]
    assert sheet["A1"].value == "Twoja Szansa — Lista uczestników projektu"
    assert sheet.freeze_panes == "A4"
    headers = [c.value for c in sheet[3]]
    kind = KINDS["participants"]
    assert all(kind.match_header(h) or kind.match_computed(h) for h in headers)
    lists = {sheet.cell(3, min(r.min_col for r in v.sqref.ranges)).value: v.formula1
             for v in sheet.data_validations.dataValidation if v.type == "list"}
    assert lists["Płeć"] == '"K,M"'
    assert lists["Niepełnosprawność"] == '"tak,nie"'
    assert "ponadgimnazjalne" in lists["Wykształcenie"]
    assert "długotrwale bezrobotny" in lists["Status na rynku pracy"]
    assert "KIS" in lists["Forma wsparcia"]
    hints = {v.promptTitle for v in sheet.data_validations.dataValidation if v.prompt}
    assert "PESEL" in hints and "Data rozpoczęcia udziału w proje" in hints
    column = headers.index("Data rozpoczęcia udziału w projekcie") + 1
    letter = sheet.cell(3, column).column_letter
    assert sheet.column_dimensions[letter].width > 20
    status = headers.index("Status uczestnictwa") + 1
    assert sheet.cell(3, status).comment.text.startswith("Kolumnę wypełnia workbook-tools")
    assert sheet.cell(3, status).fill.fgColor.rgb.endswith("D9D9D9")
    payments = load_workbook(write_template("kontrakty", tmp_path / "k.xlsx"))["Wypłaty"]
    benefit = [v.formula1 for v in payments.data_validations.dataValidation if v.type == "list"]
    assert any("zasiłek celowy" in f for f in benefit)


def test_budget_template_sums_its_lines(tmp_path):
    path = write_template("budzet", tmp_path / "b.xlsx")
    sheet = load_workbook(path)["Budżet"]
    totals = next(row for row in sheet.iter_rows() if row[0].value == "Razem")
    formulas = {sheet.cell(3, c.column).value: c.value for c in totals if c.value != "Razem"
                and c.value is not None}
    assert formulas == {"Ogółem": "=SUM(F4:F23)", "Dofinansowanie EFS": "=SUM(G4:G23)",
                        "Wkład własny": "=SUM(H4:H23)", "Wykonanie": "=SUM(J4:J23)"}
    # typed lines are summed by a real spreadsheet and checked by us
    book = load_workbook(path)
    lines = book["Budżet"]
    for row, values in enumerate([("Zadanie 1", "Kurs", "nie", "nie", "nie", 1000, 900, 100,
                                   "budżet gminy", 500)], 4):
        for column, value in enumerate(values, 1):
            lines.cell(row, column, value)
    book.save(path)
    result = validate_paths([path])
    assert [i.code for i in result.issues] == ["B010"] * 4  # openpyxl left the sums unsaved


def test_grid_template_with_dates_reads_marks(tmp_path):
    dates = [dt.date(2026, 3, 2), dt.date(2026, 3, 9)]
    path = write_template("obecnosc-siatka", tmp_path / "s.xlsx", sessions=dates)
    book = load_workbook(path)
    sheet = book["Obecność"]
    sheet["D5"], sheet["E5"] = 4, 4  # the hours of each session
    for column, value in enumerate([1, "Nowak Anna", None, "x", "nb"], 1):
        sheet.cell(6, column, value)
    book.save(path)
    result = validate_paths([path])
    assert [(i.code, i.cell, i.effective_severity.value) for i in result.issues] == [
        ("G009", "B6", "info")]  # 4 h of 8 h, and no end date: the course is running
    [project] = result.projects
    [table, _forms] = project.summaries()
    assert table.rows == [["Obecność", "Nowak Anna", table.rows[0][2], table.rows[0][3],
                           table.rows[0][4], False]]
    assert table.rows[0][2].value == 4 and table.rows[0][3].value == 8


def _example_rows(path: Path, sheet: str):
    """The example sheet's header texts and raw data rows, as calamine reads them."""
    rows = calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    kind = None
    for index, row in enumerate(rows[:10]):
        if sum(1 for v in row if any(k.match_header(v) for k in KINDS.values())) >= 3:
            kind = index
            break
    assert kind is not None
    return rows[kind], rows[kind + 1:]


def _fill_template(template: Path, sheet_name: str, kind_name: str, source: Path, sheet: str):
    header, rows = _example_rows(source, sheet)
    kind = KINDS[kind_name]
    book = load_workbook(template)
    target = book[sheet_name]
    columns = {kind.match_header(c.value): c.column for c in target[3] if c.value}
    fields = [kind.match_header(h) for h in header]
    for offset, row in enumerate(rows):
        for field, value in zip(fields, row, strict=False):
            if field in columns and value not in ("", None):
                target.cell(4 + offset, columns[field], value)
    book.save(template)


def test_template_filled_with_the_example_gives_the_example_issues(tmp_path):
    folder = tmp_path / "z-szablonu"
    folder.mkdir()
    shutil.copy(EXAMPLE / "projekt.toml", folder)
    for name in ("uczestnicy", "kontrakty"):
        write_template(name, folder / TEMPLATES[name].file)
    _fill_template(folder / "uczestnicy.xlsx", "Uczestnicy", "participants",
                   EXAMPLE / "uczestnicy.xlsx", "Uczestnicy")
    _fill_template(folder / "kontrakty.xlsx", "Kontrakty", "contracts",
                   EXAMPLE / "kontrakty.xlsx", "Kontrakty")
    _fill_template(folder / "kontrakty.xlsx", "Wypłaty", "payments",
                   EXAMPLE / "kontrakty.xlsx", "Wypłaty")
    ours = validate_paths([folder])
    example = validate_paths([EXAMPLE / "uczestnicy.xlsx", EXAMPLE / "kontrakty.xlsx"])
    assert Counter(i.code for i in ours.issues) == Counter(i.code for i in example.issues)
    assert len(ours.issues) == 23


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_templates_open_in_libreoffice(tmp_path, libreoffice, name):
    path = write_template(name, tmp_path / f"{name}.xlsx", "Projekt testowy")
    [exported] = libreoffice([path], "csv:Text - txt - csv (StarCalc):44,34,76",
                             tmp_path / "csv")
    import csv

    with exported.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    ours = load_workbook(path).worksheets[0]
    assert rows[0][0] == ours["A1"].value and rows[0][0].startswith("Projekt testowy — ")
    written = [c.value or "" for c in ours[3]]
    assert rows[2][:len(written)] == written  # the header row, cell for cell


@pytest.mark.parametrize("line", [line for line in
                                  __import__("workbook_tools.templates", fromlist=["x"])
                                  .SETTINGS_SKELETON.format(project="P").splitlines()
                                  if line.startswith("# ") and " = " in line])
def test_every_commented_setting_of_the_skeleton_works_when_uncommented(tmp_path, line):
    """Staff uncomment lines of the generated projekt.toml one by one: each must load."""
    from workbook_tools.settings import load_settings
    from workbook_tools.templates import SETTINGS_SKELETON

    lines = SETTINGS_SKELETON.format(project="P").splitlines()
    at = lines.index(line)
    lines[at] = line[2:]
    # a key of a commented table comes with its table's header
    header = next((n for n in range(at, -1, -1) if lines[n].startswith(("[", "# ["))), None)
    if header is not None and lines[header].startswith("# ["):
        lines[header] = lines[header][2:]
    text = "\n".join(lines)
    (tmp_path / "projekt.toml").write_text(text, encoding="utf-8")
    load_settings(tmp_path)


def test_the_command_offers_every_template(tmp_path):
    """``template RODZAJ`` takes its choices from names.py (no template import at start):
    the two lists must be the same, or a template is made but cannot be asked for."""
    from workbook_tools.names import TEMPLATE_NAMES

    assert set(TEMPLATE_NAMES) == set(TEMPLATES)
    for name in TEMPLATE_NAMES:
        result = run("template", name, "-o", tmp_path / f"{name}.xlsx")
        assert result.exit_code == 0, (name, result.output)
