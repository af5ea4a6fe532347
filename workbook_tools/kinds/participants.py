"""Participant list (lista uczestników), after the PEFS 2007 monitoring form.

One row per person who signed up for the project: identity (PESEL, name, sex, birth
date), the education and labour-market status reported to the Managing Authority, the
address, the form of support and social contract, and the dates of joining and leaving.
Everything else in the project refers to these people: attendance, contracts and
payments are checked against this list.

>>> age_on(dt.date(1990, 5, 14), dt.date(2009, 5, 13))
18
"""

# annotations are evaluated at import, not kept as strings: see schema.fields_of
import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Annotated, Any

from .. import pesel as pesel_mod
from ..checks import ProjectData, SheetContext, SheetData
from ..issues import Issue, Name, Personal
from ..polish import plural
from ..rules import Bilingual
from ..schema import DATE_FORMAT, Column, Computed, Kind
from ..settings import PLAN_COLUMNS
from ..summary import SummaryTable
from ..values import (
    Sex,
    ValueProblem,
    choice_parser,
    fold,
    parse_yes_no_or_refused,
    parse_yes_no_refused,
    split_values,
)

#: The 2021-2027 common indicators group education into three ISCED bands.
ISCED_LOW = "podstawowe lub gimnazjalne (ISCED 0–2)"
ISCED_MIDDLE = "ponadgimnazjalne lub policealne (ISCED 3–4)"

_EDUCATION_WORDS = choice_parser(
    {v: v for v in ("brak", "podstawowe", "gimnazjalne", "ponadgimnazjalne", "pomaturalne",
                    "wyższe", ISCED_LOW, ISCED_MIDDLE)},
    {
        "bez wykształcenia": "brak", "niepełne podstawowe": "brak",
        "niższe niż podstawowe": "brak",
        "średnie": "ponadgimnazjalne", "średnie ogólne": "ponadgimnazjalne",
        "średnie zawodowe": "ponadgimnazjalne", "zasadnicze zawodowe": "ponadgimnazjalne",
        "zawodowe": "ponadgimnazjalne", "ponadpodstawowe": "ponadgimnazjalne",
        "policealne": "pomaturalne", "wyższe licencjackie": "wyższe",
        "wyższe magisterskie": "wyższe",
    },
)
#: ISCED levels as the monitoring systems write them: "podstawowe (ISCED 1)",
#: "Wyższe (ISCED 5-8)", "ISCED 3-4".
_ISCED = re.compile(r"isced\s*(\d)(?:\s*(?:[-–]|do|lub|i)\s*(\d))?")
_ISCED_LEVELS = {0: "brak", 1: "podstawowe", 2: "gimnazjalne", 3: "ponadgimnazjalne",
                 4: "pomaturalne"}


def _isced(low: int, high: int) -> str | None:
    if low >= 5:
        return "wyższe"
    if low == high:
        return _ISCED_LEVELS.get(low)
    if high <= 2:
        return ISCED_LOW
    if low >= 3 and high <= 4:
        return ISCED_MIDDLE
    return None


def EDUCATION(value: Any) -> str | None:
    """Education as staff write it, or with its ISCED level as SL2014 and SM EFS export
    it ("Ponadgimnazjalne (ISCED 3)"; the 2021-2027 groups "ISCED 0-2", "ISCED 3-4")."""
    if isinstance(value, str):
        found = _ISCED.search(fold(value))
        if found:
            low = int(found[1])
            level = _isced(low, int(found[2]) if found[2] else low)
            if level is not None:
                return level
    return _EDUCATION_WORDS(value)  # type: ignore[no-any-return]


# the templates' dropdown offers the levels; the 2021-2027 bands are read, not offered
EDUCATION.choices = tuple(  # type: ignore[attr-defined]
    c for c in _EDUCATION_WORDS.choices if c not in (ISCED_LOW, ISCED_MIDDLE))

