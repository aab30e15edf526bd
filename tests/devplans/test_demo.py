"""The demo: Riverside's development plan, shared with NCP24-14b, with anchored comments."""

from __future__ import annotations

from collab.devplans.models import CritiqueRound, DevPlan
from collab.extensions import db


def test_the_demo_has_a_shared_plan_with_an_open_round_and_anchored_comments(demo, client):
    plan = db.session.scalar(db.select(DevPlan))
    round_ = db.session.scalar(db.select(CritiqueRound))
    assert plan.department.school.name == "Riverside School"
    assert round_.is_open and round_.work_group.project_code == "NCP24-14b" and round_.question
    from collab.accounts.models import User
    ben = db.session.scalar(db.select(User).where(User.email == "ben@example.org"))
    with client.session_transaction() as session:
        session["_user_id"] = ben.get_id()
        session["_fresh"] = True
    threads = client.get(f"/devplans/{plan.id}/comments").get_json()["threads"]
    assert len(threads) == 3 and all(t["status"] == "ok" for t in threads)
    assert {t["currentText"] for t in threads} == {t["quote"] for t in threads}
    assert sum(t["resolved"] for t in threads) == 1
    assert any(t["replies"] for t in threads if not t["resolved"])
    assert {t["section"] for t in threads} == {"Success criteria (how success will be judged)",
                                               "Professional development programme for the department",
                                               "Aims (based on evidence of need)"}
