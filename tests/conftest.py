"""Shared helpers: build workbooks, have LibreOffice rewrite them, run the CLI."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from openpyxl import Workbook

from workbook_tools.cli import cli
from workbook_tools.sample import libreoffice_convert, soffice

# xlwings' remote engine (the Excel door's tests) runs under its non-commercial licence.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")


def needs_libreoffice() -> None:
    """Skip without LibreOffice on a developer's machine; fail in CI, where it must be."""
    if soffice() is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI; .ci/run installs it")
        pytest.skip("LibreOffice (soffice) not installed")


@pytest.fixture
def libreoffice() -> Callable[[Sequence[Path], str, Path], list[Path]]:
    needs_libreoffice()
    return libreoffice_convert


def write_rows(path: Path, rows: Sequence[Sequence[Any]], sheet: str = "Lista",
               merges: Sequence[str] = (), extra_sheets: dict[str, Sequence[Sequence[Any]]] | None
               = None) -> Path:
    """A workbook from literal rows (None = empty cell), written by openpyxl."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    for row in rows:
        ws.append(list(row))
    for area in merges:
        ws.merge_cells(area)
    for name, more in (extra_sheets or {}).items():
        other = book.create_sheet(name)
        for row in more:
            other.append(list(row))
    book.save(path)
    return path


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def run_json(*paths: str | Path, extra: Sequence[str] = ()) -> tuple[int, dict[str, Any]]:
    result = run("validate", "--format", "json", *extra, *paths)
    return result.exit_code, json.loads(result.output)


def found(document: dict[str, Any]) -> list[tuple[str, str | None, str]]:
    """(code, cell, sheet) of every issue, in output order."""
    return [(i["code"], i["cell"], i["sheet"]) for i in document["issues"]]
