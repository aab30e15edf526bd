"""@-mentions in discussion posts notify the members named, link to the post, never quote it, and go with it."""

from __future__ import annotations

from sqlalchemy import select

from collab.devplans.models import Notification
from collab.discussions import post_edits, services
from collab.extensions import db
from tests.conftest import sign_in
from tests.discussions.conftest import new_id


def _notes(user) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def _post(user, session, body):
    post, _ = services.create_post(user, session, new_id(), "noticed", body)
    return post


def test_a_member_named_in_a_post_is_notified_with_a_link_to_the_post(world, visit):
    post = _post(world.advocate, visit, "@Sam Lead did you see Pupil B's bar model?")
    [note] = _notes(world.lead)
    assert note.kind == "mention"
    assert note.text == "Alex Advocate mentioned you in the discussion of “Year 9 proportional reasoning”"
    assert note.link == f"/sessions/{visit.id}/discussion#post-{post.id}"
    assert _notes(world.colleague) == []


def test_a_first_name_alone_is_enough_when_only_one_member_has_it(world, visit):
    _post(world.lead, visit, "Thanks @chris, the double number line worked")
    assert [n.kind for n in _notes(world.colleague)] == ["mention"]


def test_the_author_naming_themself_and_people_outside_the_group_get_nothing(world, visit):
    _post(world.advocate, visit, "@Alex Advocate and @Olive Outsider: ratio tables next time")
    assert _notes(world.advocate) == []
    assert _notes(world.outsider) == []


def test_the_notification_never_holds_the_posts_words(world, visit):
    _post(world.advocate, visit, "@Sam Lead Jamie Smith-Real struggled with 3:4")
    [note] = _notes(world.lead)
    assert "Jamie" not in note.text and "3:4" not in note.text


def test_an_edit_notifies_only_the_people_named_for_the_first_time(world, visit):
    post = _post(world.advocate, visit, "@Sam Lead look at this")
    post_edits.edit_post(world.advocate, visit, post.id, "@Sam Lead and @Chris Colleague look at this")
    assert len(_notes(world.lead)) == 1
    assert [n.kind for n in _notes(world.colleague)] == ["mention"]


def test_deleting_a_post_deletes_the_notifications_that_point_at_it(world, visit):
    post = _post(world.advocate, visit, "@Sam Lead Jamie Smith-Real's real name by mistake")
    post_edits.delete_post(world.advocate, visit, post.id)
    assert _notes(world.lead) == []


def test_the_mentioned_member_sees_it_on_their_notifications_page(app, world, visit):
    _post(world.advocate, visit, "@Sam Lead see the photo")
    client = app.test_client()
    sign_in(client, world.lead)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Alex Advocate mentioned you in the discussion of" in page
    assert f"/sessions/{visit.id}/discussion#post-" in page
