"""Social contracts and payments: every rule, the ledger's sums, real LibreOffice files."""

from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbook_tools.engine import validate_paths
from workbook_tools.kinds import PAYMENTS
from workbook_tools.kinds.payments import ledger
from workbook_tools.polish import format_money
from workbook_tools.sample import libreoffice_convert

from .conftest import found, needs_libreoffice, run_json, write_rows
from .people import ANNA, JAN

CONTRACT_HEADERS = ["Nr kontraktu", "Nazwisko i imię", "PESEL", "Obowiązuje od",
                    "Obowiązuje do", "Kwota przyznana", "Cel", "Limit miesięczny"]
PAYMENT_HEADERS = ["Nr kontraktu", "Data wypłaty", "Kwota", "Rodzaj świadczenia", "Nr decyzji"]


def contracts(*extra):
    return [CONTRACT_HEADERS,
            ["KS/1/2009", "Nowak Anna", ANNA, "01.03.2009", "30.09.2009", "1 000,00 zł",
             "podręczniki", None],
            ["KS/2/2009", "Kowalski Jan", JAN, "01.03.2009", "31.12.2009", 600, "odzież",
             "250,00"],
            *extra]


def payments(*rows):
    return [PAYMENT_HEADERS, *rows]


def aid_book(tmp_path: Path, contract_rows, payment_rows,
             settings_text: str = "data_kontroli = 2009-12-31\n"):
    (tmp_path / "projekt.toml").write_text(settings_text, encoding="utf-8")
    write_rows(tmp_path / "pomoc.xlsx", contract_rows, sheet="Kontrakty",
               extra_sheets={"Wypłaty": payment_rows})
    result = validate_paths([tmp_path])
    return [(i.code, i.sheet, i.cell) for i in result.issues], result


CLEAN_PAYMENTS = payments(
    ["KS/1/2009", "05.03.2009", "400,00 zł", "zasiłek celowy", "DS.1/2009"],
    ["KS/2/2009", "10.03.2009", 200.5, "okresowy", "DS.2/2009"],
    ["KS/1/2009", "05.04.2009", "599,99", "zasiłek celowy", "DS.3/2009"],
)


def test_clean_aid_has_no_issues_and_exact_ledger(tmp_path):
    issues, result = aid_book(tmp_path, contracts(), CLEAN_PAYMENTS)
    assert issues == []
    book = ledger(result.projects[0].data)
    first, second = book.contracts["ks/1/2009"], book.contracts["ks/2/2009"]
    assert (first.paid, first.remaining, first.used.value, first.payments) == (
        Decimal("999.99"), Decimal("0.01"), Decimal("100.00"), 2)
    assert (second.paid, second.remaining, second.payments) == (
        Decimal("200.50"), Decimal("399.50"), 1)
    assert dict(book.per_month) == {(2009, 3): Decimal("600.50"), (2009, 4): Decimal("599.99")}
    assert dict(book.per_benefit) == {"zasiłek celowy": Decimal("999.99"),
                                      "zasiłek okresowy": Decimal("200.50")}
    assert book.total == Decimal("1200.49")
    [payments_sheet] = result.projects[0].data.of_kind(PAYMENTS)
    cumulative = [book.cumulative[(id(payments_sheet.ctx), r.row)]
                  for r in payments_sheet.records]
    assert cumulative == [Decimal("400.00"), Decimal("200.50"), Decimal("999.99")]


def test_crossing_payment_is_located_even_when_rows_are_not_in_date_order(tmp_path):
    rows = payments(
        ["KS/1/2009", "20.06.2009", "100,00", "zasiłek celowy"],   # row 2: last by date
        ["KS/1/2009", "05.03.2009", "500,00", "zasiłek celowy"],   # row 3
        ["KS/1/2009", "05.04.2009", "600,00", "zasiłek celowy"],   # row 4: crosses
    )
    issues, result = aid_book(tmp_path, contracts(), rows)
    assert issues == [("W003", "Wypłaty", "C4")]
    assert result.issues[0].message() == (
        "Ta wypłata przekracza kwotę przyznaną na kontrakcie „KS/1/2009”: po niej wypłacono "
        "1 100,00 zł z 1 000,00 zł — o 100,00 zł za dużo (łącznie wypłacono 1 200,00 zł).")


