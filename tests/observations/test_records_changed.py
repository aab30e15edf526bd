"""visit:records: the visit room hears that the visit's records, or who may read them, changed (so the discussion
page's live table asks again which records it may read). It names only the visit."""

from __future__ import annotations

from collab.observations.visits import lesson_clock, services
from tests.observations.helpers import make_visit


def _records_events(p) -> list:
    """The visit:records heard since the last call."""
    p.pump()
    events = [packet["args"] for packet in p.received if packet["name"] == "visit:records"]
    p.received.clear()
    return events


def _listening(peer, user, visit):
    p = peer(user, f"visit:{visit.id}")
    assert p.emit("visit:join", f"visit:{visit.id}")["ok"]
    return p


def test_a_member_who_starts_observing_is_announced_to_the_visit_room(world, peer):
    visit = make_visit(world, observers=[(world.advocate, 0)])
    lead = _listening(peer, world.lead, visit)
    services.join_as_observer(world.colleague, visit)
    assert _records_events(lead) == [[f"visit:{visit.id}", {"visit": visit.id}]]
    services.join_as_observer(world.colleague, visit)  # already observing: nothing changed, nothing said
    assert _records_events(lead) == []


def test_ending_the_lesson_and_sharing_notes_are_announced_but_moving_the_phase_is_not(world, visit, peer):
    colleague = _listening(peer, world.colleague, visit)
    lesson_clock.start_lesson(world.lead, visit)
    lesson_clock.move_to_phase(world.lead, visit, visit.phases[-1])
    assert _records_events(colleague) == []
    lesson_clock.set_sharing(world.lead, visit, True)
    assert len(_records_events(colleague)) == 1
    lesson_clock.set_sharing(world.lead, visit, True)  # unchanged
    lesson_clock.end_lesson(world.lead, visit)
    assert len(_records_events(colleague)) == 1
    lesson_clock.start_lesson(world.lead, visit)  # resumed: notes private again
    assert len(_records_events(colleague)) == 1


def test_changing_the_observers_is_announced(world, visit, peer):
    lead = _listening(peer, world.lead, visit)
    setup = services.VisitSetup(pupils=tuple(services.PupilInput(p.label) for p in visit.case_pupils),
                                observers=(services.ObserverInput(world.advocate.id),))
    services.set_up_visit(world.lead, visit.session, setup)
    assert [r.observer_id for r in visit.records] == [world.advocate.id]
    assert _records_events(lead) == [[f"visit:{visit.id}", {"visit": visit.id}]]


def _membership(world, user):
    return next(m for m in world.group.memberships if m.user_id == user.id)


def test_a_member_made_lead_or_lead_no_more_during_a_private_lesson_is_announced(world, visit, peer):
    from collab.groups.models import Role
    from collab.groups.services import change_role

    colleague = _listening(peer, world.colleague, visit)
    membership = _membership(world, world.colleague)
    role = membership.role
    lesson_clock.start_lesson(world.lead, visit)
    _records_events(colleague)
    change_role(world.lead, membership, Role.LEAD)  # now reads every observer's notes
    assert _records_events(colleague) == [[f"visit:{visit.id}", {"visit": visit.id}]]
    change_role(world.lead, membership, Role.LEAD)  # unchanged: nothing said
    assert _records_events(colleague) == []
    change_role(world.lead, membership, role)  # their own notes only again
    assert len(_records_events(colleague)) == 1
    lesson_clock.end_lesson(world.lead, visit)  # everyone reads every note: a role no longer changes that
    _records_events(colleague)
    change_role(world.lead, membership, Role.LEAD)
    assert _records_events(colleague) == []


def test_removing_a_member_during_a_private_lesson_is_announced(world, visit, peer):
    from collab.groups.services import remove_member

    lead = _listening(peer, world.lead, visit)
    lesson_clock.start_lesson(world.lead, visit)
    _records_events(lead)
    remove_member(world.lead, _membership(world, world.colleague))
    assert _records_events(lead) == [[f"visit:{visit.id}", {"visit": visit.id}]]
