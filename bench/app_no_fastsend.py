"""The app as wsgi.py serves it, but without collab/server/fastsend.py (Engine.IO's own queued writes): an --app-script
for bench/realtime.py, to measure what the direct writes change, in interleaved runs.

    .venv/bin/python bench/realtime.py --quick --scenario many_rooms --server app --app-script bench/app_no_fastsend.py
"""

import runpy
import sys
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
import eventlet  # noqa: E402

eventlet.monkey_patch()  # before anything imports threading or sockets, as wsgi.py does

import collab.server.fastsend  # noqa: E402

collab.server.fastsend.install = lambda: None
runpy.run_path(str(HERE.parent / "wsgi.py"), run_name="__main__")
