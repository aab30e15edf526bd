"""The cluster's Redis manager (collab/realtime/redis_queue.py): emits from many handlers at once all reach the
other processes, each handler's in order; a process skips its own messages but never another's, nor a callback
meant for it. And under eventlet, a PostgreSQL query no longer stops every other connection of the process."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import socketio

from collab.realtime import redis_queue
from collab.realtime.redis_queue import HOST_ALIVE, ROOM_HOSTS, BatchingRedisManager
from tests.waiting import wait_for

REDIS_URL = os.environ.get("COLLAB_TEST_REDIS_URL")
DATABASE_URL = os.environ.get("COLLAB_TEST_DATABASE_URL")
ROOT = Path(__file__).resolve().parents[2]


class _Server:
    """What the manager asks of its Socket.IO server when publishing: background tasks (threads here), a logger."""

    logger = logging.getLogger("collab.tests.redis_queue")

    def start_background_task(self, target: Any, *args: Any) -> threading.Thread:
        thread = threading.Thread(target=target, args=args, daemon=True)
        thread.start()
        return thread


def _manager(channel: str) -> BatchingRedisManager:
    manager = BatchingRedisManager(REDIS_URL or "redis://", channel=channel)
    manager.server = _Server()
    manager.json = json
    return manager


def _emit(manager: BatchingRedisManager, room: str, data: Any) -> dict:
    return {"method": "emit", "event": "doc:sync", "data": data, "binary": False, "namespace": "/", "room": room,
            "skip_sid": None, "callback": None, "host_id": manager.host_id}


@pytest.mark.skipif(not REDIS_URL, reason="COLLAB_TEST_REDIS_URL is not set (.ci/run sets it when Redis is installed)")
def test_emits_from_many_handlers_at_once_all_arrive_each_handlers_in_order():
    import redis

    channel = f"collab-test-{uuid.uuid4().hex[:12]}"
    listener = redis.Redis.from_url(REDIS_URL).pubsub(ignore_subscribe_messages=True)
    listener.subscribe(channel)
    manager = _manager(channel)
    handlers, each = 150, 20  # more handlers publishing at once than redis-py's default pool has connections

    def handler(h: int) -> None:
        for i in range(each):
            manager._publish(_emit(manager, f"room{h}", i))

    threads = [threading.Thread(target=handler, args=(h,)) for h in range(handlers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    received: dict[str, list[int]] = {}
    deadline = time.monotonic() + 10
    while sum(map(len, received.values())) < handlers * each and time.monotonic() < deadline:
        message = listener.get_message(timeout=0.5)
        if message and message["type"] == "message":
            data = json.loads(message["data"].partition(b"\n")[2])
            received.setdefault(data["room"], []).append(data["data"])
    listener.close()
    assert {room: seq for room, seq in received.items()} == {f"room{h}": list(range(each)) for h in range(handlers)}
    assert manager.dropped == 0


@pytest.mark.skipif(not REDIS_URL, reason="COLLAB_TEST_REDIS_URL is not set (.ci/run sets it when Redis is installed)")
def test_a_process_that_died_without_leaving_its_rooms_is_no_longer_published_to(monkeypatch):
    """A process killed outright stays in its rooms' sets in Redis. Once its liveness key has expired, the others
    drop it at their next refresh, here and in Redis: a room it shared is then published no more. A process still
    refreshing is kept."""
    import redis

    monkeypatch.setattr(redis_queue, "HOST_REFRESH", 3600)  # refreshes are called by the test, not on a timer
    r = redis.Redis.from_url(REDIS_URL)
    channel = f"collab-test-{uuid.uuid4().hex[:12]}"
    room, dead, alive = "plan:1", "killed-process", "running-process"
    hosts_key = ROOM_HOSTS.format(channel=channel, room=room)
    r.sadd(hosts_key, dead, alive)
    r.set(HOST_ALIVE.format(channel=channel, host=alive), 1, ex=60)
    manager = _manager(channel)
    manager._subscribed.set()  # as if its listener had heard its own hello
    try:
        manager.basic_enter_room("sid1", "/", room, eio_sid="eio1")
        assert wait_for(lambda: manager._rooms[room].known)
        assert manager._rooms[room].others == {dead, alive}

        manager._refresh_liveness()
        assert manager._rooms[room].others == {alive}
        assert r.smembers(hosts_key) == {alive.encode(), manager.host_id.encode()}
        assert not manager._alone_in(room)  # still published: a process there is alive

        r.delete(HOST_ALIVE.format(channel=channel, host=alive))  # that one stops too
        manager._refresh_liveness()
        assert manager._alone_in(room)
        assert r.smembers(hosts_key) == {manager.host_id.encode()}
    finally:
        r.delete(hosts_key, HOST_ALIVE.format(channel=channel, host=manager.host_id))


@pytest.mark.skipif(not REDIS_URL, reason="COLLAB_TEST_REDIS_URL is not set (.ci/run sets it when Redis is installed)")
def test_a_process_whose_liveness_expired_announces_its_rooms_again(monkeypatch):
    """Redis unreachable past the key's expiry: the others dropped this process from its rooms. At its next
    refresh it is back in every room's set and says so on the channel, so the others publish to it again, and its
    rooms are caught up with what they were not sent meanwhile."""
    import redis

    monkeypatch.setattr(redis_queue, "HOST_REFRESH", 3600)
    r = redis.Redis.from_url(REDIS_URL)
    channel = f"collab-test-{uuid.uuid4().hex[:12]}"
    manager = _manager(channel)
    manager._subscribed.set()
    caught_up: list[bool] = []  # the others stopped publishing to it: its rooms are caught up, once
    manager.on_missed_messages, manager.catch_up_delay = lambda: caught_up.append(True), 0.0
    rooms = ["plan:1", "plan:2"]
    listener = r.pubsub(ignore_subscribe_messages=True)
    listener.subscribe(channel)
    try:
        for room in rooms:
            manager.basic_enter_room("sid1", "/", room, eio_sid="eio1")
        assert wait_for(lambda: all(manager._rooms[room].known for room in rooms))
        own_key = HOST_ALIVE.format(channel=channel, host=manager.host_id)
        assert r.ttl(own_key) > 0
        for room in rooms:  # what another process's refresh did once the key had gone
            r.srem(ROOM_HOSTS.format(channel=channel, room=room), manager.host_id)
        r.delete(own_key)
        deadline = time.monotonic() + 0.5  # the joins' own announcements, heard and set aside
        while time.monotonic() < deadline:
            listener.get_message(timeout=0.1)
        manager._refresh_liveness()
        assert r.ttl(own_key) > 0
        for room in rooms:
            assert r.smembers(ROOM_HOSTS.format(channel=channel, room=room)) == {manager.host_id.encode()}
        heard = []
        while (message := listener.get_message(timeout=0.5)) is not None:
            heard.append(message["data"].decode())
        assert heard == [f'collab-room + {manager.host_id} "{room}"' for room in rooms]
        assert wait_for(lambda: caught_up == [True])
    finally:
        listener.close()
        r.delete(*(ROOM_HOSTS.format(channel=channel, room=room) for room in rooms),
                 HOST_ALIVE.format(channel=channel, host=manager.host_id))


def test_a_process_skips_its_own_emits_and_rooms_it_lacks_but_not_a_callback_for_it(monkeypatch):
    ours, theirs = _manager("c"), _manager("c")
    ours.rooms = {"/": {"room1": {"sid1": "eio1"}, "sid1": {"sid1": "eio1"}}}  # one connection here, in room1
    sent: list[str] = []
    for manager in (ours, theirs):
        monkeypatch.setattr(manager, "_queue", _Capture(sent))
        manager._publisher = object()  # nothing to start: the messages are only captured
    ours._publish(_emit(ours, "room1", "from us"))
    theirs._publish(_emit(theirs, "room1", "from them"))
    theirs._publish(_emit(theirs, "room2", "for a room with nobody here"))
    theirs._publish(_emit(theirs, "sid1", "to our connection"))
    theirs._publish(_emit(theirs, "sid2", "to a connection elsewhere"))
    callback_for_us = json.dumps({"method": "callback", "host_id": ours.host_id, "sid": "x", "namespace": "/",
                                  "id": 1, "args": []})
    monkeypatch.setattr(socketio.RedisManager, "_listen", lambda self: iter([m.encode() for m in sent] +
                                                                           [callback_for_us.encode()]))
    heard = [json.loads(m) for m in ours._listen()]
    assert [(m["method"], m.get("data")) for m in heard] == [("emit", "from them"), ("emit", "to our connection"),
                                                             ("callback", None)]


class _Capture(list):
    def __init__(self, sink: list[str]) -> None:
        super().__init__()
        self.sink = sink

    def append(self, message: str) -> None:
        self.sink.append(message)


@pytest.mark.skipif(not (DATABASE_URL or "").startswith("postgresql"),
                    reason="COLLAB_TEST_DATABASE_URL (PostgreSQL) is not set")
def test_under_eventlet_a_postgresql_query_lets_the_process_serve_others():
    script = textwrap.dedent(f"""
        import time, warnings
        warnings.filterwarnings("ignore")
        import eventlet
        eventlet.monkey_patch()
        from collab.server.serve import use_eventlet
        use_eventlet()
        import sqlalchemy
        engine = sqlalchemy.create_engine({DATABASE_URL!r})
        ticks = []
        def ticker():
            for _ in range(40):
                ticks.append(time.monotonic())
                eventlet.sleep(0.02)
        with engine.connect() as conn:
            ticking = eventlet.spawn(ticker)
            eventlet.sleep(0)
            began = time.monotonic()
            conn.execute(sqlalchemy.text("select pg_sleep(0.5)"))
            print(sum(1 for t in ticks if began < t < began + 0.5))
        ticking.wait()
    """)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    # Another connection's green thread ran about every 20 ms during the query (0 times before the fix).
    assert int(out.stdout.split()[-1]) >= 10


def test_while_redis_is_unreachable_the_queue_is_bounded_in_bytes_dropping_the_oldest(monkeypatch):
    """Updates can be a megabyte each: a count alone would let a Redis outage take the process's memory."""
    import collab.realtime.redis_queue as redis_queue

    class _Stalled(_Server):
        logger = logging.getLogger("test-redis-queue")

        def start_background_task(self, target: Any, *args: Any) -> None:
            return None  # the publisher never gets to send: as when Redis does not answer

    monkeypatch.setattr(redis_queue, "MAX_QUEUED_BYTES", 3_500_000)
    manager = _manager("collab-test-unreachable")
    manager.server = _Stalled()
    for i in range(10):
        manager._publish(_emit(manager, "room", f"{i:02d}" + "x" * 1_000_000))
    assert manager.dropped == 7
    assert manager._queued_bytes <= 3_500_000
    assert [json.loads(m.partition("\n")[2])["data"][:2] for m in manager._queue] == ["07", "08", "09"]


