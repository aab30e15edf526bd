"""python-socketio's RedisManager, publishing through one connection in batches and skipping its own messages
unread.

RedisManager publishes from whichever green thread emits, one PUBLISH and one round trip each, on a pooled
connection held for that round trip: at 500 connections, hundreds of handlers publishing at once asked redis-py
for more than its pool's 100 connections (MaxConnectionsError, "Cannot publish to redis... retrying", and each
retry made a whole new client), and the publishes that got through cost a system call and a wake-up each. Here an
emit only appends the message to a queue; one publisher (a background task: a green thread under eventlet)
sends everything queued since its last pass in one pipeline on one connection, in the order emitted. Nothing is
acknowledged on the strength of a publish (acks follow the commit), so a publish failing after its retry is
logged and dropped, as RedisManager does: the other processes' clients then lack that update until they next join
(a reconnect, a reload), when the committed document is sent to them. A timeout waiting for Redis's replies is not
retried: the batch may have been published already, and publishing it again would deliver it twice.

Every process also receives every other process's messages on the channel, its own included, and RedisManager
decoded each (JSON, then the base64 of every attachment) before finding it its own, or for a room with nobody in
it here (with nginx routing a document's editors to one process, nearly every room message). Our emits go out
behind a one-line header naming the sending process and the room: the listener drops its own messages and those
for rooms with no connection here without decoding them. Deciding there is what RedisManager's handler does at
the same moment (it delivers to the room's connections here at that moment), so nothing is lost to it. Messages
without the header (another manager's, a callback) are handled as RedisManager does.

A room's messages are not published at all while no other process has a connection in it: with nginx routing a
document's editors to one process, that is nearly every document's case, and every message cost a publish here
and a read in every other process (the second limit docs/scaling.md names). Each process keeps, in Redis, which
rooms it has connections in (a set per room: `collab:room-hosts:<channel>:<room>`), and says so on the channel when it
gets its first connection in a room or loses its last (`collab-room + <host id> <room>` / `-`); every process with
connections in that room keeps the others' answers. A room this process has no connection in, or whose hosts it
has not heard yet, is always published. An edit relayed in the moment between another process's first join and
this process hearing of it reaches that joiner through the join's catch-up (collab.realtime.sync, 2 s later)
instead.

A process that dies never says it left. Each process keeps a key saying it is alive (`collab:host-alive:<channel>:
<host id>`, expiring HOST_TTL seconds after its last refresh, every HOST_REFRESH seconds); every refresh, a process
drops the hosts whose key has gone from its rooms, here and in Redis, and stops publishing to them. A process whose
own key expired (Redis unreachable for a while) announces its rooms again, so the others publish to it again; edits
relayed while it was taken for dead reach its connections from the database (below). Only a process that could not
refresh for 20 s past its schedule is taken for dead.

Messages missed: whenever this process may have missed another's messages or the others may have missed its own
(its listener reconnected after losing Redis; the others had taken it for dead; a publish was dropped and Redis
then answered again), it calls `on_missed_messages` (collab.realtime.sync.catch_up_rooms: each shared document
room here is sent its committed document, on every process). Without that, an edit that never arrived left every
later edit building on it held back by Yjs on those pages: they showed nobody else's typing until reloaded. After
a listener reconnect (RedisManager's, or redis-py's own after a dropped connection) it also asks Redis again who is
in each of its rooms (announcements may have been missed), publishing every room's messages until it knows.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from socketio import RedisManager

log = logging.getLogger(__name__)  # python-socketio's own logger shows errors only
BATCH = 500  # messages per pipeline at most
MAX_QUEUED = 20_000  # beyond this many (Redis unreachable), the oldest queued messages are dropped
MAX_QUEUED_BYTES = 64 * 1024 * 1024  # or beyond this many bytes: an update can be a megabyte
HEADER = "collab-emit"  # first word of an emit's header line: `collab-emit <host id> <room as JSON>`
NAMESPACE = "/"
ROOM_HEADER = "collab-room"  # `collab-room <+|-> <host id> <room as JSON>`: a process has (no longer) a connection in
ROOM_HOSTS = "collab:room-hosts:{channel}:{room}"  # the set of host ids with a connection in the room
HOST_ALIVE = "collab:host-alive:{channel}:{host}"  # present while the process runs
HOST_TTL = 30  # seconds a process is taken for alive after its last refresh
HOST_REFRESH = 10  # seconds between refreshes (and between looks for dead hosts)


def _tell_reconnects(pubsub: Any, reconnected: Callable[[], None]) -> None:
    """Have redis-py's PubSub call `reconnected()` when its connection comes back and it subscribes again (it had
    channels: not its first connect). The connection keeps the callback as a weak method of the PubSub, hence a
    subclass, not a wrapper."""
    base = type(pubsub)

    class TellingPubSub(base):  # type: ignore[misc,valid-type]
        def on_connect(self, connection: Any) -> None:
            again = bool(self.channels)
            super().on_connect(connection)
            if again:
                reconnected()

    pubsub.__class__ = TellingPubSub


@dataclass
class RoomHosts:
    """The other processes with a connection in a room this process has connections in. `known` once Redis has
    answered; changes heard meanwhile wait in `heard`, in order, to be applied on top of that answer. `shared`:
    another process has had a connection in it at some time since this one's first."""

    others: set[str] = field(default_factory=set)
    known: bool = False
    shared: bool = False
    heard: list[tuple[str, str]] = field(default_factory=list)

    def hear(self, op: str, host: str) -> None:
        if not self.known:
            self.heard.append((op, host))
        elif op == "+":
            self.others.add(host)
            self.shared = True
        else:
            self.others.discard(host)


