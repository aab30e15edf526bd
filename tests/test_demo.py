"""`flask collab demo` gives a new user something real to look at."""

from collab.accounts.models import User
from collab.demo.load import DEMO_PASSWORD
from collab.extensions import db
from collab.groups.models import Phase, WorkGroup
from collab.plans.models import LessonPlan
from collab.plans.services import plan_text
from collab.sessions.models import GroupSession, SessionKind


def test_the_demo_command_loads_the_work_group_once(runner):
    assert "Demo data loaded" in runner.invoke(args=["collab", "demo"]).output
    assert "nothing changed" in runner.invoke(args=["collab", "demo"]).output
    assert db.session.query(WorkGroup).count() == 1


def test_the_demo_group_mixes_four_secondary_schools_and_a_primary(runner):
    runner.invoke(args=["collab", "demo"])
    group = db.session.query(WorkGroup).one()
    assert group.project_code == "NCP24-14b"
    phases = [s.phase for s in group.schools]
    assert phases.count(Phase.PRIMARY) == 1 and len(phases) == 5


def test_the_demo_lead_signs_in_and_sees_the_group_and_its_sessions(runner, client):
    runner.invoke(args=["collab", "demo"])
    response = client.post("/login", data={"email": "lead@example.org", "password": DEMO_PASSWORD},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "NCP24-14b" in page
    assert "KS2–KS3 transition: multiplication and division" in page


def test_the_demo_has_upcoming_sessions_including_a_transition_visit(runner):
    runner.invoke(args=["collab", "demo"])
    kinds = {s.kind for s in db.session.query(GroupSession)}
    assert {SessionKind.OBSERVATION, SessionKind.PLANNING, SessionKind.TRANSITION} <= kinds


def test_the_demo_plan_is_in_progress_with_text_from_several_teachers(runner):
    runner.invoke(args=["collab", "demo"])
    plan = db.session.query(LessonPlan).one()
    assert "double number line" in plan_text(plan)
    assert db.session.query(User).filter(User.email == "lead@example.org").one().is_active
