"""The demo's visit in progress has its plan's anticipated items and case pupils, and observers' tags with notes
linked, so the visit room's table shows something real."""

from __future__ import annotations

from collab.accounts.models import User
from collab.observations.models import Visit
from collab.observations.summary.build import build_summary


def test_the_demo_visit_has_the_plans_anticipated_items_tagged_with_linked_notes(demo):
    visit = next(v for v in Visit.query.all() if v.session.title.startswith("Year 8 ratio lesson"))
    assert [p.label for p in visit.case_pupils] == ["Pupil D", "Pupil E", "Pupil F"]
    kinds = [i.kind for i in visit.anticipated]
    assert kinds.count("response") == 3 and kinds.count("pupil") == 3
    lead = User.query.filter_by(email="lead@example.org").one()
    rows = build_summary(lead, visit).anticipated
    assert sum(row.total for row in rows) >= 5
    assert any("Pupil D added 9 to both" in note.text for row in rows for note in row.notes)
