"""Own-contribution budget (budżet projektu, wkład własny), as accountants keep it.

Lines per task and cost category: the total, its split into EFS co-financing and the
municipality's own contribution (wkład własny), where that contribution comes from
(benefits paid by the MOPS, socially useful work, the municipal budget), and what was
planned and executed, in one column or one per period. The programme sets the minimum
own-contribution share and caps on cross-financing, fixed assets and indirect costs
(``[budzet]`` in ``projekt.toml``). Own contribution declared as benefits must equal the
material aid actually paid (:mod:`workbook_tools.kinds.payments`).

Bartoszyce "Twoja Szansa" (2009): 349 773,80 zł = EFS 310 503,80 + own 39 270,00, an own
share of 11,23 %.
"""

# annotations are evaluated at import, not kept as strings: see schema.fields_of
import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from ..checks import ProjectData, SheetContext, SheetData
from ..issues import Issue
from ..polish import Money, Share
from ..schema import (
    MONEY_FORMAT,
    PERCENT_FORMAT,
    Column,
    Computed,
    Kind,
    header_regex,
)
from ..summary import Percent, SummaryTable
from ..values import fold, parse_money
from .contracts import MONEY
from .payments import PAYMENTS, PSU_BENEFIT, payments_in_order

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


@dataclass(eq=False, repr=False)
class BudgetLine:
    row: int
    task: Annotated[str | None, Column(
        "Zadanie", ("nr zadania", "zadanie nr", "nazwa zadania", "zadanie/kategoria"))] = None
    category: Annotated[str | None, Column(
        "Kategoria kosztu", ("kategoria", "rodzaj kosztu", "nazwa kosztu", "pozycja budżetu",
                             "pozycja", "wydatek", "nazwa wydatku", "koszt"))] = None
    cross_financing: Annotated[bool | None, Column(
        "Cross-financing", ("cross financing", "crossfinancing", "cross-financing tak/nie"))] = (
        None)
    fixed_asset: Annotated[bool | None, Column(
        "Środki trwałe", ("środek trwały", "zakup środków trwałych"))] = None
    indirect: Annotated[bool | None, Column("Koszty pośrednie", ("koszt pośredni",))] = None
    total: Annotated[Decimal | None, Column(
        "Ogółem", ("wartość ogółem", "koszt ogółem", "kwota ogółem", "wartość",
                   "wydatki ogółem", "ogółem zł", "wartość zł"), number_format=MONEY)] = None
    efs: Annotated[Decimal | None, Column(
        "Dofinansowanie EFS", ("efs", "środki efs", "kwota dofinansowania", "dofinansowanie",
                               "wkład efs", "dotacja efs", "dofinansowanie efs zł"),
        number_format=MONEY)] = None
    own: Annotated[Decimal | None, Column(
        "Wkład własny", ("wkład własny ogółem", "kwota wkładu własnego", "wkład własny zł"),
        number_format=MONEY)] = None
    own_source: Annotated[str | None, Column(
        "Źródło wkładu własnego", ("źródło wkładu", "źródło finansowania wkładu własnego",
                                   "źródło"))] = None
    planned: Annotated[Decimal | None, Column(
        "Plan", ("wartość planowana", "planowane", "kwota planowana", "plan zł"),
        number_format=MONEY)] = None
    executed: Annotated[Decimal | None, Column(
        "Wykonanie", ("wykonano", "wydatki poniesione", "kwota wydatkowana", "poniesione",
                      "wydatkowano", "wykonanie zł"), number_format=MONEY)] = None
    #: one "Wykonanie <okres>" column per period, by its header
    executed_by_period: dict[str, Decimal] = dataclasses.field(default_factory=dict)

    @property
    def plan(self) -> Decimal | None:
        """What the line may spend: its plan column, else its total."""
        return self.planned if self.planned is not None else self.total

    @property
    def spent(self) -> Decimal | None:
        """Executed: the one column, else the sum of the per-period columns."""
        if self.executed is not None:
            return self.executed
        if self.executed_by_period:
            return sum(self.executed_by_period.values(), ZERO)
        return None


AMOUNTS = ("total", "efs", "own", "planned", "executed")


def own_source_kind(source: str | None) -> str | None:
    """"benefits" (świadczenia, zasiłki), "psu" (prace społecznie użyteczne) or None."""
    if not source:
        return None
    folded = fold(source)
    if "psu" in folded.split() or "prace spolecznie" in folded:
        return "psu"
    if "swiadcz" in folded or "zasil" in folded:
        return "benefits"
    return None