@pytest.mark.skipif(not REDIS_URL, reason="COLLAB_TEST_REDIS_URL is not set (.ci/run sets it when Redis is installed)")
def test_after_its_listener_lost_redis_a_process_relearns_its_rooms_and_catches_them_up():
    """Cut off from Redis, the listener missed the messages and room announcements published meanwhile: another
    process that joined one of our rooms then was never heard of, and our pages never got its edits. Reconnected,
    the process asks Redis again who is in each room (publishing the room's messages until it knows) and, once,
    has its rooms caught up from the database."""
    import redis

    r = redis.Redis.from_url(REDIS_URL)
    channel, name = f"collab-test-{uuid.uuid4().hex[:12]}", f"collab-test-listener-{uuid.uuid4().hex[:8]}"
    room, other = "plan:1", "other-process"
    hosts_key = ROOM_HOSTS.format(channel=channel, room=room)
    manager = BatchingRedisManager(REDIS_URL, channel=channel, redis_options={"client_name": name})
    manager.server, manager.json = _Server(), json
    caught_up: list[float] = []
    manager.on_missed_messages, manager.catch_up_delay = lambda: caught_up.append(time.monotonic()), 0.2
    threading.Thread(target=manager._thread, daemon=True).start()  # the listener, as initialize() starts it
    try:
        assert wait_for(lambda: manager._listener_connects == 1)
        manager.basic_enter_room("sid1", "/", room, eio_sid="eio1")
        assert wait_for(lambda: manager._rooms[room].known)
        assert manager._alone_in(room) and not caught_up

        listener_ids = [c["id"] for c in r.client_list() if c.get("name") == name and int(c.get("sub", 0))]
        assert listener_ids
        for client_id in listener_ids:
            r.client_kill_filter(_id=client_id)
        r.sadd(hosts_key, other)  # another process joins while our listener is away: its "+" goes unheard

        assert wait_for(lambda: manager._listener_connects == 2, timeout=10)
        assert wait_for(lambda: manager._rooms[room].known and manager._rooms[room].others == {other}, timeout=10)
        assert not manager._alone_in(room)  # its messages reach the other process again
        assert wait_for(lambda: caught_up)
        time.sleep(1.5)  # at most one call for each time the listener was back (redis-py's retry, then maybe ours)
        assert 1 <= len(caught_up) <= manager._listener_connects - 1
    finally:
        r.delete(hosts_key, HOST_ALIVE.format(channel=channel, host=manager.host_id))


