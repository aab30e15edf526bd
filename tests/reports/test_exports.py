"""The exports for the hub's evaluation: attendance CSV, figures CSV (both safe in a spreadsheet) and the PDF."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from collab.reports import register
from collab.reports.export import safe_cell
from collab.reports.models import Presence
from tests import factories
from tests.plans.pdftext import pdf_text


def rows_of(response) -> list[list[str]]:
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_attendance_csv_has_a_row_per_person_per_held_session_with_their_school(client, world, year, login_as):
    login_as(world.lead)
    response = client.get(f"/groups/{world.group.id}/year/attendance.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    header, *rows = rows_of(response)
    assert header[:3] == ["Date", "Time", "Session"] and header[-4:] == ["School", "Role in the Work Group",
                                                                          "Reply", "Attendance"]
    table = {(r[2], r[4]): (r[6], r[9]) for r in rows}
    assert table == {
        ("Year 9 research lesson", "Alex Advocate"): ("Riverside School", "Present"),
        ("Year 9 research lesson", "Chris Colleague"): ("Riverside School", "Apologies"),
        ("Year 9 research lesson", "Sam Lead"): ("Castle Hill Academy", "Present"),
        ("Co-planning ratio tables", "Alex Advocate"): ("Riverside School", "Absent"),
        ("Co-planning ratio tables", "Sam Lead"): ("Castle Hill Academy", "Present"),
    }  # the transition session is still to come


def test_someone_invited_but_not_marked_is_listed_as_not_marked(client, world, login_as):
    held = factories.session(world.group, starts_in=timedelta(days=-1), attendees=[world.advocate])
    register.mark_attendance(world.lead, held, {world.lead.id: Presence.PRESENT})
    login_as(world.lead)
    _, *rows = rows_of(client.get(f"/groups/{world.group.id}/year/attendance.csv"))
    assert {(r[4], r[8], r[9]) for r in rows} == {("Alex Advocate", "Not yet replied", "Not marked"),
                                                 ("Sam Lead", "Not invited", "Present")}


def test_the_summary_csv_holds_the_figures(client, world, year, login_as):
    login_as(world.lead)
    rows = {(r[0], r[1]): r[2] for r in rows_of(client.get(f"/groups/{world.group.id}/year/summary.csv"))[1:]}
    assert rows[("Sessions", "Held")] == "2" and rows[("Sessions", "Planned (still to come)")] == "1"
    assert rows[("Attendance", "Attendance rate (%)")] == "60"
    assert rows[("Participation by school", "Riverside School: attendance rate (%)")] == "33.3"
    assert rows[("Research cycles", "Finished")] == "1"
    assert rows[("Agreed actions", "Done")] == "1" and rows[("Development plans", "Reviews given")] == "1"


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_quoted(client, world, login_as):
    evil = factories.user("evil@example.org", "=HYPERLINK(\"http://x\",\"y\")", world.school_a)
    factories.member(world.group, evil)
    held = factories.session(world.group, starts_in=timedelta(days=-1), attendees=[evil], title="+cmd|' /C calc'!A0")
    register.mark_attendance(world.lead, held, {evil.id: Presence.PRESENT})
    login_as(world.lead)
    _, row = rows_of(client.get(f"/groups/{world.group.id}/year/attendance.csv"))
    assert row[2] == "'+cmd|' /C calc'!A0" and row[4] == "'=HYPERLINK(\"http://x\",\"y\")"
    summary = rows_of(client.get(f"/groups/{world.group.id}/year/summary.csv"))
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in summary for cell in row)


def test_safe_cell_quotes_each_formula_start_and_leaves_the_rest():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert safe_cell(f"{start}1") == f"'{start}1"
    assert safe_cell("Riverside") == "Riverside" and safe_cell(-3) == -3


def test_the_pdf_holds_the_figures_and_the_charts(client, world, year, login_as):
    login_as(world.lead)
    response = client.get(f"/groups/{world.group.id}/year.pdf")
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    text = " ".join(pdf_text(response.data).split())
    for expected in ("the year at a glance", "NCP24-14b", "Attendance by session", "Year 9 research lesson",
                     "66.7%", "Participation by school", "Riverside School", "33.3%", "Research cycles finished"):
        assert expected in text
