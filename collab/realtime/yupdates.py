"""Small pure helpers over Yjs binary updates and y-websocket messages (no I/O, no Flask)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pycrdt import Decoder, Doc, get_update, merge_updates

EMPTY_UPDATE = b"\x00\x00"


class Malformed(ValueError):
    """Bytes that are not what they claim to be."""


def is_fatal(exc: BaseException) -> bool:
    """Exceptions we must let through even where we catch BaseException (pyo3 panics are BaseException)."""
    return isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit) or type(exc).__name__ == "GreenletExit"


def read_var_uint(decoder: Decoder) -> int:
    if decoder.length <= 0:
        raise Malformed("unexpected end of message")
    value, shift = 0, 0
    while True:
        if decoder.length <= 0 or shift > 63:
            raise Malformed("bad variable-length integer")
        byte = decoder.stream[decoder.i0]
        decoder.i0 += 1
        decoder.length -= 1
        value |= (byte & 127) << shift
        shift += 7
        if byte < 128:
            return value


def read_var_bytes(decoder: Decoder) -> bytes:
    length = read_var_uint(decoder)
    if length > decoder.length:
        raise Malformed("length beyond the end of the message")
    data = decoder.stream[decoder.i0:decoder.i0 + length]
    decoder.i0 += length
    decoder.length -= length
    return bytes(data)


def parse_sync_message(message: bytes) -> tuple[int, bytes]:
    """(subtype, payload) of `varUint(0) varUint(subtype) varUint8Array(payload)`, exactly, nothing after."""
    decoder = Decoder(message)
    if read_var_uint(decoder) != 0:
        raise Malformed("not a sync message")
    subtype = read_var_uint(decoder)
    if subtype not in (0, 1, 2):
        raise Malformed("unknown sync message type")
    payload = read_var_bytes(decoder)
    if decoder.length:
        raise Malformed("trailing bytes after the sync message")
    return subtype, payload


def parse_awareness_message(message: bytes) -> list[tuple[int, int, str]]:
    """[(client_id, clock, state JSON)] from `varUint(1) varUint8Array(awarenessUpdate)`."""
    outer = Decoder(message)
    if read_var_uint(outer) != 1:
        raise Malformed("not an awareness message")
    update = read_var_bytes(outer)
    if outer.length:
        raise Malformed("trailing bytes after the awareness message")
    decoder = Decoder(update)
    entries = []
    count = read_var_uint(decoder)
    if count * 3 > decoder.length:
        raise Malformed("more awareness entries than bytes")
    for _ in range(count):
        client_id = read_var_uint(decoder)
        clock = read_var_uint(decoder)
        try:
            state = read_var_bytes(decoder).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Malformed("awareness state is not UTF-8") from exc
        entries.append((client_id, clock, state))
    if decoder.length:
        raise Malformed("trailing bytes in the awareness update")
    return entries


def awareness_message(entries: Iterable[tuple[int, int, str]]) -> bytes:
    """The awareness message (y-protocols' encoding) for [(client_id, clock, state JSON)]."""
    entries = list(entries)
    parts = [var_uint(len(entries))]
    for client_id, clock, state in entries:
        raw = state.encode("utf-8")
        parts += [var_uint(client_id), var_uint(clock), var_uint(len(raw)), raw]
    body = b"".join(parts)
    return var_uint(1) + var_uint(len(body)) + body


def awareness_removal_message(clients: dict[int, int]) -> bytes:
    """An awareness message saying these clients (id -> last clock) have gone (y-protocols' removal)."""
    return awareness_message((client_id, clock + 1, "null") for client_id, clock in clients.items())


def sync_message(subtype: int, payload: bytes) -> bytes:
    """`varUint(0) varUint(subtype) varUint8Array(payload)`: 0 step 1, 1 step 2, 2 update."""
    return bytes([0, subtype]) + var_uint(len(payload)) + payload


def sync_step1(state_vector: bytes) -> bytes:
    return sync_message(0, state_vector)


def sync_step2(update: bytes) -> bytes:
    return sync_message(1, update)


def sync_update(update: bytes) -> bytes:
    return sync_message(2, update)


def var_uint(num: int) -> bytes:
    out = bytearray()
    while num > 127:
        out.append(128 | (num & 127))
        num >>= 7
    out.append(num)
    return bytes(out)


def state_vector(doc: Doc) -> dict[int, int]:
    decoder = Decoder(doc.get_state())
    return {read_var_uint(decoder): read_var_uint(decoder) for _ in range(read_var_uint(decoder))}


def missing_dependencies(doc: Doc, update: bytes) -> bool:
    """True when `update`, already applied to `doc`, left anything pending there (structs or deletions
    of items the document does not have). Yrs keeps such parts aside and leaves them out of every
    encoding, so storing the update would make a log whose snapshot silently drops it."""
    diff = get_update(update, doc.get_state())
    decoder = Decoder(diff)
    if read_var_uint(decoder) != 0:
        return True
    deleting = read_var_uint(decoder)
    if not deleting:
        return False  # typing: no deletions, so no need to decode the document's state vector (one per client)
    known = state_vector(doc)
    for _ in range(deleting):
        client = read_var_uint(decoder)
        for _ in range(read_var_uint(decoder)):
            clock, length = read_var_uint(decoder), read_var_uint(decoder)
            if clock + length > known.get(client, 0):
                return True
    return False


MERGE_CHUNK = 64


def apply_all(doc: Doc, updates: Iterable[bytes]) -> None:
    """Apply a log of updates in order. Applying one small update at a time to a growing Doc costs time in
    proportion to the document (100,000 edits: ~26 s), and merge_updates over a whole log is quadratic; merging
    chunks of MERGE_CHUNK first and applying each merged chunk takes ~0.3 s for the same log."""
    chunk: list[bytes] = []
    for update in updates:
        chunk.append(update)
        if len(chunk) == MERGE_CHUNK:
            _apply_chunk(doc, chunk)
            chunk = []
    if chunk:
        _apply_chunk(doc, chunk)


def _apply_chunk(doc: Doc, chunk: list[bytes]) -> None:
    if len(chunk) == 1:
        doc.apply_update(chunk[0])
        return
    try:
        merged = merge_updates(*chunk)
    except BaseException as exc:
        if is_fatal(exc):
            raise
        for update in chunk:  # one bad row must not hide the others
            doc.apply_update(update)
        return
    doc.apply_update(merged)


def clone(doc: Doc) -> Doc:
    copy: Doc = Doc()
    copy.apply_update(doc.get_update())
    return copy


def readable_children(node: Any) -> list[tuple[int, Any]]:
    """(index, child) of an XmlFragment's or XmlElement's children that yrs can read, in order.

    A child that is not a type (text or an Any value placed straight in a fragment by a broken or hostile client)
    makes yrs panic when it is read, and pycrdt's iterator then stops early, silently dropping every later child:
    an export would show half a plan. Reading by index skips only the unreadable child."""
    children = node.children
    readable = []
    for index in range(len(children)):
        try:
            readable.append((index, children[index]))
        except BaseException as exc:
            if is_fatal(exc):
                raise
    return readable
