"""A reference third-party client for docs/realtime-protocol.md: python-socketio + pycrdt, nothing else.

`Replica` is the protocol logic (one document, the updates not yet acknowledged); `RealtimeClient` drives it
over a real connection, and `TestPeer` over Flask-SocketIO's test client, so the suite tests the same logic
both ways.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import engineio
import requests
import socketio
from pycrdt import Decoder, Doc, Text, XmlFragment, read_message

TEXT_NAME = "text"  # the shared Text the tests edit (a plan's editor body is the XmlFragment "default")


def sync_message(subtype: int, payload: bytes) -> bytes:
    length = bytearray()
    n = len(payload)
    while n > 127:
        length.append(128 | (n & 127))
        n >>= 7
    length.append(n)
    return bytes([0, subtype]) + bytes(length) + payload


class Replica:
    """One client's copy of one room's document and its unacknowledged updates (kept in order)."""

    def __init__(self, room: str) -> None:
        self.room = room
        # A RealtimeClient applies what it receives on its read thread while the test reads on its own: the
        # Doc then takes a lock per transaction, or pycrdt fails ("Already in a transaction").
        self.doc: Doc = Doc(allow_multithreading=True)
        self.lock = threading.RLock()
        self.unacked: dict[int, bytes] = {}
        self._next = 0
        self.errors: list[dict] = []
        self.awareness: list[bytes] = []

    @property
    def text(self) -> Text:
        return self.doc.get(TEXT_NAME, type=Text)

    def text_now(self) -> str:
        """The shared Text's content, read under the lock: a RealtimeClient applies what it receives on its read
        thread, and a pycrdt Doc used from two threads at once fails ("Transaction is no longer valid")."""
        with self.lock:
            return str(self.text)

    @property
    def fragment(self) -> XmlFragment:
        return self.doc.get("default", type=XmlFragment)

    def edit(self, change: Callable[[Doc], None]) -> tuple[int, bytes]:
        """Make a local change in one transaction; returns (sequence number, update) to send and keep until
        acknowledged. The update is the transaction's own (what Yjs's `update` event gives a browser):
        `get_update(state_before)` would also carry the document's whole delete set."""
        with self.lock:
            updates: list[bytes] = []
            subscription = self.doc.observe(lambda event: updates.append(event.update))
            try:
                with self.doc.transaction():
                    change(self.doc)
            finally:
                self.doc.unobserve(subscription)
            update = updates[0] if updates else b"\x00\x00"  # no change: the empty update
            self._next += 1
            self.unacked[self._next] = update
            return self._next, update

    def acknowledged(self, seq: int) -> None:
        with self.lock:
            self.unacked.pop(seq, None)

    def receive(self, event: str, args: list) -> list[tuple[str, tuple]]:
        """Handle one server event; returns the events to send back (e.g. step 2 answering step 1)."""
        if event == "doc:error":
            self.errors.append(args[0])
            return []
        if not args or args[0] != self.room:
            return []
        if event == "doc:awareness":
            self.awareness.append(args[1])
            return []
        if event != "doc:sync":
            return []
        message = args[1]
        subtype, payload = message[1], read_message(message[2:])
        with self.lock:
            if subtype == 0:
                return [("doc:sync", (self.room, sync_message(1, self.doc.get_update(payload))))]
            self.doc.apply_update(payload)
        return []

    def step1(self) -> bytes:
        with self.lock:
            return sync_message(0, self.doc.get_state())


def awareness_message(client_id: int, clock: int, state: dict | None) -> bytes:
    import json

    def var(n: int) -> bytes:
        out = bytearray()
        while n > 127:
            out.append(128 | (n & 127))
            n >>= 7
        out.append(n)
        return bytes(out)

    body = json.dumps(state).encode() if state is not None else b"null"
    update = var(1) + var(client_id) + var(clock) + var(len(body)) + body
    return var(1) + var(len(update)) + update


def awareness_clients(message: bytes) -> dict[int, str]:
    """{client_id: state json} in an awareness message."""
    decoder = Decoder(read_message(message[1:]))
    result = {}
    for _ in range(decoder.read_var_uint()):
        client = decoder.read_var_uint()
        decoder.read_var_uint()
        result[client] = decoder.read_var_string()
    return result


