"""Social contracts (kontrakty socjalne) and the material aid they grant.

A contract is signed by the participant and the MOPS worker: tasks for both sides, a
period, and the material aid (zasiłek celowy / okresowy) granted to reach a goal
(textbooks, clothes, a dentist). Payments against it are kept in a separate sheet
(:mod:`workbook_tools.kinds.payments`); the contract's amount granted, period and
optional monthly limit are what those payments are checked against.
"""

# annotations are evaluated at import, not kept as strings: see schema.fields_of
import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from ..checks import ProjectData, SheetContext, SheetData
from ..issues import Issue
from ..polish import Money
from ..schema import DATE_FORMAT, MONEY_FORMAT, PERCENT_FORMAT, Column, Computed, Kind
from ..values import fold
from .participants import (
    NamedRow,
    ParticipantIndex,
    full_name,
    person_field,
    who,
)

MONEY = MONEY_FORMAT


@dataclass(eq=False, repr=False)
class Contract(NamedRow):
    contract_no: Annotated[str | None, Column(
        "Nr kontraktu socjalnego", ("nr kontraktu", "kontrakt socjalny nr", "kontrakt nr",
                                    "nr umowy", "kontrakt"), value_required=True)] = None
    signed: Annotated[dt.date | None, Column(
        "Data zawarcia", ("data zawarcia kontraktu", "data podpisania", "zawarty dnia"),
        number_format=DATE_FORMAT)] = None
    valid_from: Annotated[dt.date | None, Column(
        "Obowiązuje od", ("okres obowiązywania od", "ważny od", "okres od", "od", "data od",
                          "obowiązuje od dnia"), number_format=DATE_FORMAT)] = None
    valid_to: Annotated[dt.date | None, Column(
        "Obowiązuje do", ("okres obowiązywania do", "ważny do", "okres do", "do", "data do",
                          "obowiązuje do dnia"), number_format=DATE_FORMAT)] = None
    granted: Annotated[Decimal | None, Column(
        "Kwota przyznana", ("przyznana kwota", "kwota pomocy", "kwota przyznanej pomocy",
                            "wysokość pomocy", "kwota pomocy materialnej",
                            "kwota przyznana zł"), value_required=True,
        number_format=MONEY)] = None
    purpose: Annotated[str | None, Column(
        "Cel", ("cel pomocy", "przeznaczenie", "cel kontraktu", "cel przyznania pomocy"))] = None
    monthly_limit: Annotated[Decimal | None, Column(
        "Limit miesięczny", ("limit na miesiąc", "miesięczny limit", "limit miesięczny zł"),
        number_format=MONEY)] = None


@functools.lru_cache(maxsize=1 << 16)
def contract_key(number: str | None) -> str | None:
    """Contract numbers compared without case, spaces or diacritics ("KS / 1" = "ks/1")."""
    if not number:
        return None
    return "".join((number if number.isascii() else fold(number)).lower().split())


# --- checks on one sheet -----------------------------------------------------------


def check_contract_dates(ctx: SheetContext, records: list[Contract]) -> Iterator[Issue]:
    """K005, K003: a contract ends after it starts, and within the project period."""
    settings = ctx.settings
    for record in records:
        start, end = record.valid_from, record.valid_to
        early = bool(settings.start and start and start < settings.start)
        reversed_ = bool(start and end and end < start)
        if not (reversed_ or early or (settings.end and end and end > settings.end)):
            continue
        params: dict[str, Any] = {"contract": record.contract_no, "valid_from": start or "…",
                                  "valid_to": end or "…"}
        if reversed_:
            yield ctx.issue("K005", record, "valid_to", value=end, **params)
            continue
        field_name = "valid_from" if early else "valid_to"
        yield ctx.issue("K003", record, field_name, value=getattr(record, field_name),
                        period_from=settings.start or "…", period_to=settings.end or "…",
                        **params)


def check_granted(ctx: SheetContext, records: list[Contract]) -> Iterator[Issue]:
    """K007: an amount granted of zero or less is a typing mistake."""
    for record in records:
        if record.granted is not None and record.granted <= 0:
            yield ctx.issue("K007", record, "granted", value=str(record.granted),
                            contract=record.contract_no, amount=Money(record.granted))


# --- checks across the project -----------------------------------------------------


