"""Start real servers (wsgi.py under eventlet) for tests, forked from one pre-loaded zygote per pytest process
(tests/server_zygote.py says why). `launch(env, log_path)` returns a `ServerHandle` with the parts of
subprocess.Popen the tests use: pid, poll(), terminate(), kill(), wait(timeout).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tests.server_zygote import TEMPLATE_CACHE

ROOT = Path(__file__).resolve().parents[1]
_zygote: subprocess.Popen | None = None
_template_cache: str | None = None  # the zygote's compiled templates (tests/server_zygote.py)
_lock = threading.Lock()


class ServerHandle:
    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0  # reaped by the zygote: the exit status is not ours to read
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"server {self.pid}", timeout or 0)
            time.sleep(0.02)
        return self.returncode or 0

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, sig)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def _start_zygote() -> subprocess.Popen:
    global _template_cache
    if _template_cache:  # a zygote that died: its folder goes with it
        shutil.rmtree(_template_cache, ignore_errors=True)
    _template_cache = tempfile.mkdtemp(prefix="collab-templates-")
    zygote = subprocess.Popen([sys.executable, str(ROOT / "tests" / "server_zygote.py")], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              env={**os.environ, TEMPLATE_CACHE: _template_cache})
    assert zygote.stdout is not None
    ready = zygote.stdout.readline()
    if not ready:
        raise RuntimeError("the test server zygote exited while loading the app (run tests/server_zygote.py)")
    atexit.register(_stop_zygote)
    return zygote


def _stop_zygote() -> None:
    if _zygote is not None and _zygote.poll() is None:
        _zygote.kill()
        _zygote.wait(5)
    if _template_cache:
        shutil.rmtree(_template_cache, ignore_errors=True)


def launch(env: dict[str, str], log_path: Path | str) -> ServerHandle:
    """A new server process running wsgi.py with exactly `env` as its environment, its output in log_path.
    Unless `env` says otherwise, its argon2 parameters are the suite's cheap ones: a sign-in renews a hash made with
    other parameters, and with production's that cost ~125 ms of the server's CPU per sign-in."""
    global _zygote
    from tests.factories import FAST_PASSWORD_HASHING

    env = {"COLLAB_PASSWORD_HASHING": ",".join(f"{k}={v}" for k, v in FAST_PASSWORD_HASHING.items()), **env}
    with _lock:
        if _zygote is None or _zygote.poll() is not None:
            _zygote = _start_zygote()
        assert _zygote.stdin is not None and _zygote.stdout is not None
        _zygote.stdin.write(json.dumps({"env": env, "log": str(log_path)}).encode() + b"\n")
        _zygote.stdin.flush()
        answer = _zygote.stdout.readline()
    if not answer:
        raise RuntimeError("the test server zygote exited")
    return ServerHandle(json.loads(answer)["pid"])
