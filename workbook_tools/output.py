"""Where issues leave the engine for a person or a program: terminal listing and JSON.

Both render from the same :class:`~workbook_tools.issues.Issue` objects; PESEL is masked
in both unless ``show_personal`` is set. The JSON layout is versioned
(``schema_version``) because coordinators feed it into their own tools.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import __version__
from .issues import Issue, count, ordered, shown
from .polish import plural, plural_pl
from .project import display_path
from .results import FileResult, RunResult
from .rules import Severity

JSON_SCHEMA_VERSION = 2

def summary(result: RunResult) -> dict[str, int]:
    totals = count(result.issues)
    files = result.files
    return {
        "files": len(files),
        "unreadable": sum(1 for f in files if f.unreadable),
        "skipped": len(result.skipped),
        "sheets": sum(len(f.info) for f in files),
        "rows": sum(s.rows for f in files for s in f.info),
        "errors": totals["error"],
        "warnings": totals["warning"],
        "infos": totals["info"],
        "exit_code": result.exit_code,
    }


@dataclass(frozen=True)
class ProjectLine:
    """One project in the coordinator's summary."""

    folder: str
    files: int
    unreadable: int
    errors: int
    warnings: int
    infos: int
    #: the project's projekt.toml could not be used (not a file that could not be read)
    settings_error: bool = False

    @property
    def status(self) -> str:
        if self.unreadable or self.settings_error:
            return "unreadable"
        if self.errors:
            return "errors"
        return "warnings" if self.warnings else "ok"


STATUS_PL = {"unreadable": "nieczytelne pliki", "errors": "błędy", "warnings": "ostrzeżenia",
             "ok": "OK"}


def project_lines(result: RunResult) -> list[ProjectLine]:
    lines = []
    for project in result.projects:
        totals = count(project.all_issues)
        lines.append(ProjectLine(display_path(project.folder), len(project.files),
                                 sum(1 for f in project.files if f.unreadable),
                                 totals["error"], totals["warning"], totals["info"],
                                 any(i.code == "F004" for i in project.issues)))
    return lines


def _json_cell(value: Any, show_personal: bool) -> Any:
    from . import summary as summary_mod  # only the tables' cells need it

    value = summary_mod.to_json(value)
    return shown(value, show_personal) if isinstance(value, str) else value


def tables_json(result: RunResult, lang: str = "pl", show_personal: bool = False
                ) -> list[dict[str, Any]]:
    en = lang == "en"
    return [
        {"project": shown(display_path(project.folder), show_personal),
         "title": t.title_en if en else t.title,
         "columns": t.columns_en if en else t.columns,
         "rows": [[_json_cell(v, show_personal) for v in row] for row in t.rows]}
        for project in result.projects for t in project.summaries()
    ]


def to_json(result: RunResult, lang: str = "pl", show_personal: bool = False,
            with_tables: bool = False) -> str:
    issues = [
        {
            "file": shown(i.file, show_personal),
            "sheet": None if i.sheet is None else shown(i.sheet, show_personal),
            "cell": i.cell, "row": i.row, "code": i.code,
            "severity": i.effective_severity.value, "level": i.level,
            "message": i.message(lang, show_personal), "value": i.shown_value(show_personal),
        }
        for i in ordered(result.issues)
    ]
    files: list[dict[str, Any]] = [
        {
            "file": shown(f.display, show_personal),
            "status": "unreadable" if f.unreadable else "read",
            "sheets": [{"sheet": shown(s.sheet, show_personal), "kind": s.kind,
                        "rows": s.rows} for s in f.info],
        }
        for f in result.files
    ]
    document = {
        "schema_version": JSON_SCHEMA_VERSION,
        "tool": f"workbook-tools {__version__}",
        "issues": issues,
        "files": files,
        "projects": [{"project": shown(line.folder, show_personal), "files": line.files,
                      "unreadable": line.unreadable, "errors": line.errors,
                      "warnings": line.warnings, "infos": line.infos, "status": line.status,
                      "unchecked": [en if lang == "en" else pl
                                    for pl, en in project.unchecked]}
                     for line, project in zip(project_lines(result), result.projects,
                                              strict=True)],
        "summary": summary(result),
    }
    if with_tables:
        document["tables"] = tables_json(result, lang, show_personal)
    return _dumps(document)


def unchecked_lines(result: RunResult, lang: str = "pl", show_personal: bool = False
                    ) -> list[str]:
    """Once per project: the checks its settings did not allow (no projekt.toml, no
    period, no budget programme), so that silence is not taken for a pass."""
    lines = []
    for project in result.projects:
        if not project.unchecked:
            continue
        where = shown(display_path(project.folder), show_personal)
        if lang == "en":
            lines.append(f"Info: {where}: not checked for lack of settings in projekt.toml: "
                         + "; ".join(en for _, en in project.unchecked) + ".")
        else:
            lines.append(f"Informacja: {where}: bez ustawień w projekt.toml nie sprawdzono: "
                         + "; ".join(pl for pl, _ in project.unchecked) + ".")
    return lines