def contracts_of(project: ProjectData) -> dict[str, tuple[SheetContext, Contract]]:
    """Contracts by number (the first of duplicates), for payments to be checked against."""
    def compute() -> dict[str, tuple[SheetContext, Contract]]:
        found: dict[str, tuple[SheetContext, Contract]] = {}
        for sheet in project.of_kind(CONTRACTS):
            for record in sheet.records:
                key = contract_key(record.contract_no)
                if key:
                    found.setdefault(key, (sheet.ctx, record))
        return found

    return project.memo("contracts_of", compute)


def check_duplicate_numbers(project: ProjectData) -> Iterator[Issue]:
    """K001: a contract number identifies one contract."""
    numbered = sum(1 for sheet in project.of_kind(CONTRACTS) for record in sheet.records
                   if record.contract_no)
    if numbered == len(contracts_of(project)):  # each number once: nothing to group
        return
    places: dict[str, list[tuple[SheetContext, Contract]]] = defaultdict(list)
    for sheet in project.of_kind(CONTRACTS):
        for record in sheet.records:
            key = contract_key(record.contract_no)
            if key:
                places[key].append((sheet.ctx, record))
    for group in places.values():
        if len(group) < 2:
            continue
        rows = ", ".join(f"{ctx.table.sheet}!{rec.row}" for ctx, rec in group)
        for ctx, record in group:
            yield ctx.issue("K001", record, "contract_no", value=record.contract_no,
                            contract=record.contract_no, rows=rows)


def check_participants(project: ProjectData) -> Iterator[Issue]:
    """K002, K004: the contract's person is on the list, and signed while taking part."""
    index = ParticipantIndex(project)
    if not index:
        return
    for sheet in project.of_kind(CONTRACTS):
        ctx = sheet.ctx
        for record in sheet.records:
            name = full_name(record)
            if not (record.pesel or name):
                continue
            person = index.find(record.pesel, name)
            field_name = person_field(ctx, record)
            if person is None:
                yield ctx.issue("K002", record, field_name, contract=record.contract_no,
                                who=who(record))
                continue
            start, end = record.valid_from, record.valid_to
            before = start and person.start and start < person.start
            after = end and person.end and end > person.end
            if before or after:
                yield ctx.issue("K004", record, "valid_from" if before else "valid_to",
                                contract=record.contract_no, valid_from=start or "…",
                                valid_to=end or "…", start=person.start or "…",
                                end=person.end or "…")


# --- computed columns (fill) ---------------------------------------------------------


def _paid_column(attribute: str) -> Any:
    """Values from the payments ledger: paid to date, remaining, share used, payments."""
    def values(project: ProjectData, sheet: SheetData) -> dict[int, Any]:
        from .payments import ledger  # the ledger replays payments against these contracts

        book = ledger(project)
        found: dict[int, Any] = {}
        for record in sheet.records:
            status = book.contracts.get(contract_key(record.contract_no) or "")
            if status is not None and status.contract is record:
                value = getattr(status, attribute)
                if value is not None:
                    found[record.row] = value
        return found

    return values


def check_unpaid_contracts(project: ProjectData) -> Iterator[Issue]:
    """K006: a contract that ended with nothing paid (info: aid may have been refused).
    Known from the payments sheets, so it runs only when the project has them."""
    from .payments import PAYMENTS, ledger  # payments import this module

    if not project.of_kind(PAYMENTS):
        return
    today = project.settings.today
    counts = ledger(project).counts
    for key, (ctx, contract) in contracts_of(project).items():
        if key not in counts and contract.valid_to and contract.valid_to < today:
            yield ctx.issue("K006", contract, None, contract=contract.contract_no,
                            valid_to=contract.valid_to)



CONTRACTS = Kind(
    names=("kontrakty", "contracts"),
    words=("kontrakt", "umow"),
    name="contracts",
    label="kontrakty socjalne",
    label_en="social contracts",
    model=Contract,
    required=(("contract_no", "granted"),),
    checks=(check_contract_dates, check_granted),
    project_checks=(check_duplicate_numbers, check_participants, check_unpaid_contracts),
    computed=(
        Computed("Wypłacono do dnia", _paid_column("paid"), number_format=MONEY_FORMAT, width=16,
                 project_wide=True, aliases=("wypłacono", "kwota wypłacona do dnia")),
        Computed("Pozostało do wypłaty", _paid_column("remaining"),
                 number_format=MONEY_FORMAT, width=16, project_wide=True,
                 aliases=("pozostało",)),
        Computed("% wykorzystania", _paid_column("used"), number_format=PERCENT_FORMAT, width=12,
                 project_wide=True, aliases=("procent wykorzystania",)),
        Computed("Liczba wypłat", _paid_column("payments"), number_format="0", width=10,
                 project_wide=True),
    ),
)
