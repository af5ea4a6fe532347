"""Rebuild the example project ``workbooks/przyklad`` (needs LibreOffice).

Four workbooks: the participant list, the social contracts with their payments (two
sheets of one workbook), the attendance grid of the first KIS edition, and the budget.
The figures follow MOPS Bartoszyce, "Twoja Szansa" (PO KL 7.1.1, 2009): 121 participants
= 44 PAL + 28 KIS + 49 vocational courses.
The people are synthetic. A handful of the mistakes staff really make are put in on
purpose, so that ``workbook-tools validate`` has something to show;
``tests/test_example.py`` pins exactly which.

Run: ``python workbooks/build_przyklad.py``
"""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from workbook_tools.polish import format_money
from workbook_tools.sample import (
    CONTRACT_HEADERS,
    PARTICIPANT_HEADERS,
    PAYMENT_HEADERS,
    contract_rows,
    libreoffice_convert,
    make_pesel,
    participant_rows,
    payment_rows,
    write_xlsx,
)
from workbook_tools.templates import session_dates
from workbook_tools.values import Sex, ValueProblem, parse_money

HERE = Path(__file__).parent / "przyklad"
START, END = dt.date(2009, 1, 1), dt.date(2009, 12, 31)
GROUPS = {"PAL": 44, "KIS": 28, "Szkolenia zawodowe": 49}


def rows_with_mistakes() -> list[dict[str, object]]:
    rows = participant_rows(GROUPS, START, END)
    for row in rows:  # staff type PESEL into a number cell; LibreOffice keeps it a number
        row["PESEL"] = int(str(row["PESEL"]))
    rows[4]["PESEL"] += 1  # typo: wrong check digit
    born = rows[9]["Data urodzenia"]
    assert isinstance(born, dt.date)
    rows[9]["Data urodzenia"] = born.replace(day=1) if born.day != 1 else born.replace(day=2)
    rows[14]["Płeć"] = "M" if rows[14]["Płeć"] == "K" else "K"
    rows[20]["Data zakończenia udziału w projekcie"] = dt.date(2009, 1, 15)
    rows[20]["Data rozpoczęcia udziału w projekcie"] = dt.date(2009, 2, 2)
    rows[33]["Data rozpoczęcia udziału w projekcie"] = dt.date(2008, 12, 15)
    rows[40]["Kod pocztowy"] = 11200  # typed as a number, the dash lost
    rows[47]["Status na rynku pracy"] = "emeryt"
    rows[52]["Data rozpoczęcia udziału w projekcie"] = "31.02.2009"  # text, impossible date
    rows[60]["Zakończenie udziału zgodnie ze ścieżką"] = "nie"
    rows[60]["Powód przerwania udziału"] = None
    for index in (70, 71, 72):  # dates typed as text, as many staff do: all fine
        day = rows[index]["Data rozpoczęcia udziału w projekcie"]
        assert isinstance(day, dt.date)
        rows[index]["Data rozpoczęcia udziału w projekcie"] = f"{day:%d.%m.%Y}"
    older = dt.date(1942, 3, 5)  # 66 at entry: outside the 15-64 target group
    rows[90].update({"PESEL": int(make_pesel(older, Sex.MALE, 417)), "Płeć": "M",
                     "Imię": "Henryk", "Data urodzenia": older,
                     "Wiek w chwili przystąpienia do projektu": 66})
    # one KIS participant entered twice (second time under a new number)
    duplicate = dict(rows[50], **{"Lp.": len(rows) + 1})
    rows.append(duplicate)
    return rows


