"""Search on the demo: the demo lead finds the Year 8 ratio work; the library is empty (no cycle is finished)."""

from __future__ import annotations

from sqlalchemy import select

from collab.accounts.models import User
from collab.extensions import db
from collab.search.services import search


def test_the_demo_lead_finds_the_ratio_plan_study_and_notes(app, demo):
    lead = db.session.scalar(select(User).where(User.email == "lead@example.org"))
    with app.test_request_context():
        kinds = {r.kind for r in search(lead, "ratio")}
    assert {"plan", "study"} <= kinds
    assert "library" not in kinds
