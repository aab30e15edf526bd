"""The calendar page: my Work Groups' sessions, grouped by month."""

from __future__ import annotations

from datetime import timedelta

from tests import factories


def test_the_calendar_lists_my_groups_upcoming_sessions_in_order(client, world, login_as):
    later = factories.session(world.group, title="Later visit", starts_in=timedelta(days=20))
    sooner = factories.session(world.group, title="Sooner visit", starts_in=timedelta(days=3))
    login_as(world.advocate)
    page = client.get("/calendar").get_data(as_text=True)
    assert page.index(f"/sessions/{sooner.id}") < page.index(f"/sessions/{later.id}")


def test_the_calendar_leaves_out_other_groups_sessions(client, world, login_as):
    other_group = factories.work_group(world.hub, schools=[world.school_b])
    factories.session(other_group, title="Somebody else's planning")
    login_as(world.advocate)
    assert "Somebody else&#39;s planning" not in client.get("/calendar").get_data(as_text=True)


def test_the_calendar_leaves_out_past_sessions(client, world, login_as):
    factories.session(world.group, title="Last month's visit", starts_in=timedelta(days=-30))
    login_as(world.advocate)
    assert "Last month" not in client.get("/calendar").get_data(as_text=True)


def test_the_past_view_lists_past_sessions(client, world, login_as):
    factories.session(world.group, title="Last month visit", starts_in=timedelta(days=-30))
    factories.session(world.group, title="Next week visit")
    login_as(world.advocate)
    page = client.get("/calendar?when=past").get_data(as_text=True)
    assert "Last month visit" in page
    assert "Next week visit" not in page


def test_the_calendar_shows_my_reply_and_the_kind(client, world, login_as):
    factories.session(world.group, attendees=[world.advocate])
    login_as(world.advocate)
    page = client.get("/calendar").get_data(as_text=True)
    assert "You: Not yet replied" in page
    assert "Lesson observation visit" in page


def test_the_calendar_has_month_headings(client, world, login_as):
    session = factories.session(world.group)
    login_as(world.advocate)
    from collab.timeutil import to_london
    assert f"<h2 id=\"month-1\">{to_london(session.starts_at):%B %Y}</h2>" in client.get("/calendar").get_data(
        as_text=True)


def test_the_calendar_offers_a_private_feed_link(client, world, login_as):
    login_as(world.advocate)
    assert "Get my calendar link" in client.get("/calendar").get_data(as_text=True)
