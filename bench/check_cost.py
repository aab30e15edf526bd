"""What the server's check of one incoming update costs, by kind of update and size of document.

    .venv/bin/python bench/check_cost.py                    # small and ~1 MB (100,000 edits) documents
    .venv/bin/python bench/check_cost.py --edits 20000 --updates 100 --profile attribute

For each document it makes honest updates one at a time on an editor's copy and runs each through the store's own
checking path, in process (`DocumentStore._strictly_checked`, then `_apply_checked`: the strict reader, the node
attribute checks of collab.maths.schema, apply to the shadow, the dependency and encoding checks), the shadow's
transaction closed every 8 updates as a group commit would. Kinds:
- typing: a character into a paragraph;
- format: a mark (text colour) over three characters of a paragraph;
- attribute: a new `latex` for a maths node the document already holds (the value names the old one as origin);
- representation: a new `whole` for a bar model the document holds;
- maths-insert: a new inlineMath node in a paragraph.
With `--rows-every N`, every N updates another process's edit (a paragraph typed into elsewhere) reaches the cache
as a refresh brings it (`CachedDocument.take_rows`; before it existed, the refresh applied the rows and threw the
parent index away, which this falls back to).
Prints one JSON line per (document, kind): check and apply p50/p99/max in ms. `--profile KIND` prints the
cProfile of the large document's checks of that kind.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import random
import sys
import time
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from pycrdt import Doc, XmlElement, XmlFragment, XmlText  # noqa: E402

from collab.maths.schema import check_attribute  # noqa: E402
from collab.realtime import doclog  # noqa: E402
from collab.realtime.cached_document import CachedDocument  # noqa: E402
from collab.realtime.store import DocumentStore  # noqa: E402

KINDS = ("typing", "format", "attribute", "representation", "maths-insert")
BAR = {"kind": "bar-part-whole", "whole": "24", "parts": "3", "equal": "yes", "values": '["?","",""]'}


def plan_document(edits: int, paragraphs: int = 40) -> bytes:
    """A plan-like document: `paragraphs` paragraphs with a maths node and a bar model in the prosemirror fragment,
    plus (with `edits`) the benchmark's ~1 MB history of 100,000 small edits (bench/_app_setup.py)."""
    doc = Doc(client_id=999)
    fragment = doc.get("default", type=XmlFragment)
    for i in range(paragraphs):
        fragment.children.append(XmlElement("paragraph", {}, [XmlText(f"Paragraph {i}: ratio tables and bar models")]))
    fragment.children.append(XmlElement("inlineMath", {"latex": "\\frac{3}{4}"}))
    fragment.children.append(XmlElement("representation", dict(BAR)))
    if edits:
        from _app_setup import build_big_doc

        snapshot, tail, _chars = build_big_doc(edits, 300)
        doc.apply_update(snapshot)
        for update in tail:
            doc.apply_update(update)
    return doc.get_update()


def _node(doc: Doc, tag: str) -> XmlElement:
    return next(c for c in doc.get("default", type=XmlFragment).children if isinstance(c, XmlElement) and c.tag == tag)


def _paragraph_text(doc: Doc, rng: random.Random) -> XmlText:
    paragraphs = [c for c in doc.get("default", type=XmlFragment).children
                  if isinstance(c, XmlElement) and c.tag == "paragraph"]
    return next(c for c in rng.choice(paragraphs).children if isinstance(c, XmlText))


def make_edit(editor: Doc, kind: str, rng: random.Random, n: int) -> bytes:
    """The update of one transaction, as a browser sends it (Yjs's `update` event: only this edit's deletions,
    not the document's whole delete set, which `get_update(state)` would add)."""
    sent: list[bytes] = []
    subscription = editor.observe(lambda event: sent.append(event.update))
    with editor.transaction():
        _edit(editor, kind, rng, n)
    editor.unobserve(subscription)
    return b"".join(sent[-1:])


