"""What one element of the whiteboard may hold: the server's check of the board's Excalidraw elements.

The board is the root XmlFragment "whiteboard" of the workspace document; each Excalidraw element is one XmlElement
`boardElement` whose attribute `json` is the element as JSON (static/src/_excalidraw-binding.js writes exactly the
keys of KEYS, in ELEMENT_TYPES only). The document store checks every attribute an update writes on an element
named `boardElement` (collab.maths.schema.VALIDATORS -> `check_attribute`): an update writing anything else is
refused as malformed, and nothing of it is stored.

Refused: an element that is not a JSON object, a type we do not draw (image, embeddable, iframe, frame...), a
key we do not know, a key its type cannot be drawn without (REQUIRED_BY_TYPE: a line's points, a text's text and
font), a wrong type or an out-of-bounds number, too many points, text over MAX_TEXT characters, a link that is not
http(s), a file (images are not taken on the board), custom data beyond a small flat object.
"""

from __future__ import annotations

import json
import math
import re

TAG = "boardElement"
ATTRIBUTE = "json"
MAX_JSON_CHARS = 5000  # the live limit of any value (COLLAB_MAX_VALUE_CHARS) is the same
MAX_TEXT = 1000
MAX_POINTS = 400
MAX_GROUPS = 10
MAX_BOUND = 50
MAX_INDEX = 64  # a fractional index's characters (the page cuts longer ones: _excalidraw-binding.js shortIndex)
MAX_COORDINATE = 1e7
ELEMENT_TYPES = frozenset(("rectangle", "diamond", "ellipse", "arrow", "line", "freedraw", "text"))
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_COLOUR = re.compile(r"^(transparent|#[0-9a-fA-F]{3,8}|[a-z]{3,20})$")
_INDEX = re.compile(r"^[A-Za-z0-9]{1,200}$")
_LINK = re.compile(r"^https?://[^\s<>\"'`\\]{1,2000}$")


class InvalidElement(ValueError):
    """A board element the board may not hold."""


def _number(value: object, low: float = -MAX_COORDINATE, high: float = MAX_COORDINATE) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidElement("not a number")
    if not low <= value <= high:
        raise InvalidElement("a number out of bounds")


