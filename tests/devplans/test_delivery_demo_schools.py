"""The demo: every secondary school in NCP24-14b has a development plan being delivered, so the lead's
side-by-side view is full and each department's Advocates find their own aims, actions and updates."""

from __future__ import annotations

from collab.accounts.models import User
from collab.demo.load import DEMO_PASSWORD, load_demo
from collab.devplans.delivery.evidence import link_for
from collab.devplans.delivery.models import PlanAim
from collab.devplans.models import DevPlan
from collab.devplans.plan.services import plan_text
from collab.extensions import db
from collab.groups.models import Phase, School, WorkGroup

ADVOCATES = {"Castle Hill Academy": "priya@example.org", "Riverside School": "jo@example.org",
             "Northfield High School": "ben@example.org", "St Aidan's Church of England School": "amir@example.org"}


def _plans() -> dict[str, DevPlan]:
    return {plan.department.school.name: plan for plan in db.session.scalars(db.select(DevPlan))}


def test_each_secondary_school_in_the_demo_has_a_plan_with_aims_actions_and_progress(demo):
    secondary = {s.name for s in db.session.scalars(db.select(School)) if s.phase != Phase.PRIMARY}
    plans = _plans()
    assert set(plans) == secondary == set(ADVOCATES)
    for name, plan in plans.items():
        aims = db.session.scalars(db.select(PlanAim).where(PlanAim.plan_id == plan.id)).all()
        assert len(aims) == 2 and all(len(aim.actions) >= 2 for aim in aims), name
        assert all(len(aim.updates) == 2 for aim in aims), name
        assert len({aim.text for aim in aims}) == 2
    # Each school's aims are its own, not Riverside's copied.
    assert len({aim.text for aim in db.session.scalars(db.select(PlanAim))}) == 2 * len(plans)


def test_each_demo_plans_text_has_its_aims_and_evidence_of_need(demo):
    for name, plan in _plans().items():
        text = plan_text(plan)
        assert "Aim 1" in text and "Aim 2" in text, name


def test_each_demo_plans_evidence_opens_for_its_own_advocate(demo):
    for name, plan in _plans().items():
        advocate = db.session.scalar(db.select(User).where(User.email == ADVOCATES[name]))
        cited = [e for aim in db.session.scalars(db.select(PlanAim).where(PlanAim.plan_id == plan.id))
                 for u in aim.updates for e in u.evidence]
        assert cited, name
        assert all(link_for(advocate, e.target_kind, e.target_id) for e in cited), name


def test_the_demo_lead_sees_every_department_side_by_side(demo, client):
    client.post("/login", data={"email": "lead@example.org", "password": DEMO_PASSWORD})
    group = db.session.scalar(db.select(WorkGroup))
    page = client.get(f"/groups/{group.id}/delivery").get_data(as_text=True)
    for name in ADVOCATES:
        assert name.replace("'", "&#39;") in page
    assert "Off track" in page and "Done" in page and "Some concerns" in page


def test_loading_the_demo_again_adds_no_second_set_of_plans(app):
    assert load_demo() is True
    counts = (db.session.scalar(db.select(db.func.count(DevPlan.id))),
              db.session.scalar(db.select(db.func.count(PlanAim.id))))
    assert load_demo() is False
    assert (db.session.scalar(db.select(db.func.count(DevPlan.id))),
            db.session.scalar(db.select(db.func.count(PlanAim.id)))) == counts == (4, 8)
