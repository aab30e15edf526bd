"""The post-lesson discussion of a session: posts by protocol section, replies, quotes and agreed actions."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Deleting a visit's records (collab.observations.retention.deletion) deletes its discussion in the same
    transaction. Called by create_app; connecting again does nothing."""
    from collab.discussions.services import delete_for_visit
    from collab.observations.retention.deletion import visit_deleting

    visit_deleting.connect(delete_for_visit)
