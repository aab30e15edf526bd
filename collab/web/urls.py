"""Absolute links for email and calendar apps, and paths built outside a request."""

from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context, request, url_for


def base_url() -> str:
    """COLLAB_BASE_URL when set (production: behind a proxy); else the address this request came to,
    so links work on `make run` with any PORT and in the browser tests."""
    configured = current_app.config.get("COLLAB_BASE_URL")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return f"http://{current_app.config['COLLAB_HOST']}:{current_app.config['COLLAB_PORT']}"


def external_url(path: str) -> str:
    return base_url() + path


def path_for(endpoint: str, anchor: str = "", **values: Any) -> str:
    """url_for's path, also outside a request (CLI commands, socket handlers, the email digest), where
    Flask's url_for needs SERVER_NAME."""
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        adapter = current_app.url_map.bind("localhost", script_name=current_app.config["APPLICATION_ROOT"])
        path = adapter.build(endpoint, values)
    return f"{path}#{anchor}" if anchor else path
