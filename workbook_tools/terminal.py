"""The terminal: rich tables for a person at a terminal, one line per issue for a pipe.

Kept apart from :mod:`workbook_tools.output` (JSON, counts, explain) so that a run whose
output is JSON, and every Excel button click, does not import rich.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from . import summary as summary_mod
from .issues import Issue, ordered, shown
from .output import STATUS_PL, issue_line, project_lines, summary_line, unchecked_lines
from .polish import severity_label
from .project import display_path
from .results import RunResult
from .rules import RULES, Severity

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def plain(text: Any, show_personal: bool = False) -> Text:
    """A rich ``Text`` that is never parsed as markup ("[/]" in a cell stays "[/]")."""
    return Text(shown(text, show_personal))


def print_projects(result: RunResult, console: Console, lang: str = "pl",
                   show_personal: bool = False) -> None:
    """Per project: files, errors, warnings, status; then the totals."""
    en = lang == "en"
    table = RichTable(title="Projects" if en else "Projekty", title_justify="left")
    for name in (("Project", "Files", "Errors", "Warnings", "Info", "Status") if en else
                 ("Projekt", "Pliki", "Błędy", "Ostrzeżenia", "Informacje", "Stan")):
        table.add_column(name, justify="left" if name in ("Project", "Projekt", "Status", "Stan")
                         else "right", overflow="fold")
    lines = project_lines(result)
    for line in lines:
        status = line.status if en else STATUS_PL[line.status]
        table.add_row(plain(line.folder, show_personal), str(line.files), str(line.errors),
                      str(line.warnings), str(line.infos),
                      Text(status, style=_STATUS_STYLE[line.status]))
    table.add_row("Total" if en else "Razem", str(sum(x.files for x in lines)),
                  str(sum(x.errors for x in lines)), str(sum(x.warnings for x in lines)),
                  str(sum(x.infos for x in lines)), "", style="bold")
    console.print(table)


_STATUS_STYLE = {"unreadable": "bold red", "errors": "red", "warnings": "yellow", "ok": "green"}


def print_terminal(result: RunResult, console: Console, lang: str = "pl",
                   show_personal: bool = False) -> None:
    issues = ordered(result.issues)
    labels = {s: severity_label(s, lang) for s in Severity}
    if not console.is_terminal:  # piped: one issue per line, for grep and friends
        for issue in issues:
            console.out(issue_line(issue, labels, lang, show_personal), highlight=False)
        for line in unchecked_lines(result, lang, show_personal):
            console.out(line, highlight=False)
        console.out(summary_line(result, lang), highlight=False)
        return
    groups: dict[tuple[str, str | None], list[Issue]] = {}
    for issue in issues:
        groups.setdefault((issue.file, issue.sheet), []).append(issue)
    current_file = None
    for (file, sheet), group in groups.items():
        if file != current_file:
            console.print(Text(shown(file, show_personal), style="bold underline"))
            current_file = file
        title = (Text(f"  {'arkusz' if lang != 'en' else 'sheet'} „{shown(sheet, show_personal)}”")
                 if sheet else None)
        table = RichTable(title=title, title_justify="left", show_edge=False, pad_edge=False,
                          box=None, show_header=False)
        table.add_column(no_wrap=True, min_width=6)
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(overflow="fold")
        for issue in group:
            severity = issue.effective_severity
            table.add_row(f"  {issue.cell or ''}", issue.code,
                          Text(labels[severity], style=_STYLE[severity]),
                          plain(issue.message(lang, show_personal), show_personal))
        console.print(table)
    for line in unchecked_lines(result, lang, show_personal):
        console.print(plain(line))
    console.print(summary_line(result, lang))


def print_summaries(result: RunResult, console: Console, lang: str = "pl",
                    show_personal: bool = False) -> None:
    """The computed tables (``validate --summary``), one block per project."""
    en = lang == "en"
    for project in result.projects:
        for t in project.summaries():
            table = RichTable(title=plain(f"{display_path(project.folder)}: "
                                          f"{t.title_en if en else t.title}", show_personal),
                              title_justify="left")
            first = t.rows[0] if t.rows else []
            for index, name in enumerate(t.columns_en if en else t.columns):
                text = index < len(first) and isinstance(first[index], str)
                table.add_column(name, justify="left" if text else "right",
                                 overflow="fold", min_width=6)
            for row in t.rows:
                table.add_row(*(plain(summary_mod.show(v), show_personal) for v in row))
            console.print(table)


def print_rules(console: Console, lang: str = "pl") -> None:
    table = RichTable(show_edge=False, box=None)
    en = lang == "en"
    table.add_column("code" if en else "kod", no_wrap=True)
    table.add_column("severity" if en else "waga", no_wrap=True)
    table.add_column("level" if en else "poziom", no_wrap=True)
    table.add_column("fix" if en else "poprawka", no_wrap=True)
    table.add_column("description" if en else "opis", overflow="fold")
    levels = {"file": "plik", "sheet": "arkusz", "row": "wiersz", "cell": "komórka"}
    for rule in RULES.values():
        table.add_row(rule.code, severity_label(rule.severity, lang),
                      rule.level.value if en else levels[rule.level.value],
                      ("yes" if en else "tak") if rule.fix else "",
                      rule.doc_en if en else rule.doc)
    console.print(table)