def _integer(value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**53:
        raise InvalidElement("not a whole number")


def _boolean(value: object) -> None:
    if not isinstance(value, bool):
        raise InvalidElement("not true or false")


def _string(limit: int, pattern: re.Pattern | None = None, nullable: bool = False):
    def check(value: object) -> None:
        if value is None and nullable:
            return
        if not isinstance(value, str) or len(value) > limit:
            raise InvalidElement("not a short text")
        if pattern is not None and not pattern.match(value):
            raise InvalidElement("not a value the board takes")
    return check


def _choice(*options: object):
    def check(value: object) -> None:
        if value not in options:
            raise InvalidElement("not one of the choices")
    return check


def _points(value: object) -> None:
    if not isinstance(value, list) or len(value) > MAX_POINTS:
        raise InvalidElement("too many points")
    for point in value:
        if not isinstance(point, list) or len(point) != 2:
            raise InvalidElement("a point is two numbers")
        _number(point[0])
        _number(point[1])


def _nullable_point(value: object) -> None:
    if value is not None:
        _points([value])


def _pressures(value: object) -> None:
    if not isinstance(value, list) or len(value) > MAX_POINTS:
        raise InvalidElement("too many pressures")
    for pressure in value:
        _number(pressure, 0, 1)


def _roundness(value: object) -> None:
    if value is None:
        return
    if not isinstance(value, dict) or set(value) - {"type", "value"}:
        raise InvalidElement("not a roundness")
    _choice(1, 2, 3)(value.get("type"))
    if "value" in value:
        _number(value["value"], 0, 1000)


def _group_ids(value: object) -> None:
    if not isinstance(value, list) or len(value) > MAX_GROUPS:
        raise InvalidElement("too many groups")
    for group in value:
        _string(64, _ID)(group)


def _bound_elements(value: object) -> None:
    if value is None:
        return
    if not isinstance(value, list) or len(value) > MAX_BOUND:
        raise InvalidElement("too many bound elements")
    for bound in value:
        if not isinstance(bound, dict) or set(bound) != {"id", "type"}:
            raise InvalidElement("not a bound element")
        _string(64, _ID)(bound["id"])
        _choice("arrow", "text")(bound["type"])


_BINDING_KEYS = frozenset(("elementId", "focus", "gap", "fixedPoint"))


def _binding(value: object) -> None:
    if value is None:
        return
    if not isinstance(value, dict) or set(value) - _BINDING_KEYS or "elementId" not in value:
        raise InvalidElement("not a binding")
    _string(64, _ID)(value["elementId"])
    for key in ("focus", "gap"):
        if key in value:
            _number(value[key])
    if value.get("fixedPoint") is not None:
        _points([value["fixedPoint"]])


def _link(value: object) -> None:
    """Only a web address: no javascript:, data:, or any other scheme (Excalidraw opens it on a click)."""
    if value is None:
        return
    if not isinstance(value, str) or not _LINK.match(value):
        raise InvalidElement("a link is an http(s) address")


def _custom_data(value: object) -> None:
    """A small flat object (what a representation is: {"representation": "bar-part-whole"})."""
    if not isinstance(value, dict) or len(value) > 8:
        raise InvalidElement("not custom data the board takes")
    for key, item in value.items():
        _string(40, _ID)(key)
        if isinstance(item, str):
            _string(200)(item)
        elif item is not None and not isinstance(item, bool):
            _number(item)


def _fixed_segments(value: object) -> None:
    """An elbow arrow's segments the user moved: [{start: [x, y], end: [x, y], index}]."""
    if value is None:
        return
    if not isinstance(value, list) or len(value) > MAX_BOUND:
        raise InvalidElement("too many segments")
    for segment in value:
        if not isinstance(segment, dict) or set(segment) != {"start", "end", "index"}:
            raise InvalidElement("not a segment")
        _points([segment["start"], segment["end"]])
        _integer(segment["index"])


def _nullable_boolean(value: object) -> None:
    if value is not None:
        _boolean(value)


def _line_height(value: object) -> None:
    _number(value, 0.5, 5)


_text = _string(MAX_TEXT)
_id = _string(64, _ID)
_nullable_id = _string(64, _ID, nullable=True)

# Every key an element may have, and its check (static/src/_excalidraw-binding.js KEYS: the same list).
KEYS = {
    "id": _id,
    "type": _choice(*sorted(ELEMENT_TYPES)),
    "x": _number,
    "y": _number,
    "width": lambda v: _number(v, 0, MAX_COORDINATE),
    "height": lambda v: _number(v, 0, MAX_COORDINATE),
    "angle": lambda v: _number(v, -100, 100),
    "strokeColor": _string(32, _COLOUR),
    "backgroundColor": _string(32, _COLOUR),
    "fillStyle": _choice("hachure", "cross-hatch", "solid", "zigzag"),
    "strokeWidth": lambda v: _number(v, 0, 100),
    "strokeStyle": _choice("solid", "dashed", "dotted"),
    "roundness": _roundness,
    "roughness": lambda v: _number(v, 0, 10),
    "opacity": lambda v: _number(v, 0, 100),
    "seed": _integer,
    "version": _integer,
    "versionNonce": _integer,
    "index": _string(MAX_INDEX, _INDEX, nullable=True),
    "isDeleted": _boolean,
    "groupIds": _group_ids,
    "frameId": _nullable_id,
    "boundElements": _bound_elements,
    "updated": _integer,
    "link": _link,
    "locked": _boolean,
    "customData": _custom_data,
    # text
    "fontSize": lambda v: _number(v, 1, 1000),
    "fontFamily": _choice(*range(1, 21)),
    "text": _text,
    "originalText": _text,
    "textAlign": _choice("left", "center", "right"),
    "verticalAlign": _choice("top", "middle", "bottom"),
    "containerId": _nullable_id,
    "autoResize": _boolean,
    "lineHeight": _line_height,
    # line, arrow and freedraw
    "points": _points,
    "lastCommittedPoint": _nullable_point,
    "startBinding": _binding,
    "endBinding": _binding,
    "startArrowhead": _choice(None, "arrow", "bar", "dot", "circle", "circle_outline", "triangle",
                              "triangle_outline", "diamond", "diamond_outline", "crowfoot_one", "crowfoot_many",
                              "crowfoot_one_or_many"),
    "endArrowhead": _choice(None, "arrow", "bar", "dot", "circle", "circle_outline", "triangle",
                            "triangle_outline", "diamond", "diamond_outline", "crowfoot_one", "crowfoot_many",
                            "crowfoot_one_or_many"),
    "elbowed": _boolean,
    "fixedSegments": _fixed_segments,
    "startIsSpecial": _nullable_boolean,
    "endIsSpecial": _nullable_boolean,
    "polygon": _boolean,
    "pressures": _pressures,
    "simulatePressure": _boolean,
}
REQUIRED = ("id", "type", "x", "y", "version")
# What a type cannot be drawn without. Excalidraw's restoreElements (0.18, data/restore.ts) gives every other key a
# default, but not these: a line or arrow without `points` throws before restore looks at it
# (isInvisiblySmallElement reads points.length), a freedraw also reads `pressures` point by point, and a text
# keeps a missing fontSize or fontFamily as undefined (drawn as "undefinedpx") and a missing text as deleted.
# The page always sends them: Excalidraw makes every element of these types with them.
REQUIRED_BY_TYPE = {
    "line": ("points",),
    "arrow": ("points",),
    "freedraw": ("points", "pressures"),
    "text": ("text", "fontSize", "fontFamily"),
}


def check_element(value: object) -> dict:
    """The element written as `value` (its JSON text), or InvalidElement."""
    if not isinstance(value, str) or len(value) > MAX_JSON_CHARS:
        raise InvalidElement("an element is a JSON text of at most 5,000 characters")
    try:
        element = json.loads(value, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise InvalidElement("not JSON") from exc
    if not isinstance(element, dict):
        raise InvalidElement("an element is a JSON object")
    for key in REQUIRED:
        if key not in element:
            raise InvalidElement(f"an element has a {key}")
    for key, item in element.items():
        check = KEYS.get(key)
        if check is None:
            raise InvalidElement("a key the board does not take")
        check(item)
    for key in REQUIRED_BY_TYPE.get(element["type"], ()):  # the type is one we draw: checked above
        if key not in element:
            raise InvalidElement(f"a {element['type']} element needs {key}")
    return element


def _no_constant(name: str) -> object:
    raise InvalidElement(f"{name} is not a number")


def check_attribute(key: str, value: object) -> None:
    """For collab.maths.schema: a `boardElement` holds only `json`, a valid element."""
    if key != ATTRIBUTE:
        raise InvalidElement("a board element holds only its JSON")
    check_element(value)
