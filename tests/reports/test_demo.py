"""The demo Work Group's held sessions have their registers marked, so its year shows real figures."""

from __future__ import annotations

from collab.demo.load import DEMO_PASSWORD
from collab.extensions import db
from collab.groups.models import WorkGroup
from collab.reports.services import year_figures


def test_the_demo_years_held_sessions_are_marked_but_todays_visit(demo):
    figures = year_figures(db.session.query(WorkGroup).one())
    marked = [s.title for s in figures.held if s.tally.marked]
    assert marked == ["Year 7 fractions of amounts: research lesson",  # the complete cycle's lesson, all present
                      "Year 9 proportional reasoning: research lesson",
                      "Co-planning: ratio tables and the double number line"]
    assert [s.title for s in figures.unmarked_held] == ["Year 8 ratio lesson: lesson observation visit"]
    assert figures.tally.present == 24 and figures.tally.apologies == 2 and figures.tally.absent == 1


def test_the_demo_lead_sees_the_years_figures(demo, client):
    client.post("/login", data={"email": "lead@example.org", "password": DEMO_PASSWORD})
    group = db.session.query(WorkGroup).one()
    html = client.get(f"/groups/{group.id}/year").text
    assert "88.9%" in html and "Attendance by session" in html
