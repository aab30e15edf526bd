"""The benchmark's edits, encoded directly: byte for byte the Yjs update pycrdt makes for the same append.

A load client appends markers to the shared Text "bench" of its own Doc, always at the end and never deleting, so
each edit is one struct: an ASCII string whose left origin is the client's previous character (the first has
none and names the root type instead). pycrdt makes that update through a transaction whose commit joins the new
text to the client's previous run of it, at a cost in proportion to the whole run: ~120 us per edit once a
throughput client has sent 5,000, on the same two cores the servers under test run on. Encoding it directly costs
a few microseconds whatever the length. `check()` compares both encodings (bench/realtime.py runs it first).
"""

from __future__ import annotations

import random

from collab.realtime.yupdates import var_uint

INFO_STRING = 4  # content ref of a string (lib0/Yjs: ContentString)
HAS_ORIGIN = 0x80


def var_string(text: str) -> bytes:
    data = text.encode()
    return var_uint(len(data)) + data


class AppendingText:
    """One client's appends to one root Text; `append(text)` returns the Yjs update (v1) of that append."""

    def __init__(self, root: str, client_id: int | None = None) -> None:
        self.root = root
        self.client_id = client_id if client_id is not None else random.getrandbits(32)
        self.clock = 0  # the next character's clock: UTF-16 units appended so far (ASCII: one per character)

    def append(self, text: str) -> bytes:
        if not text.isascii():
            raise ValueError("only ASCII: a clock counts UTF-16 units")
        head = var_uint(1) + var_uint(1) + var_uint(self.client_id) + var_uint(self.clock)
        if self.clock == 0:
            struct = bytes([INFO_STRING]) + var_uint(1) + var_string(self.root)  # parent: the root type by name
        else:
            struct = bytes([INFO_STRING | HAS_ORIGIN]) + var_uint(self.client_id) + var_uint(self.clock - 1)
        self.clock += len(text)
        return head + struct + var_string(text) + var_uint(0)  # no deletions


def check() -> None:
    """Raise AssertionError unless the direct encoding equals pycrdt's for a run of appends."""
    from pycrdt import Doc, Text

    doc = Doc()
    text = doc.get("bench", type=Text)
    direct = AppendingText("bench", doc.client_id)
    for i in range(300):
        marker = f"[r1c2s{i}t{1000000 + i * 777}]"
        before = doc.get_state()
        text += marker
        assert direct.append(marker) == doc.get_update(before), f"edit {i} differs from pycrdt's"
