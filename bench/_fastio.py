"""A lean asyncio Socket.IO (Engine.IO v4, websocket transport only) client for the load generators.

Why not python-socketio's client for the load: its threaded client costs two OS threads per connection, a new
thread per received message and a selector round per websocket read; with 500 connections receiving ~9,000
events/s on this 2-core machine the load generators, not the server, set the latency (floor p99 in seconds, send
loop hundreds of ms behind schedule). This client speaks the same wire protocol (RFC 6455 frames, masked;
Engine.IO v4 open/ping/pong/message; Socket.IO v5 connect, events, binary events with attachments, acks) in a
few microseconds per message, so thousands of connections fit in a couple of processes. The 1 MB join is still
timed with python-socketio's own client (bench/_load.py join_once), the reference third-party client.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import socket
from collections.abc import Callable

MAX_FRAME = 64 * 1024 * 1024


def _mask(payload: bytes) -> bytes:
    key = os.urandom(4)
    n = len(payload)
    if n == 0:
        return key
    k = int.from_bytes((key * (n // 4 + 1))[:n], "big")
    return key + (int.from_bytes(payload, "big") ^ k).to_bytes(n, "big")


def ws_frame(opcode: int, payload: bytes) -> bytes:
    n = len(payload)
    if n < 126:
        head = bytes((0x80 | opcode, 0x80 | n))
    elif n < 65536:
        head = bytes((0x80 | opcode, 0x80 | 126)) + n.to_bytes(2, "big")
    else:
        head = bytes((0x80 | opcode, 0x80 | 127)) + n.to_bytes(8, "big")
    return head + _mask(payload)


class SioClient(asyncio.Protocol):
    """One Socket.IO connection. `on(event, handler)`: handler(*args) runs on the loop as each event is parsed."""

    def __init__(self):
        self.transport: asyncio.Transport | None = None
        self.handlers: dict[str, Callable] = {}
        self._buf = bytearray()
        self._handshaken = False
        self._acks: dict[int, Callable] = {}
        self._next_id = 0
        self._pending: tuple[str, list, int, int | None, list] | None = None  # binary packet awaiting attachments
        self._connected: asyncio.Future | None = None
        self.closed = asyncio.Event()
        self.error: str | None = None

    def on(self, event: str, handler: Callable) -> None:
        self.handlers[event] = handler

    # ------------------------------------------------------------------ connecting
    async def connect(self, host: str, port: int, cookie: str | None = None, timeout: float = 20.0,
                      query: str = "") -> None:
        """`query`: more of the URL's query string, e.g. "&room=plan:12" (what nginx routes on)."""
        loop = asyncio.get_running_loop()
        self._connected = loop.create_future()
        await asyncio.wait_for(loop.create_connection(lambda: self, host, port), timeout)
        sock = self.transport.get_extra_info("socket")
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [f"GET /socket.io/?EIO=4&transport=websocket{query} HTTP/1.1", f"Host: {host}:{port}",
                 "Upgrade: websocket", "Connection: Upgrade", f"Sec-WebSocket-Key: {key}",
                 "Sec-WebSocket-Version: 13"]
        if cookie:
            lines.append(f"Cookie: {cookie}")
        self.transport.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        await asyncio.wait_for(self._connected, timeout)

    def connection_made(self, transport) -> None:
        self.transport = transport

    def connection_lost(self, exc) -> None:
        self.closed.set()
        if self._connected and not self._connected.done():
            self._connected.set_exception(ConnectionError(self.error or f"connection lost: {exc}"))

    def close(self) -> None:
        if self.transport and not self.transport.is_closing():
            try:
                self.transport.write(ws_frame(8, b"\x03\xe8"))
            finally:
                self.transport.close()

    # ------------------------------------------------------------------ receiving
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
        pos = 0
        n = len(buf)
        while n - pos >= 2:
            b0, b1 = buf[pos], buf[pos + 1]
            ln = b1 & 0x7F
            hdr = 2
            if ln == 126:
                if n - pos < 4:
                    break
                ln = int.from_bytes(buf[pos + 2:pos + 4], "big")
                hdr = 4
            elif ln == 127:
                if n - pos < 10:
                    break
                ln = int.from_bytes(buf[pos + 2:pos + 10], "big")
                hdr = 10
            if n - pos < hdr + ln:
                break
            payload = bytes(buf[pos + hdr:pos + hdr + ln])
            pos += hdr + ln
            opcode = b0 & 0x0F
            if opcode == 1:
                self._on_text(payload.decode())
            elif opcode == 2:
                self._on_binary(payload)
            elif opcode == 9:
                self.transport.write(ws_frame(10, payload))
            elif opcode == 8:
                self.transport.close()
                break
        del buf[:pos]

    def _on_text(self, s: str) -> None:
        kind = s[0]
        if kind == "4":  # Engine.IO message: a Socket.IO packet
            self._on_packet(s[1:])
        elif kind == "2":  # ping
            self.transport.write(ws_frame(1, b"3"))
        elif kind == "0":  # open: connect to the default namespace
            self.transport.write(ws_frame(1, b"40"))
        elif kind == "1":
            self.transport.close()

    def _on_packet(self, p: str) -> None:
        t = p[0]
        i = 1
        attachments = 0
        if t in "56":
            dash = p.index("-", 1)
            attachments = int(p[1:dash])
            i = dash + 1
        if i < len(p) and p[i] == "/":  # namespace other than "/": not used here
            comma = p.index(",", i)
            i = comma + 1
        j = i
        while j < len(p) and p[j].isdigit():
            j += 1
        pid = int(p[i:j]) if j > i else None
        data = json.loads(p[j:]) if j < len(p) else None
        if t == "0":
            if not self._connected.done():
                self._connected.set_result(data)
        elif t == "4":
            self.error = f"connect_error: {data}"
            if not self._connected.done():
                self._connected.set_exception(ConnectionError(self.error))
        elif t == "2":
            self._dispatch_event(data, pid)
        elif t == "3":
            self._dispatch_ack(pid, data)
        elif t in "56":
            self._pending = (t, data, attachments, pid, [])
        elif t == "1":
            self.transport.close()

    def _on_binary(self, payload: bytes) -> None:
        if self._pending is None:
            return
        t, data, count, pid, got = self._pending
        got.append(payload)
        if len(got) < count:
            return
        self._pending = None
        data = _fill(data, got)
        if t == "5":
            self._dispatch_event(data, pid)
        else:
            self._dispatch_ack(pid, data)

    def _dispatch_event(self, data: list, pid: int | None) -> None:
        handler = self.handlers.get(data[0])
        if handler is not None:
            handler(*data[1:])
        if pid is not None:  # the server asked for an ack: answer with nothing
            self.transport.write(ws_frame(1, f"43{pid}[]".encode()))

    def _dispatch_ack(self, pid: int | None, data) -> None:
        cb = self._acks.pop(pid, None)
        if cb is not None:
            cb(*(data or []))

    # ------------------------------------------------------------------ sending
    def emit(self, event: str, *args, callback: Callable | None = None) -> None:
        pid = ""
        if callback is not None:
            self._next_id += 1
            self._acks[self._next_id] = callback
            pid = str(self._next_id)
        blobs: list[bytes] = []
        body = [event] + [_placeholder(a, blobs) for a in args]
        text = json.dumps(body, separators=(",", ":"))
        if blobs:
            frames = [ws_frame(1, f"45{len(blobs)}-{pid}{text}".encode())]
            frames += [ws_frame(2, b) for b in blobs]
            self.transport.write(b"".join(frames))
        else:
            self.transport.write(ws_frame(1, f"42{pid}{text}".encode()))

    async def call(self, event: str, *args, timeout: float = 20.0):
        fut = asyncio.get_running_loop().create_future()
        self.emit(event, *args, callback=lambda *a: fut.done() or fut.set_result(a[0] if a else None))
        return await asyncio.wait_for(fut, timeout)


def _placeholder(value, blobs: list):
    if isinstance(value, (bytes, bytearray, memoryview)):
        blobs.append(bytes(value))
        return {"_placeholder": True, "num": len(blobs) - 1}
    return value


def _fill(value, blobs: list):
    if isinstance(value, dict):
        if value.get("_placeholder") is True and "num" in value:
            return blobs[value["num"]]
        return {k: _fill(v, blobs) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, blobs) for v in value]
    return value
