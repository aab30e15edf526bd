"""The HTTP write limit (collab/web/write_limit.py): a flood of changes from one person is refused with a clear
429 and changes nothing; other people, and reading, are unaffected."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from collab.extensions import db
from collab.plans.models import LessonPlan
from collab.web.write_limit import Buckets
from tests import factories

LIMIT = 3


@pytest.fixture
def app_config():
    return {"COLLAB_MAX_WRITES_PER_MINUTE": LIMIT}


def _create_plan(client, group_id, title):
    return client.post(f"/groups/{group_id}/plans/new", data={
        "title": title, "kind": "lesson", "year_group": "Year 8", "key_stage": "", "topic": "Ratio",
        "session_id": "0"})


def _plans() -> int:
    return db.session.scalar(select(func.count()).select_from(LessonPlan))


def test_changes_past_the_limit_are_refused_with_a_clear_message_and_change_nothing(app, client, world, login_as):
    login_as(world.advocate)
    for i in range(LIMIT):
        assert _create_plan(client, world.group.id, f"Plan {i}").status_code == 302
    refused = _create_plan(client, world.group.id, "One too many")
    assert refused.status_code == 429
    assert "faster than Collab allows" in refused.text and "Nothing was changed" in refused.text
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert _plans() == LIMIT
    assert client.get(f"/groups/{world.group.id}/plans").status_code == 200  # reading is never limited


def test_one_person_s_flood_does_not_hold_up_another(app, world):
    from tests.conftest import sign_in

    flooder, colleague = app.test_client(), app.test_client()
    sign_in(flooder, world.advocate)
    sign_in(colleague, world.lead)
    for i in range(LIMIT + 2):
        _create_plan(flooder, world.group.id, f"Flood {i}")
    assert _create_plan(colleague, world.group.id, "Lead's plan").status_code == 302
    assert _plans() == LIMIT + 1


def test_two_sign_ins_of_one_person_share_the_limit(app, world):
    laptop, tablet = app.test_client(), app.test_client()
    for device in (laptop, tablet):
        signed_in = device.post("/login", data={"email": world.advocate.email, "password": factories.PASSWORD})
        assert signed_in.status_code == 302
    for i in range(LIMIT):
        assert _create_plan(laptop, world.group.id, f"Plan {i}").status_code == 302
    assert _create_plan(tablet, world.group.id, "From the tablet").status_code == 429
    assert _plans() == LIMIT


def test_signed_out_requests_count_against_their_address(app, client):
    for _ in range(LIMIT):
        assert client.post("/password/forgot", data={"email": "nobody@example.org"}).status_code != 429
    assert client.post("/password/forgot", data={"email": "nobody@example.org"}).status_code == 429


def test_a_bucket_refills_at_the_limit_per_minute():
    buckets = Buckets(capacity=120)  # 2 a second
    assert all(buckets.take("a", now=0.0) == 0 for _ in range(120))
    assert buckets.take("a", now=0.0) == pytest.approx(0.5)
    assert buckets.take("b", now=0.0) == 0  # keys are separate
    assert buckets.take("a", now=0.5) == 0 and buckets.take("a", now=0.5) > 0
    assert all(buckets.take("a", now=600.0) == 0 for _ in range(120))  # never more than a minute's worth
    assert buckets.take("a", now=600.0) > 0