class TestPeer:
    """The Replica driven through Flask-SocketIO's test client (handlers run synchronously)."""

    __test__ = False  # not a pytest class

    def __init__(self, app, socketio_ext, flask_client, room: str) -> None:
        self.app, self.socketio, self.flask_client = app, socketio_ext, flask_client
        self.replica = Replica(room)
        self.sio = None
        self.received: list[dict] = []

    @property
    def room(self) -> str:
        return self.replica.room

    def connect(self) -> bool:
        self.sio = self.socketio.test_client(self.app, flask_test_client=self.flask_client)
        return self.sio.is_connected()

    def disconnect(self) -> None:
        if self.sio is not None and self.sio.is_connected():
            self.sio.disconnect()
        self.sio = None

    def emit(self, event: str, *args: Any) -> Any:
        ack = self.sio.emit(event, *args, callback=True)
        self.pump()
        return ack

    def join(self) -> dict:
        return self.emit("doc:join", self.room)

    def pump(self) -> None:
        """Deliver what the server sent; answer step 1 with step 2 (acks of those are not needed)."""
        while self.sio is not None and self.sio.is_connected():
            batch = self.sio.get_received()
            if not batch:
                return
            for packet in batch:
                self.received.append(packet)
                for event, args in self.replica.receive(packet["name"], packet["args"]):
                    self.sio.emit(event, *args, callback=True)

    def send(self, seq: int, update: bytes) -> dict:
        ack = self.emit("doc:sync", self.room, sync_message(2, update))
        if isinstance(ack, dict) and ack.get("ok"):
            self.replica.acknowledged(seq)
        return ack

    def edit(self, change: Callable[[Doc], None]) -> dict:
        return self.send(*self.replica.edit(change))

    def resend_unacked(self) -> list[dict]:
        return [self.send(seq, update) for seq, update in sorted(self.replica.unacked.items())]

    def events(self, name: str) -> list[dict]:
        return [p for p in self.received if p["name"] == name]


class _InOrderEngineIO(engineio.Client):
    """python-socketio's threaded client hands every Engine.IO message to a new thread (engineio's
    `_receive_packet` passes run_async=True, with no option to turn it off), so a binary event's attachment can be
    processed before its header packet: `ValueError: invalid literal for int() with base 10: b'\\x00'` in
    socketio/packet.py, and the event is dropped (docs/performance.md). Here every message is handled in order on
    the read thread; our handlers are short and never wait for the server (emit only queues)."""

    def _trigger_event(self, event, *args, **kwargs):
        if event == "message":
            kwargs["run_async"] = False
        return super()._trigger_event(event, *args, **kwargs)


class InOrderClient(socketio.Client):
    """socketio.Client whose Engine.IO messages are handled in the order they arrived."""

    def _engineio_client_class(self):
        return _InOrderEngineIO


class RealtimeClient:
    """The Replica over a real Socket.IO connection (websocket transport), signed in with a cookie."""

    def __init__(self, base_url: str, room: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = requests.Session()
        self.replica = Replica(room)
        self.sio = InOrderClient(reconnection=False)
        self.sio.on("*", self._on_event)

    @property
    def room(self) -> str:
        return self.replica.room

    def sign_in(self, email: str, password: str) -> bool:
        """GET /login for the CSRF token, then POST the form; True when the server set a session."""
        page = self.http.get(f"{self.base_url}/login", timeout=10)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text) or re.search(
            r'value="([^"]+)"[^>]*name="csrf_token"', page.text)
        data = {"email": email, "password": password, "csrf_token": match.group(1) if match else ""}
        response = self.http.post(f"{self.base_url}/login", data=data, timeout=10, allow_redirects=False)
        return response.status_code in (302, 303) and "session" in self.http.cookies

    def use_cookie(self, name: str, value: str) -> None:
        self.http.cookies.set(name, value)

    def reconnect(self) -> dict:
        """A new connection for the same replica: join (answering the server's step 1 with our step 2),
        then resend every update not acknowledged before."""
        self.disconnect()
        self.sio = InOrderClient(reconnection=False)
        self.sio.on("*", self._on_event)
        self.connect()
        ack = self.join()
        self.resend_unacked()
        return ack

    def connect(self) -> None:
        cookie = "; ".join(f"{k}={v}" for k, v in self.http.cookies.items())
        self.http.close()  # keep-alive sockets to a server that may be killed would leak (the jar stays)
        # ?room= as the browser sends it (static/src/_socket.js): nginx routes on it, the server ignores it.
        url = f"{self.base_url}?{urlencode({'room': self.room})}"
        self.sio.connect(url, headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=10)

    def disconnect(self) -> None:
        with contextlib.suppress(Exception):  # already gone
            self.sio.disconnect()

    def _on_event(self, event: str, *args: Any) -> None:
        for reply_event, reply_args in self.replica.receive(event, list(args)):
            with contextlib.suppress(Exception):  # the connection went away; the next join resyncs
                self.sio.emit(reply_event, reply_args, callback=lambda *_: None)

    def call(self, event: str, *args: Any, timeout: float = 10) -> Any:
        return self.sio.call(event, args if len(args) != 1 else args[0], timeout=timeout)

    def join(self) -> dict:
        return self.call("doc:join", self.room)

    def send(self, seq: int, update: bytes, timeout: float = 10) -> dict:
        ack = self.call("doc:sync", self.room, sync_message(2, update), timeout=timeout)
        if isinstance(ack, dict) and ack.get("ok"):
            self.replica.acknowledged(seq)
        return ack

    def edit(self, change: Callable[[Doc], None], timeout: float = 10) -> dict:
        return self.send(*self.replica.edit(change), timeout=timeout)

    def resend_unacked(self) -> list[dict]:
        return [self.send(seq, update) for seq, update in sorted(self.replica.unacked.items())]
