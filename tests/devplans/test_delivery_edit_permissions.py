"""Who may change and remove saved delivery rows: the department; readers from a critique round get 403,
everyone else 404, and a row of another plan is 404 through this plan's URLs."""

from __future__ import annotations

from datetime import date

import pytest

from collab.devplans.delivery import services
from collab.devplans.delivery.models import PdSession, PlanAction, PlanAim, ProgressUpdate
from collab.devplans.plan import services as plan_services
from collab.extensions import db
from tests.conftest import sign_in

PAGES = ["aims/{aim}/edit", "aims/{aim}/delete", "actions/{action}/edit", "actions/{action}/delete",
         "pd/{pd}/edit", "pd/{pd}/delete", "progress/{update}/edit", "progress/{update}/delete"]


@pytest.fixture
def rows(world, devplan) -> dict[str, int]:
    aim = services.add_aim(world.advocate, devplan, "Reasoning")
    action = services.add_action(world.advocate, devplan, aim, "Co-plan", world.colleague.id, None)
    pd = services.add_pd_session(world.advocate, devplan, "Ratio", date(2025, 10, 8), None)
    update = services.record_progress(world.advocate, devplan, aim, "2025/26", 1, "on-track", "Fine")
    return {"aim": aim.id, "action": action.id, "pd": pd.id, "update": update.id}


def _url(devplan, page: str, rows: dict[str, int]) -> str:
    return f"/devplans/{devplan.id}/delivery/" + page.format(**rows)


def _untouched() -> bool:
    return (db.session.scalar(db.select(PlanAim.text)), db.session.scalar(db.select(PlanAction.text)),
            db.session.scalar(db.select(PdSession.title)), db.session.scalar(db.select(ProgressUpdate.commentary))
            ) == ("Reasoning", "Co-plan", "Ratio", "Fine")


def _post_data(page: str) -> dict[str, str]:
    if page.endswith("delete"):
        return {}
    return {"text": "Changed", "title": "Changed", "held_on": "2025-10-08", "half_term": "2025/26-1",
            "status": "done", "commentary": "Changed"}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", ["outsider", "lead", "admin"])
def test_every_edit_and_remove_page_is_404_outside_the_department(client, world, devplan, rows, page, who):
    sign_in(client, getattr(world, who))
    assert client.get(_url(devplan, page, rows)).status_code == 404
    assert client.post(_url(devplan, page, rows), data=_post_data(page)).status_code == 404
    assert _untouched()


@pytest.mark.parametrize("page", PAGES)
def test_a_reviewer_in_an_open_round_may_not_edit_or_remove(client, world, devplan, rows, open_round, reviewer,
                                                             page):
    sign_in(client, reviewer)
    assert client.get(_url(devplan, page, rows)).status_code == 403
    assert client.post(_url(devplan, page, rows), data=_post_data(page)).status_code == 403
    assert _untouched()


def test_a_reviewer_sees_no_edit_or_remove_links(client, world, devplan, rows, open_round, reviewer):
    sign_in(client, reviewer)
    page = client.get(f"/devplans/{devplan.id}/delivery").get_data(as_text=True)
    assert "/edit" not in page and "/delete" not in page


@pytest.mark.parametrize("page", PAGES)
def test_a_row_of_another_plan_is_404_under_a_plan_the_person_may_edit(client, world, devplan, rows, reviewer,
                                                                         page):
    # The reviewer is Castle Hill's Advocate: they edit Castle Hill's plan, and ask for Riverside's rows under it.
    castle_hill = plan_services.create_plan(reviewer, world.school_a.maths_department)
    services.add_aim(reviewer, castle_hill, "Castle Hill's own aim")
    sign_in(client, reviewer)
    assert client.get(_url(castle_hill, page, rows)).status_code == 404
    assert client.post(_url(castle_hill, page, rows), data=_post_data(page)).status_code == 404
    assert _untouched()


def test_an_id_from_nowhere_is_404(client, world, devplan, rows):
    sign_in(client, world.advocate)
    missing = {key: value + 1000 for key, value in rows.items()}
    for page in PAGES:
        assert client.get(_url(devplan, page, missing)).status_code == 404, page


class TestWithCsrf:
    @pytest.fixture
    def app_config(self) -> dict:
        return {"WTF_CSRF_ENABLED": True}

    @pytest.mark.parametrize("page", PAGES)
    def test_no_token_changes_nothing(self, client, world, devplan, rows, page):
        sign_in(client, world.advocate)
        assert client.post(_url(devplan, page, rows), data=_post_data(page)).status_code == 400
        assert _untouched()

    def test_the_confirm_pages_button_carries_the_token_that_removes(self, client, world, devplan, rows):
        import re
        sign_in(client, world.advocate)
        page = client.get(_url(devplan, "pd/{pd}/delete", rows)).get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        assert token is not None
        assert client.post(_url(devplan, "pd/{pd}/delete", rows), data={"csrf_token": token[1]}).status_code == 302
        assert db.session.scalar(db.select(PdSession)) is None
