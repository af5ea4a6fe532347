"""Own-contribution budget: the Bartoszyce figures pass, altered variants fail exactly."""

from pathlib import Path

import pytest

from workbook_tools.engine import validate_paths
from workbook_tools.kinds import BUDGET
from workbook_tools.sample import libreoffice_convert

from .conftest import found, needs_libreoffice, run_json, write_rows

HEADERS = ["Zadanie", "Kategoria kosztu", "Cross-financing", "Środki trwałe", "Koszty pośrednie",
           "Ogółem", "Dofinansowanie EFS", "Wkład własny", "Źródło wkładu własnego", "Plan",
           "Wykonanie"]
#: Bartoszyce "Twoja Szansa" 2009: 349 773,80 = 310 503,80 EFS + 39 270,00 own.
LINES = [
    ["Zadanie 1", "KIS", "nie", "nie", "nie", 80000, 80000, 0, None, 80000, 79000],
    ["Zadanie 1", "Kursy zawodowe", "nie", "nie", "nie", 150000, 150000, 0, None, 150000,
     149000],
    ["Zadanie 1", "PAL", "nie", "nie", "nie", 45503.8, 45503.8, 0, None, 45503.8, 45000],
    ["Zadanie 1", "Zasiłki celowe", "nie", "nie", "nie", 30000, 0, 30000,
     "świadczenia (zasiłki celowe)", 30000, 30000],
    ["Zadanie 1", "Prace społecznie użyteczne", "nie", "nie", "nie", 9270, 0, 9270, "PSU",
     9270, 9270],
    ["Zadanie 2", "Pracownik socjalny", "tak", "nie", "nie", 20000, 20000, 0, None, 20000,
     20000],
    ["Zadanie 3", "Zarządzanie projektem", "nie", "tak", "tak", 15000, 15000, 0, None, 15000,
     14000],
]
FIRST = 4  # title, blank, header: lines start on row 4


def sheet(lines=LINES, totals: list | None = None):
    rows = [["Budżet projektu „Twoja Szansa”"], [], HEADERS, *lines]
    last = FIRST + len(lines) - 1
    if totals is None:
        totals = ["Razem", None, None, None, None,
                  *[f"=SUM({c}{FIRST}:{c}{last})" for c in "FGH"], None,
                  *[f"=SUM({c}{FIRST}:{c}{last})" for c in "JK"]]
    return [*rows, totals]


def check(tmp_path: Path, rows, settings='[budzet]\nprogram = "po-kl-2007-2013"\n',
          libreoffice: bool = False, name: str = "budzet.xlsx"):
    (tmp_path / "projekt.toml").write_text(settings, encoding="utf-8")
    if libreoffice:
        needs_libreoffice()
        drafts = tmp_path / "draft"
        drafts.mkdir()
        draft = write_rows(drafts / name, rows, sheet="Budżet")
        libreoffice_convert([draft], "xlsx", tmp_path)
        draft.unlink()
        drafts.rmdir()
    else:
        write_rows(tmp_path / name, rows, sheet="Budżet")
    result = validate_paths([tmp_path])
    return [(i.code, i.cell) for i in result.issues], result


def test_bartoszyce_budget_written_by_libreoffice_passes(tmp_path):
    issues, result = check(tmp_path, sheet(), libreoffice=True)
    assert issues == []
    [budget] = result.projects[0].data.of_kind(BUDGET)
    assert len(budget.records) == 7
    assert str(budget.ctx.totals.total) == "349773.80"
    assert str(budget.ctx.totals.efs) == "310503.80"
    assert str(budget.ctx.totals.own) == "39270.00"
    [table] = result.projects[0].summaries()
    assert table.rows[-1][:5][1:] == [budget.ctx.totals.total, budget.ctx.totals.efs,
                                      budget.ctx.totals.own, table.rows[-1][4]]
    assert str(table.rows[-1][4].value) == "11.23"


