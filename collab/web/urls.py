"""Absolute links for email and calendar apps."""

from __future__ import annotations

from flask import current_app, has_request_context, request


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
