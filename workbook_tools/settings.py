"""Project settings: ``projekt.toml`` beside the workbooks.

Staff edit this file by hand, so its keys are Polish, dates may be written as TOML dates
or as "01.01.2009", and every mistake is reported with the key that holds it. A folder
without the file gets the defaults (age range 15-64, no project period, no plan).

Example::

    nazwa = "Twoja Szansa"
    osrodek = "MOPS w Bartoszycach"
    poczatek = 2009-01-01
    koniec = 2009-12-31
    wiek_min = 15
    wiek_max = 64
    data_kontroli = 2009-12-31   # "na dzień" (domyślnie dziś): co już powinno się zakończyć

    [plan_uczestnikow.forma_wsparcia]   # liczba osób w każdej formie wsparcia
    PAL = 44
    KIS = 28
    "Szkolenia zawodowe" = 49

    prog_ukonczenia = 80                 # % godzin potrzebny do ukończenia zajęć

    [kursy."Trening kompetencji społecznych"]   # plan zajęć każdej formy wsparcia
    godziny = 100                        # godzin ogółem
    godziny_na_zajecia = 4               # gdy lista obecności ma tylko znaki x / nb
    koniec = 2009-06-30                  # po tej dacie brak ukończenia to ostrzeżenie
    nazwy = ["TKS", "trening"]           # inne nazwy tej formy w arkuszach

    [arkusze]                            # rodzaj arkusza, gdy nagłówki nie wystarczą
    "uczestnicy.xlsx:Lista" = "uczestnicy"

    [kolumny."uczestnicy.xlsx:Lista"]    # która kolumna jest którą (gdy nagłówki nie wystarczą)
    "Nr ewid." = "Lp."                   # nagłówek (albo litera kolumny) → pole
    "D" = "PESEL"
    "Uwagi opiekuna" = "pomiń"           # tej kolumny nie czytaj

    kolejnosc_dat = "miesiac-dzien"      # daty „2/4/2019” bez rozstrzygnięcia w kolumnie

    [budzet]                             # limity w procentach
    program = "po-kl-2007-2013"
    min_wklad_wlasny = 10.5
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from .names import ROOT_SETTINGS_FILE, SETTINGS_FILE
from .programmes import BUDGET_PRESETS, PROGRAMMES
from .values import ValueProblem, fold, parse_date

_SEVERITIES = {"błąd": "error", "blad": "error", "error": "error",
               "ostrzeżenie": "warning", "ostrzezenie": "warning", "warning": "warning",
               "informacja": "info", "info": "info"}

#: ``[plan_uczestnikow.X]`` keys and the participant fields they count.
PLAN_COLUMNS = {"forma_wsparcia": "support_form", "grupa_docelowa": "target_group"}

#: ``[arkusze]`` value that skips a sheet.
SKIP_NAMES = ("pomin", "skip")


@functools.cache
def kind_names() -> dict[str, str]:
    """Names a sheet kind may be given in ``[arkusze]`` (each kind declares its own, the
    Polish one first) -> the kind; "pomin" skips the sheet."""
    from .kinds import KINDS  # the kinds use these settings: imported when first asked

    names = {name: kind.name for kind in KINDS.values() for name in kind.names}
    return {**names, **dict.fromkeys(SKIP_NAMES, "skip")}


#: ``[kolumny]`` value that tells the reader to leave a column alone.
SKIP_COLUMN = "pomin"
_SKIP_WORDS = {"pomin", "pomiń", "skip", "ignoruj"}
#: ``kolejnosc_dat``: how a column of text dates "2/4/2019" is read when none of its
#: values decides it.
DATE_ORDERS = {"dzien-miesiac": "dm", "dzień-miesiąc": "dm", "miesiac-dzien": "md",
               "miesiąc-dzień": "md"}


def field_named(kind: Any, text: str) -> str | None:
    """The field of ``kind`` a ``[kolumny]`` value names: its header as the templates
    write it, any header the reader knows for it, or its internal name."""
    if text in kind.fields:
        return str(text)
    found = kind.match_header(text)
    return str(found) if found else None


def selected(code: str, select: Iterable[str], ignore: Iterable[str]) -> bool:
    """Ruff-style selection: codes or prefixes; ``select`` empty means every rule."""
    chosen = tuple(c.upper() for c in select)
    if chosen and not code.startswith(chosen):
        return False
    return not code.startswith(tuple(c.upper() for c in ignore))


def settings_name(kind: str) -> str:
    """The Polish name ``[arkusze]`` takes for a kind ("uczestnicy" for participants)."""
    return next(name for name, value in kind_names().items() if value == kind)


class SettingsError(Exception):
    """A ``projekt.toml`` that cannot be used; the message names the file and key, in
    Polish (``str``) and in English (:attr:`en`)."""

    def __init__(self, pl: str, en: str | None = None) -> None:
        super().__init__(pl)
        self.pl, self.en = pl, en or pl


#: Separates the Polish and English text of a validator's error (pydantic keeps one).
_BOTH = "\x1f"


def _both(pl: str, en: str) -> ValueError:
    return ValueError(f"{pl}{_BOTH}{en}")


def _date(value: Any) -> Any:
    try:
        return parse_date(value)
    except ValueProblem:
        raise _both("oczekiwano daty (rrrr-mm-dd lub dd.mm.rrrr)",
                    "a date was expected (yyyy-mm-dd or dd.mm.yyyy)") from None


def _amount(value: Any) -> Any:
    """An amount as staff write it: 10.90, "10,90" or "10,90 zł"."""
    if isinstance(value, str):
        return value.replace("zł", "").replace(",", ".").strip()
    if isinstance(value, float):
        return str(value)  # 12.14 stays 12.14, not its binary neighbour
    return value


if TYPE_CHECKING:  # at run time made by _pydantic(), with pydantic, when first needed
    from pydantic import BeforeValidator, Field

    SettingsDate = Annotated[dt.date | None, BeforeValidator(_date)]
    Share = Annotated[Decimal, Field(ge=0, le=100)]
    Hours = Annotated[Decimal, Field(gt=0, le=10000)]
    Rate = Annotated[Decimal, BeforeValidator(_amount),
                     Field(gt=0, le=1000, decimal_places=2)]


@functools.cache
def _pydantic() -> Any:
    """pydantic, imported when a settings file is first validated, with the names the
    settings' annotations use put into this module (they are strings until then).

    The settings are plain frozen dataclasses whose fields carry pydantic's ``Field``
    and validators in ``Annotated`` metadata: a project without projekt.toml gets the
    defaults without pydantic, and no parent process needs it to receive a worker's
    settings. pydantic and the models it builds were 0.1 s of every run's start."""
    import pydantic

    namespace = globals()
    Field, Before = pydantic.Field, pydantic.BeforeValidator
    namespace.update(
        Field=Field, BeforeValidator=Before,
        SettingsDate=Annotated[dt.date | None, Before(_date)],
        Share=Annotated[Decimal, Field(ge=0, le=100)],
        Hours=Annotated[Decimal, Field(gt=0, le=10000)],
        Rate=Annotated[Decimal, Before(_amount), Field(gt=0, le=1000, decimal_places=2)])
    return pydantic


