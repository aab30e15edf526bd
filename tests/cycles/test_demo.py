"""The demo Work Group has a research theme and one cycle in progress."""

from __future__ import annotations

from collab.cycles import services, timeline
from collab.cycles.models import ResearchCycle
from collab.cycles.study import writers
from collab.demo.load import DEMO_PASSWORD, load_demo
from collab.extensions import db
from collab.groups.models import WorkGroup


def test_the_demo_cycle_has_its_study_written_its_plan_linked_and_its_visit_planned(app):
    load_demo()
    cycle = db.session.query(ResearchCycle).one()
    names, _ = writers(cycle.study)
    assert names == ["Ben Okoro", "Jo Whitaker", "Sam Patel"]
    assert cycle.research_plan.title == "Year 8: ratio tables and the double number line"
    states = {s.key: s.state for s in timeline.stages(cycle)}
    assert states["study"] == states["plan"] == "done"
    assert [link.session.title for link in cycle.sessions] == ["Year 8 ratio lesson: lesson observation visit"]
    assert services.theme_of(db.session.query(WorkGroup).one()).theme == "Multiplicative reasoning from KS2 to KS3"


def test_the_demo_lead_sees_the_cycle_and_its_next_step(app, client):
    load_demo()
    client.post("/login", data={"email": "lead@example.org", "password": DEMO_PASSWORD})
    cycle = db.session.query(ResearchCycle).one()
    html = client.get(f"/cycles/{cycle.id}").text
    assert "Written by Ben Okoro, Jo Whitaker, Sam Patel" in html
    assert 'id="next-step-action"' in html