def percent(part: Decimal, whole: Decimal) -> Percent | None:
    return Percent((part * HUNDRED / whole).quantize(Decimal("0.01"))) if whole else None


def show_percent(value: Decimal | Percent | None) -> Share | str:
    number = value.value if isinstance(value, Percent) else value
    return "" if number is None else Share(number)


def _sum(lines: list[BudgetLine], name: str) -> Decimal:
    return sum((getattr(line, name) or ZERO for line in lines), ZERO)


def plan_and_spent(lines: list[BudgetLine]) -> tuple[Decimal, Decimal]:
    """The budget's plan and execution: the sums of its lines (empty ones count 0)."""
    return _sum(lines, "plan"), _sum(lines, "spent")


# --- checks on one sheet -----------------------------------------------------------


def is_correction(line: BudgetLine) -> bool:
    """A line that corrects earlier spending ("Korekta", "Zwrot", "Storno"): its
    amounts are negative by nature."""
    text = fold(" ".join(t for t in (line.task, line.category) if t))
    return any(word in text for word in ("korekt", "zwrot", "storn"))


def check_line_arithmetic(ctx: SheetContext, lines: list[BudgetLine]) -> Iterator[Issue]:
    """B001, B008: total = EFS + own contribution to the grosz; no negative amounts
    except on correction lines."""
    for line in lines:
        for name in AMOUNTS:
            amount = getattr(line, name)
            if amount is not None and amount < 0 and not is_correction(line):
                yield ctx.issue("B008", line, name, value=str(amount),
                                amount=Money(amount), column=ctx.header(name))
        if line.total is not None and line.efs is not None and line.own is not None:
            parts = line.efs + line.own
            if parts != line.total:
                yield ctx.issue("B001", line, "total", value=str(line.total),
                                total=Money(line.total), efs=Money(line.efs),
                                own=Money(line.own), sum=Money(parts),
                                difference=Money(line.total - parts))


def check_execution(ctx: SheetContext, lines: list[BudgetLine]) -> Iterator[Issue]:
    """B007, B009: executed within the plan plus the allowed shift; nothing spent unplanned."""
    shift = ctx.settings.budget.limit("allowed_shift") or ZERO
    executed_field = "executed" if ctx.has("executed") else None
    for line in lines:
        spent, plan = line.spent, line.plan
        if spent is None or spent == 0:
            continue
        if not plan:
            yield ctx.issue("B009", line, executed_field, value=str(spent),
                            executed=Money(spent))
        elif plan < 0 or spent < 0:
            # a correction: it may take back at most what was planned, measured in size
            if (spent < 0) == (plan < 0) and abs(spent) > abs(plan) * (1 + shift / HUNDRED):
                yield ctx.issue("B007", line, executed_field, value=str(spent),
                                executed=Money(spent), planned=Money(plan),
                                excess_share=show_percent(
                                    (abs(spent) - abs(plan)) * HUNDRED / abs(plan)),
                                shift=show_percent(shift))
        elif spent > plan * (1 + shift / HUNDRED):
            yield ctx.issue("B007", line, executed_field, value=str(spent),
                            executed=Money(spent), planned=Money(plan),
                            excess_share=show_percent((spent - plan) * HUNDRED / plan),
                            shift=show_percent(shift))


def check_totals_row(ctx: SheetContext, lines: list[BudgetLine]) -> Iterator[Issue]:
    """B013: each subtotal ("Razem zadanie 1") equals the lines above it up to the
    previous subtotal; B002: the "Razem" row equals the sum of the lines — unless it
    equals the sum of the subtotals, whose own differences B013 has named already."""
    start = 0
    for subtotal in ctx.subtotals:
        covered = [line for line in lines if start < line.row < subtotal.row]
        start = subtotal.row
        yield from _sum_row(ctx, "B013", subtotal, covered)
    totals = ctx.totals
    if totals is None:
        return
    if ctx.subtotals:
        stated_subtotals = [s for s in ctx.subtotals]
        consistent = all(getattr(totals, name) is None or getattr(totals, name) == _sum(
            stated_subtotals, name) for name in AMOUNTS)
        if consistent and any(getattr(totals, name) is not None for name in AMOUNTS):
            return
    yield from _sum_row(ctx, "B002", totals, lines)