#: Inactive and in education or training: the claim counts them apart ("w tym").
STUDYING = "nieaktywny zawodowo – uczący się"
_LABOUR_WORDS = choice_parser(
    {v: v for v in ("bezrobotny", "długotrwale bezrobotny", "nieaktywny zawodowo",
                    STUDYING, "zatrudniony")},
    {
        "bezrobotna": "bezrobotny", "osoba bezrobotna": "bezrobotny",
        "bezrobotny zarejestrowany": "bezrobotny",
        "długotrwale bezrobotna": "długotrwale bezrobotny",
        "osoba długotrwale bezrobotna": "długotrwale bezrobotny",
        "nieaktywna zawodowo": "nieaktywny zawodowo",
        "osoba nieaktywna zawodowo": "nieaktywny zawodowo",
        "bierny zawodowo": "nieaktywny zawodowo", "bierna zawodowo": "nieaktywny zawodowo",
        "osoba bierna zawodowo": "nieaktywny zawodowo",
        "uczący się": STUDYING, "ucząca się": STUDYING, "uczeń": STUDYING,
        "student": STUDYING, "osoba ucząca się": STUDYING,
        "zatrudniona": "zatrudniony", "pracujący": "zatrudniony", "pracująca": "zatrudniony",
        "osoba pracująca": "zatrudniony",
    },
)
#: The long labels of SL2014 / SM EFS, by the words that decide them (most specific first).
_LABOUR_KEYWORDS = (("dlugotrwale bezrobot", "długotrwale bezrobotny"),
                    ("bezrobot", "bezrobotny"), ("uczac", STUDYING), ("ksztalc", STUDYING),
                    ("biern", "nieaktywny zawodowo"),
                    ("nieaktywn", "nieaktywny zawodowo"), ("pracuj", "zatrudniony"),
                    ("zatrudnion", "zatrudniony"), ("dzialalnosc", "zatrudniony"),
                    ("rolnik", "zatrudniony"))


def _labour_part(text: str) -> str | None:
    try:
        return _LABOUR_WORDS(text)  # type: ignore[no-any-return]
    except ValueProblem:
        folded = fold(text)
        return next((status for word, status in _LABOUR_KEYWORDS if word in folded), None)


def LABOUR_STATUS(value: Any) -> str | None:
    """Labour-market status: our short words, the monitoring systems' long labels
    ("Osoba bezrobotna zarejestrowana w ewidencji urzędów pracy"), and cells holding
    several ("…; w tym osoba długotrwale bezrobotna"): the most specific one counts."""
    if not isinstance(value, str) or not value.strip():
        return _LABOUR_WORDS(value)  # type: ignore[no-any-return]
    found = [_labour_part(part) for part in split_values(value)]
    if not found or None in found:
        return _LABOUR_WORDS(value)  # type: ignore[no-any-return]  # V006, with the list
    order = [status for _word, status in _LABOUR_KEYWORDS]
    return min(found, key=lambda status: order.index(status or ""))


LABOUR_STATUS.choices = _LABOUR_WORDS.choices  # type: ignore[attr-defined]

#: Degree of urbanisation (DEGURBA) of the place of residence, as SL2014 asks it.
_DEGURBA_NAMES = {"1": "1 – obszar gęsto zaludniony", "2": "2 – obszar pośredni",
                  "3": "3 – obszar słabo zaludniony"}
_DEGURBA_WORDS = (("gesto", "1"), ("posredn", "2"), ("slabo", "3"))


