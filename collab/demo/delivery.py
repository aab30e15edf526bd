"""Demo content: how each secondary school's development plan is being delivered.

Riverside's plan is written in devplans.py; here Castle Hill, Northfield and St Aidan's get theirs (a few lines of
text by their Advocates or lead), so the Work Group lead's side-by-side view has every department. Each plan has
its own two aims with actions, a PD session led by an Advocate with who attended, and progress updates for
Autumn 1 and Autumn 2, citing the Work Group's visits, lesson plans and discussions as evidence. Added after the
complete cycle (complete_cycle.py), whose visit and discussion St Aidan's cites.
"""

from __future__ import annotations

from dataclasses import dataclass
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
from collab.devplans.plan.services import SECTIONS, create_plan
from collab.discussions.models import DiscussionThread
from collab.extensions import db
from collab.observations.models import Visit
from collab.plans.models import LessonPlan
from collab.realtime.doclog import load
from collab.sessions.models import GroupSession
from collab.timeutil import school_year, uk_date

ON, CONCERNS, OFF, DONE = (ProgressStatus.ON_TRACK, ProgressStatus.SOME_CONCERNS, ProgressStatus.OFF_TRACK,
                           ProgressStatus.DONE)


@dataclass(frozen=True)
class Aim:
    text: str
    criteria: str
    need: str
    actions: tuple[str, ...]
    progress: tuple[tuple[ProgressStatus, str], tuple[ProgressStatus, str]]  # Autumn 1, Autumn 2
    evidence: tuple[str, str] | None = None  # (kind, title it starts with), cited by the Autumn 2 update


@dataclass(frozen=True)
class SchoolPlan:
    title: str
    writers: tuple[str, str]  # emails: who wrote the aims, who the evidence of need (the plan's text)
    aims: tuple[Aim, Aim]
    pd_title: str
    pd_materials: str


RIVERSIDE = SchoolPlan(
    "Riverside maths: development plan 2024–27", ("jo@example.org", "alex@example.org"), (
        Aim("Every pupil in Key Stage 3 reasons multiplicatively, choosing between a ratio table and a double "
            "number line",
            "By July, 80% of Year 8 pupils scale correctly in the end-of-unit check.",
            "Year 7 baseline: 58% of pupils added rather than scaled in proportion questions.",
            ("Co-plan the Year 8 ratio unit in small steps", "Reuse four baseline items in the end-of-unit check",
             "Agree the double number line as the first representation"),
            ((ON, "Started as planned; the baseline is done."),
             (CONCERNS, "Year 8 sets are behind the co-planned sequence by two lessons.")),
            ("visit", "Year 9 proportional reasoning")),
        Aim("A department that plans lessons together in small steps",
            "Every colleague co-plans one unit and observes one research lesson this year.",
            "Lesson observations in 2023/24 showed few opportunities for pupils to explain their reasoning.",
            ("Timetable a co-planning hour each fortnight", "Each colleague joins one post-lesson discussion"),
            ((ON, "Started as planned; the baseline is done."), (ON, "Co-planning hours are happening.")))),
    "Why the double number line first", "https://www.ncetm.org.uk/classroom-resources/")

