"""Writing a lesson plan's sections as its editor would (through the document store), and tagging anticipated
items in an observation record as the record page does, for the anticipated-versus-observed tests."""

from __future__ import annotations

from pycrdt import Doc, Map, XmlElement, XmlFragment, XmlText

from collab.observations.models import ObservationRecord, Visit
from collab.plans.models import LessonPlan
from collab.plans.services import FRAGMENT_NAME, create_plan
from collab.realtime.store import get_store
from tests.observations.helpers import _edit

ANTICIPATED = "Anticipated misconceptions and responses"
CASE_PUPILS = "Case pupils and predictions"


def _paragraph(text: str) -> XmlElement:
    return XmlElement("paragraph", None, [XmlText(text)])


def write_section(plan: LessonPlan, heading: str, blocks: list, user_id: int) -> None:
    """Put `blocks` under the heading, in place of its empty paragraph: a str is a paragraph, a list of str a
    bulleted list."""
    doc: Doc = Doc()
    doc.apply_update(get_store().full_state(plan.document_id))
    before = doc.get_state()
    fragment = doc.get(FRAGMENT_NAME, type=XmlFragment)
    children = list(fragment.children)
    at = 1 + next(i for i, node in enumerate(children) if isinstance(node, XmlElement) and node.tag == "heading"
                  and str(node.children[0]) == heading)
    with doc.transaction():
        following = children[at] if at < len(children) else None
        if isinstance(following, XmlElement) and following.tag == "paragraph" and not len(following.children):
            del fragment.children[at]
        for block in blocks:
            if isinstance(block, str):
                fragment.children.insert(at, _paragraph(block))
            else:
                items = [XmlElement("listItem", None, [_paragraph(text)]) for text in block]
                fragment.children.insert(at, XmlElement("bulletList", None, items))
            at += 1
    get_store().submit(plan.document_id, doc.get_update(before), user_id)


def ratio_plan(world, anticipated=None, pupils=None) -> LessonPlan:
    """A plan of the world's Work Group with two anticipated misconceptions and two case pupils' predictions."""
    plan = create_plan(world.lead, world.group, "Year 8 ratio tables")
    write_section(plan, ANTICIPATED, anticipated if anticipated is not None else [
        "Additive reasoning: adding 9 to both quantities.",
        ["Unit price rounded too early.", "Scale factor applied to one quantity only."]], world.lead.id)
    write_section(plan, CASE_PUPILS, pupils if pupils is not None else [
        ["Pupil A: will reach for the unitary method at once.", "Pupil B: will add rather than scale."]],
        world.lead.id)
    return plan


def item_id(visit: Visit, text: str) -> str:
    return str(next(i.id for i in visit.anticipated if i.text.startswith(text)))


def tag(record: ObservationRecord, item: str, value: str | None) -> bytes:
    def change(doc: Doc) -> None:
        tags = doc.get("anticipated", type=Map)
        if value is None:
            del tags[item]
        else:
            tags[item] = value
    return _edit(record, change)


def link(record: ObservationRecord, note_id: str, item: str) -> bytes:
    return _edit(record, lambda doc: doc.get("anticipated_notes", type=Map).__setitem__(note_id, item))
