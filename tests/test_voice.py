"""One voice: every class of error a user can meet, in Polish by default and in English
with --lang en — no library text, no Python names, no fragment of the other language."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from workbook_tools import click_pl

from .conftest import run, write_rows
from .people import ANNA

ENGLISH = re.compile(r"\b(Error|Usage|Missing|No such|Invalid|Expected|Input should|not found|"
                     r"Traceback|Try '|file\(s\)|Show this|Options)\b")
POLISH = re.compile(r"[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]|\b(Błąd|Brak|nie|plik|klucz|wiersz)\b")


def tool(*args: str | Path, cwd: Path) -> str:
    done = subprocess.run([sys.executable, "-m", "workbook_tools", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, check=False)
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout + done.stderr


def cases(tmp_path: Path) -> dict[str, list[str | Path]]:
    good = tmp_path / "ok"
    good.mkdir()
    write_rows(good / "lista.xlsx", [["Imie", "Nazwisko", "PESEL"], ["Anna", "Nowak", ANNA]])
    folders = {}
    for name, settings in {"date": "koniec = 31.12.2009\n", "comma": "wiek_min = 15,5\n",
                           "integer": 'wiek_max = "64 lata"\n',
                           "order": "wiek_min = 70\nwiek_max = 60\n",
                           "code": 'ignoruj = ["P999"]\n'}.items():
        folder = tmp_path / name
        folder.mkdir()
        write_rows(folder / "lista.xlsx", [["Imie", "Nazwisko", "PESEL"]])
        (folder / "projekt.toml").write_text(settings, encoding="utf-8")
        folders[name] = folder
    damaged = tmp_path / "zepsute"
    damaged.mkdir()
    (damaged / "a.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with zipfile.ZipFile(damaged / "b.ods", "w") as archive:
        archive.writestr("content.xml", "<x/>")  # no 'mimetype': LibreOffice's own word
    return {
        "no such option": ["validate", "--formt", "json", good],
        "missing argument": ["validate"],
        "bad value": ["validate", "--jobs", "0", good],
        "no such command": ["walidacja", good],
        "missing path": ["validate", tmp_path / "missing"],
        **{f"settings {name}": ["validate", folder] for name, folder in folders.items()},
        "damaged files": ["validate", damaged],
        "fill on nothing": ["fill", tmp_path / "nothing-here"],
    }


def test_every_error_is_polish_by_default(tmp_path):
    for name, args in cases(tmp_path).items():
        text = tool(*args, cwd=tmp_path)
        found = ENGLISH.search(text.replace(str(tmp_path), ""))
        assert found is None, (name, found.group(0) if found else "", text)
        assert POLISH.search(text), (name, text)


def test_every_error_is_english_with_lang_en(tmp_path):
    for name, args in cases(tmp_path).items():
        if not args or name in ("missing argument",):
            args = [*args, "--lang", "en"]
        else:
            args = [args[0], "--lang", "en", *args[1:]]
        text = tool(*args, cwd=tmp_path).replace(str(tmp_path), "")
        found = POLISH.search(text)
        assert found is None, (name, found.group(0) if found else "", text)


@pytest.mark.parametrize("module", ["core", "decorators", "exceptions", "formatting",
                                    "parser", "termui", "types"])
def test_the_catalogue_covers_every_message_the_installed_click_shows(module):
    """A click release with new user-facing words fails here, not in front of a user."""
    import ast
    import importlib

    source = Path(importlib.import_module(f"click.{module}").__file__).read_text()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in ("_", "ngettext"):
            ids = tuple(a.value for a in node.args if isinstance(a, ast.Constant)
                        and isinstance(a.value, str))
            if not ids or ids[0] in click_pl.DEVELOPER_ONLY:
                continue
            known = ids[0] in click_pl.MESSAGES if len(ids) == 1 else ids in click_pl.PLURALS
            assert known, (module, ids)


def test_amounts_and_shares_are_written_in_the_message_language(tmp_path):
    """Messages carry amounts and shares as numbers; each language writes its own."""
    example = Path(__file__).parent.parent / "workbooks" / "przyklad"
    english = tool("validate", "--lang", "en", example, cwd=tmp_path)
    polish = tool("validate", example, cwd=tmp_path)
    assert "Executed PLN 168,000.00 exceeds the plan PLN 150,000.00 by 12%" in english
    assert " zł" not in english
    assert "Wykonanie 168 000,00 zł przekracza plan 150 000,00 zł o 12 %" in polish


def test_names_are_personal_data_masked_in_every_output_unless_asked(tmp_path):
    """The example's lists name people in issues, summaries and the claim: by default
    only their initials are shown, as the PESEL only its birth date."""
    example = Path(__file__).parent.parent / "workbooks" / "przyklad"
    outputs = {  # a contract holder and a KIS attendee not on the list; a claim issue
        "validate json": (run("validate", "--format", "json", "--summary", example).output,
                          "Zielińska Barbara", "Z. B."),
        "validate text": (run("validate", example).output, "Zielińska Barbara", "Z. B."),
        "zestawienie": (run("zestawienie", "--format", "json", example).output,
                        "Kowalska Ewa", "K. E."),
    }
    for what, (text, name, initials) in outputs.items():
        assert name not in text and initials in text, what
    shown = run("validate", "--format", "json", "--show-personal-data", example).output
    assert "Zielińska Barbara" in shown
