"""Engine.IO's sends written by the hub itself when the connection's writer has nothing waiting (eventlet only).

python-engineio queues every outgoing packet for the connection's writer green thread, which a hub timer wakes to
frame the packet and write it. Delivering one Yjs update to one peer is two packets (a Socket.IO binary event is a
header and an attachment): two queue puts, a wake-up, two frames and two sendall() calls. At 500 connections that
was most of the server's CPU (docs/performance.md).

When the connection is an upgraded websocket whose writer is idle (nothing queued, not part-way through a write),
waking it gains nothing: `send` frames the packet at once and keeps the frames for the end of this pass of the
hub's loop, when everything framed for that connection during the pass (deliveries, acks) is written with one
non-blocking send(): fewer system calls, and fewer segments for the client to wake up for. What the kernel does
not take is queued for the writer as raw frames, and while anything is queued every later packet is queued
behind it, so packets never change order on a connection and a slow client never blocks the sender (the room's
other members are not held up by it). Compression (permessage-deflate) still works: frames are made by the
connection's own websocket, in the order they are written.

`emit(server, event, args, to, skip_sid)` goes further for the events collab.realtime.publish sends: the packets of
one event (header and attachment) are encoded once, and framed once for every connection without compression. It
declines (returns False, and the caller uses Socket.IO's own emit) unless this is installed. With Redis
(python-socketio's PubSubManager) it still delivers to this process's connections itself, then publishes the
message exactly as that manager's emit would, for the other processes only (each skips its own messages); a reply
to one connection of this process (a join's whole document, an acknowledgement) is not published at all: no other
process could deliver it. Socket.IO's own emit would publish both and deliver locally on its slow path.

`install()` patches python-engineio's Socket and eventlet's websocket once; collab.server.fastws.install calls it.
It patches only the series of those packages it was tested with (TESTED_SERIES) and only if every private name it
uses is there (`missing_internals`, also run by tests/test_patch_guard.py); otherwise Engine.IO's own path serves,
and the log says why, once.
"""

from __future__ import annotations

import base64
import importlib.metadata
import inspect
import logging
import queue
import types
from typing import Any

from engineio import packet as eio_packet
from engineio.exceptions import QueueEmpty
from engineio.socket import Socket
from socketio import Manager, PubSubManager
from socketio import Server as SocketIOServer
from socketio import packet as sio_packet

NAMESPACE = "/"
log = logging.getLogger(__name__)


class Frames(bytes):
    """Websocket frames ready to write as they are: the patched websocket `send` writes them unchanged."""


class RawFrames(eio_packet.Packet):
    """A queued remainder of frames the kernel did not take at once; the writer sends it unframed."""

    def __init__(self, frames: bytes) -> None:
        super().__init__(eio_packet.MESSAGE, data=Frames(frames))

    def encode(self, b64: bool = False) -> bytes:
        return self.data


def raw_socket(ws: Any) -> Any:
    """The websocket's OS-level socket, if it is non-blocking (as eventlet's are); else None."""
    green = getattr(ws, "socket", None)
    raw = getattr(green, "fd", None)
    try:
        return raw if raw is not None and raw.gettimeout() == 0.0 else None
    except (AttributeError, OSError):
        return None


def write_now(sock: Any, packets: tuple[Any, ...] | list[Any], shared: list[bytes] | None = None) -> bool:
    """Frame `packets` for Engine.IO socket `sock` and have them written at the end of this hub pass, if its writer
    is idle; False if they must be queued. `shared` (a list, empty at first) keeps the uncompressed frames of a
    broadcast, the same for every connection without compression, so they are made once."""
    ws = sock._collab_ws
    if ws is None or not sock.upgraded or sock.closed:
        return False
    out = sock._collab_out
    if out is None:
        if sock.queue.qsize() >= MAX_QUEUED_PACKETS:
            _give_up_on(sock)
            return True  # dropped, as for a connection closing
        if sock.queue.qsize() or ws._sendlock.locked() or _hubs.get_hub() is not _hub:
            return False  # (another thread's hub would never run the flush: the writer sends it instead)
        if not sock.check_ping_timeout():
            return True  # the client is gone and the socket now closing: dropped, as Engine.IO's own send does
    if shared is None or ws._collab_deflate:  # compressed frames depend on the connection's compressor state
        frames = b"".join([ws._pack_message(p.encode()) for p in packets])
    else:
        if not shared:
            shared.append(b"".join([ws._pack_message(p.encode()) for p in packets]))
        frames = shared[0]
    if out is None:
        sock._collab_out = [frames]
        _dirty.append(sock)
        if len(_dirty) == 1:
            _hub.schedule_call_global(0, _flush)
    else:
        out.append(frames)
    return True