#: What pydantic's ``ConfigDict`` says for every settings table: an unknown key is a
#: mistake, keys are the Polish aliases (the English field names work too).
_CONFIG = {"extra": "forbid", "populate_by_name": True}


@dataclass(frozen=True, eq=False)
class BudgetRules:
    """``[budzet]``: the limits the budget is checked against, in per cent."""

    __pydantic_config__ = _CONFIG

    programme: Annotated[str | None, Field(alias="program")] = None
    min_own_share: Annotated[Share | None, Field(alias="min_wklad_wlasny")] = None
    cross_financing_cap: Annotated[Share | None, Field(alias="limit_cross_financing")] = None
    fixed_assets_cap: Annotated[Share | None, Field(alias="limit_srodki_trwale")] = None
    indirect_cap: Annotated[Share | None, Field(alias="limit_koszty_posrednie")] = None
    allowed_shift: Annotated[Share | None, Field(alias="dopuszczalne_przesuniecie")] = None

    def __post_init__(self) -> None:  # pydantic reports a ValueError at the table's key
        if self.programme is not None and self.programme not in BUDGET_PRESETS:
            raise _both(f"budzet.program: nieznany program „{self.programme}” "
                        f"(dostępne: {', '.join(BUDGET_PRESETS)})",
                        f"budzet.program: unknown programme '{self.programme}' "
                        f"(available: {', '.join(BUDGET_PRESETS)})")

    def limit(self, name: str) -> Decimal | None:
        """The project's own value, else the programme's, else none (not checked);
        the allowed shift defaults to 10 %."""
        own: Decimal | None = getattr(self, name)
        if own is not None:
            return own
        if self.programme:
            return BUDGET_PRESETS[self.programme][name]
        return Decimal("10") if name == "allowed_shift" else None


