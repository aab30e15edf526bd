"""Production entry point: eventlet, one process per core behind a load balancer.

This is the only module (with collab/config.py) that knows which async mode runs.
"""

import os

os.environ.setdefault("COLLAB_ASYNC_MODE", "eventlet")

if os.environ["COLLAB_ASYNC_MODE"] == "eventlet":
    import eventlet

    eventlet.monkey_patch()

from collab import create_app  # noqa: E402

app = create_app()

if __name__ == "__main__":
    from collab.serve import serve

    serve(app)