def summary_line(result: RunResult, lang: str = "pl") -> str:
    s = summary(result)
    if lang == "en":
        text = (f"Checked {plural(s['files'], 'file', 'files', lang='en')}, "
                f"{plural(s['rows'], 'row', 'rows', lang='en')}: "
                f"{plural(s['errors'], 'error', 'errors', lang='en')}, "
                f"{plural(s['warnings'], 'warning', 'warnings', lang='en')}, "
                f"{plural(s['infos'], 'info message', 'info messages', lang='en')}.")
        if s["unreadable"]:
            text += f" Unreadable files: {s['unreadable']}."
        if s["skipped"]:
            text += (f" Skipped: {s['skipped']} (not workbooks, Excel lock files, fill "
                     "results).")
        return text
    text = (f"Sprawdzono {plural_pl(s['files'], 'plik', 'pliki', 'plików')}, "
            f"{plural_pl(s['rows'], 'wiersz', 'wiersze', 'wierszy')}: "
            f"{plural_pl(s['errors'], 'błąd', 'błędy', 'błędów')}, "
            f"{plural_pl(s['warnings'], 'ostrzeżenie', 'ostrzeżenia', 'ostrzeżeń')}, "
            f"{plural_pl(s['infos'], 'informacja', 'informacje', 'informacji')}.")
    if s["unreadable"]:
        text += f" Nieczytelne pliki: {s['unreadable']}."
    if s["skipped"]:
        text += (f" Pominięto plików: {s['skipped']} (nie skoroszyty, pliki blokady ~$, "
                 "wyniki fill).")
    return text


# --- explain ---------------------------------------------------------------------------

def _sheet_issues(result: RunResult, checked: FileResult) -> dict[str | None, list[Issue]]:
    """Issues about a file and its sheets as wholes, by sheet: those at no cell, and
    every one of a sheet that was not read (why it was skipped may point at a cell: S008
    at the garbled header)."""
    read = {info.sheet for info in checked.info if info.layout is not None}
    found: dict[str | None, list[Issue]] = {}
    for project in result.projects:
        for issue in project.all_issues:
            if issue.file == checked.display and (
                    issue.cell is None or (issue.sheet is not None and issue.sheet not in read)):
                found.setdefault(issue.sheet, []).append(issue)
    return found


def explain_lines(result: RunResult, lang: str = "pl", show_personal: bool = False
                  ) -> list[str]:
    """What was understood of each sheet of each file (``workbook-tools explain``)."""
    from .explain import describe
    from .kinds import KINDS

    en = lang == "en"
    lines: list[str] = []
    for checked in result.files:
        lines.append(shown(checked.display, show_personal))
        issues = _sheet_issues(result, checked)
        for issue in issues.get(None, []):
            lines.append(f"  [{issue.code}] {issue.message(lang, show_personal)}")
        layouts = {info.sheet: info for info in checked.info}
        for sheet in checked.sheet_names:
            lines.append(f" {'sheet' if en else 'arkusz'} „{shown(sheet, show_personal)}”")
            info = layouts.get(sheet)
            if info is not None and info.layout is not None:
                kind = KINDS[info.kind]
                label = kind.label_en if en else kind.label
                lines += [shown(line, show_personal)
                          for line in describe(info.layout, label, lang)]
            elif not issues.get(sheet):
                lines.append("  " + ("not read (a sheet of the tool, or skipped by "
                                     "projekt.toml)" if en else
                                     "nie czytany (arkusz narzędzia albo pominięty wg "
                                     "projekt.toml)"))
            for issue in issues.get(sheet, []):
                lines.append(f"  [{issue.code}] {issue.message(lang, show_personal)}")
    return lines


def explain_json(result: RunResult, lang: str = "pl", show_personal: bool = False) -> str:
    from .explain import to_dict

    files = []
    for checked in result.files:
        issues = _sheet_issues(result, checked)
        layouts = {info.sheet: info for info in checked.info}
        sheets = []
        for sheet in checked.sheet_names:
            info = layouts.get(sheet)
            layout = to_dict(info.layout) if info and info.layout else None
            if layout is not None and not show_personal:
                layout["title"] = [shown(t) for t in layout["title"]]
                for column in layout["columns"]:
                    column["header"] = shown(column["header"])
            sheets.append({
                "sheet": shown(sheet, show_personal), "layout": layout,
                "issues": [{"code": i.code, "message": i.message(lang, show_personal)}
                           for i in issues.get(sheet, [])]})
        files.append({"file": shown(checked.display, show_personal), "sheets": sheets,
                      "issues": [{"code": i.code, "message": i.message(lang, show_personal)}
                                 for i in issues.get(None, [])]})
    return _dumps({"schema_version": JSON_SCHEMA_VERSION,
                   "tool": f"workbook-tools {__version__}", "files": files})


def _dumps(document: dict[str, Any]) -> str:
    """A JSON document as printed (json is imported here: a text run, what staff and
    a button see, does without its 2 ms)."""
    import json

    return json.dumps(document, ensure_ascii=False, indent=2)


def issue_line(issue: Issue, labels: dict[Severity, str], lang: str = "pl",
               show_personal: bool = False) -> str:
    """``plik:arkusz!komórka: KOD waga komunikat`` — one line, whatever the message."""
    place = shown(issue.file, show_personal)
    if issue.sheet:
        place += f":{shown(issue.sheet, show_personal)}"
        if issue.cell:
            place += f"!{issue.cell}"
    message = " ".join(issue.message(lang, show_personal).split())
    return f"{place}: {issue.code} {labels[issue.effective_severity]} {message}"
