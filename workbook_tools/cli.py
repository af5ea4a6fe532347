"""The command line: parse, call the engine, print. Nothing is decided here."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .names import TEMPLATE_NAMES
from .project import display_path, is_regular, resolve

if TYPE_CHECKING:
    from .fill import FillResult
    from .selftest import Step

#: Seconds a file may take to read (the default of ``--time-limit``); kept here so that
#: ``--help`` does not import the engine (each Excel button click pays the start-up).
DEFAULT_TIME_LIMIT = 30.0


def _fail(message: str, english: str | None = None) -> None:
    """A usage problem known before any work: a message in the run's language, exit 2
    (the commands that speak English do so when --lang en is on the command line)."""
    from .click_pl import wants_english

    if english is not None and wants_english(sys.argv[1:]):
        click.echo(f"Error: {english}", err=True)
    else:
        click.echo(f"Błąd: {message}", err=True)
    sys.exit(2)

PATHS = click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                      show_default=True, help="Wynik dla człowieka (text) lub programu (json).")
PERSONAL = click.option("--show-personal-data", is_flag=True,
                        help="Pokaż dane osobowe: PESEL, nazwiska (domyślnie maskowane).")
LANG = click.option("--lang", type=click.Choice(["pl", "en"]), default="pl", show_default=True,
                    help="Język komunikatów / message language.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="workbook-tools", help="Pokaż wersję i zakończ.")
def cli() -> None:
    """Sprawdzanie arkuszy projektów aktywnej integracji (MOPS/OPS, EFS)."""


@cli.command()
@PATHS
@FORMAT
@LANG
@PERSONAL
@click.option("--summary", "with_summary", is_flag=True,
              help="Pokaż wyliczone zestawienia (uczestnicy wg formy wsparcia, wypłaty...).")
@click.option("-j", "--jobs", type=click.IntRange(1, 256),
              help="Liczba procesów równoległych (domyślnie: liczba rdzeni).")
@click.option("--time-limit", type=click.FloatRange(1, None), default=DEFAULT_TIME_LIMIT,
              show_default=True, help="Limit czasu na jeden plik w sekundach (wiele projektów).")
@click.option("--report", type=click.Path(path_type=Path, dir_okay=False),
              help="Zapisz raport Excel (podsumowanie, uwagi z łączami, wykresy).")
@click.option("-q", "--quiet", is_flag=True, help="Bez paska postępu i listy uwag.")
def validate(paths: tuple[Path, ...], fmt: str, lang: str, show_personal_data: bool,
             with_summary: bool, jobs: int | None, time_limit: float, report: Path | None,
             quiet: bool) -> None:
    """Sprawdź skoroszyty (pliki lub foldery projektów).

    Folder z projekt.toml to jeden projekt (z podfolderami); bez niego — każdy folder ze
    skoroszytami. Wiele projektów sprawdzanych jest równolegle, każdy plik z limitem czasu.
    Kod wyjścia: 0 bez błędów, 1 znaleziono błędy, 2 plik nieczytelny lub złe użycie.
    """
    if report is not None:
        folder = report.parent if str(report.parent) else Path(".")
        if not folder.is_dir():
            _fail(f"folder raportu {display_path(folder)} nie istnieje",
                  f"the report's folder {display_path(folder)} does not exist")
        if report.is_dir():
            _fail(f"{display_path(report)} jest folderem — podaj nazwę pliku raportu .xlsx",
                  f"{display_path(report)} is a folder: name the report's .xlsx file")
    resolved = resolve(paths)
    if not resolved.projects and not resolved.problems:
        named = ", ".join(display_path(p) for p in paths)
        _fail(f"w podanych ścieżkach nie ma skoroszytów (.xlsx, .xlsm, .xls, .xlsb, .ods): "
              f"{named}", f"no workbooks (.xlsx, .xlsm, .xls, .xlsb, .ods) in: {named}")
    from . import batch  # the engine is imported once the worker is under way

    update, stop = batch.progress_bar(
        not quiet and fmt == "text" and len(resolved.projects) > 1)
    try:
        # every file is read in a worker process under time and memory limits
        result = batch.run(paths, jobs, time_limit, progress=update, resolved=resolved,
                           tables=with_summary)
    finally:
        stop()
    from .output import summary_line, to_json

    if report is not None:
        from .report import write_report
        from .safety import WriteRefused

        try:
            write_report(result, report, show_personal_data)
        except WriteRefused as refused:
            _fail(refused.reason.pl, refused.reason.en)
    if fmt == "json":
        click.echo(to_json(result, lang, show_personal_data, with_tables=with_summary))
    elif quiet and not with_summary and len(result.projects) <= 1:
        # a script's quiet run: plain lines, no rich to import (its start is most of the
        # wait on a small project)
        from .issues import shown
        from .output import issue_line
        from .polish import severity_label
        from .results import INCOMPLETE_CODES
        from .rules import Severity

        labels = {s: severity_label(s, lang) for s in Severity}
        for issue in result.issues:
            if issue.code in INCOMPLETE_CODES:
                click.echo(issue_line(issue, labels, lang, show_personal_data))
        click.echo(summary_line(result, lang))
        if report is not None:
            click.echo(f"{'Report' if lang == 'en' else 'Raport'}: "
                       f"{shown(report, show_personal_data)}")
    else:
        from rich.console import Console
        from rich.text import Text

        from .issues import shown
        from .results import INCOMPLETE_CODES
        from .rules import Severity
        from .terminal import print_projects, print_summaries, print_terminal

        console = Console(highlight=False)
        if not quiet:
            print_terminal(result, console, lang, show_personal_data)
        if len(result.projects) > 1:
            print_projects(result, console, lang, show_personal_data)
        if quiet:
            # what stopped a file or the whole project is said even when quiet
            from .output import issue_line
            from .polish import severity_label

            labels = {s: severity_label(s, lang) for s in Severity}
            for issue in result.issues:
                if issue.code in INCOMPLETE_CODES:
                    console.out(issue_line(issue, labels, lang, show_personal_data),
                                highlight=False)
            console.print(summary_line(result, lang))
        if with_summary:
            print_summaries(result, console, lang, show_personal_data)
        if report is not None:
            console.print(Text(f"{'Report' if lang == 'en' else 'Raport'}: "
                               f"{shown(report, show_personal_data)}"))
    sys.exit(result.exit_code)


@cli.command()
@PATHS
@FORMAT
@LANG
@PERSONAL
def explain(paths: tuple[Path, ...], fmt: str, lang: str, show_personal_data: bool) -> None:
    """Pokaż, jak odczytano arkusze: rodzaj i dlaczego, wiersze nagłówka, która kolumna
    jest którym polem, które pominięto, wiersze danych i wiersze pominięte."""
    resolved = resolve(paths)
    for path, _code, reason, reason_en in resolved.problems:
        _fail(f"{display_path(path)}: {reason}", f"{display_path(path)}: {reason_en}")
    if not resolved.files:
        named = ", ".join(display_path(p) for p in paths)
        _fail(f"w podanych ścieżkach nie ma skoroszytów: {named}",
              f"no workbooks in: {named}")
    from . import batch
    from .output import explain_json, explain_lines

    result = batch.run(paths, resolved=resolved, tables=False)
    if fmt == "json":
        click.echo(explain_json(result, lang, show_personal_data))
    else:
        for line in explain_lines(result, lang, show_personal_data):
            click.echo(line)
    sys.exit(2 if result.exit_code == 2 else 0)


def _workbooks(paths: tuple[Path, ...]) -> list[Path]:
    """Files as given; folders searched for workbooks (not our own outputs). A path that
    does not exist, or a folder without workbooks, stops the command before any work."""
    resolved = resolve(paths)
    for path, _code, reason, reason_en in resolved.problems:
        _fail(f"{display_path(path)}: {reason}", f"{display_path(path)}: {reason_en}")
    files = resolved.files
    if not files:
        named = ", ".join(display_path(p) for p in paths)
        _fail(f"w podanych ścieżkach nie ma skoroszytów: {named}",
              f"no workbooks in: {named}")
    return files


OUTPUT = click.option("-o", "--output", type=click.Path(path_type=Path),
                      help="Plik wynikowy (tylko dla jednego skoroszytu).")
IN_PLACE = click.option("--in-place", is_flag=True,
                        help="Zapisz w miejscu oryginału (z kopią zapasową .kopia-zapasowa).")
FORCE = click.option("--force", is_flag=True,
                     help="Zapisz mimo elementów, których zapis nie zachowa (wykresy, obrazy…).")


def _run_writes(paths: tuple[Path, ...], output: Path | None, lang: str,
                write: Callable[..., FillResult], options: dict[str, object],
                report: Callable[[FillResult, str], list[str]] | None = None) -> None:
    """Each workbook written by a worker process under limits (:mod:`contain`): a file
    that would take the process down costs that file, never the others or the user's
    work (the original is replaced only by a complete, renamed file)."""
    from . import contain
    from .fill import FillResult, describe
    from .issues import Issue, shown
    from .rules import Bilingual

    files = _workbooks(paths)
    if output is not None and len(files) != 1:
        raise click.UsageError("-o/--output wymaga dokładnie jednego skoroszytu")
    jobs = [contain.Job(key, write, (path, output, options), [path])
            for key, path in enumerate(files)]
    results = contain.run(jobs, workers=1)
    refused = False
    for job, path in zip(jobs, files, strict=True):
        result = results[job.key]
        if not isinstance(result, FillResult):
            issue = Issue(result.code, display_path(path), params=result.params)
            result = FillResult(path, refused=Bilingual(issue.message("pl"),
                                                        issue.message("en")))
        refused |= result.refused is not None
        lines = (report or describe)(result, lang) if result.refused is None \
            else describe(result, lang)
        for line in lines:
            click.echo(shown(line))
    sys.exit(2 if refused else 0)


def fix_job(path: Path, output: Path | None, options: dict[str, object], *,
            failed: dict[Path, object], on_file: Callable[..., None]) -> FillResult:
    """``fix`` of one workbook, run in a worker."""
    from .fix import fix_file

    return fix_file(path, output=output, failed=failed,  # type: ignore[arg-type]
                    on_file=on_file, **options)  # type: ignore[arg-type]


def fill_job(path: Path, output: Path | None, options: dict[str, object], *,
             failed: dict[Path, object], on_file: Callable[..., None]) -> FillResult:
    """``fill`` of one workbook, run in a worker."""
    from .fill import fill_file

    return fill_file(path, output=output, failed=failed,  # type: ignore[arg-type]
                     on_file=on_file, **options)  # type: ignore[arg-type]


def clear_job(path: Path, output: Path | None, options: dict[str, object], *,
              failed: dict[Path, object], on_file: Callable[..., None]) -> FillResult:
    """``clear`` of one workbook, run in a worker."""
    from .fill import clear_file

    return clear_file(path, output=output, failed=failed,  # type: ignore[arg-type]
                      on_file=on_file, **options)  # type: ignore[arg-type]


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@OUTPUT
@IN_PLACE
@click.option("--annotate", is_flag=True,
              help="Zaznacz komórki z uwagami (kolor, komentarz) i dodaj arkusz "
                   "„Wyniki kontroli”.")
@FORCE
@LANG
def fill(paths: tuple[Path, ...], output: Path | None, in_place: bool, annotate: bool,
         force: bool, lang: str) -> None:
    """Uzupełnij kolumny wyliczane (wiek, status, godziny, wypłacono do dnia, udziały...).

    Domyślnie zapisuje NAZWA.uzupelniony.xlsx obok oryginału. Kod wyjścia 2, gdy
    któregoś pliku nie zapisano (otwarty w Excelu, elementy do utraty, nieczytelny).
    """
    _run_writes(paths, output, lang, fill_job, {"in_place": in_place,
                                                "annotate_issues": annotate, "force": force})


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@OUTPUT
@IN_PLACE
@FORCE
@LANG
def clear(paths: tuple[Path, ...], output: Path | None, in_place: bool, force: bool,
          lang: str) -> None:
    """Usuń oznaczenia dodane przez fill --annotate (kolory, komentarze, arkusz wyników),
    przywracając poprzedni wygląd komórek."""
    _run_writes(paths, output, lang, clear_job, {"in_place": in_place, "force": force})


@cli.command()
@PATHS
@OUTPUT
@IN_PLACE
@click.option("--diff", is_flag=True, help="Tylko wypisz zmiany (plik, komórka, było → będzie); "
              "nic nie zapisuj.")
@click.option("--select", "select", default="", help="Tylko te reguły (kody lub prefiksy, "
              "po przecinku), np. P002,P009.")
@click.option("--ignore", "ignore", default="", help="Bez tych reguł (kody lub prefiksy).")
@FORCE
@LANG
@PERSONAL
def fix(paths: tuple[Path, ...], output: Path | None, in_place: bool, diff: bool, select: str,
        ignore: str, force: bool, lang: str, show_personal_data: bool) -> None:
    """Popraw to, co ma jedną pewną poprawną wartość (jak ruff --fix): PESEL bez zer
    wiodących, kod pocztowy bez kreski, kwotę wpisaną jako tekst, daty zapisane jako
    miesiąc/dzień. Reguły z poprawką: workbook-tools rules (kolumna „poprawka”)."""
    from .fix import FixResult, describe_changes, summary

    def report(result: FillResult, language: str) -> list[str]:
        assert isinstance(result, FixResult)
        said = summary(result, diff, language)
        return [*describe_changes(result, language, show_personal_data),
                f"{display_path(result.source)}: "
                f"{said.en if language == 'en' else said.pl}"]

    options: dict[str, object] = {
        "in_place": in_place, "force": force, "diff": diff,
        "select": [c.strip() for c in select.split(",") if c.strip()],
        "ignore": [c.strip() for c in ignore.split(",") if c.strip()]}
    _run_writes(paths, output, lang, fix_job, options, report)


@cli.command()
@click.argument("kind", required=False, type=click.Choice(TEMPLATE_NAMES))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Plik szablonu (domyślnie: nazwa rodzaju w bieżącym folderze).")
@click.option("--all", "folder", type=click.Path(path_type=Path, file_okay=False),
              help="Utwórz w FOLDERZE wszystkie szablony i projekt.toml (nowy projekt).")
@click.option("--nazwa", "project", default="Nazwa projektu", show_default=True,
              help="Nazwa projektu w wierszu tytułowym.")
@click.option("--start", type=click.DateTime(["%Y-%m-%d", "%d.%m.%Y"]), metavar="RRRR-MM-DD",
              help="Lista obecności (siatka): data pierwszych zajęć.")
@click.option("--zajec", "count", type=click.IntRange(1, 400), default=10, show_default=True,
              help="Lista obecności (siatka): liczba zajęć.")
@click.option("--co", "every", type=click.IntRange(1, 60), default=7, show_default=True,
              help="Lista obecności (siatka): co ile dni zajęcia (bez niedziel i świąt).")
@click.option("--force", is_flag=True, help="Nadpisz istniejący plik szablonu.")
def template(kind: str | None, output: Path | None, folder: Path | None, project: str,
             start: dt.datetime | None, count: int, every: int, force: bool) -> None:
    """Utwórz pusty skoroszyt (szablon) z nagłówkami, formatami i listami wyboru.

    Rodzaje: uczestnicy, obecnosc, obecnosc-siatka, kontrakty (z arkuszem wypłat), budzet.
    Istniejącego pliku nie nadpisuje (chyba że podano --force).
    """
    from .templates import TEMPLATES, session_dates, write_all, write_template

    sessions = session_dates(start.date(), count, every) if start else []
    targets = ([folder / spec.file for spec in TEMPLATES.values()] if folder is not None
               else [output or Path(TEMPLATES[kind].file)] if kind is not None else [])
    for path in targets:
        if path.suffix.lower() != ".xlsx":
            _fail(f"{display_path(path)}: szablon zapisuje się jako .xlsx — zmień "
                  "rozszerzenie pliku")
        if path.is_dir():
            _fail(f"{display_path(path)} jest folderem")
        if path.exists() and not force:
            _fail(f"plik {display_path(path)} już istnieje — nie nadpisano (może zawierać "
                  "dane); użyj --force, aby go zastąpić, albo -o INNY_PLIK")
        if not path.parent.is_dir() and folder is None:
            _fail(f"folder {display_path(path.parent)} nie istnieje")
    if folder is not None:
        for path in write_all(folder, project, sessions):
            click.echo(f"utworzono {display_path(path)}")
        return
    if kind is None:
        raise click.UsageError("podaj rodzaj szablonu albo --all FOLDER")
    path = output or Path(TEMPLATES[kind].file)
    write_template(kind, path, project, sessions=sessions)
    click.echo(f"utworzono {display_path(path)}")


@cli.group()
def excel() -> None:
    """Przyciski w Excelu: dodatek z kartą „Projekt EFS” i szablony .xlsm z przyciskami."""


@excel.command("build")
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False),
              default=Path("workbooks") / "excel", show_default=True,
              help="Folder na dodatek (.xlam) i szablony (.xlsm).")
def excel_build(output: Path) -> None:
    """Zbuduj dodatek i szablony z makrami (moduły VBA z folderu macros/ i xlwings)."""
    from .addin import build_all

    for path in build_all(output):
        click.echo(f"utworzono {display_path(path)}")


@excel.command("install")
@click.option("--folder", type=click.Path(path_type=Path, file_okay=False),
              help="Folder dodatków Excela (domyślnie: ten, którego używa Excel).")
def excel_install(folder: Path | None) -> None:
    """Zainstaluj dodatek i ustaw Pythona, którego uruchamiają przyciski (ten, z którego
    wywołano polecenie)."""
    import tempfile

    # the door imported here, where bytecode may be written: its data classes' compiled
    # methods are kept for the buttons' Python, which runs with -B (dataclass_code)
    from . import excel as _door  # noqa: F401
    from . import excel_setup
    from .addin import ADDIN_NAME, build_addin, install

    machine = excel_setup.this_machine()
    target_folder = folder or machine.addins
    if target_folder is None:
        _fail(f"Excel z dodatkami działa w Windows i macOS, a to jest {machine.system}: "
              "nie ma gdzie zainstalować dodatku (albo podaj --folder)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        try:
            target = install(build_addin(Path(tmp) / ADDIN_NAME), target_folder)
        except OSError as error:
            _fail(f"nie można zapisać dodatku w {target_folder}: "
                  f"{error.strerror or error}. Jeśli Excel jest otwarty, zamknij go i "
                  "uruchom polecenie jeszcze raz.")
            return
    click.echo(f"Skopiowano dodatek: {target}")
    if machine.has_excel:
        before = excel_setup.configure_interpreter(machine)
        click.echo(f"Przyciski uruchomią tego Pythona: {sys.executable}")
        click.echo(f"  (ustawienie {machine.interpreter_key} w {excel_setup.config_file()})")
        if before:
            click.echo(f"  Zastąpiono wcześniejsze ustawienie: {before}")
        if machine.system == "Darwin":
            from xlwings.cli import runpython_install

            runpython_install(None)  # type: ignore[no-untyped-call]  # the AppleScript RunPython needs on macOS
    else:
        click.echo(f"Pythona dla przycisków nie ustawiono: w {machine.system} nie ma Excela.")
    click.echo("Włącz dodatek w Excelu (jednorazowo):")
    click.echo("  1. Plik → Opcje → Dodatki → na dole „Zarządzaj: Dodatki programu Excel” → "
               "Przejdź…")
    click.echo("  2. Zaznacz „workbook-tools” → OK. Na wstążce pojawi się karta „Projekt EFS”.")
    click.echo("Potem sprawdź ustawienia: workbook-tools excel doctor FOLDER_ZE_SKOROSZYTAMI")


@excel.command("doctor")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--odblokuj", "unblock_files", is_flag=True,
              help="Zdejmij znak „pobrano z internetu” z podanych plików .xlsm/.xlam.")
def excel_doctor(paths: tuple[Path, ...], unblock_files: bool) -> None:
    """Sprawdź wszystko, czego potrzebują przyciski: Pythona, wersje, dodatek, makra,
    znak „z internetu” i prawo zapisu w folderach (PATHS: foldery ze skoroszytami
    i pliki .xlsm; domyślnie bieżący folder)."""
    from . import excel_setup

    machine = excel_setup.this_machine()
    files, folders = [], []
    for path in paths or (Path.cwd(),):
        if path.is_dir():
            folders.append(path)
            files += sorted(p for p in path.glob("*.xls[am]") if is_regular(p))
        elif path.is_file() and path.suffix.lower() in (".xlsm", ".xlam"):
            files.append(path)
        else:
            _fail(f"{display_path(path)}: podaj folder ze skoroszytami albo plik .xlsm/.xlam")
    if unblock_files:
        for path in files:
            if machine.marked(path):
                excel_setup.unblock(path, machine)
                click.echo(f"odblokowano {display_path(path)}")
    found = excel_setup.checks(machine, files, folders)
    for check in found:
        click.echo(f"{check.status:<15} {check.name}: {check.detail}")
        if check.advice:
            click.echo(f"{'':<15} → {check.advice}")
    failed = sum(check.status == excel_setup.ERROR for check in found)
    click.echo(f"Problemy do usunięcia: {failed}" if failed else "Nie znaleziono problemów.")
    sys.exit(1 if failed else 0)


@excel.command("selftest")
def excel_selftest() -> None:
    """Próba na prawdziwym Excelu (Windows, macOS): otwiera nowy skoroszyt z błędami,
    klika przyciski dodatku przez VBA i sprawdza wynik każdego kroku."""
    from . import selftest

    def report(step: Step) -> None:
        click.echo(f"{'PASS' if step.passed else 'FAIL'}  {step.name}: {step.detail}")

    try:
        passed = selftest.run(report)
    except selftest.NotHere as error:
        _fail(str(error))
        return
    click.echo("Wszystkie kroki przeszły." if passed else "Nie wszystkie kroki przeszły.")
    sys.exit(0 if passed else 1)


POLISH_DATE = click.DateTime(formats=["%Y-%m-%d", "%d.%m.%Y"])


@cli.command()
@PATHS
@click.option("--od", "start", type=POLISH_DATE, metavar="DATA",
              help="Początek okresu sprawozdawczego (rrrr-mm-dd albo dd.mm.rrrr); bez niego: "
              "od początku projektu.")
@click.option("--do", "end", type=POLISH_DATE, metavar="DATA",
              help="Koniec okresu sprawozdawczego; bez niego: do ostatnich danych.")
@click.option("--xlsx", "xlsx", type=click.Path(path_type=Path, dir_okay=False),
              metavar="PLIK",
              help="Zapisz tabele i arkusz „Źródła” (które wiersze policzono) do pliku.")
@click.option("--force", is_flag=True, help="Zastąp istniejący plik --xlsx, którego nie "
              "zapisał workbook-tools.")
@click.option("--zrodla", "with_sources", is_flag=True, help="W --format json wypisz przy "
              "każdej komórce policzone wiersze (duże projekty: setki MB).")
@FORMAT
@LANG
@PERSONAL
def zestawienie(paths: tuple[Path, ...], start: dt.datetime | None, end: dt.datetime | None,
                xlsx: Path | None, force: bool, with_sources: bool, fmt: str, lang: str,
                show_personal_data: bool) -> None:
    """Tabele do wniosku o płatność: przepływ uczestników, struktura w chwili
    przystąpienia, formy wsparcia, pomoc materialna, wskaźniki z [wskazniki] w
    projekt.toml i efektywność. Każda liczba ma listę policzonych wierszy (--xlsx).
    Kod wyjścia: 0 policzono, 1 uwagi z błędami przy liczeniu, 2 plik nieczytelny."""
    from .project import resolve

    first = start.date() if start else None
    last = end.date() if end else None
    if first and last and first > last:
        _fail("--od jest późniejsze niż --do", "--od is later than --do")
    resolved = resolve(paths)
    if not resolved.projects:
        named = ", ".join(display_path(p) for p in paths)
        _fail(f"w podanych ścieżkach nie ma skoroszytów (.xlsx, .xlsm, .xls, .xlsb, .ods): "
              f"{named}", f"no workbooks (.xlsx, .xlsm, .xls, .xlsb, .ods) in: {named}")
    if xlsx is not None:
        from .safety import WriteRefused
        from .writes import may_replace

        try:
            may_replace(xlsx, force=force)
        except WriteRefused as refused:
            _fail(refused.reason.pl, refused.reason.en)
    from . import batch
    from .claim import total
    from .claim_output import claim_json, print_claims, write_claims_xlsx
    from .results import INCOMPLETE_CODES
    from .rules import Severity

    found = batch.claims(resolved, first, last)
    claims = [c for _r, c in found if c is not None]
    failed = [i for r, c in found if c is None for i in r.issues]
    grand = total(claims) if len(claims) > 1 else None
    if xlsx is not None:
        from .safety import WriteRefused
        from .writes import save_written

        try:
            save_written(lambda path, stamp: write_claims_xlsx(
                claims, grand, path, show_personal_data, stamp), xlsx)
        except WriteRefused as refused:
            _fail(refused.reason.pl, refused.reason.en)
    if fmt == "json":
        click.echo(claim_json(claims, grand, lang, show_personal_data, with_sources))
    else:
        from rich.console import Console

        from .output import issue_line
        from .polish import severity_label

        console = Console(highlight=False)
        print_claims(claims, grand, console, lang, show_personal_data)
        labels = {s: severity_label(s, lang) for s in Severity}
        for issue in failed:
            console.out(issue_line(issue, labels, lang, show_personal_data), highlight=False)
    issues = [i for c in claims for i in c.issues] + failed
    if any(i.code in INCOMPLETE_CODES for i in issues):
        sys.exit(2)  # a table counted without some workbook is no table to hand in
    sys.exit(1 if any(i.effective_severity is Severity.ERROR for i in issues) else 0)


@cli.command()
@LANG
def rules(lang: str) -> None:
    """Wypisz wszystkie kody reguł z opisem."""
    from rich.console import Console

    from .terminal import print_rules

    print_rules(Console(highlight=False), lang)


def main() -> None:
    from .click_pl import install

    if install():  # click's own messages in Polish, unless --lang en
        _polish_metavars(cli)
    try:
        cli()
    except SystemExit as end:
        if sys.argv[1:2] == ["validate"] and (end.code is None or isinstance(end.code, int)):
            _leave(end.code or 0)
        raise


def _leave(code: int) -> None:
    """End ``validate`` without the interpreter's teardown: freeing every module and
    object of a checked project took 15 ms of a 0.3 s run, for memory the system takes
    back anyway. What was registered for the exit still runs (``atexit``: the worker
    pools' own handler), after the output is flushed; if it cannot be (a closed
    pipe), the usual exit reports it. Only ``validate``: it writes nothing of the
    user's but its ``--report``, written and renamed before this; the commands that
    write workbooks end the usual way."""
    import atexit
    import os

    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    atexit._run_exitfuncs()
    os._exit(code)


def _polish_metavars(command: click.Command) -> None:
    """"[OPCJE]", "POLECENIE [ARGUMENTY]...", "ŚCIEŻKA..." in the usage lines."""
    command.options_metavar = "[OPCJE]"
    for param in command.params:
        if isinstance(param, click.Argument) and param.name == "paths":
            param.metavar = "ŚCIEŻKA..."
        elif isinstance(param, click.Argument) and param.name == "kind":
            param.metavar = "[RODZAJ]"
    if isinstance(command, click.Group):
        command.subcommand_metavar = "POLECENIE [ARGUMENTY]..."
        for sub in command.commands.values():
            _polish_metavars(sub)
