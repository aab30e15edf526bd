"""The server's check of the whiteboard's Excalidraw elements (collab.workspace.elements): what the page writes is
taken; anything else (malformed JSON, unknown types and keys, active content, out-of-bounds values) is refused, and
a refused update leaves the document as it was. Fuzzed with hypothesis."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pycrdt import Doc, XmlElement, XmlFragment

from collab.maths.schema import InvalidNode, check_attribute
from collab.realtime.store import InvalidContent, Malformed
from collab.realtime.ycheck import TooLong
from collab.workspace import board, elements

ROOT = Path(__file__).resolve().parents[2]


def _valid(**fields) -> dict:
    return board.element("rectangle", 10, 20, 0, width=100, height=50, **fields)


def test_the_page_and_the_server_know_the_same_keys_and_types():
    source = (ROOT / "static/src/_excalidraw-binding.js").read_text()
    keys = re.search(r"export const KEYS = \[(.*?)\]", source, re.S)
    types = re.search(r"export const ELEMENT_TYPES = \[(.*?)\]", source, re.S)
    assert keys and types
    assert set(re.findall(r"'(\w+)'", keys.group(1))) == set(elements.KEYS)
    assert set(re.findall(r"'(\w+)'", types.group(1))) == elements.ELEMENT_TYPES


@pytest.mark.parametrize("kind", sorted(elements.ELEMENT_TYPES))
def test_every_kind_of_element_the_page_makes_is_taken(kind):
    fields = {"text": "3 : 4"} if kind == "text" else {}
    if kind in ("line", "arrow", "freedraw"):
        fields["points"] = [[0, 0], [40.5, -12.25]]
    made = board.element(kind, 1, 2, 3, **fields)
    assert elements.check_element(json.dumps(made))["type"] == kind
    check_attribute("boardElement", "json", json.dumps(made))


@pytest.mark.parametrize("change", [
    {"type": "image", "fileId": "x"}, {"type": "embeddable"}, {"type": "iframe"}, {"type": "frame"},
    {"type": "magicframe"}, {"type": "selection"}, {"link": "javascript:alert(1)"}, {"link": " javascript:x"},
    {"link": "JAVASCRIPT:alert(1)"}, {"link": "data:text/html,<b>"}, {"link": "vbscript:x"},
    {"link": "https://x.org/\"onmouseover=alert(1)"}, {"fileId": "abc"}, {"status": "saved"}, {"html": "<b>"},
    {"customData": {"generationData": {"html": "<script>"}}}, {"customData": "x"}, {"id": "<img>"},
    {"x": float("inf")}, {"y": 1e12}, {"width": -5}, {"version": -1}, {"version": 1.5}, {"isDeleted": "no"},
    {"groupIds": ["g"] * 11}, {"strokeColor": "url(javascript:x)"}, {"points": [[0, 0]] * 401},
    {"points": [[0, "1"]]}, {"text": "x" * 1001}, {"boundElements": [{"id": "a", "type": "image"}]},
    {"index": "a 0"}, {"opacity": 101}, {"fontFamily": 99},
])
def test_what_the_board_does_not_take_is_refused(change):
    made = dict(_valid(), **change)
    with pytest.raises(elements.InvalidElement):
        elements.check_element(json.dumps(made))
    with pytest.raises(InvalidNode):
        check_attribute("boardElement", "json", json.dumps(made))


@pytest.mark.parametrize("value", ["", "{", "[]", "null", "1", '"x"', "NaN", '{"id": "a"}', "x" * 6000, 5, None])
def test_not_an_element_is_refused(value):
    with pytest.raises(elements.InvalidElement):
        elements.check_element(value)


def test_a_board_element_holds_only_its_json():
    with pytest.raises(InvalidNode):
        check_attribute("boardElement", "onclick", json.dumps(_valid()))


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**60), 2**60) | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(key=st.sampled_from(sorted(elements.KEYS) + ["onload", "fileId", "src", "__proto__"]), value=JSONISH)
def test_any_value_for_any_key_is_taken_only_if_valid_and_never_crashes(key, value):
    made = dict(_valid(), **{key: value})
    try:
        text = json.dumps(made)
    except ValueError:
        return
    try:
        checked = elements.check_element(text)
    except elements.InvalidElement:
        return
    # What is taken is what the page can draw: a known key, a known type, no active link.
    assert set(checked) <= set(elements.KEYS)
    assert checked["type"] in elements.ELEMENT_TYPES
    link = checked.get("link")
    assert link is None or re.match(r"^https?://", link)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300))
def test_arbitrary_bytes_are_refused_without_crashing(data):
    value = data.decode("latin-1") if isinstance(data, bytes) else data
    with contextlib.suppress(elements.InvalidElement):
        elements.check_element(value)


@pytest.fixture
def store_doc(world):
    from datetime import timedelta

    from collab.extensions import db
    from collab.realtime.store import get_store
    from collab.sessions.models import SessionKind
    from tests import factories

    session = factories.session(world.group, kind=SessionKind.EXPLORING, starts_in=timedelta(days=3))
    workspace = board.ensure_workspace(world.lead, session)
    db.session.commit()
    return get_store(), workspace.document_id


def _adding_element(document: bytes, text: str) -> bytes:
    """The update a client holding `document` sends to add a boardElement whose json is `text`."""
    local = Doc()
    local.apply_update(document)
    state = local.get_state()
    with local.transaction():
        local.get(board.BOARD, type=XmlFragment).children.append(XmlElement("boardElement", {"json": text}))
    return local.get_update(state)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(change=st.dictionaries(st.sampled_from(["type", "link", "x", "points", "text", "customData", "src"]),
                              JSONISH, min_size=1, max_size=2))
def test_a_refused_element_leaves_the_document_unchanged(store_doc, change):
    store, document_id = store_doc
    made = dict(_valid(), **change)
    try:
        text = json.dumps(made)
    except ValueError:
        return
    try:
        elements.check_element(text)
        valid = True
    except elements.InvalidElement:
        valid = False
    if valid:
        return
    before = store.full_state(document_id)
    with pytest.raises((InvalidContent, Malformed, TooLong)):
        store.submit(document_id, _adding_element(before, text), None)
    assert store.full_state(document_id) == before
    assert board.board_elements(store.full_state(document_id)) == []


def test_an_elbow_arrow_with_moved_segments_is_taken():
    made = board.element("arrow", 0, 0, 0, points=[[0, 0], [50, 0], [50, 40]], elbowed=True,
                         fixedSegments=[{"start": [0, 0], "end": [50, 0], "index": 1}], startIsSpecial=None,
                         endIsSpecial=False)
    assert elements.check_element(json.dumps(made))["fixedSegments"][0]["index"] == 1
    made["fixedSegments"] = [{"start": [0, 0], "end": [50, 0], "index": 1, "html": "<b>"}]
    with pytest.raises(elements.InvalidElement):
        elements.check_element(json.dumps(made))


@pytest.mark.parametrize(("kind", "key"), [(kind, key) for kind, keys in sorted(elements.REQUIRED_BY_TYPE.items())
                                           for key in keys])
def test_an_element_missing_a_key_its_type_is_drawn_from_is_refused_saying_which(kind, key):
    made = _drawn(kind)
    del made[key]
    with pytest.raises(elements.InvalidElement, match=f"^a {kind} element needs {key}$"):
        elements.check_element(json.dumps(made))
    with pytest.raises(InvalidNode, match=f"needs {key}"):
        check_attribute("boardElement", "json", json.dumps(made))


def test_a_line_with_only_the_keys_every_element_has_is_refused():
    for kind in ("line", "arrow", "freedraw", "text"):
        with pytest.raises(elements.InvalidElement, match="needs"):
            elements.check_element(json.dumps({"id": "bare", "type": kind, "x": 40, "y": 40, "version": 1}))
    # A shape is drawn from its box alone (Excalidraw's restore gives the rest defaults): still taken.
    assert elements.check_element(json.dumps({"id": "bare", "type": "ellipse", "x": 4, "y": 4, "version": 1}))


def _drawn(kind: str) -> dict:
    if kind == "text":
        return board.element(kind, 1, 2, 3, text="£4.20 ÷ 6")
    if kind in ("line", "arrow", "freedraw"):
        return board.element(kind, 1, 2, 3, points=[[0, 0], [40.5, -12.25], [80, 3]])
    return board.element(kind, 1, 2, 3, width=40, height=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(sorted(elements.ELEMENT_TYPES)), data=st.data())
def test_an_element_with_keys_left_out_is_refused_exactly_when_its_type_needs_one(store_doc, kind, data):
    """Any subset of a complete element's keys: refused, the document unchanged, when a key every element has or
    one its type is drawn from is missing; taken otherwise."""
    store, document_id = store_doc
    made = _drawn(kind)
    dropped = data.draw(st.sets(st.sampled_from(sorted(made)), min_size=1))
    text = json.dumps({key: value for key, value in made.items() if key not in dropped})
    needed = set(elements.REQUIRED) | set(elements.REQUIRED_BY_TYPE.get(kind, ()))
    before = store.full_state(document_id)
    if dropped & needed:
        with pytest.raises(elements.InvalidElement):
            elements.check_element(text)
        with pytest.raises(InvalidContent, match="needs|has a"):
            store.submit(document_id, _adding_element(before, text), None)
        assert store.full_state(document_id) == before
    else:
        assert elements.check_element(text)["type"] == kind


def test_the_page_and_the_server_have_the_same_bounds():
    source = (ROOT / "static/src/_excalidraw-binding.js").read_text()
    for name in ("MAX_JSON_CHARS", "MAX_TEXT", "MAX_POINTS", "MAX_GROUPS", "MAX_BOUND", "MAX_INDEX", "MAX_COORDINATE"):
        found = re.search(rf"export const {name} = ([0-9e.]+)\n", source)
        assert found, name
        assert float(found.group(1)) == getattr(elements, name), name


# Elements an honest user can make that go past a bound, serialised by the page's own code (Node).
SERIALISE_SCRIPT = """
import { serialise } from %s
const arrows = Array.from({ length: 60 }, (_, i) => ({ id: 'arrow' + i, type: 'arrow' }))
const base = { id: 'e', type: 'rectangle', x: 10, y: 20, width: 100, height: 50, version: 3, versionNonce: 5,
  index: 'a0', groupIds: [], boundElements: null }
