"""The .ics encoder and the per-session .ics download."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select

from collab.extensions import db
from collab.sessions import ics
from collab.sessions.models import GroupSession
from tests import factories
from tests.sessions.helpers import session_form, summer_day, winter_day


def _event(**overrides) -> ics.Event:
    values = dict(uid="session-1@collab", starts_at=datetime(2025, 3, 4, 9, 30, tzinfo=UTC),
                  ends_at=datetime(2025, 3, 4, 11, 0, tzinfo=UTC), summary="Visit",
                  dtstamp=datetime(2025, 3, 1, 12, 0, tzinfo=UTC))
    values.update(overrides)
    return ics.Event(**values)


def _unfold(body: str) -> list[str]:
    return body.replace("\r\n ", "").split("\r\n")


def test_text_escaping_covers_backslash_comma_semicolon_and_newline():
    assert ics.escape_text("a\\b, c; d\ne\r\nf") == "a\\\\b\\, c\\; d\\ne\\nf"


def test_a_title_with_comma_semicolon_and_newline_is_escaped_in_summary():
    body = ics.render_calendar([_event(summary="Ratio, proportion; Year 8\nand 9")])
    assert "SUMMARY:Ratio\\, proportion\\; Year 8\\nand 9" in _unfold(body)


def test_every_line_of_a_long_description_is_at_most_75_octets():
    description = "Observe how pupils use the double number line – ratio × scale → é. " * 20
    body = ics.render_calendar([_event(description=description)])
    for line in body.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75


def test_folding_never_splits_a_multibyte_character():
    body = ics.render_calendar([_event(description="é" * 200)])
    for line in body.encode("utf-8").split(b"\r\n"):
        line.decode("utf-8")  # raises if a character was cut in two


def test_unfolding_a_folded_description_gives_back_the_original():
    description = "Observe, then discuss; " * 30
    body = ics.render_calendar([_event(description=description)])
    assert f"DESCRIPTION:{ics.escape_text(description)}" in _unfold(body)


def test_every_line_ends_with_crlf():
    body = ics.render_calendar([_event(description="one\ntwo " * 40)])
    assert body.endswith("\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert "\r" not in body.replace("\r\n", "")


def test_the_calendar_has_the_required_properties():
    lines = _unfold(ics.render_calendar([_event(sequence=3)]))
    assert lines[:3] == ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{ics.PRODID}"]
    for expected in ("BEGIN:VEVENT", "UID:session-1@collab", "DTSTAMP:20250301T120000Z",
                     "DTSTART:20250304T093000Z", "DTEND:20250304T110000Z", "SEQUENCE:3", "END:VEVENT"):
        assert expected in lines
    assert lines[-2:] == ["END:VCALENDAR", ""]


def test_a_session_ics_has_one_event_with_a_stable_uid(client, world, login_as):
    session = factories.session(world.group, host=world.school_a)
    login_as(world.advocate)
    first = client.get(f"/sessions/{session.id}.ics")
    second = client.get(f"/sessions/{session.id}.ics")
    uid = re.findall(r"^UID:(.*)$", first.get_data(as_text=True), re.M)
    assert first.status_code == 200
    assert first.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert uid == [f"session-{session.id}@localhost\r"]
    assert re.findall(r"^UID:(.*)$", second.get_data(as_text=True), re.M) == uid


def test_a_session_ics_has_location_and_a_link_to_the_page(client, world, login_as):
    session = factories.session(world.group, host=world.school_a)
    login_as(world.advocate)
    lines = _unfold(client.get(f"/sessions/{session.id}.ics").get_data(as_text=True))
    assert "LOCATION:Maths block\\, room M4\\, Castle Hill Academy" in lines
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert "Observe\\, then discuss." in description
    assert f"http://localhost/sessions/{session.id}" in description


def test_an_outsider_gets_404_for_a_session_ics(client, world, login_as):
    session = factories.session(world.group)
    login_as(world.outsider)
    assert client.get(f"/sessions/{session.id}.ics").status_code == 404


def test_the_session_ics_carries_the_sequence(client, world, login_as):
    session = factories.session(world.group)
    session.sequence = 4
    db.session.commit()
    login_as(world.lead)
    assert "SEQUENCE:4" in _unfold(client.get(f"/sessions/{session.id}.ics").get_data(as_text=True))


def _schedule_at_nine(client, world, day) -> GroupSession:
    client.post(f"/groups/{world.group.id}/sessions/new",
                data=session_form(world, day=day.isoformat(), start_time="09:00", end_time="10:30"))
    return db.session.scalars(select(GroupSession).order_by(GroupSession.id.desc())).first()


def test_summer_and_winter_sessions_both_show_0900_on_the_page(client, world, login_as):
    login_as(world.lead)
    summer = _schedule_at_nine(client, world, summer_day())
    winter = _schedule_at_nine(client, world, winter_day())
    for session in (summer, winter):
        assert ", 09:00</time>" in client.get(f"/sessions/{session.id}").get_data(as_text=True)
    calendar = client.get("/calendar").get_data(as_text=True)
    assert calendar.count("09:00–10:30") == 2


def test_a_0900_session_in_summer_is_0800z_in_the_ics(client, world, login_as):
    login_as(world.lead)
    session = _schedule_at_nine(client, world, summer_day())
    assert session.starts_at == datetime.combine(summer_day(), datetime.min.time(), UTC).replace(hour=8)
    lines = _unfold(client.get(f"/sessions/{session.id}.ics").get_data(as_text=True))
    assert f"DTSTART:{summer_day():%Y%m%d}T080000Z" in lines
    assert f"DTEND:{summer_day():%Y%m%d}T093000Z" in lines


def test_a_0900_session_in_winter_is_0900z_in_the_ics(client, world, login_as):
    login_as(world.lead)
    session = _schedule_at_nine(client, world, winter_day())
    lines = _unfold(client.get(f"/sessions/{session.id}.ics").get_data(as_text=True))
    assert f"DTSTART:{winter_day():%Y%m%d}T090000Z" in lines
    assert f"DTEND:{winter_day():%Y%m%d}T103000Z" in lines