def _edit(editor: Doc, kind: str, rng: random.Random, n: int) -> None:
    if kind == "typing":
        text = _paragraph_text(editor, rng)
        text.insert(rng.randrange(len(text) + 1), "a")
    elif kind == "format":
        text = _paragraph_text(editor, rng)
        start = rng.randrange(len(text) - 3)
        text.format(start, start + 3, {"textStyle": {"color": f"#{n % 0xFFFFFF:06x}"}})  # always a change
    elif kind == "attribute":
        _node(editor, "inlineMath").attributes["latex"] = f"x^{{{n}}}+\\frac{{1}}{{{n + 1}}}"
    elif kind == "representation":
        _node(editor, "representation").attributes["whole"] = str(10 + n % 80)
    elif kind == "maths-insert":
        fragment = editor.get("default", type=XmlFragment)
        fragment.children.insert(rng.randrange(len(fragment.children) + 1),
                                 XmlElement("inlineMath", {"latex": f"{n}\\times 3"}))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


class Row(NamedTuple):
    id: int
    data: bytes


def remote_row(entry: CachedDocument, other: Doc, editor: Doc, n: int) -> None:
    """Another process's edit arrives through a refresh (lock held); the local editor gets it too."""
    data = make_edit(other, "typing", random.Random(n), n)
    editor.apply_update(data)
    rows = [Row(n + 1, data)]
    if hasattr(entry, "take_rows"):
        entry.take_rows(rows)
    else:  # the refresh before take_rows (commit 091843c)
        doclog.apply_log(entry.committed, rows, entry.document_id)
        if entry.shadow is not None:
            doclog.apply_log(entry.shadow, rows, entry.document_id)
        entry.forget_parents()


def measure(document: bytes, kind: str, updates: int, seed: int, profile: cProfile.Profile | None = None,
            rows_every: int = 0) -> dict:
    store = DocumentStore(compact_after=10**9, max_value_chars=20_000, attribute_check=check_attribute)
    committed = Doc()
    committed.apply_update(document)
    entry = CachedDocument(1, committed)
    editor = Doc(client_id=4242)
    editor.apply_update(document)
    other = Doc(client_id=777)
    other.apply_update(document)
    rng = random.Random(seed)
    check_ms: list[float] = []
    apply_ms: list[float] = []
    sizes: list[int] = []
    for n in range(updates):
        if rows_every and n % rows_every == rows_every - 1:
            with entry.lock:
                remote_row(entry, other, editor, n)
        data = make_edit(editor, kind, rng, n)
        sizes.append(len(data))
        with entry.lock:
            entry.writable()
            if profile is not None:
                profile.enable()
            t0 = time.perf_counter()
            summary = store._strictly_checked(entry, data)
            t1 = time.perf_counter()
            assert summary is not None, "an honest update was refused as out of sync"
            store._apply_checked(entry, data, summary)
            t2 = time.perf_counter()
            if profile is not None:
                profile.disable()
            if n % 8 == 7:
                entry.settle()
        check_ms.append((t1 - t0) * 1000)
        apply_ms.append((t2 - t1) * 1000)
    return {
        "kind": kind, "updates": updates, "rows_every": rows_every, "update_bytes_p50": int(percentile(sizes, 0.5)),
        "check_ms": {"p50": round(percentile(check_ms, 0.5), 3), "p99": round(percentile(check_ms, 0.99), 3),
                     "max": round(max(check_ms), 3), "first": round(check_ms[0], 3),
                     "mean": round(sum(check_ms) / len(check_ms), 3),
                     "over_10ms_after_first": sum(ms > 10 for ms in check_ms[1:])},
        "apply_ms": {"p50": round(percentile(apply_ms, 0.5), 3), "p99": round(percentile(apply_ms, 0.99), 3),
                     "max": round(max(apply_ms), 3)},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=100_000, help="history of the large document")
    parser.add_argument("--updates", type=int, default=200, help="updates per kind and document")
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", choices=KINDS)
    parser.add_argument("--rows-every", type=int, default=0, help="another process's edit every N updates")
    args = parser.parse_args()
    kinds = args.kinds.split(",")
    for label, edits in (("small", 0), ("large", args.edits)):
        started = time.perf_counter()
        document = plan_document(edits)
        built_s = time.perf_counter() - started
        for kind in kinds:
            profile = cProfile.Profile() if label == "large" and kind == args.profile else None
            row = measure(document, kind, args.updates, args.seed, profile, args.rows_every)
            print(json.dumps({"document": label, "document_bytes": len(document), "built_s": round(built_s, 1),
                              **row}), flush=True)
            if profile is not None:
                pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
