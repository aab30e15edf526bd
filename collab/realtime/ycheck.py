"""A strict reader of Yjs v1 updates: refuses, before yrs sees them, the updates no honest Yjs client sends.

Yrs (under pycrdt) trusts its input: a clock past 2^32, a zero-length item or a reference to an item that does
not exist can make it panic later (for example in every `get_update()` after it) or loop, and a loop in the
hub stops every room. Honest clients (Yjs, y-prosemirror, pycrdt) only ever send updates that extend what the
server has: each client's structs start at or below the clock the server knows, every item has length 1 or
more, every origin, parent and deletion points at an item that exists, and nothing follows the delete set.
This module checks exactly that, in time linear in the update's size (every loop consumes input bytes, every
count is checked against the bytes left, and nesting is bounded), so it is safe on any bytes.

What it does not know is the type of each parent (a map entry inside a text, say): yrs handles those; the fuzz
campaign (bench/hostile.py) is what tells us nothing else gets through.
"""

from __future__ import annotations

import json
from bisect import bisect_right, insort
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

# Yrs stores clocks as u32; Yjs clients count one per inserted character. A document reaching 2^31 characters
# from one client is not a lesson plan.
MAX_CLOCK = 1 << 31
# Yjs client ids are random uint32; pycrdt's too. JavaScript reads var-uints exactly up to 2^53.
MAX_CLIENT = (1 << 53) - 1
MAX_NAME_BYTES = 1024  # root type names, map keys, XML tag names, format keys
MAX_ANY_DEPTH = 32
_TYPE_REFS = frozenset(range(7))  # Array, Map, Text, XmlElement, XmlFragment, XmlHook, XmlText
# Contents that hold a value (JSON, binary, embed, any): what an attribute is set to. Typing sends text, formats and
# nested types instead (see _struct: only these are followed to their neighbour).
_VALUE_REFS = frozenset((2, 3, 5, 8))


class Refused(ValueError):
    """The update is not one an honest client sends; `out_of_sync` when it only lacks what it builds on."""

    def __init__(self, message: str, *, out_of_sync: bool = False) -> None:
        super().__init__(message)
        self.out_of_sync = out_of_sync


class TooLong(Refused):
    """A value in the update (a note, a piece of evidence, an attribute) is longer than the live limit: what an
    honest client refuses to send too, but not malformed (no strike), and only for new updates, never the log."""