def DEGURBA(value: Any) -> str | None:
    """"1", 1, "1 - Obszar gęsto zaludniony", "obszar pośredni", "DEGURBA 3"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and value in (1, 2, 3):
        return _DEGURBA_NAMES[str(int(value))]
    if isinstance(value, str):
        folded = fold(value).replace("degurba", "").strip(" :-–")
        digit = re.match(r"([123])\b", folded)
        if digit:
            return _DEGURBA_NAMES[digit[1]]
        found = next((number for word, number in _DEGURBA_WORDS if word in folded), None)
        if found:
            return _DEGURBA_NAMES[found]
    raise ValueProblem("V006", text=str(value), allowed=", ".join(_DEGURBA_NAMES.values()))


DEGURBA.choices = tuple(_DEGURBA_NAMES.values())  # type: ignore[attr-defined]

PARTICIPANT_TYPE = choice_parser(
    {"indywidualny": "indywidualny",
     "pracownik lub przedstawiciel instytucji": "pracownik lub przedstawiciel instytucji"},
    {"uczestnik indywidualny": "indywidualny", "osoba": "indywidualny",
     "pracownik lub przedstawiciel instytucji/podmiotu":
         "pracownik lub przedstawiciel instytucji",
     "pracownik instytucji": "pracownik lub przedstawiciel instytucji",
     "przedstawiciel instytucji": "pracownik lub przedstawiciel instytucji",
     "instytucja": "pracownik lub przedstawiciel instytucji"},
)
AREA = choice_parser(
    {"miejski": "miejski", "wiejski": "wiejski"},
    {"miasto": "miejski", "obszar miejski": "miejski", "wieś": "wiejski",
     "obszar wiejski": "wiejski"},
)


#: The person columns every kind that names people declares (participants, contracts,
#: attendance): one declaration, so that a header known on one list is known on all.
FIRST_NAME = Column("Imię", ("imiona", "imie uczestnika"), personal=True)
LAST_NAME = Column("Nazwisko", ("nazwisko uczestnika",), personal=True)
FULL_NAME = Column("Nazwisko i imię", (
    "imię i nazwisko", "nazwisko, imię", "imię i nazwisko uczestnika",
    "nazwisko i imię uczestnika", "uczestnik", "uczestnik projektu",
    "nazwisko i imię uczestnika/uczestniczki"), personal=True)
PESEL = Column("PESEL", ("nr pesel", "pesel uczestnika"), personal=True,
               parser=pesel_mod.parse_pesel)


@dataclass(eq=False, repr=False)
class NamedRow:
    """The columns that say who a row is about, for the kinds that name a participant
    (attendance, contracts, socially useful work): their records extend it."""

    row: int
    first_name: Annotated[str | None, FIRST_NAME] = None
    last_name: Annotated[str | None, LAST_NAME] = None
    full_name: Annotated[str | None, FULL_NAME] = None
    pesel: Annotated[str | None, PESEL] = None


@dataclass(eq=False, repr=False)
class Participant:
    """One row of the list. No slots: a record holds only the values its sheet has
    columns for (see :meth:`Kind.build_columns`), the rest are the class's defaults.
    It is built three times faster than through the 57-field ``__init__``."""

    row: int
    lp: Annotated[int | None, Column("Lp.", ("l.p.", "lp", "nr", "nr porzadkowy"))] = None
    first_name: Annotated[str | None, replace(FIRST_NAME, value_required=True)] = None
    last_name: Annotated[str | None, replace(LAST_NAME, value_required=True)] = None
    full_name: Annotated[str | None, replace(FULL_NAME, value_required=True)] = None
    # required unless "Brak PESEL" (Kind.required_unless)
    pesel: Annotated[str | None, replace(PESEL, value_required=True)] = None
    no_pesel: Annotated[bool | None, Column(
        "Brak PESEL", ("brak numeru pesel", "osoba nie posiada numeru pesel",
                       "brak nr pesel"))] = None
    country: Annotated[str | None, Column("Kraj", ("państwo", "kraj pochodzenia"))] = None
    participant_type: Annotated[str | None, Column(
        "Rodzaj uczestnika", ("typ uczestnika",), parser=PARTICIPANT_TYPE)] = None
    institution: Annotated[str | None, Column(
        "Nazwa instytucji", ("instytucja", "nazwa podmiotu"))] = None
    sex: Annotated[Sex | None, Column("Płeć", ("plec k/m",))] = None
    birth_date: Annotated[dt.date | None, Column(
        "Data urodzenia", ("data ur.", "data urodz.", "ur.", "data urodzenia uczestnika"),
        number_format=DATE_FORMAT)] = None
    age: Annotated[int | None, Column(
        "Wiek w chwili przystąpienia do projektu",
        ("wiek", "wiek w chwili przystąpienia", "wiek w momencie przystąpienia do projektu",
         "wiek uczestnika", "wiek w chwili rozpoczęcia udziału w projekcie",
         "wiek w momencie rozpoczęcia udziału w projekcie", "wiek w chwili rozpoczęcia udziału",
         "wiek w dniu rozpoczęcia udziału w projekcie", "wiek w latach",
         "wiek w chwili przystąpienia do projektu (lata)"))] = None
    education: Annotated[str | None, Column(
        "Wykształcenie", ("poziom wykształcenia",), parser=EDUCATION)] = None
    street: Annotated[str | None, Column("Ulica", personal=True)] = None
    house_no: Annotated[str | None, Column(
        "Nr domu", ("nr budynku",), personal=True)] = None
    flat_no: Annotated[str | None, Column(
        "Nr lokalu", ("nr mieszkania",), personal=True)] = None
    town: Annotated[str | None, Column("Miejscowość", ("miasto",))] = None
    postal_code: Annotated[str | None, Column("Kod pocztowy", ("kod",))] = None
    commune: Annotated[str | None, Column("Gmina")] = None
    county: Annotated[str | None, Column("Powiat")] = None
    voivodeship: Annotated[str | None, Column("Województwo")] = None
    area: Annotated[str | None, Column(
        "Obszar", ("obszar miejski/wiejski", "obszar zamieszkania", "obszar: miejski/wiejski",
                   "obszar (miejski/wiejski)"), parser=AREA)] = None
    degurba: Annotated[str | None, Column(
        "Obszar wg stopnia urbanizacji (DEGURBA)",
        ("degurba", "stopień urbanizacji", "obszar wg stopnia urbanizacji",
         "obszar według stopnia urbanizacji (degurba)", "stopień urbanizacji (degurba)"),
        parser=DEGURBA)] = None
    phone: Annotated[str | None, Column(
        "Telefon", ("nr telefonu", "telefon kontaktowy", "telefon stacjonarny"),
        personal=True)] = None
    mobile: Annotated[str | None, Column(
        "Telefon komórkowy", ("tel. komórkowy", "nr telefonu komórkowego"),
        personal=True)] = None
    email: Annotated[str | None, Column(
        "E-mail", ("email", "adres e-mail", "adres poczty elektronicznej"),
        personal=True)] = None
    labour_status: Annotated[str | None, Column(
        "Status na rynku pracy", ("status osoby na rynku pracy",
                                  "status na rynku pracy w chwili przystąpienia do projektu",
                                  "status osoby na rynku pracy w chwili przystąpienia do "
                                  "projektu"),
        parser=LABOUR_STATUS)] = None
    target_group: Annotated[str | None, Column(
        "Grupa docelowa", ("grupa", "przynależność do grupy docelowej"))] = None
    disability: Annotated[bool | None, Column(
        "Niepełnosprawność", ("osoba niepełnosprawna", "osoba z niepełnosprawnością",
                              "niepełnosprawny", "niepełnosprawna",
                              "osoba z niepełnosprawnościami"), personal=True,
        parser=parse_yes_no_or_refused)] = None
    minority: Annotated[str | None, Column(
        "Osoba należąca do mniejszości narodowej lub etnicznej, migrant, osoba obcego "
        "pochodzenia", ("mniejszość narodowa lub etniczna, migrant",
                        "osoba należąca do mniejszości narodowej lub etnicznej",
                        "osoba obcego pochodzenia lub należąca do mniejszości",
                        "osoba należąca do mniejszości narodowej lub etnicznej (w tym "
                        "społeczności marginalizowane takie jak romowie)"),
        personal=True, parser=parse_yes_no_refused)] = None
    migrant: Annotated[str | None, Column(
        "Migrant", ("osoba obcego pochodzenia",), personal=True,
        parser=parse_yes_no_refused)] = None
    third_country: Annotated[str | None, Column(
        "Osoba z państwa trzeciego", ("obywatel państwa trzeciego",), personal=True,
        parser=parse_yes_no_refused)] = None
    homeless: Annotated[str | None, Column(
        "Osoba bezdomna lub dotknięta wykluczeniem z dostępu do mieszkań",
        ("osoba bezdomna", "osoba w kryzysie bezdomności lub dotknięta wykluczeniem z dostępu "
                           "do mieszkań", "osoba w kryzysie bezdomności"),
        personal=True, parser=parse_yes_no_refused)] = None
    jobless_household: Annotated[str | None, Column(
        "Osoba przebywająca w gospodarstwie domowym bez osób pracujących",
        ("gospodarstwo domowe bez osób pracujących",), parser=parse_yes_no_refused)] = None
    jobless_household_children: Annotated[str | None, Column(
        "w tym: w gospodarstwie domowym z dziećmi pozostającymi na utrzymaniu",
        ("w gospodarstwie domowym z dziećmi pozostającymi na utrzymaniu",),
        parser=parse_yes_no_refused)] = None
    single_adult_household: Annotated[str | None, Column(
        "Osoba żyjąca w gospodarstwie składającym się z jednej osoby dorosłej i dzieci "
        "pozostających na utrzymaniu", ("gospodarstwo jednej osoby dorosłej z dziećmi",),
        parser=parse_yes_no_refused)] = None
    other_disadvantage: Annotated[str | None, Column(
        "Osoba w innej niekorzystnej sytuacji społecznej (innej niż wymienione powyżej)",
        ("osoba w innej niekorzystnej sytuacji społecznej",), personal=True,
        parser=parse_yes_no_refused)] = None
    support_form: Annotated[str | None, Column(
        "Forma wsparcia", ("rodzaj wsparcia", "forma wsparcia w projekcie",
                           "instrument aktywnej integracji", "rodzaj przyznanego wsparcia"))] = (
        None)
    support_start: Annotated[dt.date | None, Column(
        "Data rozpoczęcia udziału we wsparciu", number_format=DATE_FORMAT)] = None
    support_end: Annotated[dt.date | None, Column(
        "Data zakończenia udziału we wsparciu", number_format=DATE_FORMAT)] = None
    contract_no: Annotated[str | None, Column(
        "Nr kontraktu socjalnego", ("nr kontraktu", "kontrakt socjalny nr",
                                    "kontrakt socjalny"))] = None
    start: Annotated[dt.date | None, Column(
        "Data rozpoczęcia udziału w projekcie",
        ("data rozpoczęcia udziału", "data rozpoczęcia", "data przystąpienia do projektu",
         "data przystąpienia", "data rozpoczęcia udziału w projekcie (dd.mm.rrrr)"),
        value_required=True, number_format=DATE_FORMAT)] = None
    end: Annotated[dt.date | None, Column(
        "Data zakończenia udziału w projekcie",
        ("data zakończenia udziału", "data zakończenia", "data wyjścia z projektu"),
        number_format=DATE_FORMAT)] = None
    completed_path: Annotated[bool | None, Column(
        "Zakończenie udziału zgodnie ze ścieżką",
        ("zakończenie zgodnie ze ścieżką", "zakończenie zgodnie ze ścieżką uczestnictwa",
         "zakończenie udziału w projekcie zgodnie z zaplanowaną dla niego ścieżką "
         "uczestnictwa", "ukończenie zgodnie ze ścieżką",
         "zakończenie udziału osoby w projekcie zgodnie z zaplanowaną dla niej ścieżką "
         "uczestnictwa", "zakończenie udziału zgodnie z zaplanowaną ścieżką uczestnictwa"))] = (
        None)
    situation_at_end: Annotated[str | None, Column(
        "Sytuacja osoby w momencie zakończenia udziału w projekcie",
        ("sytuacja po zakończeniu udziału",))] = None
    occupation: Annotated[str | None, Column("Wykonywany zawód", ("zawód",))] = None
    employer: Annotated[str | None, Column("Zatrudniony w", ("miejsce zatrudnienia",))] = None
    youth_results: Annotated[str | None, Column(
        "Inne rezultaty dotyczące osób młodych",)] = None
    business_start: Annotated[dt.date | None, Column(
        "Data założenia działalności gospodarczej", number_format=DATE_FORMAT)] = None
    business_grant: Annotated[Decimal | None, Column(
        "Kwota przyznanych środków na założenie działalności gospodarczej")] = None
    business_pkd: Annotated[str | None, Column(
        "PKD założonej działalności gospodarczej", ("pkd",))] = None
    employed_after: Annotated[bool | None, Column(
        "Zatrudnienie po zakończeniu udziału",
        ("podjęcie zatrudnienia", "efektywność zatrudnieniowa", "zatrudnienie po zakończeniu",
         "podjął zatrudnienie", "zatrudnienie po zakończeniu udziału w projekcie",
         "podjęcie pracy po zakończeniu udziału"))] = None
    social_progress: Annotated[bool | None, Column(
        "Postęp w integracji społecznej",
        ("efektywność społeczna", "postęp w procesie integracji społecznej",
         "postęp w procesie aktywizacji społecznej", "postęp w integracji",
         "postęp w integracji społecznej po zakończeniu udziału"))] = None
    dropout_reason: Annotated[str | None, Column(
        "Powód przerwania udziału", ("powód przerwania", "przyczyna przerwania udziału",
                                     "przyczyna przerwania"))] = None

    #: Derived once from the PESEL (``Kind.derived``): several checks need them.
    pesel_birth_date: dt.date | None = None
    pesel_sex: Sex | None = None

    @property
    def effective_birth_date(self) -> dt.date | None:
        """The birth date the PESEL carries, else the one typed in the sheet."""
        return self.pesel_birth_date or self.birth_date


def name_key(name: str | None) -> str | None:
    """A name compared regardless of order, case and diacritics: "Nowak Anna" = "ANNA NOWAK"."""
    if not name:
        return None
    return " ".join(sorted(fold(name).split())) or None


def full_name(record: Any) -> str | None:
    """The person's name from one "Nazwisko i imię" column or from the two columns."""
    if record.full_name:
        return str(record.full_name)
    parts = [p for p in (record.last_name, record.first_name) if p]
    return " ".join(parts) or None


