"""Fixtures for research cycles: a cycle in the world's Work Group, its research lesson plan, a taught research
lesson with a discussion and agreed actions, and writing into a plan or study document as the editor would."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from pycrdt import Doc, XmlElement, XmlFragment, XmlText

from collab.cycles import services
from collab.cycles.models import SessionPurpose
from collab.discussions import action_services
from collab.discussions import services as discussion_services
from collab.plans.services import create_plan
from collab.realtime.store import get_store
from tests import factories


def write_under(document_id: int, heading: str, text: str, user) -> None:
    """Add a paragraph just under the first heading `heading` (at the end when there is none), through the store."""
    doc = Doc()
    doc.apply_update(get_store().full_state(document_id))
    before = doc.get_state()
    fragment = doc.get("default", type=XmlFragment)
    children = list(fragment.children)
    at = len(children)
    for index, node in enumerate(children):
        if isinstance(node, XmlElement) and node.tag == "heading" and str(node) and heading in str(node):
            at = index + 1
            break
    with doc.transaction():
        paragraph = fragment.children.insert(at, XmlElement("paragraph"))
        paragraph.children.append(XmlText(text))
    get_store().submit(document_id, doc.get_update(before), user.id)


@pytest.fixture
def cycle(world):
    return services.create_cycle(world.lead, world.group, "Year 8 ratio: the double number line",
                                 "Does the double number line help pupils see the multiplicative relationship?")


@pytest.fixture
def plan(world):
    return create_plan(world.lead, world.group, "Year 8 ratio: sharing in a ratio", year_group="Year 8",
                       key_stage="KS3", topic="Ratio")


@pytest.fixture
def research_lesson(world):
    """A research lesson taught a fortnight ago (its discussion can be held)."""
    return factories.session(world.group, starts_in=timedelta(days=-14), title="Year 8 research lesson",
                             attendees=[world.lead, world.advocate, world.colleague])


@pytest.fixture
def linked(world, cycle, plan, research_lesson):
    """The cycle with its plan and its (taught) research lesson."""
    services.link_plan(world.lead, cycle, plan)
    services.link_session(world.lead, cycle, research_lesson, SessionPurpose.RESEARCH)
    return cycle


@pytest.fixture
def discussed(world, linked, research_lesson):
    """The research lesson's discussion: a post and two agreed actions."""
    discussion_services.create_post(world.advocate, research_lesson, str(uuid.uuid4()), "noticed",
                                    "Pupil A reached for the ratio table at once.", None, None)
    first, _ = action_services.create_action(world.lead, research_lesson, str(uuid.uuid4()),
                                             "Start with the bar model before the double number line",
                                             world.advocate.id, "")
    second, _ = action_services.create_action(world.lead, research_lesson, str(uuid.uuid4()),
                                              "Add a key question on scaling down", world.colleague.id, "")
    return [first, second]
