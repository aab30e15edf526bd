"""A small year for the Work Group of tests/factories.build_world, with every figure known:

- two held sessions: an observation visit at Castle Hill 14 days ago (lead, advocate, colleague invited; the
  lead and the advocate present, the colleague sent apologies) and a planning session 7 days ago (lead and
  advocate invited; the lead present, the advocate absent); one transition session still to come.
- one research cycle finished and one in progress; three agreed actions in the visit's discussion, one done;
  Riverside's development plan open for critique with one review given (by the lead, Castle Hill); the visit set up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from collab.cycles.models import CycleStatus, ResearchCycle
from collab.devplans.plan import services as devplan_services
from collab.devplans.rounds import services as round_services
from collab.discussions.models import AgreedAction, DiscussionThread
from collab.extensions import db
from collab.observations.models import Visit
from collab.reports import register
from collab.reports.models import Presence
from collab.sessions.models import GroupSession, SessionKind
from tests import factories


@dataclass
class Year:
    visit_session: GroupSession
    planning: GroupSession
    coming: GroupSession


@pytest.fixture
def year(world) -> Year:
    visit_session = factories.session(world.group, SessionKind.OBSERVATION, timedelta(days=-14), world.school_a,
                                      [world.lead, world.advocate, world.colleague], "Year 9 research lesson")
    planning = factories.session(world.group, SessionKind.PLANNING, timedelta(days=-7), None,
                                 [world.lead, world.advocate], "Co-planning ratio tables")
    coming = factories.session(world.group, SessionKind.TRANSITION, timedelta(days=7), world.primary,
                               [world.lead, world.advocate, world.colleague], "KS2–KS3 transition")
    register.mark_attendance(world.lead, visit_session, {world.lead.id: Presence.PRESENT,
                                                         world.advocate.id: Presence.PRESENT,
                                                         world.colleague.id: Presence.APOLOGIES})
    register.mark_attendance(world.lead, planning, {world.lead.id: Presence.PRESENT,
                                                    world.advocate.id: Presence.ABSENT})
    db.session.add_all([
        ResearchCycle(work_group_id=world.group.id, title="Cycle one", status=CycleStatus.FINISHED),
        ResearchCycle(work_group_id=world.group.id, title="Cycle two", status=CycleStatus.IN_PROGRESS),
        Visit(session_id=visit_session.id, checklist_name="Five big ideas", criteria_json="[]", phases_json="[]"),
    ])
    thread = DiscussionThread(session_id=visit_session.id)
    thread.actions = [AgreedAction(client_id=f"a-{i}", text=f"Action {i}", done=(i == 0)) for i in range(3)]
    db.session.add(thread)
    db.session.commit()
    plan = devplan_services.create_plan(world.advocate, world.school_b.maths_department)
    round_ = round_services.open_round(world.advocate, plan, world.group, "Are our success criteria measurable?",
                                       date.today() + timedelta(days=14))
    round_services.mark_reviewed(world.lead, round_)
    return Year(visit_session, planning, coming)
