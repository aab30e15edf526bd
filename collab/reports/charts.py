"""Bar charts drawn on the server as SVG: readable with no JavaScript, in the page and in the PDF (WeasyPrint).

Horizontal bars, one row per category with its label above the bar (long labels fit a phone's width), stacked
when there are several series, an x axis with ticks and its title. The chart is role="img" named by its <title>
and <desc>; the page puts a data table with the same figures beside it. Every piece of text is escaped here."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 400  # viewBox units: scaled to the container, so the text is drawn at about a phone's body size
LEFT, RIGHT_ROOM = 4, 64  # room on the right for the value written after each bar
LABEL_SIZE, TICK_SIZE = 16, 14
BAR = 18
ROW = LABEL_SIZE + 6 + BAR + 12
MAX_LABEL = 44
TEXT = "#1b1b1b"
AXIS = "#505a5f"
COLOURS = ("#1d4f91", "#6f9bd1", "#b35c00", "#3d7a3d")  # 3:1 or more against white, next to each other too


@dataclass(frozen=True)
class Series:
    name: str


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple[float, ...]
    note: str = ""  # the value as written after the bar ("75%"); the sum by default


def nice_ticks(top: float, most: int = 5) -> list[float]:
    """0 up to at least `top`, in steps of 1, 2 or 5 times a power of ten, at most `most` steps."""
    if top <= 0:
        return [0, 1]
    raw = top / most
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if step < 1 and top >= 1:
        step = 1
    count = math.ceil(top / step - 1e-9)
    return [round(i * step, 6) for i in range(count + 1)]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1].rstrip() + "…"


def _text(x: float, y: float, text: str, size: int, anchor: str = "start", fill: str = TEXT,
          weight: str = "normal") -> str:
    return (f'<text x="{x:g}" y="{y:g}" font-size="{size}" text-anchor="{anchor}" fill="{fill}" '
            f'font-weight="{weight}" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif">'
            f"{escape(text)}</text>")


def bar_chart(chart_id: str, title: str, desc: str, rows: Sequence[Row], axis_label: str,
              series: Sequence[Series] = (), top: float | None = None) -> Markup:
    """An SVG bar chart. `chart_id` makes the ids of its title and description unique on the page; `top` fixes
    the end of the axis (100 for percentages), else it fits the largest row."""
    chart_id = "".join(c for c in chart_id if c.isalnum() or c in "-_") or "chart"
    plot = WIDTH - LEFT - RIGHT_ROOM
    ticks = nice_ticks(max([top or 0] + [sum(r.values) for r in rows]))
    end = ticks[-1]
    legend = len(series) > 1
    y: float = 26 if legend else 4
    parts: list[str] = []
    if legend:
        x: float = LEFT
        for i, s in enumerate(series):
            parts.append(f'<rect x="{x}" y="6" width="14" height="14" fill="{COLOURS[i % len(COLOURS)]}"/>')
            parts.append(_text(x + 19, 18, s.name, TICK_SIZE))
            x += 19 + 8 * len(s.name) + 18
    for row in rows:
        parts.append(_text(LEFT, y + LABEL_SIZE, _short(row.label), LABEL_SIZE))
        bar_y, x = y + LABEL_SIZE + 6, float(LEFT)
        for i, value in enumerate(row.values):
            width = plot * value / end if end else 0
            if width > 0:
                parts.append(f'<rect x="{x:.2f}" y="{bar_y}" width="{width:.2f}" height="{BAR}" '
                             f'fill="{COLOURS[i % len(COLOURS)]}"/>')
            x += width
        note = row.note or _number(sum(row.values))
        parts.append(_text(x + 6, bar_y + BAR - 4, note, TICK_SIZE, weight="bold"))
        y += ROW
    axis_y = y + 2
    parts.append(f'<line x1="{LEFT}" y1="{axis_y}" x2="{LEFT + plot}" y2="{axis_y}" stroke="{AXIS}" '
                 f'stroke-width="1"/>')
    for tick in ticks:
        tx = LEFT + plot * tick / end
        parts.append(f'<line x1="{tx:.2f}" y1="{axis_y}" x2="{tx:.2f}" y2="{axis_y + 5}" stroke="{AXIS}"/>')
        anchor = "start" if tick == 0 else ("end" if tick == end else "middle")
        parts.append(_text(tx, axis_y + 19, _number(tick), TICK_SIZE, anchor, fill=AXIS))
    parts.append(_text(LEFT + plot / 2, axis_y + 38, axis_label, TICK_SIZE, "middle"))
    height = axis_y + 46
    head = (f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
            f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">'
            f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>')
    return Markup(head + "".join(parts) + "</svg>")  # noqa: S704  (every text above went through escape)


# --- the year at a glance's charts ------------------------------------------------------------------------------

def _pct(value: float | None) -> str:
    return "not marked" if value is None else f"{value:g}%"


def year_charts(figures) -> dict[str, Markup]:
    """The charts of a YearFigures (collab.reports.services), by name; the page and the PDF draw the same."""
    from collab.timeutil import uk_date

    held_series = (Series("Held"), Series("Still to come"))
    kinds = [Row(k.kind.label, (k.held, k.planned), f"{k.held} + {k.planned}") for k in figures.kinds]
    sessions = [Row(f"{uk_date(s.starts_at)} {s.title}", (s.tally.rate or 0,),
                    f"{_pct(s.tally.rate)}") for s in figures.held]
    schools = [s for s in figures.schools if s.members or s.tally.marked]
    rates = [Row(s.name, (s.tally.rate or 0,), _pct(s.tally.rate)) for s in schools]
    present = [Row(s.name, (s.tally.present,)) for s in schools]
    work = [Row("Sessions held", (len(figures.held),)), Row("Lesson observation visits held", (figures.visits_held,)),
            Row("Research cycles finished", (figures.cycles_finished,)),
            Row("Actions agreed", (figures.actions_agreed,)), Row("Actions done", (figures.actions_done,)),
            Row("Development-plan reviews given", (figures.reviews,))]
    total = figures.tally
    return {
        "kinds": bar_chart(
            "chart-kinds", "Sessions by kind: held and still to come",
            f"{len(figures.held)} sessions held and {len(figures.planned)} still to come. "
            + "; ".join(f"{k.kind.label}: {k.held} held, {k.planned} to come" for k in figures.kinds),
            kinds, "Sessions", held_series),
        "sessions": bar_chart(
            "chart-sessions", "Attendance rate by session",
            f"Present as a share of the people marked, for each of the {len(figures.held)} sessions held. "
            f"Over the year: {_pct(total.rate)}.", sessions, "Attendance rate (%)", top=100),
        "school_rates": bar_chart(
            "chart-school-rates", "Attendance rate by school",
            "Present as a share of the people marked, for each school's people. "
            + "; ".join(f"{s.name}: {_pct(s.tally.rate)}" for s in schools), rates, "Attendance rate (%)", top=100),
        "school_present": bar_chart(
            "chart-school-present", "Participation by school: attendances",
            "How many times each school's people were present at a session. "
            + "; ".join(f"{s.name}: {s.tally.present}" for s in schools), present, "People present (all sessions)"),
        "work": bar_chart(
            "chart-work", "The year's work",
            "; ".join(f"{r.label}: {int(r.values[0])}" for r in work), work, "Count"),
    }
