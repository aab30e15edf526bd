"""The lesson clock: the host or lead starts the lesson and moves its phases; everyone in the visit room hears it."""

from __future__ import annotations

from collab.extensions import db
from tests.observations.helpers import record_for


def _phase_events(p) -> list:
    p.pump()
    return [packet["args"] for packet in p.received if packet["name"] == "visit:phase"]


def test_joining_the_visit_room_returns_the_lesson_state(world, visit, peer):
    p = peer(world.advocate, f"visit:{visit.id}")
    ack = p.emit("visit:join", f"visit:{visit.id}")
    assert ack["ok"] and ack["state"]["phase"] == "" and ack["state"]["started_at"] is None


def test_moving_the_phase_reaches_everyone_in_the_visit_room(client, world, visit, peer, login_as):
    observer = peer(world.advocate, f"visit:{visit.id}")
    assert observer.emit("visit:join", f"visit:{visit.id}")["ok"]
    login_as(world.lead)
    client.post(f"/visits/{visit.id}/lesson", data={"action": "start"})
    client.post(f"/visits/{visit.id}/lesson", data={"phase": "Anchor task"})
    events = _phase_events(observer)
    assert [e[1]["phase"] for e in events] == ["Starter", "Anchor task"]
    assert events[-1][0] == f"visit:{visit.id}" and events[-1][1]["started_at"] is not None
    db.session.refresh(visit)
    assert visit.current_phase == "Anchor task" and visit.lesson_started_at is not None


def test_someone_outside_the_work_group_cannot_join_the_visit_room(world, visit, peer):
    p = peer(world.outsider, f"visit:{visit.id}")
    assert p.emit("visit:join", f"visit:{visit.id}")["error"] == "not-found"


def test_a_malformed_visit_room_name_is_refused(world, visit, peer):
    p = peer(world.advocate, "visit:abc")
    assert p.emit("visit:join", "visit:abc")["error"] == "not-found"
    assert p.emit("visit:join", f"plan:{visit.id}")["error"] == "not-found"


def test_leaving_a_visit_room_not_joined_is_refused(world, visit, peer):
    p = peer(world.advocate, f"visit:{visit.id}")
    assert p.emit("visit:leave", f"visit:{visit.id}")["error"] == "not-joined"


def test_after_leaving_the_visit_room_the_lesson_clock_is_not_heard(client, world, visit, peer, login_as):
    observer = peer(world.advocate, f"visit:{visit.id}")
    observer.emit("visit:join", f"visit:{visit.id}")
    assert observer.emit("visit:leave", f"visit:{visit.id}") == {"ok": True}
    login_as(world.lead)
    client.post(f"/visits/{visit.id}/lesson", data={"action": "start"})
    assert _phase_events(observer) == []
    assert observer.emit("visit:leave", f"visit:{visit.id}")["error"] == "not-joined"


def test_an_observer_may_not_move_the_lesson_on(client, world, visit, login_as):
    login_as(world.colleague)
    assert client.post(f"/visits/{visit.id}/lesson", data={"phase": "Plenary"}).status_code == 403
    assert visit.current_phase == ""


def test_a_phase_that_is_not_in_the_lesson_is_refused(client, world, visit, login_as):
    login_as(world.lead)
    client.post(f"/visits/{visit.id}/lesson", data={"phase": "Break time"})
    db.session.refresh(visit)
    assert visit.current_phase == ""


def test_ending_the_lesson_opens_the_records_to_the_work_group(client, world, visit, login_as):
    login_as(world.lead)
    client.post(f"/visits/{visit.id}/lesson", data={"action": "end"})
    login_as(world.advocate)
    assert client.get(f"/records/{record_for(visit, world.colleague).id}").status_code == 200


def test_the_host_lets_observers_see_each_others_notes_during_the_lesson(client, world, visit, login_as, peer):
    observer = peer(world.advocate, f"visit:{visit.id}")
    observer.emit("visit:join", f"visit:{visit.id}")
    login_as(world.lead)
    client.post(f"/visits/{visit.id}/lesson", data={"action": "share"})
    assert _phase_events(observer)[-1][1]["share"] is True
    login_as(world.advocate)
    assert client.get(f"/records/{record_for(visit, world.colleague).id}").status_code == 200


def test_the_host_teacher_runs_the_lesson_clock(client, world, login_as):
    from collab.observations.visits import services
    from tests import factories

    session = factories.session(world.group)
    visit = services.set_up_visit(world.lead, session, services.VisitSetup(host_id=world.colleague.id))
    login_as(world.colleague)
    assert client.post(f"/visits/{visit.id}/lesson", data={"action": "start"}).status_code == 302
    db.session.refresh(visit)
    assert visit.in_progress and visit.current_phase == "Starter"


def test_new_notes_default_to_the_phase_the_record_page_was_given(client, world, visit, login_as):
    from collab.observations.visits import lesson_clock

    lesson_clock.move_to_phase(world.lead, visit, "Anchor task")
    login_as(world.advocate)
    page = client.get(f"/records/{record_for(visit, world.advocate).id}").get_data(as_text=True)
    assert '"phase": "Anchor task"' in page


def test_ending_the_lesson_takes_a_second_tap_and_can_be_undone_without_moving_the_clock(
        client, world, visit, login_as):
    login_as(world.lead)
    client.post(f"/visits/{visit.id}/lesson", data={"action": "start"})
    page = client.get(f"/visits/{visit.id}").get_data(as_text=True)
    # The first tap only opens the question; the button that ends it is inside it.
    assert "<summary" in page and "End the lesson…" in page and "Yes, end the lesson" in page
    db.session.refresh(visit)
    started = visit.lesson_started_at
    client.post(f"/visits/{visit.id}/lesson", data={"action": "end"})
    page = client.get(f"/visits/{visit.id}").get_data(as_text=True)
    assert "Undo: resume the lesson" in page and "Yes, end the lesson" not in page
    client.post(f"/visits/{visit.id}/lesson", data={"action": "start"})
    db.session.refresh(visit)
    assert visit.in_progress and visit.lesson_started_at == started  # notes' minute stamps stay as they were
