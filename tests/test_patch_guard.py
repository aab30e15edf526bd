"""collab/server/fastsend.py and collab/server/fastws.py patch private internals of eventlet, python-engineio and
python-socketio: only on the series they were tested with, and only while every name they use is there.
collab/server/shutdown.py relies on eventlet's internals with no fallback: without them the server refuses to start."""

from __future__ import annotations

import logging
import re
import tomllib
import types
from pathlib import Path

import eventlet.greenthread
import eventlet.hubs
import eventlet.patcher
import eventlet.wsgi
import pytest
from engineio.socket import Socket
from eventlet.websocket import RFC6455WebSocket
from socketio import Manager

from collab.server import fastsend, fastws, serve, shutdown

ROOT = Path(__file__).resolve().parents[1]


def test_every_name_the_patches_use_is_in_the_installed_packages():
    assert fastsend.missing_internals() == []
    assert fastws.missing_internals() == []


@pytest.mark.parametrize(("owner", "name", "module"), [
    (RFC6455WebSocket, "_apply_mask", fastws), (RFC6455WebSocket, "_recv_frame", fastws),
    (RFC6455WebSocket, "_pack_message", fastsend), (RFC6455WebSocket, "_send", fastsend),
    (Socket, "_websocket_handler", fastsend), (Socket, "check_ping_timeout", fastsend),
    (Manager, "get_participants", fastsend)])
def test_a_name_that_disappears_is_noticed(monkeypatch, owner, name, module):
    for klass in owner.__mro__:
        if name in vars(klass):
            monkeypatch.delattr(klass, name)
    assert any(problem.endswith(f".{name}") for problem in module.missing_internals())


def test_a_parameter_that_disappears_is_noticed(monkeypatch):
    monkeypatch.setattr(RFC6455WebSocket, "_apply_mask", staticmethod(lambda data, mask: data))
    assert "RFC6455WebSocket._apply_mask(offset)" in fastws.missing_internals()


def test_an_attribute_init_no_longer_sets_is_noticed(monkeypatch):
    original = RFC6455WebSocket.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        del self._sendlock

    monkeypatch.setattr(RFC6455WebSocket, "__init__", __init__)
    assert "RFC6455WebSocket()._sendlock" in fastsend.missing_internals()


def test_the_installed_packages_are_of_the_tested_series():
    assert fastsend.untested_versions() == []


def test_the_tested_series_are_the_ones_the_runtime_lock_pins():
    pins = dict(re.findall(r"(?im)^([a-z0-9_.-]+)==([^\s;]+)", (ROOT / "requirements" / "runtime.txt").read_text()))
    pins = {name.lower(): version for name, version in pins.items()}
    for package, series in fastsend.TESTED_SERIES.items():
        assert pins[package].split(".")[:2] == series.split("."), package


def test_pyproject_bounds_each_package_to_its_tested_series():
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    for package, series in fastsend.TESTED_SERIES.items():
        major, minor = series.split(".")
        assert f"{package}>={series},<{major}.{int(minor) + 1}" in dependencies


@pytest.fixture
def unpatched(monkeypatch):
    """Whatever install() does here is undone afterwards (the suite runs the stock path, under threading)."""
    for owner, names in ((Socket, ("_websocket_handler", "send", "_collab_direct", "_collab_ws", "_collab_out")),
                         (RFC6455WebSocket, ("__init__", "_apply_mask", "send", "_collab_fast"))):
        for name in names:
            monkeypatch.setattr(owner, name, vars(owner).get(name, False), raising=False)
    monkeypatch.setattr(fastsend, "_refused", set())
    return {"send": Socket.send, "handler": Socket._websocket_handler, "ws_send": RFC6455WebSocket.send,
            "mask": vars(RFC6455WebSocket)["_apply_mask"], "init": RFC6455WebSocket.__init__}


def test_on_an_untested_version_nothing_is_patched_and_the_log_says_so_once(monkeypatch, unpatched, caplog):
    caplog.set_level(logging.WARNING)
    monkeypatch.setattr(fastsend, "installed_version", lambda package: "99.0.0")
    fastws.install()
    fastws.install()
    assert (Socket.send, Socket._websocket_handler, RFC6455WebSocket.send, vars(RFC6455WebSocket)["_apply_mask"],
            RFC6455WebSocket.__init__) == tuple(unpatched.values())
    assert not Socket._collab_direct and not RFC6455WebSocket._collab_fast
    assert fastsend.emit(types.SimpleNamespace(manager=Manager()), "doc:sync", (), "plan:1") is False
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2 and all("99.0.0" in w for w in warnings)
    assert any(w.startswith("collab.server.fastsend not installed") for w in warnings)
    assert any(w.startswith("collab.server.fastws not installed") for w in warnings)


def test_every_eventlet_internal_graceful_shutdown_relies_on_is_there():
    assert shutdown.missing_internals() == []
    shutdown.require_internals()


@pytest.mark.parametrize(("owner", "name"), [
    (eventlet.wsgi, "STATE_IDLE"), (eventlet.greenthread.GreenThread, "kill"), (eventlet.hubs, "trampoline"),
    (eventlet.patcher, "original"), (Socket, "close")])
def test_a_name_graceful_shutdown_uses_that_disappears_is_noticed(monkeypatch, owner, name):
    for klass in getattr(owner, "__mro__", (owner,)):
        if name in vars(klass):
            monkeypatch.delattr(klass, name)
    assert any(problem.endswith(f".{name}") for problem in shutdown.missing_internals())


def test_a_wsgi_server_loop_that_no_longer_ends_on_system_exit_is_noticed(monkeypatch):
    def server(sock, site, log_output=True):
        while True:
            sock.accept()

    monkeypatch.setattr(eventlet.wsgi, "server", server)
    problems = shutdown.missing_internals()
    assert "eventlet.wsgi.server ends on SystemExit" in problems
    assert "eventlet.wsgi.server calls sock.accept()" not in problems


def test_the_eventlet_server_refuses_to_start_on_an_eventlet_without_them(monkeypatch):
    monkeypatch.delattr(eventlet.greenthread.GreenThread, "kill")
    monkeypatch.setattr(serve, "configure_logging", lambda _format: None)
    monkeypatch.setattr(serve, "tune_gc", lambda: None)  # gc.freeze() is for a real server, not the test run
    listened = []
    monkeypatch.setattr(eventlet, "listen", lambda address: listened.append(address))
    app = types.SimpleNamespace(config={"COLLAB_HOST": "127.0.0.1", "COLLAB_PORT": 0, "COLLAB_ASYNC_MODE": "eventlet",
                                        "COLLAB_LOG_FORMAT": "json"})
    with pytest.raises(RuntimeError, match=r"graceful shutdown .* lacks: eventlet\.greenthread\.GreenThread\.kill"):
        serve.serve(app)
    assert listened == []  # before it listened: the port was never taken
    with pytest.raises(RuntimeError, match="GreenThread.kill"):
        shutdown.GracefulServer(app, None, 1.0).run()