def _sum_row(ctx: SheetContext, code: str, stated_row: BudgetLine,
             lines: list[BudgetLine]) -> Iterator[Issue]:
    """Each amount of a sum row against the sum of its lines."""
    for name in AMOUNTS:
        stated = getattr(stated_row, name)
        if stated is None:
            continue
        computed = _sum(lines, name)
        if stated != computed:
            yield ctx.issue(code, stated_row, name, value=str(stated),
                            column=ctx.header(name), stated=Money(stated),
                            computed=Money(computed),
                            difference=Money(stated - computed),
                            rows=_rows(lines))
    for label, stated in stated_row.executed_by_period.items():
        computed = sum((line.executed_by_period.get(label, ZERO) for line in lines), ZERO)
        if stated != computed:
            index = next(i for i, text in ctx.table.header.patterns["executed_by_period"]
                         if text == label)
            yield Issue(code, ctx.table.file, sheet=ctx.table.sheet,
                        cell=ctx.table.address(stated_row.row, index), row=stated_row.row,
                        params={"column": label, "stated": Money(stated),
                         "computed": Money(computed),
                         "difference": Money(stated - computed),
                         "rows": _rows(lines)}, value=str(stated))


def _rows(lines: list[BudgetLine]) -> str:
    return f"{lines[0].row}–{lines[-1].row}" if lines else "—"


def check_text_amounts(ctx: SheetContext, lines: list[BudgetLine]) -> Iterator[Issue]:
    """B014: an amount typed as text where a sum row adds the column up: Excel's SUM
    skips text, so the sheet's own total silently leaves it out."""
    if ctx.totals is None and not ctx.subtotals:
        return
    table = ctx.table
    for row, index, raw in table.text_amounts:
        column = next((table.header.texts[name] for name, at in table.header.columns.items()
                       if at == index), "")
        yield Issue("B014", table.file, sheet=table.sheet, cell=table.address(row, index), row=row,
                    params={"column": column, "text": raw}, value=raw)


def check_uncached_formulas(ctx: SheetContext, lines: list[BudgetLine]) -> Iterator[Issue]:
    """B010: a formula saved without its value would otherwise count as an empty cell."""
    for address in sorted(ctx.uncached, key=lambda a: (int(re.sub(r"\D", "", a)), a)):
        row = int(re.sub(r"\D", "", address))
        yield Issue("B010", ctx.table.file, sheet=ctx.table.sheet, cell=address, row=row)


def check_shares(ctx: SheetContext, lines: list[BudgetLine]) -> Iterator[Issue]:
    """B003-B006: the programme's minimum own share and its caps, over the whole budget."""
    rules = ctx.settings.budget
    total = _sum(lines, "total")
    if not total:
        return
    minimum = rules.limit("min_own_share")
    if minimum is not None and ctx.has("own"):
        own = _sum(lines, "own")
        if own * HUNDRED < minimum * total:
            yield ctx.issue("B003", own=Money(own), total=Money(total),
                            share=show_percent(percent(own, total)),
                            required=show_percent(minimum))
    for code, flag, cap_name in (("B004", "cross_financing", "cross_financing_cap"),
                                 ("B005", "fixed_asset", "fixed_assets_cap"),
                                 ("B006", "indirect", "indirect_cap")):
        cap = rules.limit(cap_name)
        if cap is None or not ctx.has(flag):
            continue
        amount = sum((line.total or ZERO for line in lines if getattr(line, flag)), ZERO)
        if amount * HUNDRED > cap * total:
            yield ctx.issue(code, amount=Money(amount),
                            share=show_percent(percent(amount, total)), cap=show_percent(cap))


# --- reconciliation with the aid actually paid -------------------------------------


def own_contribution(sheet: SheetData) -> dict[str, tuple[Decimal, list[BudgetLine]]]:
    """The own contribution a budget sheet declares from benefits and from PSU: the sum
    and its lines, per source ("benefits", "psu"; no lines: zero). The budget's own
    reconciliation, the PSU register's and the claim tables all read it here."""
    found: dict[str, list[BudgetLine]] = {"benefits": [], "psu": []}
    for line in sheet.records:
        source = own_source_kind(line.own_source)
        if source and line.own is not None:
            found[source].append(line)
    return {source: (sum((line.own or ZERO for line in lines), ZERO), lines)
            for source, lines in found.items()}


def own_cells(ctx: SheetContext, lines: list[BudgetLine]) -> str:
    """Where the declared own contribution stands: "E5, E9"."""
    return ", ".join(ctx.table.cell(line.row, "own") for line in lines)