def test_unknown_contract_and_payment_outside_contract_period(tmp_path):
    rows = payments(["KS/9/2009", "05.03.2009", 10, "zasiłek celowy"],
                    ["KS/1/2009", "01.10.2009", 10, "zasiłek celowy"],
                    ["ks / 1 / 2009", "01.09.2009", 10, "zasiłek celowy"])
    issues, _ = aid_book(tmp_path, contracts(), rows)
    assert issues == [("W001", "Wypłaty", "A2"), ("W002", "Wypłaty", "B3")]


def test_monthly_limit(tmp_path):
    rows = payments(["KS/2/2009", "02.05.2009", 200, "zasiłek okresowy"],
                    ["KS/2/2009", "20.05.2009", 100, "zasiłek okresowy"],
                    ["KS/2/2009", "02.06.2009", 250, "zasiłek okresowy"])
    issues, result = aid_book(tmp_path, contracts(), rows)
    assert issues == [("K006", "Kontrakty", "A2"), ("W004", "Wypłaty", "C3")]  # KS/1 unpaid
    assert result.issues[1].message() == (
        "Wypłaty na kontrakt „KS/2/2009” w 05.2009: 300,00 zł, limit miesięczny 250,00 zł — "
        "o 50,00 zł za dużo.")


def test_amounts_not_positive_or_with_three_decimals(tmp_path):
    rows = payments(["KS/1/2009", "05.03.2009", 0, "zasiłek celowy"],
                    ["KS/1/2009", "06.03.2009", "-20,00", "zasiłek celowy"],
                    ["KS/1/2009", "07.03.2009", "12,345", "zasiłek celowy"],
                    ["KS/1/2009", "08.03.2009", "dwanaście", "zasiłek celowy"])
    issues, _ = aid_book(tmp_path, contracts(), rows)
    assert issues == [("W005", "Wypłaty", "C2"), ("W005", "Wypłaty", "C3"),
                      ("V003", "Wypłaty", "C4"), ("V002", "Wypłaty", "C5")]


def test_possible_double_payment_names_both_rows(tmp_path):
    rows = payments(["KS/1/2009", "05.03.2009", 100, "zasiłek celowy", "DS.1"],
                    ["KS/2/2009", "05.03.2009", 100, "zasiłek celowy", "DS.2"],
                    ["KS/1/2009", "05.03.2009", "100,00 zł", "zasiłek celowy", "DS.1"])
    issues, result = aid_book(tmp_path, contracts(), rows)
    assert issues == [("W006", "Wypłaty", "C2"), ("W006", "Wypłaty", "C4")]
    assert "wiersze 2, 4" in result.issues[0].message()


def test_contract_rules(tmp_path):
    extra = [
        ["KS/1/2009", "Nowak Anna", ANNA, "01.03.2009", "30.09.2009", 100, "x"],  # K001
        ["KS/3/2009", "Kowalski Jan", JAN, "01.05.2009", "01.04.2009", 100, "x"],  # K005
        ["KS/4/2009", "Kowalski Jan", JAN, "01.12.2008", "31.03.2009", 100, "x"],  # K003
        ["KS/5/2009", "Kowalski Jan", JAN, "01.03.2009", "31.03.2009", 0, "x"],    # K007
    ]
    settings_text = "poczatek = 2009-01-01\nkoniec = 2009-12-31\ndata_kontroli = 2010-01-31\n"
    issues, _ = aid_book(tmp_path, contracts(*extra), CLEAN_PAYMENTS, settings_text)
    assert issues == [  # by row, then column
        ("K001", "Kontrakty", "A2"), ("K001", "Kontrakty", "A4"),
        ("K006", "Kontrakty", "A5"), ("K005", "Kontrakty", "E5"),
        ("K006", "Kontrakty", "A6"), ("K003", "Kontrakty", "D6"),
        ("K006", "Kontrakty", "A7"), ("K007", "Kontrakty", "F7"),
    ]


def test_unpaid_contract_is_info_only_after_its_end(tmp_path):
    settings_text = "data_kontroli = 2009-09-30\n"  # KS/1 still running on that day
    only_second = payments(["KS/2/2009", "10.03.2009", 10, "okresowy"])
    issues, _ = aid_book(tmp_path, contracts(), only_second, settings_text)
    assert issues == []
    (tmp_path / "projekt.toml").write_text("data_kontroli = 2009-10-01\n", encoding="utf-8")
    result = validate_paths([tmp_path])
    assert [(i.code, i.cell, i.effective_severity.value) for i in result.issues] == [
        ("K006", "A2", "info")]


