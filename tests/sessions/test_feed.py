"""The private per-person calendar feed."""

from __future__ import annotations

from datetime import timedelta

from collab.extensions import db
from collab.sessions.models import Response
from tests import factories


def _make_link(client, login_as, user) -> str:
    login_as(user)
    client.post("/calendar/feed")
    db.session.refresh(user)
    return f"/calendar/feed/{user.calendar_token}.ics"


def test_making_a_link_stores_a_long_random_token(client, world, login_as):
    _make_link(client, login_as, world.advocate)
    assert len(world.advocate.calendar_token) >= 43


def test_the_feed_works_with_the_token_and_no_sign_in(client, world, login_as):
    session = factories.session(world.group, attendees=[world.advocate])
    link = _make_link(client, login_as, world.advocate)
    with client.session_transaction() as s:
        s.clear()
    response = client.get(link)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert f"UID:session-{session.id}@localhost" in response.get_data(as_text=True)


def test_the_calendar_page_shows_the_absolute_feed_url(client, world, login_as):
    link = _make_link(client, login_as, world.advocate)
    assert f"http://localhost{link}" in client.get("/calendar").get_data(as_text=True)


def test_the_feed_url_uses_the_configured_base_url(app, client, world, login_as):
    app.config["COLLAB_BASE_URL"] = "https://collab.example.org/"
    link = _make_link(client, login_as, world.advocate)
    assert f"https://collab.example.org{link}" in client.get("/calendar").get_data(as_text=True)


def test_the_feed_leaves_out_sessions_i_declined(client, world, login_as):
    declined = factories.session(world.group, title="Declined visit", attendees=[world.advocate])
    declined.attendances[0].response = Response.DECLINED
    db.session.commit()
    factories.session(world.group, title="Kept visit", attendees=[world.advocate])
    body = client.get(_make_link(client, login_as, world.advocate)).get_data(as_text=True)
    assert "SUMMARY:Kept visit" in body
    assert "Declined visit" not in body


def test_the_feed_includes_the_last_30_days_but_not_older(client, world, login_as):
    factories.session(world.group, title="Recent visit", starts_in=timedelta(days=-20))
    factories.session(world.group, title="Old visit", starts_in=timedelta(days=-40))
    body = client.get(_make_link(client, login_as, world.advocate)).get_data(as_text=True)
    assert "SUMMARY:Recent visit" in body
    assert "Old visit" not in body


def test_the_feed_leaves_out_other_groups_sessions(client, world, login_as):
    other_group = factories.work_group(world.hub, schools=[world.school_b])
    factories.session(other_group, title="Another group visit")
    body = client.get(_make_link(client, login_as, world.advocate)).get_data(as_text=True)
    assert "Another group visit" not in body


def test_the_feed_is_404_after_revoking(client, world, login_as):
    link = _make_link(client, login_as, world.advocate)
    client.post("/calendar/feed/revoke")
    db.session.refresh(world.advocate)
    assert world.advocate.calendar_token is None
    assert client.get(link).status_code == 404


def test_the_old_feed_is_404_after_regenerating(client, world, login_as):
    old = _make_link(client, login_as, world.advocate)
    new = _make_link(client, login_as, world.advocate)
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_the_feed_is_404_for_an_inactive_user(client, world, login_as):
    link = _make_link(client, login_as, world.advocate)
    world.advocate.active = False
    db.session.commit()
    assert client.get(link).status_code == 404


def test_an_unknown_token_is_404(client, world):
    assert client.get("/calendar/feed/not-a-real-token.ics").status_code == 404


def test_making_a_link_returns_to_the_page_it_came_from(client, world, login_as):
    login_as(world.advocate)
    response = client.post("/calendar/feed", data={"next": "/profile"})
    assert response.headers["Location"] == "/profile"


def test_making_a_link_never_redirects_to_another_site(client, world, login_as):
    login_as(world.advocate)
    response = client.post("/calendar/feed", data={"next": "//evil.example/"})
    assert response.headers["Location"] == "/calendar"


def test_the_profile_page_shows_the_feed_box(client, world, login_as):
    link = _make_link(client, login_as, world.advocate)
    page = client.get("/profile").get_data(as_text=True)
    assert f"http://localhost{link}" in page
    assert 'name="next" value="/profile"' in page
