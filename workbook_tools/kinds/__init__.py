"""The workbook kinds the engine knows, in the order they are tried on a sheet."""

from __future__ import annotations

from ..schema import Kind
from .attendance import ATTENDANCE, ATTENDANCE_GRID
from .budget import BUDGET
from .contracts import CONTRACTS
from .participants import PARTICIPANTS
from .payments import PAYMENTS
from .psu import PSU, PSU_GRID

#: On a tie in matched headers, the earlier kind wins.
KINDS: dict[str, Kind] = {kind.name: kind
                          for kind in (PARTICIPANTS, CONTRACTS, PAYMENTS, BUDGET, ATTENDANCE,
                                       ATTENDANCE_GRID, PSU, PSU_GRID)}


def prepare() -> None:
    """Build every kind's tables now (:meth:`Kind.prepare`): a worker does it while
    calamine still parses the file its first header will be looked for in."""
    for kind in KINDS.values():
        kind.prepare()

__all__ = ["ATTENDANCE", "ATTENDANCE_GRID", "BUDGET", "CONTRACTS", "KINDS", "PARTICIPANTS",
           "PAYMENTS", "PSU", "PSU_GRID", "Kind", "prepare"]
