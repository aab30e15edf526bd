"""Writing into a development plan's document from a test, and making anchors the way the browser does."""

from __future__ import annotations

import base64

from pycrdt import Doc, StickyIndex, XmlFragment, XmlText

from collab.comments.anchors import _state_vector
from collab.devplans.models import DevPlan, Notification
from collab.devplans.plan.services import document_state
from collab.extensions import db
from collab.realtime.store import get_store


def first_paragraph_text(doc: Doc, section_index: int = 0) -> XmlText:
    """The XmlText of the paragraph under the n-th heading (made if the paragraph is empty)."""
    paragraph = doc.get("default", type=XmlFragment).children[2 * section_index + 1]
    if len(paragraph.children) == 0:
        paragraph.children.append(XmlText())
    return paragraph.children[0]


def write(plan: DevPlan, text: str, section_index: int = 0, client_id: int = 4242) -> tuple[int, int]:
    """Type `text` into a section's paragraph as a new Yjs client; returns (client, clock of its first
    character). Characters have consecutive clocks (one per UTF-16 unit), so a test can name the Yjs
    item of each character, as the browser's relative positions do."""
    doc: Doc = Doc(client_id=client_id)
    doc.apply_update(document_state(plan))
    before = doc.get_state()
    target = first_paragraph_text(doc, section_index)
    first = _state_vector(doc.get_update()).get(client_id, 0)
    target.insert(0, text)
    get_store().submit(plan.document_id, doc.get_update(before), None)
    return client_id, first


def position(client: int, clock: int, assoc: int) -> str:
    return base64.b64encode(
        StickyIndex.from_json({"item": {"client": client, "clock": clock}, "assoc": assoc}).encode()).decode()


def anchor_for(client: int, first: int, last: int) -> tuple[str, str]:
    """Start on character `first`, end on character `last` (inclusive) of that client's insert."""
    return position(client, first, 0), position(client, last, -1)


def notes(user, kind: str | None = None) -> list[Notification]:
    """The person's notifications (of one kind), oldest first."""
    query = db.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return list(db.session.scalars(query))