def test_publishes_dropped_while_redis_was_away_are_caught_up_once_it_answers_again(monkeypatch):
    """The other processes' pages lack what we could not publish: once Redis takes a batch again, our rooms are
    sent their committed documents (on every process), once."""
    manager = _manager("collab-test-dropped")
    caught_up: list[bool] = []
    manager.on_missed_messages, manager.catch_up_delay = lambda: caught_up.append(True), 0.0
    answers = iter([ConnectionError("down"), ConnectionError("down"), None, None])

    class _Redis:
        def pipeline(self, transaction: bool = False) -> Any:
            return self

        def publish(self, channel: str, message: str) -> None:
            return None

        def execute(self) -> None:
            answer = next(answers)
            if answer is not None:
                raise answer

    monkeypatch.setattr(manager, "_new_client", _Redis)
    manager._send(["an edit"])  # tried twice, dropped
    assert not caught_up
    manager._send(["the next edit"])  # Redis is back
    assert wait_for(lambda: caught_up == [True])
    manager._send(["another"])
    time.sleep(0.2)
    assert caught_up == [True]


def test_what_the_manager_hooks_into_is_there_in_the_pinned_versions():
    """The gap detection overrides RedisManager's `_redis_connect` and redis-py's `PubSub.on_connect`: a version
    without them would silently never catch up after a lost connection."""
    import inspect

    import redis.client

    assert "_redis_connect" in vars(socketio.RedisManager)
    assert list(inspect.signature(redis.client.PubSub.on_connect).parameters) == ["self", "connection"]
    assert hasattr(redis.Redis.from_url("redis://").pubsub(), "channels")
