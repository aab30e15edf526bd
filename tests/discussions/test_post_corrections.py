"""Correcting posts: authors edit and delete their own, leads delete any; a deleted post's words are gone."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from collab.discussions import post_edits, services
from collab.discussions.models import Post
from collab.discussions.services import Invalid
from collab.extensions import db
from tests.discussions.conftest import new_id, received
from tests.plans.pdftext import pdf_text

SECRET = "Jamie Smith-Real counted on in threes"


def _post(user, session, body=SECRET, parent=None):
    post, _ = services.create_post(user, session, new_id(), "noticed", body,
                                   parent_id=parent.id if parent else None)
    return post


def _joined(connect, user, session_id):
    sio = connect(user)
    sio.emit("discussion:join", session_id, callback=True)
    sio.get_received()
    return sio


# --- who may --------------------------------------------------------------------------------------------

def test_the_author_edits_their_post_and_it_is_marked_edited(world, visit):
    post = _post(world.advocate, visit, "Pupil A used a **table**")
    post_edits.edit_post(world.advocate, visit, post.id, "Pupil A used a *ratio* table")
    db.session.refresh(post)
    assert post.body_markdown == "Pupil A used a *ratio* table"
    assert post.body_html == "<p>Pupil A used a <em>ratio</em> table</p>\n"
    assert post.edited_at is not None and services.post_json(post)["edited"] is True


@pytest.mark.parametrize("who", ["lead", "colleague"])
def test_nobody_but_the_author_may_edit_a_post_not_even_a_lead(world, visit, who):
    post = _post(world.advocate, visit, "Original words")
    with pytest.raises(Invalid) as refused:
        post_edits.edit_post(getattr(world, who), visit, post.id, "Changed")
    assert refused.value.code == "forbidden"
    db.session.rollback()
    assert db.session.get(Post, post.id).body_markdown == "Original words"


def test_an_edit_keeps_the_new_post_limits(world, visit):
    post = _post(world.advocate, visit)
    with pytest.raises(Invalid) as too_long:
        post_edits.edit_post(world.advocate, visit, post.id, "x" * (services.MAX_BODY + 1))
    assert too_long.value.code == "too-large"
    with pytest.raises(Invalid) as empty:
        post_edits.edit_post(world.advocate, visit, post.id, "   ")
    assert empty.value.code == "invalid"


def test_the_author_deletes_their_post_and_its_words_leave_the_database(world, visit):
    post, _ = services.create_post(world.advocate, visit, new_id(), "evidence", SECRET,
                                   quote={"kind": "note", "text": "Jamie Smith-Real: 3, 6, 9", "author": "Alex"})
    post_edits.delete_post(world.advocate, visit, post.id)
    db.session.expire_all()
    stored = db.session.get(Post, post.id)
    assert stored.deleted is True
    assert (stored.body_markdown, stored.body_html, stored.quote) == ("", "", None)
    assert services.post_json(stored)["body_html"] == "" and services.post_json(stored)["deleted"] is True


def test_a_lead_deletes_anyones_post_to_moderate_it(world, visit):
    post = _post(world.advocate, visit)
    post_edits.delete_post(world.lead, visit, post.id)
    assert db.session.get(Post, post.id).deleted is True


def test_another_member_who_is_not_a_lead_may_not_delete_a_post(world, visit):
    post = _post(world.advocate, visit)
    with pytest.raises(Invalid) as refused:
        post_edits.delete_post(world.colleague, visit, post.id)
    assert refused.value.code == "forbidden"
    db.session.rollback()
    assert db.session.get(Post, post.id).body_markdown == SECRET


def test_a_deleted_post_cannot_be_edited_or_deleted_again(world, visit):
    post = _post(world.advocate, visit)
    post_edits.delete_post(world.advocate, visit, post.id)
    for attempt in (lambda: post_edits.edit_post(world.advocate, visit, post.id, "Back"),
                    lambda: post_edits.delete_post(world.lead, visit, post.id)):
        with pytest.raises(Invalid) as refused:
            attempt()
        assert refused.value.code == "not-found"


def test_a_post_of_another_discussion_is_not_found(world, visit):
    from datetime import timedelta

    from tests import factories

    other = factories.session(world.group, starts_in=timedelta(days=-7), title="Other")
    post = _post(world.advocate, other)
    with pytest.raises(Invalid) as refused:
        post_edits.delete_post(world.advocate, visit, post.id)
    assert refused.value.code == "not-found"


# --- over the socket, live for the room ---------------------------------------------------------------

def test_an_edit_over_the_socket_reaches_everyone_in_the_room(world, visit, connect):
    alex, sam = _joined(connect, world.advocate, visit.id), _joined(connect, world.lead, visit.id)
    post = _post(world.advocate, visit, "Pupil B drew a bar")
    sam.get_received()
    ack = alex.emit("discussion:edit", {"post_id": post.id, "body": "Pupil B drew a **bar model**"}, callback=True)
    assert ack["ok"] is True and ack["post"]["edited"] is True
    assert "<strong>bar model</strong>" in ack["post"]["body_html"]
    assert received(sam, "discussion:post-updated") == [ack["post"]]


def test_a_deletion_over_the_socket_reaches_everyone_without_the_words(world, visit, connect):
    alex, sam = _joined(connect, world.advocate, visit.id), _joined(connect, world.lead, visit.id)
    post = _post(world.advocate, visit)
    sam.get_received()
    ack = sam.emit("discussion:delete", {"post_id": post.id}, callback=True)  # the lead moderates
    assert ack["ok"] is True and ack["post"]["deleted"] is True
    updates = received(alex, "discussion:post-updated")
    assert updates == [ack["post"]]
    assert SECRET not in repr(updates)


def test_a_refused_edit_over_the_socket_says_why_and_changes_nothing(world, visit, connect):
    chris = _joined(connect, world.colleague, visit.id)
    post = _post(world.advocate, visit)
    ack = chris.emit("discussion:edit", {"post_id": post.id, "body": "Mine"}, callback=True)
    assert ack == {"ok": False, "error": "forbidden", "message": "Only the author of a post can edit it."}
    ack = chris.emit("discussion:delete", {"post_id": post.id}, callback=True)
    assert ack["ok"] is False and ack["error"] == "forbidden"
    assert db.session.get(Post, post.id).body_markdown == SECRET


# --- over HTTP (no JavaScript) -------------------------------------------------------------------------

def test_the_author_edits_over_http_with_the_edit_page(world, visit, login_as):
    post = _post(world.advocate, visit, "First words")
    client = login_as(world.advocate)
    page = client.get(f"/sessions/{visit.id}/discussion/posts/{post.id}/edit")
    assert page.status_code == 200 and "First words" in page.get_data(as_text=True)
    response = client.post(f"/sessions/{visit.id}/discussion/posts/{post.id}/edit", data={"body": "Better words"})
    assert response.status_code == 302
    shown = client.get(f"/sessions/{visit.id}/discussion").get_data(as_text=True)
    assert "Better words" in shown and "(edited)" in shown


def test_an_empty_edit_over_http_is_refused_with_a_message(world, visit, login_as):
    post = _post(world.advocate, visit, "First words")
    response = login_as(world.advocate).post(f"/sessions/{visit.id}/discussion/posts/{post.id}/edit",
                                             data={"body": ""})
    assert response.status_code == 400
    assert "Write something before saving." in response.get_data(as_text=True)
    assert db.session.get(Post, post.id).body_markdown == "First words"


def test_others_get_403_for_the_edit_page_and_the_delete_button(world, visit, login_as):
    post = _post(world.advocate, visit)
    client = login_as(world.colleague)
    assert client.get(f"/sessions/{visit.id}/discussion/posts/{post.id}/edit").status_code == 403
    assert client.post(f"/sessions/{visit.id}/discussion/posts/{post.id}/delete").status_code == 403
    assert login_as(world.outsider).post(f"/sessions/{visit.id}/discussion/posts/{post.id}/delete").status_code == 404
    assert db.session.get(Post, post.id).deleted is False


def test_the_page_offers_edit_to_the_author_and_delete_to_the_author_and_the_lead(world, visit, login_as):
    post = _post(world.advocate, visit)
    edit, delete = f"/posts/{post.id}/edit", f"/posts/{post.id}/delete"
    page = lambda user: login_as(user).get(f"/sessions/{visit.id}/discussion").get_data(as_text=True)  # noqa: E731
    author, lead, colleague = page(world.advocate), page(world.lead), page(world.colleague)
    assert edit in author and delete in author
    assert edit not in lead and delete in lead
    assert edit not in colleague and delete not in colleague


def test_deleting_over_http_needs_the_csrf_token(world, visit, app, login_as):
    post = _post(world.advocate, visit)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = login_as(world.advocate).post(f"/sessions/{visit.id}/discussion/posts/{post.id}/delete")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert db.session.get(Post, post.id).deleted is False


def test_the_author_deletes_over_http_and_the_words_are_gone_from_the_page(world, visit, login_as):
    post = _post(world.advocate, visit)
    client = login_as(world.advocate)
    assert client.post(f"/sessions/{visit.id}/discussion/posts/{post.id}/delete").status_code == 302
    page = client.get(f"/sessions/{visit.id}/discussion").get_data(as_text=True)
    assert "Jamie" not in page and f'id="post-{post.id}"' not in page  # no replies: nothing left to show


def test_a_deleted_post_with_replies_stays_as_a_placeholder(world, visit, login_as):
    top = _post(world.advocate, visit)
    _post(world.lead, visit, "Please use a pseudonym", parent=top)
    post_edits.delete_post(world.lead, visit, top.id)
    page = login_as(world.colleague).get(f"/sessions/{visit.id}/discussion").get_data(as_text=True)
    assert "Post deleted" in page and "Please use a pseudonym" in page and "Jamie" not in page
    assert services.post_count(visit) == 1


# --- gone from the summary and its PDF -----------------------------------------------------------------

def test_a_deleted_posts_words_are_gone_from_the_visit_summary_and_its_pdf(world, login_as):
    from tests.observations.helpers import make_visit

    visit = make_visit(world)
    top = _post(world.advocate, visit.session)
    _post(world.lead, visit.session, "Use Pupil A, please", parent=top)
    kept = _post(world.colleague, visit.session, "Pupil C used a number line")
    client = login_as(world.lead)
    assert "Jamie Smith-Real" in client.get(f"/visits/{visit.id}/summary").get_data(as_text=True)
    post_edits.delete_post(world.lead, visit.session, top.id)
    page = client.get(f"/visits/{visit.id}/summary").get_data(as_text=True)
    assert "Jamie" not in page and "Post deleted" in page and kept.body_markdown in page
    pdf = " ".join(pdf_text(client.get(f"/visits/{visit.id}/summary.pdf").data).split())
    assert "Jamie" not in pdf and "Pupil C used a number line" in pdf and "Use Pupil A, please" in pdf


def test_the_database_keeps_no_copy_of_the_deleted_words(world, visit):
    post = _post(world.advocate, visit)
    post_edits.delete_post(world.advocate, visit, post.id)
    db.session.expire_all()
    rows = db.session.execute(select(Post.body_markdown, Post.body_html, Post.quote)).all()
    assert all("Jamie" not in repr(row) for row in rows)


@pytest.mark.parametrize("post_id", [2**70, -1, 999_999, None, "x"])
def test_an_id_no_post_can_have_is_not_found_not_a_server_error(world, visit, connect, post_id):
    sio = _joined(connect, world.advocate, visit.id)
    _post(world.advocate, visit)
    for event in ("discussion:edit", "discussion:delete"):
        ack = sio.emit(event, {"post_id": post_id, "body": "x"}, callback=True)
        assert ack["ok"] is False and ack["error"] == "not-found", (event, ack)


def test_a_huge_post_id_in_the_address_is_404(world, visit, login_as):
    client = login_as(world.advocate)
    assert client.get(f"/sessions/{visit.id}/discussion/posts/{2**70}/edit").status_code == 404
    assert client.post(f"/sessions/{visit.id}/discussion/posts/{2**70}/delete").status_code == 404
    assert client.get(f"/sessions/{visit.id}/discussion/actions/{2**70}/edit").status_code == 404
