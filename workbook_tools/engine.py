"""The engine every door calls: paths in, located issues out.

``validate_paths`` groups the given files and folders into projects (a folder and its
``projekt.toml``), reads each workbook sheet by sheet into typed records, runs the checks
of each sheet's kind, then the checks across the project's sheets. One file's failure is
an issue for that file; the others are still validated.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .checks import ProjectData, SheetContext, SheetData
from .explain import layout
from .issues import Issue
from .kinds import KINDS
from .mojibake import NAMES, likely_misreadings, unreadable_text
from .names import PANEL_SHEET, PANEL_TITLE, SETTINGS_FILE
from .project import Resolved, display_path, is_regular, resolve
from .rawsheet import RawSheet
from .read import column_letter, iter_sheets, uncached_formula_cells
from .record import is_report
from .record import parse as parse_record
from .results import FileResult, ProjectResult, RunResult, SheetInfo, present, problem_project
from .rules import Bilingual, Severity
from .schema import Kind
from .settings import (
    ProjectSettings,
    SettingsError,
    load_settings,
    settings_name,
)
from .table import (
    MAX_HEADER_SCAN,
    Header,
    Mapping,
    build_table,
    find_header,
    parse_records,
    parse_totals,
)
from .unreadable import not_a_file, read_failure

#: The name ``[arkusze]`` takes for each kind (the first Polish one).
SETTINGS_NAME = {kind: settings_name(kind) for kind in KINDS}

def validate_paths(paths: Sequence[Path], resolved: Resolved | None = None) -> RunResult:
    """Validate in this process, project after project (see :mod:`workbook_tools.batch`
    for the same with every file contained in a worker process under limits).
    ``resolved`` is what :func:`~workbook_tools.project.resolve` already found."""
    resolved = resolved or resolve(paths)
    result = RunResult(skipped=resolved.skipped)
    for project in resolved.projects:
        result.projects.append(validate_project(project.folder, project.files, project.root,
                                                targets=project.targets))
    problems = problem_project(resolved)
    if problems is not None:
        result.projects.append(problems)
    return result


def validate_project(folder: Path, files: Sequence[Path], root: dict[str, Any] | None = None,
                     failed: dict[Path, Issue] | None = None,
                     on_file: Callable[[Path], None] | None = None,
                     live: dict[Path, Sequence[RawSheet]] | None = None,
                     settings: ProjectSettings | None = None,
                     targets: set[Path] | None = None) -> ProjectResult:
    """One project: its files, then the checks across them, then ``wybierz``/``ignoruj``/
    ``waga``. ``failed`` files are not read: they carry the issue given (a reader that
    hung or crashed in a worker); ``on_file`` is told before each file is read; ``live``
    gives the sheets of files open in Excel (read there, not from disk); ``targets``
    are the files whose issues are reported (the others are read for the checks across
    the project)."""
    try:
        settings = settings or load_settings(folder, root)
    except SettingsError as error:
        project = ProjectResult(folder, ProjectSettings())
        project.issues.append(Issue("F004", display_path(folder / SETTINGS_FILE),
                                    params={"detail": Bilingual(error.pl, error.en)}))
        return project
    with quiet_gc():
        project = _validate_project(folder, files, settings, failed, on_file, live)
    project.unread = [(f.display, code) for f in project.files if (code := f.not_read)]
    if targets is not None:
        shown = {display_path(path) for path in targets}
        project.files = [f for f in project.files if f.path in targets]
        project.issues = [i for i in project.issues if i.file in shown
                          or i.file == display_path(folder / SETTINGS_FILE)]
        if project.files:
            project.issues += configured(_unread_siblings(project.files[0], project.unread,
                                                          shown), settings)
    return project


def _unread_siblings(target: FileResult, unread: list[tuple[str, str]], shown: set[str]
                     ) -> list[Issue]:
    """F008 at the file asked about, for each other workbook of its project that could
    not be read: that file's own issue is not reported (it was not asked about), and
    without a word the checks across workbooks that left it out (a person on the
    attendance list but not on the participant list) would pass for done."""
    return [Issue("F008", target.display, params={"other": other, "code": code})
            for other, code in unread if other not in shown]


def _validate_project(folder: Path, files: Sequence[Path], settings: ProjectSettings,
                      failed: dict[Path, Issue] | None,
                      on_file: Callable[[Path], None] | None,
                      live: dict[Path, Sequence[RawSheet]] | None) -> ProjectResult:
    data = ProjectData(settings)
    project = ProjectResult(folder, settings, data=data)
    for path in files:
        if settings.skips_file(path.name):
            # not read, and whatever a worker made of it (a read ahead that failed) is
            # no concern of the project's
            project.files.append(FileResult(path, display_path(path)))
            continue
        if failed and path in failed:
            project.files.append(FileResult(path, display_path(path), [failed[path]]))
            continue
        if on_file is not None:
            on_file(path)
        checked = validate_file(path, settings, (live or {}).get(path))
        project.files.append(checked)
        for sheet in checked.sheets:
            data.sheets.setdefault(sheet.ctx.table.kind.name, []).append(sheet)
    for check in present(data, "project_checks"):
        project.issues.extend(check(data))
    project.unchecked = _skipped_for_settings(data)
    for checked in project.files:
        checked.issues = configured(checked.issues, settings)
    project.issues = configured(project.issues, settings)
    return project


def _skipped_for_settings(data: ProjectData) -> list[tuple[str, str]]:
    """The checks the project's sheets call for but its settings do not allow: said
    once, so that a missing projekt.toml is not taken for a clean bill of health."""
    settings = data.settings
    present = {kind.name for kind in KINDS.values() if data.of_kind(kind)}
    skipped = []
    if "budget" in present and settings.budget.limit("min_own_share") is None:
        skipped.append(("limity budżetu (minimalny wkład własny, cross-financing, środki "
                        "trwałe, koszty pośrednie) — brak [budzet] program",
                        "the budget's limits (minimum own contribution, cross-financing, "
                        "fixed assets, indirect costs): no [budzet] program"))
    if present & {"participants", "contracts", "payments"} and not (settings.start
                                                                    or settings.end):
        skipped.append(("daty w okresie realizacji projektu — brak poczatek/koniec",
                        "dates within the project period: no poczatek/koniec"))
    if "participants" in present and not settings.plan:
        skipped.append(("liczba uczestników wobec planu — brak [plan_uczestnikow]",
                        "participants against the plan: no [plan_uczestnikow]"))
    return skipped


@contextlib.contextmanager
def quiet_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector. Records, cells and openpyxl's objects hold no
    cycles worth collecting, and the collector scanning hundreds of thousands of them
    again and again costs 10-15 % of a run."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def configured(issues: list[Issue], settings: ProjectSettings) -> list[Issue]:
    """Issues as the project wants them: rules not selected or ignored left out, severity
    overrides applied."""
    if not (settings.select or settings.ignore or settings.severity):
        return issues
    kept = []
    for issue in issues:
        if not settings.applies(issue.code):
            continue
        level = settings.severity_of(issue.code)
        kept.append(dataclasses.replace(issue, severity=Severity(level)) if level else issue)
    return kept


def validate_file(path: Path, settings: ProjectSettings,
                  sheets: Sequence[RawSheet] | None = None) -> FileResult:
    """One workbook, read from disk, or from ``sheets`` already read (a workbook open in
    Excel, read through xlwings)."""
    result = FileResult(path, display_path(path))
    if sheets is None and not is_regular(path):
        result.issues.append(not_a_file(result.display, path))
        return result
    try:
        for raw in iter_sheets(path) if sheets is None else sheets:
            result.sheet_names.append(raw.name)
            result.issues.extend(_validate_sheet(result, raw, settings))
        result.issues.extend(_unused_columns(result, settings))
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as error:  # the per-file boundary: one file never stops the run;
        # native code (calamine) raises PanicException, a BaseException
        result.sheets.clear()  # half a workbook's records would mislead the project checks
        result.info.clear()
        result.issues[:] = [read_failure(result.display, path, error)]
    return result


def _unused_columns(result: FileResult, settings: ProjectSettings) -> list[Issue]:
    """``[kolumny]`` keys for this file that named no column (a typo, a renamed header,
    a sheet that is not there): F004, naming the key."""
    issues = []
    name = result.path.name
    targets = [name, *(f"{name}:{sheet}" for sheet in result.sheet_names)]
    targets += [t for t in settings.columns if t.startswith(f"{name}:") and t not in targets]
    for target in targets:
        sheet = target.partition(":")[2]
        for key in settings.columns.get(target, {}):
            where = f'kolumny."{target}"."{key}"'
            if where in result.used_keys:
                continue
            if sheet and sheet not in result.sheet_names:
                pl = f"{where}: w pliku nie ma arkusza „{sheet}”"
                en = f"{where}: the file has no sheet '{sheet}'"
            else:
                pl = f"{where}: nie ma takiej kolumny w nagłówku " + (
                    f"arkusza „{sheet}”" if sheet else "żadnego arkusza pliku")
                en = f"{where}: no such column in the header of " + (
                    f"sheet '{sheet}'" if sheet else "any sheet of the file")
            issues.append(Issue("F004", result.display, sheet=sheet or None,
                                params={"detail": Bilingual(pl, en)}))
    return issues


#: head cells (rows x columns) past which a sheet is not asked about misread letters:
#: 30 rows of 300 columns, three times the widest central-system export
MISREAD_CELLS = MAX_HEADER_SCAN * 300


def _misread(display: str, raw: RawSheet, forced: Kind | None, mapping: Mapping | None,
             checked: Header | None = None) -> Issue | None:
    """S008 in place of S002, S003 or S005: the header rows, with Polish letters read in
    one encoding undone into another (:mod:`workbook_tools.mojibake`), are a complete
    header of a known kind; said at the first header cell that changed. S009: letters
    lost for good (U+FFFD, a file read as UTF-8 that was not). S010, for a sheet
    ``checked`` without some of its columns: repaired, the same kind reads more of
    them; said at the first of those. Repaired into a better header of another kind,
    a ``checked`` sheet was read as the wrong kind altogether: S008, and it is skipped
    (a participant list whose garbled names left "Lp." and "PESEL" over a date looked
    like an attendance grid). Asked only of a sheet that would be skipped, or
    that has unknown columns with letters outside ASCII, so it costs nothing on the
    common one."""
    scan = raw.rows[:MAX_HEADER_SCAN]
    if sum(map(len, scan)) > MISREAD_CELLS:
        return None  # no export is that wide; finding a header in it again costs seconds
    for written, read, rows in likely_misreadings(scan):
        header = find_header(RawSheet(raw.name, rows, raw.first_row, raw.first_col,
                                      raw.visible), KINDS.values(), forced, mapping)
        if header is None or header.kind.missing_required(set(header.columns)):
            continue
        gained = set(header.columns.values())
        code = "S008"
        if checked is not None and header.kind is checked.kind:
            if len(header.columns) <= len(checked.columns):
                continue
            gained -= set(checked.columns.values())
            code = "S010"
        elif checked is not None and header.score <= checked.score:
            continue  # another kind, and no better: the sheet is what it was read as
        for offset in range(header.first, header.last + 1):
            for index, (seen, meant) in enumerate(zip(raw.rows[offset], rows[offset],
                                                      strict=True)):
                if seen != meant and index in gained:
                    return _head_issue(code, display, raw, offset, index, seen=seen,
                                       meant=meant, written=NAMES[written],
                                       read=NAMES[read])
    lost = unreadable_text(raw.rows) if checked is None else None
    if lost is not None:
        offset, index, seen = lost
        return _head_issue("S009", display, raw, offset, index, seen=seen)
    return None


def _head_issue(code: str, display: str, raw: RawSheet, offset: int, index: int,
                **params: Any) -> Issue:
    """An issue at a cell of the head rows (``raw.rows[offset][index]``)."""
    row = raw.first_row + offset + 1
    return Issue(code, display, sheet=raw.name, row=row,
                 cell=f"{column_letter(raw.first_col + index + 1)}{row}", params=params)


def is_ours(raw: RawSheet) -> bool:
    """A sheet the tool added: the undo record (marker in A1), the report (its header),
    or the buttons' panel of our templates. Never recognised by the name alone."""
    if not raw.rows:
        return False
    if not raw.visible and parse_record(raw.name, raw.rows[:1]) is not None:
        return True
    return is_report(raw.rows) or _our_panel(raw)


