"""Two fixes to eventlet's websocket server, which every Socket.IO message goes through under eventlet.

Measured with bench/realtime.py (docs/performance.md, "The websocket layer"), eventlet 0.41's RFC 6455 code:
- unmasks every client frame one byte at a time in a Python generator (RFC6455WebSocket._apply_mask): ~8 % of the
  hub's CPU in the throughput test. `unmask` does it as one integer XOR, with the same result for every input;
- reads each frame with 3-4 recv() calls (header, mask, payload), and a Socket.IO binary event is two frames: ~8
  system calls per edit. `BufferedReads` reads what has arrived in one call and hands it out frame by frame.

`install()` patches the class once, and installs collab.server.fastsend (the write side); every entry point that
chose eventlet calls it through collab.server.serve.use_eventlet (wsgi.py, serve()). Like fastsend, it patches only
eventlet's tested series (fastsend.TESTED_SERIES) and only if the private names it replaces are there
(`missing_internals`).
"""

from __future__ import annotations

from typing import Any

_READ_SIZE = 65536


def unmask(data: bytes, mask: Any, length: int | None = None, offset: int = 0) -> bytes:
    """XOR `data[:length]` with the 4-byte `mask` rotated by `offset`: what eventlet's `_apply_mask` returns."""
    if length is None:
        length = len(data)
    if length <= 0:
        return b""
    key = bytes(mask[(offset + i) % 4] for i in range(4))
    pad = (key * (length // 4 + 1))[:length]
    return (int.from_bytes(data[:length], "little") ^ int.from_bytes(pad, "little")).to_bytes(length, "little")


class BufferedReads:
    """A socket whose recv(n) is served from one larger read: returns at most n bytes, b"" at end of stream, like
    socket.recv. Everything else goes to the socket itself."""

    __slots__ = ("_sock", "_buffer", "_position")

    def __init__(self, sock: Any) -> None:
        self._sock = sock
        self._buffer = b""
        self._position = 0

    def recv(self, n: int) -> bytes:
        if self._position >= len(self._buffer):
            data = self._sock.recv(max(n, _READ_SIZE))
            if len(data) <= n:
                return data
            self._buffer, self._position = data, 0
        end = self._position + n
        chunk = self._buffer[self._position:end]
        self._position = end
        return chunk

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


def missing_internals() -> list[str]:
    """What `install` replaces or relies on in eventlet's RFC6455WebSocket that the installed eventlet lacks: the
    mask function (with its parameters), and the `socket` its __init__ sets, which the frame reader recv()s from."""
    from eventlet.websocket import RFC6455WebSocket

    from collab.server.fastsend import missing, missing_parameters

    return [
        *missing(RFC6455WebSocket, ("_apply_mask", "_recv_frame", "_get_bytes"), "RFC6455WebSocket"),
        *missing_parameters(RFC6455WebSocket, "_apply_mask", ("data", "mask", "length", "offset"), "RFC6455WebSocket"),
        *missing_parameters(RFC6455WebSocket, "__init__", ("sock",), "RFC6455WebSocket"),
        *missing(RFC6455WebSocket(None, {}), ("socket",), "RFC6455WebSocket()"),
    ]


def install() -> None:
    from eventlet.websocket import RFC6455WebSocket

    from collab.server import fastsend

    fastsend.install()
    if getattr(RFC6455WebSocket, "_collab_fast", False):
        return
    if fastsend.refused("collab.server.fastws", fastsend.untested_versions(("eventlet",)) or missing_internals()):
        return
    original_init = RFC6455WebSocket.__init__

    def __init__(self: Any, sock: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, sock, *args, **kwargs)
        self.socket = BufferedReads(self.socket)

    RFC6455WebSocket.__init__ = __init__  # type: ignore[method-assign]
    RFC6455WebSocket._apply_mask = staticmethod(unmask)  # type: ignore[method-assign]
    RFC6455WebSocket._collab_fast = True  # type: ignore[attr-defined]
