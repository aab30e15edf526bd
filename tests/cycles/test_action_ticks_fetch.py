"""Ticking an agreed action beside the revised plan from the page's script (static/src/plan-actions.js): asked
for JSON, the server answers JSON instead of redirecting, so the page need not reload; the rules are the form's."""

from __future__ import annotations

import pytest

from collab.cycles import revisions

JSON = {"Accept": "application/json"}


@pytest.fixture
def revised(world, linked, plan, research_lesson, discussed):
    return revisions.revise_plan(world.advocate, plan, research_lesson)


def test_a_tick_asked_for_as_json_is_answered_with_the_new_state(client, world, revised, discussed, login_as):
    action = discussed[0]
    login_as(world.colleague)
    response = client.post(f"/plans/{revised.id}/actions/{action.id}/done", data={"done": "yes"}, headers=JSON)
    assert response.status_code == 200 and response.get_json() == {"ok": True, "id": action.id, "done": True}
    assert action.done
    response = client.post(f"/plans/{revised.id}/actions/{action.id}/done", data={"done": "no"}, headers=JSON)
    assert response.get_json()["done"] is False and not action.done


def test_the_form_without_the_script_still_redirects_to_the_action(client, world, revised, discussed, login_as):
    login_as(world.colleague)
    response = client.post(f"/plans/{revised.id}/actions/{discussed[0].id}/done", data={"done": "yes"},
                           headers={"Accept": "text/html,application/xhtml+xml"})
    assert response.status_code == 302 and response.location.endswith(f"#agreed-action-{discussed[0].id}")


def test_a_refused_tick_is_answered_as_json_and_changes_nothing(client, world, revised, discussed, login_as):
    login_as(world.outsider)
    response = client.post(f"/plans/{revised.id}/actions/{discussed[0].id}/done", data={"done": "yes"},
                           headers=JSON)
    assert response.status_code == 404 and "detail" in response.get_json()
    assert not discussed[0].done


def test_the_revised_plan_loads_the_script_only_for_those_who_may_tick(client, world, revised, login_as):
    login_as(world.colleague)
    page = client.get(f"/plans/{revised.id}").text
    assert "dist/plan-actions.js" in page and 'id="action-checklist-status"' in page
    assert 'data-text="Start with the bar model before the double number line"' in page


class TestWithCsrf:
    @pytest.fixture
    def app_config(self) -> dict:
        return {"WTF_CSRF_ENABLED": True}

    def test_a_json_tick_without_the_token_is_refused(self, client, world, revised, discussed, login_as):
        login_as(world.colleague)
        response = client.post(f"/plans/{revised.id}/actions/{discussed[0].id}/done", data={"done": "yes"},
                               headers=JSON)
        assert response.status_code == 400 and not discussed[0].done
