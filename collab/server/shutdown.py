"""Graceful shutdown on SIGTERM (eventlet only; what systemd's `stop`, `make run-cluster`'s Ctrl-C and a deploy send).

1. Stop accepting: /readyz answers 503, the listening socket is closed, so nginx sends new connections to
   another process at once (a refused connection is its cue, deploy/nginx/collab.conf).
2. Commit what is queued: wait until no document update is in flight (validated, maybe relayed, not committed),
   so every sender whose update was taken gets its ack.
3. Tell clients to reconnect: close every Engine.IO connection after what was queued for it is written. The
   browser's Socket.IO client sees the transport close and reconnects (through nginx, to another process), joins
   and resends anything not acknowledged: an update that arrived in the last moment and was not acked is sent
   again, and Yjs updates are idempotent, so nothing is lost or doubled.
4. Commit what those last moments queued, let HTTP requests in progress finish, then exit.

Each wait is bounded by COLLAB_SHUTDOWN_GRACE_SECONDS in all; past it the process exits anyway (nothing
acknowledged is lost: an ack is only ever sent after its commit).

This leans on how eventlet's WSGI server loop behaves, not only on its public names (see _Listener), and has no
fallback: an eventlet whose internals changed would leave SIGTERM dropping acks, or not stopping at all. So
`require_internals` (called before the server listens) refuses to start on one that lacks any of them, naming
what is missing (tests/test_patch_guard.py checks the installed one).
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import os
import signal
import time
from typing import Any

from flask import Flask

from collab.extensions import socketio
from collab.realtime.store import get_store
from collab.web.health import start_draining

log = logging.getLogger(__name__)
_POLL = 0.02  # seconds between looks at the commit queue


def missing_internals() -> list[str]:
    """What GracefulServer uses of eventlet (and of python-engineio's sockets) that the installed versions lack:
    names, parameters, and the two things its WSGI server loop must still do: call accept() on the socket it is
    given (our _Listener), and end on SystemExit, shutting idle connections and waiting for the rest."""
    import engineio
    import eventlet
    import eventlet.event
    import eventlet.greenthread
    import eventlet.hubs
    import eventlet.patcher
    import eventlet.wsgi
    from engineio.socket import Socket

    from collab.server.fastsend import missing, missing_parameters, unassigned

    problems = [
        *missing(eventlet, ("spawn", "spawn_n", "sleep", "listen", "GreenPool", "Timeout"), "eventlet"),
        *missing(eventlet.event.Event, ("ready", "send", "wait"), "eventlet.event.Event"),
        *missing(eventlet.greenthread.GreenThread, ("kill", "link", "wait"), "eventlet.greenthread.GreenThread"),
        *missing(eventlet.GreenPool, ("spawn_n", "waitall"), "eventlet.GreenPool"),
        *missing(eventlet.patcher, ("original",), "eventlet.patcher"),
        *missing(eventlet.hubs, ("trampoline",), "eventlet.hubs"),
        *missing_parameters(eventlet.hubs, "trampoline", ("fd", "read"), "eventlet.hubs"),
        *missing(eventlet.wsgi, ("server", "STATE_IDLE"), "eventlet.wsgi"),
        *missing_parameters(eventlet.wsgi, "server", ("sock", "site", "log_output"), "eventlet.wsgi"),
        *missing(Socket, ("close",), "engineio.socket.Socket"),
        *unassigned(engineio.Server, ("sockets",), "engineio.Server"),
    ]
    try:
        loop = inspect.getsource(eventlet.wsgi.server)
    except (AttributeError, OSError, TypeError):
        return [*problems, "eventlet.wsgi.server (source)"]
    for behaviour, sign in (("calls sock.accept()", "sock.accept()"), ("ends on SystemExit", "SystemExit"),
                            ("shuts idle connections", "STATE_IDLE"), ("waits for requests", "waitall()")):
        if sign not in loop:
            problems.append(f"eventlet.wsgi.server {behaviour}")
    return problems


def require_internals() -> None:
    """Refuse to start (RuntimeError) on an eventlet without what graceful shutdown relies on."""
    from collab.server.fastsend import TESTED_SERIES, installed_version

    problems = missing_internals()
    if problems:
        raise RuntimeError("graceful shutdown (collab/server/shutdown.py) cannot work with the installed eventlet "
                           f"{installed_version('eventlet')} (tested: {TESTED_SERIES['eventlet']}.x); it lacks: "
                           + "; ".join(problems))


class _StopAccepting(Exception):
    """Thrown into eventlet's accept loop to take it out of accept() (see _Listener)."""


class _Listener:
    """The listening socket as eventlet's WSGI server sees it. Stopping that server any other way ends its loop,
    and its clean-up shuts down every websocket at once (eventlet flags them idle): updates still queued would
    lose their acks. So accept() is interrupted with _StopAccepting and parks until `release()`: the socket can
    be closed while nothing waits on it, the connections stay open for the drain, and once released the loop
    ends as on Ctrl-C (its clean-up then closes idle keep-alive connections and waits for requests in
    progress)."""

    def __init__(self, sock: Any) -> None:
        import eventlet.event

        self._sock = sock
        self._parked = eventlet.event.Event()

    def accept(self) -> Any:
        try:
            return self._sock.accept()
        except _StopAccepting:
            self._parked.wait()
            raise SystemExit from None  # what eventlet's loop takes as "stop"

    def release(self) -> None:
        if not self._parked.ready():
            self._parked.send()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class GracefulServer:
    """Runs eventlet's WSGI server on `listener` until SIGTERM (or SIGINT), then shuts down as above."""

    def __init__(self, app: Flask, listener: Any, grace: float) -> None:
        self.app, self.listener, self.grace = app, listener, grace
        self._server: Any = None
        self._stopping = False
        self._signal = "SIGTERM"

    def run(self) -> None:
        import eventlet
        import eventlet.event
        import eventlet.patcher
        import eventlet.wsgi

        require_internals()  # serve() asked before listening; here too for any other caller
        self._done = eventlet.event.Event()
        self._listener = _Listener(self.listener)
        self._server = eventlet.spawn(eventlet.wsgi.server, self._listener, self.app, log_output=False)
        self._server.link(self._server_ended)
        # A signal handler cannot wake eventlet's hub: Python runs it and goes back into epoll_wait with the same
        # timeout (up to 60 s when nothing else is due). So it writes to a pipe the hub watches.
        wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_write, False)
        self._write = eventlet.patcher.original("os").write  # the green one would wait on the hub: not here
        eventlet.spawn_n(self._wait_for_signal, wake_read)
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._on_signal)
        self._done.wait()

    def _server_ended(self, _thread: Any) -> None:
        if not self._stopping and not self._done.ready():
            self._done.send()  # the server loop ended by itself (an error, already logged): exit

    def _on_signal(self, signum: int, _frame: Any) -> None:
        # Runs in whichever green thread was current (often the hub, between two epoll waits): only wake the hub.
        if self._stopping:
            return
        self._stopping = True
        self._signal = signal.Signals(signum).name
        with contextlib.suppress(OSError):
            self._write(self._wake_write, b"x")

    def _wait_for_signal(self, wake_read: int) -> None:
        from eventlet.hubs import trampoline

        trampoline(wake_read, read=True)
        os.close(wake_read)
        self._shut_down()

    def _shut_down(self) -> None:
        import eventlet

        log.info("%s received: shutting down gracefully (at most %.0f s)", self._signal, self.grace)
        deadline = time.monotonic() + self.grace
        try:
            start_draining(self.app)
            self._server.kill(_StopAccepting())  # parked: see _Listener
            self.listener.close()  # the port is free: new connections are refused, nginx tries another process
            store = get_store(self.app)
            queued = self._wait_for_commits(store, deadline)
            eventlet.sleep(0.05)  # the acks of the last commits are emitted by their handlers: let them run
            connections = self._close_connections(deadline)
            self._wait_for_commits(store, deadline)
            self._listener.release()  # now eventlet's server ends: HTTP requests in progress finish
            with eventlet.Timeout(max(0.0, deadline - time.monotonic()), False):
                self._server.wait()
            log.info("shut down: %d queued update(s) committed before closing %d connection(s)", queued, connections)
        except Exception:
            log.exception("graceful shutdown failed; exiting")
        finally:
            self._done.send()

    def _wait_for_commits(self, store: Any, deadline: float) -> int:
        import eventlet

        first = store.updates_in_flight()
        while store.updates_in_flight() and time.monotonic() < deadline:
            eventlet.sleep(_POLL)
        left = store.updates_in_flight()
        if left:
            log.warning("shutting down with %d update(s) not committed: their senders will send them again", left)
        return first - left

    def _close_connections(self, deadline: float) -> int:
        """Close every Engine.IO connection (each after its queued packets are written), within the deadline."""
        import eventlet

        eio = socketio.server.eio
        sockets = list(eio.sockets.values())
        pool = eventlet.GreenPool()
        for sock in sockets:
            pool.spawn_n(sock.close)
        with eventlet.Timeout(max(0.1, deadline - time.monotonic()), False):
            pool.waitall()
        eio.sockets.clear()
        return len(sockets)
