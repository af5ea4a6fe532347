"""Payments of material aid (wypłaty) against social contracts, and the running ledger.

One row per payment: contract number, date, amount, kind of benefit, decision number.
The ledger (:func:`ledger`) replays the payments of each contract in date order, so that
the payment which crosses the amount granted is the one pointed at, and gives what staff
and accountants want to see: paid to date, remaining, share used, totals per month and
per kind of benefit. All sums are ``Decimal``; nothing here touches a float.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass as plain_dataclass
from dataclasses import field
from decimal import Decimal
from typing import Annotated, Any

from pydantic.dataclasses import dataclass

from ..checks import ProjectData, SheetContext, SheetData
from ..issues import Issue
from ..schema import DATE_FORMAT, Column, Computed, Kind
from ..summary import Percent, SummaryTable
from ..values import choice_parser, format_money
from .contracts import MONEY, Contract, contract_key, contracts_of

BENEFIT = choice_parser(
    {v: v for v in ("zasiłek celowy", "zasiłek okresowy", "zasiłek celowy specjalny",
                    "zasiłek stały", "pomoc rzeczowa", "prace społecznie użyteczne")},
    {
        "celowy": "zasiłek celowy", "zasiłek celowy (art. 39)": "zasiłek celowy",
        "okresowy": "zasiłek okresowy", "specjalny zasiłek celowy": "zasiłek celowy specjalny",
        "stały": "zasiłek stały", "rzeczowa": "pomoc rzeczowa", "psu": "prace społecznie "
        "użyteczne", "świadczenie za prace społecznie użyteczne": "prace społecznie użyteczne",
    },
)
ZERO = Decimal("0.00")


@dataclass(slots=True)
class Payment:
    row: int
    contract_no: Annotated[str | None, Column(
        "Nr kontraktu socjalnego", ("nr kontraktu", "kontrakt socjalny nr", "kontrakt nr",
                                    "kontrakt"), value_required=True)] = None
    date: Annotated[dt.date | None, Column(
        "Data wypłaty", ("data", "data przelewu", "data wypłaty świadczenia",
                         "wypłacono dnia"), value_required=True,
        number_format=DATE_FORMAT)] = None
    amount: Annotated[Decimal | None, Column(
        "Kwota wypłaty", ("kwota", "wypłacona kwota", "kwota wypłacona", "kwota świadczenia",
                          "kwota zł", "kwota wypłaty zł"), value_required=True,
        number_format=MONEY)] = None
    benefit: Annotated[str | None, Column(
        "Rodzaj świadczenia", ("rodzaj pomocy", "rodzaj zasiłku", "świadczenie",
                               "forma pomocy"), parser=BENEFIT)] = None
    decision_no: Annotated[str | None, Column(
        "Nr decyzji", ("decyzja nr", "decyzja", "nr decyzji administracyjnej"))] = None


# --- the ledger --------------------------------------------------------------------


@plain_dataclass
class ContractStatus:
    ctx: SheetContext
    contract: Contract
    paid: Decimal = ZERO
    payments: int = 0

    @property
    def remaining(self) -> Decimal | None:
        granted = self.contract.granted
        return None if granted is None else granted - self.paid

    @property
    def used(self) -> Percent | None:
        """Share of the amount granted paid so far, in per cent (two decimals)."""
        granted = self.contract.granted
        if not granted:
            return None
        return Percent((self.paid * 100 / granted).quantize(Decimal("0.01")))


@plain_dataclass
class Ledger:
    contracts: dict[str, ContractStatus] = field(default_factory=dict)
    #: cumulative paid on its contract after each payment, by (sheet context id, row)
    cumulative: dict[tuple[int, int], Decimal] = field(default_factory=dict)
    per_month: dict[tuple[int, int], Decimal] = field(
        default_factory=lambda: defaultdict(lambda: ZERO))  # (year, month)
    per_benefit: dict[str, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    total: Decimal = ZERO


def payments_in_order(project: ProjectData) -> list[tuple[SheetContext, Payment, str | None]]:
    """All payments of the project with their contract key: by date, then sheet and row
    as read (undated last). Computed once per project: every payment check walks it."""
    def compute() -> list[tuple[SheetContext, Payment, str | None]]:
        found = [(sheet.ctx, record, contract_key(record.contract_no))
                 for sheet in project.of_kind("payments") for record in sheet.records]
        found.sort(key=lambda p: p[1].date or dt.date.max)
        return found

    return project.memo("payments_in_order", compute)


def ledger(project: ProjectData) -> Ledger:
    """Replay every payment in date order (computed once per project)."""
    return project.memo("ledger", lambda: _build_ledger(project))


def _build_ledger(project: ProjectData) -> Ledger:
    book = Ledger()
    for key, (ctx, contract) in contracts_of(project).items():
        book.contracts[key] = ContractStatus(ctx, contract)
    running: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for ctx, payment, number in payments_in_order(project):
        amount = payment.amount
        if amount is None:
            continue
        key = number or ""
        running[key] += amount
        book.cumulative[(id(ctx), payment.row)] = running[key]
        status = book.contracts.get(key)
        if status is not None:
            status.paid += amount
            status.payments += 1
        if payment.date:
            book.per_month[(payment.date.year, payment.date.month)] += amount
        book.per_benefit[payment.benefit or "(nie podano)"] += amount
        book.total += amount
    return book


# --- checks on one sheet -----------------------------------------------------------


def check_amounts(ctx: SheetContext, records: list[Payment]) -> Iterator[Issue]:
    """W005: a payment of zero or less is a typing mistake (returns are not payments)."""
    for record in records:
        if record.amount is not None and record.amount <= 0:
            yield ctx.issue("W005", record, "amount", value=str(record.amount),
                            amount=format_money(record.amount))


# --- checks across the project -----------------------------------------------------


def check_against_contracts(project: ProjectData) -> Iterator[Issue]:
    """W001, W002, W003, W004: each payment on a known contract, in its period, within
    the amount granted and the monthly limit."""
    contracts = contracts_of(project)
    if not project.of_kind("contracts"):
        return
    book = ledger(project)
    crossed: set[str] = set()
    monthly: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    month_crossed: set[tuple[str, str]] = set()
    for ctx, payment, key in payments_in_order(project):
        if key is None:
            continue
        if key not in contracts:
            yield ctx.issue("W001", payment, "contract_no", value=payment.contract_no,
                            contract=payment.contract_no)
            continue
        contract = contracts[key][1]
        number = contract.contract_no
        start, end = contract.valid_from, contract.valid_to
        if payment.date and ((start and payment.date < start) or (end and payment.date > end)):
            yield ctx.issue("W002", payment, "date", value=payment.date, date=payment.date,
                            contract=number, valid_from=start or "…", valid_to=end or "…")
        if payment.amount is None:
            continue
        paid = book.cumulative[(id(ctx), payment.row)]
        granted = contract.granted
        if granted is not None and paid > granted and key not in crossed:
            crossed.add(key)
            yield ctx.issue("W003", payment, "amount", value=str(payment.amount),
                            contract=number, paid=format_money(paid),
                            granted=format_money(granted), excess=format_money(paid - granted),
                            total=format_money(book.contracts[key].paid))
        limit = contract.monthly_limit
        if limit is not None and payment.date:
            month = (key, f"{payment.date:%m.%Y}")
            monthly[month] += payment.amount
            if monthly[month] > limit and month not in month_crossed:
                month_crossed.add(month)
                yield ctx.issue("W004", payment, "amount", value=str(payment.amount),
                                contract=number, month=month[1],
                                paid=format_money(monthly[month]), limit=format_money(limit),
                                excess=format_money(monthly[month] - limit))


def check_double_payments(project: ProjectData) -> Iterator[Issue]:
    """W006: the same contract, date and amount twice is most often paid twice."""
    groups: dict[tuple[str, dt.date, Decimal], list[tuple[SheetContext, Payment]]] = (
        defaultdict(list))
    for ctx, payment, key in payments_in_order(project):
        if key and payment.date and payment.amount is not None:
            groups[(key, payment.date, payment.amount)].append((ctx, payment))
    for (_key, date, amount), group in groups.items():
        if len(group) < 2:
            continue
        rows = ", ".join(str(p.row) for _, p in sorted(group, key=lambda g: g[1].row))
        for ctx, payment in group:
            yield ctx.issue("W006", payment, "amount", value=str(amount),
                            contract=payment.contract_no, date=date,
                            amount=format_money(amount), rows=rows)


def check_unpaid_contracts(project: ProjectData) -> Iterator[Issue]:
    """K006: a contract that ended with nothing paid (info: aid may have been refused)."""
    if not project.of_kind("payments"):
        return
    today = project.settings.today
    for status in ledger(project).contracts.values():
        contract = status.contract
        if status.payments == 0 and contract.valid_to and contract.valid_to < today:
            yield status.ctx.issue("K006", contract, None, contract=contract.contract_no,
                                   valid_to=contract.valid_to)


# --- computed values ---------------------------------------------------------------


def summarise(project: ProjectData) -> list[SummaryTable]:
    """Per contract, per month and per kind of benefit: what fill writes and
    ``validate --summary`` prints."""
    if not (project.of_kind("payments") or project.of_kind("contracts")):
        return []
    book = ledger(project)
    tables = []
    if book.contracts:
        tables.append(SummaryTable(
            "Kontrakty: wypłacono do dnia", "Contracts: paid to date",
            ["Nr kontraktu", "Przyznano", "Wypłacono", "Pozostało", "% wykorzystania",
             "Liczba wypłat"],
            ["Contract", "Granted", "Paid", "Remaining", "% used", "Payments"],
            [[s.contract.contract_no, s.contract.granted, s.paid, s.remaining, s.used,
              s.payments] for s in book.contracts.values()]))
    if book.per_month:
        tables.append(SummaryTable(
            "Wypłaty według miesięcy", "Payments by month", ["Miesiąc", "Kwota"],
            ["Month", "Amount"],
            [[f"{year}-{month:02d}", amount]
             for (year, month), amount in sorted(book.per_month.items())]
            + [["Razem", book.total]]))
    if book.per_benefit:
        tables.append(SummaryTable(
            "Wypłaty według rodzaju świadczenia", "Payments by kind of benefit",
            ["Rodzaj świadczenia", "Kwota"], ["Kind of benefit", "Amount"],
            [[kind, amount] for kind, amount in sorted(book.per_benefit.items())]
            + [["Razem", book.total]]))
    return tables


def _cumulative(project: ProjectData, sheet: SheetData) -> dict[int, Any]:
    cumulative = ledger(project).cumulative
    here = id(sheet.ctx)
    return {r.row: cumulative[(here, r.row)] for r in sheet.records
            if (here, r.row) in cumulative}


PAYMENTS = Kind(
    name="payments",
    label="wypłaty pomocy materialnej",
    label_en="payments of material aid",
    model=Payment,
    required=(("contract_no", "date", "amount"),),
    checks=(check_amounts,),
    project_checks=(check_against_contracts, check_double_payments, check_unpaid_contracts),
    summaries=(summarise,),
    computed=(Computed("Wypłacono narastająco na kontrakcie", _cumulative, MONEY, 18,
                       ("narastająco", "wypłacono narastająco")),),
)