_dirty: list[Any] = []  # sockets with frames waiting for the end of this hub pass
_hub: Any = None  # the hub serving the connections (install() runs on its thread)
_hubs: Any = None  # eventlet.hubs, once installed (connections only take this path once it is)


def _flush() -> None:
    """Write what this hub pass framed: one send() per connection, whatever number of messages it got."""
    dirty = _dirty[:]
    _dirty.clear()
    for sock in dirty:
        try:
            _flush_one(sock)
        except Exception:  # one connection's failure must not keep the others' frames unsent
            log.exception("writing to connection %s failed", getattr(sock, "sid", "?"))


def _flush_one(sock: Any) -> None:
    out, sock._collab_out = sock._collab_out, None
    ws = sock._collab_ws
    if not out or ws is None:
        return
    frames = out[0] if len(out) == 1 else b"".join(out)
    if sock.queue.qsize() or ws._sendlock.locked():
        sock.queue.put(RawFrames(frames))
        return
    try:
        sent = ws._collab_raw.send(frames)
    except BlockingIOError:
        sent = 0
    except OSError:
        return  # the writer finds the connection broken and closes it
    if sent < len(frames):
        sock.queue.put(RawFrames(frames[sent:]))


# Packets waiting for a connection that does not read (a tablet asleep, a client flooding us and never reading the
# replies) before it is closed: it reconnects and resyncs (step 1 and 2), instead of the server holding an
# ever-growing backlog for it (bench/hostile.py: the server grew to 4 GB). The slow-client test's 320 packets
# (16 MB) still wait.
MAX_QUEUED_PACKETS = 4096


def _give_up_on(sock: Any) -> None:
    """Close `sock` soon: not now, since this may run inside an emit iterating the room it would leave."""
    if getattr(sock, "_collab_giving_up", False) or sock.closing or sock.closed:
        return
    sock._collab_giving_up = True
    log.warning("connection %s has %d packets waiting and is not reading; closing it", sock.sid, sock.queue.qsize())

    def close() -> None:
        try:
            sock.close(wait=False, abort=True)
        except Exception:  # closed meanwhile
            log.debug("closing %s failed", sock.sid, exc_info=True)

    _hub.schedule_call_global(0, close)


# Events of one connection started and not finished before its websocket is read no further. python-socketio starts
# every event in a green thread of its own as soon as it is read; a client sending faster than it is served (a
# flood) piled up green threads waiting to run without bound (54,000 and 500 MB in bench/hostile.py). Not reading
# lets TCP slow the sender; other connections are not affected.
MAX_PENDING_EVENTS = 64


def _install_backpressure() -> None:
    original_handle_event = SocketIOServer._handle_event
    original_internal = SocketIOServer._handle_event_internal

    def _handle_event(self: Any, eio_sid: str, namespace: Any, id: Any, data: Any) -> Any:
        sock = self.eio.sockets.get(eio_sid)
        if sock is None or not self.async_handlers:
            return original_handle_event(self, eio_sid, namespace, id, data)
        while sock._collab_pending >= MAX_PENDING_EVENTS and not sock.closed:
            self.sleep(0.002)  # on this connection's reader: the next frame waits
        if self.manager.is_connected(self.manager.sid_from_eio_sid(eio_sid, namespace or "/"), namespace or "/"):
            sock._collab_pending += 1  # the original starts the handler (same check, no switch in between)
        return original_handle_event(self, eio_sid, namespace, id, data)

    def _handle_event_internal(self: Any, server: Any, sid: Any, eio_sid: str, *args: Any) -> Any:
        try:
            return original_internal(self, server, sid, eio_sid, *args)
        finally:
            sock = self.eio.sockets.get(eio_sid)
            if sock is not None and sock._collab_pending > 0:
                sock._collab_pending -= 1

    Socket._collab_pending = 0  # type: ignore[attr-defined]
    SocketIOServer._handle_event = _handle_event  # type: ignore[method-assign]
    SocketIOServer._handle_event_internal = _handle_event_internal  # type: ignore[method-assign]


def emit(server: Any, event: str, args: tuple[Any, ...], to: str, skip_sid: str | None = None) -> bool:
    """Socket.IO's emit of `event(*args)` to room (or sid) `to`, except `skip_sid`: this process's connections
    written here, the other processes' (with Redis) through the queue unless `to` is a connection of this process;
    False, having sent nothing, if it must go through Socket.IO's own emit."""
    manager = server.manager
    if not getattr(Socket, "_collab_direct", False) or not isinstance(manager, Manager):
        return False
    _deliver_here(server, event, args, to, skip_sid)
    if isinstance(manager, PubSubManager) and not manager.is_connected(to, NAMESPACE):
        _publish(manager, event, args, to, skip_sid)
    return True


