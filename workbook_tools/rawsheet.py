"""What the reader gives for a sheet: its used area, the first rows held and the rest
streamed (:func:`workbook_tools.read.iter_sheets` makes them).

Apart from :mod:`workbook_tools.read` so that a worker that begins reading the moment
it is forked (:mod:`workbook_tools.spare`) need not import the dataclasses module
(8-11 ms, with inspect) before its read can start.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(eq=False, repr=False)
class RawSheet:
    """A sheet's used area, streamed.

    ``rows[i][j]`` is the cell at 0-based (first_row + i, first_col + j) for the first
    :data:`workbook_tools.read.HEAD_ROWS` rows; ``more`` yields the rows after them,
    once. Holding only the head keeps memory in proportion to one row, not to the
    sheet. (``MAX_CELLS`` is :data:`workbook_tools.read.MAX_CELLS`.)
    """

    name: str
    rows: list[list[Any]]
    first_row: int
    first_col: int
    visible: bool
    more: Iterator[list[Any]] = field(default_factory=lambda: iter(()))
    #: (last row, last column) of a sheet too large to read (see ``MAX_CELLS``)
    oversized: tuple[int, int] | None = None
