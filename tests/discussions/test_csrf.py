"""The discussion's HTTP forms with CSRF protection switched on, as in production."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from collab.discussions.models import Post
from collab.extensions import db
from tests.discussions.conftest import new_id


@pytest.fixture
def app_config() -> dict:
    return {"WTF_CSRF_ENABLED": True}


def test_a_post_without_a_csrf_token_changes_nothing(world, visit, login_as):
    response = login_as(world.advocate).post(f"/sessions/{visit.id}/discussion/posts",
                                             data={"client_id": new_id(), "section": "noticed", "body": "x"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Post.id))) == 0


def test_a_composer_on_the_page_carries_a_token_that_works(world, visit, login_as):
    client = login_as(world.advocate)
    page = client.get(f"/sessions/{visit.id}/discussion").get_data(as_text=True)
    form = page[page.index('<form method="post" action="/sessions/'):]
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    client_id = re.search(r'name="client_id" value="([^"]+)"', form).group(1)
    response = client.post(f"/sessions/{visit.id}/discussion/posts", data={
        "csrf_token": token, "client_id": client_id, "section": "case-pupils", "body": "Pupil A"})
    assert response.status_code == 302
    assert db.session.scalar(select(Post.body_markdown)) == "Pupil A"


def test_ticking_an_action_without_a_token_is_refused(world, visit, login_as):
    assert login_as(world.advocate).post(f"/sessions/{visit.id}/discussion/actions/1/done",
                                         data={"done": "yes"}).status_code == 400
