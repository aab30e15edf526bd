"""The discussion page: readable without JavaScript, forms that post over HTTP, 404 for outsiders."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from collab.discussions import action_services, services
from collab.discussions.models import AgreedAction, Post
from collab.extensions import db
from tests.discussions.conftest import new_id


def _posts() -> int:
    return db.session.scalar(select(func.count(Post.id)))


def test_an_outsider_and_another_hubs_admin_get_404(world, visit, login_as):
    for user in (world.outsider, world.other_admin):
        client = login_as(user)
        assert client.get(f"/sessions/{visit.id}/discussion").status_code == 404
        assert client.post(f"/sessions/{visit.id}/discussion/posts",
                           data={"client_id": new_id(), "section": "noticed", "body": "x"}).status_code == 404
    assert _posts() == 0


def test_signing_in_is_needed(client, visit):
    assert client.get(f"/sessions/{visit.id}/discussion").status_code == 302


def test_the_page_shows_the_protocol_in_order_with_posts_replies_and_actions(world, visit, login_as):
    top, _ = services.create_post(world.lead, visit, new_id(), "case-pupils", "Pupil A first")
    services.create_post(world.advocate, visit, new_id(), "case-pupils", "A reply about Pupil A", parent_id=top.id)
    action_services.create_action(world.lead, visit, new_id(), "Share the anchor task", world.colleague.id,
                                  "2025-03-14")
    page = login_as(world.advocate).get(f"/sessions/{visit.id}/discussion").get_data(as_text=True)
    headings = re.findall(r'<h2 id="heading-[^"]+">\d\. ([^<]+)</h2>', page)
    assert headings == ["Case pupils first", "What we noticed", "Evidence of pupils&#39; learning",
                        "Anticipated versus observed", "What we would change"]
    assert "Pupil A first" in page and "A reply about Pupil A" in page
    assert page.index("Pupil A first") < page.index("A reply about Pupil A")
    assert "Share the anchor task" in page and "Chris Colleague" in page and "Fri 14 Mar 2025" in page
    assert page.count('class="disc-composer"') == 6  # one per section and one reply form


def test_a_hub_admin_who_is_not_a_member_gets_404(world, visit, login_as):
    client = login_as(world.admin)
    assert client.get(f"/sessions/{visit.id}/discussion").status_code == 404
    response = client.post(f"/sessions/{visit.id}/discussion/posts",
                           data={"client_id": new_id(), "section": "noticed", "body": "x"})
    assert response.status_code == 404
    assert _posts() == 0


def test_posting_over_http_makes_one_post_even_if_the_form_is_sent_twice(world, visit, login_as):
    client = login_as(world.advocate)
    data = {"client_id": new_id(), "section": "noticed", "body": "Pupil C *explained* it"}
    first = client.post(f"/sessions/{visit.id}/discussion/posts", data=data)
    again = client.post(f"/sessions/{visit.id}/discussion/posts", data=data)
    assert first.status_code == again.status_code == 302
    assert first.headers["Location"] == again.headers["Location"]
    assert _posts() == 1


def test_an_http_post_reaches_the_room_live(world, visit, login_as, connect):
    sio = connect(world.lead)
    sio.emit("discussion:join", visit.id, callback=True)
    login_as(world.advocate).post(f"/sessions/{visit.id}/discussion/posts",
                                  data={"client_id": new_id(), "section": "change", "body": "Fewer examples"})
    posted = [p for p in sio.get_received() if p["name"] == "discussion:posted"]
    assert [p["args"][0]["body_html"] for p in posted] == ["<p>Fewer examples</p>\n"]


def test_a_refused_http_post_keeps_what_was_typed_and_changes_nothing(world, visit, login_as):
    client = login_as(world.advocate)
    data = {"client_id": "nope", "section": "noticed", "body": "Keep my words"}
    response = client.post(f"/sessions/{visit.id}/discussion/posts", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Nothing was saved" in page and "Keep my words</textarea>" in page
    assert client.post(f"/sessions/{visit.id}/discussion/posts",
                       data={**data, "client_id": new_id(), "body": ""}).status_code == 400
    assert _posts() == 0


def test_a_reply_over_http(world, visit, login_as):
    top, _ = services.create_post(world.lead, visit, new_id(), "noticed", "Top")
    login_as(world.advocate).post(f"/sessions/{visit.id}/discussion/posts", data={
        "client_id": new_id(), "section": "noticed", "parent_id": str(top.id), "body": "Agreed"})
    reply = db.session.scalar(select(Post).where(Post.parent_id == top.id))
    assert reply.body_markdown == "Agreed"


def test_an_action_over_http_and_ticking_it_done(world, visit, login_as):
    client = login_as(world.advocate)
    response = client.post(f"/sessions/{visit.id}/discussion/actions", data={
        "action-client_id": new_id(), "action-text": "Trial the bar model", "action-owner_id": world.lead.id,
        "action-due_date": "21/03/2025"})
    assert response.status_code == 302
    action = db.session.scalar(select(AgreedAction))
    assert (action.owner_id, action.due_date.isoformat()) == (world.lead.id, "2025-03-21")
    client.post(f"/sessions/{visit.id}/discussion/actions/{action.id}/done", data={"done": "yes"})
    db.session.refresh(action)
    assert action.done is True


def test_an_action_for_an_outsider_is_refused_over_http(world, visit, login_as):
    response = login_as(world.advocate).post(f"/sessions/{visit.id}/discussion/actions", data={
        "action-client_id": new_id(), "action-text": "x", "action-owner_id": world.outsider.id,
        "action-due_date": ""})
    assert response.status_code == 400
    assert "must be a member of the Work Group" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(AgreedAction.id))) == 0


def test_the_session_link_counts_posts(world, visit, app, login_as):
    from flask import render_template

    services.create_post(world.lead, visit, new_id(), "noticed", "One")
    services.create_post(world.lead, visit, new_id(), "noticed", "Two")
    login_as(world.advocate)
    with app.test_request_context():
        from flask_login import login_user

        login_user(world.advocate)
        html = render_template("discussions/_session_link.html", session=visit)
    assert "Post-lesson discussion (2 posts)" in html
    assert f'href="/sessions/{visit.id}/discussion"' in html


def test_the_summary_lists_the_discussion_and_the_actions(world, visit, app):
    from flask import render_template

    services.create_post(world.lead, visit, new_id(), "evidence", "Pupil B **explained** scaling")
    action_services.create_action(world.lead, visit, new_id(), "Share the task", world.advocate.id, "2025-03-14")
    with app.test_request_context():
        html = render_template("discussions/_summary.html", session=visit)
    assert "Evidence of pupils&#39; learning" in html and "<strong>explained</strong>" in html
    assert "Share the task" in html and "Alex Advocate" in html and "Fri 14 Mar 2025" in html
    assert "<form" not in html  # printable: no buttons


def test_the_session_page_links_to_the_discussion_with_its_count(world, visit, login_as):
    services.create_post(world.lead, visit, new_id(), "noticed", "Only one")
    page = login_as(world.advocate).get(f"/sessions/{visit.id}").get_data(as_text=True)
    assert "Post-lesson discussion (1 post)" in page


def test_the_visit_summary_and_its_pdf_include_the_discussion_and_the_actions(world, login_as):
    from tests.observations.helpers import make_visit

    visit = make_visit(world)
    services.create_post(world.lead, visit.session, new_id(), "change", "Move Q2 **earlier**")
    action_services.create_action(world.lead, visit.session, new_id(), "Revise the plan", world.advocate.id,
                                  "2025-03-14")
    client = login_as(world.lead)
    page = client.get(f"/visits/{visit.id}/summary").get_data(as_text=True)
    assert "What we would change" in page and "Move Q2 <strong>earlier</strong>" in page
    assert "Revise the plan" in page and "Fri 14 Mar 2025" in page
    pdf = client.get(f"/visits/{visit.id}/summary.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_a_planning_session_links_to_a_discussion_only_once_one_has_started(world, login_as):
    from collab.sessions.models import SessionKind
    from tests import factories

    planning = factories.session(world.group, kind=SessionKind.PLANNING, title="Co-planning")
    client = login_as(world.advocate)
    assert "Post-lesson discussion" not in client.get(f"/sessions/{planning.id}").get_data(as_text=True)
    services.create_post(world.lead, planning, new_id(), "noticed", "Notes from planning")
    assert "Post-lesson discussion (1 post)" in client.get(f"/sessions/{planning.id}").get_data(as_text=True)
