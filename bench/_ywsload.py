"""Load-generator side of the y-websocket reference target (bench/realtime.py --server yws).

The same editors as bench/_load.py's fast clients (same rooms, rate, edits: `[r<run>c<client>s<seq>t<send µs>]`
appended to the shared Text "bench", encoded by bench/_appends.py), speaking the y-websocket protocol instead of
the app's Socket.IO events: one binary websocket per document at ws://host:port/<room>, each message a lib0
`varUint(type)` then, for type 0 (sync), `varUint(subtype)` and a `varUint8Array` payload: 0 step 1 (state
vector), 1 step 2 (update), 2 update. That is byte for byte what the app carries in a `doc:sync` event, so an
edit is the same bytes on both targets and a receiver measures latency the same way (marker in the raw bytes,
CLOCK_MONOTONIC). An editor has joined when the server has answered its step 1 with a step 2 (what the app's
`doc:join` delivers). y-websocket has no acks: `acked` stays 0.
"""

from __future__ import annotations

import asyncio
import base64
import os
import socket
from collections import Counter
from collections.abc import Callable
from urllib.parse import quote

import _load
from _appends import AppendingText
from _fastio import ws_frame

SYNC, AWARENESS = 0, 1
STEP1, STEP2, UPDATE = 0, 1, 2
MY_STEP1 = bytes((SYNC, STEP1, 1, 0))  # our state vector: empty (varUint8Array of [0 clients])
EMPTY_STEP2 = bytes((SYNC, STEP2, 2, 0, 0))  # the answer to the server's step 1: nothing it lacks


class WsClient(asyncio.Protocol):
    """One plain binary websocket (RFC 6455, client side, masked frames); on_message(bytes) per message."""

    def __init__(self, on_message: Callable[[bytes], None]):
        self.on_message = on_message
        self.transport: asyncio.Transport | None = None
        self._buf = bytearray()
        self._handshaken = False
        self._open: asyncio.Future | None = None
        self.error: str | None = None

    async def connect(self, host: str, port: int, path: str, timeout: float) -> None:
        loop = asyncio.get_running_loop()
        self._open = loop.create_future()
        await asyncio.wait_for(loop.create_connection(lambda: self, host, port), timeout)
        self.transport.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.transport.write(request.encode())
        await asyncio.wait_for(self._open, timeout)

    def connection_made(self, transport) -> None:
        self.transport = transport

    def connection_lost(self, exc) -> None:
        if self._open and not self._open.done():
            self._open.set_exception(ConnectionError(self.error or f"connection lost: {exc}"))

    def send(self, message: bytes) -> None:
        self.transport.write(ws_frame(2, message))

    def close(self) -> None:
        if self.transport and not self.transport.is_closing():
            try:
                self.transport.write(ws_frame(8, b"\x03\xe8"))
            finally:
                self.transport.close()

    def data_received(self, data: bytes) -> None:
        buf = self._buf
        buf += data
        if not self._handshaken:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(buf[:buf.find(b"\r\n")])
            if b" 101 " not in status:
                self.error = f"websocket upgrade refused: {status.decode(errors='replace')}"
                self.transport.close()
                return
            del buf[:end + 4]
            self._handshaken = True
            self._open.set_result(None)
        pos, n = 0, len(buf)
        while n - pos >= 2:
            b0, b1 = buf[pos], buf[pos + 1]
            ln, hdr = b1 & 0x7F, 2
            if ln == 126:
                if n - pos < 4:
                    break
                ln, hdr = int.from_bytes(buf[pos + 2:pos + 4], "big"), 4
            elif ln == 127:
                if n - pos < 10:
                    break
                ln, hdr = int.from_bytes(buf[pos + 2:pos + 10], "big"), 10
            if n - pos < hdr + ln:
                break
            payload = bytes(buf[pos + hdr:pos + hdr + ln])
            pos += hdr + ln
            opcode = b0 & 0x0F
            if opcode == 2:
                self.on_message(payload)
            elif opcode == 9:
                self.transport.write(ws_frame(10, payload))
            elif opcode == 8:
                self.transport.close()
                break
        del buf[:pos]


class YwsEditor(_load.FastEditor):
    """A bench/_load.py editor on a y-websocket connection: same edits, same counting, no acks."""

    def __init__(self, client_id: int, room: str, run_id: int, cookie: str | None):  # noqa: D107
        self.client_id, self.room, self.run_id, self.cookie = client_id, room, run_id, cookie
        self.appends = AppendingText(_load.TEXT_ROOT)
        self.seq = self.sent = self.acked = self.duplicates = self.other_events = 0
        self.ack_errors = Counter()
        self.seen = set()
        self.latencies_us = []
        self.joined = False
        self._synced: asyncio.Future | None = None
        self.ws = WsClient(self._on_message)

    def _on_message(self, m: bytes) -> None:
        if len(m) >= 2 and m[0] == SYNC:
            if m[1] == UPDATE:
                self._on_sync(self.room, m)
                return
            if m[1] == STEP1:
                self.ws.send(EMPTY_STEP2)
            elif m[1] == STEP2 and self._synced is not None and not self._synced.done():
                self._synced.set_result(None)
        self.other_events += 1

    async def aconnect(self, host: str, port: int) -> None:
        self._synced = asyncio.get_running_loop().create_future()
        await self.ws.connect(host, port, "/" + quote(self.room, safe=":"), _load.CONNECT_TIMEOUT)
        self.ws.send(MY_STEP1)
        await asyncio.wait_for(self._synced, _load.CALL_TIMEOUT)
        self.joined = True

    def close(self) -> None:
        self.ws.close()

    def send_edit(self, callback=None) -> None:
        self.ws.send(self.make_edit())
        self.sent += 1


def latency_load(conn, spec: dict) -> None:
    """bench/_load.py's scenario load (fast_latency_load) with y-websocket editors."""
    _load.fast_latency_load(conn, spec, editor_cls=YwsEditor)
