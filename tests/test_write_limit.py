"""The HTTP write limit (collab/web/write_limit.py): a flood of changes from one person is refused with a clear
429 and changes nothing; other people, and reading, are unaffected; processes sharing Redis share the limit."""

from __future__ import annotations

import os
import time
import uuid
from contextlib import contextmanager

import limits.storage.memory
import pytest
from sqlalchemy import func, select

from collab import create_app
from collab.extensions import db, socketio, write_limiter
from collab.plans.models import LessonPlan
from tests import factories
from tests.conftest import _SOCKETIO_STATE, make_test_config

LIMIT = 3
REDIS_URL = os.environ.get("COLLAB_TEST_REDIS_URL")


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


class _Clock:
    """Stands in for the clock the in-memory counts read."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now


def test_the_limit_counts_the_last_minute_so_writes_go_through_again_a_minute_later(app, client, world, login_as,
                                                                                     monkeypatch):
    clock = _Clock()
    monkeypatch.setattr(limits.storage.memory, "time", clock)
    login_as(world.advocate)

    def create(title: str) -> int:
        return _create_plan(client, world.group.id, title).status_code

    assert [create(f"Plan {i}") for i in range(LIMIT)] == [302] * LIMIT
    clock.now += 30
    assert create("Half a minute later") == 429  # nothing back after half a minute: at most LIMIT in any minute
    clock.now += 31
    assert [create(f"A minute later {i}") for i in range(LIMIT)] == [302] * LIMIT
    assert create("One too many again") == 429
    assert _plans() == 2 * LIMIT


@pytest.fixture
def own_socketio(monkeypatch):
    """create_app with a Redis URL gives the one (global) Socket.IO extension a message queue, updating its options
    dict in place: the suite's other tests get theirs back afterwards, untouched."""
    monkeypatch.setattr(socketio, "server_options", dict(socketio.server_options))
    for name in _SOCKETIO_STATE:
        monkeypatch.setattr(socketio, name, getattr(socketio, name))


@contextmanager
def _app_counting_in(backend: str, redis_url: str, channel: str):
    """A second app (another process, as far as the limit knows) on the test database, counting writes in Redis."""
    other = create_app(make_test_config(backend, COLLAB_MAX_WRITES_PER_MINUTE=LIMIT, COLLAB_REDIS_URL=redis_url,
                                        COLLAB_REDIS_CHANNEL=channel))
    try:
        yield other
    finally:
        with other.app_context():
            db.engine.dispose()
        storage = write_limiter.get(other).storage
        storage.storage.connection_pool.disconnect()


def _forgot(app, address: str) -> int:
    """A signed-out write from `address`: 200, or 429 from the write limit (never from the reset limit's own)."""
    response = app.test_client().post("/password/forgot", data={"email": "nobody@example.org"},
                                      environ_base={"REMOTE_ADDR": address})
    assert response.status_code != 429 or "faster than Collab allows" in response.text
    return response.status_code


@pytest.mark.skipif(not REDIS_URL, reason="COLLAB_TEST_REDIS_URL is not set (.ci/run sets it when Redis is installed)")
def test_two_processes_sharing_redis_grant_one_sender_the_limit_once(app, backend, own_socketio):
    channel = f"collab-test-{uuid.uuid4().hex}"  # counts no other run (or deployment) shares
    with (_app_counting_in(backend, REDIS_URL, channel) as first,
          _app_counting_in(backend, REDIS_URL, channel) as second):
        assert write_limiter.get(first) is not write_limiter.get(second)
        statuses = [_forgot(process, "203.0.113.20") for process in (first, second, first)]
        assert statuses == [200] * LIMIT
        assert _forgot(second, "203.0.113.20") == 429  # alone, the second process would have allowed LIMIT
        assert _forgot(first, "203.0.113.20") == 429
        assert _forgot(second, "203.0.113.21") == 200  # another sender has its own count


def test_writes_go_on_being_limited_in_the_process_when_redis_does_not_answer(app, backend, own_socketio):
    with _app_counting_in(backend, "redis://127.0.0.1:1/0", "collab-test-down") as process:  # nothing on port 1
        assert [_forgot(process, "203.0.113.30") for _ in range(LIMIT)] == [200] * LIMIT
        assert _forgot(process, "203.0.113.30") == 429


@pytest.mark.parametrize("app_config", [{"COLLAB_MAX_WRITES_PER_MINUTE": 0}])
def test_a_limit_of_0_turns_it_off(app, client, world, login_as, caplog):
    login_as(world.advocate)
    assert all(_create_plan(client, world.group.id, f"Plan {i}").status_code == 302 for i in range(LIMIT + 2))
    assert _plans() == LIMIT + 2
    assert not [r for r in caplog.records if r.name == "flask-limiter" and r.levelno >= 30]
