"""A parent for the real servers that tests start: it has already imported the app (eventlet patched, as in
wsgi.py), so each server is a fork() of it rather than a new Python process.

Starting `python wsgi.py` cost ~3 s of CPU per test on this project (imports alone), for each of the ~40 tests
that start a real server; a fork costs milliseconds. tests/server_launcher.py starts one zygote per pytest
process and talks to it over stdin/stdout, one JSON line each way:
    request  {"env": {...the server's whole environment...}, "log": "/path/to/server.log"}
    answer   {"pid": 12345}
The child then runs wsgi.py as `python wsgi.py` would (create_app, serve) with that environment, so what the
tests exercise is the production start-up, only without paying for the imports again.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
import os
import runpy
import signal
import sys
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PR_SET_PDEATHSIG = 1
TEMPLATE_CACHE = "COLLAB_TEST_TEMPLATE_CACHE"  # a folder for compiled templates, made by tests/server_launcher.py


def _die_with_parent() -> None:
    """Linux: SIGTERM when our parent exits, so no server outlives a killed test run."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _preload() -> None:
    os.environ["COLLAB_ASYNC_MODE"] = "eventlet"
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    import eventlet

    eventlet.monkey_patch()  # as wsgi.py does, before anything imports threading or sockets
    import importlib
    import pkgutil

    import sqlalchemy.dialects.postgresql  # noqa: F401
    import sqlalchemy.dialects.sqlite  # noqa: F401

    import collab

    # Not only what wsgi.py imports but what create_app imports on its first call (every blueprint's views and
    # forms, the database dialects): 1.7 s of each child's start-up when left to it; create_app then takes 0.1 s.
    for module in pkgutil.walk_packages(collab.__path__, "collab."):
        importlib.import_module(module.name)
    # SQLAlchemy resolves every mapper's relationships on a process's first query: 0.3 s of each server's CPU
    # (py-spy, browser tests) when left to it, once here.
    from sqlalchemy.orm import configure_mappers

    configure_mappers()
    # Templates compiled once per zygote, not once per server: every child's Jinja environment shares a bytecode
    # cache in the folder the launcher made (render_template was about a quarter of a fresh server's CPU for its
    # first sign-in page). Flask builds each app's environment from these options; jinja2 checks each template's
    # source against the cached code, so an edited template is compiled again.
    template_cache = os.environ.get(TEMPLATE_CACHE)
    if template_cache:
        from flask import Flask
        from jinja2 import FileSystemBytecodeCache

        Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": FileSystemBytecodeCache(template_cache)}
    # What start-up built, out of the collector's reach in every child, as the child's own tune_gc does for what
    # it builds (collab/server/serve.py): its first full collection then walks only the child's own objects.
    gc.collect()
    gc.freeze()


def _run_child(env: dict[str, str], log_path: str) -> None:
    _die_with_parent()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.environ.clear()
    os.environ.update(env)
    log_fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    null_fd = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null_fd, 0)
    os.dup2(log_fd, 1)
    os.dup2(log_fd, 2)
    os.close(log_fd)
    os.close(null_fd)
    import eventlet.hubs

    eventlet.hubs.use_hub()  # a hub of its own: the zygote's epoll instance would be shared with every sibling
    os.chdir(ROOT)
    try:
        runpy.run_path(os.path.join(ROOT, "wsgi.py"), run_name="__main__")
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def main() -> None:
    _die_with_parent()
    if os.getppid() == 1:
        return
    _preload()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the servers: the tests wait on their pid
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    answers.write(b'{"ready": true}\n')
    answers.flush()
    for line in requests:  # a blocking read on the real file: the zygote never starts eventlet's hub
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _run_child(request["env"], request["log"])
        answers.write(json.dumps({"pid": pid}).encode() + b"\n")
        answers.flush()


if __name__ == "__main__":
    main()
