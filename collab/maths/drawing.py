"""A representation drawn from its parameters: a list of shapes, then SVG (HTML and PDF exports) or PNG (DOCX).

The twin of `static/src/_repr-draw.js`, shape for shape and number for number: the browser and the exports draw
the same picture (tests/maths/test_drawing.py compares the two SVGs). Change both together.

The SVG is safe to inline in any page: only rect, line, circle and text elements with numeric or fixed
attributes; every piece of text is escaped; no scripts, links, styles or foreign objects.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping

from collab.maths.representations import (
    FIELDS,
    KIND_NAMES,
    KINDS,
    MAX_CAPTION_CHARS,
    MAX_ITEMS,
    UNKNOWN,
    clamp_count,
    count_of,
    kind_of,
    list_of,
    number,
    number_line_ticks,
    text_alternative,
    text_of,
)

WIDTH = 480
INK = "#1f2937"
BLUE = "#dbeafe"
YELLOW = "#fef3c7"
GREY = "#f3f4f6"
WHITE = "#ffffff"
SHADE = "#93c5fd"
DOT = "#2563eb"

Shape = tuple  # ("rect", x, y, w, h, fill, dashed) | ("line", x1, y1, x2, y2) | ("text", x, y, s, anchor, strong)
# | ("circle", cx, cy, r, fill)


def _fill(label: str, usual: str) -> str:
    return YELLOW if label == UNKNOWN else usual


def _text(x: float, y: float, label: str, anchor: str = "middle") -> Shape:
    return ("text", x, y, label, anchor, label == UNKNOWN)


def _padded(labels: list[str], n: int) -> list[str]:
    return (labels + [""] * n)[:n]


def weights(labels: list[str], n: int) -> list[float]:
    """Shares of a length: in proportion to the labels when every one is a positive number, else equal; none
    thinner than a twentieth, so every part stays visible."""
    values = [number(labels[i]) if i < len(labels) else None for i in range(n)]
    raw = [1.0] * n
    if all(v is not None and v > 0 for v in values):
        raw = [float(v) for v in values if v is not None]
    total = _sum(raw)
    shares = [max(r / total, 0.05) for r in raw]
    spread = _sum(shares)
    return [s / spread for s in shares]


def _sum(values: list[float]) -> float:
    total = 0.0
    for v in values:
        total += v
    return total


def shapes(attrs: Mapping[str, object]) -> tuple[float, list[Shape]]:
    """(height, shapes) of the drawing; the width is always WIDTH."""
    return _DRAW[kind_of(attrs)](attrs)


def _bar_part_whole(attrs: Mapping[str, object]) -> tuple[float, list[Shape]]:
    parts = count_of(attrs, "parts", 1, MAX_ITEMS, 1)
    values = _padded(list_of(attrs, "values"), parts)
    widths = weights(values, parts) if text_of(attrs, "equal") == "no" else [1 / parts] * parts
    whole = text_of(attrs, "whole")
    out: list[Shape] = [("line", 20, 30, 460, 30), ("line", 20, 24, 20, 36), ("line", 460, 24, 460, 36)]
    if whole:
        out.append(_text(240, 18, whole))
    x = 20.0
    for value, share in zip(values, widths, strict=True):
        w = 440 * share
        out.append(("rect", x, 44, w, 44, _fill(value, BLUE), False))
        out.append(_text(x + w / 2, 71, value))
        x += w
    return 100, out


def _bar_comparison(attrs: Mapping[str, object]) -> tuple[float, list[Shape]]:
    labels = list_of(attrs, "labels", 10)
    n = len(labels)
    given = list_of(attrs, "units", 10)
    units = [clamp_count(given[i] if i < len(given) else "", 1, MAX_ITEMS, 1) for i in range(n)]
    values = _padded(list_of(attrs, "values", 10), n)
    unit = 280 / max(units + [1])
    out: list[Shape] = []
    for i in range(n):
        y = 12 + i * 52
        out.append(_text(110, y + 23, labels[i], "end"))
        for u in range(units[i]):
            out.append(("rect", 120 + u * unit, y, unit, 36, BLUE, False))
        if values[i]:
            out.append(_text(408, y + 23, values[i], "start"))
    difference = text_of(attrs, "difference")
    if difference and n >= 2 and units[0] != units[1]:
        shorter = 0 if units[0] < units[1] else 1
        y = 12 + shorter * 52
        x = 120 + min(units[0], units[1]) * unit
        w = abs(units[0] - units[1]) * unit
        out.append(("rect", x, y, w, 36, _fill(difference, "none"), True))
        out.append(_text(x + w / 2, y + 23, difference))
    return (16 + n * 52 if n else 40), out


def _positions(top: list[str], bottom: list[str], n: int) -> list[float]:
    """Where each column of a double number line sits: to scale by whichever line is all numbers, else evenly."""
    if n == 1:
        return [295]
    for line in (top, bottom):
        values = [number(v) for v in line]
        if n and all(v is not None for v in values):
            known = [float(v) for v in values if v is not None]
            low, high = min(0.0, min(known)), max(known)
            if high > low:
                return [140 + (v - low) / (high - low) * 310 for v in known]
    return [140 + i * 310 / (n - 1) for i in range(n)]


def _two_rows(attrs: Mapping[str, object]) -> tuple[list[str], list[str], int]:
    top, bottom = list_of(attrs, "top", MAX_ITEMS), list_of(attrs, "bottom", MAX_ITEMS)
    n = max(len(top), len(bottom))
    return _padded(top, n), _padded(bottom, n), n


def _double_number_line(attrs: Mapping[str, object]) -> tuple[float, list[Shape]]:
    top, bottom, n = _two_rows(attrs)
    out: list[Shape] = [("line", 130, 50, 460, 50), ("line", 130, 110, 460, 110),
                        _text(120, 54, text_of(attrs, "topLabel"), "end"),
                        _text(120, 114, text_of(attrs, "bottomLabel"), "end")]
    for x, t, b in zip(_positions(top, bottom, n), top, bottom, strict=True):
        out += [("line", x, 43, x, 57), ("line", x, 103, x, 117), _text(x, 36, t), _text(x, 134, b)]
    return 146, out


def _ratio_table(attrs: Mapping[str, object]) -> tuple[float, list[Shape]]:
    top, bottom, n = _two_rows(attrs)
    cw = min(64, 320 / max(n, 1))
    out: list[Shape] = []
    for row, (label, line) in enumerate(((text_of(attrs, "topLabel"), top), (text_of(attrs, "bottomLabel"), bottom))):
        y = 10 + row * 36
        out += [("rect", 20, y, 120, 36, GREY, False), _text(28, y + 23, label, "start")]
        for i, value in enumerate(line):
            x = 140 + i * cw
            out += [("rect", x, y, cw, 36, _fill(value, WHITE), False), _text(x + cw / 2, y + 23, value)]
    return 92, out


def _number_line(attrs: Mapping[str, object]) -> tuple[float, list[Shape]]:
    ticks = number_line_ticks(attrs)
    intervals = len(ticks) - 1
    out: list[Shape] = [("line", 30, 50, 450, 50)]
    for i, label in enumerate(ticks):
        x = 30 + i * 420 / intervals
        out += [("line", x, 42, x, 58), _text(x, 78, label)]
    return 92, out


def _place_value(attrs: Mapping[str, object]) -> tuple[float, list[Shape]]:
    headings = list_of(attrs, "headings", 12)
    n = len(headings)
    values = _padded(list_of(attrs, "values", 12), n)
    cw = min(80, 440 / max(n, 1))
    counters = text_of(attrs, "counters") == "yes"
    dx = min(16, cw / 3)
    out: list[Shape] = []
    for i in range(n):
        x = 20 + i * cw
        value = values[i]
        out += [("rect", x, 10, cw, 30, GREY, False), _text(x + cw / 2, 30, headings[i]),
                ("rect", x, 40, cw, 60, _fill(value, WHITE), False)]
        if counters and len(value) == 1 and value.isascii() and value.isdigit():
            for j in range(int(value)):
                out.append(("circle", x + cw / 2 + (j % 3 - 1) * dx, 54 + (j // 3) * 16, dx * 0.4, DOT))
        else:
            out.append(_text(x + cw / 2, 76, value))
    return 110, out


def _array(attrs: Mapping[str, object]) -> tuple[float, list[Shape]]:
    rows = count_of(attrs, "rows", 1, MAX_ITEMS, 1)
    columns = count_of(attrs, "columns", 1, MAX_ITEMS, 1)
    s = min(22, 440 / columns, 300 / rows)
    out: list[Shape] = [("circle", 20 + s * j + s / 2, 10 + s * i + s / 2, s * 0.3, DOT)
                        for i in range(rows) for j in range(columns)]
    return 20 + s * rows, out


def _area_model(attrs: Mapping[str, object]) -> tuple[float, list[Shape]]:
    row_parts, column_parts = list_of(attrs, "rowParts", 6), list_of(attrs, "columnParts", 6)
    rows, columns = max(len(row_parts), 1), max(len(column_parts), 1)
    row_parts, column_parts = _padded(row_parts, rows), _padded(column_parts, columns)
    cells = _padded(list_of(attrs, "cells", 36), rows * columns)
    heights, widths = weights(row_parts, rows), weights(column_parts, columns)
    out: list[Shape] = []
    y = 30.0
    for i in range(rows):
        h = 160 * heights[i]
        x = 80.0
        for j in range(columns):
            w = 380 * widths[j]
            cell = cells[i * columns + j]
            out += [("rect", x, y, w, h, _fill(cell, WHITE), False), _text(x + w / 2, y + h / 2 + 5, cell)]
            x += w
        out.append(_text(70, y + h / 2 + 5, row_parts[i], "end"))
        y += h
    x = 80.0
    for j in range(columns):
        w = 380 * widths[j]
        out.append(_text(x + w / 2, 22, column_parts[j]))
        x += w
    return 200, out


def _fraction_wall(attrs: Mapping[str, object]) -> tuple[float, list[Shape]]:
    denominators = [clamp_count(d, 1, MAX_ITEMS, 1) for d in list_of(attrs, "denominators", 12)]
    shaded = list_of(attrs, "shaded", 12)
    labelled = text_of(attrs, "fractionLabels") != "no"
    out: list[Shape] = []
    for i, d in enumerate(denominators):
        y = 10 + i * 32
        w = 440 / d
        k = min(clamp_count(shaded[i] if i < len(shaded) else "", 0, MAX_ITEMS, 0), d)
        for j in range(d):
            out.append(("rect", 20 + j * w, y, w, 28, SHADE if j < k else WHITE, False))
            if labelled and w >= 20:
                out.append(_text(20 + j * w + w / 2, y + 19, "1" if d == 1 else f"1/{d}"))
    return max(20 + len(denominators) * 32, 40), out


_DRAW = {
    "bar-part-whole": _bar_part_whole, "bar-comparison": _bar_comparison,
    "double-number-line": _double_number_line, "ratio-table": _ratio_table, "number-line": _number_line,
    "place-value": _place_value, "array": _array, "area-model": _area_model, "fraction-wall": _fraction_wall,
}


# --- SVG ----------------------------------------------------------------------------------------------

def num(value: float) -> str:
    """A coordinate as JavaScript prints Math.round(value * 100) / 100."""
    rounded = math.floor(value * 100 + 0.5) / 100
    return str(int(rounded)) if rounded.is_integer() else repr(rounded)


def escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("'", "&#39;"))


def _svg_shape(shape: Shape) -> str:
    kind = shape[0]
    if kind == "rect":
        _, x, y, w, h, fill, dashed = shape
        dash = ' stroke-dasharray="4 3"' if dashed else ""
        return (f'<rect x="{num(x)}" y="{num(y)}" width="{num(w)}" height="{num(h)}" fill="{fill}" '
                f'stroke="{INK}"{dash}/>')
    if kind == "line":
        _, x1, y1, x2, y2 = shape
        return f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}" stroke="{INK}"/>'
    if kind == "circle":
        _, cx, cy, r, fill = shape
        return f'<circle cx="{num(cx)}" cy="{num(cy)}" r="{num(r)}" fill="{fill}"/>'
    _, x, y, label, anchor, strong = shape
    if not label:
        return ""
    bold = ' font-weight="bold"' if strong else ""
    return f'<text x="{num(x)}" y="{num(y)}" text-anchor="{anchor}"{bold}>{escape(label)}</text>'


def svg(attrs: Mapping[str, object]) -> str:
    """The drawing as an SVG element, with its text alternative as aria-label and <title>."""
    height, drawn = shapes(attrs)
    alt = escape(text_alternative(attrs))
    body = "".join(_svg_shape(s) for s in drawn)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {num(height)}" width="{WIDTH}" '
            f'height="{num(height)}" role="img" aria-label="{alt}" font-family="sans-serif" font-size="13" '
            f'fill="{INK}"><title>{alt}</title>{body}</svg>')


# --- PNG (for DOCX) -----------------------------------------------------------------------------------

def png(attrs: Mapping[str, object], scale: int = 2) -> bytes:
    """The same shapes drawn with Pillow, for documents that cannot hold SVG (Word)."""
    from PIL import Image, ImageDraw, ImageFont  # imported on use, like WeasyPrint

    height, drawn = shapes(attrs)
    image = Image.new("RGB", (WIDTH * scale, max(1, math.ceil(height * scale))), WHITE)
    pen = ImageDraw.Draw(image)
    font, bold = _font(ImageFont, 13 * scale, False), _font(ImageFont, 13 * scale, True)

    def at(value: float) -> float:
        return value * scale

    for shape in drawn:
        if shape[0] == "rect":
            _, x, y, w, h, fill, _dashed = shape
            pen.rectangle((at(x), at(y), at(x + w), at(y + h)), fill=None if fill == "none" else fill,
                          outline=INK, width=scale)
        elif shape[0] == "line":
            _, x1, y1, x2, y2 = shape
            pen.line((at(x1), at(y1), at(x2), at(y2)), fill=INK, width=scale)
        elif shape[0] == "circle":
            _, cx, cy, r, fill = shape
            pen.ellipse((at(cx - r), at(cy - r), at(cx + r), at(cy + r)), fill=fill)
        elif shape[3]:
            _, x, y, label, anchor, strong = shape
            pen.text((at(x), at(y)), label, fill=INK, font=bold if strong else font,
                     anchor={"start": "ls", "end": "rs"}.get(anchor, "ms"))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _font(image_font, size: int, bold: bool):
    """DejaVu Sans when the machine has it (it has £, ×, ÷ and fractions), else Pillow's own font."""
    try:
        return image_font.truetype("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf", size)
    except OSError:
        return image_font.load_default(size=size)


