"""What the Excel buttons need on the user's computer, set up and checked.

A button runs VBA (xlwings' ``RunPython``), which starts the Python named in xlwings'
user config (``INTERPRETER_WIN`` / ``INTERPRETER_MAC``) or, without one, whatever
``python`` is first on PATH — after a venv install that is a Python without our package,
and the user sees ``ModuleNotFoundError``. ``excel install`` writes the interpreter it
runs from into that config; ``excel doctor`` checks, one line each, every condition a
click depends on and says in Polish what to do about a failed one.

The machine (operating system, registry, the internet mark of a file, running a probe
in the configured interpreter) is one :class:`Machine` value, so each check is tested on
any system with a machine described by the test; on Linux the checks that need Excel say
that they were not done instead of passing.
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import ElementTree

from .names import TEMP_PREFIX, VBA_VERSION_PROPERTY
from .read import open_zip

OK, WARNING, ERROR, UNCHECKED = "OK", "UWAGA", "BŁĄD", "NIE SPRAWDZONO"
#: Excel 2016, 2019, 2021 and 365 all keep their settings under version 16.0.
OFFICE_KEY = r"Software\Microsoft\Office\16.0\Excel"
POLICY_KEY = r"Software\Policies\Microsoft\Office\16.0\Excel"
#: What the macro setting (``VBAWarnings``) means, as the Trust Center words it.
MACRO_SETTINGS = {
    1: (WARNING, "włączone wszystkie makra (także z obcych plików)"),
    2: (OK, "makra wyłączone z powiadomieniem (ustawienie domyślne)"),
    3: (WARNING, "włączone tylko makra podpisane cyfrowo: przyciski szablonów .xlsm "
                 "nie zadziałają (nasze pliki nie są podpisane)"),
    4: (WARNING, "wszystkie makra wyłączone bez powiadomienia: przyciski szablonów .xlsm "
                 "nie zadziałają"),
}
UNBLOCK_ADVICE = ("kliknij plik prawym przyciskiem → Właściwości → zaznacz „Odblokuj” → OK "
                  "(albo: workbook-tools excel doctor --odblokuj PLIK)")
PROBE = ("import sys, workbook_tools, xlwings; "
         "print(workbook_tools.__version__, xlwings.__version__, sys.executable)")


@dataclass(frozen=True)
class Check:
    """One condition, its state and, when it is not OK, what to do."""

    name: str
    status: str
    detail: str
    advice: str = ""


def _no_registry(_key: str, _value: str) -> object | None:
    return None


def _run(command: Sequence[str]) -> tuple[int, str]:
    try:
        done = subprocess.run(list(command), capture_output=True, text=True, timeout=120,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return 127, str(error)
    return done.returncode, (done.stdout + done.stderr).strip()


@dataclass(frozen=True)
class Machine:
    """The computer the buttons run on; a test describes another one."""

    system: str = field(default_factory=platform.system)
    #: (key under HKEY_CURRENT_USER, value name) → value, Windows only.
    registry: Callable[[str, str], object | None] = _no_registry
    #: Does the file carry the mark of the web? None: cannot tell here.
    marked: Callable[[Path], bool | None] = lambda _path: None
    run: Callable[[Sequence[str]], tuple[int, str]] = _run
    addins: Path | None = None

    @property
    def has_excel(self) -> bool:
        return self.system in ("Windows", "Darwin")

    @property
    def interpreter_key(self) -> str:
        return "INTERPRETER_MAC" if self.system == "Darwin" else "INTERPRETER_WIN"


def this_machine() -> Machine:
    """The real computer: registry and mark readers of its system."""
    from .addin import addins_folder

    system = platform.system()
    if system == "Windows":
        return Machine(system, registry=_windows_registry, marked=_zone_identifier,
                       addins=addins_folder())
    if system == "Darwin":
        return Machine(system, marked=_quarantined, addins=addins_folder())
    return Machine(system)


def _windows_registry(key: str, value: str) -> object | None:  # pragma: no cover - Windows
    import winreg  # type: ignore[import-not-found,unused-ignore]

    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as handle:  # type: ignore[attr-defined,unused-ignore]
            found: object = winreg.QueryValueEx(handle, value)[0]  # type: ignore[attr-defined,unused-ignore]
            return found
    except OSError:
        return None


def _zone_identifier(path: Path) -> bool | None:  # pragma: no cover - Windows (NTFS)
    """Windows keeps the mark of the web in the file's Zone.Identifier stream."""
    try:
        text = Path(f"{path}:Zone.Identifier").read_text(errors="replace")
    except FileNotFoundError:
        return False
    except OSError:
        return None
    return any(line.strip() in ("ZoneId=3", "ZoneId=4") for line in text.splitlines())


