"""Development plans: the comment panel's routes (collab.comments.views: threads as JSON, new comments and replies,
resolving), and the threads the plan's page, exports and PDF list."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from collab.comments import services as comment_services
from collab.comments import views as comment_views
from collab.devplans.comments.services import DEVPLAN_COMMENTS
from collab.devplans.lookups import plan_or_404
from collab.devplans.models import DevPlan


def register(bp: Blueprint) -> None:
    """Add this module's routes to the blueprint (endpoint names as url_for uses them)."""
    comment_views.register(bp, DEVPLAN_COMMENTS, "/devplans", plan_or_404)


def threads(plan: DevPlan) -> list[dict[str, Any]]:
    return comment_services.threads(DEVPLAN_COMMENTS, plan)
