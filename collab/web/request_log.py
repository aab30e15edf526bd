"""A request id for every HTTP request, and JSON logs that carry it (COLLAB_LOG_FORMAT=json).

The id is the one nginx sent (`X-Request-ID $request_id`, deploy/nginx/collab.conf) when it looks like one, else a
new one; it goes back in the response's `X-Request-ID`, so a person's report ("it failed at 10:02, request
id ...") finds the line in nginx's log and in the app's. With JSON logs each request also gets one access line
(method, path, status, milliseconds, client address); socket events have no request and log without an id.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from typing import Any

from flask import Flask, g, has_request_context, request

_VALID_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
access_log = logging.getLogger("collab.access")


def current_request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


class RequestIdFilter(logging.Filter):
    """Gives every record a `request_id` (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, request_id, any `extra` fields given
    as `extra={"fields": {...}}`, and the traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(fields)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(log_format: str | None) -> None:
    """The process's logging, INFO and up: JSON lines for `json`, else one readable line each (called by the
    server entry point, never at import)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RequestIdFilter())
    if (log_format or "").lower() == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)


def init_app(app: Flask) -> None:
    json_logs = (app.config.get("COLLAB_LOG_FORMAT") or "").lower() == "json"

    @app.before_request
    def take_request_id():
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if _VALID_ID.fullmatch(given) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def give_request_id(response):
        request_id = g.get("request_id")
        if request_id:
            response.headers["X-Request-ID"] = request_id
        if json_logs and "request_started" in g:
            access_log.info("%s %s %s", request.method, request.path, response.status_code, extra={"fields": {
                "method": request.method, "path": request.path, "status": response.status_code,
                "ms": round((time.perf_counter() - g.request_started) * 1000, 1),
                "remote_addr": request.remote_addr}})
        return response