def _publish(manager: Any, event: str, args: tuple[Any, ...], to: str, skip_sid: str | None) -> None:
    """The message PubSubManager.emit publishes for `event(*args)` (no callback): the other processes' listeners
    deliver it to their connections in `to`."""
    data: Any = list(args)
    binary = sio_packet.Packet.data_is_binary(data)
    if binary:
        data, attachments = sio_packet.Packet.deconstruct_binary(data)
        data = [data, *(base64.b64encode(attachment).decode() for attachment in attachments)]
    manager._publish({"method": "emit", "event": event, "data": data, "binary": binary, "namespace": NAMESPACE,
                      "room": to, "skip_sid": skip_sid, "callback": None, "host_id": manager.host_id})


def _deliver_here(server: Any, event: str, args: tuple[Any, ...], to: str, skip_sid: str | None) -> None:
    sockets = server.eio.sockets
    recipients = [sock for sid, eio_sid in server.manager.get_participants(NAMESPACE, to)
                  if sid != skip_sid and (sock := sockets.get(eio_sid)) is not None and not sock.closed]
    if not recipients:
        return  # someone editing alone: nothing to encode
    encoded = server.packet_class(sio_packet.EVENT, namespace=NAMESPACE, data=[event, *args]).encode()
    packets = [eio_packet.Packet(eio_packet.MESSAGE, part)
               for part in (encoded if isinstance(encoded, list) else [encoded])]
    shared: list[bytes] = []
    for sock in recipients:
        if write_now(sock, packets, shared):
            continue
        for packet in packets:
            sock.send(packet)


# --- the guard: patch only what was tested -----------------------------------------------------------------

# The series (major.minor) of each package whose private internals collab/server/fastsend.py and
# collab/server/fastws.py use, as pinned in requirements/runtime.txt; pyproject.toml bounds them to it. On any other
# series nothing is patched.
TESTED_SERIES = {"eventlet": "0.41", "python-engineio": "4.15", "python-socketio": "5.18"}
_refused: set[str] = set()


def installed_version(package: str) -> str:
    return importlib.metadata.version(package)


def untested_versions(packages: tuple[str, ...] = tuple(TESTED_SERIES)) -> list[str]:
    """"python-engineio 4.16.0 (tested: 4.15.x)" for each installed package outside its tested series."""
    return [f"{package} {version} (tested: {TESTED_SERIES[package]}.x)" for package in packages
            if (version := installed_version(package)).split(".")[:2] != TESTED_SERIES[package].split(".")]


def refused(patch: str, problems: list[str]) -> bool:
    """Whether `patch` must stay off because of `problems`; the first time, the log says so."""
    if problems and patch not in _refused:
        _refused.add(patch)
        log.warning("%s not installed, the packages' own path serves instead: %s", patch, "; ".join(problems))
    return bool(problems)


def missing(owner: Any, names: tuple[str, ...], label: str) -> list[str]:
    return [f"{label}.{name}" for name in names if not hasattr(owner, name)]


def missing_parameters(owner: Any, function: str, names: tuple[str, ...], label: str) -> list[str]:
    """The parameters `owner.function` no longer takes (nothing if the function itself is gone: `missing` says)."""
    try:
        parameters = inspect.signature(getattr(owner, function)).parameters
    except AttributeError:
        return []
    except (TypeError, ValueError):
        return [f"{label}.{function}()"]
    return [f"{label}.{function}({name})" for name in names if name not in parameters]


def unassigned(cls: Any, names: tuple[str, ...], label: str) -> list[str]:
    """Instance attributes `cls.__init__` no longer sets (for classes too costly to make just to look)."""
    try:
        source = "".join(inspect.getsource(init) for klass in cls.__mro__
                         if inspect.isfunction(init := vars(klass).get("__init__")))
    except (OSError, TypeError):
        return [f"{label}.__init__ (no source to read)"]
    return [f"{label}().{name}" for name in names if f"self.{name} =" not in source]


