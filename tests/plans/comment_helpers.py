"""Typing into a lesson or transition plan under one of its headings, and anchoring a comment the way the browser
does (tests.devplans.helpers makes the anchors)."""

from __future__ import annotations

from pycrdt import Doc, XmlElement, XmlFragment, XmlText

from collab.comments.anchors import _state_vector
from collab.plans.models import LessonPlan
from collab.plans.services import document_state
from collab.realtime.store import get_store
from tests.devplans.helpers import anchor_for


def _heading_text(node: XmlElement) -> str:
    return "".join(str(c) for c in node.children if isinstance(c, XmlText))


def write_under(plan: LessonPlan, heading: str, text: str, nth: int = 0, client_id: int = 4242) -> tuple[int, int]:
    """Type `text` at the start of the paragraph after the nth heading called `heading`, as a new Yjs client.
    Returns (client, clock of its first character)."""
    doc: Doc = Doc(client_id=client_id)
    doc.apply_update(document_state(plan.document_id))
    before = doc.get_state()
    children = list(doc.get("default", type=XmlFragment).children)
    at = [i for i, c in enumerate(children)
          if isinstance(c, XmlElement) and c.tag == "heading" and _heading_text(c) == heading][nth]
    paragraph = children[at + 1]
    if len(paragraph.children) == 0:
        paragraph.children.append(XmlText())
    first = _state_vector(doc.get_update()).get(client_id, 0)
    paragraph.children[0].insert(0, text)
    get_store().submit(plan.document_id, doc.get_update(before), None)
    return client_id, first


def anchored(plan: LessonPlan, heading: str, sentence: str, words: str, nth: int = 0,
             client_id: int = 4242) -> dict[str, str]:
    """Type `sentence` under the heading, then an anchor on its first `words` (as the comment's JSON has it)."""
    client, first = write_under(plan, heading, sentence, nth, client_id)
    assert sentence.startswith(words)
    start, end = anchor_for(client, first, first + len(words) - 1)
    return {"start": start, "end": end}