def _quarantined(path: Path) -> bool | None:  # pragma: no cover - macOS
    code, _output = _run(["xattr", "-p", "com.apple.quarantine", str(path)])
    return code == 0


def unblock(path: Path, machine: Machine) -> None:  # pragma: no cover - Windows, macOS
    """Remove the mark of the web from one of our files (what "Odblokuj" does)."""
    if machine.system == "Windows":
        os.remove(f"{path}:Zone.Identifier")
    elif machine.system == "Darwin":
        _run(["xattr", "-d", "com.apple.quarantine", str(path)])


# --- the interpreter ------------------------------------------------------------------

def config_file() -> Path:
    """xlwings' user config, the file its VBA module reads (``%USERPROFILE%\\.xlwings``)."""
    import xlwings

    return Path(xlwings.USER_CONFIG_FILE)


def read_config() -> dict[str, str]:
    """The user config as xlwings reads it (keys in lower case)."""
    from xlwings.utils import read_user_config

    return dict(read_user_config())  # type: ignore[no-untyped-call]


def configure_interpreter(machine: Machine, executable: str = sys.executable) -> str | None:
    """Point the buttons at this Python; returns the interpreter configured before, if
    it was another one. Written by xlwings' own config writer, so the VBA reads it."""
    from xlwings.cli import update_user_config

    before = read_config().get(machine.interpreter_key.lower())
    update_user_config(machine.interpreter_key, executable)  # type: ignore[no-untyped-call]
    return before if before and before != executable else None


def _interpreter(machine: Machine) -> tuple[Check, str | None]:
    config = read_config()
    key = machine.interpreter_key
    configured = config.get(key.lower()) or config.get("interpreter")
    if not configured:
        return Check("Interpreter Pythona", ERROR,
                     f"brak ustawienia {key} w {config_file()}: Excel uruchomi „python” "
                     "z PATH, który zwykle nie ma workbook-tools",
                     "uruchom: workbook-tools excel install"), None
    code, output = machine.run([configured, "-c", PROBE])
    if code != 0:
        last = output.splitlines()[-1] if output else f"kod wyjścia {code}"
        return Check("Interpreter Pythona", ERROR,
                     f"{configured} nie uruchamia workbook-tools: {last}",
                     "uruchom workbook-tools excel install z tego środowiska Pythona, "
                     "w którym zainstalowano workbook-tools"), None
    parts = output.split()
    return Check("Interpreter Pythona", OK,
                 f"{configured}: workbook-tools {parts[0]}, xlwings {parts[1]}"), parts[1]