def check_reconciliation(project: ProjectData) -> Iterator[Issue]:
    """B011, B012: own contribution declared as benefits (or PSU) = what was paid."""
    if not project.of_kind(PAYMENTS):
        return
    settings = project.settings
    paid = {"benefits": ZERO, "psu": ZERO}
    for _ctx, payment, _key in payments_in_order(project):
        if payment.amount is None or payment.date is None:
            continue
        if (settings.start and payment.date < settings.start) or (
                settings.end and payment.date > settings.end):
            continue
        paid["psu" if payment.benefit == PSU_BENEFIT else "benefits"] += payment.amount
    period = ""
    if settings.start or settings.end:
        period = f" ({_date(settings.start)} – {_date(settings.end)})"
    for sheet in project.of_kind(BUDGET):
        own = own_contribution(sheet)
        for source, code in (("benefits", "B011"), ("psu", "B012")):
            declared, found = own[source]
            if found and declared != paid[source]:
                yield sheet.ctx.issue(code, found[0], "own", value=str(declared),
                                      declared=Money(declared),
                                      paid=Money(paid[source]), period=period,
                                      difference=Money(declared - paid[source]),
                                      cells=own_cells(sheet.ctx, found))


def _date(day: Any) -> str:
    return f"{day:%d.%m.%Y}" if day else "…"


# --- computed values ---------------------------------------------------------------


def summarise(project: ProjectData) -> list[SummaryTable]:
    """Per line: own share, execution and what is left; project totals and shares."""
    tables = []
    for sheet in project.of_kind(BUDGET):
        lines: list[BudgetLine] = sheet.records
        rows: list[list[Any]] = []
        for line in lines:
            own_share, executed, remaining = _line_values(line)
            rows.append([line.category or line.task, line.total, line.efs, line.own,
                         own_share, line.plan, line.spent, executed, remaining])
        total, own, efs = _sum(lines, "total"), _sum(lines, "own"), _sum(lines, "efs")
        plan_sum, spent_sum = plan_and_spent(lines)
        rows.append(["Razem", total, efs, own, percent(own, total), plan_sum, spent_sum,
                     percent(spent_sum, plan_sum), plan_sum - spent_sum])
        tables.append(SummaryTable(
            f"Budżet ({sheet.ctx.table.sheet})", f"Budget ({sheet.ctx.table.sheet})",
            ["Pozycja", "Ogółem", "EFS", "Wkład własny", "% wkładu", "Plan", "Wykonanie",
             "% wykonania", "Pozostało"],
            ["Line", "Total", "EFS", "Own", "Own %", "Planned", "Executed", "Executed %",
             "Remaining"], rows))
    return tables


def _line_values(line: BudgetLine) -> tuple[Any, Any, Any]:
    plan, spent = line.plan, line.spent
    own_share = percent(line.own or ZERO, line.total) if line.total else None
    executed = percent(spent, plan) if plan and spent is not None else None
    remaining = plan - spent if plan is not None and spent is not None else None
    return own_share, executed, remaining


def _budget_column(position: int) -> Any:
    """Per line, and on the "Razem" row for the whole budget (sums of the lines)."""
    def values(project: ProjectData, sheet: SheetData) -> dict[int, Any]:
        lines: list[BudgetLine] = sheet.records
        found = {line.row: _line_values(line)[position] for line in lines}
        totals = sheet.ctx.totals
        if totals is not None:
            planned, executed = plan_and_spent(lines)
            whole = BudgetLine(row=totals.row, total=_sum(lines, "total"),
                               own=_sum(lines, "own"), planned=planned, executed=executed)
            found[totals.row] = _line_values(whole)[position]
        return {row: value for row, value in found.items() if value is not None}

    return values


BUDGET = Kind(
    names=("budzet", "budżet", "budget"),
    plan_and_spent=plan_and_spent,
    words=("budzet", "wklad", "koszt", "wydatk"),
    name="budget",
    label="budżet projektu",
    label_en="project budget",
    model=BudgetLine,
    required=(("total",), ("planned",)),
    checks=(check_line_arithmetic, check_execution, check_totals_row, check_text_amounts,
            check_uncached_formulas,
            check_shares),
    project_checks=(check_reconciliation,),
    summaries=(summarise,),
    patterns={"executed_by_period": (
        header_regex(r"(wykonanie|wydatki poniesione|wydatkowano) .+"), parse_money)},
    formulas=True,
    subtotals=True,
    totals_row=True,
    computed=(
        Computed("Udział wkładu własnego", _budget_column(0),
                 number_format=PERCENT_FORMAT, width=12,
                 aliases=("% wkładu własnego", "udział wkładu własnego %")),
        Computed("% wykonania", _budget_column(1), number_format=PERCENT_FORMAT, width=12,
                 aliases=("procent wykonania", "wykonanie %")),
        Computed("Pozostało do wydania", _budget_column(2), number_format=MONEY_FORMAT, width=16,
                 aliases=("pozostało", "pozostaje do wydania")),
    ),
)
