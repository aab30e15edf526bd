"""Finding rows by the ids clients send: in URLs, socket room names, forms and JSON.

No row can have an id past MAX_ID, and asking the database for one is not harmless: the sqlite3 driver raises
OverflowError on an integer past 2^63 - 1, so `/plans/9223372036854775808` was a 500 and `doc:join` of
`plan:9223372036854775808` a `server-error`. Every id a client sends is checked against it before a query.
"""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Flask, abort

from collab.extensions import db

T = TypeVar("T")

# The largest id a row can have: SQLite's INTEGER and PostgreSQL's bigint both stop here (ours are integer).
MAX_ID = 2**63 - 1


def is_possible_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def parse_id(value: object) -> int | None:
    """A positive id from a client's integer or decimal string ("12", no sign, no leading zero), or None when it
    is not one a row could have."""
    if isinstance(value, str):
        if not (0 < len(value) <= 19 and value.isascii() and value.isdigit()) or value.startswith("0"):
            return None
        value = int(value)
    return value if is_possible_id(value) else None  # type: ignore[return-value]


def get_or_none(model: type[T], row_id: Any) -> T | None:
    """db.session.get for an id from a client: None, without a query, for one no row can have."""
    return db.session.get(model, row_id) if is_possible_id(row_id) else None


def child_or_404(model: type[T], row_id: int, **parent: int) -> T:
    """The row with this id whose parent column matches, e.g. child_or_404(PlanImage, 3, plan_id=plan.id).

    A row of another parent is as absent as a missing one: ids in URLs are never trusted on their own."""
    row = get_or_none(model, row_id)
    if row is None or any(getattr(row, column) != value for column, value in parent.items()):
        abort(404)
    return row


def init_app(app: Flask) -> None:
    """Every `<int:...>` in a URL: past MAX_ID, 404 before any view looks it up (errors.init_app calls this)."""

    @app.url_value_preprocessor
    def _no_impossible_ids(_endpoint: str | None, values: dict[str, Any] | None) -> None:
        if values and any(isinstance(v, int) and v > MAX_ID for v in values.values()):
            abort(404)
