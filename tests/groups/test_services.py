"""The write functions themselves, as socket handlers and other callers will use them."""

from __future__ import annotations

import pytest

from collab.activity.models import Activity
from collab.extensions import db
from collab.groups import services
from collab.groups.models import Phase, Role


def _membership(group, user):
    return next(m for m in group.memberships if m.user_id == user.id)


def test_change_role_refuses_a_member_without_a_managing_role(world):
    with pytest.raises(PermissionError):
        services.change_role(world.advocate, _membership(world.group, world.colleague), Role.LEAD)


def test_change_role_records_activity(world):
    services.change_role(world.lead, _membership(world.group, world.colleague), Role.ADVOCATE)
    summaries = [a.summary for a in db.session.query(Activity)]
    assert "Sam Lead made Chris Colleague Mastery Advocate" in summaries


def test_remove_member_refuses_the_only_lead(world):
    with pytest.raises(services.GroupError):
        services.remove_member(world.admin, _membership(world.group, world.lead))


def test_create_group_refuses_someone_who_is_neither_hub_admin_nor_lead(world):
    details = services.GroupDetails("NCP25-01a", "T", "Focus A: Developing mathematical thinking",
                                    world.group.journey_phase, "2025/26")
    with pytest.raises(PermissionError):
        services.create_group(world.advocate, details, [], world.advocate)


def test_create_group_refuses_a_lead_from_another_hub(world):
    details = services.GroupDetails("NCP25-01a", "T", "Focus A: Developing mathematical thinking",
                                    world.group.journey_phase, "2025/26")
    with pytest.raises(services.GroupError):
        services.create_group(world.admin, details, [], world.other_admin)


def test_create_school_refuses_the_admin_of_another_hub(world):
    with pytest.raises(PermissionError):
        services.create_school(world.other_admin, world.hub, services.SchoolDetails("X", "123456", Phase.PRIMARY))


def test_deactivate_refuses_the_admin_themselves(world):
    with pytest.raises(services.GroupError):
        services.deactivate_person(world.admin, world.admin)


def test_hub_people_includes_people_through_their_school_and_hub_staff(world):
    people = services.hub_people(world.hub)
    assert world.advocate in people and world.admin in people
    assert world.other_admin not in people
