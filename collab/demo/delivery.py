"""Demo content: how each development plan is being delivered. Two aims with a few actions, a PD session led by
an Advocate with who attended, and progress updates for Autumn 1 and Autumn 2, one citing a visit."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from collab.demo.term_dates import previous_school_day
from collab.devplans.delivery.models import (
    PdAttendance,
    PdSession,
    PlanAction,
    PlanAim,
    ProgressEvidence,
    ProgressStatus,
    ProgressUpdate,
)
from collab.devplans.delivery.services import advocates, department_people
from collab.devplans.models import DevPlan
from collab.extensions import db
from collab.observations.models import Visit
from collab.timeutil import school_year, uk_date

AIMS = [
    ("Every pupil in Key Stage 3 reasons multiplicatively, choosing between a ratio table and a double number line",
     "By July, 80% of Year 8 pupils scale correctly in the end-of-unit check.",
     "Year 7 baseline: 58% of pupils added rather than scaled in proportion questions.",
     ["Co-plan the Year 8 ratio unit in small steps", "Reuse four baseline items in the end-of-unit check",
      "Agree the double number line as the first representation"]),
    ("A department that plans lessons together in small steps",
     "Every colleague co-plans one unit and observes one research lesson this year.",
     "Lesson observations in 2023/24 showed few opportunities for pupils to explain their reasoning.",
     ["Timetable a co-planning hour each fortnight", "Each colleague joins one post-lesson discussion"]),
]


def add_demo_delivery(demo) -> None:
    for plan in db.session.scalars(select(DevPlan).order_by(DevPlan.id)).all():
        _deliver(demo, plan)
    db.session.commit()


def _deliver(demo, plan: DevPlan) -> None:
    people = department_people(plan)
    leaders = advocates(plan) or people
    if not people:
        return
    year = school_year(demo.today)
    visit = next((v for s in demo.sessions if s.title.startswith("Year 9 proportional reasoning")
                  for v in db.session.scalars(select(Visit).where(Visit.session_id == s.id))), None)
    for n, (text, criteria, need, actions) in enumerate(AIMS):
        aim = PlanAim(plan_id=plan.id, text=text, success_criteria=criteria, evidence_of_need=need,
                      created_by_id=leaders[0].id)
        db.session.add(aim)
        db.session.flush()
        for m, action in enumerate(actions):
            db.session.add(PlanAction(aim_id=aim.id, text=action, owner_id=people[(n + m) % len(people)].id,
                                      due_on=demo.today + timedelta(days=21 * (m + 1)), done=m == 0))
        first = ProgressUpdate(aim_id=aim.id, school_year=year, half_term=1, status=ProgressStatus.ON_TRACK,
                               commentary="Started as planned; the baseline is done.", author_id=leaders[0].id)
        second = ProgressUpdate(aim_id=aim.id, school_year=year, half_term=2,
                                status=ProgressStatus.SOME_CONCERNS if n == 0 else ProgressStatus.ON_TRACK,
                                commentary="Year 8 sets are behind the co-planned sequence by two lessons."
                                if n == 0 else "Co-planning hours are happening.", author_id=leaders[-1].id)
        db.session.add_all([first, second])
        if n == 0 and visit is not None:
            db.session.flush()
            db.session.add(ProgressEvidence(
                update_id=second.id, target_kind="visit", target_id=visit.id,
                label=f"Visit: {visit.session.title} ({uk_date(visit.session.starts_at)})"))
    session = PdSession(plan_id=plan.id, title="Why the double number line first",
                        held_on=previous_school_day(demo.today - timedelta(days=14)), led_by_id=leaders[0].id,
                        materials="https://www.ncetm.org.uk/classroom-resources/")
    session.attendance.extend(PdAttendance(user_id=p.id) for p in people)
    db.session.add(session)
