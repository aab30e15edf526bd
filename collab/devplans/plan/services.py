"""Writes for development plans: the plan and its saved versions, and what the other parts share (DevPlanError,
editors, readers). Comments are in comments/services.py, critique rounds in rounds/services.py,
evidence links in evidence/services.py.

Services take the acting user, check permissions, commit, then notify people and rooms.
Views and socket handlers both call them; they never import flask_socketio.
"""

from __future__ import annotations

from pycrdt import Doc, XmlElement, XmlFragment, XmlText
from sqlalchemy import select

from collab.accounts.models import User
from collab.devplans.models import DevPlan, DevPlanComment, DevPlanVersion, EvidenceLink
from collab.devplans.permissions import can_edit_devplan, is_devplan_editor_for
from collab.extensions import db
from collab.groups.models import Department
from collab.plans import versioning
from collab.plans.versioning import Versioned, VersionRow
from collab.realtime.models import DocumentUpdate, SharedDocument
from collab.realtime.rooms import room_name
from collab.realtime.store import get_store
from collab.types import utcnow

FRAGMENT_NAME = "default"
SECTIONS = (
    "Aims (based on evidence of need)",
    "Evidence of need",
    "Actions",
    "Professional development programme for the department",
    "Timeline",
    "Success criteria (how success will be judged)",
)


class DevPlanError(Exception):
    """Refused: `code` is "forbidden" (views: 403) or "invalid" (400); not-found is decided by views. `field`: the
    form field an invalid value came from, where the page shows the message (None: the view decides)."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.field = field


def template_update(sections: tuple[str, ...] = SECTIONS) -> bytes:
    doc: Doc = Doc()
    fragment = doc.get(FRAGMENT_NAME, type=XmlFragment)
    with doc.transaction():
        for section in sections:
            # A number, as Tiptap stores it (collab.plans.services._heading). pycrdt annotates XmlElement's
            # attributes as strings, yet stores any value (as its attributes view takes).
            heading = fragment.children.append(XmlElement("heading", {"level": 2}))  # type: ignore[arg-type]
            heading.children.append(XmlText(section))
            fragment.children.append(XmlElement("paragraph"))
    return doc.get_update()


def plan_of(row: EvidenceLink | DevPlanComment) -> DevPlan:
    """The plan an evidence link or a comment belongs to. Their plan_id is a foreign key that deletes them with
    the plan, so it exists while they do; refused `invalid` should it have gone meanwhile."""
    plan = db.session.get(DevPlan, row.plan_id)
    if plan is None:
        raise DevPlanError("invalid", "That development plan no longer exists.")
    return plan


def plan_for_department(department: Department) -> DevPlan | None:
    return db.session.scalar(select(DevPlan).where(DevPlan.department_id == department.id))


def create_plan(actor: User, department: Department, title: str = "") -> DevPlan:
    """The department's plan (one per department), laid out from the template. Advocates and leads only."""
    if not is_devplan_editor_for(actor, department.id):
        raise DevPlanError("forbidden", "Only the department's Mastery Advocates can start its plan.")
    existing = plan_for_department(department)
    if existing is not None:
        return existing
    document = SharedDocument(kind="devplan")
    db.session.add(document)
    db.session.flush()
    db.session.add(DocumentUpdate(document_id=document.id, data=template_update(), user_id=actor.id))
    default = f"{department.school.name} {department.name.lower()} development plan"
    plan = DevPlan(department_id=department.id, document_id=document.id, created_by=actor,
                   title=(title.strip() or default)[:200])
    db.session.add(plan)
    db.session.commit()
    return plan


def document_state(plan: DevPlan) -> bytes:
    return get_store().full_state(plan.document_id)


def plan_text(plan: DevPlan) -> str:
    from collab.plans.services import fragment_text

    doc: Doc = Doc()
    doc.apply_update(document_state(plan))
    return fragment_text(doc.get(FRAGMENT_NAME, type=XmlFragment))


def _department_people(plan: DevPlan) -> list[User]:
    return list(db.session.scalars(select(User).where(User.department_id == plan.department_id,
                                                      User.active.is_(True))))


def editors(plan: DevPlan) -> list[User]:
    return [u for u in _department_people(plan) if can_edit_devplan(u, plan)]


def readers(plan: DevPlan) -> list[User]:
    """Everyone who may read the plan now: the department, and open rounds' Work Group members."""
    people = {u.id: u for u in _department_people(plan)}
    for round_ in plan.open_rounds:
        for m in round_.work_group.memberships:
            people.setdefault(m.user_id, m.user)
    return [u for u in people.values() if u.active]


# --- versions ------------------------------------------------------------------------------------------
# The lesson plans' history (collab.plans.versioning): automatic versions after a pause in editing, taken
# when someone opens the plan or its history; named versions; a restore is a new edit everyone receives.

def versioned(plan: DevPlan) -> Versioned:
    return Versioned(DevPlanVersion, plan.id, plan.document_id, room_name("devplan", plan.id))


def maybe_auto_version(plan: DevPlan) -> DevPlanVersion | None:
    return versioning.maybe_auto_version(versioned(plan))


def version_rows(plan: DevPlan) -> list[VersionRow]:
    return versioning.version_rows(versioned(plan))


def save_version(actor: User, plan: DevPlan, name: str) -> DevPlanVersion:
    if not can_edit_devplan(actor, plan):
        raise DevPlanError("forbidden", "Only the department's advocates can save versions.")
    name = name.strip()[:120] or utcnow().strftime("Version of %d/%m/%Y %H:%M")
    return versioning.save_named_version(versioned(plan), actor, name)


def restore_version(actor: User, plan: DevPlan, version: DevPlanVersion) -> None:
    """The plan reads as `version` again, live for everyone in it; what it replaced is kept as a version."""
    if not can_edit_devplan(actor, plan):
        raise DevPlanError("forbidden", "Only the department's advocates can restore a version.")
    if version.plan_id != plan.id:
        raise DevPlanError("invalid", "That version belongs to another plan.")
    plan.updated_at = utcnow()
    versioning.restore_version(versioned(plan), version, actor)