def test_an_amount_typed_as_text_is_left_out_of_excels_sum(tmp_path):
    lines = [list(line) for line in LINES]
    lines[0][5:7] = ["80 000,00", "80 000,00"]  # text: SUM() skips it, we do not
    issues, result = check(tmp_path, sheet(lines), libreoffice=True)
    # at its own cell (why the sheet's SUM is short), and in the totals row
    assert issues == [("B014", "F4"), ("B014", "G4"), ("B002", "F11"), ("B002", "G11")]
    assert result.issues[0].message() == (
        "Kwota „80 000,00” w kolumnie „Ogółem” jest zapisana jako tekst — Excel pomija ją "
        "w sumach (SUMA); wpisz ją jako liczbę.")
    assert result.issues[2].message() == (
        "Suma w kolumnie „Ogółem”: w wierszu razem 269 773,80 zł, suma wierszy 349 773,80 zł; "
        "różnica -80 000,00 zł.")


def test_formulas_without_cached_values_are_a_warning_not_zero(tmp_path):
    issues, result = check(tmp_path, sheet())  # openpyxl writes formulas, no values
    assert issues == [("B010", c) for c in ("F11", "G11", "H11", "J11", "K11")]
    assert "Formuła bez obliczonej wartości" in result.issues[0].message()
    assert result.exit_code == 0


def test_line_total_not_efs_plus_own(tmp_path):
    lines = [list(line) for line in LINES]
    lines[2][5] = 45530.8
    issues, result = check(tmp_path, sheet(lines, totals=[]))
    assert issues == [("B001", "F6")]
    assert result.issues[0].message() == (
        "Ogółem 45 530,80 zł ≠ EFS 45 503,80 zł + wkład własny 0,00 zł (= 45 503,80 zł); "
        "różnica 27,00 zł.")


def test_totals_row_typed_by_hand_must_equal_the_lines(tmp_path):
    totals = ["Razem", None, None, None, None, "349 773,80", "310 503,80", "39 207,00", None,
              None, None]
    issues, result = check(tmp_path, sheet(totals=totals))
    assert issues == [("B002", "H11")]
    assert result.issues[0].message() == (
        "Suma w kolumnie „Wkład własny”: w wierszu razem 39 207,00 zł, suma wierszy "
        "39 270,00 zł; różnica -63,00 zł.")


@pytest.mark.parametrize("settings, expected", [
    ('[budzet]\nprogram = "efs-2014-2020"\n', [("B003", None)]),  # 11,23 % < 15 %
    ('[budzet]\nmin_wklad_wlasny = 11.22\n', []),
    ('[budzet]\nmin_wklad_wlasny = 11.23\n', [("B003", None)]),  # 11,227 %
    ('[budzet]\nlimit_cross_financing = 6\n', []),
    ('[budzet]\nlimit_cross_financing = 5.7\n', [("B004", None)]),  # 20 000 = 5,72 %
    ('[budzet]\nlimit_srodki_trwale = 4\n', [("B005", None)]),  # 15 000 = 4,3 %
    ('[budzet]\nlimit_koszty_posrednie = 5\n', []),
    ('[budzet]\nlimit_koszty_posrednie = 4.28\n', [("B006", None)]),
])
def test_programme_minimum_and_caps(tmp_path, settings, expected):
    issues, result = check(tmp_path, sheet(totals=[]), settings=settings)
    assert issues == expected
    if expected == [("B003", None)] and "efs" in settings:
        assert result.issues[0].message() == (
            "Wkład własny 39 270,00 zł to 11,23 % wartości projektu 349 773,80 zł — wymagane "
            "co najmniej 15 %.")


def test_execution_beyond_the_allowed_shift_negative_and_unplanned(tmp_path):
    lines = [list(line) for line in LINES]
    lines[0][10] = 88000  # exactly 10 % over: allowed
    lines[1][10] = 165000.01  # just over 10 %
    lines[2][6] = -45503.8
    lines[5][9] = None
    lines[5][5] = None  # no plan, no total
    issues, _ = check(tmp_path, sheet(lines, totals=[]))
    assert issues == [("B007", "K5"), ("B001", "F6"), ("B008", "G6"), ("B009", "K9")]


def test_allowed_shift_from_settings(tmp_path):
    lines = [list(line) for line in LINES]
    lines[1][10] = 165000.01
    issues, _ = check(tmp_path, sheet(lines, totals=[]),
                      settings="[budzet]\ndopuszczalne_przesuniecie = 15\n")
    assert issues == []


