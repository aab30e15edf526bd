"""One object per Flask app, kept in `app.extensions`: each app (so each test's fresh app) gets its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app

T = TypeVar("T")


def per_app(key: str, make: Callable[[Flask], T], app: Flask | None = None) -> T:
    """The app's object under `key`, made by `make(app)` on first use (the current app when `app` is None)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    found = app.extensions.get(key)
    if found is None:
        found = app.extensions.setdefault(key, make(app))
    return found
