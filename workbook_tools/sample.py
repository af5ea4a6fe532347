"""Synthetic but plausible project data, kept apart from the engine (no checking module
imports it): the example project, the tests, the benchmarks and `excel selftest` use it.

No real person is in here: names are drawn from common Polish first names and surnames,
PESEL numbers are built from a birth date, sex and serial with the real check digit, so
they validate without belonging to anybody we know of.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stdnum.pl import pesel as stdnum_pesel

from .kinds.participants import age_on
from .values import Sex

FEMALE = ("Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa",
          "Krystyna", "Elżbieta", "Joanna", "Magdalena", "Monika", "Beata", "Dorota",
          "Jolanta", "Renata", "Iwona", "Grażyna", "Danuta", "Halina", "Marta", "Teresa")
MALE = ("Jan", "Andrzej", "Piotr", "Krzysztof", "Stanisław", "Tomasz", "Paweł", "Józef",
        "Marcin", "Marek", "Michał", "Grzegorz", "Jerzy", "Tadeusz", "Adam", "Łukasz",
        "Zbigniew", "Ryszard", "Dariusz", "Henryk", "Mariusz", "Kazimierz")
SURNAMES = ("Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński",
            "Lewandowski", "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski",
            "Jankowski", "Mazur", "Kwiatkowski", "Krawczyk", "Piotrowski", "Grabowski",
            "Nowakowski", "Pawłowski", "Michalski", "Adamczyk", "Dudek", "Zając", "Wieczorek",
            "Jabłoński", "Król", "Majewski", "Olszewski", "Jaworski", "Wróbel", "Malinowski")
STREETS = ("Pieniężnego", "Bohaterów Monte Cassino", "Kętrzyńska", "Limanowskiego",
           "Kolejowa", "Warszawska", "Mickiewicza", "Słowackiego", "Kasprowicza", "Leśna")
EDUCATION = ("podstawowe", "gimnazjalne", "ponadgimnazjalne", "ponadgimnazjalne",
             "pomaturalne", "wyższe")
STATUS = ("bezrobotny", "długotrwale bezrobotny", "długotrwale bezrobotny",
          "nieaktywny zawodowo")

#: Canonical headers of the participant list, in the order the PEFS form uses.
PARTICIPANT_HEADERS = (
    "Lp.", "Imię", "Nazwisko", "PESEL", "Płeć", "Data urodzenia",
    "Wiek w chwili przystąpienia do projektu", "Wykształcenie", "Ulica", "Nr domu",
    "Nr lokalu", "Miejscowość", "Kod pocztowy", "Gmina", "Powiat", "Województwo", "Obszar",
    "Telefon", "Status na rynku pracy", "Grupa docelowa", "Niepełnosprawność",
    "Forma wsparcia", "Nr kontraktu socjalnego", "Data rozpoczęcia udziału w projekcie",
    "Data zakończenia udziału w projekcie", "Zakończenie udziału zgodnie ze ścieżką",
    "Powód przerwania udziału",
)


def make_pesel(born: dt.date, sex: Sex, serial: int) -> str:
    """A valid PESEL for a birth date and sex (serial: any number 0-999)."""
    month = born.month + {18: 80, 19: 0, 20: 20, 21: 40, 22: 60}[born.year // 100]
    sex_digit = (serial % 5) * 2 + (1 if sex is Sex.MALE else 0)
    body = f"{born.year % 100:02d}{month:02d}{born.day:02d}{serial % 1000:03d}{sex_digit}"
    return body + str(stdnum_pesel.calc_check_digit(body))


def female_surname(surname: str) -> str:
    for male, female in (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")):
        if surname.endswith(male):
            return surname[: -len(male)] + female
    return surname


@dataclass
class Person:
    first_name: str
    last_name: str
    pesel: str
    sex: Sex
    born: dt.date


def people(count: int, rng: random.Random, entry: dt.date, age_range: tuple[int, int] = (18, 60)
           ) -> Iterator[Person]:
    """Distinct people of working age at ``entry``."""
    used: set[str] = set()
    while len(used) < count:
        sex = rng.choice((Sex.FEMALE, Sex.MALE))
        age = rng.randint(*age_range)
        born = entry.replace(year=entry.year - age - 1) + dt.timedelta(days=rng.randint(1, 360))
        pesel = make_pesel(born, sex, rng.randint(0, 999))
        if pesel in used:
            continue
        used.add(pesel)
        surname = rng.choice(SURNAMES)
        if sex is Sex.FEMALE:
            yield Person(rng.choice(FEMALE), female_surname(surname), pesel, sex, born)
        else:
            yield Person(rng.choice(MALE), surname, pesel, sex, born)


def participant_rows(groups: dict[str, int], start: dt.date, end: dt.date, seed: int = 2009
                     ) -> list[dict[str, Any]]:
    """Clean participant rows (header -> value), ``groups`` = form of support -> count."""
    rng = random.Random(seed)
    total = sum(groups.values())
    forms = [form for form, n in groups.items() for _ in range(n)]
    rows: list[dict[str, Any]] = []
    for number, (person, form) in enumerate(zip(people(total, rng, start), forms, strict=True), 1):
        joined = start + dt.timedelta(days=rng.randint(0, 60))
        left = min(end, joined + dt.timedelta(days=rng.randint(90, 200)))
        completed = rng.random() > 0.1
        rows.append({
            "Lp.": number,
            "Imię": person.first_name,
            "Nazwisko": person.last_name,
            "PESEL": person.pesel,
            "Płeć": person.sex.value,
            "Data urodzenia": person.born,
            "Wiek w chwili przystąpienia do projektu": age_on(person.born, joined),
            "Wykształcenie": rng.choice(EDUCATION),
            "Ulica": rng.choice(STREETS),
            "Nr domu": str(rng.randint(1, 80)),
            "Nr lokalu": str(rng.randint(1, 40)) if rng.random() < 0.6 else None,
            "Miejscowość": "Bartoszyce",
            "Kod pocztowy": "11-200",
            "Gmina": "Bartoszyce",
            "Powiat": "bartoszycki",
            "Województwo": "warmińsko-mazurskie",
            "Obszar": "miejski",
            "Telefon": f"89 762 {rng.randint(10, 99)} {rng.randint(10, 99)}",
            "Status na rynku pracy": rng.choice(STATUS),
            "Grupa docelowa": "osoby zagrożone wykluczeniem społecznym",
            "Niepełnosprawność": "tak" if rng.random() < 0.08 else "nie",
            "Forma wsparcia": form,
            "Nr kontraktu socjalnego": f"KS/{number:03d}/{start.year}",
            "Data rozpoczęcia udziału w projekcie": joined,
            "Data zakończenia udziału w projekcie": left,
            "Zakończenie udziału zgodnie ze ścieżką": "tak" if completed else "nie",
            "Powód przerwania udziału": None if completed else "podjęcie zatrudnienia",
        })
    return rows


# --- central monitoring systems' participant layouts ------------------------------------
# Field lists of the participant data each period's monitoring system collects: PEFS 2007
# (PO KL, the "PEFS 2007" form), SL2014 (2014-2020, "Dane uczestników" of the 2014-2020
# monitoring guidelines; its export starts with the institutional participant's block,
# whose names the individual block repeats) and SM EFS (2021-2027). The people are ours.

PEFS2007_HEADERS = (
    "Lp.", "Imię", "Nazwisko", "Płeć", "Wiek w chwili rozpoczęcia udziału w projekcie",
    "PESEL", "Wykształcenie", "Województwo", "Powiat", "Gmina", "Miejscowość", "Ulica",
    "Nr budynku", "Nr lokalu", "Kod pocztowy", "Obszar", "Telefon stacjonarny",
    "Telefon komórkowy", "Adres poczty elektronicznej (e-mail)",
    "Data rozpoczęcia udziału w projekcie", "Data zakończenia udziału w projekcie",
    "Zakończenie udziału w projekcie zgodnie z zaplanowaną dla niego ścieżką uczestnictwa",
    "Status osoby na rynku pracy w chwili przystąpienia do projektu",
    "Osoba należąca do mniejszości narodowej lub etnicznej", "Migrant",
    "Osoba niepełnosprawna", "Przynależność do grupy docelowej")
SL2014_INSTITUTION = (
    "Kraj", "Nazwa instytucji", "NIP", "Typ instytucji", "Województwo", "Powiat", "Gmina",
    "Miejscowość", "Ulica", "Nr budynku", "Nr lokalu", "Kod pocztowy",
    "Obszar wg stopnia urbanizacji (DEGURBA)", "Telefon kontaktowy", "Adres e-mail",
    "Data rozpoczęcia udziału w projekcie", "Data zakończenia udziału w projekcie",
    "Czy wsparciem zostali objęci pracownicy instytucji")
SL2014_PERSON = (
    "Kraj", "Rodzaj uczestnika", "Nazwa instytucji", "Imię", "Nazwisko", "PESEL",
    "Brak PESEL", "Płeć", "Wiek w chwili przystąpienia do projektu", "Wykształcenie",
    "Województwo", "Powiat", "Gmina", "Miejscowość", "Ulica", "Nr budynku", "Nr lokalu",
    "Kod pocztowy", "Obszar wg stopnia urbanizacji (DEGURBA)", "Telefon kontaktowy",
    "Adres e-mail", "Data rozpoczęcia udziału w projekcie",
    "Data zakończenia udziału w projekcie",
    "Status osoby na rynku pracy w chwili przystąpienia do projektu", "Wykonywany zawód",
    "Zatrudniony w", "Sytuacja osoby w momencie zakończenia udziału w projekcie",
    "Inne rezultaty dotyczące osób młodych",
    "Zakończenie udziału osoby w projekcie zgodnie z zaplanowaną dla niej ścieżką "
    "uczestnictwa", "Rodzaj przyznanego wsparcia", "Data rozpoczęcia udziału we wsparciu",
    "Data zakończenia udziału we wsparciu", "Data założenia działalności gospodarczej",
    "Kwota przyznanych środków na założenie działalności gospodarczej",
    "PKD założonej działalności gospodarczej",
    "Osoba należąca do mniejszości narodowej lub etnicznej, migrant, osoba obcego "
    "pochodzenia", "Osoba bezdomna lub dotknięta wykluczeniem z dostępu do mieszkań",
    "Osoba z niepełnosprawnościami",
    "Osoba przebywająca w gospodarstwie domowym bez osób pracujących",
    "w tym: w gospodarstwie domowym z dziećmi pozostającymi na utrzymaniu",
    "Osoba żyjąca w gospodarstwie składającym się z jednej osoby dorosłej i dzieci "
    "pozostających na utrzymaniu",
    "Osoba w innej niekorzystnej sytuacji społecznej (innej niż wymienione powyżej)")
SMEFS_HEADERS = (
    "Lp.", "Kraj", "Rodzaj uczestnika", "Nazwa instytucji", "Imię", "Nazwisko", "PESEL",
    "Brak PESEL", "Płeć", "Wiek w chwili przystąpienia do projektu", "Wykształcenie",
    "Województwo", "Powiat", "Gmina", "Miejscowość", "Kod pocztowy",
    "Obszar wg stopnia urbanizacji (DEGURBA)", "Telefon kontaktowy", "Adres e-mail",
    "Data rozpoczęcia udziału w projekcie", "Data zakończenia udziału w projekcie",
    "Status osoby na rynku pracy w chwili przystąpienia do projektu",
    "Osoba z niepełnosprawnościami", "Osoba obcego pochodzenia",
    "Osoba z państwa trzeciego",
    "Osoba należąca do mniejszości narodowej lub etnicznej (w tym społeczności "
    "marginalizowane takie jak Romowie)",
    "Osoba w kryzysie bezdomności lub dotknięta wykluczeniem z dostępu do mieszkań",
    "Sytuacja osoby w momencie zakończenia udziału w projekcie")

_ISCED_OF = {"podstawowe": "Podstawowe (ISCED 1)", "gimnazjalne": "Gimnazjalne (ISCED 2)",
             "ponadgimnazjalne": "Ponadgimnazjalne (ISCED 3)",
             "pomaturalne": "Policealne (ISCED 4)", "wyższe": "Wyższe (ISCED 5-8)",
             "brak": "Niższe niż podstawowe (ISCED 0)"}
_LONG_STATUS = {
    "bezrobotny": "Osoba bezrobotna zarejestrowana w ewidencji urzędów pracy",
    "długotrwale bezrobotny": "Osoba bezrobotna zarejestrowana w ewidencji urzędów pracy; "
                              "w tym osoba długotrwale bezrobotna",
    "nieaktywny zawodowo": "Osoba bierna zawodowo", "zatrudniony": "Osoba pracująca"}


def export_rows(layout: str, participants: Sequence[dict[str, Any]]
                ) -> tuple[tuple[str, ...], list[list[Any]]]:
    """Participants as a central system's export writes them: "pefs2007", "sl2014"
    (institution block first, empty for individual participants) or "smefs". Dates as
    text dd.mm.rrrr, yes/no as Tak/Nie, education with its ISCED level."""
    headers = {"pefs2007": PEFS2007_HEADERS, "smefs": SMEFS_HEADERS,
               "sl2014": ("Lp.", *SL2014_INSTITUTION, *SL2014_PERSON)}[layout]
    rows = []
    for number, p in enumerate(participants, 1):
        yes_no = {"tak": "Tak", "nie": "Nie"}
        person = {
            "Lp.": number, "Kraj": "Polska", "Rodzaj uczestnika": "Indywidualny",
            "Imię": p["Imię"], "Nazwisko": p["Nazwisko"], "PESEL": p["PESEL"],
            "Brak PESEL": "Nie", "Płeć": "Kobieta" if p["Płeć"] == "K" else "Mężczyzna",
            "Wiek w chwili przystąpienia do projektu":
                p["Wiek w chwili przystąpienia do projektu"],
            "Wiek w chwili rozpoczęcia udziału w projekcie":
                p["Wiek w chwili przystąpienia do projektu"],
            "Wykształcenie": (_ISCED_OF[p["Wykształcenie"]] if layout != "pefs2007"
                              else p["Wykształcenie"]),
            "Województwo": p["Województwo"], "Powiat": p["Powiat"], "Gmina": p["Gmina"],
            "Miejscowość": p["Miejscowość"], "Ulica": p["Ulica"], "Nr budynku": p["Nr domu"],
            "Nr lokalu": p["Nr lokalu"], "Kod pocztowy": p["Kod pocztowy"],
            "Obszar": p["Obszar"], "Obszar wg stopnia urbanizacji (DEGURBA)":
                "2 - Obszar pośredni",
            "Telefon kontaktowy": p["Telefon"], "Telefon stacjonarny": p["Telefon"],
            "Data rozpoczęcia udziału w projekcie":
                f"{p['Data rozpoczęcia udziału w projekcie']:%d.%m.%Y}",
            "Data zakończenia udziału w projekcie":
                f"{p['Data zakończenia udziału w projekcie']:%d.%m.%Y}",
            "Status osoby na rynku pracy w chwili przystąpienia do projektu":
                _LONG_STATUS[p["Status na rynku pracy"]] if layout != "pefs2007"
                else p["Status na rynku pracy"],
            "Zakończenie udziału w projekcie zgodnie z zaplanowaną dla niego ścieżką "
            "uczestnictwa": yes_no[p["Zakończenie udziału zgodnie ze ścieżką"]],
            "Zakończenie udziału osoby w projekcie zgodnie z zaplanowaną dla niej ścieżką "
            "uczestnictwa": yes_no[p["Zakończenie udziału zgodnie ze ścieżką"]],
            "Rodzaj przyznanego wsparcia": p["Forma wsparcia"],
            "Osoba z niepełnosprawnościami": yes_no[p["Niepełnosprawność"]],
            "Osoba niepełnosprawna": yes_no[p["Niepełnosprawność"]],
            "Przynależność do grupy docelowej": p["Grupa docelowa"],
            "Osoba należąca do mniejszości narodowej lub etnicznej, migrant, osoba obcego "
            "pochodzenia": "Odmowa podania informacji" if number % 7 == 0 else "Nie",
            "Osoba bezdomna lub dotknięta wykluczeniem z dostępu do mieszkań": "Nie",
            "Osoba przebywająca w gospodarstwie domowym bez osób pracujących": "Tak",
            "w tym: w gospodarstwie domowym z dziećmi pozostającymi na utrzymaniu": "Nie",
            "Osoba żyjąca w gospodarstwie składającym się z jednej osoby dorosłej i dzieci "
            "pozostających na utrzymaniu": "Nie",
            "Osoba w innej niekorzystnej sytuacji społecznej (innej niż wymienione powyżej)":
                "Tak",
            "Osoba obcego pochodzenia": "Nie", "Osoba z państwa trzeciego": "Nie",
            "Osoba należąca do mniejszości narodowej lub etnicznej": "Nie", "Migrant": "Nie",
        }
        if layout == "sl2014":  # the institution block comes first, empty for a person
            row = [number, *([None] * len(SL2014_INSTITUTION)),
                   *(person.get(h) for h in SL2014_PERSON)]
        else:
            row = [person.get(h) for h in headers]
        rows.append(row)
    return headers, rows


CONTRACT_HEADERS = ("Nr kontraktu socjalnego", "Nazwisko i imię", "PESEL", "Data zawarcia",
                    "Obowiązuje od", "Obowiązuje do", "Kwota przyznana", "Cel")
PAYMENT_HEADERS = ("Lp.", "Nr kontraktu socjalnego", "Data wypłaty", "Kwota wypłaty",
                   "Rodzaj świadczenia", "Nr decyzji")
PURPOSES = ("podręczniki i przybory", "odzież robocza", "usługa fryzjerska", "leczenie "
            "stomatologiczne", "bilety na dojazd na kurs", "badania lekarskie do pracy")


def contract_rows(participants: Sequence[dict[str, Any]], seed: int = 7
                  ) -> list[dict[str, Any]]:
    """One social contract per participant, over their participation, 300-900 zł."""
    rng = random.Random(seed)
    rows = []
    for person in participants:
        start = person["Data rozpoczęcia udziału w projekcie"]
        end = person["Data zakończenia udziału w projekcie"]
        rows.append({
            "Nr kontraktu socjalnego": person["Nr kontraktu socjalnego"],
            "Nazwisko i imię": f"{person['Nazwisko']} {person['Imię']}",
            "PESEL": person["PESEL"],
            "Data zawarcia": start,
            "Obowiązuje od": start,
            "Obowiązuje do": end,
            "Kwota przyznana": rng.randrange(300, 901, 50),
            "Cel": rng.choice(PURPOSES),
        })
    return rows


def payment_rows(contracts: Sequence[dict[str, Any]], seed: int = 11
                 ) -> list[dict[str, Any]]:
    """One to three payments per contract, inside its period, never above the grant."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for contract in contracts:
        start, end = contract["Obowiązuje od"], contract["Obowiązuje do"]
        left = int(contract["Kwota przyznana"] * 100)
        for _ in range(rng.randint(1, 3)):
            amount = rng.randrange(50, max(51, left // 2 + 1))
            left -= amount
            day = start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))
            rows.append({
                "Nr kontraktu socjalnego": contract["Nr kontraktu socjalnego"],
                "Data wypłaty": day,
                "Kwota wypłaty": amount / 100,
                "Rodzaj świadczenia": rng.choice(("zasiłek celowy", "zasiłek celowy",
                                                  "zasiłek okresowy")),
                "Nr decyzji": f"DS.{rng.randint(1000, 9999)}.{day.year}",
            })
    rows.sort(key=lambda r: r["Data wypłaty"])
    for number, row in enumerate(rows, 1):
        row["Lp."] = number
    return rows


