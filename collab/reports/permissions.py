"""Who may mark a session's register, and who may see and export the Work Group's year.

Plain functions for views and templates (collab.web.templating makes every `can_` function a template global).
Built on collab/groups/permissions.py: who may not see the Work Group gets 404; a member without the role, 403.

- The register: the Work Group's lead (or a hub administrator of its hub, who manages its sessions) and the
  session's host (the visit's host teacher, or before one is chosen a member from the host school: the same
  rule as setting the visit up) mark it, from the start of the session's day in England.
- The year at a glance: every member sees it read-only (counts and rates, no names); the lead and the hub's
  administrators see it too and export it. The exports list each person's attendance by name, so they are for
  the people who manage the group.
"""

from __future__ import annotations

from datetime import datetime

from collab.groups.models import WorkGroup
from collab.groups.permissions import can_manage_group, can_view_group
from collab.sessions.models import GroupSession


def can_view_year(user, group: WorkGroup) -> bool:
    return can_view_group(user, group)


def can_export_year(user, group: WorkGroup) -> bool:
    return can_manage_group(user, group)


def is_session_host(user, session: GroupSession) -> bool:
    from collab.observations.permissions import is_visit_host
    from collab.observations.visits.services import visit_for_session

    return is_visit_host(user, session, visit_for_session(session))


def can_mark_attendance(user, session: GroupSession, now: datetime | None = None) -> bool:
    """May mark the register now: a manager or the host, once the session's day has come."""
    from collab.reports.register import register_open

    if not register_open(session, now):
        return False
    return can_manage_group(user, session.work_group) or is_session_host(user, session)
