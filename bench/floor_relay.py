"""The floor: a bare Flask-SocketIO/eventlet relay of the Collab real-time events.

No auth, no persistence, no Yjs parsing. It speaks the event surface of docs/realtime-protocol.md just enough
for the benchmark's clients:

- `doc:join(room)`       joins the Socket.IO room, acks {"ok": true, "access": "edit"}
- `doc:leave(room)`      leaves it, acks {"ok": true}
- `doc:sync(room, msg)`  broadcast to the room except the sender, acks {"ok": true}
- `doc:awareness(...)`   the same

Whatever the real app costs above this is what auth, validation, pycrdt and the database cost.
Like collab/server/serve.py it sets TCP_NODELAY on the listening socket (Linux copies it to every accepted socket),
otherwise small messages wait for delayed ACKs (~40 ms).

Run: python bench/floor_relay.py --port 5901
"""

from __future__ import annotations

import eventlet

eventlet.monkey_patch()

import argparse  # noqa: E402
import socket  # noqa: E402

import eventlet.wsgi  # noqa: E402
from flask import Flask, request  # noqa: E402
from flask_socketio import SocketIO, join_room, leave_room  # noqa: E402

OK = {"ok": True}


def create_relay() -> tuple[Flask, SocketIO]:
    app = Flask(__name__)
    sio = SocketIO(app, async_mode="eventlet", max_http_buffer_size=1024 * 1024, cors_allowed_origins="*")

    @sio.on("doc:join")
    def on_join(room):
        join_room(room)
        return {"ok": True, "access": "edit"}

    @sio.on("doc:leave")
    def on_leave(room):
        leave_room(room)
        return OK

    @sio.on("doc:sync")
    def on_sync(room, message):
        sio.emit("doc:sync", (room, message), to=room, skip_sid=request.sid)
        return OK

    @sio.on("doc:awareness")
    def on_awareness(room, message):
        sio.emit("doc:awareness", (room, message), to=room, skip_sid=request.sid)
        return OK

    @app.get("/health")
    def health():
        return "ok"

    return app, sio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5901)
    parser.add_argument("--gc-trace", action="store_true", help="print GC pause statistics every 5 s (stderr)")
    parser.add_argument("--gc-freeze", action="store_true", help="gc.freeze() after start-up (an experiment)")
    parser.add_argument("--gc-threshold", help="gc.set_threshold, e.g. 50000,20,100 (an experiment)")
    parser.add_argument("--fast-websocket", action="store_true",
                        help="the app's websocket fixes (collab/server/fastws.py, with collab/server/fastsend.py's "
                             "direct writes): measures them alone (an experiment)")
    args = parser.parse_args()
    if args.fast_websocket:
        from collab.server import fastws

        fastws.install()
    if args.gc_trace or args.gc_freeze or args.gc_threshold:
        import _gctrace

        _gctrace.install(freeze=args.gc_freeze, threshold=args.gc_threshold)
    app, _sio = create_relay()
    listener = eventlet.listen((args.host, args.port))
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    print(f" * floor relay on http://{args.host}:{args.port}", flush=True)
    eventlet.wsgi.server(listener, app, log_output=False, max_size=4096)


if __name__ == "__main__":
    main()
