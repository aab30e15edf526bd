"""Start the server in whichever async mode the settings name, and the process set-up that goes with it."""

from __future__ import annotations

import gc
import logging
import socket
from typing import Any

from flask import Flask

from collab.extensions import socketio
from collab.web.request_log import configure_logging

# Collector thresholds (CPython's default is (700, 10, 10)), measured with bench/realtime.py and its GC trace
# (docs/performance.md, fix 3) at 500 connections: after the freeze, the default still ran a full collection
# every ~2 s (130-420 ms of CPU each, the whole process stopped); 1500/10 keeps young and middle collections
# short (<= 9 ms and <= 25 ms of CPU) and 100 makes full collections rare (none in 20 s of load).
GC_THRESHOLDS = (1500, 10, 100)


def tune_gc(thresholds: tuple[int, int, int] = GC_THRESHOLDS) -> None:
    """Freeze what start-up built (modules, the app, its templates: ~180,000 objects) out of the collector's
    reach, so a full collection only walks what serving created; then the thresholds above. Every collection
    stops the whole process (with eventlet: every connection), so it lands directly in the latency figures."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*thresholds)


def use_eventlet() -> None:
    """What every entry point that chose eventlet does once eventlet has monkey-patched (wsgi.py, serve()):
    a commit's fsync runs in an OS thread, not on the hub; eventlet's websocket gets word-wide unmasking and fewer
    recv() calls (fastws.py), and idle websockets are written to directly (fastsend.py, installed by fastws)."""
    from eventlet import tpool

    from collab.realtime.doclog import set_blocking_runner
    from collab.server import fastws

    set_blocking_runner(tpool.execute, frozenset({"postgresql"}) if cooperative_psycopg() else frozenset())
    fastws.install()


def cooperative_psycopg() -> bool:
    """Make psycopg 3 wait for PostgreSQL through the (monkey-patched, green) select(), so a query's round trip
    lets the hub serve other connections.

    psycopg picks its C wait function (a poll() in C that eventlet cannot patch) unless it sees gevent's
    patching; under eventlet every query then stopped the whole process, every connection with it, for its round
    trip (measured: a 0.5 s query let a 20 ms ticker run 0 times instead of 20). It calls `waiting.wait` through
    the module at each query, so replacing it here holds for connections made before or after. Only on the hub's
    own thread: in eventlet's OS threads (tpool: compactions) the C wait blocks nobody. True if installed (then the
    group commit's inserts run on the hub: collab.realtime.doclog.set_blocking_runner)."""
    try:
        from psycopg import waiting
    except ImportError:  # SQLite only
        return False
    from eventlet import patcher

    real_thread = patcher.original("_thread")
    hub_thread = real_thread.get_ident()
    c_wait = getattr(waiting, "_collab_own_wait", waiting.wait)  # psycopg's own, if called twice
    green_wait = waiting.wait_select
    waiting._collab_own_wait = c_wait  # type: ignore[attr-defined]

    def wait(*args: Any, **kwargs: Any) -> Any:
        return (green_wait if real_thread.get_ident() == hub_thread else c_wait)(*args, **kwargs)

    waiting.wait = wait
    return True


def serve(app: Flask) -> None:
    # INFO so that, with no SMTP configured, the mail (invitation and reset links) shows in the console.
    configure_logging(app.config.get("COLLAB_LOG_FORMAT"))
    host, port = app.config["COLLAB_HOST"], app.config["COLLAB_PORT"]
    mode = app.config["COLLAB_ASYNC_MODE"]
    if (app.config.get("COLLAB_LOG_FORMAT") or "").lower() == "json":
        logging.getLogger(__name__).info("Collab on http://%s:%s (%s)", host, port, mode)  # every line JSON
    else:
        print(f" * Collab on http://{host}:{port} ({mode})", flush=True)
    tune_gc()
    if mode == "eventlet":
        import eventlet

        from collab.server import fastsend
        from collab.server.shutdown import GracefulServer, require_internals

        require_internals()  # an eventlet whose internals changed fails here, loudly, not at the first SIGTERM
        use_eventlet()  # as wsgi.py does, for any entry point that calls serve()
        fastsend.MAX_QUEUED_PACKETS = app.config["COLLAB_MAX_QUEUED_PACKETS"]

        listener = eventlet.listen((host, port))
        # eventlet leaves Nagle's algorithm on, so small Yjs messages would wait ~40 ms for an ACK.
        # Linux copies TCP_NODELAY from the listening socket to every accepted one.
        listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        # Until SIGTERM: then stop accepting, commit what is queued, close connections, exit (shutdown.py).
        GracefulServer(app, listener, float(app.config.get("COLLAB_SHUTDOWN_GRACE_SECONDS", 10.0))).run()
    else:
        socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True)