def _our_panel(raw: RawSheet) -> bool:
    """The "Panel" sheet of buttons in our macro-enabled templates."""
    return (raw.name == PANEL_SHEET and bool(raw.rows) and bool(raw.rows[0])
            and str(raw.rows[0][0]).startswith(PANEL_TITLE))


def _validate_sheet(result: FileResult, raw: RawSheet, settings: ProjectSettings
                    ) -> list[Issue]:
    display = result.display
    if is_ours(raw):
        return []
    if raw.oversized is not None:
        last_row, last_column = raw.oversized
        return [Issue("S006", display, sheet=raw.name, params={
            "cell": f"{column_letter(last_column)}{last_row}",
            "cells": f"{last_row * last_column:,}".replace(",", " ")})]
    if not raw.rows:
        return [Issue("S001", display, sheet=raw.name)]
    forced_name = settings.kind_override(result.path.name, raw.name)
    if forced_name == "skip":
        return []
    forced = KINDS[forced_name] if forced_name else None
    entries = settings.column_map(result.path.name, raw.name)
    mapping = Mapping.of(entries) if entries else None
    header = find_header(raw, KINDS.values(), forced, mapping)
    target = f"{result.path.name}:{raw.name}"
    if header is None:
        if misread := _misread(display, raw, forced, mapping):
            return [misread]
        if forced is not None:
            return [Issue("S005", display, sheet=raw.name, params={"kind": forced.label})]
        return [Issue("S002", display, sheet=raw.name, params={"rows": MAX_HEADER_SCAN,
                                                         "target": target})]
    result.used_keys |= header.used
    kind = header.kind
    issues: list[Issue] = []
    missing = kind.missing_required(set(header.columns))
    if missing:
        if misread := _misread(display, raw, forced, mapping):
            return [misread]
        return [Issue("S003", display, sheet=raw.name, params={"column": name, "kind": kind.label,
                                                         "target": target})
                for name in missing]
    if any(not text.isascii() for text in header.extra.values()) and (
            misread := _misread(display, raw, forced, mapping, header)):
        if misread.code == "S008":
            return [misread]  # read as the wrong kind: not checked at all
        issues.append(misread)  # the sheet is checked, without those columns
    if header.runner_up is not None:
        issues.append(Issue("S007", display, sheet=raw.name, params={
            "kind": kind.label, "other": header.runner_up[0].label, "target": target,
            "name": SETTINGS_NAME[kind.name]}))
    table = build_table(display, raw, header, result.path)
    for name, first, index, text in header.duplicates:
        if index in header.empty:
            continue  # a block of another kind of participant (SL2014): see explain
        issues.append(Issue("S004", display, sheet=raw.name, cell=table.header_cell(index),
                            row=table.header_top, params={
            "cell": table.header_cell(index), "header": text, "column": header.texts[name],
            "first": table.header_cell(first)}))
    records, parse_issues = parse_records(table, settings.month_first)
    table.rows = []  # the records hold what is needed; let the raw cells go
    issues.extend(parse_issues)
    totals, totals_issues = parse_totals(table) if kind.totals_row else (None, [])
    issues.extend(totals_issues)
    subtotals = []
    for line in table.subtotals:
        if table.totals is None or line[0] != table.totals[0]:
            subtotal, subtotal_issues = parse_totals(table, line)
            subtotals.append(subtotal)
            issues.extend(subtotal_issues)
    uncached = uncached_formula_cells(result.path, raw.name) if kind.formulas else set()
    ctx = SheetContext(table, settings, totals, uncached, subtotals)
    for check in kind.checks:
        issues.extend(check(ctx, records))
    result.sheets.append(SheetData(ctx, records))
    result.info.append(SheetInfo(raw.name, kind.name, len(records),
                                 layout(table, header, mapping, forced is not None, records)))
    return issues
