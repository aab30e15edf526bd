"""The observations blueprint, built from the route modules listed here.

Each route module has `register(bp)`, which adds its URL rules with their endpoint names ("observations.room",
"observations.summary_pdf_view", ...). create_app calls `create_blueprint()` once per app, so nothing is
registered at import time. Anyone who may not see the visit (or read the record) gets 404; a member who lacks
the right for an action gets 403.
"""

from __future__ import annotations

from flask import Blueprint

from collab.observations.anticipated import views as anticipated_views
from collab.observations.photos import views as photo_views
from collab.observations.records import checklist_views
from collab.observations.retention import views as retention_views
from collab.observations.summary import views as summary_views
from collab.observations.visits import room_views, setup_views

ROUTE_MODULES = (
    setup_views,  # setting a visit up (and the session page's visit_for_session)
    room_views,  # the visit room, joining as an observer, an observer's record page, the lesson clock
    photo_views,  # photos added to a record, served full size and as thumbnails
    summary_views,  # the visit summary, as a page and as a PDF
    retention_views,  # how long the records are kept, and deleting them
    checklist_views,  # the Work Group's checklist templates
    anticipated_views,  # refreshing the anticipated items from the plan
)


def create_blueprint() -> Blueprint:
    bp = Blueprint("observations", __name__)
    for module in ROUTE_MODULES:
        module.register(bp)
    return bp
