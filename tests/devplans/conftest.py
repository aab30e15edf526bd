"""Fixtures for development plans: Riverside's plan (world.school_b), a reviewer from Castle Hill, rounds."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from collab.accounts.models import User
from collab.devplans.plan import services
from collab.devplans.rounds import services as round_services
from collab.groups.models import Role
from tests import factories


def make_reviewer(world: factories.World) -> User:
    """A Mastery Advocate from another school in the Work Group (Castle Hill, world.school_a)."""
    person = factories.user("reviewer@example.org", "Rosa Reviewer", world.school_a)
    factories.member(world.group, person, Role.ADVOCATE)
    return person


@pytest.fixture
def reviewer(world):
    return make_reviewer(world)


@pytest.fixture
def devplan(world):
    """Riverside's plan, started by its advocate (world.advocate; world.colleague is a department colleague)."""
    return services.create_plan(world.advocate, world.school_b.maths_department)


@pytest.fixture
def open_round(world, devplan, reviewer):
    return round_services.open_round(world.advocate, devplan, world.group, "Are our success criteria measurable?",
                               date.today() + timedelta(days=14))


@pytest.fixture
def closed_round(world, open_round):
    round_services.close_round(world.advocate, open_round)
    return open_round
