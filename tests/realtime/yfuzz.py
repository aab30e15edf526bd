"""Honest edits of every kind and the mutations a broken or hostile client makes of them, for the property tests
(tests/realtime/test_hostile_updates.py) and the hostile-client campaign (bench/hostile.py)."""

from __future__ import annotations

import random

from pycrdt import Array, Doc, Map, Text, XmlElement, XmlFragment, XmlText

from collab.realtime.yupdates import readable_children


def honest_edit(doc: Doc, rng: random.Random, client_id: int | None = None) -> bytes:
    """One edit as a browser would make it on its own copy of `doc` (text, formatting, map, array, XML); its update.
    With `client_id`, the edit is made by that client on `doc` itself (a long-lived replica)."""
    editor = doc if client_id is not None else Doc(client_id=rng.randrange(1, 2**32))
    if client_id is None:
        editor.apply_update(doc.get_update())
    before = editor.get_state()
    kind = rng.randrange(6)
    if kind == 0:
        text = editor.get("text", type=Text)
        if len(text) and rng.random() < 0.4:
            start = rng.randrange(len(text))
            del text[start:min(len(text), start + rng.randrange(1, 4))]
        else:
            text.insert(rng.randrange(len(text) + 1), rng.choice(["a", "3/4", "ratio 2:3", " "]))
    elif kind == 1:
        text = editor.get("text", type=Text)
        if len(text):
            text.format(0, min(len(text), 3), {"bold": rng.choice([True, None])})
        else:
            text += "x"
    elif kind == 2:
        editor.get("map", type=Map)[rng.choice("abc")] = rng.choice([1, "s", [1, 2], {"k": None}, None, 2.5])
    elif kind == 3:
        array = editor.get("array", type=Array)
        if len(array) and rng.random() < 0.3:
            del array[0]
        else:
            array.append(rng.choice([1, "two", {"three": 3}]))
    else:
        fragment = editor.get("xml", type=XmlFragment)
        elements = [c for _i, c in readable_children(fragment) if isinstance(c, XmlElement)]
        if elements and rng.random() < 0.5:
            element = rng.choice(elements)
            element.attributes["level"] = rng.choice(["1", "2"])
            texts = [c for _i, c in readable_children(element) if isinstance(c, XmlText)]
            if texts:
                texts[0].insert(0, "z", {"bold": True} if rng.random() < 0.5 else None)
        else:
            fragment.children.append(XmlElement("paragraph", {}, [XmlText("Bar model")]))
    return editor.get_update(before)


def mutate(update: bytes, rng: random.Random, other: bytes = b"") -> bytes:
    """A broken copy: bit flips, truncation, junk appended, bytes deleted or duplicated, bytes set to 0x00, 0x7f,
    0x80 or 0xff, swaps, runs of 0xff, random bytes, or two updates spliced."""
    data = bytearray(update or b"\x00")
    i = rng.randrange(len(data))
    kind = rng.randrange(10)
    if kind == 0:
        data[i] ^= 1 << rng.randrange(8)
    elif kind == 1:
        del data[rng.randrange(len(data)):]
    elif kind == 2:
        data += bytes(rng.randrange(256) for _ in range(rng.randrange(1, 8)))
    elif kind == 3:
        del data[i]
    elif kind == 4:
        data[i:i] = data[i:rng.randrange(i, len(data) + 1)]
    elif kind == 5:
        data[i] = rng.choice([0x00, 0x7F, 0x80, 0xFF])
    elif kind == 6:
        data[i:i] = b"\xff" * rng.randrange(1, 9)
    elif kind == 7:
        j = rng.randrange(len(data))
        data[i], data[j] = data[j], data[i]
    elif kind == 8:
        data = bytearray(rng.randrange(256) for _ in range(rng.randrange(1, 40)))
    else:
        data = data[:i] + bytearray(other[rng.randrange(len(other) + 1):])
    return bytes(data)
