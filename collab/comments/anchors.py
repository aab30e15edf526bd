"""Resolving comment anchors (pairs of Yjs relative positions) against a plan's document (a development plan's,
a lesson or transition plan's: both keep their text in the XmlFragment "default").

The browser does the real anchoring: it makes the pair with Yjs (start: the first selected character,
assoc 0; end: the last selected character, assoc -1) and resolves it with y-prosemirror to highlight.
The server resolves the same bytes with pycrdt, to group comments by section and to tell which
comments are on deleted text.

pycrdt 0.14 decodes a relative position (`StickyIndex.decode`) and gives an index, but (a) not which
text it is in, (b) in mixed units (UTF-8 bytes for the text before the position's block, UTF-16 within
it: pycrdt issue #382), and (c) cannot make a position on an XmlText. So we only ever compare that
index before and after an experiment on a scratch copy of the document:
- which text: insert a character at the start of each text in turn; the position moves in its own text;
- where in it: a character inserted before the position moves it, one inserted after does not, so a
  binary search over insertion points finds the character it is attached to;
- deleted: a position on a deleted character resolves the same with either assoc; a live one does not.
Start >= end means every anchored character was deleted; a partly deleted range still covers what
survives (Yjs keeps a deleted character's position as "where it was").

A position that no insertion moves sits on a deleted character at the very start of its text (or in
a deleted paragraph); its characters are taken as gone on that side.

Fallback: a position whose character the server has not received yet (the comment raced the edit),
or one that is not a character position, is resolved by finding the quoted text instead.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from pycrdt import Doc, StickyIndex, XmlElement, XmlFragment, XmlText, get_state

from collab.realtime.yupdates import readable_children

FRAGMENT_NAME = "default"
MARKER = "#"  # only ever inserted into a scratch copy
MAX_ANCHOR_BYTES = 64
SECTION_JOIN = " › "
ASSOC_AFTER, ASSOC_BEFORE = 0x00, 0x41  # varInt 0 and -1, the last byte of an encoded position


@dataclass
class Anchor:
    status: str  # "ok" or "deleted"
    section: str = ""
    start: int = 0  # character offsets in the plan's plain text (texts joined, one gap per block)
    end: int = 0
    text: str = ""


@dataclass
class _Piece:
    path: tuple[int, ...]  # child indexes from the fragment down to this text
    section: str
    base: int
    text: str


def decode_position(value: str) -> bytes | None:
    """The bytes of a base64 relative position, or None unless it is a well-formed item position."""
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None
    if not data or len(data) > MAX_ANCHOR_BYTES or _parse_item(data) is None:
        return None
    return data


def _read_varuint(data: bytes, i: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        if i >= len(data) or shift > 63:
            raise ValueError("truncated")
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def _parse_item(data: bytes) -> tuple[int, int] | None:
    """(client, clock) of a Yjs relative position that names an item (tag 0); None for anything else."""
    try:
        tag, i = _read_varuint(data, 0)
        if tag != 0:
            return None
        client, i = _read_varuint(data, i)
        clock, i = _read_varuint(data, i)
    except ValueError:
        return None
    if i + 1 != len(data) or data[i] not in (ASSOC_AFTER, ASSOC_BEFORE):
        return None
    return client, clock


def _state_vector(state: bytes) -> dict[int, int]:
    sv = get_state(state)
    count, i = _read_varuint(sv, 0)
    result = {}
    for _ in range(count):
        client, i = _read_varuint(sv, i)
        clock, i = _read_varuint(sv, i)
        result[client] = clock
    return result


def _plain(node: XmlText) -> str:
    return "".join(chunk for chunk, _attrs in node.diff() if isinstance(chunk, str))


def _fragment(doc: Doc) -> XmlFragment:
    return doc.get(FRAGMENT_NAME, type=XmlFragment)


def _node(doc: Doc, path: tuple[int, ...]) -> XmlText:
    node = _fragment(doc)
    for index in path:
        node = node.children[index]
    return node


def _level(heading: XmlElement) -> int:
    """A heading's level, 1 to 6, as Tiptap stores it (a number) or as a string from an older writer; any other
    value (a hostile client's "inf", "1e400", "²") counts as 1, as the editor shows it."""
    try:
        level = float(heading.attributes.get("level") or 1)
    except (TypeError, ValueError):
        return 1
    return int(level) if 1 <= level <= 6 else 1  # NaN fails both comparisons


def _pieces(doc: Doc, trail: bool = False) -> list[_Piece]:
    """Every text in document order, with the section it is in: the nearest top-level heading above it, or with
    `trail` the headings above it by level, joined ("KS2 side (Year 6) › Small steps"): a transition plan has
    the same sections under each side."""
    pieces: list[_Piece] = []
    headings: dict[int, str] = {}  # level -> the latest heading of that level (deeper ones dropped by a new one)
    base = 0

    def section() -> str:
        if not trail:
            return headings.get(0, "")
        return SECTION_JOIN.join(headings[level] for level in sorted(headings) if headings[level])

    def walk(node, path: tuple[int, ...]) -> None:
        nonlocal base
        for index, child in readable_children(node):
            if isinstance(child, XmlText):
                text = _plain(child)
                pieces.append(_Piece(path + (index,), section(), base, text))
                base += len(text)
            elif isinstance(child, XmlElement):
                if not path and child.tag == "heading":
                    title = "".join(_plain(c) for c in child.children if isinstance(c, XmlText)).strip()
                    level = _level(child) if trail else 0
                    for deeper in [k for k in headings if k >= level]:
                        del headings[deeper]
                    headings[level] = title
                walk(child, path + (index,))
                base += 1  # a block boundary: keeps two paragraphs' texts from running together

    walk(_fragment(doc), ())
    return pieces


def sections(state: bytes, trail: bool = False) -> list[str]:
    """The sections a document's texts are in, in document order (for ordering the comment panel)."""
    found: dict[str, None] = {}
    for piece in _pieces(_scratch(state), trail):
        if piece.section:
            found.setdefault(piece.section)
    return list(found)


def _index(doc: Doc, position: bytes) -> int:
    with doc.transaction() as txn:
        return StickyIndex.decode(position).get_index(txn)


def _scratch(state: bytes) -> Doc:
    doc: Doc = Doc()
    doc.apply_update(state)
    return doc


def _moves(state: bytes, piece: _Piece, at: int, position: bytes) -> bool:
    """Does inserting a character before character `at` of the piece move the position?"""
    doc = _scratch(state)
    before = _index(doc, position)
    _node(doc, piece.path).insert(len(piece.text[:at].encode()), MARKER)  # pycrdt 0.14 inserts at UTF-8 offsets
    return _index(doc, position) != before


def _attached_to(state: bytes, piece: _Piece, position: bytes) -> int:
    """The last insertion point that moves the position (-1 if none): its character, for a live one."""
    lo, hi = -1, len(piece.text)  # invariant: moves(lo) (or lo == -1), not moves(> hi)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _moves(state, piece, mid, position):
            lo = mid
        else:
            hi = mid - 1
    return lo


def _is_deleted(doc: Doc, position: bytes) -> bool:
    flipped = position[:-1] + bytes([ASSOC_BEFORE if position[-1] == ASSOC_AFTER else ASSOC_AFTER])
    return _index(doc, position) == _index(doc, flipped)


def _branches(state: bytes, pieces: list[_Piece], positions: list[bytes | None]) -> list[int | None]:
    """The piece each position is in, found by nudging each text in turn (in one scratch copy)."""
    doc = _scratch(state)
    found: list[int | None] = [None] * len(positions)
    before = [_index(doc, p) if p is not None else None for p in positions]
    for n, piece in enumerate(pieces):
        if all(f is not None or p is None for f, p in zip(found, positions, strict=True)):
            break
        _node(doc, piece.path).insert(0, MARKER)  # it stays: `before` moves on with each step
        after = [_index(doc, p) if p is not None else None for p in positions]
        for i, (b, a) in enumerate(zip(before, after, strict=True)):
            if found[i] is None and b is not None and a == b + 1:
                found[i] = n
        before = after
    return found


def resolve(state: bytes, anchors: list[tuple[str, str, str]], trail: bool = False) -> list[Anchor]:
    """Resolve (start_b64, end_b64, quote) triples against a document state (`trail`: sections as in _pieces)."""
    doc = _scratch(state)
    known = _state_vector(state)
    pieces = _pieces(doc, trail)

    def usable(value: str) -> bytes | None:
        data = decode_position(value)
        if data is None:
            return None
        client, clock = _parse_item(data)
        return data if clock < known.get(client, 0) else None  # yrs panics on an unknown item

    positions: list[bytes | None] = []
    for start, end, _quote in anchors:
        positions += [usable(start), usable(end)]
    branches = _branches(state, pieces, positions)

    results = []
    for n, (_start, _end, quote) in enumerate(anchors):
        s_pos, e_pos = positions[2 * n], positions[2 * n + 1]
        s_piece, e_piece = branches[2 * n], branches[2 * n + 1]
        if s_pos is None or e_pos is None:
            results.append(_by_quote(pieces, quote))
            continue
        if s_piece is None and e_piece is None:
            # Both on characters at the very start of a text with everything before them deleted (no
            # insertion moves them), or in a deleted paragraph: the anchored text is gone.
            results.append(Anchor("deleted"))
            continue
        if s_piece is None:
            start = pieces[e_piece].base
        else:
            s_at = _attached_to(state, pieces[s_piece], s_pos)
            start = pieces[s_piece].base + s_at + (1 if _is_deleted(doc, s_pos) else 0)
        # No e_piece: the last anchored character went with everything before it in its text.
        end = start if e_piece is None else pieces[e_piece].base + _attached_to(state, pieces[e_piece], e_pos) + 1
        section = pieces[s_piece if s_piece is not None else e_piece].section
        if start >= end:
            results.append(Anchor("deleted", section=section))
        else:
            results.append(Anchor("ok", section, start, end, _slice(pieces, start, end)))
    return results


def _slice(pieces: list[_Piece], start: int, end: int) -> str:
    out = []
    for piece in pieces:
        lo, hi = max(start, piece.base), min(end, piece.base + len(piece.text))
        if lo < hi:
            out.append(piece.text[lo - piece.base:hi - piece.base])
    return "\n".join(out)


def _by_quote(pieces: list[_Piece], quote: str) -> Anchor:
    quote = quote.strip()
    if quote:
        for piece in pieces:
            at = piece.text.find(quote)
            if at >= 0:
                return Anchor("ok", piece.section, piece.base + at, piece.base + at + len(quote), quote)
    return Anchor("deleted")


def plain_text(state: bytes) -> str:
    """The text the offsets above count in (for tests and quotes)."""
    pieces = _pieces(_scratch(state))
    return "".join(("\n" * (p.base - (pieces[i - 1].base + len(pieces[i - 1].text))) if i else "") + p.text
                   for i, p in enumerate(pieces))
