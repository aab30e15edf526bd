"""The demo has a finished visit discussion: posts in every section, replies, and agreed actions."""

from __future__ import annotations

from collab.discussions import services
from collab.discussions.models import SECTION_KEYS
from collab.extensions import db
from collab.sessions.models import GroupSession


def test_the_demo_year_9_visit_has_a_finished_discussion(demo):
    session = db.session.query(GroupSession).filter_by(title="Year 9 proportional reasoning: research lesson").one()
    view = services.discussion_view(session)
    assert all(view.sections[key] for key in SECTION_KEYS)
    assert any(item.replies for items in view.sections.values() for item in items)
    text = " ".join(item.post.body_markdown for item in view.sections["case-pupils"])
    assert "Pupil A" in text and "Pupil B" in text and "Pupil C" in text
    assert 2 <= len(view.actions) <= 3 and all(a.owner and a.due_date for a in view.actions)