def write_xlsx(path: Path, headers: Sequence[str], rows: Sequence[dict[str, Any]],
               sheet: str = "Uczestnicy", title: Sequence[str] = (),
               footer: Sequence[Sequence[Any]] = (),
               more: Sequence[tuple[str, Sequence[str], Sequence[dict[str, Any]]]] = ()) -> Path:
    """A plain workbook: title rows, a blank row, header, data, footer rows; ``more``
    adds further sheets (name, headers, rows)."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    for title_line in title:
        ws.append([title_line])
    if title:
        ws.append([])
    _table(ws, headers, rows)
    for footer_line in footer:
        ws.append(list(footer_line))
    for name, more_headers, more_rows in more:
        _table(book.create_sheet(name), more_headers, more_rows)
    book.save(path)
    return path


def _table(sheet: Any, headers: Sequence[str], rows: Sequence[dict[str, Any]]) -> None:
    """A header row and the rows under it, dates shown as staff type them."""
    sheet.append(list(headers))
    for row in rows:
        sheet.append([row.get(h) for h in headers])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD.MM.YYYY"


def soffice() -> str | None:
    """The LibreOffice binary, if installed (tests skip what needs it otherwise)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_convert(sources: Sequence[Path], target: str, outdir: Path,
                        infilter: str | None = None) -> list[Path]:
    """Have LibreOffice Calc open each file and save it as ``target`` (xlsx, xls, ods, csv).

    The result is a workbook written by a real spreadsheet program, not by our writer.
    A private profile folder keeps parallel runs from fighting over one profile.
    ``infilter`` is how it opens them, e.g. ``CSV:59,34,33`` for a CSV with semicolons
    read as Windows-1250 (its character set numbers: 76 UTF-8, 33 Windows-1250, 1
    Windows-1252, 12 ISO-8859-1).
    """
    binary = soffice()
    if binary is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [binary, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             *([f"--infilter={infilter}"] if infilter else []),
             "--convert-to", target, "--outdir", str(outdir), *map(str, sources)],
            check=True, capture_output=True, timeout=300)
    suffix = "." + target.split(":")[0]
    results = [outdir / (source.stem + suffix) for source in sources]
    missing = [r for r in results if not r.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not write {missing}")
    return results


ATTENDANCE_HEADERS = ("Lp.", "Nazwisko i imię", "PESEL", "Forma wsparcia", "Data zajęć",
                      "Liczba godzin zajęć", "Liczba godzin obecności")


def attendance_rows(participants: Sequence[dict[str, Any]], form: str,
                    dates: Sequence[dt.date], hours: int = 4, seed: int = 5
                    ) -> list[dict[str, Any]]:
    """Long-layout attendance: one row per participant per session; about one session in
    ten missed ("nb"), one in twenty left early."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for day in dates:
        for person in participants:
            draw = rng.random()
            attended: Any = "nb" if draw < 0.1 else (hours - 1 if draw < 0.15 else hours)
            rows.append({
                "Lp.": len(rows) + 1,
                "Nazwisko i imię": f"{person['Nazwisko']} {person['Imię']}",
                "PESEL": person["PESEL"], "Forma wsparcia": form, "Data zajęć": day,
                "Liczba godzin zajęć": hours, "Liczba godzin obecności": attended})
    return rows