def test_contract_holders_against_the_participant_list(tmp_path):
    write_rows(tmp_path / "lista.xlsx", [
        ["Imię", "Nazwisko", "PESEL", "Data rozpoczęcia udziału", "Data zakończenia udziału"],
        ["Anna", "Nowak", ANNA, "01.03.2009", "30.06.2009"],
    ])
    issues, result = aid_book(tmp_path, contracts(), CLEAN_PAYMENTS)
    assert issues == [("K004", "Kontrakty", "E2"), ("K002", "Kontrakty", "C3")]
    assert "K. J. —" in result.issues[1].message()  # names are personal data: initials
    assert "Kowalski Jan" in result.issues[1].message("pl", show_personal=True)


def test_payment_sums_survive_excel_floats_and_polish_text(tmp_path):
    rows = payments(*[["KS/1/2009", "05.03.2009", value, "zasiłek celowy", f"D{i}"]
                      for i, value in enumerate([0.1, 0.2, "0,30 zł", "1\u00a0000,05", 0.1 + 0.2])])
    _, result = aid_book(tmp_path, contracts(), rows)
    assert ledger(result.projects[0].data).total == Decimal("1000.95")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.lists(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2),
                min_size=1, max_size=1500),
       st.sampled_from(["float", "text", "mixed"]))
def test_ledger_total_equals_decimal_sum_of_inputs(tmp_path_factory, amounts, form):
    def cell(i, amount):
        if form == "float" or (form == "mixed" and i % 2):
            return float(amount)
        return format_money(amount)

    folder = tmp_path_factory.mktemp("sums")
    rows = payments(*[["KS/1/2009", "05.03.2009", cell(i, a), "zasiłek celowy", f"D{i}"]
                      for i, a in enumerate(amounts)])
    write_rows(folder / "pomoc.xlsx", contracts(), sheet="Kontrakty",
               extra_sheets={"Wypłaty": rows})
    result = validate_paths([folder])
    book = ledger(result.projects[0].data)
    assert book.total == sum(amounts, Decimal(0))
    assert book.contracts["ks/1/2009"].paid == sum(amounts, Decimal(0))


def test_real_files_one_workbook_and_two_workbooks(tmp_path):
    needs_libreoffice()
    crossing = payments(["KS/1/2009", "05.03.2009", "600,00 zł", "zasiłek celowy"],
                        ["KS/1/2009", "05.04.2009", "450,00 zł", "zasiłek celowy"],
                        ["KS/2/2009", "02.06.2009", "250,01", "zasiłek okresowy"])
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    one = write_rows(drafts / "pomoc.xlsx", contracts(), sheet="Kontrakty",
                     extra_sheets={"Wypłaty": crossing})
    two_a = write_rows(drafts / "kontrakty.xlsx", contracts(), sheet="Kontrakty")
    two_b = write_rows(drafts / "wyplaty.xlsx", crossing, sheet="Wypłaty")
    [one_ods] = libreoffice_convert([one], "ods", tmp_path / "jeden")
    libreoffice_convert([two_a, two_b], "xlsx", tmp_path / "dwa")
    code, document = run_json(one_ods)
    assert found(document) == [("W003", "C3", "Wypłaty"), ("W004", "C4", "Wypłaty")]
    assert code == 1
    code, document = run_json(tmp_path / "dwa")
    assert [(i["file"].rsplit("/", 1)[-1], i["code"], i["cell"]) for i in document["issues"]] == [
        ("wyplaty.xlsx", "W003", "C3"), ("wyplaty.xlsx", "W004", "C4")]
    assert "o 50,00 zł za dużo" in document["issues"][0]["message"]


def test_summary_tables_in_json(tmp_path):
    write_rows(tmp_path / "pomoc.xlsx", contracts(), sheet="Kontrakty",
               extra_sheets={"Wypłaty": CLEAN_PAYMENTS})
    _, document = run_json(tmp_path, extra=["--summary"])
    tables = {t["title"]: t for t in document["tables"]}
    assert tables["Kontrakty: wypłacono do dnia"]["rows"] == [
        ["KS/1/2009", "1000.00", "999.99", "0.01", "100.00", 2],
        ["KS/2/2009", "600.00", "200.50", "399.50", "33.42", 1]]
    assert tables["Wypłaty według miesięcy"]["rows"][-1] == ["Razem", "1200.49"]
