"""Cutting the sockets of a sign-in that ended (signed out, password changed, deactivated) within a second, on every
server process.

A socket is opened with the session cookie and then lives on its own: what it sends is checked against its
connection record (collab.realtime.connections), never against the cookie again. So while a process has socket
connections it runs a sweeper: every SWEEP_SECONDS it asks the database which of the sign-ins its connections
were opened with are still live (one indexed query over the distinct tokens, collab.accounts.signins) and
disconnects the connections of the others. The sweeper starts with the process's first connection and stops when
it has none, so an idle process asks nothing. Reconnecting is refused by the user loader, like any request with
that cookie.

Asking about its own connections, rather than "what was revoked since I last looked", needs no clocks agreeing
between processes and misses nothing: a sign-in revoked (or pruned) while a connection was being opened is
caught at the next sweep. It costs one small query per process every SWEEP_SECONDS while connections are open.
"""

from __future__ import annotations

import logging
import threading
import weakref

from flask import Flask

from collab.accounts import signins
from collab.accounts.models import hash_token
from collab.extensions import sign_in_sweeper, socketio
from collab.realtime.access import prune_if_due
from collab.realtime.connections import ConnectionRegistry

log = logging.getLogger(__name__)

SWEEP_SECONDS = 0.5


def sweep(app: Flask, registry: ConnectionRegistry) -> int:
    """Disconnect this process's connections whose sign-in has ended. Returns how many were disconnected."""
    tokens = {connection.session_token for _sid, connection in registry.items() if connection.session_token}
    if not tokens:
        return 0
    by_hash = {hash_token(token): token for token in tokens}
    with app.app_context():  # its own session, so its pooled connection goes back at once
        live = signins.live_token_hashes(list(by_hash))
    ended = {token for token_hash, token in by_hash.items() if token_hash not in live}
    cut = 0
    for sid, connection in registry.items():
        if connection.session_token in ended:
            # The client gets a disconnect; its handler (events.on_disconnect) drops its rooms and cursors.
            socketio.server.disconnect(sid, namespace="/")
            cut += 1
    return cut


class Sweeper:
    """One per app (collab.extensions.sign_in_sweeper, so one per process in production), for the app's
    connections; runs as a Socket.IO background task, under threading or eventlet alike. It stops when the app has
    no connections left in its registry, and for good once the app has another sweeper (made again: the test suite
    does that for each test) or is gone."""

    def __init__(self, app: Flask, registry: ConnectionRegistry) -> None:
        self._app = weakref.ref(app)  # a test's app may go away while its connections linger
        self._registry = registry
        self._lock = threading.Lock()
        self._running = False

    @property
    def running(self) -> bool:
        return self._running

    def ensure_running(self) -> None:
        with self._lock:
            if self._running:
                return
            self._running = True
        socketio.start_background_task(self._run)

    def _run(self) -> None:
        while True:
            socketio.sleep(SWEEP_SECONDS)
            app = self._app()
            with self._lock:
                # Under the lock: a connection added after this check starts a new sweeper (connection_opened).
                if app is None or app.extensions.get(sign_in_sweeper.name) is not self or not len(self._registry):
                    self._running = False
                    return
            try:
                sweep(app, self._registry)
            except Exception:
                log.exception("checking the sign-ins of open sockets failed; trying again")
            try:
                prune_if_due(app)  # the access_change log: every few minutes, not every sweep
            except Exception:
                log.exception("pruning the access change log failed; trying again later")
            del app


def connection_opened() -> None:
    """Called once a connection is in the registry (collab.realtime.events.on_connect)."""
    sign_in_sweeper.get().ensure_running()