@dataclass(frozen=True, eq=False)
class CoursePlan:
    """``[kursy."<forma wsparcia>"]``: what attendance of one form of support is measured
    against."""

    __pydantic_config__ = _CONFIG

    hours: Annotated[Hours | None, Field(alias="godziny")] = None
    hours_per_session: Annotated[Hours | None, Field(alias="godziny_na_zajecia")] = None
    threshold: Annotated[Share | None, Field(alias="prog_ukonczenia")] = None
    start: Annotated[SettingsDate, Field(alias="poczatek")] = None
    end: Annotated[SettingsDate, Field(alias="koniec")] = None
    aliases: Annotated[list[str], Field(alias="nazwy")] = field(default_factory=list)


@dataclass(frozen=True, eq=False)
class PsuRules:
    """``[psu]``: the project's own limits for socially useful work, when the dated table
    of :mod:`workbook_tools.kinds.psu` does not hold what the agreement with the labour
    office says (a rate indexed on 1 June that the table lacks, a lower weekly limit)."""

    __pydantic_config__ = _CONFIG

    min_rate: Annotated[Rate | None, Field(alias="stawka_minimalna")] = None
    weekly_hours: Annotated[Hours | None, Field(alias="limit_tygodniowy")] = None
    monthly_hours: Annotated[Hours | None, Field(alias="limit_miesieczny")] = None


#: What an indicator of ``[wskazniki]`` counts (``licz``): a small vocabulary, not code.
#: Each is explained in the README; :mod:`workbook_tools.claim` counts them.
INDICATOR_COUNTS = {
    "uczestnicy": "osoby, które rozpoczęły udział w projekcie",
    "zakonczyli": "osoby, które zakończyły udział",
    "zgodnie_ze_sciezka": "osoby, które zakończyły udział zgodnie ze ścieżką",
    "przerwali": "osoby, które przerwały udział",
    "ukonczyli": "osoby, które ukończyły formę wsparcia (próg godzin; z kluczem forma)",
    "zatrudnieni": "osoby zatrudnione po zakończeniu udziału (kolumna wyniku)",
    "postep_spoleczny": "osoby z postępem w integracji społecznej (kolumna wyniku)",
    "kontrakty": "zawarte kontrakty socjalne",
    "godziny": "godziny wsparcia odbyte przez uczestników (z kluczem forma: jej godziny)",
    "kwota_wyplat": "wypłacona pomoc materialna w zł (z kluczem rodzaj: jeden rodzaj)",
}


@dataclass(frozen=True, eq=False)
class Indicator:
    """``[wskazniki."<nazwa>"]``: a target from the application and how to count it."""

    __pydantic_config__ = _CONFIG

    target: Annotated[Decimal, Field(ge=0, alias="cel")]
    count: Annotated[str, Field(alias="licz")]
    form: Annotated[str | None, Field(alias="forma")] = None
    benefit: Annotated[str | None, Field(alias="rodzaj")] = None
    #: participant column (its header or any known header) -> the value counted
    where: Annotated[dict[str, str | int | bool], Field(alias="warunek")] = field(
        default_factory=dict)

    def __post_init__(self) -> None:
        if self.count not in INDICATOR_COUNTS:
            raise _both(f"licz: nieznany sposób liczenia „{self.count}” "
                        f"(dostępne: {', '.join(INDICATOR_COUNTS)})",
                        f"licz: unknown way of counting '{self.count}' "
                        f"(available: {', '.join(INDICATOR_COUNTS)})")