OTHERS = {
    "Castle Hill Academy": SchoolPlan(
        "Castle Hill maths: development plan 2025–27", ("lead@example.org", "priya@example.org"), (
            Aim("Year 7 pupils recall multiplication facts fluently and use them to reason about scaling",
                "By Easter, 90% of Year 7 answer the 60-fact check in time; 70% explain a scaling step in words.",
                "September check: 41% of Year 7 answered the 60-fact check in time; many counted on in steps.",
                ("Daily ten-minute fluency sessions in Year 7", "Share the Year 6 fact-practice routines with "
                 "Meadow Lane", "Re-run the 60-fact check each half-term"),
                ((ON, "Fluency sessions started in every Year 7 class."),
                 (ON, "Second check: 63% in time, up from 41%; the ratio table is used in explanations.")),
                ("lesson-plan", "Year 8: ratio tables")),
            Aim("Mastery Advocates' coaching reaches every colleague teaching Key Stage 3",
                "Each KS3 teacher has two coaching conversations after co-planned lessons this year.",
                "Staff survey, July: 5 of 9 colleagues had never been observed outside appraisal.",
                ("Priya coaches two colleagues each half-term", "Pair new staff with an Advocate for co-planning"),
                ((ON, "Four coaching conversations held."),
                 (CONCERNS, "Cover shortages cancelled three conversations; moved to after-school slots.")))),
        "Fluency without rote: the 60-fact check and what it tells us", "https://www.ncetm.org.uk/"),
    "Northfield High School": SchoolPlan(
        "Northfield maths: development plan 2025–26", ("ben@example.org", "ruth@example.org"), (
            Aim("Pupils in Years 8 and 9 choose and justify a representation for proportion problems",
                "In the summer assessment, 75% of Year 9 solve an unfamiliar proportion problem and say why "
                "their representation fits.",
                "Year 9 mock: 35% attempted the proportion problem; most who did used a formula without meaning.",
                ("Teach the Year 9 research lesson on proportional reasoning", "Write a department bank of "
                 "anchor tasks", "Year 8 lessons open with a representation routine"),
                ((ON, "Research lesson planned with the Work Group."),
                 (CONCERNS, "Research lesson taught and discussed: pupils chose the ratio table, but few could "
                  "justify it. The anchor-task bank is behind.")),
                ("visit", "Year 9 proportional reasoning")),
            Aim("Lesson study becomes how the department improves its teaching",
                "Two research lessons a year, each with a revised plan shared with the department.",
                "No department-led observation beyond appraisal in 2024/25.",
                ("Run a second research cycle in Spring", "Share the revised Year 9 plan at a department meeting"),
                ((ON, "The department chose its research theme."),
                 (ON, "First post-lesson discussion held; agreed actions are on the plan.")),
                ("discussion", "Year 9 proportional reasoning"))),
        "Representations for proportion: from bar model to ratio table", "https://www.ncetm.org.uk/"),
    "St Aidan's Church of England School": SchoolPlan(
        "St Aidan's maths: development plan 2025–27", ("amir@example.org", "kate@example.org"), (
            Aim("Year 7 builds on what pupils learned in Key Stage 2 instead of reteaching it",
                "Year 7 units start from the Year 6 representations; no unit repeats KS2 content without a reason.",
                "Transition survey: Year 7 pupils said fractions \u201cwas the same as Year 6\u201d; the bar model "
                "was not used in Year 7.",
                ("Visit Year 6 lessons at a partner primary", "Revise the Year 7 fractions unit around the bar "
                 "model", "Teach the fractions of amounts research lesson"),
                ((ON, "Year 6 visit booked with Meadow Lane."),
                 (DONE, "Research lesson taught, discussed and revised; the revised plan is in the hub's "
                  "library.")),
                ("visit", "Year 7 fractions of amounts")),
            Aim("Mixed-attainment Year 7 classes, with support that keeps everyone on the same lesson",
                "By July, no Year 7 pupil is withdrawn from maths lessons for catch-up.",
                "2024/25: eleven Year 7 pupils were withdrawn twice a week and fell further behind.",
                ("Plan same-day interventions for each Year 7 unit", "Train teaching assistants in the bar model"),
                ((CONCERNS, "Two classes still withdraw pupils while intervention slots are set up."),
                 (OFF, "Timetable clash: same-day interventions only happen in one class; raised with SLT.")))),
        "The bar model from Year 6 to Year 7", "https://www.ncetm.org.uk/classroom-resources/"),
}


