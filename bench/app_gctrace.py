"""The app as wsgi.py serves it, plus the GC trace: an --app-script for bench/realtime.py.

    .venv/bin/python bench/realtime.py --quick --app-script bench/app_gctrace.py --keep
    .venv/bin/python bench/realtime.py --quick --app-script bench/app_gctrace.py --app-env BENCH_GC_THRESHOLD=700,10,10

Prints every 5 s to app.log how many collections of each generation ran and their longest pause (bench/_gctrace.py).
BENCH_GC_THRESHOLD overrides collab.server.serve.GC_THRESHOLDS (the start-up freeze still happens, as in serve());
BENCH_GC_NO_FREEZE=1 skips serve()'s freeze and thresholds altogether (CPython's defaults).
"""

import os
import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

wsgi = runpy.run_path(str(HERE.parent / "wsgi.py"), run_name="wsgi")  # monkey-patching, commit runner, the app

import _gctrace  # noqa: E402

import collab.server.serve as serve  # noqa: E402

if os.environ.get("BENCH_GC_THRESHOLD"):
    serve.tune_gc.__defaults__ = (tuple(int(x) for x in os.environ["BENCH_GC_THRESHOLD"].split(",")),)
if os.environ.get("BENCH_GC_NO_FREEZE") == "1":
    serve.tune_gc = lambda *_args: None
_gctrace.install()
serve.serve(wsgi["app"])