@dataclass(frozen=True, eq=False)
class EffectivenessRules:
    """``[efektywnosc]``: the project's own minimum shares, in per cent."""

    __pydantic_config__ = _CONFIG

    social: Annotated[Share | None, Field(alias="spoleczna")] = None
    employment: Annotated[Share | None, Field(alias="zatrudnieniowa")] = None
    employment_disabled: Annotated[Share | None, Field(
        alias="zatrudnieniowa_niepelnosprawni")] = None


@dataclass(frozen=True, eq=False)
class ProjectSettings:
    """``projekt.toml`` (over a coordinator's ``workbook-tools.toml``); every key has a
    default, so ``ProjectSettings()`` is a folder without the file."""

    __pydantic_config__ = _CONFIG

    name: Annotated[str | None, Field(alias="nazwa")] = None
    centre: Annotated[str | None, Field(alias="osrodek")] = None
    start: Annotated[SettingsDate, Field(alias="poczatek")] = None
    end: Annotated[SettingsDate, Field(alias="koniec")] = None
    age_min: Annotated[int, Field(alias="wiek_min", ge=0, le=120)] = 15
    age_max: Annotated[int, Field(alias="wiek_max", ge=0, le=120)] = 64
    as_of: Annotated[SettingsDate, Field(alias="data_kontroli")] = None
    plan: Annotated[dict[str, dict[str, Annotated[int, Field(ge=0)]]], Field(
        alias="plan_uczestnikow")] = field(default_factory=dict)
    sheets: Annotated[dict[str, str], Field(alias="arkusze")] = field(default_factory=dict)
    budget: Annotated[BudgetRules, Field(alias="budzet")] = field(default_factory=BudgetRules)
    completion_threshold: Annotated[Share, Field(alias="prog_ukonczenia")] = Decimal(80)
    #: rule selection, ruff-style: codes or prefixes ("P", "W00")
    ignore: Annotated[list[str], Field(alias="ignoruj")] = field(default_factory=list)
    select: Annotated[list[str], Field(alias="wybierz")] = field(default_factory=list)
    severity: Annotated[dict[str, str], Field(alias="waga")] = field(default_factory=dict)
    courses: Annotated[dict[str, CoursePlan], Field(alias="kursy")] = field(
        default_factory=dict)
    psu: Annotated[PsuRules, Field(alias="psu")] = field(default_factory=PsuRules)
    #: ``[kolumny."plik:arkusz"]`` (or "plik", or "*"): header text or column letter ->
    #: field, or "pomiń"
    columns: Annotated[dict[str, dict[str, str]], Field(alias="kolumny")] = field(
        default_factory=dict)
    date_order: Annotated[str | None, Field(alias="kolejnosc_dat")] = None
    #: which programme period's categories a claim counts in (else [budzet] program,
    #: else the project's start date decides)
    programme_period: Annotated[str | None, Field(alias="okres_programowania")] = None
    indicators: Annotated[dict[str, Indicator], Field(alias="wskazniki")] = field(
        default_factory=dict)
    effectiveness: Annotated[EffectivenessRules, Field(alias="efektywnosc")] = field(
        default_factory=EffectivenessRules)

    def __post_init__(self) -> None:
        """What no single key can check (pydantic reports the ValueError without a
        key); kinds and rules are imported only when a key names them."""
        if self.start and self.end and self.start > self.end:
            raise _both("koniec projektu przed jego początkiem (poczatek > koniec)",
                        "the project ends before it starts (poczatek > koniec)")
        if self.programme_period is not None and self.programme_period not in PROGRAMMES:
            raise _both(f"okres_programowania: nieznany okres „{self.programme_period}” "
                        f"(dostępne: {', '.join(PROGRAMMES)})",
                        f"okres_programowania: unknown period '{self.programme_period}' "
                        f"(available: {', '.join(PROGRAMMES)})")
        if self.age_min > self.age_max:
            raise _both("wiek_min większy niż wiek_max", "wiek_min is greater than wiek_max")
        for key in self.plan:
            if key not in PLAN_COLUMNS:
                raise _both(f"plan_uczestnikow.{key}: nieznana kolumna planu "
                            f"(dozwolone: {', '.join(PLAN_COLUMNS)})",
                            f"plan_uczestnikow.{key}: unknown plan column "
                            f"(allowed: {', '.join(PLAN_COLUMNS)})")
        from .rules import RULES  # the catalogue: light, and needed by every run

        for key, codes in (("ignoruj", self.ignore), ("wybierz", self.select)):
            for code in codes:
                if not any(known.startswith(code.upper()) for known in RULES) or not code:
                    raise _both(f"{key}: nieznany kod reguły „{code}”",
                                f"{key}: unknown rule code '{code}'")
                if key == "ignoruj" and code.upper()[:1] == "F":
                    raise _both(f"{key}: reguł plików (F…) nie można wyłączyć: „{code}”",
                                f"{key}: file rules (F…) cannot be ignored: '{code}'")
        for code, level in self.severity.items():
            if code.upper() not in RULES:
                raise _both(f"waga: nieznany kod reguły „{code}”",
                            f"waga: unknown rule code '{code}'")
            if level.lower() not in _SEVERITIES:
                raise _both(f"waga.{code}: nieznana waga „{level}” (błąd, ostrzeżenie, "
                            "informacja)", f"waga.{code}: unknown severity '{level}' "
                            "(error, warning, info)")
        if self.date_order is not None and self.date_order not in DATE_ORDERS:
            raise _both(f"kolejnosc_dat: „{self.date_order}” — dozwolone "
                        "„dzien-miesiac” albo „miesiac-dzien”",
                        f"kolejnosc_dat: '{self.date_order}': allowed are 'dzien-miesiac' "
                        "and 'miesiac-dzien'")
        if self.columns:
            from .kinds import KINDS  # the kinds use these settings: imported when asked

            for target, mapping in self.columns.items():
                for key, value in mapping.items():
                    if fold(value) in _SKIP_WORDS:
                        continue
                    if not any(field_named(kind, value) for kind in KINDS.values()):
                        raise _both(
                            f"kolumny.\"{target}\".\"{key}\": nieznane pole „{value}” "
                            "(podaj nagłówek kolumny z szablonu, np. „PESEL”, „Data "
                            "rozpoczęcia udziału w projekcie”, albo „pomiń”)",
                            f"kolumny.\"{target}\".\"{key}\": unknown field '{value}' "
                            "(give a template's column header, e.g. 'PESEL', or 'pomiń')")
        for target, kind in self.sheets.items():
            if kind not in kind_names():
                raise _both(f"arkusze.\"{target}\": nieznany rodzaj „{kind}” "
                            f"(dozwolone: {', '.join(sorted(kind_names()))})",
                            f"arkusze.\"{target}\": unknown kind '{kind}' "
                            f"(allowed: {', '.join(sorted(kind_names()))})")

    @property
    def today(self) -> dt.date:
        """The day the checks are made "as of": ``data_kontroli``, else today."""
        return self.as_of or dt.date.today()

    def applies(self, code: str) -> bool:
        """Whether a rule is reported in this project (``wybierz`` / ``ignoruj``); a file
        that cannot be read (F…) is always reported."""
        return code.startswith("F") or selected(code, self.select, self.ignore)

    def severity_of(self, code: str) -> str | None:
        """The severity ``[waga]`` sets for a rule ("error", "warning", "info")."""
        for key, level in self.severity.items():
            if key.upper() == code:
                return _SEVERITIES[level.lower()]
        return None

    def course(self, form: str | None) -> tuple[str, CoursePlan] | None:
        """The course plan a form of support (as written in a sheet) refers to."""
        if not form:
            return None
        key = fold(" ".join(form.split()))
        for name, plan in self.courses.items():
            if key == fold(name) or any(key == fold(alias) for alias in plan.aliases):
                return name, plan
        return None

    def column_map(self, file_name: str, sheet: str) -> list[tuple[str, str, str]]:
        """``[kolumny]`` entries that apply to a sheet: (table key, column key, value),
        "*" first, then the file, then "file:sheet" (later ones win)."""
        found = []
        for target in ("*", file_name, f"{file_name}:{sheet}"):
            for key, value in self.columns.get(target, {}).items():
                found.append((target, key, SKIP_COLUMN if fold(value) in _SKIP_WORDS
                              else value))
        return found

    @property
    def month_first(self) -> bool:
        return self.date_order is not None and DATE_ORDERS[self.date_order] == "md"

    def kind_override(self, file_name: str, sheet: str) -> str | None:
        """The kind ``[arkusze]`` sets for a sheet ("plik:arkusz" beats "plik")."""
        kind = self.sheets.get(f"{file_name}:{sheet}") or self.sheets.get(file_name)
        return kind_names()[kind] if kind else None

    def skips_file(self, file_name: str) -> bool:
        """``"plik.xlsx" = "pomin"``, with no sheet of it named apart: the file is no part
        of the project and is not read at all. A damaged or password-protected file kept
        in the folder would otherwise stand for an unread workbook of the project (F008,
        project-wide columns held back by fill) however often it was skipped."""
        kind = self.sheets.get(file_name)
        return (kind is not None and kind_names()[kind] == "skip"
                and not any(key.startswith(f"{file_name}:") for key in self.sheets))


