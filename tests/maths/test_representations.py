"""Representations: which attributes are accepted, the text alternative, and the drawing (safe, well-formed SVG that
the browser's twin, static/src/_repr-draw.js, draws identically)."""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collab.maths import drawing, representations
from collab.maths.representations import FIELDS, KINDS, InvalidAttribute, check, check_attribute, text_alternative
from collab.maths.schema import InvalidNode
from collab.maths.schema import check_attribute as check_node_attribute

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"
ALLOWED_ELEMENTS = {f"{SVG}{name}" for name in ("svg", "title", "rect", "line", "circle", "text")}


def with_defaults(kind: str, **changes: str) -> dict[str, str]:
    return {"kind": kind, **KINDS[kind], **changes}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_starts_with_valid_parameters(kind):
    check(with_defaults(kind))


def test_the_text_alternative_says_what_a_bar_model_shows():
    attrs = with_defaults("bar-part-whole", values='["?", "", ""]')
    assert text_alternative(attrs) == "Bar model: whole 24 split into 3 equal parts, one part unknown"


def test_the_text_alternative_of_a_double_number_line_pairs_the_values():
    attrs = with_defaults("double-number-line", top='["3", "12"]', bottom='["£1.20", "?"]')
    assert text_alternative(attrs) == "Double number line, Pencils and Cost (£): 3 with £1.20; 12 with ?"


@pytest.mark.parametrize(("key", "value"), [
    ("onclick", "alert(1)"),          # no such attribute
    ("kind", "iframe"),               # not a kind we draw
    ("parts", "21"),                  # at most 20 parts
    ("parts", "0"),
    ("parts", "1e3"),
    ("intervals", "٣"),               # digits of another script
    ("whole", "x" * 25),              # labels are short
    ("caption", "a\x00b"),            # no control characters
    ("top", '["1"' + ',"2"' * 20 + "]"),  # at most 20 columns
    ("top", '"not a list"'),
    ("top", "[1, 2]"),                # lists of strings
    ("top", "[NaN]"),
    ("units", '["0"]'),               # a bar has at least one unit
    ("start", "1e400"),               # numbers of sane size
    ("end", "12345678901"),
    ("equal", "maybe"),
    ("whole", 24),                    # every attribute is text
])
def test_an_invalid_attribute_is_refused_with_a_reason(key, value):
    with pytest.raises(InvalidAttribute) as refused:
        check_attribute(key, value)
    assert str(refused.value)


def test_the_schema_hook_refuses_a_bad_representation_attribute_and_leaves_other_tags_alone():
    with pytest.raises(InvalidNode, match="no attribute"):
        check_node_attribute("representation", "href", "javascript:alert(1)")
    check_node_attribute("representation", "parts", "4")
    check_node_attribute("paragraph", "anything", "at all")


def _assert_safe_svg(markup: str) -> None:
    root = ET.fromstring(markup)  # well-formed XML
    assert root.tag == f"{SVG}svg"
    for element in root.iter():
        assert element.tag in ALLOWED_ELEMENTS, element.tag
        for name in element.attrib:
            assert not name.lower().startswith("on") and "href" not in name.lower()
    assert "<script" not in markup.lower() and "foreignobject" not in markup.lower()


labels = st.text(max_size=30)
lists = st.one_of(st.lists(labels, max_size=25).map(json.dumps), st.text(max_size=40),
                  st.lists(st.one_of(st.integers(-5, 30).map(str), st.floats(allow_nan=True)), max_size=25)
                  .map(lambda items: json.dumps(items, allow_nan=True)))
values = st.one_of(labels, lists, st.integers(-5, 30).map(str), st.sampled_from(["?", "", "-0.00005", "999999999"]))
params = st.fixed_dictionaries({"kind": st.sampled_from([*KINDS, "nonsense"])},
                               optional={key: values for key in FIELDS if key != "kind"})


@settings(max_examples=300, deadline=None)
@given(attrs=params)
def test_any_parameters_at_all_draw_a_safe_svg_and_never_crash(attrs):
    markup = drawing.svg(attrs)
    _assert_safe_svg(markup)
    assert text_alternative(attrs)
    assert drawing.figure_html(attrs).startswith('<figure class="representation">')
    with contextlib.suppress(InvalidAttribute):  # refused or not: drawn all the same
        check(attrs)


@settings(max_examples=200, deadline=None)
@given(key=st.text(max_size=12) | st.sampled_from(list(FIELDS)), value=values | st.integers() | st.none())
def test_checking_any_attribute_either_passes_or_refuses_cleanly(key, value):
    try:
        check_attribute(key, value)
    except InvalidAttribute:
        return
    assert key in FIELDS and isinstance(value, str)


def test_the_png_for_word_documents_is_drawn():
    png = drawing.png(with_defaults("double-number-line"))
    assert png.startswith(b"\x89PNG")


def test_the_parameters_table_names_each_field():
    rows = dict(drawing.parameter_rows(with_defaults("ratio-table")))
    assert rows["Kind"] == "Ratio table" and rows["Top values"] == "200, 100, 300"


# The browser draws with static/src/_repr-draw.js: the same shapes, numbers and text, character for character.
TWIN_SCRIPT = """
import { svg, textAlternative } from %s
let input = ''
process.stdin.on('data', (chunk) => { input += chunk })
process.stdin.on('end', () => {
  console.log(JSON.stringify(JSON.parse(input).map((a) => [svg(a), textAlternative(a)])))
})
"""


def _drawn_in_javascript(cases: list[dict]) -> list[list[str]]:
    script = TWIN_SCRIPT % json.dumps((ROOT / "static/src/_repr-draw.js").as_uri())
    result = subprocess.run(["node", "--input-type=module", "-e", script], input=json.dumps(cases),
                            capture_output=True, text=True, check=True, timeout=60)
    return json.loads(result.stdout)


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js")
def test_the_browser_and_the_exports_draw_the_same_picture():
    cases = [with_defaults(kind) for kind in KINDS] + [
        with_defaults("bar-part-whole", equal="no", values='["15", "9", "0.5"]'),
        with_defaults("number-line", start="0", end="0.625", intervals="20"),  # ties in rounding: 0.03125
        with_defaults("number-line", start="-0.00005", end="3", intervals="7"),
        with_defaults("double-number-line", top='["a😀b\\u0001", "<&>\'\\""]', bottom='["1e5", "2"]'),
        with_defaults("bar-comparison", labels='["x","y","z"]', units='["5","2","20"]', difference="?"),
        with_defaults("place-value", headings=json.dumps(list("abcdefghijkl")), values='["9","8","7"]',
                      counters="yes"),
        with_defaults("array", rows="7", columns="13"),
        with_defaults("area-model", rowParts='["0.3","100"]', columnParts="[]", cells='["?"]'),
        with_defaults("fraction-wall", denominators='["20","7","99"]', shaded='["25","3"]', fractionLabels="no"),
        {"kind": "nonsense", "parts": "7"},
    ]
    expected = [[drawing.svg(case), representations.text_alternative(case)] for case in cases]
    assert _drawn_in_javascript(cases) == expected
