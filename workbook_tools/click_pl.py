"""click's own messages in Polish: usage errors, help headings, "Show this message".

click words its messages through ``gettext`` (each module binds ``_`` and ``ngettext``
at import). Without a compiled catalogue they stay English; here each click module's
``_``/``ngettext`` is pointed at this catalogue when the run is in Polish (the default;
``--lang en`` anywhere on the command line keeps English). ``tests/test_voice.py``
checks that every message the installed click can show a user is in this catalogue.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

#: English message id -> Polish (click's placeholders kept).
MESSAGES: dict[str, str] = {
    "Aborted!": "Przerwano.",
    "Missing command.": "Brak polecenia.",
    "Options": "Opcje",
    "Positional arguments": "Argumenty",
    "Commands": "Polecenia",
    "deprecated": "przestarzałe",
    "Value must be an iterable.": "Wartość musi być listą.",
    "env var: {var}": "zmienna środowiska: {var}",
    "default: {default}": "domyślnie: {default}",
    "(dynamic)": "(zmienne)",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}":
        "Uwaga: polecenie {name!r} jest przestarzałe.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}":
        "Uwaga: {param_type} {name!r} jest przestarzała.{extra_message}",
    "Do you want to continue?": "Kontynuować?",
    "Confirm the action without prompting.": "Potwierdź bez pytania.",
    "%(prog)s, version %(version)s": "%(prog)s, wersja %(version)s",
    "Show the version and exit.": "Pokaż wersję i zakończ.",
    "Show this message and exit.": "Pokaż tę pomoc i zakończ.",
    "Missing argument": "Brak argumentu",
    "unknown error": "nieznany błąd",
    "Invalid value for {param_hint}: {message}": "Zła wartość {param_hint}: {message}",
    "Missing option": "Brak opcji",
    "Could not open file {filename!r}: {message}":
        "Nie można otworzyć pliku {filename!r}: {message}",
    "Try '{command} {option}' for help.": "Pomoc: '{command} {option}'.",
    "Missing parameter": "Brak parametru",
    "Missing parameter: {param_name}": "Brak parametru: {param_name}",
    "No such option {name!r}.": "Nie ma opcji {name!r}.",
    "No such command {name!r}.": "Nie ma polecenia {name!r}.",
    "Invalid value: {message}": "Zła wartość: {message}",
    "Missing {param_type}": "Brak: {param_type}",
    "Usage:": "Użycie:",
    "Invalid start character for option ({option})":
        "Niedozwolony pierwszy znak opcji ({option})",
    "Option {name!r} does not take a value.": "Opcja {name!r} nie przyjmuje wartości.",
    "Argument {name!r} takes {nargs} values.": "Argument {name!r} przyjmuje {nargs} wartości.",
    "Press any key to continue...": "Naciśnij dowolny klawisz…",
    "Repeat for confirmation": "Powtórz dla potwierdzenia",
    "Error: The two entered values do not match.": "Błąd: wpisane wartości się różnią.",
    "Error: invalid input": "Błąd: niepoprawne dane",
    "Error: {message}": "Błąd: {message}",
    "file": "plik",
    "directory": "folder",
    "path": "ścieżka",
    "Choose from:\n\t{choices}": "Do wyboru:\n\t{choices}",
    "Choice({choices})": "jedno z ({choices})",
    "{value} is not in the range {range}.": "{value} jest poza zakresem {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} to nie tak/nie. Rozpoznawane: {states}",
    "{value!r} is not a valid {number_type}.": "{value!r} to nie jest liczba ({number_type}).",
    "{value!r} is not a valid UUID.": "{value!r} to nie jest UUID.",
    "{name} {filename!r} is a file.": "{name} {filename!r} to plik.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} to folder.",
    "{name} {filename!r} is not readable.": "{name} {filename!r}: brak prawa odczytu.",
    "{name} {filename!r} is not writable.": "{name} {filename!r}: brak prawa zapisu.",
    "{name} {filename!r} is not executable.": "{name} {filename!r}: nie da się uruchomić.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} nie istnieje.",
}
#: (singular id, plural id) -> (Polish for one, Polish for more).
PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"):
        ("Nieoczekiwany dodatkowy argument ({args})", "Nieoczekiwane dodatkowe argumenty "
                                                      "({args})"),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."):
        ("Wymaga {nargs} wartości, podano 1.", "Wymaga {nargs} wartości, podano {len}."),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"):
        ("Czy chodziło o {possibility}?", "(Czy chodziło o jedno z: {possibilities}?)"),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        ("Opcja {name!r} wymaga wartości.", "Opcja {name!r} wymaga {nargs} wartości."),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."):
        ("{value!r} to nie {choice}.", "{value!r} to nie jedno z: {choices}."),
    ("{value!r} does not match the format {format}.",
     "{value!r} does not match the formats {formats}."):
        ("{value!r} nie pasuje do formatu {format}.",
         "{value!r} nie pasuje do żadnego z formatów {formats}."),
    ("{len_type} values are required, but {len_value} was given.",
     "{len_type} values are required, but {len_value} were given."):
        ("Wymagane wartości: {len_type}, podano {len_value}.",
         "Wymagane wartości: {len_type}, podano {len_value}."),
}
#: Messages only a programmer sees (a broken declaration, an unsupported shell, an
#: editor or a Windows console failing): they stay English.
DEVELOPER_ONLY = frozenset({
    "Could not determine name for option with declarations {decls!r}",
    "No options defined but a name was passed ({name}). Did you mean to declare an "
    "argument instead? Did you mean to pass '--{name}'?",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.",
    "Name '{name}' defined twice",
    "Boolean option {decl!r} cannot use the same flag for true/false.",
    "Couldn't detect Bash version, shell completion is not supported.",
    "Shell completion is not supported for Bash versions older than 4.4.",
    "Unknown color {colour!r}", "Unknown standard stream '{name}'", "d",
    "{editor}: Editing failed", "{editor}: Editing failed: {e}", "Windows error: {error}",
})
def _gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    one, more = PLURALS.get((singular, plural), (singular, plural))
    return one if n == 1 else more


def wants_english(argv: list[str]) -> bool:
    return any(a == "--lang=en" or (a == "--lang" and argv[i + 1:i + 2] == ["en"])
               for i, a in enumerate(argv))


def install(argv: list[str] | None = None) -> bool:
    """Polish click messages, unless the command line asks for English (then click's
    own, so that a process can switch, as the tests do); whether Polish was chosen."""
    import gettext

    english = wants_english(sys.argv[1:] if argv is None else argv)
    replacements: dict[str, Callable[..., str]] = (
        {"_": gettext.gettext, "ngettext": gettext.ngettext} if english
        else {"_": _gettext, "ngettext": _ngettext})
    for name, module in list(sys.modules.items()):
        if name == "click" or not name.startswith("click.") or module is None:
            continue
        for attribute, function in replacements.items():
            if hasattr(module, attribute):
                setattr(module, attribute, function)
    return not english
