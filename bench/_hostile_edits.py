"""Edits of a rich-text document's nodes for bench/hostile.py: what the attribute checks (collab.maths.schema) see.

`node_edits` makes them on a copy of a replica of a plan or study document (the prosemirror fragment), as a
browser's transactions: a maths node inserted, a formula changed, a bar model inserted or one of its parameters
changed, a formatting mark over a paragraph's text. About a third of those made by a new client hold a value the
server must refuse (a formula that links, a bar model of 500 parts, an attribute a bar model does not have); the
attackers send them as they are and mutated (tests/realtime/yfuzz.py).
"""

from __future__ import annotations

import random

from pycrdt import Doc, XmlElement, XmlFragment, XmlText

FIELD = "default"  # collab.plans.richtext.FIELD
BAR = {"kind": "bar-part-whole", "whole": "24", "parts": "3", "equal": "yes", "values": '["?","",""]'}
GOOD_LATEX = ["\\frac{3}{4}", "x^2+1", "2:3 = 4:6", "\\sqrt{16}"]
BAD_LATEX = ["\\href{javascript:alert(1)}{x}", "\\def\\a{\\a}\\a", "x" * 5000]


def _nodes(fragment: XmlFragment, tag: str) -> list[XmlElement]:
    return [c for c in fragment.children if isinstance(c, XmlElement) and c.tag == tag]


def _one(editor: Doc, rng: random.Random, bad_share: float) -> None:
    fragment = editor.get(FIELD, type=XmlFragment)
    bad = rng.random() < bad_share
    kind = rng.randrange(5)
    maths, bars = _nodes(fragment, "inlineMath"), _nodes(fragment, "representation")
    if kind == 0 or (kind == 1 and not maths):
        latex = rng.choice(BAD_LATEX if bad else GOOD_LATEX)
        fragment.children.insert(rng.randrange(len(fragment.children) + 1), XmlElement("inlineMath", {"latex": latex}))
    elif kind == 1:
        rng.choice(maths).attributes["latex"] = rng.choice(BAD_LATEX if bad else GOOD_LATEX)
    elif kind == 2 or (kind == 3 and not bars):
        attrs = {**BAR, "parts": "500"} if bad else dict(BAR)
        fragment.children.insert(rng.randrange(len(fragment.children) + 1), XmlElement("representation", attrs))
    elif kind == 3:
        key, value = (("onload", "alert(1)") if bad else ("whole", str(rng.randrange(1, 99))))
        rng.choice(bars).attributes[key] = value
    else:
        texts = [t for p in _nodes(fragment, "paragraph") for t in p.children if isinstance(t, XmlText) and len(t)]
        if texts:
            text = rng.choice(texts)
            start = rng.randrange(len(text))
            text.format(start, min(len(text), start + 3), {"bold": rng.choice([True, None])})
        else:
            fragment.children.append(XmlElement("paragraph", {}, [XmlText("The bar model shows 3 equal parts")]))


def node_edits(replica: Doc, rng: random.Random, count: int, client_id: int | None = None,
               bad_share: float = 0.33) -> list[bytes]:
    """`count` edits, each one transaction's update, `bad_share` of them with a value the server refuses. With
    `client_id` None, made on a copy of `replica` by a new client (`replica` is untouched); else on `replica`
    itself (its own work: then give valid ones only, or a refused edit leaves every later one building on it)."""
    editor = replica
    if client_id is None:
        editor = Doc(client_id=rng.randrange(1, 2**32))
        editor.apply_update(replica.get_update())
    updates: list[bytes] = []
    subscription = editor.observe(lambda event: updates.append(event.update))
    try:
        for _ in range(count):
            with editor.transaction():
                _one(editor, rng, bad_share)
    finally:
        editor.unobserve(subscription)
    return [u for u in updates if u]
