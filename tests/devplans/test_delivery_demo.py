"""The demo: every development plan is being delivered (aims, actions, a PD session, Autumn 1 and 2 updates)."""

from __future__ import annotations

from collab.devplans.delivery.models import PdSession, PlanAim
from collab.devplans.models import DevPlan
from collab.extensions import db


def test_each_demo_plan_has_aims_actions_a_pd_session_and_autumn_updates(demo):
    for plan in db.session.scalars(db.select(DevPlan)):
        aims = db.session.scalars(db.select(PlanAim).where(PlanAim.plan_id == plan.id)).all()
        assert len(aims) >= 2 and all(aim.actions for aim in aims)
        assert all([u.half_term for u in aim.updates] == [1, 2] for aim in aims)
        assert any(u.evidence for aim in aims for u in aim.updates)
        session = db.session.scalar(db.select(PdSession).where(PdSession.plan_id == plan.id))
        assert session.led_by is not None and session.attendance
