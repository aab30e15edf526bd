"""The year's exports for the hub's evaluation: CSV (the register person by person; the figures) and PDF.

CSV cells a spreadsheet would read as a formula (starting = + - @, or a tab or carriage return) are prefixed with
a quote: names and titles are typed by people, and "=HYPERLINK(...)" in a session title must stay text. The
files start with a byte-order mark so Excel reads them as UTF-8."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable

from flask import render_template

from collab.groups.models import WorkGroup
from collab.plans.export import html_pdf, xml_text
from collab.reports import services
from collab.reports.services import YearFigures
from collab.timeutil import to_london, uk_date

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A cell a spreadsheet shows as text: strings starting like a formula get a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(header: list[str], rows: Iterable[Iterable[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell("" if cell is None else cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def percent(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def attendance_csv(group: WorkGroup) -> bytes:
    header = ["Date", "Time", "Session", "Kind of session", "Person", "Email", "School", "Role in the Work Group",
              "Reply", "Attendance"]
    return write_csv(header, ([to_london(r.starts_at).strftime("%d/%m/%Y"), to_london(r.starts_at).strftime("%H:%M"),
                               r.session_title, r.kind.label, r.person, r.email, r.school, r.role, r.reply,
                               r.presence] for r in services.attendance_rows(group)))


def summary_rows(figures: YearFigures) -> list[list[object]]:
    group = figures.group
    rows: list[list[object]] = [
        ["Work Group", "Project code", group.project_code],
        ["Work Group", "Title", group.title],
        ["Work Group", "School year", group.school_year],
        ["Work Group", "Figures at", to_london(figures.at).strftime("%d/%m/%Y %H:%M")],
        ["Sessions", "Held", len(figures.held)],
        ["Sessions", "Planned (still to come)", len(figures.planned)],
    ]
    rows += [["Sessions by kind", f"{k.kind.label}: held", k.held] for k in figures.kinds]
    rows += [["Sessions by kind", f"{k.kind.label}: still to come", k.planned] for k in figures.kinds]
    total = figures.tally
    rows += [
        ["Attendance", "Present (people × sessions)", total.present],
        ["Attendance", "Apologies", total.apologies],
        ["Attendance", "Absent", total.absent],
        ["Attendance", "Attendance rate (%)", percent(total.rate)],
        ["Attendance", "Held sessions not marked", len(figures.unmarked_held)],
    ]
    for s in figures.held:
        rows.append(["Attendance rate by session (%)",
                     f"{uk_date(s.starts_at)} {s.title}", percent(s.tally.rate)])
    for school in figures.schools:
        rows += [
            ["Participation by school", f"{school.name}: members", school.members],
            ["Participation by school", f"{school.name}: present (people × sessions)", school.tally.present],
            ["Participation by school", f"{school.name}: attendance rate (%)", percent(school.tally.rate)],
            ["Participation by school", f"{school.name}: sessions hosted", school.hosted],
            ["Participation by school", f"{school.name}: development-plan reviews given", school.reviews],
        ]
    rows += [
        ["Research cycles", "Finished", figures.cycles_finished],
        ["Research cycles", "In progress", figures.cycles_in_progress],
        ["Agreed actions", "Agreed", figures.actions_agreed],
        ["Agreed actions", "Done", figures.actions_done],
        ["Development plans", "Critique rounds", figures.rounds],
        ["Development plans", "Reviews given", figures.reviews],
        ["Lesson observation visits", "Set up", figures.visits_set_up],
        ["Lesson observation visits", "Held", figures.visits_held],
    ]
    return rows


def summary_csv(figures: YearFigures) -> bytes:
    return write_csv(["Section", "Figure", "Value"], summary_rows(figures))


def filename(group: WorkGroup, what: str, extension: str) -> str:
    text = unicodedata.normalize("NFKD", f"{group.project_code} {group.school_year} {what}")
    stem = re.sub(r"[^A-Za-z0-9]+", "-", text.encode("ascii", "ignore").decode()).strip("-").lower()
    return f"{stem or 'work-group'}.{extension}"


def year_pdf(figures: YearFigures, charts: dict) -> bytes:
    group = figures.group
    meta = [("Project code", group.project_code), ("School year", group.school_year), ("Focus", group.focus),
            ("Figures at", to_london(figures.at).strftime("%d/%m/%Y %H:%M"))]
    html = render_template("reports/year_pdf.html", figures=figures, charts=charts,
                           meta=[(k, xml_text(v)) for k, v in meta if v])
    return html_pdf(html)
