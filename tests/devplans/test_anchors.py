"""Comment anchors survive concurrent edits around and inside the anchored text (pycrdt resolution).

Every original character is unique, and inserted text uses other characters, so after any edits we
can tell which anchored characters survive. Property: the resolved range covers exactly the surviving
anchored characters (plus anything typed between them), none of the surviving characters outside it,
and a range whose characters were all deleted is reported as deleted (unless someone typed inside it
concurrently: then it holds only that new text).
"""

from __future__ import annotations

import base64

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pycrdt import Doc, StickyIndex, XmlElement, XmlFragment, XmlText

from collab.comments.anchors import decode_position, resolve

BASE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789é–£😀"  # unique; some multi-byte, one outside the BMP
WRITER = 11


def _u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _plain(node: XmlText) -> str:
    return "".join(chunk for chunk, _ in node.diff() if isinstance(chunk, str))


def _document() -> tuple[bytes, int]:
    """Heading, paragraph with BASE typed by client WRITER, second paragraph. Returns state, first clock."""
    doc: Doc = Doc(client_id=1)
    fragment = doc.get("default", type=XmlFragment)
    heading = fragment.children.append(XmlElement("heading", {"level": "2"}))
    heading.children.append(XmlText("Actions"))
    fragment.children.append(XmlElement("paragraph")).children.append(XmlText())
    fragment.children.append(XmlElement("paragraph")).children.append(XmlText("Next paragraph."))
    writer: Doc = Doc(client_id=WRITER)
    writer.apply_update(doc.get_update())
    writer.get("default", type=XmlFragment).children[1].children[0].insert(0, BASE)
    return writer.get_update(), 0


def _anchor(start: int, end: int, first: int) -> tuple[str, str]:
    def pos(clock: int, assoc: int) -> str:
        return base64.b64encode(StickyIndex.from_json(
            {"item": {"client": WRITER, "clock": clock}, "assoc": assoc}).encode()).decode()
    return pos(first + _u16(BASE[:start]), 0), pos(first + _u16(BASE[:end - 1]), -1)


def _apply(doc: Doc, ops: list[tuple[str, float, float, str]]) -> None:
    node = doc.get("default", type=XmlFragment).children[1].children[0]
    for kind, a, b, text in ops:
        current = _plain(node)
        i = int(a * len(current))
        if kind == "insert":
            node.insert(len(current[:i].encode()), text)  # pycrdt 0.14 indexes XmlText by UTF-8 bytes
        else:
            j = min(len(current), i + 1 + int(b * 8))
            if i < j:
                del node[len(current[:i].encode()):len(current[:j].encode())]


ops_strategy = st.lists(st.tuples(
    st.sampled_from(["insert", "delete"]),
    st.floats(0, 1, exclude_max=True), st.floats(0, 1, exclude_max=True),
    st.text(alphabet="abcxyz ", min_size=1, max_size=4)), max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), ops_strategy, ops_strategy)
def test_an_anchor_covers_exactly_the_surviving_anchored_characters_after_concurrent_edits(data, ops_b, ops_c):
    state, first = _document()
    start = data.draw(st.integers(0, len(BASE) - 1), label="start")
    end = data.draw(st.integers(start + 1, len(BASE)), label="end")
    # Two people edit the same state concurrently (before, inside and after the range), then merge.
    replicas = []
    for client, ops in ((21, ops_b), (22, ops_c)):
        replica: Doc = Doc(client_id=client)
        replica.apply_update(state)
        _apply(replica, ops)
        replicas.append(replica.get_update())
    merged: Doc = Doc()
    merged.apply_update(state)
    for update in replicas:
        merged.apply_update(update)
    final = _plain(merged.get("default", type=XmlFragment).children[1].children[0])

    anchored = [c for c in BASE[start:end] if c in final]
    outside = [c for c in BASE[:start] + BASE[end:] if c in final]
    result = resolve(merged.get_update(), [(*_anchor(start, end, first), BASE[start:end])])[0]

    if not anchored:
        # Deleted, unless text someone typed inside the range concurrently survives: then the comment
        # stays on that text (as the browser's Yjs resolution does), and none of the original is in it.
        inserted_inside = result.status == "ok" and result.text and not any(c in BASE for c in result.text)
        assert result.status == "deleted" or inserted_inside
        return
    assert result.status == "ok"
    assert result.section == "Actions"
    assert [c for c in result.text if c in BASE] == anchored
    assert not any(c in result.text for c in outside)


def test_an_untouched_anchor_resolves_to_its_text_and_section():
    state, first = _document()
    result = resolve(state, [(*_anchor(3, 9, first), "DEFGHI")])[0]
    assert (result.status, result.text, result.section) == ("ok", "DEFGHI", "Actions")


def test_a_position_the_server_has_not_seen_falls_back_to_the_quote():
    state, first = _document()
    unknown = base64.b64encode(StickyIndex.from_json(
        {"item": {"client": 999, "clock": 5}, "assoc": 0}).encode()).decode()
    result = resolve(state, [(unknown, unknown, "Next paragraph")])[0]
    assert (result.status, result.text) == ("ok", "Next paragraph")


def test_an_unknown_position_whose_quote_is_gone_is_on_deleted_text():
    state, _first = _document()
    unknown = base64.b64encode(StickyIndex.from_json(
        {"item": {"client": 999, "clock": 5}, "assoc": 0}).encode()).decode()
    assert resolve(state, [(unknown, unknown, "no such words")])[0].status == "deleted"


def test_malformed_positions_are_not_accepted():
    assert decode_position("not base64!") is None
    assert decode_position(base64.b64encode(b"\x05\x01\x02").decode()) is None
    assert decode_position(base64.b64encode(b"\x00\x01\x02\x00extra").decode()) is None
    assert decode_position(base64.b64encode(b"\x00\x01\x02\x00").decode()) == b"\x00\x01\x02\x00"
