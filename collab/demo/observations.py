"""Demo content for visits: today's Year 8 ratio visit in progress and the finished Year 9 research lesson.

Each visit follows its own case pupils, known only by pseudonym: Pupil A, B and C in Year 9 at Northfield (the
post-lesson discussion, discussions.py, talks about them), Pupil D, E and F in Year 8 at Riverside."""

from __future__ import annotations

from datetime import timedelta

from pycrdt import Array, Doc, Map

from collab.extensions import db
from collab.observations.anticipated.services import case_pupils_from_plan
from collab.observations.models import ObservationRecord, Visit
from collab.observations.visits import services
from collab.plans.models import LessonPlan
from collab.realtime.models import DocumentUpdate
from collab.types import utcnow

YEAR8_PUPILS = {
    "Pupil D": "Will add the same amount to both quantities (additive reasoning) until shown the double number line.",
    "Pupil E": "Will find the unit price first, then scale up; may not explain why it works.",
    "Pupil F": "Confident with times tables; likely to spot the scale factor of 4 straight away.",
}

YEAR9_PUPILS = {
    "Pupil A": "Will reach for the unitary method at once; can she explain it with the bar model?",
    "Pupil B": "Will add rather than scale (3 : 5 becomes 6 : 8) until a ratio table goes up.",
    "Pupil C": "Secure with multiplication facts, less so with explaining why scaling keeps the ratio.",
}

# The Year 8 observers' tags of the plan's anticipated items (found by the start of their text): the item's tag,
# and the note (its number in YEAR8_NOTES) linked to it.
YEAR8_TAGS = {  # observer email -> [(item text starts, tag, note number or None)]
    "ben@example.org": [("Additive reasoning", "seen", 2), ("Will add the same amount", "seen", None),
                        ("Scales the pencils by 4", "not-seen", None)],
    "amir@example.org": [("Additive reasoning", "not-seen", None), ("Will find the unit price", "something-else", 2)],
    "priya@example.org": [("Confident with times tables", "seen", 1), ("Scales the pencils by 4", "not-seen", None)],
}

YEAR8_NOTES = {  # observer email -> [(minutes in, phase, big idea, pupil, text)]
    "ben@example.org": [(3, "Starter", "fluency", "", "Quick-fire 3x and 4x facts; most boards correct within 10 s."),
                        (14, "Anchor task", "representation", "Pupil D",
                         "Pupil D added 9 to both: 12 pencils cost £10.20. Prediction confirmed.")],
    "amir@example.org": [(12, "Anchor task", "thinking", "", "Teacher asks 'How else could you find it?' — "
                                                              "three different methods shared."),
                         (17, "Anchor task", "representation", "Pupil E",
                          "Pupil E drew a double number line unprompted, halved to 6 pencils first.")],
    "priya@example.org": [(15, "Anchor task", "coherence", "Pupil F",
                           "Pupil F: 'It's times 4, so the money is times 4 too.'")],
}

YEAR9_NOTES = {
    "jo@example.org": [(4, "Starter", "fluency", "", "Recall of multiplication facts secure; two pupils used a "
                                                     "ratio table for the starter."),
                       (21, "Anchor task", "representation", "Pupil A",
                        "Pupil A used the bar model to show 3 : 5, then scaled to 24 : 40."),
                       (38, "Independent practice", "variation", "", "Questions varied one thing at a time: "
                                                                      "the multiplier, then the missing quantity.")],
    "kate@example.org": [(9, "Starter", "coherence", "", "Starter links back to last lesson's equivalent ratios."),
                         (26, "Anchor task", "thinking", "Pupil B",
                          "Pupil B explained why adding the same amount does not keep the ratio."),
                         (49, "Plenary", "thinking", "", "Exit check: 23 of 27 found the missing value.")],
    "priya@example.org": [(18, "Anchor task", "representation", "", "Double number line and ratio table side by "
                                                                    "side; teacher asks what is the same."),
                          (33, "Independent practice", "fluency", "Pupil C",
                           "Pupil C finished early; moved to the 'what if' extension.")],
}

YEAR9_RATINGS = {
    "jo@example.org": {"coherence-1": ("seen", "Small steps from 2 : 3 to non-unit ratios."),
                       "representation-1": ("seen", "Bar model made the parts visible."),
                       "thinking-1": ("partly", "Explanations mostly from the same few pupils."),
                       "fluency-1": ("seen", ""), "variation-2": ("seen", "Procedural variation in practice.")},
    "kate@example.org": {"coherence-1": ("seen", ""), "representation-1": ("partly", "Bar model removed too soon."),
                         "thinking-1": ("seen", "Pupil B's explanation."), "fluency-2": ("partly", ""),
                         "variation-1": ("not-seen", "No non-examples shown.")},
    "priya@example.org": {"coherence-2": ("seen", ""), "representation-2": ("seen", ""),
                          "thinking-2": ("seen", "'What if the ratio was 3 : 7?'"),
                          "fluency-1": ("seen", ""), "variation-1": ("partly", "")},
}


