"""Setting up and checking a PC for the buttons: `excel install`, `excel doctor`,
`excel selftest`, the add-in's VBA, and the wheel carrying everything `excel build`
needs. Windows and macOS are described to the checks (registry, internet mark), not
run: what only a real PC proves is `excel selftest`'s job."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import xlwings as xw
from oletools.olevba import VBA_Parser
from openpyxl import load_workbook

from workbook_tools import annotate, excel_setup, marks, selftest
from workbook_tools.addin import ADDIN_NAME, build_addin
from workbook_tools.engine import validate_paths
from workbook_tools.excel_setup import ERROR, OK, UNCHECKED, WARNING, Machine
from workbook_tools.fill import clear_file, fill_file
from workbook_tools.templates import TEMPLATES
from workbook_tools.vba import module_sources

from .conftest import run

ROOT = Path(__file__).parent.parent
XLWINGS = importlib.metadata.version("xlwings")


@pytest.fixture
def config(tmp_path, monkeypatch):
    path = tmp_path / "home" / ".xlwings" / "xlwings.conf"
    monkeypatch.setattr(xw, "USER_CONFIG_FILE", str(path))
    return path


def windows(tmp_path, registry=None, marked=()):
    values = registry or {}
    return Machine("Windows", registry=lambda key, name: values.get((key, name)),
                   marked=lambda path: path.name in marked, addins=tmp_path / "AddIns")


def _describe(monkeypatch, machine):
    monkeypatch.setattr(excel_setup, "this_machine", lambda: machine)


def test_install_points_the_buttons_at_this_python_and_keeps_other_settings(
        tmp_path, config, monkeypatch):
    config.parent.mkdir(parents=True)
    config.write_text('"LICENSE_KEY","noncommercial"\n"INTERPRETER_WIN","C:\\Python39\\python.exe"\n')
    machine = windows(tmp_path)
    _describe(monkeypatch, machine)
    result = run("excel", "install")
    assert result.exit_code == 0, result.output
    # xlwings reads it back as the VBA module will (key, value per quoted line)
    from xlwings.utils import read_user_config

    settings = read_user_config()
    assert settings["interpreter_win"] == sys.executable
    assert settings["license_key"] == "noncommercial"
    assert f'"INTERPRETER_WIN","{sys.executable}"' in config.read_text().splitlines()
    assert "C:\\Python39\\python.exe" in result.output  # the user is told what was replaced
    addin = machine.addins / ADDIN_NAME
    assert excel_setup.vba_version(addin) == XLWINGS
    assert "excel doctor" in result.output


def test_install_without_excel_says_why_in_polish(tmp_path, config, monkeypatch):
    _describe(monkeypatch, Machine("Linux"))
    result = run("excel", "install")
    assert result.exit_code == 2
    assert "Windows i macOS" in result.output and "Traceback" not in result.output
    assert not config.exists()


def test_install_into_a_folder_it_cannot_write_is_a_message(tmp_path, config, monkeypatch):
    blocker = tmp_path / "AddIns"
    blocker.write_text("a file where the folder should be")
    _describe(monkeypatch, windows(tmp_path))
    result = run("excel", "install")
    assert result.exit_code == 2 and "nie można zapisać dodatku" in result.output


def test_doctor_on_linux_says_what_it_could_not_check(tmp_path, monkeypatch):
    _describe(monkeypatch, Machine("Linux"))
    result = run("excel", "doctor", tmp_path)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(UNCHECKED) and "Linux" in lines[0]
    assert any(line.startswith(OK) and "Zapis w folderze" in line for line in lines)


def _statuses(found):
    return {check.name: check.status for check in found}


def test_doctor_finds_each_thing_a_click_needs_missing(tmp_path, config):
    machine = windows(tmp_path)
    found = _statuses(excel_setup.checks(machine, folders=[tmp_path / "nie-ma"]))
    assert found["Interpreter Pythona"] == ERROR  # no config: "python" from PATH
    assert found["Dodatek"] == ERROR
    assert found["Ustawienia makr"] == OK  # nothing set: Excel's default
    assert found[f"Zapis w folderze: {tmp_path / 'nie-ma'}"] == ERROR


def test_doctor_passes_a_set_up_machine_and_runs_the_configured_python(tmp_path, config):
    excel_setup.configure_interpreter(windows(tmp_path))
    addin = build_addin(tmp_path / "AddIns" / ADDIN_NAME)
    machine = windows(tmp_path, registry={
        (rf"{excel_setup.OFFICE_KEY}\Options", "OPEN1"): f'/R "{addin}"'})
    found = excel_setup.checks(machine, folders=[tmp_path])
    assert {c.status for c in found} == {OK}, found
    [interpreter] = [c for c in found if c.name == "Interpreter Pythona"]
    assert f"xlwings {XLWINGS}" in interpreter.detail  # read from the probe, not assumed


def test_doctor_reports_a_python_without_the_package(tmp_path, config):
    config.parent.mkdir(parents=True)
    bare = tmp_path / "bare"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True)
    python = bare / "bin" / "python"
    config.write_text(f'"INTERPRETER_WIN","{python}"\n')
    found = excel_setup.checks(windows(tmp_path))
    [interpreter] = [c for c in found if c.name == "Interpreter Pythona"]
    assert interpreter.status == ERROR
    assert "ModuleNotFoundError" in interpreter.detail and "excel install" in interpreter.advice


def test_doctor_reads_macro_settings_internet_marks_and_vba_versions(tmp_path, config):
    excel_setup.configure_interpreter(windows(tmp_path))
    addin = build_addin(tmp_path / "AddIns" / ADDIN_NAME)
    template = tmp_path / "lista.xlsm"
    shutil.copy(ROOT / "workbooks" / "excel" / "uczestnicy.xlsm", template)
    _rewrite_property(template, XLWINGS, "0.30.0")
    machine = windows(tmp_path, marked={"lista.xlsm"}, registry={
        (rf"{excel_setup.OFFICE_KEY}\Security", "VBAWarnings"): 2,
        (rf"{excel_setup.POLICY_KEY}\Security", "VBAWarnings"): 4})
    found = excel_setup.checks(machine, files=[template])
    by_name = {c.name: c for c in found}
    assert by_name["Dodatek włączony"].status == ERROR
    assert "Dodatki programu Excel" in by_name["Dodatek włączony"].advice
    assert by_name["Znak „z internetu”: lista.xlsm"].status == ERROR
    assert "Odblokuj" in by_name["Znak „z internetu”: lista.xlsm"].advice
    assert by_name[f"Znak „z internetu”: {addin.name}"].status == OK
    assert by_name["Wersja VBA: lista.xlsm"].status == ERROR
    assert "0.30.0" in by_name["Wersja VBA: lista.xlsm"].detail
    # the administrator's policy wins over the user's own Trust Center choice
    assert by_name["Ustawienia makr"].status == WARNING
    assert "zasady grupy" in by_name["Ustawienia makr"].detail


def _rewrite_property(path: Path, old: str, new: str) -> None:
    with zipfile.ZipFile(path) as source:
        parts = {item: source.read(item.filename) for item in source.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item, data in parts.items():
            if item.filename == "docProps/custom.xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            target.writestr(item, data)


def test_doctor_exits_1_when_something_must_be_done(tmp_path, config, monkeypatch):
    _describe(monkeypatch, windows(tmp_path))
    result = run("excel", "doctor", tmp_path)
    assert result.exit_code == 1
    assert "BŁĄD" in result.output and "→ uruchom: workbook-tools excel install" in result.output


# --- the VBA inside -------------------------------------------------------------------

def test_the_addin_passes_the_active_workbook_and_reads_xlwings_user_config():
    [(_name, text)] = [m for m in module_sources(addin=True) if m[0] == "xlwings"]
    assert '--wb=" & """" & ActiveWorkbook.Name' in text
    assert "ThisWorkbook.Name" not in text
    assert 'PROJECT_NAME As String = "xlwings"' in text  # %USERPROFILE%\.xlwings\xlwings.conf
    [(_name, own)] = [m for m in module_sources(addin=False) if m[0] == "xlwings"]
    assert '--wb=" & """" & ThisWorkbook.Name' in own  # a template is its own workbook


