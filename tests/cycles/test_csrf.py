"""Cycles' forms with CSRF protection switched on, as in production: no token, no change."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from collab.cycles import revisions
from collab.cycles.models import ResearchCycle
from collab.extensions import db
from collab.plans.models import LessonPlan


@pytest.fixture
def app_config() -> dict:
    return {"WTF_CSRF_ENABLED": True}


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def test_every_cycle_form_without_a_token_changes_nothing(world, cycle, plan, login_as):
    client = login_as(world.lead)
    posts = [(f"/groups/{world.group.id}/cycles/new", {"title": "No token"}),
             (f"/groups/{world.group.id}/research-theme", {"theme": "No token"}),
             (f"/cycles/{cycle.id}/edit", {"title": "No token", "status": "finished"}),
             (f"/cycles/{cycle.id}/plan", {"plan_id": plan.id}),
             (f"/cycles/{cycle.id}/plan/new", {}),
             (f"/plans/{plan.id}/revise", {"session_id": 0})]
    for url, data in posts:
        assert client.post(url, data=data).status_code == 400, url
    assert db.session.scalar(select(func.count(ResearchCycle.id))) == 1
    assert db.session.scalar(select(func.count(LessonPlan.id))) == 1
    assert cycle.research_plan_id is None and cycle.title != "No token"


def test_the_revise_form_on_the_page_carries_a_token_that_works(world, plan, login_as):
    client = login_as(world.advocate)
    token = _token(client.get(f"/plans/{plan.id}/revise").text)
    response = client.post(f"/plans/{plan.id}/revise", data={"csrf_token": token, "session_id": 0})
    assert response.status_code == 302 and revisions.revised_as(plan) is not None
