"""The catalogue of rule codes: every issue the toolkit can raise is declared here, once.

A code never changes meaning once released: coordinators filter on codes, projects
ignore codes in ``projekt.toml``, and staff learn them. Each rule says at which level it
points (file, sheet, row or cell), its default severity, its message in Polish and
English (``str.format`` templates over the issue's parameters) and a one-line doc that
``workbook-tools rules`` prints.

Prefixes: F file, S sheet and header, V cell values, P participant list, K social
contracts, W payments of material aid, G hours attended (godziny), B own-contribution
budget, U socially useful work (prace społecznie użyteczne), Z claim statistics
(zestawienie).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Level(enum.StrEnum):
    FILE = "file"
    SHEET = "sheet"
    ROW = "row"
    CELL = "cell"


@dataclass(frozen=True, eq=False)
class Rule:
    code: str
    severity: Severity
    level: Level
    doc: str
    doc_en: str
    message: str
    message_en: str
    #: what ``workbook-tools fix`` writes instead, when the right value is certain
    #: (Polish, English); None: a person must decide
    fix: tuple[str, str] | None = None


@dataclass(frozen=True)
class Bilingual:
    """A message parameter that is translated with the message (e.g. a reason)."""

    pl: str
    en: str


E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
FILE, SHEET, ROW, CELL = Level.FILE, Level.SHEET, Level.ROW, Level.CELL

_RULES = (
    # --- files ----------------------------------------------------------------------
    Rule("F001", E, FILE,
         "Pliku nie da się odczytać jako skoroszytu (uszkodzony, obcięty lub innego typu).",
         "The file cannot be read as a workbook (corrupt, truncated or another type).",
         "Nie można odczytać pliku: {detail}",
         "Cannot read the file: {detail}"),
    Rule("F002", E, FILE,
         "Skoroszyt jest chroniony hasłem (zaszyfrowany); zdejmij hasło i sprawdź ponownie.",
         "The workbook is password-protected (encrypted).",
         "Skoroszyt jest chroniony hasłem (zaszyfrowany) — nie można go odczytać. "
         "Zapisz kopię bez hasła i sprawdź ją ponownie.",
         "The workbook is password-protected (encrypted) and cannot be read. "
         "Save a copy without the password and check it again."),
    Rule("F003", E, FILE,
         "Rozszerzenie pliku nie jest obsługiwane (.xlsx, .xlsm, .xls, .ods).",
         "The file extension is not supported (.xlsx, .xlsm, .xls, .ods).",
         "Nieobsługiwany typ pliku „{suffix}” (obsługiwane: .xlsx, .xlsm, .xls, .ods).",
         "Unsupported file type '{suffix}' (supported: .xlsx, .xlsm, .xls, .ods)."),
    Rule("F004", E, FILE,
         "Plik ustawień projekt.toml zawiera błąd; projekt nie został sprawdzony.",
         "The settings file projekt.toml has an error; the project was not checked.",
         "Błąd w ustawieniach projektu — {detail}",
         "Error in the project settings: {detail}"),
    Rule("F005", E, FILE,
         "Nie udało się sprawdzić pliku z powodu błędu programu (zgłoś go).",
         "The file could not be checked because of a program error (please report it).",
         "Błąd programu podczas sprawdzania pliku ({detail}) — pozostałe pliki sprawdzono.",
         "Program error while checking this file ({detail}); the other files were checked."),
    Rule("F006", E, FILE,
         "Sprawdzanie pliku trwało dłużej niż limit czasu — przerwano je.",
         "Checking the file took longer than the time limit and was stopped.",
         "Sprawdzanie pliku przerwano po {seconds} s (limit czasu) — plik może być "
         "uszkodzony albo ogromny; pozostałe pliki sprawdzono.",
         "Checking the file was stopped after {seconds} s (time limit): it may be corrupt "
         "or huge; the other files were checked."),
    Rule("F007", E, FILE,
         "Proces czytający plik uległ awarii (np. błąd biblioteki albo brak pamięci).",
         "The process reading the file crashed (e.g. a library fault or out of memory).",
         "Czytanie pliku zakończyło się awarią procesu ({detail}) — plik pominięto, "
         "pozostałe pliki sprawdzono.",
         "Reading the file crashed its process ({detail}); the file was skipped, the other "
         "files were checked."),
    Rule("F008", W, FILE,
         "Inny skoroszyt projektu nie dał się odczytać, więc kontrole między skoroszytami "
         "(np. obecności wobec listy uczestników) odbyły się bez niego.",
         "Another workbook of the project could not be read, so the checks across "
         "workbooks (e.g. attendance against the participant list) ran without it.",
         "Nie odczytano pliku {other} z tego projektu ({code}) — kontrole między "
         "skoroszytami (np. obecności wobec listy uczestników) odbyły się bez niego; "
         "sprawdź go osobno, a jeśli nie należy do projektu, wpisz go w [arkusze] w "
         "projekt.toml jako „pomin”.",
         "{other}, a workbook of this project, could not be read ({code}); the checks "
         "across workbooks (e.g. attendance against the participant list) ran without "
         "it; check it on its own, or if it is no part of the project, give it as "
         "'pomin' in [arkusze] in projekt.toml."),
    # --- sheets and headers ---------------------------------------------------------
    Rule("S001", INFO, SHEET,
         "Arkusz jest pusty.",
         "The sheet is empty.",
         "Arkusz jest pusty — pominięto.",
         "The sheet is empty and was skipped."),
    Rule("S002", W, SHEET,
         "Nie znaleziono wiersza nagłówka ze znanymi nazwami kolumn.",
         "No header row with known column names was found.",
         "Nie znaleziono wiersza nagłówka w pierwszych {rows} wierszach — arkusz pominięto. "
         "Jeśli to arkusz projektu, wskaż w projekt.toml jego rodzaj i kolumny: "
         "[arkusze] \"{target}\" = \"uczestnicy\" oraz [kolumny.\"{target}\"] "
         "\"<nagłówek>\" = \"PESEL\"; jeśli nie — \"{target}\" = \"pomin\".",
         "No header row found in the first {rows} rows; the sheet was skipped. "
         "If it belongs to the project, set its kind and columns in projekt.toml: "
         "[arkusze] \"{target}\" = \"uczestnicy\" and [kolumny.\"{target}\"] "
         "\"<header>\" = \"PESEL\"; if not, \"{target}\" = \"pomin\"."),
    Rule("S003", E, SHEET,
         "Brak kolumny wymaganej dla tego rodzaju arkusza.",
         "A column required for this kind of sheet is missing.",
         "Brak wymaganej kolumny: {column} (arkusz rozpoznany jako: {kind}). Jeśli ma ona "
         "inny nagłówek, wpisz w projekt.toml: [kolumny.\"{target}\"] \"<nagłówek>\" = "
         "\"{column}\".",
         "Required column missing: {column} (sheet recognised as: {kind}). If it has "
         "another header, add to projekt.toml: [kolumny.\"{target}\"] \"<header>\" = "
         "\"{column}\"."),
    Rule("S004", W, SHEET,
         "Dwie kolumny mają nagłówek oznaczający to samo pole; użyto tej, w której jest "
         "więcej danych (przy remisie pierwszej).",
         "Two columns carry a header meaning the same field; the one holding more data is "
         "used (the first on a tie).",
         "Kolumna {cell} („{header}”) powtarza pole „{column}” z kolumny {first} — pominięto ją.",
         "Column {cell} ('{header}') repeats the field '{column}' of column {first}; "
         "it is ignored."),
    Rule("S005", E, SHEET,
         "Rodzaj arkusza wskazany w projekt.toml nie pasuje do nagłówków.",
         "The sheet kind set in projekt.toml does not match its headers.",
         "Arkusz wskazano w projekt.toml jako „{kind}”, ale nie znaleziono jego nagłówków.",
         "projekt.toml says this sheet is '{kind}', but its headers were not found."),
    Rule("S006", E, SHEET,
         "Arkusz sięga daleko poza dane (zawartość w odległej komórce) — nie został odczytany.",
         "The sheet reaches far beyond its data (content in a distant cell); not read.",
         "Arkusz sięga komórki {cell} ({cells} komórek) — za duży obszar, arkusza nie "
         "odczytano. Usuń zawartość daleko od danych (Ctrl+End pokazuje ostatnią komórkę).",
         "The sheet reaches cell {cell} ({cells} cells): too large an area, the sheet was "
         "not read. Delete the content far from the data (Ctrl+End shows the last cell)."),
    Rule("S008", E, SHEET,
         "Polskie litery w nagłówkach odczytane w złym kodowaniu (np. „ImiÄ™” zamiast "
         "„Imię”) — arkusz nie został sprawdzony.",
         "Polish letters in the headers read in the wrong encoding (e.g. 'ImiÄ™' for "
         "'Imię'); the sheet was not checked.",
         "Polskie litery odczytano w złym kodowaniu: „{seen}” to „{meant}” (tekst zapisany "
         "jako {written}, a otwarty jako {read}), więc nagłówków nie rozpoznano i arkusz "
         "pominięto. Otwórz plik źródłowy (np. CSV) jeszcze raz z kodowaniem {written} "
         "(Excel: Dane → Z pliku tekstowego/CSV → Pochodzenie pliku; LibreOffice: Zestaw "
         "znaków) i zapisz jako .xlsx.",
         "Polish letters were read in the wrong encoding: '{seen}' is '{meant}' (text "
         "written as {written} and opened as {read}), so the headers were not recognised "
         "and the sheet was skipped. Open the source file (e.g. the CSV) again with the "
         "encoding {written} (Excel: Data → From Text/CSV → File Origin; LibreOffice: "
         "Character set) and save it as .xlsx."),
    Rule("S009", E, SHEET,
         "Tekst z utraconymi literami (znak �): plik odczytano jako UTF-8, a zapisano w "
         "innym kodowaniu — arkusz nie został sprawdzony.",
         "Text with lost letters (the � sign): the file was read as UTF-8 but written in "
         "another encoding; the sheet was not checked.",
         "„{seen}”: litery zastąpiono znakiem �, bo plik odczytano jako UTF-8, a zapisano "
         "w innym kodowaniu (polskie pliki spoza UTF-8 to zwykle Windows-1250), więc "
         "nagłówków nie rozpoznano i arkusz pominięto. Otwórz plik źródłowy (np. CSV) "
         "jeszcze raz z kodowaniem Windows-1250 (Excel: Dane → Z pliku tekstowego/CSV → "
         "Pochodzenie pliku; LibreOffice: Zestaw znaków) i zapisz jako .xlsx.",
         "'{seen}': letters were replaced by the � sign because the file was read as UTF-8 "
         "but written in another encoding (Polish files not in UTF-8 are usually "
         "Windows-1250), so the headers were not recognised and the sheet was skipped. "
         "Open the source file (e.g. the CSV) again with the encoding Windows-1250 "
         "(Excel: Data → From Text/CSV → File Origin; LibreOffice: Character set) and "
         "save it as .xlsx."),
    Rule("S010", W, SHEET,
         "Część nagłówków ma polskie litery odczytane w złym kodowaniu — tych kolumn nie "
         "sprawdzono.",
         "Some headers have Polish letters read in the wrong encoding; those columns were "
         "not checked.",
         "Polskie litery odczytano w złym kodowaniu: „{seen}” to „{meant}” (tekst zapisany "
         "jako {written}, a otwarty jako {read}). Arkusz sprawdzono bez kolumn o takich "
         "nagłówkach, a teksty w nim (np. nazwiska) mogą być zniekształcone. Otwórz plik "
         "źródłowy (np. CSV) jeszcze raz z kodowaniem {written} (Excel: Dane → Z pliku "
         "tekstowego/CSV → Pochodzenie pliku; LibreOffice: Zestaw znaków) i zapisz jako "
         ".xlsx.",
         "Polish letters were read in the wrong encoding: '{seen}' is '{meant}' (text "
         "written as {written} and opened as {read}). The sheet was checked without the "
         "columns so headed, and its texts (e.g. names) may be garbled. Open the source "
         "file (e.g. the CSV) again with the encoding {written} (Excel: Data → From "
         "Text/CSV → File Origin; LibreOffice: Character set) and save it as .xlsx."),
    Rule("S007", INFO, SHEET,
         "Nagłówki pasują równie dobrze do dwóch rodzajów arkusza.",
         "The headers fit two kinds of sheet equally well.",
         "Rodzaj arkusza niepewny: odczytano go jako „{kind}”, ale nagłówki pasują też do "
         "rodzaju „{other}”. Aby to przesądzić, wpisz w projekt.toml: [arkusze] "
         "\"{target}\" = \"{name}\".",
         "Uncertain sheet kind: read as '{kind}', but the headers fit '{other}' as well. "
         "To decide, add to projekt.toml: [arkusze] \"{target}\" = \"{name}\"."),
    # --- cell values ----------------------------------------------------------------
    Rule("V001", E, CELL,
         "Wartość nie jest datą (dd.mm.rrrr, rrrr-mm-dd lub komórka daty).",
         "The value is not a date (dd.mm.yyyy, yyyy-mm-dd or a date cell).",
         "„{text}” w kolumnie „{column}” nie jest datą (oczekiwano dd.mm.rrrr).",
         "'{text}' in column '{column}' is not a date (expected dd.mm.yyyy)."),
    Rule("V002", E, CELL,
         "Wartość nie jest kwotą.",
         "The value is not an amount.",
         "„{text}” w kolumnie „{column}” nie jest kwotą.",
         "'{text}' in column '{column}' is not an amount."),
    Rule("V003", W, CELL,
         "Kwota ma więcej niż dwa miejsca po przecinku; zaokrąglono do groszy.",
         "The amount has more than two decimals; rounded to grosze.",
         "Kwota „{text}” w kolumnie „{column}” ma więcej niż 2 miejsca po przecinku "
         "(przyjęto {rounded}).",
         "Amount '{text}' in column '{column}' has more than 2 decimals "
         "(taken as {rounded})."),
    Rule("V004", E, CELL,
         "Wartość nie jest odpowiedzią tak/nie.",
         "The value is not a yes/no answer.",
         "„{text}” w kolumnie „{column}” — oczekiwano tak/nie.",
         "'{text}' in column '{column}': expected yes/no (tak/nie)."),
    Rule("V005", E, CELL,
         "Płeć inna niż K/M (Kobieta/Mężczyzna).",
         "Sex other than K/M (Kobieta/Mężczyzna).",
         "„{text}” w kolumnie „{column}” — oczekiwano K lub M.",
         "'{text}' in column '{column}': expected K or M."),
    Rule("V006", E, CELL,
         "Wartość spoza listy dozwolonych wartości kolumny.",
         "The value is not one of the column's allowed values.",
         "„{text}” w kolumnie „{column}” spoza listy: {allowed}.",
         "'{text}' in column '{column}' is not one of: {allowed}."),
    Rule("V007", E, CELL,
         "Brak wartości w kolumnie, która musi być wypełniona.",
         "A value is missing in a column that must be filled in.",
         "Brak wartości w kolumnie „{column}”.",
         "Missing value in column '{column}'."),
    Rule("V008", E, CELL,
         "Wartość nie jest liczbą całkowitą.",
         "The value is not a whole number.",
         "„{text}” w kolumnie „{column}” nie jest liczbą całkowitą.",
         "'{text}' in column '{column}' is not a whole number."),
    Rule("V009", E, CELL,
         "Wartość nie jest liczbą godzin.",
         "The value is not a number of hours.",
         "„{text}” w kolumnie „{column}” nie jest liczbą godzin.",
         "'{text}' in column '{column}' is not a number of hours."),
    Rule("V010", INFO, CELL,
         "Daty w kolumnie zapisano jako miesiąc/dzień/rok i tak je odczytano.",
         "The column's dates are written month/day/year and were read so.",
         "Daty w kolumnie „{column}” zapisano jako miesiąc/dzień/rok (np. „{text}”: {why}) "
         "— odczytano je tak.",
         "The dates in column '{column}' are written month/day/year (e.g. '{text}': "
         "{why}) and were read so.",
         fix=("daty kolumny jako komórki dat (miesiąc/dzień, jak rozstrzygnęła kolumna)",
              "the column's dates as date cells (month/day, as the column decided)")),
    Rule("V011", W, CELL,
         "Daty w kolumnie można czytać dwojako; odczytano je po polsku (dzień/miesiąc).",
         "The column's dates read two ways; they were read day first, the Polish way.",
         "Daty w kolumnie „{column}” (np. „{text}”) mogą być zapisane jako dzień/miesiąc "
         "albo miesiąc/dzień; {why} — odczytano je po polsku (dzień/miesiąc). Jeśli plik "
         "zapisał je odwrotnie, wpisz w projekt.toml: kolejnosc_dat = \"miesiac-dzien\".",
         "The dates in column '{column}' (e.g. '{text}') may be day/month or month/day; "
         "{why}; they were read day first. If the file wrote them the other way, add to "
         "projekt.toml: kolejnosc_dat = \"miesiac-dzien\"."),
    # --- participants ---------------------------------------------------------------
    Rule("V012", E, CELL,
         "Wartość nie jest miesiącem (mm.rrrr, rrrr-mm, „marzec 2019” lub data).",
         "The value is not a month (mm.yyyy, yyyy-mm, 'marzec 2019' or a date).",
         "„{text}” w kolumnie „{column}” nie jest miesiącem (oczekiwano np. 03.2019 "
         "albo „marzec 2019”).",
         "'{text}' in column '{column}' is not a month (expected e.g. 03.2019 or "
         "'marzec 2019')."),
    Rule("P001", E, CELL,
         "PESEL nieprawidłowy (długość, cyfra kontrolna lub data).",
         "Invalid PESEL (length, check digit or date).",
         "Nieprawidłowy PESEL „{text}”: {reason}.",
         "Invalid PESEL '{text}': {reason}."),
    Rule("P002", W, CELL,
         "PESEL zapisany jako liczba stracił zera wiodące; odtworzono go.",
         "A PESEL stored as a number lost its leading zeros; it was recovered.",
         "PESEL zapisany jako liczba stracił zera z przodu ({text}); przyjęto {pesel}. "
         "Zmień format kolumny na tekst.",
         "PESEL stored as a number lost its leading zeros ({text}); taken as {pesel}. "
         "Format the column as text.",
         fix=("PESEL z zerami wiodącymi (suma kontrolna to potwierdza), jako tekst",
              "the PESEL with its leading zeros (the checksum confirms them), as text")),
    Rule("P003", E, CELL,
         "Data urodzenia w arkuszu różni się od daty zapisanej w PESEL.",
         "The birth date in the sheet differs from the one in the PESEL.",
         "Data urodzenia {sheet_date} różni się od daty z PESEL ({pesel_date}).",
         "Birth date {sheet_date} differs from the PESEL's ({pesel_date})."),
    Rule("P004", E, CELL,
         "Płeć w arkuszu różni się od płci zapisanej w PESEL.",
         "The sex in the sheet differs from the one in the PESEL.",
         "Płeć „{sheet_sex}” różni się od płci z PESEL („{pesel_sex}”).",
         "Sex '{sheet_sex}' differs from the PESEL's ('{pesel_sex}')."),
    Rule("P005", E, CELL,
         "Ten sam PESEL występuje w więcej niż jednym wierszu.",
         "The same PESEL appears on more than one row.",
         "PESEL {pesel} powtarza się: wiersze {rows}.",
         "PESEL {pesel} appears more than once: rows {rows}."),
    Rule("P006", E, CELL,
         "Data zakończenia udziału jest wcześniejsza niż data rozpoczęcia.",
         "The end of participation is earlier than its start.",
         "Data zakończenia udziału {end} jest wcześniejsza niż data rozpoczęcia {start}.",
         "End of participation {end} is earlier than its start {start}."),
    Rule("P007", E, CELL,
         "Data udziału poza okresem realizacji projektu.",
         "A participation date lies outside the project period.",
         "{column} {date} poza okresem projektu ({period_from} – {period_to}).",
         "{column} {date} lies outside the project period ({period_from} – {period_to})."),
    Rule("P008", E, CELL,
         "Wiek w chwili przystąpienia do projektu poza zakresem grupy docelowej.",
         "Age at entry outside the target group's range.",
         "Wiek w chwili przystąpienia do projektu: {age} — poza zakresem "
         "{age_min}–{age_max} lat.",
         "Age at entry: {age}, outside {age_min}–{age_max} years."),
    Rule("P009", W, CELL,
         "Kod pocztowy nie ma formatu NN-NNN.",
         "The postal code is not in the NN-NNN format.",
         "Kod pocztowy „{text}” nie ma formatu NN-NNN.",
         "Postal code '{text}' is not in the NN-NNN format.",
         fix=("kod z kreską NN-NNN, gdy ma dokładnie 5 cyfr",
              "the code as NN-NNN, when it has exactly 5 digits")),
    Rule("P010", W, SHEET,
         "Liczba uczestników w grupie różni się od planu z projekt.toml.",
         "The number of participants in a group differs from the plan in projekt.toml.",
         "{column} „{group}”: {actual}, plan {planned}.",
         "{column} '{group}': {actual}, planned {planned}."),
    Rule("P011", W, CELL,
         "Udział zakończony niezgodnie ze ścieżką bez podanego powodu przerwania.",
         "Participation ended off the planned path without a reason given.",
         "Zakończenie niezgodne ze ścieżką, a nie podano powodu przerwania.",
         "Ended off the planned path, but no reason for dropping out is given."),
    Rule("P012", W, CELL,
         "Wiek w arkuszu różni się od wieku wyliczonego z PESEL i daty przystąpienia.",
         "The age in the sheet differs from the age computed from PESEL and entry date.",
         "Wiek w arkuszu {sheet_age}, a z PESEL i daty rozpoczęcia wychodzi {age}.",
         "Age in the sheet is {sheet_age}, computed from PESEL and start date: {age}."),
    Rule("P013", W, CELL,
         "Zaznaczono „Brak PESEL”, a wiersz temu przeczy.",
         "'No PESEL' is marked, but the row says otherwise.",
         "Zaznaczono „Brak PESEL”, a {why} — sprawdź, czy to cudzoziemiec bez numeru PESEL.",
         "'No PESEL' is marked, but {why}: check whether this is a foreigner without one."),
    # --- social contracts (kontrakty socjalne) ---------------------------------------
    Rule("K001", E, CELL,
         "Ten sam numer kontraktu występuje więcej niż raz.",
         "The same contract number appears more than once.",
         "Numer kontraktu „{contract}” powtarza się: {rows}.",
         "Contract number '{contract}' appears more than once: {rows}."),
    Rule("K002", E, CELL,
         "Osoby z kontraktu nie ma na liście uczestników projektu.",
         "The contract's person is not on the project's participant list.",
         "Kontrakt „{contract}”: {who} — brak na liście uczestników.",
         "Contract '{contract}': {who} is not on the participant list."),
    Rule("K003", E, CELL,
         "Okres kontraktu wykracza poza okres realizacji projektu.",
         "The contract period lies outside the project period.",
         "Kontrakt „{contract}” obowiązuje {valid_from} – {valid_to}, poza okresem projektu "
         "({period_from} – {period_to}).",
         "Contract '{contract}' runs {valid_from} – {valid_to}, outside the project period "
         "({period_from} – {period_to})."),
    Rule("K004", W, CELL,
         "Okres kontraktu wykracza poza okres udziału uczestnika w projekcie.",
         "The contract period lies outside the participant's participation.",
         "Kontrakt „{contract}” obowiązuje {valid_from} – {valid_to}, a udział uczestnika "
         "trwa {start} – {end}.",
         "Contract '{contract}' runs {valid_from} – {valid_to}, but participation runs "
         "{start} – {end}."),
    Rule("K005", E, CELL,
         "Kontrakt kończy się przed początkiem.",
         "The contract ends before it starts.",
         "Kontrakt „{contract}”: koniec {valid_to} przed początkiem {valid_from}.",
         "Contract '{contract}': ends {valid_to} before it starts {valid_from}."),
    Rule("K006", INFO, ROW,
         "Kontrakt zakończony, a nie zapisano żadnej wypłaty.",
         "The contract has ended and no payment was recorded.",
         "Kontrakt „{contract}” zakończył się {valid_to}, a nie ma do niego żadnej wypłaty.",
         "Contract '{contract}' ended on {valid_to} with no payment recorded."),
    Rule("K007", E, CELL,
         "Kwota przyznana nie jest dodatnia.",
         "The amount granted is not positive.",
         "Kontrakt „{contract}”: kwota przyznana {amount} — powinna być większa od zera.",
         "Contract '{contract}': amount granted {amount} should be above zero."),
    # --- payments of material aid (wypłaty) -----------------------------------------
    Rule("W001", E, CELL,
         "Wypłata na kontrakt, którego nie ma w arkuszu kontraktów.",
         "A payment on a contract that is not in the contracts sheet.",
         "Nieznany numer kontraktu „{contract}” — nie ma go w arkuszu kontraktów.",
         "Unknown contract number '{contract}': not in the contracts sheet."),
    Rule("W002", E, CELL,
         "Data wypłaty poza okresem obowiązywania kontraktu.",
         "The payment date lies outside the contract period.",
         "Wypłata {date} poza okresem kontraktu „{contract}” ({valid_from} – {valid_to}).",
         "Payment on {date} outside the period of contract '{contract}' "
         "({valid_from} – {valid_to})."),
    Rule("W003", E, CELL,
         "Suma wypłat na kontrakcie przekracza kwotę przyznaną (wskazana wypłata, która "
         "przekracza).",
         "Payments on a contract exceed the amount granted (at the payment that crosses it).",
         "Ta wypłata przekracza kwotę przyznaną na kontrakcie „{contract}”: po niej wypłacono "
         "{paid} z {granted} — o {excess} za dużo (łącznie wypłacono {total}).",
         "This payment exceeds the amount granted on contract '{contract}': {paid} paid of "
         "{granted}, {excess} too much (in total {total} paid)."),
    Rule("W004", E, CELL,
         "Suma wypłat w miesiącu przekracza miesięczny limit kontraktu.",
         "Payments in a month exceed the contract's monthly limit.",
         "Wypłaty na kontrakt „{contract}” w {month}: {paid}, limit miesięczny {limit} — "
         "o {excess} za dużo.",
         "Payments on contract '{contract}' in {month}: {paid}, monthly limit {limit}, "
         "{excess} too much."),
    Rule("W005", E, CELL,
         "Kwota wypłaty nie jest dodatnia.",
         "The payment amount is not positive.",
         "Kwota wypłaty {amount} — powinna być większa od zera.",
         "Payment amount {amount} should be above zero."),
    Rule("W006", W, CELL,
         "Ta sama wypłata (kontrakt, data, kwota) zapisana więcej niż raz — możliwa podwójna "
         "wypłata.",
         "The same payment (contract, date, amount) recorded more than once: possibly "
         "paid twice.",
         "Możliwa podwójna wypłata: kontrakt „{contract}”, {date}, {amount} — wiersze {rows}.",
         "Possible double payment: contract '{contract}', {date}, {amount}, rows {rows}."),
    # --- hours attended (ewidencja obecności) ---------------------------------------
    Rule("G001", E, CELL,
         "Osoby z listy obecności nie ma na liście uczestników projektu.",
         "The person on the attendance list is not on the project's participant list.",
         "{who} — brak na liście uczestników ({entries} w arkuszu).",
         "{who} is not on the participant list ({entries} in the sheet)."),
    Rule("G002", E, CELL,
         "Data zajęć poza okresem realizacji projektu.",
         "The session date lies outside the project period.",
         "Zajęcia {date} poza okresem projektu ({period_from} – {period_to}).",
         "Session on {date} outside the project period ({period_from} – {period_to})."),
    Rule("G003", E, CELL,
         "Data zajęć poza okresem udziału uczestnika w projekcie.",
         "The session date lies outside the participant's participation.",
         "Zajęcia {date}: {who} uczestniczy w projekcie {start} – {end}.",
         "Session on {date}: {who} takes part in the project {start} – {end}."),
    Rule("G004", E, CELL,
         "Godzin obecności więcej niż godzin zajęć.",
         "More hours attended than the session's hours.",
         "Obecność {attended}, a zajęcia trwały {planned}.",
         "{attended} attended, but the session lasted {planned}."),
    Rule("G005", E, CELL,
         "Ujemna liczba godzin.",
         "A negative number of hours.",
         "Liczba godzin {hours} w kolumnie „{column}” jest ujemna.",
         "{hours} in column '{column}' is negative."),
    Rule("G006", E, CELL,
         "Ten sam uczestnik dwa razy na tych samych zajęciach (forma wsparcia i data).",
         "The same participant twice for one form of support on one date.",
         "{who}: zajęcia „{form}” {date} zapisane drugi raz (pierwszy wpis: {first}).",
         "{who}: session '{form}' on {date} recorded twice (first entry: {first})."),
    Rule("G007", W, CELL,
         "Zajęcia w niedzielę lub w święto ustawowo wolne od pracy.",
         "A session on a Sunday or a Polish public holiday.",
         "Zajęcia {date} — {day}.",
         "Session on {date}: {day}."),
    Rule("G008", E, CELL,
         "Nieznane oznaczenie obecności (dozwolone: liczba godzin, x, ob, nb, u).",
         "An unknown attendance mark (allowed: hours, x, ob, nb, u).",
         "Nieznane oznaczenie „{text}” w kolumnie „{column}” (dozwolone: liczba godzin, "
         "x / ob — obecny, nb — nieobecny, u — usprawiedliwiony).",
         "Unknown mark '{text}' in column '{column}' (allowed: hours, x / ob present, "
         "nb absent, u excused)."),
    Rule("G009", W, CELL,
         "Uczestnik poniżej progu ukończenia zajęć (informacja, dopóki zajęcia trwają).",
         "The participant is below the completion threshold (info while the course runs).",
         "{who}: „{form}” — {attended} z {planned} ({percent}), próg ukończenia {threshold}"
         "{running}.",
         "{who}: '{form}': {attended} of {planned} ({percent}), completion threshold "
         "{threshold}{running}."),
    Rule("G010", W, SHEET,
         "Obecność zaznaczona znakami, ale nie wiadomo, ile godzin trwały zajęcia.",
         "Attendance is marked with signs, but the sessions' hours are unknown.",
         "Obecność „{form}” zaznaczono znakami (x / ob), ale brak liczby godzin zajęć: dodaj "
         "wiersz „Liczba godzin” przy datach albo godziny_na_zajecia w [kursy] projekt.toml.",
         "Attendance of '{form}' is marked with signs (x / ob) but the sessions' hours are "
         "unknown: add a 'Liczba godzin' row by the dates or godziny_na_zajecia in "
         "projekt.toml [kursy]."),
    # --- own-contribution budget (budżet, wkład własny) -------------------------------
    Rule("B001", E, CELL,
         "W wierszu budżetu kwota ogółem nie równa się sumie EFS i wkładu własnego.",
         "On a budget line the total is not EFS plus own contribution.",
         "Ogółem {total} ≠ EFS {efs} + wkład własny {own} (= {sum}); różnica {difference}.",
         "Total {total} ≠ EFS {efs} + own contribution {own} (= {sum}); "
         "difference {difference}."),
    Rule("B002", E, CELL,
         "Wiersz sumy różni się od sumy wierszy budżetu.",
         "The totals row differs from the sum of the budget lines.",
         "Suma w kolumnie „{column}”: w wierszu razem {stated}, suma wierszy {computed}; "
         "różnica {difference}.",
         "Column '{column}': the totals row says {stated}, the lines add up to {computed}; "
         "difference {difference}."),
    Rule("B003", E, SHEET,
         "Udział wkładu własnego w budżecie poniżej wymaganego minimum.",
         "The own-contribution share of the budget is below the required minimum.",
         "Wkład własny {own} to {share} wartości projektu {total} — wymagane co najmniej "
         "{required}.",
         "Own contribution {own} is {share} of the project total {total}; at least "
         "{required} is required."),
    Rule("B004", E, SHEET,
         "Wydatki cross-financingu przekraczają limit programu.",
         "Cross-financing exceeds the programme's cap.",
         "Cross-financing {amount} to {share} wartości projektu — limit {cap}.",
         "Cross-financing {amount} is {share} of the project total; the cap is {cap}."),
    Rule("B005", E, SHEET,
         "Zakup środków trwałych przekracza limit programu.",
         "Fixed assets exceed the programme's cap.",
         "Środki trwałe {amount} to {share} wartości projektu — limit {cap}.",
         "Fixed assets {amount} are {share} of the project total; the cap is {cap}."),
    Rule("B006", E, SHEET,
         "Koszty pośrednie przekraczają limit programu.",
         "Indirect costs exceed the programme's cap.",
         "Koszty pośrednie {amount} to {share} wartości projektu — limit {cap}.",
         "Indirect costs {amount} are {share} of the project total; the cap is {cap}."),
    Rule("B007", E, CELL,
         "Wykonanie przekracza plan pozycji ponad dopuszczalne przesunięcie.",
         "Executed exceeds the line's plan beyond the allowed shift.",
         "Wykonanie {executed} przekracza plan {planned} o {excess_share} "
         "(dopuszczalne {shift}).",
         "Executed {executed} exceeds the plan {planned} by {excess_share} "
         "(allowed {shift})."),
    Rule("B008", E, CELL,
         "Kwota ujemna w budżecie.",
         "A negative amount in the budget.",
         "Ujemna kwota {amount} w kolumnie „{column}”.",
         "Negative amount {amount} in column '{column}'."),
    Rule("B009", E, CELL,
         "Wydatek wykonany w pozycji bez planu.",
         "Spending on a line that has no plan.",
         "Wykonanie {executed} w pozycji bez planu.",
         "Executed {executed} on a line with no plan."),
    Rule("B010", W, CELL,
         "Formuła bez zapisanej wartości (plik zapisany przez program, który nie przelicza).",
         "A formula saved without its value (written by a program that does not calculate).",
         "Formuła bez obliczonej wartości — otwórz plik w Excelu/LibreOffice i zapisz "
         "ponownie; do tego czasu komórka jest traktowana jak pusta.",
         "Formula without a computed value: open and save the file in Excel/LibreOffice; "
         "until then the cell counts as empty."),
    Rule("B011", E, CELL,
         "Wkład własny ze świadczeń różni się od pomocy materialnej faktycznie wypłaconej.",
         "Own contribution from benefits differs from the material aid actually paid.",
         "Wkład własny ze świadczeń w budżecie {declared} (komórki {cells}), a wypłaty "
         "zasiłków w arkuszu wypłat {paid}{period}; różnica {difference}.",
         "Own contribution from benefits in the budget {declared} (cells {cells}), "
         "benefits paid in the payments sheet {paid}{period}; difference {difference}."),
    Rule("B012", E, CELL,
         "Wkład własny z prac społecznie użytecznych różni się od wypłaconych świadczeń PSU.",
         "Own contribution from socially useful work differs from what was paid for it.",
         "Wkład własny z PSU w budżecie {declared} (komórki {cells}), a wypłaty za prace "
         "społecznie użyteczne {paid}{period}; różnica {difference}.",
         "Own contribution from socially useful work in the budget {declared} (cells "
         "{cells}), paid for it {paid}{period}; difference {difference}."),
    Rule("B013", E, CELL,
         "Suma częściowa (np. „Razem zadanie 1”) różni się od sumy swoich wierszy.",
         "A subtotal (e.g. 'Razem zadanie 1') differs from the sum of its lines.",
         "Suma częściowa w kolumnie „{column}”: {stated}, a wiersze {rows} dają "
         "{computed}; różnica {difference}.",
         "Subtotal in column '{column}': {stated}, lines {rows} add up to {computed}; "
         "difference {difference}."),
    Rule("B014", W, CELL,
         "Kwota zapisana jako tekst: funkcja SUMA w wierszu sumy jej nie liczy.",
         "An amount stored as text: the SUM in the totals row leaves it out.",
         "Kwota „{text}” w kolumnie „{column}” jest zapisana jako tekst — Excel pomija ją "
         "w sumach (SUMA); wpisz ją jako liczbę.",
         "The amount '{text}' in column '{column}' is stored as text: Excel's SUM leaves "
         "it out; type it as a number.",
         fix=("kwota jako liczba (SUMA ją policzy)",
              "the amount as a number (SUM counts it)")),
    # --- socially useful work (prace społecznie użyteczne) ----------------------------
    Rule("U001", E, CELL,
         "Prace społecznie użyteczne ponad tygodniowy limit godzin (art. 73a: do 10 godzin "
         "w tygodniu).",
         "Socially useful work above the weekly limit of hours (art. 73a: up to 10 a week).",
         "{who}: w tygodniu {week} {hours}, a limit to {limit}.",
         "{who}: {hours} in the week {week}, the limit is {limit}."),
    Rule("U002", E, CELL,
         "Prace społecznie użyteczne ponad miesięczny limit godzin (40 godzin od 27.05.2014).",
         "Socially useful work above the monthly limit of hours (40 since 27.05.2014).",
         "{who}: w miesiącu {month} {hours}, a limit to {limit}.",
         "{who}: {hours} in {month}, the limit is {limit}."),
    Rule("U003", E, CELL,
         "Stawka za godzinę PSU niższa niż minimalna w miesiącu wykonywania prac.",
         "The hourly rate of socially useful work is below the minimum of the month worked.",
         "{who}: stawka {rate} za godzinę ({when}), a minimum to {minimum} ({source}).",
         "{who}: rate {rate} an hour ({when}), the minimum is {minimum} ({source})."),
    Rule("U004", E, CELL,
         "Kwota świadczenia PSU różni się od iloczynu godzin i stawki.",
         "The PSU amount differs from hours × rate.",
         "{who}: kwota {amount}, a {hours} × {rate} = {expected}; różnica {difference}.",
         "{who}: amount {amount}, but {hours} × {rate} = {expected}; difference "
         "{difference}."),
    Rule("U005", W, CELL,
         "Prace społecznie użyteczne w niedzielę lub w święto ustawowo wolne od pracy.",
         "Socially useful work on a Sunday or a Polish public holiday.",
         "{who}: praca {date} — {day}.",
         "{who}: work on {date}: {day}."),
    Rule("U006", E, CELL,
         "Osoby z ewidencji PSU nie ma na liście uczestników projektu.",
         "The person in the PSU register is not on the project's participant list.",
         "{who} — brak na liście uczestników.",
         "{who} is not on the participant list."),
    Rule("U007", E, CELL,
         "Prace społecznie użyteczne poza okresem udziału uczestnika w projekcie.",
         "Socially useful work outside the participant's participation.",
         "{who}: praca w {when}, a udział w projekcie {start} – {end}.",
         "{who}: work in {when}, but takes part in the project {start} – {end}."),
    Rule("U008", E, CELL,
         "Ta sama osoba dwa razy w ewidencji PSU za ten sam dzień (lub miesiąc).",
         "The same person twice in the PSU register for one day (or month).",
         "{who}: {when} zapisane drugi raz (pierwszy wpis: {first}).",
         "{who}: {when} recorded twice (first entry: {first})."),
    Rule("U009", E, CELL,
         "Wkład własny z PSU w budżecie różni się od świadczeń w ewidencji PSU.",
         "Own contribution from PSU in the budget differs from the PSU register.",
         "Wkład własny z PSU w budżecie {declared} (komórki {cells}), a świadczenia "
         "w ewidencji PSU {registered} ({register}); różnica {difference}.",
         "Own contribution from PSU in the budget {declared} (cells {cells}), the PSU "
         "register pays {registered} ({register}); difference {difference}."),
    Rule("U010", E, CELL,
         "Świadczenia w ewidencji PSU różnią się od wypłat za PSU w arkuszu wypłat.",
         "The PSU register differs from the PSU payments in the payments sheet.",
         "Ewidencja PSU {registered} ({register}), a wypłaty za prace społecznie "
         "użyteczne {paid} ({cells}); różnica {difference}.",
         "The PSU register {registered} ({register}), PSU payments {paid} ({cells}); "
         "difference {difference}."),
    # --- claim statistics (zestawienie) ---------------------------------------------
    Rule("Z001", W, CELL,
         "Uczestnik bez daty rozpoczęcia udziału: pominięty w zestawieniu.",
         "A participant without a start date: left out of the claim tables.",
         "{who}: brak daty rozpoczęcia udziału — osoba nie jest liczona w zestawieniu.",
         "{who}: no start date; the person is not counted in the claim tables."),
    Rule("Z002", W, CELL,
         "Przerwanie udziału bez daty zakończenia: nie liczone jako zakończenie.",
         "A dropout without an end date: not counted as ended.",
         "{who}: przerwał(a) udział (powód przerwania lub „nie” przy ścieżce), ale bez daty "
         "zakończenia — w zestawieniu w wierszu „do wyjaśnienia”, nie jako zakończenie.",
         "{who} dropped out (a reason, or 'no' for the path) but has no end date: counted "
         "'to be explained', not as ended."),
    Rule("Z003", W, CELL,
         "Wynik po zakończeniu udziału wpisany osobie, która jeszcze uczestniczy.",
         "An outcome recorded for a person who is still taking part.",
         "{who}: „{column}” wypełnione, a osoba nie zakończyła udziału do końca okresu — "
         "wynik nie jest liczony w efektywności.",
         "{who}: '{column}' is filled but the person had not ended by the end of the "
         "period; the outcome is not counted."),
    Rule("Z004", E, FILE,
         "Wskaźnik w projekt.toml liczy według kolumny lub formy wsparcia, której nie ma.",
         "An indicator in projekt.toml counts by a column or form of support that is not "
         "there.",
         "Wskaźnik „{indicator}”: {key} — takiej kolumny listy uczestników (albo formy "
         "wsparcia) nie ma w projekcie; wskaźnik nie został policzony.",
         "Indicator '{indicator}': {key}: the participant list has no such column (or "
         "the project no such form of support); the indicator was not counted."),
    Rule("Z005", W, CELL,
         "Zakończenie udziału bez informacji, czy zgodnie ze ścieżką.",
         "An end of participation that does not say whether along the path.",
         "{who}: data zakończenia bez „zgodnie ze ścieżką” (tak/nie) i bez powodu "
         "przerwania — osoba liczy się jako zakończona, ale w żadnym z „w tym”.",
         "{who}: an end date without 'along the path' (yes/no) or a dropout reason: "
         "counted as ended, in neither 'of which' row."),
)

RULES: dict[str, Rule] = {rule.code: rule for rule in _RULES}