def vba_version(path: Path) -> str | None:
    """The xlwings VBA module version our build wrote into a file's properties."""
    try:
        with open_zip(path) as archive:
            data = archive.read("docProps/custom.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return None
    tree = ElementTree.fromstring(data)
    for prop in tree:
        if prop.get("name") == VBA_VERSION_PROPERTY:
            return "".join(prop.itertext()).strip() or None
    return None


# --- the checks -----------------------------------------------------------------------

def checks(machine: Machine, files: Sequence[Path] = (),
           folders: Sequence[Path] = ()) -> list[Check]:
    """Every condition the buttons need, in the order a helper would look at them."""
    from .addin import ADDIN_NAME

    found: list[Check] = []
    if not machine.has_excel:
        found.append(Check("Excel", UNCHECKED,
                           f"Excela nie ma w tym systemie ({machine.system}): interpretera, "
                           "dodatku, makr i znaku „z internetu” nie sprawdzono",
                           "uruchom excel doctor na komputerze z Excelem (Windows, macOS)"))
    python_version = importlib.metadata.version("xlwings")
    if machine.has_excel:
        check, configured_version = _interpreter(machine)
        found.append(check)
        python_version = configured_version or python_version
    addin = machine.addins / ADDIN_NAME if machine.addins else None
    if addin is not None:
        found += _addin_checks(machine, addin, python_version)
    for path in files:
        found += _file_checks(machine, path, python_version)
    if machine.has_excel:
        found.append(_macro_setting(machine))
    for folder in folders:
        found.append(_writable(folder))
    return found


def _addin_checks(machine: Machine, addin: Path, python_version: str) -> list[Check]:
    if not addin.is_file():
        return [Check("Dodatek", ERROR, f"nie ma pliku {addin}",
                      "uruchom: workbook-tools excel install")]
    found = [Check("Dodatek", OK, f"zainstalowany: {addin}")]
    if machine.system == "Windows":
        opened = [machine.registry(rf"{OFFICE_KEY}\Options",
                                   "OPEN" if n == 0 else f"OPEN{n}") for n in range(64)]
        if any(isinstance(v, str) and addin.name.lower() in v.lower() for v in opened):
            found.append(Check("Dodatek włączony", OK, "Excel wczytuje go przy starcie"))
        else:
            found.append(Check("Dodatek włączony", ERROR,
                               "Excel go nie wczytuje (brak na liście włączonych dodatków)",
                               "Plik → Opcje → Dodatki → Zarządzaj: Dodatki programu Excel → "
                               "Przejdź… → zaznacz „workbook-tools” → OK"))
    elif machine.system == "Darwin":
        found.append(Check("Dodatek włączony", UNCHECKED,
                           "macOS nie zapisuje tego w miejscu dostępnym dla Pythona",
                           "Narzędzia → Dodatki programu Excel… → zaznacz „workbook-tools”"))
    found += _file_checks(machine, addin, python_version)
    return found


def _file_checks(machine: Machine, path: Path, python_version: str) -> list[Check]:
    found = []
    embedded = vba_version(path)
    if embedded is None:
        found.append(Check(f"Wersja VBA: {path.name}", UNCHECKED,
                           "plik nie ma zapisanej wersji modułu xlwings (nie zbudował go "
                           "workbook-tools excel build)"))
    elif embedded != python_version:
        found.append(Check(f"Wersja VBA: {path.name}", ERROR,
                           f"moduł VBA xlwings {embedded}, a pakiet Pythona xlwings "
                           f"{python_version}: xlwings odmówi działania",
                           "zbuduj pliki na nowo: workbook-tools excel install (dodatek) "
                           "lub workbook-tools excel build (szablony)"))
    else:
        found.append(Check(f"Wersja VBA: {path.name}", OK, f"xlwings {embedded} w obu"))
    mark = machine.marked(path)
    if mark is None:
        if machine.has_excel:
            found.append(Check(f"Znak „z internetu”: {path.name}", UNCHECKED,
                               "nie da się go tu odczytać"))
    elif mark:
        found.append(Check(f"Znak „z internetu”: {path.name}", ERROR,
                           "plik pobrany z internetu: Office zablokuje jego makra bez "
                           "paska „Włącz zawartość”", UNBLOCK_ADVICE))
    else:
        found.append(Check(f"Znak „z internetu”: {path.name}", OK, "brak"))
    return found


def _macro_setting(machine: Machine) -> Check:
    if machine.system != "Windows":
        return Check("Ustawienia makr", UNCHECKED,
                     "w macOS: Excel → Preferencje → Zabezpieczenia (sprawdź ręcznie)")
    value = machine.registry(rf"{POLICY_KEY}\Security", "VBAWarnings")
    source = "zasady grupy (ustawia administrator)"
    if value is None:
        value = machine.registry(rf"{OFFICE_KEY}\Security", "VBAWarnings")
        source = "Centrum zaufania"
    if value is None:
        value, source = 2, "Centrum zaufania (domyślne)"
    status, meaning = MACRO_SETTINGS.get(int(str(value)), (WARNING, f"nieznane ({value})"))
    advice = ("dodatek z folderu dodatków (zaufanej lokalizacji) działa; dla szablonów: "
              "Plik → Opcje → Centrum zaufania → Ustawienia makr → „Wyłącz wszystkie makra "
              "z powiadomieniem”" if status != OK else "")
    return Check("Ustawienia makr", status, f"{meaning} — {source}", advice)


def _writable(folder: Path) -> Check:
    name = f"Zapis w folderze: {folder}"
    if not folder.is_dir():
        return Check(name, ERROR, "to nie jest folder")
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=TEMP_PREFIX, suffix=".test"):
            pass
    except OSError as error:
        return Check(name, ERROR, f"nie można zapisać pliku: {error.strerror or error}",
                     "skoroszyt z oznaczeniami i kolumnami trzeba tu zapisać: poproś o "
                     "prawo zapisu albo skopiuj skoroszyty do swojego folderu")
    return Check(name, OK, "można zapisywać")
