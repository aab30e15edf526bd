"""Fixtures for the plan pages: sign in as someone, a plan in the world's Work Group, edits to its document."""

from __future__ import annotations

import pytest
from pycrdt import Doc, XmlElement, XmlFragment, XmlText

from collab.extensions import db
from collab.plans.models import PlanReadOnly
from collab.plans.services import create_plan, document_state
from collab.realtime.store import get_store


@pytest.fixture
def plan(world):
    return create_plan(world.lead, world.group, "Year 8 ratio: sharing in a ratio", year_group="Year 8",
                       key_stage="KS3", topic="Ratio")


@pytest.fixture
def read_only_colleague(world, plan):
    db.session.add(PlanReadOnly(plan_id=plan.id, user_id=world.colleague.id))
    db.session.commit()
    return world.colleague


def type_paragraph(plan, text: str, user, marks: dict | None = None) -> bytes:
    """Append a paragraph to the plan as `user` would from the editor, through the document store."""
    doc = Doc()
    doc.apply_update(document_state(plan.document_id))
    before = doc.get_state()
    fragment = doc.get("default", type=XmlFragment)
    with doc.transaction():
        paragraph = fragment.children.append(XmlElement("paragraph"))
        paragraph.children.append(XmlText()).insert(0, text, marks)
    update = doc.get_update(before)
    get_store().submit(plan.document_id, update, user.id)
    return update


@pytest.fixture
def type_text():
    return type_paragraph
