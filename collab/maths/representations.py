"""Representations (bar models, double number lines, ratio tables and the rest): their parameters and text.

A representation is one block node, `representation`, in a co-edited document. Each parameter is its own node
attribute, so two people editing different fields of the same drawing both keep their edit (Yjs merges map
entries one by one). Every attribute is a string; a list (part labels, the values along a line) is a JSON array of
strings in one string, so that y-prosemirror compares it by value and does not rewrite it on every change.

Each attribute is checked on its own (`check_attribute`), never against the others: two people's edits, each
valid, may meet (five labels for three parts, say), so the drawing (`collab.maths.drawing`, and
`static/src/_repr-draw.js` in the browser, which must stay its twin) reads whatever it finds and never fails.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_DOWN, ROUND_HALF_UP, Decimal

TAG = "representation"
MAX_ITEMS = 20  # parts, columns, ticks, bars...
MAX_LABEL_CHARS = 24
MAX_CAPTION_CHARS = 200
MAX_NUMBER = 1e9
UNKNOWN = "?"
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
_NUMBER = re.compile(r"-?[0-9]{1,10}(\.[0-9]{1,6})?")


class InvalidAttribute(ValueError):
    """A representation attribute that is not one we draw: the reason says which and why."""


@dataclass(frozen=True)
class Field:
    kind: str  # label, text, number, count, choice, labels, counts
    label: str  # what the panel calls it
    low: int = 0
    high: int = 0
    items: int = 0  # for lists: at most this many
    options: tuple[str, ...] = ()


def _label(name: str) -> Field:
    return Field("label", name)


def _labels(name: str, items: int = MAX_ITEMS) -> Field:
    return Field("labels", name, items=items)


def _count(name: str, low: int, high: int) -> Field:
    return Field("count", name, low, high)


def _counts(name: str, low: int, high: int, items: int = MAX_ITEMS) -> Field:
    return Field("counts", name, low, high, items)


YES_NO = ("yes", "no")
KIND_NAMES = {
    "bar-part-whole": "Bar model (part–whole)",
    "bar-comparison": "Bar model (comparison)",
    "double-number-line": "Double number line",
    "ratio-table": "Ratio table",
    "number-line": "Number line",
    "place-value": "Place-value chart",
    "array": "Array",
    "area-model": "Area model",
    "fraction-wall": "Fraction wall",
}
# Every attribute any kind may have, with one meaning wherever it is used.
FIELDS: dict[str, Field] = {
    "kind": Field("choice", "Kind", options=tuple(KIND_NAMES)),
    "caption": Field("text", "Caption"),
    "whole": _label("Whole"),
    "parts": _count("Number of parts", 1, MAX_ITEMS),
    "equal": Field("choice", "Equal parts", options=YES_NO),
    "values": _labels("Values"),
    "labels": _labels("Labels", MAX_ITEMS + 1),
    "units": _counts("Units in each bar", 1, MAX_ITEMS, 10),
    "difference": _label("Difference"),
    "topLabel": _label("Top label"),
    "top": _labels("Top values"),
    "bottomLabel": _label("Bottom label"),
    "bottom": _labels("Bottom values"),
    "start": Field("number", "Start"),
    "end": Field("number", "End"),
    "intervals": _count("Number of intervals", 1, MAX_ITEMS),
    "headings": _labels("Column headings", 12),
    "counters": Field("choice", "Show counters", options=YES_NO),
    "rows": _count("Rows", 1, MAX_ITEMS),
    "columns": _count("Columns", 1, MAX_ITEMS),
    "rowParts": _labels("Row parts", 6),
    "columnParts": _labels("Column parts", 6),
    "cells": _labels("Cells", 36),
    "denominators": _counts("Rows split into", 1, MAX_ITEMS, 12),
    "shaded": _counts("Parts shaded in each row", 0, MAX_ITEMS, 12),
    "fractionLabels": Field("choice", "Label the parts", options=YES_NO),
}
# Which fields each kind has, in the panel's order, and the values a new one starts with.
KINDS: dict[str, dict[str, str]] = {
    "bar-part-whole": {"whole": "24", "parts": "3", "equal": "yes", "values": '["?","",""]'},
    "bar-comparison": {"labels": '["A","B"]', "units": '["3","1"]', "values": '["?","12"]', "difference": ""},
    "double-number-line": {"topLabel": "Pencils", "top": '["0","3","6","12"]', "bottomLabel": "Cost (£)",
                           "bottom": '["0","1.20","2.40","?"]'},
    "ratio-table": {"topLabel": "Flour (g)", "top": '["200","100","300"]', "bottomLabel": "Sugar (g)",
                    "bottom": '["150","75","?"]'},
    "number-line": {"start": "0", "end": "1", "intervals": "4", "labels": '["","?","","",""]'},
    "place-value": {"headings": '["Th","H","T","O"]', "values": '["3","0","?","5"]', "counters": "no"},
    "array": {"rows": "3", "columns": "4"},
    "area-model": {"rowParts": '["20","3"]', "columnParts": '["10","4"]', "cells": '["200","80","30","?"]'},
    "fraction-wall": {"denominators": '["1","2","3","4"]', "shaded": '["0","1","0","2"]', "fractionLabels": "yes"},
}


def check_attribute(key: str, value: object) -> None:
    """Raise InvalidAttribute unless `value` is one the attribute `key` of a representation may hold."""
    spec = FIELDS.get(key)
    if spec is None:
        raise InvalidAttribute(f"a representation has no attribute {key[:40]!r}")
    if not isinstance(value, str):
        raise InvalidAttribute(f"a representation's {key} must be text")
    name = spec.label.lower()
    if spec.kind == "choice":
        if value not in spec.options:
            raise InvalidAttribute(f"a representation's {key} must be one of {', '.join(spec.options)}")
    elif spec.kind in ("label", "text"):
        _check_text(value, MAX_LABEL_CHARS if spec.kind == "label" else MAX_CAPTION_CHARS, name)
    elif spec.kind == "number":
        if value and number(value) is None:
            raise InvalidAttribute(f"the {name} must be a number of sane size")
    elif spec.kind == "count":
        _check_count(value, spec, name)
    else:
        items = _json_list(value, spec.items, name)
        for item in items:
            if spec.kind == "labels":
                _check_text(item, MAX_LABEL_CHARS, name)
            else:
                _check_count(item, spec, name)


def _check_text(value: object, limit: int, name: str) -> None:
    if not isinstance(value, str):
        raise InvalidAttribute(f"the {name} must be text")
    if len(value) > limit:
        raise InvalidAttribute(f"the {name} can be at most {limit} characters")
    if _CONTROL.search(value):
        raise InvalidAttribute(f"the {name} holds control characters")


def _check_count(value: object, spec: Field, name: str) -> None:
    if not isinstance(value, str) or not value.isascii() or not value.isdigit() or len(value) > 3 \
            or not spec.low <= int(value) <= spec.high:
        raise InvalidAttribute(f"the {name} must be a whole number from {spec.low} to {spec.high}")


def _json_list(value: str, limit: int, name: str) -> list:
    if len(value) > 4096:
        raise InvalidAttribute(f"the {name} are too long")
    try:
        items = json.loads(value, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise InvalidAttribute(f"the {name} must be a list") from exc
    if not isinstance(items, list):
        raise InvalidAttribute(f"the {name} must be a list")
    if len(items) > limit:
        raise InvalidAttribute(f"a representation can have at most {limit} {name}")
    return items


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")  # NaN, Infinity: Python reads them, JSON.parse does not


def check(attrs: Mapping[str, object]) -> None:
    """Raise InvalidAttribute unless every attribute is valid and the kind is known."""
    if attrs.get("kind") not in KINDS:
        raise InvalidAttribute("a representation needs a known kind")
    for key, value in attrs.items():
        check_attribute(key, value)


# --- reading parameters, leniently: whatever merged, the drawing draws --------------------------------

def number(text: object) -> float | None:
    """The number a label holds ("1.20", "-3"), or None ("?", "£2", "", or beyond ±1e9)."""
    if not isinstance(text, str) or not _NUMBER.fullmatch(text):
        return None
    value = float(text)
    return value if abs(value) <= MAX_NUMBER else None


def text_of(attrs: Mapping[str, object], key: str, limit: int = MAX_LABEL_CHARS) -> str:
    value = attrs.get(key)
    return _CONTROL.sub("", value)[:limit] if isinstance(value, str) else ""


def list_of(attrs: Mapping[str, object], key: str, limit: int = 36) -> list[str]:
    value = attrs.get(key)
    if not isinstance(value, str) or len(value) > 4096:
        return []
    try:
        items = json.loads(value, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        return []
    if not isinstance(items, list):
        return []
    return [_CONTROL.sub("", i)[:MAX_LABEL_CHARS] if isinstance(i, str) else "" for i in items[:limit]]


def count_of(attrs: Mapping[str, object], key: str, low: int, high: int, default: int) -> int:
    return clamp_count(attrs.get(key), low, high, default)


def clamp_count(value: object, low: int, high: int, default: int) -> int:
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 3:
        return min(max(int(value), low), high)
    return default


def format_value(value: float) -> str:
    """A computed value as a label: at most 4 decimal places, no trailing zeros (as JavaScript's toFixed(4),
    which rounds a tie upwards, then trimmed)."""
    exact = Decimal(value)
    rounded = exact.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP if value >= 0 else ROUND_HALF_DOWN)
    text = f"{rounded:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def kind_of(attrs: Mapping[str, object]) -> str:
    kind = attrs.get("kind")
    return kind if isinstance(kind, str) and kind in KINDS else "bar-part-whole"


# --- text alternative ---------------------------------------------------------------------------------

NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def _count_words(n: int, thing: str) -> str:
    word = NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)
    return f"{word} {thing}{'' if n == 1 else 's'}"


def _shown(label: str) -> str:
    return label if label else "blank"


def _joined(labels: list[str]) -> str:
    return ", ".join(_shown(label) for label in labels)


def _padded(labels: list[str], n: int) -> list[str]:
    return (labels + [""] * n)[:n]


def text_alternative(attrs: Mapping[str, object]) -> str:
    """What a screen reader says, and what an export without the drawing shows: built from the parameters."""
    kind = kind_of(attrs)
    if kind == "bar-part-whole":
        parts = count_of(attrs, "parts", 1, MAX_ITEMS, 1)
        values = _padded(list_of(attrs, "values"), parts)
        whole = text_of(attrs, "whole")
        equal = "equal " if text_of(attrs, "equal") != "no" else ""
        head = f"whole {whole}" if whole and whole != UNKNOWN else "whole unknown" if whole else "whole"
        text = f"Bar model: {head} split into {parts} {equal}part{'s' if parts != 1 else ''}"
        unknown = values.count(UNKNOWN)
        if unknown:
            text += f", {'all parts' if unknown == parts > 1 else _count_words(unknown, 'part')} unknown"
        if any(v and v != UNKNOWN for v in values):
            text += f"; parts: {_joined(values)}"
        return text
    if kind == "bar-comparison":
        labels = list_of(attrs, "labels", 10)
        units = list_of(attrs, "units", 10)
        values = list_of(attrs, "values", 10)
        bars = []
        for i, name in enumerate(labels):
            n = clamp_count(units[i] if i < len(units) else "", 1, MAX_ITEMS, 1)
            value = values[i] if i < len(values) else ""
            bars.append(f"{name or f'bar {i + 1}'} {n} unit{'s' if n != 1 else ''}"
                        + (f", total {value}" if value else ""))
        text = "Comparison bar model: " + ("; ".join(bars) if bars else "no bars")
        difference = text_of(attrs, "difference")
        return text + (f"; difference {difference}" if difference and len(labels) > 1 else "")
    if kind in ("double-number-line", "ratio-table"):
        top, bottom = list_of(attrs, "top", MAX_ITEMS), list_of(attrs, "bottom", MAX_ITEMS)
        n = max(len(top), len(bottom))
        pairs = [f"{_shown(t)} with {_shown(b)}" for t, b in zip(_padded(top, n), _padded(bottom, n), strict=True)]
        name = "Double number line" if kind == "double-number-line" else "Ratio table"
        top_label = text_of(attrs, "topLabel") or "top"
        bottom_label = text_of(attrs, "bottomLabel") or "bottom"
        return f"{name}, {top_label} and {bottom_label}: " + ("; ".join(pairs) if pairs else "no values")
    if kind == "number-line":
        ticks = number_line_ticks(attrs)
        intervals = len(ticks) - 1
        start, end = ticks[0], ticks[-1]
        return (f"Number line from {start} to {end} in {intervals} equal interval{'s' if intervals != 1 else ''}, "
                f"marked {_joined(ticks)}")
    if kind == "place-value":
        headings = list_of(attrs, "headings", 12)
        values = _padded(list_of(attrs, "values", 12), len(headings))
        cells = [f"{h or 'column'} {_shown(v)}" for h, v in zip(headings, values, strict=True)]
        counters = " with counters" if text_of(attrs, "counters") == "yes" else ""
        return f"Place-value chart{counters}: " + (", ".join(cells) if cells else "no columns")
    if kind == "array":
        rows = count_of(attrs, "rows", 1, MAX_ITEMS, 1)
        columns = count_of(attrs, "columns", 1, MAX_ITEMS, 1)
        return (f"Array of {rows} row{'s' if rows != 1 else ''} and {columns} column{'s' if columns != 1 else ''}"
                f" ({rows * columns} dots)")
    if kind == "area-model":
        row_parts, column_parts = list_of(attrs, "rowParts", 6), list_of(attrs, "columnParts", 6)
        cells = list_of(attrs, "cells", 36)
        rows, columns = max(len(row_parts), 1), max(len(column_parts), 1)
        return (f"Area model: rows split {_joined(row_parts) or 'not at all'}, columns split "
                f"{_joined(column_parts) or 'not at all'}; cells {_joined(_padded(cells, rows * columns))}")
    rows_of = [clamp_count(d, 1, MAX_ITEMS, 1) for d in list_of(attrs, "denominators", 12)]
    shaded = list_of(attrs, "shaded", 12)
    parts = []
    for i, d in enumerate(rows_of):
        k = min(clamp_count(shaded[i] if i < len(shaded) else "", 0, MAX_ITEMS, 0), d)
        parts.append(f"{d} part{'s' if d != 1 else ''}" + (f" ({k} shaded)" if k else ""))
    return "Fraction wall: rows of " + (", ".join(parts) if parts else "nothing")


def number_line_ticks(attrs: Mapping[str, object]) -> list[str]:
    """Each tick's label: the one given, else the value it stands for."""
    start = number(text_of(attrs, "start"))
    end = number(text_of(attrs, "end"))
    start = 0.0 if start is None else start
    end = start + 1 if end is None else end
    intervals = count_of(attrs, "intervals", 1, MAX_ITEMS, 1)
    labels = list_of(attrs, "labels", MAX_ITEMS + 1)
    ticks = []
    for i in range(intervals + 1):
        given = labels[i] if i < len(labels) else ""
        ticks.append(given or format_value(start + (end - start) * i / intervals))
    return ticks
