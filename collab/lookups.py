"""Finding a row that must belong to the parent named in the URL."""

from __future__ import annotations

from typing import TypeVar

from flask import abort

from collab.extensions import db

T = TypeVar("T")


def child_or_404(model: type[T], row_id: int, **parent: int) -> T:
    """The row with this id whose parent column matches, e.g. child_or_404(PlanImage, 3, plan_id=plan.id).

    A row of another parent is as absent as a missing one: ids in URLs are never trusted on their own."""
    row = db.session.get(model, row_id)
    if row is None or any(getattr(row, column) != value for column, value in parent.items()):
        abort(404)
    return row
