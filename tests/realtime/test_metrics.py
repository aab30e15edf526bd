"""Prometheus metrics (collab/realtime/metrics.py) and who may read /metrics (collab/web/health.py)."""

from __future__ import annotations

import pytest
from pycrdt import Doc, Text

from collab.realtime.metrics import REGISTRY


def _value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def _append(text: str):
    def change(doc: Doc) -> None:
        doc.get("text", type=Text).insert(0, text)
    return change


def test_metrics_count_updates_commits_acks_and_refusals(app, client, world, room, peer, read_only_colleague):
    before = {name: _value(name) for name in ("collab_updates_received_total", "collab_updates_relayed_total",
                                              "collab_commit_batch_size_count", "collab_update_ack_seconds_count")}
    refused_before = _value("collab_refusals_total", reason="read-only")
    editor, other = peer(world.advocate, room), peer(read_only_colleague, room)
    assert editor.join()["ok"] and other.join()["ok"]
    assert editor.edit(_append("hello")) == {"ok": True}
    assert other.edit(_append("no"))["error"] == "read-only"

    assert _value("collab_updates_received_total") == before["collab_updates_received_total"] + 2
    assert _value("collab_updates_relayed_total") == before["collab_updates_relayed_total"] + 1
    assert _value("collab_commit_batch_size_count") == before["collab_commit_batch_size_count"] + 1
    assert _value("collab_update_ack_seconds_count") == before["collab_update_ack_seconds_count"] + 1
    assert _value("collab_refusals_total", reason="read-only") == refused_before + 1

    page = client.get("/metrics")
    assert page.status_code == 200
    assert page.content_type.startswith("text/plain")
    text = page.get_data(as_text=True)
    assert "collab_connections 2.0" in text
    assert "collab_document_rooms 1.0" in text
    assert "collab_cached_documents 1.0" in text
    assert "collab_commit_seconds_bucket" in text


def test_metrics_are_not_served_through_a_proxy(client):
    assert client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.5"}).status_code == 404


def test_metrics_are_not_served_to_another_machine(client):
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.5"}).status_code == 404


@pytest.fixture
def app_config():
    return {"COLLAB_METRICS_TOKEN": "scrape-secret"}


def test_metrics_are_served_to_another_machine_with_the_token(client):
    far = {"REMOTE_ADDR": "203.0.113.5"}
    assert client.get("/metrics", environ_base=far, headers={"Authorization": "Bearer wrong"}).status_code == 404
    answer = client.get("/metrics", environ_base=far, headers={"Authorization": "Bearer scrape-secret"})
    assert answer.status_code == 200
