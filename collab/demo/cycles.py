"""Demo content for research cycles: the Work Group's research theme, and one cycle in progress around the Year 8
ratio lesson (its study document written by three teachers, the co-planned plan linked, today's visit its research
lesson)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from pycrdt import XmlFragment, XmlText

from collab.activity.services import record
from collab.cycles.models import CycleSession, CycleStatus, ResearchCycle, ResearchTheme, SessionPurpose
from collab.cycles.study import create_study
from collab.demo.plans import _paragraph_after
from collab.extensions import db
from collab.plans import richtext
from collab.plans.models import LessonPlan
from collab.plans.services import document_doc
from collab.realtime.models import DocumentUpdate

if TYPE_CHECKING:
    from collab.demo.load import Demo

THEME = ("Multiplicative reasoning from KS2 to KS3",
         "How do representations help pupils move from additive to multiplicative thinking about ratio?")
CYCLE = ("Year 8 ratio: the double number line",
         "Does starting from the double number line help pupils see the multiplier between the two quantities, "
         "rather than adding the same amount to both?")

# Study heading -> (text, who wrote it)
STUDY = {
    "The maths": ("A ratio compares two quantities multiplicatively: 3 pencils for £1.20 and 12 pencils for £4.80 "
                  "share the multiplier ×4 (between states) and the rate £0.40 a pencil (within the measure). "
                  "The double number line shows both at once.", "lead@example.org"),
    "Curriculum links": ("KS2 Year 6: solve problems involving the relative sizes of two quantities, scaling. "
                         "KS3: use ratio notation, divide a quantity in a ratio, relate ratios to fractions and "
                         "to linear functions. NCETM Checkpoints: Year 7 ratio and scale.", "jo@example.org"),
    "Evidence of pupils' prior attainment": ("Riverside's Year 8 baseline: 19 of 27 scaled a recipe by a whole "
                                             "number; 8 of 27 by ×1.5. Four pupils added the same amount to both "
                                             "quantities.", "ben@example.org"),
}


def add_demo_cycle(demo: Demo) -> None:
    lead = demo.people["lead@example.org"]
    year8 = next(s for s in demo.sessions if s.title.startswith("Year 8 ratio lesson"))
    plan = db.session.query(LessonPlan).filter_by(session_id=year8.id).first()
    db.session.add(ResearchTheme(work_group_id=demo.group.id, theme=THEME[0], question=THEME[1],
                                 updated_by_id=lead.id))
    started = year8.starts_at - timedelta(days=12)
    cycle = ResearchCycle(work_group=demo.group, title=CYCLE[0], research_question=CYCLE[1],
                          status=CycleStatus.IN_PROGRESS, research_plan=plan, plan_linked_by_id=lead.id,
                          plan_linked_at=started + timedelta(days=5), created_by_id=lead.id, created_at=started)
    db.session.add(cycle)
    db.session.flush()
    study = create_study(lead, cycle)
    doc = document_doc(study.document_id)  # build on the stored headings
    fragment = doc.get(richtext.FIELD, type=XmlFragment)
    for heading, (text, email) in STUDY.items():
        paragraph = _paragraph_after(fragment, heading)
        if paragraph is None:
            continue
        before = doc.get_state()
        paragraph.children.append(XmlText(text))
        db.session.add(DocumentUpdate(document_id=study.document_id, data=doc.get_update(before),
                                      user_id=demo.people[email].id))
    db.session.add(CycleSession(cycle=cycle, session=year8, purpose=SessionPurpose.RESEARCH, linked_by_id=lead.id,
                                linked_at=started + timedelta(days=6)))
    record(demo.group.id, lead, f"{lead.name} started the research cycle “{cycle.title}”", cycle)
