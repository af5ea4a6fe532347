"""The example project in workbooks/przyklad: what a new user sees first, pinned exactly."""

from pathlib import Path

from .conftest import run, run_json

EXAMPLE = Path(__file__).parent.parent / "workbooks" / "przyklad"
SHEET = "Uczestnicy"


def issues_in(document, name):
    return [(i["code"], i["cell"], i["sheet"]) for i in document["issues"]
            if i["file"].endswith(name)]


def test_example_shows_each_planted_mistake_at_its_cell():
    code, document = run_json(EXAMPLE)
    assert code == 1
    assert issues_in(document, "uczestnicy.xlsx") == [
        ("P010", None, SHEET),   # KIS: 29 instead of the planned 28 (one person twice)
        ("P001", "D9", SHEET),   # PESEL typo
        ("P003", "F14", SHEET),  # birth date differs from PESEL
        ("P004", "E19", SHEET),  # sex differs from PESEL
        ("P006", "Y25", SHEET),  # end before start
        ("P007", "X38", SHEET),  # joined before the project began
        ("P009", "M45", SHEET),  # postal code typed as a number
        ("V006", "S52", SHEET),  # "emeryt" is not a labour-market status
        ("P005", "D55", SHEET),  # the same person twice ...
        ("V001", "X57", SHEET),  # 31.02.2009
        ("P011", "AA65", SHEET),  # dropped out, no reason
        ("P008", "D95", SHEET),  # 66 at entry
        ("P005", "D126", SHEET),  # ... the second time
    ]
    assert issues_in(document, "kontrakty.xlsx") == [
        ("K002", "C23", "Kontrakty"),  # a contract for someone not on the list
        ("K004", "F24", "Kontrakty"),  # the participant's own dates are wrong (Y25 above)
        ("K006", "A33", "Kontrakty"),  # ended, nothing paid
        ("W003", "D20", "Wypłaty"),    # this payment crosses the amount granted
        ("V003", "D63", "Wypłaty"),    # 120,505
        ("W006", "D93", "Wypłaty"),    # entered twice ...
        ("W006", "D95", "Wypłaty"),    # ... (and so KS/040 goes over its grant, D164)
        ("W001", "B96", "Wypłaty"),    # no such contract
        ("W003", "D164", "Wypłaty"),
        ("W002", "C222", "Wypłaty"),   # paid after the contract ended
    ]
    assert issues_in(document, "budzet.xlsx") == [
        ("B007", "A5", "Budżet"),  # vocational courses: 168 000 spent of 150 000 planned
        ("B001", "E6", "Budżet"),  # PAL: total typed 45 530,80, EFS 45 503,80 + own 0
    ]  # and the benefits line reconciles with the payments sheet: no B011
    assert issues_in(document, "obecnosc.xlsx") == [
        ("G009", "C8", "KIS edycja I"),   # 70 h of 100 h after the course ended
        ("G008", "J11", "KIS edycja I"),  # "xx"
        ("G004", "N14", "KIS edycja I"),  # 6 h of a 5-hour session
        ("G001", "B19", "KIS edycja I"),  # not on the participant list
    ]
    assert document["summary"]["rows"] == 122 + 121 + 231 + 7 + 14
    kinds = {(f["file"].rsplit("/", 1)[-1], s["sheet"]): s["kind"]
             for f in document["files"] for s in f["sheets"]}
    assert kinds == {("uczestnicy.xlsx", "Uczestnicy"): "participants",
                     ("kontrakty.xlsx", "Kontrakty"): "contracts",
                     ("kontrakty.xlsx", "Wypłaty"): "payments",
                     ("budzet.xlsx", "Budżet"): "budget",
                     ("obecnosc.xlsx", "KIS edycja I"): "attendance_grid"}


def test_example_plan_follows_the_bartoszyce_figures():
    text = (EXAMPLE / "projekt.toml").read_text(encoding="utf-8")
    for line in ("PAL = 44", "KIS = 28", '"Szkolenia zawodowe" = 49'):
        assert line in text
    _, document = run_json(EXAMPLE)
    plan = [i["message"] for i in document["issues"] if i["code"] == "P010"]
    assert plan == ["Forma wsparcia „KIS”: 29 uczestników, plan 28."]


def test_example_workbook_was_written_by_a_spreadsheet_program():
    import zipfile

    for name in ("uczestnicy.xlsx", "kontrakty.xlsx", "budzet.xlsx", "obecnosc.xlsx"):
        with zipfile.ZipFile(EXAMPLE / name) as archive:
            app = archive.read("docProps/app.xml").decode()
        assert "LibreOffice" in app


def test_readme_command_output_is_polish_and_masked():
    result = run("validate", EXAMPLE)
    assert "Sprawdzono 4 pliki, 495 wierszy: 20 błędów, 8 ostrzeżeń, 1 informacja." in (
        result.output)
    assert "*****" in result.output


def test_example_budget_follows_bartoszyce_and_reconciles():
    _, document = run_json(EXAMPLE, extra=["--summary"])
    [budget] = [t for t in document["tables"] if t["title"].startswith("Budżet")]
    total_row = budget["rows"][-1]
    # 349 773,80 + 27,00 typed wrongly on the PAL line; EFS and own as in the seed
    assert total_row[:5] == ["Razem", "349800.80", "310503.80", "39270.00", "11.23"]
    [paid] = [t for t in document["tables"] if t["title"] == "Wypłaty według miesięcy"]
    [benefits] = [r for r in budget["rows"] if r[0].startswith("Zasiłki")]
    assert benefits[3] == paid["rows"][-1][1]  # own contribution = aid actually paid


def test_example_attendance_completion():
    _, document = run_json(EXAMPLE, extra=["--summary"])
    tables = {t["title"]: t["rows"] for t in document["tables"]}
    # 14 on the KIS grid: 13 from the list attend 19-20 sessions of 5 h (one misses five
    # in a row: 70 h), and one person who is not on the list attends all 20
    assert tables["Obecność: ukończenie według formy wsparcia"] == [
        ["KIS", 14, 13], ["Razem", 14, 13]]
