"""The command line as a coordinator or a script uses it: formats, languages, masking."""

import re

from workbook_tools.rules import RULES

from .conftest import run, run_json, write_rows
from .people import ANNA


def workbook(tmp_path):
    return write_rows(tmp_path / "lista.xlsx", [
        ["Imię", "Nazwisko", "PESEL", "Płeć"],
        ["Anna", "Nowak", ANNA, "M"],
        ["Anna", "Nowak", int(ANNA), "K"],
    ])


def test_json_document_shape(tmp_path):
    code, document = run_json(workbook(tmp_path))
    assert code == 1
    assert document["schema_version"] == 2
    first = document["issues"][0]
    assert set(first) >= {"file", "sheet", "cell", "row", "code", "severity", "message"}
    assert [(i["code"], i["cell"], i["row"], i["severity"]) for i in document["issues"]] == [
        ("P005", "C2", 2, "error"), ("P004", "D2", 2, "error"), ("P005", "C3", 3, "error")]
    assert document["summary"] == {"files": 1, "unreadable": 0, "skipped": 0, "sheets": 1,
                                   "rows": 2, "errors": 3, "warnings": 0, "infos": 0,
                                   "exit_code": 1}


def test_pesel_is_masked_everywhere_by_default(tmp_path):
    result = run("validate", "--format", "json", workbook(tmp_path))
    assert ANNA not in result.output
    assert ANNA[:6] + "*****" in result.output
    text = run("validate", workbook(tmp_path)).output
    assert ANNA not in text and ANNA[:6] + "*****" in text


def test_personal_data_on_request(tmp_path):
    _code, document = run_json(workbook(tmp_path), extra=["--show-personal-data"])
    duplicate = document["issues"][0]
    assert ANNA in duplicate["message"]
    assert duplicate["value"] == ANNA


def test_english_messages(tmp_path):
    _, document = run_json(workbook(tmp_path), extra=["--lang", "en"])
    assert document["issues"][1]["message"] == "Sex 'M' differs from the PESEL's ('K')."
    text = run("validate", "--lang", "en", workbook(tmp_path)).output
    assert "Checked 1 file, 2 rows: 3 errors, 0 warnings, 0 info messages." in text


def test_terminal_listing_groups_by_file_and_sheet(tmp_path):
    """At a terminal: rich tables, grouped by file and sheet."""
    import io

    from rich.console import Console

    from workbook_tools.engine import validate_paths
    from workbook_tools.terminal import print_terminal

    out = io.StringIO()
    print_terminal(validate_paths([workbook(tmp_path)]),
                   Console(file=out, force_terminal=True, color_system=None, width=120))
    lines = out.getvalue().splitlines()
    assert lines[0].endswith("lista.xlsx")
    assert "arkusz „Lista”" in lines[1]
    assert re.search(r"D2\s+P004\s+błąd\s+Płeć „M” różni się od płci z PESEL", out.getvalue())
    assert lines[-1] == "Sprawdzono 1 plik, 2 wiersze: 3 błędy, 0 ostrzeżeń, 0 informacji."


def test_piped_output_is_one_issue_per_line(tmp_path):
    """Piped (grep, a file): file:sheet!cell: CODE severity message — no wrapping, no
    padding, in a stable order; the summary last."""
    path = workbook(tmp_path)
    result = run("validate", path)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{path}:Lista!C2: P005 błąd PESEL 800402***** powtarza się: wiersze 2, 3.",
        f"{path}:Lista!D2: P004 błąd Płeć „M” różni się od płci z PESEL („K”).",
        f"{path}:Lista!C3: P005 błąd PESEL 800402***** powtarza się: wiersze 2, 3.",
        f"Informacja: {tmp_path}: bez ustawień w projekt.toml nie sprawdzono: daty w okresie "
        "realizacji projektu — brak poczatek/koniec; liczba uczestników wobec planu — brak "
        "[plan_uczestnikow].",
        "Sprawdzono 1 plik, 2 wiersze: 3 błędy, 0 ostrzeżeń, 0 informacji.",
    ]
    english = run("validate", "--lang", "en", path).output.splitlines()
    assert english[1] == f"{path}:Lista!D2: P004 error Sex 'M' differs from the PESEL's ('K')."
    (tmp_path / "dlugi").mkdir()
    long = write_rows(tmp_path / "dlugi" / "lista.xlsx", [
        ["Imię", "Nazwisko", "PESEL", "Data rozpoczęcia udziału w projekcie"],
        ["Anna", "Nowak", ANNA, "nie wiem kiedy, ale " * 8]])
    lines = run("validate", long).output.splitlines()
    assert len(lines) == 3 and len(lines[0]) > 120  # never wrapped at 80 columns


def test_clean_run_exits_zero(tmp_path):
    path = write_rows(tmp_path / "ok.xlsx",
                      [["Imię", "Nazwisko", "PESEL"], ["Anna", "Nowak", ANNA]])
    result = run("validate", path)
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert lines[-1] == "Sprawdzono 1 plik, 1 wiersz: 0 błędów, 0 ostrzeżeń, 0 informacji."
    # said once: without projekt.toml the period and the plan were not checked
    assert lines[0].startswith("Informacja: ") and "brak poczatek/koniec" in lines[0]
    (tmp_path / "projekt.toml").write_text(
        'poczatek = 2009-01-01\nkoniec = 2009-12-31\n[plan_uczestnikow.forma_wsparcia]\n'
        'PAL = 0\n', encoding="utf-8")
    assert run("validate", path).output.strip().splitlines() == [lines[-1]]


def test_bad_usage_exits_two():
    assert run("validate").exit_code == 2
    assert run("validate", "--format", "xml", "x.xlsx").exit_code == 2


def test_rules_lists_every_code_with_its_doc():
    result = run("rules")
    assert result.exit_code == 0
    for code, rule in RULES.items():
        assert code in result.output
        assert rule.doc.split()[0] in result.output
    english = run("rules", "--lang", "en").output
    assert "Invalid PESEL" in english


def test_a_folder_without_workbooks_is_a_usage_error(tmp_path):
    result = run("validate", "--format", "json", tmp_path)
    assert result.exit_code == 2
    assert "nie ma skoroszytów" in result.output and "Traceback" not in result.output


def test_quiet_still_says_what_stopped_the_project(tmp_path):
    workbook(tmp_path)
    (tmp_path / "projekt.toml").write_text('wiek_max = "64 lata"\n', encoding="utf-8")
    result = run("validate", "-q", tmp_path)
    assert result.exit_code == 2
    assert "F004" in result.output and "oczekiwano liczby całkowitej" in result.output
