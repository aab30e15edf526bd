"""Demo content: a complete research cycle from earlier in the school year, built through the real services.

"Year 7: fractions of amounts" at St Aidan's: the study document (three teachers), plan version 1 with its
anticipated misconceptions and case pupils (Pupil G, H and I, by pseudonym only), the research lesson's finished
visit with observers' notes tagged against the anticipated items, the post-lesson discussion with its posts and
agreed actions (two done), version 2 made with the revise service, the cycle finished and published to the hub's
library with what the Work Group learned. The services stamp rows "now"; each stage is then dated back to when it
happened (about seven weeks before today, on school days in term).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from pycrdt import Doc, XmlElement, XmlFragment, XmlText
from sqlalchemy import func, select

from collab.activity.models import Activity
from collab.cycles import services as cycles
from collab.cycles.models import CycleStatus, PlanRevision, SessionPurpose
from collab.cycles.revisions import revise_plan
from collab.demo.observations import _write
from collab.demo.plans import _bullets, _paragraph_after
from collab.demo.term_dates import previous_school_day
from collab.discussions import action_services
from collab.discussions import services as discussions
from collab.extensions import db
from collab.groups.models import Phase
from collab.library.services import publish
from collab.observations.visits import services as visits
from collab.plans.services import FRAGMENT_NAME, create_plan, document_doc
from collab.realtime.models import DocumentUpdate
from collab.reports.models import AttendanceMark, Presence
from collab.sessions.models import Attendance, GroupSession, Response, SessionKind
from collab.timeutil import LONDON

if TYPE_CHECKING:
    from collab.demo.load import Demo

TITLE = "Year 7 fractions of amounts: research lesson"
CYCLE = ("Year 7: fractions of amounts with bar models",
         "Does drawing the whole as a bar of equal parts help pupils see why we divide by the denominator and "
         "multiply by the numerator, rather than following a rule they cannot explain?")

STUDY = {  # heading -> (text, who wrote it)
    "The maths": ("A fraction of an amount is a multiplicative relationship: 3/5 of 30 is three of the five equal "
                  "parts of 30. The bar model shows the whole, the equal parts and the parts taken at once; "
                  "'divide by the denominator, multiply by the numerator' is what the bar does.",
                  "lead@example.org"),
    "Curriculum links": ("KS2 Year 5 and 6: find fractions of amounts, unit and non-unit fractions. KS3 Year 7: "
                         "fractions as operators, and later percentages of amounts and ratio. NCETM Checkpoints: "
                         "Year 7 fractions.", "kate@example.org"),
    "Evidence of pupils' prior attainment": ("St Aidan's Year 7 baseline: 24 of 29 found a unit fraction of an "
                                             "amount; 11 of 29 a non-unit fraction. Six divided by the numerator.",
                                             "amir@example.org"),
}

PLAN_TITLE = "Year 7: fractions of amounts with bar models"
PLAN = {  # heading -> (text, who wrote it)
    "Learning outcome": ("Pupils can find a non-unit fraction of an amount with a bar model and explain why "
                         "dividing by the denominator gives one part.", "lead@example.org"),
    "Prior knowledge": ("Multiplication and division facts; unit fractions of amounts from KS2; equal parts of a "
                        "whole.", "kate@example.org"),
    "Key vocabulary": ("whole, equal parts, numerator, denominator, unit fraction, non-unit fraction, bar model",
                       "kate@example.org"),
    "Representations and structures": ("Bar model: the whole as one bar, cut into as many equal parts as the "
                                       "denominator; the parts taken shaded.", "amir@example.org"),
    "Anchor task": ("There are 30 pupils in the class and 3/5 of them walk to school. How many walk? Draw the bar "
                    "first.", "lead@example.org"),
    "Small steps": ("1/5 of 30, then 2/5 and 3/5 of 30; then 3/5 of 40; then 3/5 of an amount is 18: what is the "
                    "whole?", "amir@example.org"),
    "Key questions": ("What is the whole? How many equal parts? What is one part worth? How many parts do we "
                      "want?", "kate@example.org"),
    "Anticipated misconceptions and responses": ("Divides by the numerator (30 ÷ 3 = 10). Response: how many "
                                                 "equal parts does the bar have?", "priya@example.org"),
    "Assessment / exit check": ("Find 2/3 of 24 and 5/8 of 40; explain one with a bar.", "lead@example.org"),
}
MORE_ANTICIPATED = [
    "Finds one part and stops (30 ÷ 5 = 6). Response: how many of those parts walk?",
    "Draws the parts of the bar unequal. Response: fold a paper strip into fifths.",
]
PUPILS = {
    "Pupil G": "Will divide by the numerator until the bar is drawn.",
    "Pupil H": "Will find one fifth and stop; secure once asked how many parts walk.",
    "Pupil I": "Confident with the rule; may not explain why it works.",
}

NOTES = {  # observer email -> [(minutes in, phase, big idea, pupil, text)]
    "kate@example.org": [(6, "Starter", "fluency", "", "Division facts by 5 and 8 quick and secure."),
                         (15, "Anchor task", "representation", "Pupil G",
                          "Pupil G wrote 30 ÷ 3 = 10, then drew five parts and changed it to 18.")],
    "priya@example.org": [(17, "Anchor task", "thinking", "Pupil H",
                           "Pupil H: 'one fifth is 6' and stopped; asked how many walk, said 18."),
                          (31, "Independent practice", "variation", "",
                           "3/5 of 40 after 3/5 of 30: most reused the bar without being asked.")],
    "alex@example.org": [(19, "Anchor task", "thinking", "Pupil I",
                          "Pupil I gave the rule first; with the bar explained 'each part is 30 ÷ 5'."),
                         (40, "Independent practice", "representation", "",
                          "Working backwards (3/5 is 18) stumped most pupils: no bar drawn.")],
}
TAGS = {  # observer email -> [(item text starts, tag, note number or None)]
    "kate@example.org": [("Divides by the numerator", "seen", 2), ("Will divide by the numerator", "seen", 2),
                         ("Draws the parts of the bar unequal", "not-seen", None)],
    "priya@example.org": [("Finds one part and stops", "seen", 1), ("Will find one fifth", "seen", 1)],
    "alex@example.org": [("Confident with the rule", "something-else", 1),
                         ("Draws the parts of the bar unequal", "not-seen", None)],
}

POSTS = [  # (section, author email, body, replies [(author email, body)])
    ("case-pupils", "amir@example.org",
     "Our case pupils were **Pupil G** (we predicted dividing by the numerator), **Pupil H** (finding one part "
     "and stopping) and **Pupil I** (secure with the rule, less so with why).",
     [("lead@example.org", "Thanks, Amir. What we saw and heard first, then what we change.")]),
    ("case-pupils", "kate@example.org",
     "Pupil G wrote 30 ÷ 3 = 10 straight away; once he drew five equal parts he corrected it to 18 himself.", []),
    ("anticipated", "priya@example.org",
     "Two of our three anticipated misconceptions appeared; nobody drew unequal parts, because the bars were "
     "given ready cut.", [("alex@example.org", "So next time pupils draw and cut the bar themselves.")]),
    ("evidence", "alex@example.org", "Exit check: 23 of 29 found 2/3 of 24; 17 of 29 explained it with a bar.",
     []),
    ("change", "lead@example.org",
     "1. Pupils draw and cut the bar themselves\n2. A working-backwards step with the bar before independent "
     "practice\n3. Ask 'what is one part?' before 'how many parts?'", []),
]
ACTIONS = [  # (text, owner email, days after the lesson it is due, done)
    ("Revise the plan: pupils draw their own bars, and a working-backwards step", "amir@example.org", 7, True),
    ("Share the exit check and three pupils' bars with the Work Group", "kate@example.org", 10, True),
    ("Try the revised lesson with a Year 7 class at Castle Hill", "priya@example.org", 28, False),
]
REVISED = {  # heading -> text added in version 2
    "Representations and structures": "Pupils draw the bar and cut it into equal parts themselves (paper strips "
                                      "folded first): the ready-cut bars hid the unequal-parts misconception.",
    "Small steps": "New step before independent practice: 3/5 of a number is 18; draw the bar, mark the three "
                   "parts, find one part, then the whole.",
}
SUMMARY = ("What the Work Group learned: the bar model helped most when pupils drew and cut it themselves. "
           "Pupils who divided by the numerator (as we predicted for Pupil G) corrected themselves once the bar "
           "had as many equal parts as the denominator. Asking 'what is one part?' before 'how many parts?' "
           "stopped pupils stopping at one part. Working backwards from a part to the whole needs its own small "
           "step with the bar. The revised plan (version 2) makes these changes.")


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def _write_plan(doc: Doc, fragment: XmlFragment, document_id: int, content: dict, people) -> None:
    for heading, (text, email) in content.items():
        paragraph = _paragraph_after(fragment, heading)
        if paragraph is None:
            continue
        before = doc.get_state()
        paragraph.children.append(XmlText(text))
        db.session.add(DocumentUpdate(document_id=document_id, data=doc.get_update(before),
                                      user_id=people[email].id))


def _insert_after(fragment: XmlFragment, heading: str, node: XmlElement) -> None:
    """Put `node` after the first paragraph under `heading`."""
    paragraph = _paragraph_after(fragment, heading)
    if paragraph is not None:
        fragment.children.insert(list(fragment.children).index(paragraph) + 1, node)


def _date_activity(since: int, at: datetime) -> None:
    """The activity entries recorded by the services since `since` (an id) happened at `at`."""
    db.session.flush()
    for entry in db.session.scalars(select(Activity).where(Activity.id > since)):
        entry.at = at


def _date_updates(document_id: int, at: datetime) -> None:
    """The document's logged updates (its template included) were written at `at`."""
    db.session.flush()
    for update in db.session.scalars(select(DocumentUpdate).where(DocumentUpdate.document_id == document_id)):
        update.created_at = at