const made = [
  { ...base, boundElements: [...arrows, { id: 'label', type: 'text' }] },
  { ...base, groupIds: Array.from({ length: 15 }, (_, i) => 'group' + i) },
  { ...base, index: 'a0' + 'V'.repeat(150) + '8' },
  { ...base, x: -3e7, y: 4e7, width: 9e7 },
  { ...base, type: 'text', text: 'big', originalText: 'big', fontSize: 5000, fontFamily: 5, lineHeight: 1.25 },
  { ...base, type: 'freedraw', points: Array.from({ length: 3000 }, (_, i) => [i * 1e4, -i * 1e4]),
    pressures: Array.from({ length: 3000 }, () => 0.5), simulatePressure: false },
  { ...base, type: 'arrow', points: [[0, 0], [50, 0]], elbowed: true, endArrowhead: 'arrow',
    fixedSegments: Array.from({ length: 60 }, (_, i) => ({ start: [i, 0], end: [i + 1, 0], index: i + 1 })) },
  { ...base, strokeColor: 'rgb(255, 0, 0)', backgroundColor: 'hsl(120 100%% 25%% / 50%%)' },
  { ...base, strokeColor: 'Teal', backgroundColor: 'oklch(0.5 0.1 20)' }
]
console.log(JSON.stringify(made.map(serialise)))
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
def test_what_the_page_writes_past_a_bound_is_brought_within_it_and_taken():
    script = SERIALISE_SCRIPT % json.dumps((ROOT / "static/src/_excalidraw-binding.js").as_uri())
    result = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True,
                            check=True, timeout=60, cwd=ROOT)
    written = json.loads(result.stdout)
    assert len(written) == 9 and all(written)
    checked = [elements.check_element(text) for text in written]
    assert len(checked[0]["boundElements"]) == elements.MAX_BOUND
    assert {"id": "label", "type": "text"} in checked[0]["boundElements"]
    assert checked[1]["groupIds"] == [f"group{i}" for i in range(5, 15)]
    assert checked[2]["index"].startswith("a0VVV") and len(checked[2]["index"]) <= elements.MAX_INDEX
    assert checked[4]["fontSize"] == 1000
    assert (checked[7]["strokeColor"], checked[7]["backgroundColor"]) == ("#ff0000", "#00800080")
    assert checked[8]["strokeColor"] == "teal" and "backgroundColor" not in checked[8]
