"""Health endpoints and request ids (collab/web/health.py, collab/web/request_log.py): what a load balancer, a
supervisor and an operator reading logs rely on."""

from __future__ import annotations

import json
import logging

import pytest

from collab.web.health import start_draining
from collab.web.request_log import JsonFormatter, RequestIdFilter


def test_healthz_answers_without_sign_in_and_sets_no_cookie(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_is_ready_when_the_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "database": "ok", "redis": "not configured",
                                   "pid": response.get_json()["pid"]}


def test_readyz_is_unavailable_when_redis_does_not_answer(app, client):
    app.config["COLLAB_REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["redis"] == "down"


def test_readyz_is_unavailable_when_the_database_does_not_answer(app, client, monkeypatch):
    from collab.extensions import db

    monkeypatch.setattr(db.engine, "connect", _refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "down"


def test_readyz_says_draining_once_shutdown_began(app, client):
    start_draining(app)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "draining"
    assert client.get("/healthz").status_code == 200  # still alive: finishing what it has


def test_a_request_gets_an_id_in_its_response(client):
    assert len(client.get("/healthz").headers["X-Request-ID"]) == 32


def test_the_proxys_request_id_is_kept_when_it_looks_like_one(client):
    assert client.get("/healthz", headers={"X-Request-ID": "abc123"}).headers["X-Request-ID"] == "abc123"
    kept = client.get("/healthz", headers={"X-Request-ID": "<script>"}).headers["X-Request-ID"]
    assert kept != "<script>" and len(kept) == 32


@pytest.fixture
def app_config():
    return {"COLLAB_LOG_FORMAT": "json"}


def test_json_logs_carry_the_request_id(app, client, caplog):
    record_ids: list[dict] = []

    class Capture(logging.Handler):
        def emit(self, record):
            record_ids.append(json.loads(JsonFormatter().format(record)))

    handler = Capture()
    handler.addFilter(RequestIdFilter())
    logging.getLogger("collab.access").addHandler(handler)
    try:
        with caplog.at_level(logging.INFO, logger="collab.access"):
            client.get("/healthz", headers={"X-Request-ID": "req-42"})
    finally:
        logging.getLogger("collab.access").removeHandler(handler)
    [line] = record_ids
    assert line["request_id"] == "req-42"
    assert line["path"] == "/healthz" and line["status"] == 200 and line["level"] == "INFO"


def _refuse():
    raise OSError("connection refused")
