"""Making delivery rows for tests: an aim with actions, a visit to cite, a person outside the Work Group."""

from __future__ import annotations

from collab.devplans.delivery import services
from collab.devplans.delivery.models import PlanAim
from collab.discussions.services import ensure_thread
from collab.groups.models import Role
from collab.observations.visits import services as visit_services
from tests import factories
from tests.observations.helpers import make_visit


def aim_with_actions(world, plan, text: str = "Every pupil in KS3 reasons multiplicatively",
                     done: int = 1, not_done: int = 1) -> PlanAim:
    aim = services.add_aim(world.advocate, plan, text, "80% scale correctly", "Year 7 baseline: 58% added")
    for n in range(done + not_done):
        action = services.add_action(world.advocate, plan, aim, f"Action {n}", world.colleague.id, None)
        if n < done:
            services.set_action_done(world.advocate, plan, action, True)
    return aim


def visit_in_group(world):
    return make_visit(world)


def thread_in_group(world):
    return ensure_thread(factories.session(world.group, title="Year 8 ratio discussion"))


def visit_in_other_group(world):
    """A visit in another Work Group of Riverside that the advocate is not in (the outsider's school joins too)."""
    other = factories.work_group(world.hub, "NCP24-99z", [world.school_b])
    lead = factories.user("other-lead@example.org", "Olga Lead", world.school_a)
    factories.member(other, lead, Role.LEAD)
    session = factories.session(other, title="Secret visit")
    return visit_services.set_up_visit(lead, session, visit_services.VisitSetup(
        plan_id=None, pupils=(), observers=(), share_notes_during=False))
