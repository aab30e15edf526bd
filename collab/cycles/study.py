"""A cycle's study document: the maths, curriculum links, evidence of pupils' prior attainment.

A shared Yjs document like a lesson plan's body (the same Tiptap schema, the same XmlFragment "default", read on
the server by collab.plans.richtext), in the room kind "study" (events.py). It is not a LessonPlan: it belongs
to its cycle, is never taught or observed, and stays out of the group's list of plans and the visit set-up.
"""

from __future__ import annotations

from datetime import datetime

from pycrdt import Doc, XmlElement, XmlFragment, XmlText
from sqlalchemy import func, select

from collab.accounts.models import User
from collab.cycles.models import ResearchCycle, StudyDocument
from collab.extensions import db
from collab.plans import richtext
from collab.plans.versioning import latest_change
from collab.realtime.models import DocumentSnapshot, DocumentUpdate, SharedDocument
from collab.types import utcnow

ROOM_KIND = "study"
STUDY_SECTIONS = (
    ("The maths", "What is the key idea, and how does it develop? Representations and structures that show it."),
    ("Curriculum links", "Where it sits in the National Curriculum and the NCETM materials; what comes before "
                         "and after (KS2–KS3)."),
    ("Evidence of pupils' prior attainment", "What pupils know and can do now: assessments, work, what we saw."),
)


def template_update() -> bytes:
    """The initial state of a study document: a heading and a prompt paragraph per section."""
    doc: Doc = Doc()
    fragment = doc.get(richtext.FIELD, type=XmlFragment)
    with doc.transaction():
        for heading, _prompt in STUDY_SECTIONS:
            element = fragment.children.append(XmlElement("heading", {"level": 2}))  # type: ignore[arg-type]
            element.children.append(XmlText(heading))
            fragment.children.append(XmlElement("paragraph"))
    return doc.get_update()


def create_study(actor, cycle: ResearchCycle) -> StudyDocument:
    """The cycle's study document (in the caller's transaction)."""
    document = SharedDocument(kind=ROOM_KIND)
    db.session.add(document)
    db.session.flush()
    db.session.add(DocumentUpdate(document_id=document.id, data=template_update(), user_id=actor.id))
    study = StudyDocument(cycle=cycle, document_id=document.id, created_by_id=actor.id, created_at=utcnow())
    db.session.add(study)
    db.session.flush()
    return study


def study_state(study: StudyDocument) -> bytes:
    from collab.realtime.store import get_store

    return get_store().full_state(study.document_id)


def study_html(study: StudyDocument) -> str:
    return richtext.to_html(richtext.load(study_state(study)))


def _first_update_id(study: StudyDocument) -> int | None:
    return db.session.scalar(select(func.min(DocumentUpdate.id)).where(DocumentUpdate.document_id == study.document_id))


def writers(study: StudyDocument) -> tuple[list[str], datetime | None]:
    """Who has written in the study document (beyond its starting headings), and when it last changed; ([], None)
    while nobody has. A compacted log no longer says who: then ([], time of the snapshot)."""
    first = _first_update_id(study)
    ids = db.session.scalars(select(DocumentUpdate.user_id).distinct().where(
        DocumentUpdate.document_id == study.document_id, DocumentUpdate.id != first,
        DocumentUpdate.user_id.is_not(None))).all() if first is not None else []
    compacted = db.session.scalar(select(func.count()).select_from(DocumentSnapshot)
                                  .where(DocumentSnapshot.document_id == study.document_id)) or 0
    edited = db.session.scalar(select(func.count()).select_from(DocumentUpdate).where(
        DocumentUpdate.document_id == study.document_id, DocumentUpdate.id != first)) or 0
    if not edited and not compacted:
        return [], None
    names = sorted(db.session.scalars(select(User.name).where(User.id.in_([i for i in ids if i is not None]))))
    return names, latest_change(study.document_id)[1]


def has_writing(study: StudyDocument | None) -> bool:
    return study is not None and writers(study)[1] is not None
