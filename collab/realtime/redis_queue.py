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
"""

from __future__ import annotations

import json
import threading
from collections import deque
from typing import Any

from socketio import RedisManager

BATCH = 500  # messages per pipeline at most
MAX_QUEUED = 20_000  # beyond this many (Redis unreachable), the oldest queued messages are dropped
MAX_QUEUED_BYTES = 64 * 1024 * 1024  # or beyond this many bytes: an update can be a megabyte
HEADER = "collab-emit"  # first word of an emit's header line: `collab-emit <host id> <room as JSON>`
NAMESPACE = "/"


class BatchingRedisManager(RedisManager):
    name = "redis"

    def __init__(self, url: str, channel: str = "socketio", write_only: bool = False, logger: Any = None,
                 json: Any = None, redis_options: dict | None = None) -> None:
        super().__init__(url, channel=channel, write_only=write_only, logger=logger, json=json,
                         redis_options=redis_options)
        self._queue: deque[str] = deque()
        self._queued_bytes = 0
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._publisher: Any = None
        self._client: Any = None
        self.dropped = 0

    def _publish(self, data: Any) -> None:
        if self.server is None or self.write_only:
            return super()._publish(data)  # no background tasks to publish from: RedisManager's own way
        message = self.json.dumps(data)
        if isinstance(data, dict) and data.get("method") == "emit" and data.get("host_id") == self.host_id \
                and data.get("namespace") == NAMESPACE and isinstance(data.get("room"), str):
            message = f"{HEADER} {self.host_id} {json.dumps(data['room'])}\n{message}"
        with self._lock:
            while self._queue and (len(self._queue) >= MAX_QUEUED
                                   or self._queued_bytes + len(message) > MAX_QUEUED_BYTES):
                self._queued_bytes -= len(self._queue.popleft())
                self.dropped += 1
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
                    # Timeouts, so a Redis that hangs costs a retry, not the publisher (the queue then drops).
                    options = {"socket_timeout": 5.0, "socket_connect_timeout": 5.0, **self.redis_options}
                    self._client = self._get_redis_module().Redis.from_url(self.redis_url, **options)
                pipe = self._client.pipeline(transaction=False)
                for message in batch:
                    pipe.publish(self.channel, message)
                pipe.execute()
                return
            except Exception as exc:  # noqa: BLE001 (RedisManager's own policy: log, retry once, drop)
                self._client = None
                # Timed out waiting for the replies: Redis may have published the batch; once is enough.
                timed_out = isinstance(exc, self._get_redis_module().TimeoutError)
                self._get_logger().error(
                    "Cannot publish to redis... " + ("retrying" if retries_left and not timed_out else "giving up"),
                    extra={"redis_exception": str(exc)})
                if timed_out:
                    return

    def _listen(self) -> Any:
        header, own = f"{HEADER} ".encode(), self.host_id.encode()
        for message in super()._listen():
            if isinstance(message, bytes) and message.startswith(header):
                head, _, message = message.partition(b"\n")
                _, host, room = head.split(b" ", 2)
                if host == own or not self.rooms.get(NAMESPACE, {}).get(json.loads(room)):
                    continue  # our own emit (delivered here already), or for a room with nobody here
            yield message