def missing_internals() -> list[str]:
    """The names of eventlet, python-engineio and python-socketio that `install` and `emit` use (private ones
    included) that the installed versions lack; instances are made, or their __init__ read, to see attributes."""
    import engineio
    import socketio
    from eventlet import hubs
    from eventlet.websocket import RFC6455WebSocket

    ws = RFC6455WebSocket(None, {})
    sock = Socket(types.SimpleNamespace(create_queue=queue.Queue), "probe")
    return [
        *missing(hubs, ("get_hub",), "eventlet.hubs"),
        *missing(RFC6455WebSocket, ("send", "_send", "_pack_message"), "RFC6455WebSocket"),
        *missing(ws, ("_sendlock", "extensions", "socket"), "RFC6455WebSocket()"),
        *missing_parameters(RFC6455WebSocket, "_pack_message", ("message",), "RFC6455WebSocket"),
        *missing(Socket, ("_websocket_handler", "send", "check_ping_timeout", "poll"), "engineio.socket.Socket"),
        *missing(sock, ("queue", "upgraded", "closed", "closing", "sid"), "engineio.socket.Socket()"),
        *missing(engineio.exceptions, ("QueueEmpty",), "engineio.exceptions"),
        *missing_parameters(Socket, "_websocket_handler", ("ws",), "engineio.socket.Socket"),
        *missing(eio_packet, ("Packet", "MESSAGE", "CLOSE"), "engineio.packet"),
        *missing_parameters(eio_packet.Packet, "encode", ("b64",), "engineio.packet.Packet"),
        *missing(Manager, ("get_participants", "sid_from_eio_sid", "is_connected"), "socketio.Manager"),
        *missing(PubSubManager, ("_publish", "_handle_emit"), "socketio.PubSubManager"),
        *missing_parameters(PubSubManager, "_publish", ("data",), "socketio.PubSubManager"),
        *missing(sio_packet.Packet, ("data_is_binary", "deconstruct_binary"), "socketio.packet.Packet"),
        *missing(SocketIOServer, ("_handle_event", "_handle_event_internal", "sleep"), "socketio.Server"),
        *missing_parameters(SocketIOServer, "_handle_event", ("eio_sid", "namespace", "id", "data"),
                            "socketio.Server"),
        *missing_parameters(SocketIOServer, "_handle_event_internal", ("server", "sid", "eio_sid"), "socketio.Server"),
        *missing(sio_packet, ("EVENT",), "socketio.packet"),
        *unassigned(socketio.Server, ("manager", "eio", "packet_class", "async_handlers"), "socketio.Server"),
        *unassigned(engineio.Server, ("sockets",), "engineio.Server"),
    ]


def install() -> None:
    from eventlet import hubs
    from eventlet.websocket import RFC6455WebSocket

    global _hub, _hubs
    if getattr(Socket, "_collab_direct", False):
        return
    if refused("collab.server.fastsend", untested_versions() or missing_internals()):
        return
    _hub, _hubs = hubs.get_hub(), hubs
    original_handler, original_send = Socket._websocket_handler, Socket.send
    original_ws_send = RFC6455WebSocket.send

    def _websocket_handler(self: Any, ws: Any) -> Any:
        raw = raw_socket(ws) if isinstance(ws, RFC6455WebSocket) else None
        if raw is not None:
            ws._collab_raw = raw
            ws._collab_deflate = "permessage-deflate" in ws.extensions
            self._collab_ws = ws
        try:
            return original_handler(self, ws)
        finally:
            self._collab_ws = None

    def send(self: Any, pkt: Any) -> None:
        if pkt.packet_type != eio_packet.CLOSE and self.queue.qsize() >= MAX_QUEUED_PACKETS:
            _give_up_on(self)
            return
        if pkt.packet_type == eio_packet.CLOSE and self._collab_out is not None:
            self.queue.put(RawFrames(b"".join(self._collab_out)))  # before the close, which ends the writer
            self._collab_out = None
        if pkt.packet_type == eio_packet.CLOSE or not write_now(self, (pkt,)):
            original_send(self, pkt)

    def ws_send(self: Any, message: Any, **kwargs: Any) -> None:
        if type(message) is Frames:
            self._send(message)
        else:
            original_ws_send(self, message, **kwargs)

    original_poll = Socket.poll

    def poll(self: Any) -> Any:
        # The writer ends (and closes the websocket) when nothing reaches its queue for ping_interval +
        # ping_timeout: on the stock path the server's ping goes through the queue every ping_interval, so a quiet
        # queue meant a dead connection. Direct writes leave the queue quiet on a live one (every connection was
        # closed after 45 s, bench/hostile.py found), so here whether the client is alive is left to the pings
        # and to the reader's timeout, which close the socket (and so the writer) as before.
        while True:
            try:
                return original_poll(self)
            except QueueEmpty:
                if self._collab_ws is None or self.closed or self.closing:
                    raise

    _install_backpressure()
    Socket._collab_ws = None  # type: ignore[attr-defined]
    Socket._collab_out = None  # type: ignore[attr-defined]
    Socket._websocket_handler = _websocket_handler  # type: ignore[method-assign]
    Socket.send = send  # type: ignore[method-assign]
    Socket.poll = poll  # type: ignore[method-assign]
    RFC6455WebSocket.send = ws_send  # type: ignore[method-assign]
    Socket._collab_direct = True  # type: ignore[attr-defined]
