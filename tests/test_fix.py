"""`fix`: only what has one right answer, written safely, and validate agrees after."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.styles import Font, PatternFill

from workbook_tools.engine import validate_paths
from workbook_tools.rules import RULES
from workbook_tools.sample import make_pesel
from workbook_tools.values import Sex

from .conftest import run, write_rows
from .people import JAN

EXAMPLE = Path(__file__).parent.parent / "workbooks" / "przyklad"
YOUNG = make_pesel(dt.date(2005, 4, 2), Sex.FEMALE, 12)  # "05…": a number cell loses the 0


def _found(path: Path) -> set[tuple[str, str | None, str | None]]:
    return {(i.code, i.sheet, i.cell) for i in validate_paths([path]).issues
            if i.file.endswith(path.name)}


def _fixed_then_validated(path: Path, *extra: str) -> tuple[set, set]:
    before = _found(path)
    result = run("fix", *extra, path)
    assert result.exit_code == 0, result.output
    output = path.with_name(f"{path.stem}.uzupelniony.xlsx")
    if not output.exists():  # nothing to fix: nothing written
        assert "0 poprawek" in result.output
        return before, before
    return before, _found(output)


def participants(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_rows(folder / "lista.xlsx", [
        ["Imię", "Nazwisko", "PESEL", "Kod pocztowy", "Data rozpoczęcia udziału w projekcie"],
        ["Anna", "Nowak", int(YOUNG), "11200", "2/4/2009"],
        ["Jan", "Kowalski", JAN, "11-200", "3/25/2009"],
        ["Ewa", "Zając", "12345678901", "1120", "3/5/2009"],
    ])


def test_validate_fix_validate_removes_the_fixed_and_adds_nothing(tmp_path):
    before, after = _fixed_then_validated(participants(tmp_path / "lista"))
    fixed = {issue for issue in before if RULES[issue[0]].fix}
    assert {c for c, *_ in fixed} == {"P002", "P009", "V010"}
    # the uncertain stay: an invalid PESEL (P001) and a four-digit postal code (P009)
    assert after == (before - fixed) | {("P009", "Lista", "D4")}
    assert ("P001", "Lista", "C4") in after


def test_every_example_workbook_validates_the_same_after_fix_less_the_fixed(tmp_path):
    project = tmp_path / "przyklad"
    shutil.copytree(EXAMPLE, project)
    for path in sorted(project.glob("*.xlsx")):
        before, after = _fixed_then_validated(path)
        assert after <= before, path.name  # nothing new
        assert not {i for i in after if RULES[i[0]].fix and i[0] != "P009"}, path.name


def test_fixed_cells_become_the_right_types_and_keep_their_look(tmp_path):
    path = participants(tmp_path / "lista")
    book = load_workbook(path)
    book.active["D2"].fill = PatternFill("solid", fgColor="FFCCFFCC")
    book.active["E2"].font = Font(bold=True)
    book.save(path)
    run("fix", path)
    sheet = load_workbook(path.with_name("lista.uzupelniony.xlsx")).active
    assert (sheet["C2"].value, sheet["C2"].number_format) == (YOUNG, "@")
    assert sheet["D2"].value == "11-200" and sheet["D2"].fill.fgColor.rgb == "FFCCFFCC"
    assert sheet["E2"].value == dt.datetime(2009, 2, 4) and sheet["E2"].font.bold
    assert sheet["E2"].number_format == "dd.mm.yyyy"
    assert sheet["D4"].value == "1120" and sheet["C4"].value == "12345678901"  # untouched


def test_diff_lists_every_change_and_writes_nothing(tmp_path):
    path = participants(tmp_path / "lista")
    stamp = path.stat().st_mtime_ns
    result = run("fix", "--diff", path)
    lines = result.output.splitlines()
    assert f"{path}:Lista!D2: 11200 → 11-200 (P009)" in lines
    assert any(line.endswith("→ 052402***** (P002)") for line in lines)  # masked
    assert lines[-1].endswith("5 poprawek do zrobienia (nic nie zapisano)")
    assert path.stat().st_mtime_ns == stamp
    assert sorted(p.name for p in path.parent.iterdir()) == ["lista.xlsx"]


def test_select_and_ignore_narrow_the_fixes(tmp_path):
    path = participants(tmp_path / "lista")
    only = run("fix", "--diff", "--select", "P009", path).output.splitlines()
    assert [line.rsplit("(", 1)[1] for line in only[:-1]] == ["P009)"]
    without = run("fix", "--diff", "--ignore", "V,P002", path).output.splitlines()
    assert [line.rsplit("(", 1)[1] for line in without[:-1]] == ["P009)"]


def test_an_amount_typed_as_text_in_a_summed_budget_becomes_a_number(tmp_path, libreoffice):
    (tmp_path / "draft").mkdir()
    draft = write_rows(tmp_path / "draft" / "budzet.xlsx", [
        ["Zadanie", "Kategoria kosztu", "Ogółem", "Dofinansowanie EFS", "Wkład własny"],
        ["Zadanie 1", "KIS", "1 000,50", 1000.5, 0],
        ["Zadanie 1", "PAL", 500, 500, 0],
        ["Razem", None, "=SUM(C2:C3)", "=SUM(D2:D3)", "=SUM(E2:E3)"],
    ], sheet="Budżet")
    [path] = libreoffice([draft], "xlsx", tmp_path / "budzet")
    before, after = _fixed_then_validated(path)
    assert ("B014", "Budżet", "C2") in before and ("B014", "Budżet", "C2") not in after
    sheet = load_workbook(path.with_name("budzet.uzupelniony.xlsx")).active
    assert Decimal(str(sheet["C2"].value)) == Decimal("1000.50")


def test_a_workbook_open_in_excel_is_not_fixed(tmp_path):
    path = participants(tmp_path / "lista")
    (path.parent / "~$lista.xlsx").write_bytes(b"\x00" * 165)
    result = run("fix", "--in-place", path)
    assert result.exit_code == 2 and "otwart" in result.output


def test_rules_lists_which_rules_have_a_fix():
    lines = run("rules").output.splitlines()
    assert any(line.split()[:1] == ["P002"] and " tak " in line for line in lines)
    assert any(line.split()[:1] == ["P001"] and " tak " not in line for line in lines)


@pytest.mark.parametrize("code", [c for c, r in RULES.items() if r.fix])
def test_every_fixable_rule_says_what_it_writes(code):
    pl, en = RULES[code].fix
    assert pl and en
