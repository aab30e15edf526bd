"""Finding the element and key of each attribute an update writes (collab.realtime.ycheck.attribute_writes), which
the maths checks rely on: through long chains of changed values, and safely through a loop of origins."""

from __future__ import annotations

import time

from pycrdt import Doc, XmlElement, XmlFragment

from collab.realtime.ycheck import ParentIndex, attribute_writes, check_update, decode_state_vector


def _var_uint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def test_a_loop_of_origins_places_nothing_and_is_followed_once():
    # 20,000 map entries (info: origin, key flag, any content), each entry's origin the next one, the last's the first:
    # before each entry was followed once, this was 20,000 walks of up to 10,000 steps on the hub.
    count = 20_000
    structs = b"".join(bytes([0xA8]) + _var_uint(1) + _var_uint((i + 1) % count) + b"\x01\x77\x01x"
                       for i in range(count))
    update = _var_uint(1) + _var_uint(count) + _var_uint(1) + _var_uint(0) + structs + _var_uint(0)
    summary = check_update(update, {})
    assert len(summary.entries) == count
    started = time.perf_counter()
    assert attribute_writes(summary, None) == []
    assert time.perf_counter() - started < 2


def test_a_formula_changed_many_times_is_still_found_by_its_element():
    doc = Doc()
    fragment = doc.get("default", type=XmlFragment)
    with doc.transaction():
        maths = fragment.children.append(XmlElement("inlineMath", {"latex": "1"}))
    for n in range(2, 400):
        with doc.transaction():
            maths.attributes["latex"] = rf"\frac{{1}}{{{n}}}"
    parents = ParentIndex(doc.get_update)
    before = doc.get_state()
    with doc.transaction():
        maths.attributes["latex"] = r"\href{javascript:alert(1)}{x}"
    summary = check_update(doc.get_update(before), decode_state_vector(before), parents)
    assert attribute_writes(summary, parents) == [("inlineMath", "latex", r"\href{javascript:alert(1)}{x}")]