# --- in exports -----------------------------------------------------------------------------------------------

def figure_html(attrs: Mapping[str, object]) -> str:
    """The drawing and its caption, for the version view and the PDF (WeasyPrint draws inline SVG)."""
    caption = text_of(attrs, "caption", MAX_CAPTION_CHARS)
    under = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f'<figure class="representation">{svg(attrs)}{under}</figure>'


def add_to_docx(container, attrs: Mapping[str, object]) -> None:
    """The drawing as a picture in a Word document (python-docx `container`: the document or a cell), then its
    caption, and the text alternative (Word's alt text is not read by every reader; the text is, and it prints).
    Should Pillow fail, a table of the parameters stands in for the picture."""
    from docx.shared import Pt

    try:
        picture = png(attrs)
    except Exception:  # noqa: BLE001  (a drawing that cannot be drawn must not stop the export)
        picture = None
    if picture is not None:
        container.add_paragraph().add_run().add_picture(io.BytesIO(picture), width=Pt(WIDTH * 0.75))
    else:
        table = container.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in parameter_rows(attrs):
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value
    caption = text_of(attrs, "caption", MAX_CAPTION_CHARS)
    if caption:
        container.add_paragraph(caption)
    container.add_paragraph(text_alternative(attrs)).runs[0].italic = True


def parameter_rows(attrs: Mapping[str, object]) -> list[tuple[str, str]]:
    """(field name, value) of each parameter of the drawing's kind, lists joined with commas."""
    kind = kind_of(attrs)
    rows = [("Kind", KIND_NAMES[kind])]
    for key in KINDS[kind]:
        spec = FIELDS[key]
        value = ", ".join(list_of(attrs, key)) if spec.kind in ("labels", "counts") else text_of(attrs, key)
        rows.append((spec.label, value))
    return rows