def test_subtotals_per_task_are_not_lines_and_the_last_razem_is_the_total(tmp_path):
    rows = [HEADERS, LINES[0], LINES[1],
            ["Razem zadanie 1", None, None, None, None, 230000, 230000, 0, None, 230000, 228000],
            LINES[5], ["Razem", None, None, None, None, 250000, 250000, 0, None, 250000,
                       248000], [], ["Sporządził: księgowa"]]
    issues, result = check(tmp_path, rows, settings="")
    assert issues == []
    [budget] = result.projects[0].data.of_kind(BUDGET)
    assert [r.row for r in budget.records] == [2, 3, 5]
    assert budget.ctx.totals.row == 6


def test_executed_per_period_columns(tmp_path):
    rows = [["Kategoria kosztu", "Ogółem", "Dofinansowanie EFS", "Wkład własny",
             "Wykonanie I półrocze 2009", "Wykonanie II półrocze 2009"],
            ["KIS", 1000, 1000, 0, 400, 750],  # 1 150 > 1 100
            ["PAL", 500, 450, 50, 100, "sto"],
            ["Razem", 1500, 1450, 50, 500, 800]]
    issues, result = check(tmp_path, rows, settings="")
    assert issues == [("B007", "A2"), ("V002", "F3"), ("B002", "F4")]
    [budget] = result.projects[0].data.of_kind(BUDGET)
    assert {k: str(v) for k, v in budget.records[0].executed_by_period.items()} == {
        "Wykonanie I półrocze 2009": "400.00", "Wykonanie II półrocze 2009": "750.00"}
    assert "Wykonanie II półrocze 2009" in result.issues[2].message()


def payments_book(folder: Path, amounts_and_kinds):
    rows = [["Nr kontraktu", "Data wypłaty", "Kwota wypłaty", "Rodzaj świadczenia"]]
    rows += [["KS/1", "15.05.2009", amount, kind] for amount, kind in amounts_and_kinds]
    write_rows(folder / "wyplaty.xlsx", rows, sheet="Wypłaty")


def test_reconciliation_with_aid_paid(tmp_path):
    payments_book(tmp_path, [("29 999,99", "zasiłek celowy"), (0.01, "zasiłek okresowy"),
                             (9270, "prace społecznie użyteczne")])
    issues, _ = check(tmp_path, sheet(totals=[]), settings="")
    assert issues == []


def test_reconciliation_states_both_sums(tmp_path):
    payments_book(tmp_path, [("25 000,00", "zasiłek celowy"), (9000, "PSU")])
    settings = "poczatek = 2009-01-01\nkoniec = 2009-12-31\n"
    issues, result = check(tmp_path, sheet(totals=[]), settings=settings)
    # at the own-contribution cells compared, named in the message
    assert issues == [("B011", "H7"), ("B012", "H8")]
    assert [i.message() for i in result.issues] == [
        "Wkład własny ze świadczeń w budżecie 30 000,00 zł (komórki H7), a wypłaty zasiłków "
        "w arkuszu wypłat 25 000,00 zł (01.01.2009 – 31.12.2009); różnica 5 000,00 zł.",
        "Wkład własny z PSU w budżecie 9 270,00 zł (komórki H8), a wypłaty za prace "
        "społecznie użyteczne 9 000,00 zł (01.01.2009 – 31.12.2009); różnica 270,00 zł."]


def test_payments_outside_the_project_period_do_not_count(tmp_path):
    payments_book(tmp_path, [(30000, "zasiłek celowy"), (9270, "PSU")])
    settings = "poczatek = 2010-01-01\nkoniec = 2010-12-31\n"
    issues, _ = check(tmp_path, sheet(totals=[]), settings=settings)
    assert issues == [("B011", "H7"), ("B012", "H8")]


def test_unknown_programme_is_a_settings_error(tmp_path):
    (tmp_path / "projekt.toml").write_text('[budzet]\nprogram = "po-kl-2099"\n',
                                           encoding="utf-8")
    write_rows(tmp_path / "budzet.xlsx", sheet(totals=[]))
    code, document = run_json(tmp_path)
    assert code == 2
    assert found(document) == [("F004", None, None)]
    assert "po-kl-2099" in document["issues"][0]["message"]
