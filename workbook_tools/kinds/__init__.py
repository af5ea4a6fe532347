"""The workbook kinds the engine knows, in the order they are tried on a sheet."""

from __future__ import annotations

from ..schema import Kind
from .participants import PARTICIPANTS

KINDS: dict[str, Kind] = {kind.name: kind for kind in (PARTICIPANTS,)}

__all__ = ["KINDS", "Kind"]