def aid_with_mistakes(participants: list[dict[str, object]]
                      ) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    contracts = contract_rows(participant_rows(GROUPS, START, END))
    henryk = participants[90]  # the list's row 90 was replaced: so is his contract
    contracts[90].update({"Nazwisko i imię": f"{henryk['Nazwisko']} {henryk['Imię']}",
                          "PESEL": henryk["PESEL"]})
    payments = payment_rows(contracts)
    by_contract = {c["Nr kontraktu socjalnego"]: c for c in contracts}
    first = next(p for p in payments if p["Nr kontraktu socjalnego"] == "KS/003/2009")
    crossing = dict(first, **{"Kwota wypłaty": by_contract["KS/003/2009"]["Kwota przyznana"]})
    late = next(p for p in payments if p["Nr kontraktu socjalnego"] == "KS/010/2009")
    late["Data wypłaty"] = by_contract["KS/010/2009"]["Obowiązuje do"] + dt.timedelta(days=20)
    twice = next(p for p in payments if p["Nr kontraktu socjalnego"] == "KS/040/2009")
    unknown = dict(twice, **{"Nr kontraktu socjalnego": "KS/200/2009"})
    odd = next(p for p in payments if p["Nr kontraktu socjalnego"] == "KS/060/2009")
    odd["Kwota wypłaty"] = "120,505"  # three decimals typed
    for p in payments[::7]:
        p["Kwota wypłaty"] = format_money(Decimal(str(p["Kwota wypłaty"])))  # "1 234,50 zł"
    payments = [p for p in payments if p["Nr kontraktu socjalnego"] != "KS/030/2009"]
    payments += [crossing, dict(twice), unknown]
    payments.sort(key=lambda p: p["Data wypłaty"])  # type: ignore[arg-type,return-value]
    for number, p in enumerate(payments, 1):
        p["Lp."] = number
    stranger = contracts[19]
    stranger.update({"Nazwisko i imię": "Zielińska Barbara", "PESEL": int(make_pesel(
        dt.date(1971, 6, 3), Sex.FEMALE, 555))})
    return contracts, payments


BUDGET_HEADERS = ("Zadanie", "Kategoria kosztu", "Cross-financing", "Środki trwałe", "Ogółem",
                  "Dofinansowanie EFS", "Wkład własny", "Źródło wkładu własnego",
                  "Wykonanie I półrocze 2009", "Wykonanie II półrocze 2009")


def _amount(value: object) -> Decimal:
    """As the ledger will count it: rounded to grosze even when typed with 3 decimals."""
    try:
        return parse_money(value) or Decimal(0)
    except ValueProblem as problem:
        return problem.value  # type: ignore[no-any-return]


def budget_rows(payments: list[dict[str, object]]) -> list[list[object]]:
    """Bartoszyce 2009: 349 773,80 = EFS 310 503,80 + own 39 270,00; the benefits line
    equals the aid actually paid in the payments sheet (so it reconciles)."""
    paid = sum((_amount(p["Kwota wypłaty"]) for p in payments), Decimal(0))
    own_rest = Decimal("39270.00") - paid
    lines = [
        ("Zadanie 1", "KIS: zajęcia reintegracji społecznej i zawodowej", "nie", "nie",
         80000, 80000, 0, None, 41250.5, 37980),
        ("Zadanie 1", "Kursy zawodowe (49 osób)", "nie", "nie",
         150000, 150000, 0, None, 98000, 70000),  # executed 168 000: 12 % over plan
        ("Zadanie 1", "PAL: zajęcia, grupa samopomocowa, wyjazdy integracyjne", "nie", "nie",
         45530.8, 45503.8, 0, None, 20100, 24900),  # total typed with two digits swapped
        ("Zadanie 1", "Zasiłki celowe i okresowe uczestników", "nie", "nie",
         float(paid), 0, float(paid), "świadczenia pomocy społecznej (zasiłki)",
         float(paid), 0),
        ("Zadanie 1", "Prace społecznie użyteczne i świadczenia z budżetu MOPS", "nie",
         "nie", float(own_rest), 0, float(own_rest), "budżet gminy", 0, float(own_rest)),
        ("Zadanie 2", "Praca socjalna: wynagrodzenie pracownika socjalnego", "nie", "nie",
         20000, 20000, 0, None, 10000, 10000),
        ("Zadanie 3", "Zarządzanie projektem i promocja", "nie", "tak",
         15000, 15000, 0, None, 7200, 7650),
    ]
    first, last = 4, 4 + len(lines) - 1
    totals = ["Razem", None, None, None,
              *[f"=SUM({col}{first}:{col}{last})" for col in "EFG"], None,
              *[f"=SUM({col}{first}:{col}{last})" for col in "IJ"]]
    return [["Budżet projektu „Twoja Szansa” 2009 — plan i wykonanie (zł)"], [],
            list(BUDGET_HEADERS), *[list(line) for line in lines], totals]


KIS_DATES = session_dates(dt.date(2009, 3, 2), 20, every_days=3)
PLANTED = {4, 9, 14, 20, 33, 40, 47, 50, 52, 60, 90}