def add_demo_school_plans(demo) -> None:
    """The other secondary schools' plans (a line in two of their sections each), then every plan's delivery."""
    from collab.demo.devplans import _write  # devplans.py writes Riverside's plan the same way

    for school in demo.schools:
        content = OTHERS.get(school.name)
        if content is None or school.maths_department is None:
            continue
        aims_by, need_by = (demo.people[email] for email in content.writers)
        plan = create_plan(aims_by, school.maths_department, content.title)
        doc = load(plan.document_id)
        aims_text = " ".join(f"Aim {n}: {aim.text[0].lower()}{aim.text[1:]}." for n, aim in
                             enumerate(content.aims, 1))
        needs_text = " ".join(aim.need for aim in content.aims)
        for n, (section, text, writer) in enumerate([(SECTIONS[0], aims_text, aims_by),
                                                     (SECTIONS[1], needs_text, need_by)]):
            _write(doc, plan, section, text, writer, 7_100_000 + plan.id * 10 + n)
    db.session.commit()
    add_demo_delivery(demo)


def add_demo_delivery(demo) -> None:
    for plan in db.session.scalars(select(DevPlan).order_by(DevPlan.id)).all():
        _deliver(demo, plan, OTHERS.get(plan.department.school.name, RIVERSIDE))
    db.session.commit()


def _evidence(demo, kind: str, title: str) -> tuple[str, int, str] | None:
    """(kind, id, label as the progress form offers it) of the group's first visit, lesson plan or discussion
    whose title starts with `title`."""
    if kind == "lesson-plan":
        plan = db.session.scalar(select(LessonPlan).where(LessonPlan.work_group_id == demo.group.id,
                                                          LessonPlan.title.startswith(title)).order_by(LessonPlan.id))
        return (kind, plan.id, f"Lesson plan: {plan.title}") if plan else None
    session = db.session.scalar(select(GroupSession).where(GroupSession.work_group_id == demo.group.id,
                                                           GroupSession.title.startswith(title)))
    if session is None:
        return None
    if kind == "visit":
        row_id = db.session.scalar(select(Visit.id).where(Visit.session_id == session.id))
    else:
        row_id = db.session.scalar(select(DiscussionThread.id).where(DiscussionThread.session_id == session.id))
    label = "Visit" if kind == "visit" else "Discussion"
    return (kind, row_id, f"{label}: {session.title} ({uk_date(session.starts_at)})") if row_id else None


def _deliver(demo, plan: DevPlan, content: SchoolPlan) -> None:
    people = department_people(plan)
    leaders = advocates(plan) or people
    if not people:
        return
    year = school_year(demo.today)
    for n, aim_content in enumerate(content.aims):
        aim = PlanAim(plan_id=plan.id, text=aim_content.text, success_criteria=aim_content.criteria,
                      evidence_of_need=aim_content.need, created_by_id=leaders[0].id)
        db.session.add(aim)
        db.session.flush()
        for m, action in enumerate(aim_content.actions):
            db.session.add(PlanAction(aim_id=aim.id, text=action, owner_id=people[(n + m) % len(people)].id,
                                      due_on=demo.today + timedelta(days=21 * (m + 1)), done=m == 0))
        updates = [ProgressUpdate(aim_id=aim.id, school_year=year, half_term=half_term, status=status,
                                  commentary=commentary, author_id=author.id)
                   for half_term, (status, commentary), author in zip((1, 2), aim_content.progress,
                                                                      (leaders[0], leaders[-1]), strict=True)]
        db.session.add_all(updates)
        cited = _evidence(demo, *aim_content.evidence) if aim_content.evidence else None
        if cited is not None:
            db.session.flush()
            kind, target_id, label = cited
            db.session.add(ProgressEvidence(update_id=updates[1].id, target_kind=kind, target_id=target_id,
                                            label=label[:300]))
    session = PdSession(plan_id=plan.id, title=content.pd_title,
                        held_on=previous_school_day(demo.today - timedelta(days=14)), led_by_id=leaders[0].id,
                        materials=content.pd_materials)
    session.attendance.extend(PdAttendance(user_id=p.id) for p in people)
    db.session.add(session)