#: A settings file is a page of keys; anything larger is not one.
MAX_SETTINGS_BYTES = 1 << 20


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib  # where there is a file to read: a folder without one, and the
    # process that only receives settings, do without its 3 ms

    try:
        if path.stat().st_size > MAX_SETTINGS_BYTES:
            raise SettingsError(f"{path}: plik ustawień jest za duży (ponad 1 MB)",
                                f"{path}: the settings file is too large (over 1 MB)")
        text = path.read_text(encoding="utf-8-sig")
        return tomllib.loads(text)
    except UnicodeDecodeError:
        raise SettingsError(f"{path}: plik nie jest zapisany w UTF-8 (zapisz go w Notatniku "
                            "jako „UTF-8”)", f"{path}: the file is not UTF-8") from None
    except tomllib.TOMLDecodeError as error:
        raise _syntax_error(path, text, str(error)) from None
    except RecursionError:
        raise SettingsError(f"{path}: zbyt głęboko zagnieżdżone tablice lub tabele "
                            "(to nie są ustawienia projektu)",
                            f"{path}: arrays or tables nested too deep (not project "
                            "settings)") from None
    except OSError as error:
        raise SettingsError(f"{path}: nie można odczytać pliku ({error.strerror})",
                            f"{path}: the file cannot be read ({error.strerror})") from None