def attendance_grid(participants: list[dict[str, object]]) -> list[list[object]]:
    """KIS, edition I: 14 people, 20 sessions of 5 h (100 h), kept as a grid of dates.
    Sessions outside a person's participation stay empty. Planted: one person below the
    80 % threshold, an unknown mark, 6 h of a 5-hour session, a person not on the list."""
    def whole_edition(row: dict[str, object]) -> bool:
        start, end = (row["Data rozpoczęcia udziału w projekcie"],
                      row["Data zakończenia udziału w projekcie"])
        return (isinstance(start, dt.date) and start <= KIS_DATES[0]
                and (end is None or (isinstance(end, dt.date) and end >= KIS_DATES[-1])))

    kis = [(i, r) for i, r in enumerate(participants)
           if r["Forma wsparcia"] == "KIS" and i not in PLANTED and whole_edition(r)][:13]
    header = ["Lp.", "Nazwisko i imię", "PESEL", "Daty zajęć", *[None] * (len(KIS_DATES) - 1),
              "Razem godzin"]
    rows: list[list[object]] = [
        ["Lista obecności — Klub Integracji Społecznej, edycja I"], [], header,
        [None, None, None, *KIS_DATES, None],
        [None, "Liczba godzin", None, *[5] * len(KIS_DATES), None]]
    for number, (index, person) in enumerate(kis, 1):
        start = person["Data rozpoczęcia udziału w projekcie"]
        end = person["Data zakończenia udziału w projekcie"] or dt.date.max
        assert isinstance(start, dt.date) and isinstance(end, dt.date)
        cells: list[object] = []
        for session, day in enumerate(KIS_DATES):
            if not start <= day <= end:
                cells.append(None)
            elif (index + session) % 13 == 0:
                cells.append("nb")
            else:
                cells.append("x")
        rows.append([number, f"{person['Nazwisko']} {person['Imię']}", person["PESEL"],
                     *cells])
    rows[5 + 2][3 + 4:3 + 9] = ["nb"] * 5  # misses five sessions in a row
    rows[5 + 5][3 + 6] = "xx"
    rows[5 + 8][3 + 10] = 6
    rows.append([14, "Zielińska Barbara", None, *["x"] * len(KIS_DATES)])
    return rows


def main() -> None:
    rows = rows_with_mistakes()
    contracts, payments = aid_with_mistakes(rows)
    title = ("Lista uczestników projektu „Twoja Szansa” — aktywizacja osób zagrożonych "
             "wykluczeniem społecznym",
             "MOPS w Bartoszycach, PO KL Poddziałanie 7.1.1, rok 2009")
    footer = ([None], ["Razem", None, None, None, None, None, None, None, None, None,
                       None, None, None, None, None, None, None, None, None, None, None,
                       f"{len(rows)} osób"], [None], ["Sporządził: pracownik socjalny"])
    with tempfile.TemporaryDirectory() as tmp:
        draft = write_xlsx(Path(tmp) / "uczestnicy.xlsx", PARTICIPANT_HEADERS, rows,
                           sheet="Uczestnicy", title=title, footer=footer)
        aid = write_xlsx(Path(tmp) / "kontrakty.xlsx", CONTRACT_HEADERS, contracts,
                         sheet="Kontrakty", title=("Kontrakty socjalne — Twoja Szansa 2009",),
                         more=[("Wypłaty", PAYMENT_HEADERS, payments)])
        budget = Path(tmp) / "budzet.xlsx"
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "Budżet"
        for row in budget_rows(payments):
            sheet.append(row)
        book.save(budget)
        attendance = Path(tmp) / "obecnosc.xlsx"
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "KIS edycja I"
        grid = attendance_grid(rows)
        for row in grid:
            sheet.append(row)
        for column in range(4, 4 + len(KIS_DATES)):
            sheet.cell(4, column).number_format = "DD.MM.YYYY"
        last = 3 + len(KIS_DATES)
        sheet.merge_cells(start_row=3, start_column=4, end_row=3, end_column=last)
        for column in (1, 2, 3, last + 1):
            sheet.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
        book.save(attendance)
        libreoffice_convert([draft, aid, budget, attendance], "xlsx", HERE)
    print(f"written {HERE / 'uczestnicy.xlsx'}, {HERE / 'kontrakty.xlsx'}, "
          f"{HERE / 'budzet.xlsx'}, {HERE / 'obecnosc.xlsx'}")


if __name__ == "__main__":
    main()
