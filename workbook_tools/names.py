"""The tool's own names: the sheets, files and markers workbook-tools writes.

Everything the tool adds to a user's folder or workbook is recognised again by these
names *and* a marker, never by a name alone: a municipality's own sheet called
"Wyniki kontroli" (the findings of a funder's audit) is the user's, and a file that
merely looks like our output is not overwritten. This module imports nothing, so every
layer (reading, writing, the Excel door, templates) can use it.
"""

from __future__ import annotations

#: The workbook formats read (calamine reads each; the legacy .xls too).
SUPPORTED = frozenset({".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"})

#: A project's settings beside its workbooks, and a coordinator's for every project
#: under a folder (see :mod:`workbook_tools.settings`).
SETTINGS_FILE = "projekt.toml"
ROOT_SETTINGS_FILE = "workbook-tools.toml"

#: The visible sheet of issues that ``fill --annotate`` and the "Sprawdź" button add.
REPORT_SHEET = "Wyniki kontroli"
#: The very hidden sheet holding the undo record (see :mod:`workbook_tools.record`).
RECORD_SHEET = "_workbook_tools"
#: Cell A1 of a record sheet: our marker and the record layout's version.
RECORD_MARK = "workbook-tools undo record"
#: The report sheet's header row; with the record naming it, the sheet is ours.
REPORT_HEADERS = ("Lp.", "Arkusz", "Komórka", "Kod", "Waga", "Komunikat", "Wartość")

#: The sheet the "Zestawienie" button writes the claim tables into, and its cell A1
#: (a sheet is ours when both agree; it is never read as data).
CLAIM_SHEET = "Zestawienie"
CLAIM_MARK = "Zestawienie do wniosku o płatność (workbook-tools)"

#: The buttons' sheet of our macro-enabled templates, known by its title's first word.
PANEL_SHEET = "Panel"
PANEL_TITLE = "workbook-tools"

#: ``NAZWA.uzupelniony.xlsx``: what ``fill`` and ``clear`` write beside the original.
OUTPUT_MARK = ".uzupelniony"
#: ``NAZWA.kopia-zapasowa[-N].xlsx``: the original kept before an ``--in-place`` write.
BACKUP_MARK = ".kopia-zapasowa"
#: Temporary files of a write under way: ``.~wt-<pid>-<random>.xlsx``.
TEMP_PREFIX = ".~wt-"
#: Our own lock beside a workbook being written: ``.~wt-lock.NAZWA.xlsx``.
WRITE_LOCK_PREFIX = ".~wt-lock."
#: Custom document property our written workbooks carry: when we wrote them (the file's
#: modification time is set to the same nanosecond, so a later edit is noticed).
WRITTEN_PROPERTY = "workbook-tools-written"
#: Custom document property of the coordinator's report (``validate --report``).
REPORT_PROPERTY = "workbook-tools-report"
#: Custom document property of the .xlam/.xlsm files ``excel build`` writes: the version
#: of the xlwings VBA module inside (xlwings refuses a module of another version).
VBA_VERSION_PROPERTY = "workbook-tools-xlwings-vba"

#: The templates ``workbook-tools template`` writes, by the name the command takes
#: (``templates.TEMPLATES`` holds them; a test keeps the two equal).
TEMPLATE_NAMES = ("uczestnicy", "obecnosc", "obecnosc-siatka", "kontrakty", "budzet", "psu",
                  "psu-siatka")

#: Parts of a file name that mark files the tool wrote (never read as input).
OUR_FILE_MARKERS = (f"{OUTPUT_MARK}.", f"{BACKUP_MARK}.", f"{BACKUP_MARK}-")