def _write(record: ObservationRecord, start_ms: int, notes, ratings=None, tags=()) -> None:
    doc: Doc = Doc()
    items = {item.text: str(item.id) for item in record.visit.anticipated}
    with doc.transaction():
        array = doc.get("notes", type=Array)
        for n, (minutes, phase, big_idea, pupil, text) in enumerate(notes, 1):
            array.append({"id": f"demo-{record.id}-{n}", "at": start_ms + minutes * 60_000, "phase": phase,
                          "big_idea": big_idea, "pupil": pupil, "text": text})
        rated = doc.get("ratings", type=Map)
        for criterion, (rating, evidence) in (ratings or {}).items():
            rated[criterion] = {"rating": rating, "evidence": evidence}
        for starts, tag, note in tags:
            item = next((key for text, key in items.items() if text.startswith(starts)), None)
            if item is not None:
                doc.get("anticipated", type=Map)[item] = tag
                if note is not None:
                    doc.get("anticipated_notes", type=Map)[f"demo-{record.id}-{note}"] = item
    db.session.add(DocumentUpdate(document_id=record.document_id, data=doc.get_update(),
                                  user_id=record.observer_id))


def _set_up(demo, title_start: str, host: str, observers: list[str], plan: LessonPlan | None,
            case_pupils: dict[str, str]) -> Visit:
    session = next(s for s in demo.sessions if s.title.startswith(title_start))
    people = demo.people
    pupils = tuple(services.PupilInput(label, prediction) for label, prediction in case_pupils.items())
    setup = services.VisitSetup(
        plan_id=plan.id if plan else None, pupils=pupils, host_id=people[host].id,
        observers=tuple(services.ObserverInput(people[email].id, n % 3) for n, email in enumerate(observers)))
    return services.set_up_visit(people["lead@example.org"], session, setup)


def add_demo_visits(demo) -> None:
    db.session.flush()
    lead = demo.people["lead@example.org"]
    year8 = next(s for s in demo.sessions if s.title.startswith("Year 8 ratio lesson"))
    plan = db.session.query(LessonPlan).filter_by(session_id=year8.id).first()
    if plan is None:
        from collab.plans.services import create_plan
        plan = create_plan(lead, demo.group, "Year 8: ratio tables and the double number line",
                           year_group="Year 8", key_stage="KS3", topic="Ratio and proportion", session=year8)

    # In progress today (load.py keeps it today even at a weekend or in the holidays: a demo must show a live
    # visit): the lesson started about 20 minutes ago, 25 minutes into the visit, and is in the anchor task.
    # Its case pupils and anticipated items come from the plan, as the set-up page offers them.
    from_plan = {p.label: p.prediction for p in case_pupils_from_plan(plan)} or YEAR8_PUPILS
    visit = _set_up(demo, "Year 8 ratio lesson", "jo@example.org", list(YEAR8_NOTES), plan, from_plan)
    visit.lesson_started_at = max(year8.starts_at,  # (just after midnight, the visit began at 00:00)
                                  min(year8.starts_at + timedelta(minutes=25), utcnow() - timedelta(minutes=20)))
    visit.current_phase = "Anchor task"
    start_ms = int(visit.lesson_started_at.timestamp() * 1000)
    for record in visit.records:
        _write(record, start_ms, YEAR8_NOTES[record.observer.email], tags=YEAR8_TAGS[record.observer.email])

    # Finished: the Year 9 research lesson two weeks ago, records kept for 12 months.
    finished = _set_up(demo, "Year 9 proportional reasoning", "ruth@example.org", list(YEAR9_NOTES), None,
                       YEAR9_PUPILS)
    session = finished.session
    finished.lesson_started_at = session.starts_at + timedelta(minutes=10)
    finished.lesson_ended_at = finished.lesson_started_at + timedelta(minutes=55)
    finished.current_phase = "Plenary"
    finished.retention_months = 12
    start_ms = int(finished.lesson_started_at.timestamp() * 1000)
    for record in finished.records:
        email = record.observer.email
        _write(record, start_ms, YEAR9_NOTES[email], YEAR9_RATINGS[email])
    db.session.commit()