def test_olevba_finds_the_custom_addin_module_inside_the_addin(tmp_path):
    parser = VBA_Parser(str(build_addin(tmp_path / ADDIN_NAME)))
    try:
        modules = {Path(name).stem: code for _f, _s, name, code in parser.extract_macros()}
    finally:
        parser.close()
    assert "ActiveWorkbook.Name" in modules["xlwings"]
    assert f'XLWINGS_VERSION As String = "{XLWINGS}"' in modules["xlwings"]


def test_vba_text_is_ascii_so_no_code_page_can_garble_it():
    """A VBA project keeps source in the code page of the Windows that saved it (1250 on
    a Polish one): our captions with Polish letters live in Python and the ribbon XML."""
    for addin in (True, False):
        for name, text in module_sources(addin=addin):
            assert text.isascii(), name
    ribbon = (ROOT / "macros" / "customUI.xml").read_text(encoding="utf-8")
    assert 'encoding="UTF-8"' in ribbon and "Sprawdź" in ribbon


# --- the self-test ----------------------------------------------------------------------

def test_selftest_off_windows_exits_2_with_a_reason(monkeypatch):
    _describe(monkeypatch, Machine("Linux"))
    result = run("excel", "selftest")
    assert result.exit_code == 2
    assert "Windows lub macOS" in result.output and "Traceback" not in result.output