_WHERE = re.compile(r"\(at line (\d+), column (\d+)\)|\(at end of document\)")
#: The mistakes staff make in projekt.toml, each with what to write instead.
_HINTS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"=\s*\d{1,2}\.\d{1,2}\.\d{4}"),
     "datę zapisz jako 2009-12-31 albo w cudzysłowie: \"31.12.2009\"",
     "write the date as 2009-12-31 or in quotes: \"31.12.2009\""),
    (re.compile(r"=\s*-?\d+,\d+\s*(#.*)?$"), "liczbę zapisz z kropką, np. 10.5",
     "write the number with a dot, e.g. 10.5"),
    (re.compile(r"^\s*\[[^\]\"]*\s[^\]\"]*\]"),
     "nazwę z odstępami zapisz w cudzysłowie, np. [kursy.\"Trening kompetencji\"]",
     "quote a name with spaces, e.g. [kursy.\"Trening kompetencji\"]"),
    (re.compile(r"=\s*[^\s\"'\[{0-9+\-tf#][^#]*$"),
     "tekst zapisz w cudzysłowie, np. nazwa = \"Twoja Szansa\"",
     "write text in quotes, e.g. nazwa = \"Twoja Szansa\""),
)


def _syntax_error(path: Path, text: str, detail: str) -> SettingsError:
    """A TOML syntax error in Polish: the line, the column, the line itself and, for
    the usual mistakes (a Polish date or decimal comma without quotes), what to write."""
    found = _WHERE.search(detail)
    lines = text.splitlines()
    if found and found.group(1):
        number, column = int(found.group(1)), int(found.group(2))
    else:
        number, column = len(lines), 1
    line = lines[number - 1] if 0 < number <= len(lines) else ""
    hint_pl, hint_en = next(((pl, en) for pattern, pl, en in _HINTS if pattern.search(line)),
                            ("sprawdź cudzysłowy, nawiasy i znak „=”",
                             "check the quotes, brackets and the '=' sign"))
    shown = line.strip()[:80]
    return SettingsError(
        f"{path}: błąd składni w wierszu {number}, kolumna {column}: „{shown}” — {hint_pl}",
        f"{path}: syntax error on line {number}, column {column}: '{shown}': {hint_en}")


