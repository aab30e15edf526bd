"""Start the server in whichever async mode the settings name."""

from __future__ import annotations

import logging
import socket

from flask import Flask

from collab.extensions import socketio


def serve(app: Flask) -> None:
    # INFO so that, with no SMTP configured, the mail (invitation and reset links) shows in the console.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    host, port = app.config["COLLAB_HOST"], app.config["COLLAB_PORT"]
    mode = app.config["COLLAB_ASYNC_MODE"]
    print(f" * Collab on http://{host}:{port} ({mode})", flush=True)
    if mode == "eventlet":
        import eventlet
        import eventlet.wsgi
        from eventlet import tpool

        from collab.realtime.store import set_blocking_runner

        set_blocking_runner(tpool.execute)  # as wsgi.py does, for any entry point that calls serve()

        listener = eventlet.listen((host, port))
        # eventlet leaves Nagle's algorithm on, so small Yjs messages would wait ~40 ms for an ACK.
        # Linux copies TCP_NODELAY from the listening socket to every accepted one.
        listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        eventlet.wsgi.server(listener, app, log_output=False)
    else:
        socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True)