def person_key(record: Any) -> str:
    """Who a row of attendance or socially useful work is about: the PESEL, else the
    name regardless of order, case and diacritics (what the attendance book and the PSU
    register group by)."""
    return str(record.pesel) if record.pesel else f"~{name_key(full_name(record)) or '?'}"


def who(record: Any) -> str:
    """How a person is named in a message: the name, else the PESEL (each masked at
    output unless the user asks to see personal data)."""
    name = full_name(record)
    if name:
        return Name(name)
    return Personal(record.pesel) if record.pesel else "?"


def person_field(ctx: SheetContext, record: Any) -> str:
    """The column that names the person on a row (contracts, attendance): where an
    issue about who the person is points."""
    if record.pesel and ctx.has("pesel"):
        return "pesel"
    return "full_name" if ctx.has("full_name") else "last_name"


class ParticipantIndex:
    """Who is on the project's participant lists, found by PESEL or, failing that, by name.

    Attendance, contracts and payments name people; this is how they are matched to the
    list. Empty when the project has no participant workbook: checks then say nothing.
    """

    def __init__(self, project: ProjectData) -> None:
        self.by_pesel: dict[str, Participant] = {}
        self.by_name: dict[str, list[Participant]] = defaultdict(list)
        for sheet in project.of_kind(PARTICIPANTS):
            for record in sheet.records:
                if record.pesel:
                    self.by_pesel.setdefault(record.pesel, record)
                key = name_key(full_name(record))
                if key:
                    self.by_name[key].append(record)

    def __bool__(self) -> bool:
        return bool(self.by_pesel or self.by_name)

    def find(self, pesel: str | None, name: str | None) -> Participant | None:
        """By PESEL; by name when there is no PESEL, or when the list holds the name
        without a valid PESEL (a typo on the list must not hide the person)."""
        if pesel and pesel in self.by_pesel:
            return self.by_pesel[pesel]
        key = name_key(name)
        matches = self.by_name.get(key, []) if key else []
        if pesel:
            matches = [m for m in matches if not m.pesel]
        return matches[0] if matches else None


