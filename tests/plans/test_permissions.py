"""Who may read, edit and manage a lesson plan, and creating one."""

from __future__ import annotations

import pytest
from pycrdt import Doc, XmlFragment
from sqlalchemy import func, select

from collab.activity.models import Activity
from collab.extensions import db
from collab.groups.models import Role
from collab.plans.models import LessonPlan, PlanKind, PlanReadOnly
from collab.plans.permissions import can_edit_plan, can_manage_plan, can_read_plan
from collab.plans.services import FRAGMENT_NAME, MASTERY_SECTIONS, PlanPermissionError, create_plan, plan_text
from collab.realtime.doclog import load
from collab.realtime.models import DocumentUpdate
from tests import factories


@pytest.fixture
def plan(world):
    return create_plan(world.advocate, world.group, "Year 8 ratio")


def test_members_can_read_and_edit(world, plan):
    for person in (world.lead, world.advocate, world.colleague):
        assert can_read_plan(person, plan) and can_edit_plan(person, plan)


def test_outsiders_and_other_hubs_admins_can_do_nothing(world, plan):
    for person in (world.outsider, world.other_admin, None):
        assert not can_read_plan(person, plan)
        assert not can_edit_plan(person, plan)
        assert not can_manage_plan(person, plan)


def test_the_groups_hub_admin_who_is_not_a_member_can_do_nothing(world, plan):
    assert not can_read_plan(world.admin, plan)
    assert not can_edit_plan(world.admin, plan)
    assert not can_manage_plan(world.admin, plan)


def test_the_groups_hub_admin_who_is_a_member_can_read_edit_and_manage(world, plan):
    factories.member(world.group, world.admin, Role.ADVOCATE)
    assert can_read_plan(world.admin, plan) and can_edit_plan(world.admin, plan) and can_manage_plan(world.admin, plan)


def test_a_read_only_member_can_read_but_not_edit(world, plan):
    db.session.add(PlanReadOnly(plan_id=plan.id, user_id=world.colleague.id))
    db.session.commit()
    assert can_read_plan(world.colleague, plan)
    assert not can_edit_plan(world.colleague, plan)
    assert can_edit_plan(world.advocate, plan)


def test_of_the_members_only_the_lead_manages(world, plan):
    assert can_manage_plan(world.lead, plan)
    assert not can_manage_plan(world.advocate, plan)


def test_a_deactivated_member_can_do_nothing(world, plan):
    world.advocate.active = False
    db.session.commit()
    assert not can_read_plan(world.advocate, plan)


def test_creating_a_plan_lays_out_the_mastery_template_and_records_activity(world, plan):
    text = plan_text(plan)
    assert [line for line in text.splitlines() if line] == list(MASTERY_SECTIONS)
    update = db.session.query(DocumentUpdate).filter_by(document_id=plan.document_id).one()
    assert update.user_id == world.advocate.id
    assert db.session.query(Activity).filter_by(work_group_id=world.group.id).count() == 1


def test_template_headings_have_a_numeric_level_like_the_editors_own(world, plan):
    """Tiptap compares heading levels as numbers: a level stored as "2" left the Heading button inactive."""
    doc: Doc = load(plan.document_id)
    headings = [node for node in doc.get(FRAGMENT_NAME, type=XmlFragment).children if node.tag == "heading"]
    assert len(headings) == len(MASTERY_SECTIONS)
    assert {dict(h.attributes)["level"] for h in headings} == {2}


def test_a_transition_plan_has_a_ks2_side_and_a_ks3_side(world):
    plan = create_plan(world.lead, world.group, "Fractions across the transition", kind=PlanKind.TRANSITION)
    lines = [line for line in plan_text(plan).splitlines() if line]
    assert lines[0] == "KS2 side (Year 6)"
    assert lines[len(MASTERY_SECTIONS) + 1] == "KS3 side (Year 7)"
    assert lines.count("Anchor task") == 2


def test_an_outsider_cannot_create_a_plan(world):
    with pytest.raises(PlanPermissionError):
        create_plan(world.outsider, world.group, "Sneaky")


def test_a_hub_admin_who_is_not_a_member_cannot_create_a_plan(world):
    with pytest.raises(PlanPermissionError):
        create_plan(world.admin, world.group, "Admin's plan")
    assert db.session.scalar(select(func.count(LessonPlan.id))) == 0


def test_a_hub_admin_who_joins_the_group_can_create_a_plan(world):
    factories.member(world.group, world.admin)
    assert create_plan(world.admin, world.group, "Admin's plan").work_group_id == world.group.id
