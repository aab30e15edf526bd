"""What every template can use: UK date filters, maths in text and the permission functions."""

from __future__ import annotations

from flask import Flask
from markupsafe import Markup

from collab import timeutil
from collab.cycles import permissions as cycle_permissions
from collab.devplans import permissions as devplan_permissions
from collab.discussions import permissions as discussion_permissions
from collab.groups import permissions as group_permissions
from collab.maths import notation
from collab.observations import permissions as observation_permissions
from collab.plans import permissions as plan_permissions
from collab.sessions import permissions as session_permissions
from collab.web.urls import external_url

PERMISSION_MODULES = (group_permissions, session_permissions, plan_permissions, observation_permissions,
                      discussion_permissions, devplan_permissions, cycle_permissions)


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        uk_date=timeutil.uk_date,
        uk_datetime=timeutil.uk_datetime,
        uk_time=timeutil.uk_time,
        external_url=external_url,
        maths_text=maths_text,
    )
    app.jinja_env.globals.update(
        {name: getattr(module, name) for module in PERMISSION_MODULES
         for name in dir(module) if name.startswith(("can_", "is_"))}
    )


def maths_text(text: str | None) -> Markup:
    """Plain text (a note) with its $...$ maths drawn in HTML and everything else escaped (collab.maths.notation)."""
    return Markup(notation.text_to_html(text or ""))  # noqa: S704  (escaped by text_to_html, piece by piece)
