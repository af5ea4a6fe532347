"""The command line: parse, call the engine, print. Nothing is decided here."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from . import __version__
from .engine import validate_paths
from .output import print_rules, print_summaries, print_terminal, to_json

LANG = click.option("--lang", type=click.Choice(["pl", "en"]), default="pl", show_default=True,
                    help="Język komunikatów / message language.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="workbook-tools")
def cli() -> None:
    """Sprawdzanie arkuszy projektów aktywnej integracji (MOPS/OPS, EFS)."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Wynik dla człowieka (text) lub programu (json).")
@LANG
@click.option("--show-personal-data", is_flag=True,
              help="Pokaż pełne numery PESEL (domyślnie maskowane).")
@click.option("--summary", "with_summary", is_flag=True,
              help="Pokaż wyliczone zestawienia (uczestnicy wg formy wsparcia, wypłaty...).")
def validate(paths: tuple[Path, ...], fmt: str, lang: str, show_personal_data: bool,
             with_summary: bool) -> None:
    """Sprawdź skoroszyty (pliki lub foldery projektów).

    Kod wyjścia: 0 bez błędów, 1 znaleziono błędy, 2 plik nieczytelny lub złe użycie.
    """
    result = validate_paths(paths)
    if fmt == "json":
        click.echo(to_json(result, lang, show_personal_data, with_tables=with_summary))
    else:
        console = Console(highlight=False)
        print_terminal(result, console, lang, show_personal_data)
        if with_summary:
            print_summaries(result, console, lang)
    sys.exit(result.exit_code)


@cli.command()
@LANG
def rules(lang: str) -> None:
    """Wypisz wszystkie kody reguł z opisem."""
    print_rules(Console(highlight=False), lang)


def main() -> None:
    cli()
