"""The development plans blueprint, built from the route modules listed here.

Each route module has `register(bp)`, which adds its URL rules with their endpoint names ("devplans.show",
"devplans.notifications_page", ...). create_app calls `create_blueprint()` once per app, so nothing is
registered at import time. Every plan URL answers 404 to anyone who may not read the plan and 403 to a reader
who lacks the right for an action.
"""

from __future__ import annotations

from flask import Blueprint

from collab.devplans.comments import views as comment_views
from collab.devplans.delivery import views as delivery_views
from collab.devplans.evidence import views as evidence_views
from collab.devplans.notifications import views as notification_views
from collab.devplans.plan import views as plan_views
from collab.devplans.rounds import views as round_views

ROUTE_MODULES = (
    plan_views,  # the list, starting a plan, the co-editing page, the text export, history and versions
    comment_views,  # the comment panel's threads, adding a comment or reply, resolving
    round_views,  # critique rounds: opening one for a Work Group, its page, closing it, marking it reviewed
    evidence_views,  # evidence linked to the plan's aims
    delivery_views,  # aims, actions, the PD programme, half-termly progress; a lead's side-by-side view
    notification_views,  # the notifications page, marking read, the bell's count (plans are what notify people)
)


def create_blueprint() -> Blueprint:
    bp = Blueprint("devplans", __name__)
    for module in ROUTE_MODULES:
        module.register(bp)
    return bp
