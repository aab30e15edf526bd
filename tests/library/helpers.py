"""A finished research cycle to publish: a plan with anticipated items, its observed research lesson (one item
tagged, a note linked to it), and the revised plan. Other Work Groups of the same hub and of another hub."""

from __future__ import annotations

from dataclasses import dataclass

from collab.cycles import services as cycle_services
from collab.cycles.models import ResearchCycle, SessionPurpose
from collab.cycles.revisions import revise_plan
from collab.groups.models import Role, WorkGroup
from collab.library import services
from collab.library.models import PublishedItem
from collab.plans.models import LessonPlan
from tests import factories
from tests.observations.anticipated_plan import item_id, link, ratio_plan, tag
from tests.observations.helpers import add_note, make_visit, record_for

PRIVATE_NOTE = "Pupil A whispered zebracorn to her neighbour"


@dataclass
class Others:
    group: WorkGroup  # another Work Group of the same hub
    lead: object
    colleague: object  # a department colleague there (reads, does not plan)
    far_group: WorkGroup  # a Work Group of another hub
    far_lead: object


def finished_cycle(world) -> tuple[ResearchCycle, LessonPlan]:
    plan = ratio_plan(world)
    cycle = cycle_services.create_cycle(world.lead, world.group, "Ratio tables", "Do ratio tables help?")
    cycle_services.link_plan(world.lead, cycle, plan)
    visit = make_visit(world, plan=plan)
    cycle_services.link_session(world.lead, cycle, visit.session, SessionPurpose.RESEARCH)
    record = record_for(visit, world.advocate)
    first = item_id(visit, "Additive reasoning")
    tag(record, first, "seen")
    note = add_note(record, PRIVATE_NOTE, pupil="Pupil A")
    link(record, note["id"], first)
    revised = revise_plan(world.lead, plan, None)
    return cycle, revised


def publish(world, cycle) -> PublishedItem:
    return services.publish(world.lead, cycle, "Starting from the bar model helped pupils scale both quantities.")


def others(world) -> Others:
    group = factories.work_group(world.hub, "NCP24-15a")
    lead = factories.user("lead2@example.org", "Lee Second", factories.school(world.hub))
    colleague = factories.user("colleague2@example.org", "Cam Second", factories.school(world.hub))
    factories.member(group, lead, Role.LEAD)
    factories.member(group, colleague, Role.DEPARTMENT_COLLEAGUE)
    far = factories.work_group(world.other_hub, "NCP24-99z")
    far_lead = factories.user("far@example.org", "Fay Far", factories.school(world.other_hub))
    factories.member(far, far_lead, Role.LEAD)
    return Others(group, lead, colleague, far, far_lead)