class FileDriver:
    """The buttons' work done by the file-level commands, read back by openpyxl: tests
    the self-test's steps and what they verify (Excel itself is not here)."""

    def __init__(self, broken: str = "") -> None:
        self.path: Path | None = None
        self.broken = broken

    def open(self, path):
        self.path = path

    def run(self, macro):
        if macro == self.broken:
            return
        if macro == "Sprawdz":  # marks only, as the button does
            book = load_workbook(self.path)
            annotate.mark(book, marks.plan(validate_paths([self.path]).issues))
            book.save(self.path)
        elif macro == "WyczyscOznaczenia":
            clear_file(self.path, in_place=True, force=True)
        elif macro == "Uzupelnij":
            fill_file(self.path, in_place=True, force=True)
        elif macro == "Zestawienie":  # the button's rows, written as it writes them
            from workbook_tools.claim import claim
            from workbook_tools.claim_output import claim_rows

            project = validate_paths([self.path]).projects[0]
            found = claim(project.data, folder=".", start=None, end=None)
            book = load_workbook(self.path)
            sheet = book.create_sheet("Zestawienie")
            for row in claim_rows(found):
                sheet.append(row)
            book.save(self.path)

    def _sheet(self, name):
        book = load_workbook(self.path)
        return book, book[name]

    def sheets(self):
        book = load_workbook(self.path)
        return [s.title for s in book.worksheets if s.sheet_state == "visible"]

    def colour(self, sheet, cell):
        _book, ws = self._sheet(sheet)
        fill = ws[cell].fill
        return fill.fgColor.rgb[2:].lower() if fill.fill_type == "solid" else None

    def note(self, sheet, cell):
        _book, ws = self._sheet(sheet)
        return ws[cell].comment.text if ws[cell].comment else None

    def header(self, sheet, row):
        _book, ws = self._sheet(sheet)
        return [c.value for c in ws[row]]

    def close(self):
        pass


def test_selftest_steps_pass_when_the_buttons_do_their_work():
    steps: list[selftest.Step] = []
    assert selftest.run(steps.append, driver=FileDriver)
    assert [s.passed for s in steps] == [True] * 5, steps
    assert [s.name for s in steps][1:] == ["Przycisk „Sprawdź”",
                                           "Przycisk „Wyczyść oznaczenia”",
                                           "Przycisk „Uzupełnij”", "Przycisk „Zestawienie”"]


@pytest.mark.parametrize("broken", ["Sprawdz", "WyczyscOznaczenia", "Uzupelnij",
                                    "Zestawienie"])
def test_selftest_fails_the_step_whose_button_did_nothing(broken):
    steps: list[selftest.Step] = []
    assert not selftest.run(steps.append, driver=lambda: FileDriver(broken))
    failed = [s for s in steps if not s.passed]
    assert failed and failed[0].name.endswith({"Sprawdz": "„Sprawdź”",
                                               "WyczyscOznaczenia": "„Wyczyść oznaczenia”",
                                               "Uzupelnij": "„Uzupełnij”",
                                               "Zestawienie": "„Zestawienie”"}[broken])


def test_selftest_project_has_the_three_planted_mistakes(tmp_path):
    want = selftest.expected(selftest.make_project(tmp_path))
    assert len(want.marks) == 3 and want.added


# --- the wheel ----------------------------------------------------------------------------

def test_the_addin_builds_from_a_wheel_installed_outside_the_repository(tmp_path):
    """pip install . (not editable) must carry the macros and the ribbon: build a wheel,
    install it into a fresh virtual environment and build the Excel files there."""
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for name in ("workbook_tools", "macros"):
        shutil.copytree(ROOT / name, source / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", "-w", str(tmp_path / "dist"), str(source)],
                   check=True, capture_output=True)
    [wheel] = (tmp_path / "dist").glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {"workbook_tools/macros/WorkbookTools.bas", "workbook_tools/macros/Ribbon.bas",
            "workbook_tools/macros/customUI.xml"} <= names
    fresh = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(fresh)], check=True)
    python = fresh / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                    "--no-deps", "--no-index", str(wheel)], check=True, capture_output=True)
    # the dependencies come from this environment, the package only from the wheel
    site = next((fresh / "lib").glob("python3*/site-packages"))
    (site / "deps.pth").write_text(
        next(p for p in sys.path if p.endswith("site-packages")) + "\n")
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([str(python), "-c",
                           "import workbook_tools, sys; print(workbook_tools.__file__); "
                           "from workbook_tools.cli import main; "
                           "sys.argv = ['workbook-tools', 'excel', 'build', '-o', 'out']; "
                           "main()"], cwd=work, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith(str(fresh))
    assert (work / "out" / ADDIN_NAME).stat().st_size > 10_000
    assert len(list((work / "out").glob("*.xlsm"))) == len(TEMPLATES)
