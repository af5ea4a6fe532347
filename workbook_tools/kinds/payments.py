"""Payments of material aid (wypłaty) against social contracts, and the running ledger.

One row per payment: contract number, date, amount, kind of benefit, decision number.
The ledger (:func:`ledger`) replays the payments of each contract in date order, so that
the payment which crosses the amount granted is the one pointed at, and gives what staff
and accountants want to see: paid to date, remaining, share used, totals per month and
per kind of benefit. All sums are ``Decimal``; nothing here touches a float.
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
from ..schema import DATE_FORMAT, Column, Computed, Kind
from ..summary import Percent, SummaryTable
from ..values import choice_parser
from .contracts import CONTRACTS, MONEY, Contract, contract_key, contracts_of

#: The kind of benefit paid for socially useful work (its register: :mod:`.psu`).
PSU_BENEFIT = "prace społecznie użyteczne"
BENEFIT = choice_parser(
    {v: v for v in ("zasiłek celowy", "zasiłek okresowy", "zasiłek celowy specjalny",
                    "zasiłek stały", "pomoc rzeczowa", PSU_BENEFIT)},
    {
        "celowy": "zasiłek celowy", "zasiłek celowy (art. 39)": "zasiłek celowy",
        "okresowy": "zasiłek okresowy", "specjalny zasiłek celowy": "zasiłek celowy specjalny",
        "stały": "zasiłek stały", "rzeczowa": "pomoc rzeczowa", "psu": PSU_BENEFIT,
        "świadczenie za prace społecznie użyteczne": PSU_BENEFIT,
    },
)
ZERO = Decimal("0.00")


@dataclass(eq=False, repr=False)
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


@dataclass(eq=False, repr=False)
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


Ordered = list[tuple[SheetContext, Payment, str | None]]


@dataclass(eq=False, repr=False)
class Ledger:
    #: every payment of the project with its contract key, in date order
    payments: Ordered
    #: paid on its contract after each payment of ``payments`` (None: no amount)
    after: list[Decimal | None]
    #: the contracts of the project by key (see :func:`contracts_of`)
    known: dict[str, tuple[SheetContext, Contract]]
    #: paid and number of payments per contract key (also for unknown numbers)
    paid: dict[str, Decimal]
    counts: dict[str, int]

    @functools.cached_property
    def contracts(self) -> dict[str, ContractStatus]:
        """Each known contract with what was paid on it: the summary's and fill's rows."""
        return {key: ContractStatus(ctx, contract, self.paid.get(key, ZERO),
                                    self.counts.get(key, 0))
                for key, (ctx, contract) in self.known.items()}

    @functools.cached_property
    def cumulative(self) -> dict[tuple[int, int], Decimal]:
        """Paid on its contract after each payment, by (sheet context id, row): fill's
        column. Built on demand: a plain validate run never asks for it."""
        return {(id(ctx), payment.row): paid
                for (ctx, payment, _key), paid in zip(self.payments, self.after, strict=True)
                if paid is not None}

    @functools.cached_property
    def per_month(self) -> dict[tuple[int, int], Decimal]:
        """Paid per (year, month); undated payments count in the total only."""
        sums: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
        for _ctx, payment, _key in self.payments:
            if payment.amount is not None and payment.date:
                sums[(payment.date.year, payment.date.month)] += payment.amount
        return sums

    @functools.cached_property
    def per_benefit(self) -> dict[str, Decimal]:
        sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for _ctx, payment, _key in self.payments:
            if payment.amount is not None:
                sums[payment.benefit or "(nie podano)"] += payment.amount
        return sums

    @functools.cached_property
    def total(self) -> Decimal:
        return sum((p.amount for _c, p, _k in self.payments if p.amount is not None), ZERO)


def payments_in_order(project: ProjectData) -> Ordered:
    """All payments of the project with their contract key: by date, then sheet and row
    as read (undated last). Computed once per project: every payment check walks it."""
    def compute() -> Ordered:
        found = [(sheet.ctx, record, contract_key(record.contract_no))
                 for sheet in project.of_kind(PAYMENTS) for record in sheet.records]
        found.sort(key=lambda p: p[1].date or dt.date.max)
        return found

    return project.memo("payments_in_order", compute)


def ledger(project: ProjectData) -> Ledger:
    """Replay every payment in date order (computed once per project)."""
    return project.memo("ledger", lambda: _build_ledger(project))


def _build_ledger(project: ProjectData) -> Ledger:
    """Running sums per contract. The hot loop of a payments check: per payment one
    dictionary update and one addition; the totals per month and per kind of benefit
    are left to the summary that asks for them."""
    ordered = payments_in_order(project)
    running: dict[str, Decimal] = {}
    counts: dict[str, int] = defaultdict(int)
    after: list[Decimal | None] = []
    for _ctx, payment, number in ordered:
        amount = payment.amount
        if amount is None:
            after.append(None)
            continue
        key = number or ""
        paid = running[key] = running.get(key, ZERO) + amount
        after.append(paid)
        counts[key] += 1
    return Ledger(ordered, after, contracts_of(project), running, counts)


# --- checks on one sheet -----------------------------------------------------------


def check_amounts(ctx: SheetContext, records: list[Payment]) -> Iterator[Issue]:
    """W005: a payment of zero or less is a typing mistake (returns are not payments)."""
    for record in records:
        if record.amount is not None and record.amount <= 0:
            yield ctx.issue("W005", record, "amount", value=str(record.amount),
                            amount=Money(record.amount))


# --- checks across the project -----------------------------------------------------


def check_against_contracts(project: ProjectData) -> Iterator[Issue]:
    """W001, W002, W003, W004: each payment on a known contract, in its period, within
    the amount granted and the monthly limit."""
    contracts = contracts_of(project)
    if not project.of_kind(CONTRACTS):
        return
    book = ledger(project)
    crossed: set[str] = set()
    monthly: dict[tuple[str, int, int], Decimal] = {}
    month_crossed: set[tuple[str, int, int]] = set()
    for (ctx, payment, key), paid in zip(book.payments, book.after, strict=True):
        if key is None:
            continue
        found = contracts.get(key)
        if found is None:
            yield ctx.issue("W001", payment, "contract_no", value=payment.contract_no,
                            contract=payment.contract_no)
            continue
        contract = found[1]
        start, end, date = contract.valid_from, contract.valid_to, payment.date
        if date and ((start and date < start) or (end and date > end)):
            yield ctx.issue("W002", payment, "date", value=date, date=date,
                            contract=contract.contract_no, valid_from=start or "…",
                            valid_to=end or "…")
        amount = payment.amount
        if paid is None or amount is None:  # no amount: nothing was added to the ledger
            continue
        granted = contract.granted
        if granted is not None and paid > granted and key not in crossed:
            crossed.add(key)
            yield ctx.issue("W003", payment, "amount", value=str(amount),
                            contract=contract.contract_no, paid=Money(paid),
                            granted=Money(granted), excess=Money(paid - granted),
                            total=Money(book.paid[key]))
        limit = contract.monthly_limit
        if limit is not None and date:
            month = (key, date.year, date.month)
            in_month = monthly[month] = monthly.get(month, ZERO) + amount
            if in_month > limit and month not in month_crossed:
                month_crossed.add(month)
                yield ctx.issue("W004", payment, "amount", value=str(amount),
                                contract=contract.contract_no, month=f"{date:%m.%Y}",
                                paid=Money(in_month), limit=Money(limit),
                                excess=Money(in_month - limit))


def check_double_payments(project: ProjectData) -> Iterator[Issue]:
    """W006: the same contract, date and amount twice is most often paid twice."""
    ordered = payments_in_order(project)
    keyed = [(key, p.date, p.amount) for _c, p, key in ordered]
    if len(set(keyed)) == len(keyed):  # the usual case, decided at C speed
        return
    first: dict[tuple[str, dt.date, Decimal], tuple[int, SheetContext, Payment]] = {}
    groups: dict[tuple[str, dt.date, Decimal], list[tuple[SheetContext, Payment]]] = {}
    for index, (ctx, payment, key) in enumerate(ordered):
        if key and payment.date and payment.amount is not None:
            same = (key, payment.date, payment.amount)
            seen = first.setdefault(same, (index, ctx, payment))
            if seen[2] is not payment:
                groups.setdefault(same, [seen[1:]]).append((ctx, payment))
    # in the order the first payment of each group was met, as before any was repeated
    for (_key, date, amount), group in sorted(groups.items(),
                                              key=lambda item: first[item[0]][0]):
        rows = ", ".join(str(p.row) for _, p in sorted(group, key=lambda g: g[1].row))
        for ctx, payment in group:
            yield ctx.issue("W006", payment, "amount", value=str(amount),
                            contract=payment.contract_no, date=date,
                            amount=Money(amount), rows=rows)


# --- computed values ---------------------------------------------------------------


def summarise(project: ProjectData) -> list[SummaryTable]:
    """Per contract, per month and per kind of benefit: what fill writes and
    ``validate --summary`` prints."""
    if not (project.of_kind(PAYMENTS) or project.of_kind(CONTRACTS)):
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
    names=("wyplaty", "wypłaty", "payments"),
    words=("wyplat", "zasil", "swiadczen", "pomoc"),
    name="payments",
    label="wypłaty pomocy materialnej",
    label_en="payments of material aid",
    model=Payment,
    required=(("contract_no", "date", "amount"),),
    checks=(check_amounts,),
    project_checks=(check_against_contracts, check_double_payments),
    summaries=(summarise,),
    computed=(Computed("Wypłacono narastająco na kontrakcie", _cumulative,
                       number_format=MONEY, width=18, project_wide=True,
                       aliases=("narastająco", "wypłacono narastająco")),),
)
