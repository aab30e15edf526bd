"""Lesson observation visits.

At the top, what every part shares: models, permissions, forms, lookups (a visit or record, or 404), events
(the socket rooms: observation records and the visit's lesson clock) and blueprint (the list of route modules).
One sub-package per job: visits (set-up, the visit room, the lesson clock), records (checklists and reading a
record), photos, summary (page and PDF) and retention (keeping and deleting the records).
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """A member's role changing, or their removal, while a visit's notes are private makes its visit room ask
    again which records each page may read (collab.groups.signals). Called by create_app; connecting again does
    nothing."""
    from collab.groups.signals import member_role_changed
    from collab.observations.visits.services import announce_private_lessons

    member_role_changed.connect(announce_private_lessons)
