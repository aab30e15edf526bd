"""Production entry point: eventlet, one process per core behind a load balancer.

This is the only module (with collab/config.py) that knows which async mode runs.
"""

import os
import warnings

os.environ.setdefault("COLLAB_ASYNC_MODE", "eventlet")

if os.environ["COLLAB_ASYNC_MODE"] == "eventlet":
    # We chose eventlet knowingly (docs/decisions.md); its import-time notice would only alarm operators.
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    import eventlet

    eventlet.monkey_patch()

    from eventlet import tpool

    from collab import fastws
    from collab.realtime.doclog import set_blocking_runner

    set_blocking_runner(tpool.execute)  # a commit's fsync runs in an OS thread, not on the hub
    fastws.install()  # eventlet's websocket: word-wide unmasking, fewer recv() calls (collab/fastws.py)

from collab import create_app  # noqa: E402

app = create_app()

if __name__ == "__main__":
    from collab.serve import serve

    serve(app)
