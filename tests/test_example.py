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
    assert document["summary"]["rows"] == 122 + 121 + 231
    kinds = {(f["file"].rsplit("/", 1)[-1], s["sheet"]): s["kind"]
             for f in document["files"] for s in f["sheets"]}
    assert kinds == {("uczestnicy.xlsx", "Uczestnicy"): "participants",
                     ("kontrakty.xlsx", "Kontrakty"): "contracts",
                     ("kontrakty.xlsx", "Wypłaty"): "payments"}


def test_example_plan_follows_the_bartoszyce_figures():
    text = (EXAMPLE / "projekt.toml").read_text(encoding="utf-8")
    for line in ("PAL = 44", "KIS = 28", '"Szkolenia zawodowe" = 49'):
        assert line in text
    _, document = run_json(EXAMPLE)
    plan = [i["message"] for i in document["issues"] if i["code"] == "P010"]
    assert plan == ["Forma wsparcia „KIS”: 29 uczestników, plan 28."]


def test_example_workbook_was_written_by_a_spreadsheet_program():
    import zipfile

    for name in ("uczestnicy.xlsx", "kontrakty.xlsx"):
        with zipfile.ZipFile(EXAMPLE / name) as archive:
            app = archive.read("docProps/app.xml").decode()
        assert "LibreOffice" in app


def test_readme_command_output_is_polish_and_masked():
    result = run("validate", EXAMPLE)
    assert "Sprawdzono 2 pliki, 474 wiersze: 15 błędów, 7 ostrzeżeń, 1 informacja." in (
        result.output)
    assert "*****" in result.output
