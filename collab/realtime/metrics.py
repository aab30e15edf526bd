"""Prometheus metrics of one process (served at /metrics by collab.web.health; docs/deployment.md).

Counters and histograms are kept as events happen, in a registry of our own; the gauges (connections, rooms,
cached documents) are read from the app's state when scraped. Each process is scraped on its own port: the
figures are per process, as Prometheus expects of a `job` with several `instance`s.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

REGISTRY = CollectorRegistry(auto_describe=True)

CONNECTIONS = Gauge("collab_connections", "Socket.IO connections signed in to this process", registry=REGISTRY)
DOCUMENT_ROOMS = Gauge("collab_document_rooms", "Shared documents with at least one connection here",
                       registry=REGISTRY)
CACHED_DOCUMENTS = Gauge("collab_cached_documents", "Shared documents held in this process's cache",
                         registry=REGISTRY)
UPDATES_IN = Counter("collab_updates_received", "Document updates received from clients (sync step 2 and update)",
                     registry=REGISTRY)
UPDATES_OUT = Counter("collab_updates_relayed", "Document updates relayed to a room (once per room, not per member)",
                      registry=REGISTRY)
ROOMS_CAUGHT_UP = Counter("collab_rooms_caught_up", "Document rooms sent their committed document after messages "
                          "between processes were missed (Redis lost for a while)", registry=REGISTRY)
REFUSALS = Counter("collab_refusals", "Socket events refused, by error code", ["reason"], registry=REGISTRY)
COMMIT_BATCH = Histogram("collab_commit_batch_size", "Document updates committed in one transaction",
                         buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000), registry=REGISTRY)
COMMIT_SECONDS = Histogram("collab_commit_seconds", "Time to write and commit one batch of document updates",
                           buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
                           registry=REGISTRY)
ACK_SECONDS = Histogram("collab_update_ack_seconds", "From an update's arrival to its ack (after its commit)",
                        buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
                        registry=REGISTRY)


def refused(reason: str) -> None:
    REFUSALS.labels(reason=reason).inc()


@contextmanager
def timed_commit(size: int) -> Iterator[None]:
    started = time.perf_counter()
    yield
    COMMIT_SECONDS.observe(time.perf_counter() - started)
    COMMIT_BATCH.observe(size)


def exposition(app: Flask) -> bytes:
    """The text format, with the gauges read from `app`'s state now."""
    from collab.realtime.connections import get_registry
    from collab.realtime.store import get_store

    connections = get_registry(app).items()
    CONNECTIONS.set(len(connections))
    DOCUMENT_ROOMS.set(len({name for _sid, connection in connections for name in connection.documents}))
    CACHED_DOCUMENTS.set(get_store(app).cached_documents())
    return generate_latest(REGISTRY)
