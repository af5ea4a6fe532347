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
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from .values import ValueProblem, fold, parse_date

SETTINGS_FILE = "projekt.toml"
#: Settings for every project under a folder (the coordinator's root): same keys.
ROOT_SETTINGS_FILE = "workbook-tools.toml"

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


def settings_name(kind: str) -> str:
    """The Polish name ``[arkusze]`` takes for a kind ("uczestnicy" for participants)."""
    return next(name for name, value in kind_names().items() if value == kind)


class SettingsError(Exception):
    """A ``projekt.toml`` that cannot be used; the message names the file and key."""


def _date(value: Any) -> Any:
    try:
        return parse_date(value)
    except ValueProblem:
        raise ValueError("oczekiwano daty (rrrr-mm-dd lub dd.mm.rrrr)") from None


SettingsDate = Annotated[dt.date | None, BeforeValidator(_date)]


Share = Annotated[Decimal, Field(ge=0, le=100)]

#: Programme presets: limits in per cent. A project names one in ``[budzet] program`` and
#: may override any value; check them against the financing agreement of the project.
BUDGET_PRESETS: dict[str, dict[str, Decimal | None]] = {
    "po-kl-2007-2013": {  # PO KL, Poddziałanie 7.1.1 (projekty systemowe OPS)
        "min_own_share": Decimal("10.5"), "cross_financing_cap": Decimal("10"),
        "fixed_assets_cap": Decimal("10"), "indirect_cap": None,
        "allowed_shift": Decimal("10"),
    },
    "efs-2014-2020": {  # regionalne programy operacyjne, oś włączenia społecznego
        "min_own_share": Decimal("15"), "cross_financing_cap": Decimal("10"),
        "fixed_assets_cap": Decimal("10"), "indirect_cap": None,
        "allowed_shift": Decimal("10"),
    },
}


class BudgetRules(BaseModel):
    """``[budzet]``: the limits the budget is checked against, in per cent."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    programme: str | None = Field(None, alias="program")
    min_own_share: Share | None = Field(None, alias="min_wklad_wlasny")
    cross_financing_cap: Share | None = Field(None, alias="limit_cross_financing")
    fixed_assets_cap: Share | None = Field(None, alias="limit_srodki_trwale")
    indirect_cap: Share | None = Field(None, alias="limit_koszty_posrednie")
    allowed_shift: Share | None = Field(None, alias="dopuszczalne_przesuniecie")

    @model_validator(mode="after")
    def _known_programme(self) -> BudgetRules:
        if self.programme is not None and self.programme not in BUDGET_PRESETS:
            raise ValueError(f"budzet.program: nieznany program „{self.programme}” "
                             f"(dostępne: {', '.join(BUDGET_PRESETS)})")
        return self

    def limit(self, name: str) -> Decimal | None:
        """The project's own value, else the programme's, else none (not checked);
        the allowed shift defaults to 10 %."""
        own: Decimal | None = getattr(self, name)
        if own is not None:
            return own
        if self.programme:
            return BUDGET_PRESETS[self.programme][name]
        return Decimal("10") if name == "allowed_shift" else None


Hours = Annotated[Decimal, Field(gt=0, le=10000)]


class CoursePlan(BaseModel):
    """``[kursy."<forma wsparcia>"]``: what attendance of one form of support is measured
    against."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    hours: Hours | None = Field(None, alias="godziny")
    hours_per_session: Hours | None = Field(None, alias="godziny_na_zajecia")
    threshold: Share | None = Field(None, alias="prog_ukonczenia")
    start: SettingsDate = Field(None, alias="poczatek")
    end: SettingsDate = Field(None, alias="koniec")
    aliases: list[str] = Field(default_factory=list, alias="nazwy")


class ProjectSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    name: str | None = Field(None, alias="nazwa")
    centre: str | None = Field(None, alias="osrodek")
    start: SettingsDate = Field(None, alias="poczatek")
    end: SettingsDate = Field(None, alias="koniec")
    age_min: int = Field(15, alias="wiek_min", ge=0, le=120)
    age_max: int = Field(64, alias="wiek_max", ge=0, le=120)
    as_of: SettingsDate = Field(None, alias="data_kontroli")
    plan: dict[str, dict[str, Annotated[int, Field(ge=0)]]] = Field(
        default_factory=dict, alias="plan_uczestnikow")
    sheets: dict[str, str] = Field(default_factory=dict, alias="arkusze")
    budget: BudgetRules = Field(default_factory=BudgetRules, alias="budzet")
    completion_threshold: Share = Field(Decimal(80), alias="prog_ukonczenia")
    #: rule selection, ruff-style: codes or prefixes ("P", "W00")
    ignore: list[str] = Field(default_factory=list, alias="ignoruj")
    select: list[str] = Field(default_factory=list, alias="wybierz")
    severity: dict[str, str] = Field(default_factory=dict, alias="waga")
    courses: dict[str, CoursePlan] = Field(default_factory=dict, alias="kursy")
    #: ``[kolumny."plik:arkusz"]`` (or "plik", or "*"): header text or column letter ->
    #: field, or "pomiń"
    columns: dict[str, dict[str, str]] = Field(default_factory=dict, alias="kolumny")
    date_order: str | None = Field(None, alias="kolejnosc_dat")

    @model_validator(mode="after")
    def _consistent(self) -> ProjectSettings:
        if self.start and self.end and self.start > self.end:
            raise ValueError("koniec projektu przed jego początkiem (poczatek > koniec)")
        if self.age_min > self.age_max:
            raise ValueError("wiek_min większy niż wiek_max")
        for key in self.plan:
            if key not in PLAN_COLUMNS:
                raise ValueError(
                    f"plan_uczestnikow.{key}: nieznana kolumna planu "
                    f"(dozwolone: {', '.join(PLAN_COLUMNS)})")
        from .rules import RULES

        for key, codes in (("ignoruj", self.ignore), ("wybierz", self.select)):
            for code in codes:
                if not any(known.startswith(code.upper()) for known in RULES) or not code:
                    raise ValueError(f"{key}: nieznany kod reguły „{code}”")
                if key == "ignoruj" and code.upper()[:1] == "F":
                    raise ValueError(f"{key}: reguł plików (F…) nie można wyłączyć: „{code}”")
        for code, level in self.severity.items():
            if code.upper() not in RULES:
                raise ValueError(f"waga: nieznany kod reguły „{code}”")
            if level.lower() not in _SEVERITIES:
                raise ValueError(f"waga.{code}: nieznana waga „{level}” (błąd, ostrzeżenie, "
                                 "informacja)")
        if self.date_order is not None and self.date_order not in DATE_ORDERS:
            raise ValueError(f"kolejnosc_dat: „{self.date_order}” — dozwolone "
                             "„dzien-miesiac” albo „miesiac-dzien”")
        from .kinds import KINDS

        for target, mapping in self.columns.items():
            for key, value in mapping.items():
                if fold(value) in _SKIP_WORDS:
                    continue
                if not any(field_named(kind, value) for kind in KINDS.values()):
                    raise ValueError(
                        f"kolumny.\"{target}\".\"{key}\": nieznane pole „{value}” (podaj "
                        "nagłówek kolumny z szablonu, np. „PESEL”, „Data rozpoczęcia "
                        "udziału w projekcie”, albo „pomiń”)")
        for target, kind in self.sheets.items():
            if kind not in kind_names():
                raise ValueError(
                    f"arkusze.\"{target}\": nieznany rodzaj „{kind}” "
                    f"(dozwolone: {', '.join(sorted(kind_names()))})")
        return self

    @property
    def today(self) -> dt.date:
        """The day the checks are made "as of": ``data_kontroli``, else today."""
        return self.as_of or dt.date.today()

    def applies(self, code: str) -> bool:
        """Whether a rule is reported in this project (``wybierz`` / ``ignoruj``); a file
        that cannot be read (F…) is always reported."""
        if code.startswith("F"):
            return True
        if self.select and not code.startswith(tuple(c.upper() for c in self.select)):
            return False
        return not code.startswith(tuple(c.upper() for c in self.ignore))

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


#: A settings file is a page of keys; anything larger is not one.
MAX_SETTINGS_BYTES = 1 << 20


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        if path.stat().st_size > MAX_SETTINGS_BYTES:
            raise SettingsError(f"{path}: plik ustawień jest za duży (ponad 1 MB)")
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SettingsError(f"{path}: błąd składni TOML: {error}") from None
    except RecursionError:
        raise SettingsError(f"{path}: zbyt głęboko zagnieżdżone tablice lub tabele "
                            "(to nie są ustawienia projektu)") from None
    except OSError as error:
        raise SettingsError(f"{path}: nie można odczytać pliku ({error.strerror})") from None


def _validated(path: Path, data: dict[str, Any]) -> ProjectSettings:
    try:
        return ProjectSettings.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            key = ".".join(str(part) for part in item["loc"])
            text = "nieznany klucz" if item["type"] == "extra_forbidden" else item["msg"]
            text = text.removeprefix("Value error, ")
            # a check across keys names its keys itself
            problems.append(f"klucz „{key}”: {text}" if key else text)
        raise SettingsError(f"{path}: " + "; ".join(problems)) from None


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