_WHOLE = ("oczekiwano liczby całkowitej, np. 64", "a whole number was expected")
_NUMBER = ("oczekiwano liczby, np. 10.5", "a number was expected")
_TRUE_FALSE = ("oczekiwano true albo false", "true or false was expected")
#: pydantic's error types, said in Polish and English (its own messages are English).
_PYDANTIC = {
    **dict.fromkeys(("int_parsing", "int_type", "int_from_float"), _WHOLE),
    **dict.fromkeys(("decimal_parsing", "decimal_type"), _NUMBER),
    **dict.fromkeys(("bool_type", "bool_parsing"), _TRUE_FALSE),
    "string_type": ("oczekiwano tekstu w cudzysłowie", "quoted text was expected"),
    "dict_type": ("oczekiwano tabeli [nazwa] z kluczami", "a [table] of keys was expected"),
    "list_type": ("oczekiwano listy, np. [\"P001\", \"G\"]", "a list was expected"),
    **dict.fromkeys(("extra_forbidden", "unexpected_keyword_argument"),
                    ("nieznany klucz", "unknown key")),
    "missing": ("brak wymaganego klucza", "a required key is missing"),
}
_BOUNDS = {"greater_than_equal": ("ge", "co najmniej", "at least"),
           "less_than_equal": ("le", "co najwyżej", "at most"),
           "greater_than": ("gt", "więcej niż", "more than"),
           "less_than": ("lt", "mniej niż", "less than")}


def _said(item: Any) -> tuple[str, str]:
    kind = item["type"]
    if kind in _PYDANTIC:
        return _PYDANTIC[kind]
    if kind in _BOUNDS:
        name, pl, en = _BOUNDS[kind]
        limit = item.get("ctx", {}).get(name)
        return f"wartość musi wynosić {pl} {limit}", f"the value must be {en} {limit}"
    message = str(item["msg"]).removeprefix("Value error, ")
    if _BOTH in message:
        pl, en = message.split(_BOTH, 1)
        return pl, en
    return "niepoprawna wartość", "invalid value"


@functools.cache
def validator() -> Any:
    """pydantic's validator of the settings (built once, when a file is first read)."""
    return _pydantic().TypeAdapter(ProjectSettings)


def _validated(path: Path, data: dict[str, Any]) -> ProjectSettings:
    if not data:
        return ProjectSettings()  # no file, no root: the defaults, without pydantic
    try:
        settings: ProjectSettings = validator().validate_python(data)
        return settings
    except _pydantic().ValidationError as error:
        problems: list[tuple[str, str]] = []
        for item in error.errors():
            key = ".".join(str(part) for part in item["loc"])
            pl, en = _said(item)
            # a check across keys names its keys itself
            problems.append((f"klucz „{key}”: {pl}", f"key '{key}': {en}") if key
                            else (pl, en))
        raise SettingsError(f"{path}: " + "; ".join(p for p, _ in problems),
                            f"{path}: " + "; ".join(e for _, e in problems)) from None


def load_root_settings(folder: Path) -> dict[str, Any] | None:
    """``workbook-tools.toml`` of a coordinator's root folder, checked, as raw keys."""
    path = folder / ROOT_SETTINGS_FILE
    if not path.is_file():
        return None
    data = _read_toml(path)
    _validated(path, data)
    return data


def load_settings(folder: Path, root: dict[str, Any] | None = None) -> ProjectSettings:
    """The settings of the project in ``folder``; defaults when it has no projekt.toml.

    ``root`` holds the keys of a ``workbook-tools.toml`` above the project: the project's
    own keys win, except ``ignoruj`` (both lists apply) and ``waga`` (merged)."""
    path = folder / SETTINGS_FILE
    own = _read_toml(path) if path.is_file() else {}
    data = dict(root or {})
    for key, value in own.items():
        if key in ("ignoruj", "ignore") and key in data:
            data[key] = [*data[key], *value]
        elif key in ("waga", "severity") and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return _validated(path, data)
