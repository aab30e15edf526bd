"""The demo Work Group has a research theme, one cycle in progress and one complete (published to the library)."""

from __future__ import annotations

from collab.cycles import services, timeline
from collab.cycles.models import CycleStatus, ResearchCycle
from collab.cycles.study import writers
from collab.demo.load import DEMO_PASSWORD
from collab.extensions import db
from collab.groups.models import Membership, Role, WorkGroup
from collab.library.services import published_item_of
from collab.plans.models import LessonPlan
from tests import factories


def _in_progress() -> ResearchCycle:
    return db.session.query(ResearchCycle).filter_by(status=CycleStatus.IN_PROGRESS).one()


def _complete() -> ResearchCycle:
    return db.session.query(ResearchCycle).filter_by(status=CycleStatus.FINISHED).one()


def test_the_demo_cycle_has_its_study_written_its_plan_linked_and_its_visit_planned(demo):
    cycle = _in_progress()
    names, _ = writers(cycle.study)
    assert names == ["Ben Okoro", "Jo Whitaker", "Sam Patel"]
    assert cycle.research_plan.title == "Year 8: ratio tables and the double number line"
    states = {s.key: s.state for s in timeline.stages(cycle)}
    assert states["study"] == states["plan"] == "done"
    assert [link.session.title for link in cycle.sessions] == ["Year 8 ratio lesson: lesson observation visit"]
    assert services.theme_of(db.session.query(WorkGroup).one()).theme == "Multiplicative reasoning from KS2 to KS3"


def test_the_demo_lead_sees_the_cycle_and_its_next_step(demo, client):
    client.post("/login", data={"email": "lead@example.org", "password": DEMO_PASSWORD})
    cycle = _in_progress()
    html = client.get(f"/cycles/{cycle.id}").text
    assert "Written by Ben Okoro, Jo Whitaker, Sam Patel" in html
    assert 'id="next-step-action"' in html


def test_the_demo_complete_cycle_has_every_stage_done_and_is_in_the_library(demo, client):
    assert db.session.query(ResearchCycle).count() == 2
    cycle = _complete()
    assert cycle.title == "Year 7: fractions of amounts with bar models"
    states = {s.key: s.state for s in timeline.stages(cycle)}
    assert all(states[key] == "done" for key in ("study", "plan", "research-lesson", "discussion", "revised-plan"))
    assert states["revised-lesson"] == "later"  # optional: not taught again
    assert cycle.research_plan.title == "Year 7: fractions of amounts with bar models"
    assert cycle.revised_plan.title == "Year 7: fractions of amounts with bar models (version 2)"
    lesson = cycle.sessions[0].session
    assert cycle.created_at < lesson.ends_at < cycle.finished_at  # a past lesson, before the cycle finished
    item = published_item_of(cycle)
    assert item is not None and item.summary.startswith("What the Work Group learned")
    assert {(r.kind, r.pupil) for r in item.rows} >= {("pupil", "Pupil G"), ("pupil", "Pupil H"), ("pupil", "Pupil I")}
    assert any(r.seen for r in item.rows) and any(r.not_seen for r in item.rows)
    assert "Alex Morgan" not in item.plan_text and "Pupil G wrote" not in item.plan_text  # no notes, no observers

    # A member of another Work Group of the hub reads it in the library.
    group = db.session.query(WorkGroup).one()
    other_group = factories.work_group(group.hub, code="NCP24-02a")
    reader = factories.user(email="reader@example.org", hub=group.hub)
    db.session.add(Membership(work_group=other_group, user=reader, role=Role.ADVOCATE))
    db.session.commit()
    client.post("/login", data={"email": reader.email, "password": factories.PASSWORD})
    page = client.get(f"/library/{item.id}")
    assert page.status_code == 200 and "What the Work Group learned" in page.text
    assert "Year 7: fractions of amounts with bar models" in client.get("/library").text
    assert client.get(f"/cycles/{cycle.id}").status_code == 404  # the cycle itself stays the group's


def test_the_demo_complete_cycle_is_built_from_plan_version_1_and_its_discussion(demo):
    cycle = _complete()
    assert db.session.query(LessonPlan).filter(LessonPlan.title.like("Year 7:%")).count() == 2
    lesson = cycle.sessions[0].session
    assert cycle.revised_plan.created_at > lesson.ends_at
