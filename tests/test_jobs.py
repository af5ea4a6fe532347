"""The worker's side of a pool: its Channel must speak what the parent's
multiprocessing Connection reads and writes, both ways, small and large."""

from __future__ import annotations

import socket
import threading
from datetime import date
from decimal import Decimal
from multiprocessing.connection import Connection
from pathlib import Path

import pytest

from workbook_tools.issues import Issue
from workbook_tools.jobs import Channel

MESSAGES = [
    None,
    ("file", 3, (Path("projekt/lista.xlsx"), False)),
    ("done", 1, [Issue("P001", "lista.xlsx", sheet="Lista", cell="D5", row=5)]),
    {"kwota": Decimal("1234.50"), "data": date(2009, 1, 31)},
    "x" * 16_384,  # multiprocessing writes header and body apart from this size up
    b"\x00" * (3 << 20),  # more than one read of the socket
]


@pytest.mark.parametrize("message", MESSAGES, ids=range(len(MESSAGES)))
def test_a_channel_and_a_connection_read_each_other(message):
    ours, theirs = socket.socketpair()
    parent = Connection(ours.detach())
    worker = Channel(theirs.detach())
    try:
        # a large message fills the socket's buffer: the reader must run meanwhile
        sender = threading.Thread(target=worker.send, args=(message,))
        sender.start()
        assert parent.recv() == message
        sender.join()
        sender = threading.Thread(target=parent.send, args=(message,))
        sender.start()
        assert worker.recv() == message
        sender.join()
    finally:
        parent.close()
        worker.close()


def test_a_channel_whose_parent_is_gone_ends_its_worker():
    """The parent closed its end (or died): recv raises EOFError, on which jobs.work
    returns, as on a Connection."""
    ours, theirs = socket.socketpair()
    worker = Channel(theirs.detach())
    ours.close()
    with pytest.raises(EOFError):
        worker.recv()
    worker.close()


def test_a_channel_says_when_a_message_waits_and_closes_once():
    """What the pool asks of the parent's end: poll without waiting, a descriptor to
    wait on, close (twice is harmless: a worker stopped, then the pool closed)."""
    ours, theirs = socket.socketpair()
    parent = Channel(ours.detach())
    worker = Channel(theirs.detach())
    assert not parent.poll()
    worker.send(("done", 0, "wynik"))
    assert parent.poll() and parent.fileno() >= 0
    assert parent.recv() == ("done", 0, "wynik") and not parent.poll()
    worker.close()
    worker.close()
    assert parent.poll()  # the end is there to read
    with pytest.raises(EOFError):
        parent.recv()
    parent.close()