class _Reader:
    __slots__ = ("data", "pos", "end", "max_value_chars")

    def __init__(self, data: bytes, max_value_chars: int | None = None) -> None:
        self.data = data
        self.pos = 0
        self.end = len(data)
        self.max_value_chars = max_value_chars

    def left(self) -> int:
        return self.end - self.pos

    def byte(self) -> int:
        if self.pos >= self.end:
            raise Refused("unexpected end of update")
        value = self.data[self.pos]
        self.pos += 1
        return value

    def uint(self) -> int:
        data, pos, end = self.data, self.pos, self.end
        value = shift = 0
        while True:
            if pos >= end:
                raise Refused("unexpected end of update")
            byte = data[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                self.pos = pos
                if value > MAX_CLIENT:
                    raise Refused("number out of range")
                return value
            shift += 7
            if shift > 56:
                raise Refused("number out of range")

    def count(self, min_bytes_each: int = 1) -> int:
        """A count of things to read: each takes at least `min_bytes_each` bytes, so it cannot exceed what is left."""
        value = self.uint()
        if value * min_bytes_each > self.left():
            raise Refused("count beyond the end of the update")
        return value

    def skip(self, length: int) -> None:
        if length > self.left():
            raise Refused("length beyond the end of the update")
        self.pos += length

    def var_bytes(self) -> bytes:
        length = self.uint()
        if length > self.left():
            raise Refused("length beyond the end of the update")
        start = self.pos
        self.pos += length
        return self.data[start:self.pos]

    def value(self) -> str:
        """A string value of a map, array or attribute, within the live limit (in characters) when there is one."""
        text = self.string()
        if self.max_value_chars is not None and len(text) > self.max_value_chars:
            raise TooLong(f"a value of {len(text):,} characters")
        return text

    def string(self, limit: int | None = None) -> str:
        raw = self.var_bytes()
        if limit is not None and len(raw) > limit:
            raise Refused("name too long")
        try:
            return bytes(raw).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Refused("text is not UTF-8") from exc


class NotText:
    """Stands for a value that is not a string (a number, a list, a nested type...): the attribute validators get it
    in its place, so that one expecting text refuses it instead of never hearing of it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "a value that is not text"


NOT_TEXT = NotText()


class Entry(NamedTuple):
    """A map entry (an XML element's attribute, a map's key): where it is, when the update says so (an entry that
    replaces an earlier value names that value as its origin instead), how many clocks it spans, and the values it
    holds, strings as they are and anything else as NOT_TEXT (what a node's attributes are checked on:
    collab.maths.schema)."""

    parent: tuple[int, int] | None  # the element's item; None for a root map or when only `origin` is given
    key: str | None
    origin: tuple[int, int] | None
    length: int
    strings: tuple[object, ...]


@dataclass
class Summary:
    """What a checked update holds: per client, the clock range its structs cover; the ids of the types it creates;
    the ranges it holds as deleted or deletes (client, start, end); whether it deletes; the tag of each XML element
    it creates and each map entry it writes (attributes)."""

    ranges: dict[int, tuple[int, int]] = field(default_factory=dict)  # client -> (start, end)
    types: set[tuple[int, int]] = field(default_factory=set)
    gone: list[tuple[int, int, int]] = field(default_factory=list)
    deletes: bool = False
    tags: dict[tuple[int, int], str] = field(default_factory=dict)
    entries: dict[tuple[int, int], Entry] = field(default_factory=dict)


class ParentIndex:
    """Which items of a document may be a parent: its types (a paragraph, a map, a table cell) and anything
    deleted. An item placed under an item that is neither (a character, an attribute value) is what yrs refuses
    later, when the log is merged or loaded ("block parent must be deleted or shared ref type"), so the strict
    check refuses it first. Built on first need from the whole document (`source()`: ~50 ms for 1 MB, and only
    an update that names an older item as its parent needs it: typing names its neighbour instead), then kept
    up to date with every update taken (`add`)."""

    def __init__(self, source: Callable[[], bytes], *, source_lags: bool = False) -> None:
        """`source_lags`: `source()` does not yet hold the updates added (a log being read, applied at the end),
        so they are kept until the build; otherwise it does, and nothing is kept until then."""
        self._source = source
        self._types: set[tuple[int, int]] | None = None
        self._gone: dict[int, list[tuple[int, int]]] = {}
        self._waiting: list[Summary] | None = [] if source_lags else None
        self._tags: dict[tuple[int, int], str] = {}
        self._entries: dict[tuple[int, int], Entry] = {}
        self._entry_starts: dict[int, list[int]] = {}
        self._places: dict[tuple[int, int], Place | None] = {}  # entry (its first clock) -> where it is

    @property
    def built(self) -> bool:
        """Whether the document has been read (from then on `add` keeps the index up to date)."""
        return self._types is not None

    def add(self, summary: Summary) -> None:
        if self._types is None:
            if self._waiting is not None:
                self._waiting.append(summary)
            return  # otherwise the build reads the whole document, this update included
        self._types |= summary.types
        for client, start, end in summary.gone:
            _add_range(self._gone.setdefault(client, []), start, end)
        self._tags.update(summary.tags)
        for item, entry in summary.entries.items():
            if item not in self._entries:
                insort(self._entry_starts.setdefault(item[0], []), item[1])
            self._entries[item] = entry._replace(strings=())  # where it is, not what it held

    def _build(self) -> None:
        if self._types is None:
            whole = check_update(self._source(), {})
            self._types = set()
            for summary in [whole, *(self._waiting or ())]:
                self.add(summary)
            self._waiting = None

    def tag(self, item: tuple[int, int]) -> str | None:
        """The tag of the XML element that is item `item` of the document, if it is one."""
        self._build()
        return self._tags.get(item)

    def entry(self, item: tuple[int, int]) -> Entry | None:
        """The map entry of the document that covers `item` (its first clock or a later one), if any."""
        self._build()
        return _covering(self._entries, self._entry_starts.get(item[0], []), item)

    def place(self, item: tuple[int, int]) -> Place | None:
        """(element, key) of the map entry of the document that covers `item`, following origins back to the entry
        that names them; remembered, so that each entry is followed once however often its value changes."""
        self._build()
        return _place(item, lambda i: _covering_item(self._entries, self._entry_starts.get(i[0], []), i),
                      self._places, None)

    def allows(self, client: int, clock: int) -> bool:
        self._build()
        assert self._types is not None
        if (client, clock) in self._types:
            return True
        ranges = self._gone.get(client, [])
        at = bisect_right(ranges, (clock, MAX_CLOCK + 1)) - 1
        return at >= 0 and ranges[at][0] <= clock < ranges[at][1]


def _add_range(ranges: list[tuple[int, int]], start: int, end: int) -> None:
    """Add [start, end) to sorted, disjoint `ranges`, merging what it overlaps or touches."""
    i = bisect_right(ranges, (start, MAX_CLOCK + 1))
    if i > 0 and ranges[i - 1][1] >= start:
        i -= 1
        start, end = ranges[i][0], max(end, ranges[i][1])
    j = i
    while j < len(ranges) and ranges[j][0] <= end:
        end = max(end, ranges[j][1])
        j += 1
    ranges[i:j] = [(start, end)]


def check_update(update: bytes, known: dict[int, int], parents: ParentIndex | None = None, *,
                 max_value_chars: int | None = None) -> Summary:
    """Refuse (raise Refused) unless `update` is a well-formed Yjs v1 update that builds only on the document whose
    state vector is `known` (client -> next clock) and on itself, and (with `parents`) places every item it names
    a parent for under a type of the document or of the update, or under something deleted. Returns what it holds.
    `max_value_chars`: raise TooLong for a value (JSON, embed, attribute, map or array entry) longer than that.
    """
    reader = _Reader(update, max_value_chars)
    summary = Summary()
    references: list[tuple[int, int]] = []
    parent_refs: list[tuple[int, int]] = []
    for _ in range(reader.count(3)):
        structs = reader.count(2)
        client = reader.uint()
        clock = reader.uint()
        if client in summary.ranges:
            raise Refused("a client appears twice")
        if clock >= MAX_CLOCK:
            raise Refused("clock out of range")  # not merely ahead of us: no document gets there
        if clock > known.get(client, 0):
            raise Refused("the update builds on changes the server does not have", out_of_sync=True)
        start = clock
        for _ in range(structs):
            clock += _struct(reader, client, clock, summary, references, parent_refs)
            if clock > MAX_CLOCK:
                raise Refused("clock out of range")
        if clock == start:
            raise Refused("an empty struct group")
        summary.ranges[client] = (start, clock)
    for _ in range(reader.count(2)):
        client = reader.uint()
        ranges = reader.count(2)
        if ranges == 0:
            raise Refused("an empty delete set entry")
        for _ in range(ranges):
            clock, length = reader.uint(), reader.uint()
            if length == 0 or clock + length > MAX_CLOCK:
                raise Refused("bad deletion range")
            references.append((client, clock + length - 1))
            summary.gone.append((client, clock, clock + length))
        summary.deletes = True
    if reader.left():
        raise Refused("trailing bytes after the update")
    for client, clock in references + parent_refs:
        end = max(known.get(client, 0), summary.ranges.get(client, (0, 0))[1])
        if clock >= end:
            raise Refused("the update refers to changes the server does not have", out_of_sync=True)
    for client, clock in parent_refs:
        if (client, clock) in summary.types or _deleted_here(summary, client, clock):
            continue
        if parents is not None and not parents.allows(client, clock):
            raise Refused("an item placed under something that is not a type")
    return summary


def _deleted_here(summary: Summary, client: int, clock: int) -> bool:
    return any(c == client and start <= clock < end for c, start, end in summary.gone)


def _struct(reader: _Reader, client: int, clock: int, summary: Summary, references: list[tuple[int, int]],
            parent_refs: list[tuple[int, int]]) -> int:
    """Read one struct at (client, clock); returns its length (its clock span)."""
    info = reader.byte()
    ref = info & 0x1F
    if ref == 0:  # GC: a deleted, garbage-collected range
        if info != 0:
            raise Refused("bad struct")
        length = _length(reader.uint())
        summary.gone.append((client, clock, clock + length))
        return length
    if ref == 10:
        raise Refused("skip structs are not accepted")  # only merged updates have gaps
    origin = right = parent = key = None
    if info & 0x80:
        origin = _id(reader)
        references.append(origin)
    if info & 0x40:
        right = _id(reader)
        references.append(right)
    # An item takes its left (else right) neighbour's parent and key, and Y.mergeUpdates drops the key flag of an
    # entry that names an origin (Yjs 13.6: the batches of a browser's edits are merged): a value placed next to
    # something is noted as a possible entry, placed through that neighbour (attribute_writes) like any entry.
    # Typed text is not (typing never makes the document's index be built); as an attribute it would hold one
    # character, which the drawings and formulas show escaped like any label.
    neighbour = origin if origin is not None else right
    unflagged = neighbour is not None and not info & 0x20 and ref in _VALUE_REFS
    if not info & 0xC0:
        if reader.uint() == 1:
            reader.string(MAX_NAME_BYTES)  # a root type's name
        else:
            parent = _id(reader)  # the parent type's item
            parent_refs.append(parent)
        if info & 0x20:
            key = reader.string(MAX_NAME_BYTES)  # the key in a map
    strings: list[object] | None = [] if info & 0x20 or ref == 7 or unflagged else None
    length = _content(reader, ref, strings)
    if ref == 7:
        summary.types.add((client, clock))
        if strings and isinstance(strings[0], str):
            summary.tags[(client, clock)] = strings[0]
    elif ref == 1:
        summary.gone.append((client, clock, clock + length))
    if info & 0x20:
        values = tuple(strings or ()) if ref != 7 else (NOT_TEXT,)  # a nested type as an attribute: not text
        summary.entries[(client, clock)] = Entry(parent, key, origin, length, values)
    elif unflagged:
        summary.entries[(client, clock)] = Entry(None, None, neighbour, length, tuple(strings or ()))
    return length


def _id(reader: _Reader) -> tuple[int, int]:
    client = reader.uint()
    clock = reader.uint()
    if clock >= MAX_CLOCK:
        raise Refused("clock out of range")
    return client, clock


def _length(length: int) -> int:
    if length == 0:
        raise Refused("an empty item")
    return length


def _content(reader: _Reader, ref: int, strings: list[object] | None = None) -> int:
    """Read one struct's content; returns its length. With `strings` (a map entry's), the values it holds are added
    to it: strings, and NOT_TEXT for anything else (for a nested type, its XML tag)."""
    if ref == 1:  # deleted
        return _length(reader.uint())
    if ref == 2:  # JSON values, as strings
        count = _length(reader.count(1))
        for _ in range(count):
            _json_string(reader.value(), strings)
        return count
    if ref == 3:  # binary
        reader.var_bytes()
        if strings is not None:
            strings.append(NOT_TEXT)
        return 1
    if ref == 4:  # string: its length in UTF-16 units, as Yjs counts
        text = reader.string()
        if strings is not None:
            strings.append(text)  # as a map's value, Yjs reads its last character: check it all
        return _length(len(text.encode("utf-16-le")) // 2)
    if ref == 5:  # embed (JSON)
        _json_string(reader.value(), strings)
        return 1
    if ref == 6:  # format: key, JSON value
        reader.string(MAX_NAME_BYTES)
        reader.value()
        if strings is not None:
            strings.append(NOT_TEXT)
        return 1
    if ref == 7:  # a nested type
        type_ref = reader.uint()
        if type_ref not in _TYPE_REFS:
            raise Refused("unknown type")
        if type_ref in (3, 5):
            name = reader.string(MAX_NAME_BYTES)
            if type_ref == 3 and strings is not None:
                strings.append(name)
        return 1
    if ref == 8:  # any values
        count = _length(reader.count(1))
        for _ in range(count):
            value = _any(reader, 0)
            if strings is not None:
                strings.append(NOT_TEXT if value is None else value)
        return count
    if ref == 9:
        raise Refused("sub-documents are not accepted")
    raise Refused("unknown content")


def _json_string(text: str, strings: list[object] | None) -> None:
    """Note a JSON value: a string as it is (a string literal cannot nest: no deep recursion here), else NOT_TEXT."""
    if strings is None:
        return
    value: object = NOT_TEXT
    if text.startswith('"'):
        try:
            value = json.loads(text)
        except ValueError:
            value = NOT_TEXT
    strings.append(value if isinstance(value, str) else NOT_TEXT)


def _any(reader: _Reader, depth: int) -> str | None:
    """Read one value; returns it if it is a string."""
    if depth > MAX_ANY_DEPTH:
        raise Refused("values nested too deep")
    kind = reader.byte()
    if kind in (127, 126, 121, 120):  # undefined, null, false, true
        return None
    if kind == 119:
        return reader.value()
    if kind == 125:  # signed var-int
        _signed(reader)
    elif kind == 124:
        reader.skip(4)
    elif kind in (123, 122):
        reader.skip(8)
    elif kind == 118:  # object
        for _ in range(reader.count(2)):
            reader.value()
            _any(reader, depth + 1)
    elif kind == 117:  # array
        for _ in range(reader.count(1)):
            _any(reader, depth + 1)
    elif kind == 116:
        reader.var_bytes()
    else:
        raise Refused("unknown value type")
    return None


def _signed(reader: _Reader) -> None:
    byte = reader.byte()
    shift = 6
    while byte & 0x80:
        byte = reader.byte()
        shift += 7
        if shift > 60:
            raise Refused("number out of range")


def decode_state_vector(state: bytes) -> dict[int, int]:
    """{client: next clock} from an encoded state vector (Doc.get_state())."""
    reader = _Reader(state)
    known = {}
    for _ in range(reader.count(2)):
        client = reader.uint()
        known[client] = reader.uint()
    if reader.left():
        raise Refused("trailing bytes after the state vector")
    return known


def _covering(entries: dict[tuple[int, int], Entry], starts: list[int], item: tuple[int, int]) -> Entry | None:
    found = _covering_item(entries, starts, item)
    return found[1] if found is not None else None


def _covering_item(entries: dict[tuple[int, int], Entry], starts: list[int],
                   item: tuple[int, int]) -> tuple[tuple[int, int], Entry] | None:
    """(first clock, entry) of the entry covering `item`."""
    found = entries.get(item)
    if found is not None:
        return item, found
    at = bisect_right(starts, item[1]) - 1
    if at < 0:
        return None
    start = (item[0], starts[at])
    entry = entries.get(start)
    return (start, entry) if entry is not None and item[1] < start[1] + entry.length else None


Place = tuple[tuple[int, int], str]  # (the element's item, the key)
MAX_ORIGIN_STEPS = 10_000


def _place(item: tuple[int, int], lookup: Callable[[tuple[int, int]], tuple[tuple[int, int], Entry] | None],
           known: dict[tuple[int, int], Place | None],
           elsewhere: Callable[[tuple[int, int]], Place | None] | None) -> Place | None:
    """Where the entry covering `item` is: follow origins (each entry once: `known` remembers every entry on the
    way; a loop of origins, which a hostile update can hold, places nothing) until an entry names its element and
    key. An origin `lookup` does not know is asked of `elsewhere` (the document), if given."""
    chain: list[tuple[int, int]] = []
    on_chain: set[tuple[int, int]] = set()
    current = item
    result: Place | None = None
    while True:
        found = lookup(current)
        if found is None:
            result = elsewhere(current) if elsewhere is not None else None
            break
        start, entry = found
        if start in known:
            result = known[start]
            break
        if start in on_chain or len(chain) >= MAX_ORIGIN_STEPS:
            break
        chain.append(start)
        on_chain.add(start)
        if entry.origin is None:
            result = (entry.parent, entry.key) if entry.parent is not None and entry.key is not None else None
            break
        current = entry.origin
    for start in chain:
        known[start] = result
    return result


def attribute_writes(summary: Summary, parents: ParentIndex | None) -> list[tuple[str, str, object]]:
    """(tag, key, value) for each value (a string, or NOT_TEXT) an update writes as an attribute of an XML element,
    the element and the key found through the entries' origins (in the update, or with `parents`, in the document).
    An entry whose place cannot be found is left out: yrs cannot place it either."""
    if not any(entry.strings for entry in summary.entries.values()):
        return []
    starts: dict[int, list[int]] = {}
    for client, clock in sorted(summary.entries):
        starts.setdefault(client, []).append(clock)
    out: list[tuple[str, str, object]] = []
    known: dict[tuple[int, int], Place | None] = {}  # each entry of the update is followed once

    def lookup(item: tuple[int, int]) -> tuple[tuple[int, int], Entry] | None:
        return _covering_item(summary.entries, starts.get(item[0], []), item)

    elsewhere = parents.place if parents is not None else None
    for item, entry in summary.entries.items():
        if not entry.strings:
            continue
        place = _place(item, lookup, known, elsewhere)
        if place is None:
            continue
        parent, key = place
        tag = summary.tags.get(parent) or (parents.tag(parent) if parents is not None else None)
        if tag is not None:
            out.extend((tag, key, value) for value in entry.strings)
    return out