def age_on(born: dt.date, day: dt.date) -> int:
    """Full years of age on ``day`` (what the monitoring forms call "wiek")."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def entry_date(record: Participant, ctx: SheetContext) -> dt.date | None:
    return record.start or ctx.settings.start


# --- checks on one sheet -----------------------------------------------------------


def check_no_pesel(ctx: SheetContext, records: list[Participant]) -> Iterator[Issue]:
    """P013: "Brak PESEL" (a foreigner in SL2014 and SM EFS; the PESEL is then not
    required) contradicted by the row: a PESEL given, or the country is Poland."""
    if not ctx.has("no_pesel"):
        return
    for record in records:
        if not record.no_pesel:
            continue
        if record.pesel:
            yield ctx.issue("P013", record, "no_pesel", why=Bilingual(
                "w kolumnie PESEL jest numer", "the PESEL column holds a number"))
        elif record.country and fold(record.country) == "polska":
            yield ctx.issue("P013", record, "country", value=record.country,
                            why=Bilingual("kraj to Polska", "the country is Poland"))


def check_pesel_agrees(ctx: SheetContext, records: list[Participant]) -> Iterator[Issue]:
    """P003, P004: birth date and sex typed in the sheet agree with the PESEL."""
    for record in records:
        born, sex = record.pesel_birth_date, record.pesel_sex
        if born is None or sex is None:
            continue
        if record.birth_date and record.birth_date != born:
            yield ctx.issue("P003", record, "birth_date", value=record.birth_date,
                            sheet_date=record.birth_date, pesel_date=born)
        if record.sex and record.sex != sex:
            yield ctx.issue("P004", record, "sex", value=record.sex.value,
                            sheet_sex=record.sex.value, pesel_sex=sex.value)


def check_dates(ctx: SheetContext, records: list[Participant]) -> Iterator[Issue]:
    """P006, P007: start before end, both inside the project period."""
    settings = ctx.settings
    for record in records:
        if record.start and record.end and record.end < record.start:
            yield ctx.issue("P006", record, "end", value=record.end,
                            start=record.start, end=record.end)
        if not (settings.start or settings.end):
            continue
        for name in ("start", "end"):
            day: dt.date | None = getattr(record, name)
            if day is None:
                continue
            if (settings.start and day < settings.start) or (settings.end and day > settings.end):
                yield ctx.issue("P007", record, name, value=day, column=ctx.header(name),
                                date=day, period_from=settings.start or "…",
                                period_to=settings.end or "…")


def check_age(ctx: SheetContext, records: list[Participant]) -> Iterator[Issue]:
    """P008, P012: age at entry within the target group's range; the sheet's age agrees."""
    low, high = ctx.settings.age_min, ctx.settings.age_max
    for record in records:
        born, day = record.effective_birth_date, entry_date(record, ctx)
        if born is None or day is None:
            continue
        age = age_on(born, day)
        if record.age is not None and record.age != age:
            yield ctx.issue("P012", record, "age", value=record.age, sheet_age=record.age,
                            age=age)
        if not low <= age <= high:
            field_name = "pesel" if record.pesel else "birth_date"
            yield ctx.issue("P008", record, field_name, value=age, age=Bilingual(
                plural(age, "rok", "lata", "lat"), plural(age, "year", "years", lang="en")),
                age_min=low,
                            age_max=high)


_POSTAL = re.compile(r"^\d{2}-\d{3}$")


def check_postal_code(ctx: SheetContext, records: list[Participant]) -> Iterator[Issue]:
    """P009: postal codes as NN-NNN (a number cell turns 11-200 into 11200)."""
    for record in records:
        code = record.postal_code
        if code and not _POSTAL.match(code):
            yield ctx.issue("P009", record, "postal_code", value=code, text=code)


def check_dropout_reason(ctx: SheetContext, records: list[Participant]) -> Iterator[Issue]:
    """P011: leaving off the planned path needs a reason (PEFS asks for it)."""
    if not ctx.has("dropout_reason"):
        return
    for record in records:
        if record.completed_path is False and not record.dropout_reason:
            yield ctx.issue("P011", record, "dropout_reason")


# --- checks across the project's participant sheets --------------------------------


def check_duplicate_pesel(project: ProjectData) -> Iterator[Issue]:
    """P005: one person, one row; every row of a duplicate names all the others.

    The numbers are counted first and only the repeated ones are gathered with their
    rows: a list of 50 000 people has a handful of duplicates, and a list of places per
    person cost it 26 ms (10.7 ms now; both with the collector paused, as the engine
    runs the checks)."""
    sheets = project.of_kind(PARTICIPANTS)
    counts = Counter(record.pesel for sheet in sheets for record in sheet.records)
    repeated = {pesel for pesel, number in counts.items() if number > 1 and pesel}
    if not repeated:
        return
    seen: dict[str, list[tuple[SheetContext, Participant]]] = defaultdict(list)
    for sheet in sheets:
        for record in sheet.records:
            if record.pesel in repeated:
                seen[record.pesel].append((sheet.ctx, record))
    several_files = len({sheet.ctx.table.file for sheet in sheets}) > 1
    for pesel, places in seen.items():
        if len(places) < 2:
            continue
        for ctx, record in places:
            rows = ", ".join(_place(o_ctx, o_rec, ctx, several_files) for o_ctx, o_rec in places)
            yield ctx.issue("P005", record, "pesel", value=Personal(pesel),
                            pesel=Personal(pesel), rows=rows)


def _place(ctx: SheetContext, record: Participant, here: SheetContext, several: bool) -> str:
    """A row as seen from ``here``: its number, or file and sheet when elsewhere."""
    if ctx is here:
        return str(record.row)
    where = f"{ctx.table.file}:" if several else ""
    return f"{where}{ctx.table.sheet}!{record.row}"


def check_plan(project: ProjectData) -> Iterator[Issue]:
    """P010: participants per group as planned in ``[plan_uczestnikow]``."""
    sheets = project.of_kind(PARTICIPANTS)
    if not sheets or not project.settings.plan:
        return
    anchor = sheets[0].ctx
    for key, planned in project.settings.plan.items():
        field_name = PLAN_COLUMNS[key]
        if not any(sheet.ctx.has(field_name) for sheet in sheets):
            continue
        counts: dict[str, int] = defaultdict(int)
        shown: dict[str, str] = {}
        for sheet in sheets:
            for record in sheet.records:
                value = getattr(record, field_name)
                if value:
                    counts[fold(value)] += 1
                    shown.setdefault(fold(value), value)
        groups = {fold(g): g for g in planned}
        for folded in sorted(set(groups) | set(counts)):
            plan, actual = planned.get(groups.get(folded, ""), 0), counts.get(folded, 0)
            if plan != actual:
                yield anchor.issue("P010", column=anchor.header(field_name),
                                   group=groups.get(folded) or shown[folded],
                                   # "2 uczestników": with digits, the usual written form
                                   actual=Bilingual(
                                       plural(actual, "uczestnik", "uczestników",
                                              "uczestników"),
                                       plural(actual, "participant", "participants",
                                              lang="en")), planned=plan)




def summarise(project: ProjectData) -> list[SummaryTable]:
    """Participants per form of support (against the plan, when there is one) and sex."""
    records = [r for sheet in project.of_kind(PARTICIPANTS) for r in sheet.records]
    if not records:
        return []
    plan = {fold(k): v for k, v in project.settings.plan.get("forma_wsparcia", {}).items()}
    counts: dict[str, list[int]] = {}
    for record in records:
        row = counts.setdefault(record.support_form or "(nie podano)", [0, 0, 0])
        row[0] += 1
        sex = record.pesel_sex or record.sex
        if sex is Sex.FEMALE:
            row[1] += 1
        elif sex is Sex.MALE:
            row[2] += 1
    rows: list[list[Any]] = [[form, plan.get(fold(form)), *c] for form, c in sorted(counts.items())]
    rows.append(["Razem", sum(plan.values()) if plan else None, len(records),
                 sum(c[1] for c in counts.values()), sum(c[2] for c in counts.values())])
    return [SummaryTable(
        "Uczestnicy według formy wsparcia", "Participants by form of support",
        ["Forma wsparcia", "Plan", "Uczestnicy", "Kobiety", "Mężczyźni"],
        ["Form of support", "Planned", "Participants", "Women", "Men"], rows)]


# --- computed columns (fill) ---------------------------------------------------------


def _birth_dates(project: ProjectData, sheet: SheetData) -> dict[int, Any]:
    return {r.row: r.pesel_birth_date for r in sheet.records if r.pesel_birth_date}


def _sexes(project: ProjectData, sheet: SheetData) -> dict[int, Any]:
    return {r.row: r.pesel_sex for r in sheet.records if r.pesel_sex}


def _ages(project: ProjectData, sheet: SheetData) -> dict[int, Any]:
    ages: dict[int, Any] = {}
    for record in sheet.records:
        born, entry = record.effective_birth_date, entry_date(record, sheet.ctx)
        if born and entry:
            ages[record.row] = age_on(born, entry)
    return ages


def status(record: Participant, today: dt.date) -> str | None:
    """Where the person stands on ``today``: the words a monitoring report uses."""
    if record.start is None:
        return None
    if record.start > today:
        return "nie rozpoczął udziału"
    if record.end is None or record.end > today:
        return "uczestniczy"
    if record.completed_path is False or record.dropout_reason:
        return "przerwał udział"
    return "zakończył udział"


def _statuses(project: ProjectData, sheet: SheetData) -> dict[int, Any]:
    today = project.settings.today
    return {r.row: found for r in sheet.records if (found := status(r, today))}


COMPUTED = (
    Computed("Data urodzenia", _birth_dates,
             number_format=DATE_FORMAT, width=12, field="birth_date"),
    Computed("Płeć", _sexes, number_format=None, width=6, field="sex"),
    Computed("Wiek w chwili przystąpienia do projektu", _ages,
             number_format="0", width=10, field="age"),
    Computed("Status uczestnictwa", _statuses, number_format=None, width=20,
             aliases=("status udziału", "status uczestnika", "status udziału w projekcie")),
)


PARTICIPANTS = Kind(
    names=("uczestnicy", "participants"),
    words=("uczestni", "lista", "rekrutac"),
    name="participants",
    label="lista uczestników",
    label_en="participant list",
    model=Participant,
    required=(("first_name", "last_name", "pesel"), ("full_name", "pesel")),
    required_unless={"pesel": "no_pesel"},
    derived={"pesel_birth_date": ("pesel", pesel_mod.birth_date),
             "pesel_sex": ("pesel", pesel_mod.sex)},
    checks=(check_no_pesel, check_pesel_agrees, check_dates, check_age, check_postal_code,
            check_dropout_reason),
    project_checks=(check_duplicate_pesel, check_plan),
    summaries=(summarise,),
    computed=COMPUTED,
    grouped=((("udzial", "uczestnictw", "okres", "projekt"), {
        **dict.fromkeys(("od", "data od", "rozpoczecie", "rozpoczecia", "data rozpoczecia",
                         "poczatek", "przystapienie", "data przystapienia", "start"),
                        "start"),
        **dict.fromkeys(("do", "data do", "zakonczenie", "zakonczenia", "data zakonczenia",
                         "koniec", "wyjscie", "data wyjscia"), "end")}),),
)
