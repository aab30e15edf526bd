"""Production entry point: eventlet, one process per core behind a load balancer.

This is the only module (with collab/config.py) that knows which async mode runs; the eventlet server and its
patches are in collab/server/.
"""

import os
import warnings

os.environ.setdefault("COLLAB_ASYNC_MODE", "eventlet")

if os.environ["COLLAB_ASYNC_MODE"] == "eventlet":
    # We chose eventlet knowingly (docs/decisions.md); its import-time notice would only alarm operators.
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    import eventlet

    eventlet.monkey_patch()  # before anything imports threading or sockets: so before collab

    from collab.server.serve import use_eventlet

    use_eventlet()  # commits' fsync in OS threads; eventlet's websocket fixes (collab/server/fastws.py)

from collab import create_app  # noqa: E402

app = create_app()

if __name__ == "__main__":
    from collab.server.serve import serve

    serve(app)
