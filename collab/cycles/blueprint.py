"""The cycles blueprint: one Blueprint, its routes in views.py (theme, cycles, study document) and
revision_views.py (revising a plan, comparing versions, the agreed actions beside the revised plan)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("cycles", __name__)


def create_blueprint() -> Blueprint:
    """The blueprint with every route module's routes added (their decorators run on first import)."""
    from collab.cycles import revision_views, views  # noqa: F401  (importing them adds their routes)

    return bp