def _last_activity() -> int:
    return db.session.scalar(select(func.max(Activity.id))) or 0


def add_demo_complete_cycle(demo: Demo) -> None:
    people = demo.people
    lead = people["lead@example.org"]
    group = demo.group
    st_aidans = demo.schools[3]
    secondary = [m.user for m in group.memberships if m.user.school.phase != Phase.PRIMARY]
    earliest = min(s.starts_at.date() for s in demo.sessions)
    day = previous_school_day(min(demo.today - timedelta(weeks=7), earliest - timedelta(days=1)))
    started = _at(previous_school_day(day - timedelta(days=14)), 16)
    mark = _last_activity()

    # The research lesson, held about seven weeks ago.
    session = GroupSession(work_group=group, kind=SessionKind.OBSERVATION, title=TITLE, host_school=st_aidans,
                           starts_at=_at(day, 9), ends_at=_at(day, 12), place="Maths corridor, room S3",
                           agenda="09:00 read the plan\n09:10 observe Year 7 (case pupils: Pupil G, Pupil H, "
                                  "Pupil I)\n10:15 post-lesson discussion", created_by=lead)
    session.attendances = [Attendance(user=p, response=Response.ATTENDING) for p in secondary]
    db.session.add(session)
    for attendance in session.attendances:  # its register, marked: everyone invited was there
        db.session.add(AttendanceMark(session=session, user=attendance.user, marked_by=lead,
                                      presence=Presence.PRESENT, marked_at=session.ends_at))
    db.session.flush()

    # The cycle and its study document.
    cycle = cycles.create_cycle(lead, group, *CYCLE)
    cycle.created_at = started
    assert cycle.study is not None
    cycle.study.created_at = started
    doc = document_doc(cycle.study.document_id)
    _write_plan(doc, doc.get(FRAGMENT_NAME, type=XmlFragment), cycle.study.document_id, STUDY, people)
    _date_updates(cycle.study.document_id, started + timedelta(days=1))
    _date_activity(mark, started)

    # Plan version 1: sections by four teachers, more anticipated misconceptions and the case pupils.
    mark = _last_activity()
    plan = create_plan(lead, group, PLAN_TITLE, year_group="Year 7", key_stage="KS3", topic="Fractions",
                       session=session)
    doc = document_doc(plan.document_id)
    fragment = doc.get(FRAGMENT_NAME, type=XmlFragment)
    _write_plan(doc, fragment, plan.document_id, PLAN, people)
    before = doc.get_state()
    with doc.transaction():
        _insert_after(fragment, "Anticipated misconceptions and responses", _bullets(MORE_ANTICIPATED))
        paragraph = _paragraph_after(fragment, "Case pupils and predictions")
        if paragraph is not None:
            at = list(fragment.children).index(paragraph)
            del fragment.children[at]  # the template's empty paragraph
            fragment.children.insert(at, _bullets([f"{label}: {text}" for label, text in PUPILS.items()]))
    db.session.add(DocumentUpdate(document_id=plan.document_id, data=doc.get_update(before),
                                  user_id=people["priya@example.org"].id))
    plan.created_at = plan.updated_at = started + timedelta(days=2)
    _date_updates(plan.document_id, plan.updated_at)
    cycles.link_plan(lead, cycle, plan)
    cycle.plan_linked_at = started + timedelta(days=3)
    cycles.link_session(lead, cycle, session, SessionPurpose.RESEARCH)
    cycle.sessions[0].linked_at = started + timedelta(days=3)
    _date_activity(mark, started + timedelta(days=3))

    # The visit, finished: its anticipated items copied from the plan, the observers' notes tagged against them.
    mark = _last_activity()
    setup = visits.VisitSetup(
        plan_id=plan.id, pupils=tuple(visits.PupilInput(label, text) for label, text in PUPILS.items()),
        host_id=people["amir@example.org"].id,
        observers=tuple(visits.ObserverInput(people[email].id, n) for n, email in enumerate(NOTES)))
    visit = visits.set_up_visit(lead, session, setup)
    visit.lesson_started_at = session.starts_at + timedelta(minutes=10)
    visit.lesson_ended_at = visit.lesson_started_at + timedelta(minutes=55)
    visit.current_phase = "Plenary"
    visit.retention_months = 12
    start_ms = int(visit.lesson_started_at.timestamp() * 1000)
    for record in visit.records:
        _write(record, start_ms, NOTES[record.observer.email], tags=TAGS[record.observer.email])
    _date_activity(mark, started + timedelta(days=4))
    db.session.commit()

    # The post-lesson discussion: posts, replies and agreed actions, two of them done.
    mark = _last_activity()
    at = session.starts_at + timedelta(minutes=76)
    for section, email, body, replies in POSTS:
        post, _ = discussions.create_post(people[email], session, str(uuid.uuid4()), section, body)
        post.created_at = at
        for reply_email, reply_body in replies:
            at += timedelta(minutes=1)
            reply, _ = discussions.create_post(people[reply_email], session, str(uuid.uuid4()), section,
                                               reply_body, parent_id=post.id)
            reply.created_at = at
        at += timedelta(minutes=3)
    thread = discussions.thread_of(session)
    assert thread is not None
    thread.created_at = session.starts_at + timedelta(minutes=75)
    for text, email, days, done in ACTIONS:
        due = previous_school_day(day + timedelta(days=days))
        action, _ = action_services.create_action(lead, session, str(uuid.uuid4()), text, people[email].id,
                                                  due.isoformat())
        action.created_at = at
        if done:
            action_services.set_action_done(people[email], session, action.id, True)
    db.session.commit()
    _date_activity(mark, at)

    # Version 2, made with the revise service after that discussion, then changed as the actions asked.
    mark = _last_activity()
    amir = people["amir@example.org"]
    revised = revise_plan(amir, plan, session)
    revised_at = _at(previous_school_day(day + timedelta(days=3)), 16)
    revised.created_at = revised.updated_at = revised_at
    link = db.session.scalar(select(PlanRevision).where(PlanRevision.plan_id == revised.id))
    assert link is not None
    link.created_at = revised_at
    doc = document_doc(revised.document_id)
    fragment = doc.get(FRAGMENT_NAME, type=XmlFragment)
    before = doc.get_state()
    with doc.transaction():
        for heading, text in REVISED.items():
            _insert_after(fragment, heading, XmlElement("paragraph", None, [XmlText(text)]))
    db.session.add(DocumentUpdate(document_id=revised.document_id, data=doc.get_update(before), user_id=amir.id))
    _date_updates(revised.document_id, revised_at)
    _date_activity(mark, revised_at)
    mark = _last_activity()

    # Finished and published to the hub's library, with what the Work Group learned.
    cycles.update_cycle(lead, cycle, cycle.title, cycle.research_question, CycleStatus.FINISHED)
    finished_at = revised_at + timedelta(hours=2)
    cycle.finished_at = finished_at
    item = publish(lead, cycle, SUMMARY)
    item.published_at = finished_at
    _date_activity(mark, finished_at)
    db.session.commit()