class BatchingRedisManager(RedisManager):
    name = "redis"

    def __init__(self, url: str, channel: str = "socketio", write_only: bool = False, logger: Any = None,
                 json: Any = None, redis_options: dict | None = None) -> None:
        super().__init__(url, channel=channel, write_only=write_only, logger=logger, json=json,
                         redis_options=redis_options)
        # Every Redis connection of this process (listener, publisher, rooms) named for `CLIENT LIST`: which
        # cluster (channel) and process each belongs to.
        self.redis_options: dict[str, Any] = {"client_name": f"collab:{channel}:{self.host_id}",
                                              **(redis_options or {})}
        self._queue: deque[str] = deque()
        self._queued_bytes = 0
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._publisher: Any = None
        self._client: Any = None
        self.dropped = 0
        self._rooms: dict[str, RoomHosts] = {}  # rooms with a connection here
        self._room_changes: deque[tuple[str, str, RoomHosts]] = deque()
        self._room_wake = threading.Event()
        self._room_worker: Any = None
        self._room_client: Any = None
        self._subscribed = threading.Event()  # our own hello came back: we hear every later announcement
        self._refreshed_at: float | None = None  # monotonic time of the last liveness refresh
        self._announced = False  # a room of ours has been recorded in Redis (and our liveness key set)
        self._listener_connects = 0
        self._publish_dropped = False  # a batch was dropped since the last successful publish
        # Called, in a background task, `catch_up_delay` seconds after messages may have been missed (by then what
        # was relayed before is committed); collab.realtime.events sets both.
        self.on_missed_messages: Callable[[], None] | None = None
        self.catch_up_delay = 2.0
        self._catch_up_due = False  # a call is scheduled: later misses until it starts are covered by it

    def _new_client(self) -> Any:
        """A Redis client of our own, with timeouts: a Redis that hangs costs the publisher a retry (the queue then
        drops) and the room worker a warning, never the process."""
        options = {"socket_timeout": 5.0, "socket_connect_timeout": 5.0, **self.redis_options}
        return self._get_redis_module().Redis.from_url(self.redis_url, **options)

    # --- messages missed --------------------------------------------------------------------------------------

    def _redis_connect(self) -> None:
        """RedisManager's listener connecting (again, after an error it saw). Its pub/sub connection also tells us
        when redis-py reconnects it by itself after a drop (subscribing again: RedisManager never hears of it)."""
        super()._redis_connect()
        self._listener_connected()
        _tell_reconnects(self.pubsub, self._listener_connected)

    def _listener_connected(self) -> None:
        """After the first time, the listener was cut off from Redis: every message published meanwhile, and every
        room announcement, is lost to it."""
        self._listener_connects += 1
        if self._listener_connects > 1 and self.server is not None:
            log.warning("Redis listener reconnected: catching up this process's rooms")
            self._subscribed.clear()  # hear our own hello again before trusting what Redis says of the rooms
            self._relearn_rooms()
            self._missed_messages()

    def _relearn_rooms(self) -> None:
        """Ask Redis again who else is in each of our rooms; until it answers, publish every room's messages."""
        for room, hosts in list(self._rooms.items()):
            if hosts.known:
                hosts.known = False
                self._change_room("+", room, hosts)

    def _missed_messages(self) -> None:
        if self.on_missed_messages is None or self.server is None or self._catch_up_due:
            return
        self._catch_up_due = True
        self.server.start_background_task(self._catch_up)

    def _catch_up(self) -> None:
        time.sleep(self.catch_up_delay)  # a green sleep under eventlet (monkey-patched)
        self._catch_up_due = False
        try:
            if self.on_missed_messages is not None:
                self.on_missed_messages()
        except Exception:  # noqa: BLE001  (logged; the pages catch up at their next join)
            log.exception("Catching up this process's rooms failed")

    # --- which processes have connections in which rooms ------------------------------------------------------

    def _tracked(self, sid: Any, namespace: Any, room: Any) -> bool:
        return (namespace == NAMESPACE and isinstance(room, str) and room != sid and self.server is not None
                and not self.write_only)

    def basic_enter_room(self, sid: Any, namespace: Any, room: Any, eio_sid: Any = None) -> None:
        first = self._tracked(sid, namespace, room) and not self.rooms.get(namespace, {}).get(room)
        super().basic_enter_room(sid, namespace, room, eio_sid=eio_sid)
        if first and room not in self._rooms:
            self._rooms[room] = hosts = RoomHosts()
            self._change_room("+", room, hosts)

    def basic_leave_room(self, sid: Any, namespace: Any, room: Any) -> None:
        super().basic_leave_room(sid, namespace, room)
        hosts = self._rooms.get(room) if namespace == NAMESPACE else None
        if hosts is not None and not self.rooms.get(namespace, {}).get(room):
            del self._rooms[room]
            self._change_room("-", room, hosts)

    def _change_room(self, op: str, room: str, hosts: RoomHosts) -> None:
        self._room_changes.append((op, room, hosts))
        if self._room_worker is None:
            self._room_worker = self.server.start_background_task(self._tell_rooms)
        self._room_wake.set()

    def _await_subscription(self) -> bool:
        """Until the listener is subscribed, another process's announcement could be missed (the listener starts
        with the first connection): announce ourselves to ourselves until we hear it, for at most 5 s."""
        for _ in range(10):
            if self._subscribed.is_set():
                return True
            try:
                self._room_client.publish(self.channel, f"{ROOM_HEADER} hello {self.host_id} null")
            except Exception:  # noqa: BLE001
                return False
            self._subscribed.wait(0.5)
        return self._subscribed.is_set()

    def _tell_rooms(self) -> None:
        """Record each change in Redis and announce it, in order; on a first connection, learn the room's other
        hosts. Redis failing, or the listener not subscribed, leaves the room not `known`: it is then always
        published, as before."""
        while True:
            self._room_wake.wait(HOST_REFRESH)
            self._room_wake.clear()
            if self._refreshed_at is None:
                self._refreshed_at = time.monotonic()  # the first room's "+" below says we are alive
            elif time.monotonic() - self._refreshed_at >= HOST_REFRESH:
                self._refresh_liveness()
            while self._room_changes:
                op, room, hosts = self._room_changes.popleft()
                try:
                    if self._room_client is None:
                        self._room_client = self._new_client()
                    subscribed = self._await_subscription()
                    pipe = self._room_client.pipeline(transaction=False)
                    key = ROOM_HOSTS.format(channel=self.channel, room=room)
                    if op == "+":
                        pipe.set(self._alive_key(self.host_id), 1, ex=HOST_TTL, nx=True)  # before anyone sees us
                        pipe.expire(self._alive_key(self.host_id), HOST_TTL)
                        pipe.sadd(key, self.host_id)
                        pipe.smembers(key)
                    else:
                        pipe.srem(key, self.host_id)
                    pipe.publish(self.channel, f"{ROOM_HEADER} {op} {self.host_id} {json.dumps(room)}")
                    replies = pipe.execute()
                except Exception as exc:  # noqa: BLE001  (the room stays published: nothing is lost)
                    self._room_client = None
                    self._get_logger().warning("Cannot tell redis about room %s: %s", room, exc)
                    continue
                if op == "+" and replies[0] and self._announced:
                    self._refresh_liveness(reannounce=True)  # our key had expired: the others forgot our rooms
                self._announced = True
                if op == "+" and subscribed and self._rooms.get(room) is hosts:
                    hosts.others = {h.decode() if isinstance(h, bytes) else h for h in replies[3]} - {self.host_id}
                    hosts.shared = hosts.shared or bool(hosts.others) or any(op == "+" for op, _ in hosts.heard)
                    for heard_op, host in hosts.heard:
                        (hosts.others.add if heard_op == "+" else hosts.others.discard)(host)
                    hosts.heard.clear()
                    hosts.known = True

    def _alive_key(self, host: str) -> str:
        return HOST_ALIVE.format(channel=self.channel, host=host)

    def _refresh_liveness(self, reannounce: bool = False) -> None:
        """Say this process is alive; forget the other hosts of our rooms that are not (and take them out of the
        rooms' sets); if our own key had expired (or `reannounce`), the others have forgotten us: announce our
        rooms again."""
        self._refreshed_at = time.monotonic()
        rooms = list(self._rooms.items())
        if not rooms:
            return
        try:
            if self._room_client is None:
                self._room_client = self._new_client()
            others = sorted({host for _, hosts in rooms for host in hosts.others})
            pipe = self._room_client.pipeline(transaction=False)
            pipe.set(self._alive_key(self.host_id), 1, ex=HOST_TTL, nx=True)
            pipe.expire(self._alive_key(self.host_id), HOST_TTL)
            if others:
                pipe.mget([self._alive_key(host) for host in others])
            replies = pipe.execute()
            dead = {host for host, alive in zip(others, replies[2], strict=True) if alive is None} if others else set()
            pipe = self._room_client.pipeline(transaction=False)
            for room, hosts in rooms:
                key = ROOM_HOSTS.format(channel=self.channel, room=room)
                for host in dead & hosts.others:
                    hosts.others.discard(host)
                    pipe.srem(key, host)
                if replies[0] or reannounce:  # our key had gone: nobody counts us in this room now
                    pipe.sadd(key, self.host_id)
                    pipe.publish(self.channel, f"{ROOM_HEADER} + {self.host_id} {json.dumps(room)}")
            pipe.execute()
            if dead:
                self._get_logger().warning("Processes %s stopped refreshing: no longer published to",
                                           ", ".join(sorted(dead)))
            if replies[0] or reannounce:
                self._missed_messages()  # the others stopped publishing to us meanwhile
        except Exception as exc:  # noqa: BLE001  (nothing changes: the rooms stay published as they were)
            self._room_client = None
            self._get_logger().warning("Cannot refresh this process's liveness in redis: %s", exc)

    def _alone_in(self, room: Any) -> bool:
        hosts = self._rooms.get(room) if isinstance(room, str) else None
        return hosts is not None and hosts.known and not hosts.others

    def never_shared(self, room: str) -> bool:
        """No other process has had a connection in the room since this one's first (as far as Redis told): then
        no other process relayed anything to it that this one could have missed."""
        hosts = self._rooms.get(room)
        return hosts is not None and hosts.known and not hosts.shared

    def _publish(self, data: Any) -> None:
        if self.server is None or self.write_only:
            return super()._publish(data)  # no background tasks to publish from: RedisManager's own way
        if isinstance(data, dict) and data.get("method") == "emit" and data.get("namespace") == NAMESPACE \
                and self._alone_in(data.get("room")):
            return None  # no other process has a connection in the room
        message = self.json.dumps(data)
        if isinstance(data, dict) and data.get("method") == "emit" and data.get("host_id") == self.host_id \
                and data.get("namespace") == NAMESPACE and isinstance(data.get("room"), str):
            message = f"{HEADER} {self.host_id} {json.dumps(data['room'])}\n{message}"
        with self._lock:
            while self._queue and (len(self._queue) >= MAX_QUEUED
                                   or self._queued_bytes + len(message) > MAX_QUEUED_BYTES):
                self._queued_bytes -= len(self._queue.popleft())
                self.dropped += 1
                self._publish_dropped = True
                if self.dropped == 1 or self.dropped % 1000 == 0:
                    self._get_logger().error("Cannot publish to redis... giving up on %d queued messages",
                                             self.dropped)
            self._queue.append(message)
            self._queued_bytes += len(message)
            if self._publisher is None:
                self._publisher = self.server.start_background_task(self._publish_queued)
        self._wake.set()

    def _publish_queued(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            while True:
                with self._lock:
                    batch = [self._queue.popleft() for _ in range(min(BATCH, len(self._queue)))]
                    self._queued_bytes -= sum(map(len, batch))
                if not batch:
                    break
                self._send(batch)

    def _send(self, batch: list[str]) -> None:
        for retries_left in (1, 0):
            try:
                if self._client is None:
                    self._client = self._new_client()
                pipe = self._client.pipeline(transaction=False)
                for message in batch:
                    pipe.publish(self.channel, message)
                pipe.execute()
                if self._publish_dropped:  # Redis answers again: the others lack what was dropped
                    self._publish_dropped = False
                    self._missed_messages()
                return
            except Exception as exc:  # noqa: BLE001 (RedisManager's own policy: log, retry once, drop)
                self._client = None
                # Timed out waiting for the replies: Redis may have published the batch; once is enough.
                timed_out = isinstance(exc, self._get_redis_module().TimeoutError)
                self._get_logger().error(
                    "Cannot publish to redis... " + ("retrying" if retries_left and not timed_out else "giving up"),
                    extra={"redis_exception": str(exc)})
                if timed_out or not retries_left:
                    self._publish_dropped = True
                if timed_out:
                    return

    def _listen(self) -> Any:
        header, own = f"{HEADER} ".encode(), self.host_id.encode()
        room_header = f"{ROOM_HEADER} ".encode()
        for message in super()._listen():
            if isinstance(message, bytes) and message.startswith(room_header):
                _, op, host, room = message.split(b" ", 3)
                if op == b"hello":
                    if host == own:
                        self._subscribed.set()
                    continue
                hosts = self._rooms.get(json.loads(room))
                if host != own and hosts is not None:
                    hosts.hear(op.decode(), host.decode())
                continue
            if isinstance(message, bytes) and message.startswith(header):
                head, _, message = message.partition(b"\n")
                _, host, room = head.split(b" ", 2)
                if host == own or not self.rooms.get(NAMESPACE, {}).get(json.loads(room)):
                    continue  # our own emit (delivered here already), or for a room with nobody here
            yield message
