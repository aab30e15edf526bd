"""The newer room kinds for bench/hostile.py, made through the app's own services on the database bench/_app_setup.py
seeded: a research cycle's study document (room kind `study`) and an exploring-maths session's workspace (room kind
`workspace`). Reads the same COLLAB_* environment as the server. Prints one JSON line: rooms, document ids, pages.

Usage: python bench/_hostile_rooms.py
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    from collab import create_app
    from collab.accounts.models import User
    from collab.cycles.models import StudyDocument
    from collab.cycles.services import create_cycle
    from collab.extensions import db
    from collab.groups.models import WorkGroup
    from collab.realtime.rooms import room_name
    from collab.sessions.models import GroupSession, SessionKind
    from collab.types import utcnow
    from collab.workspace.board import create_workspace

    app = create_app()
    with app.app_context():
        lead = db.session.query(User).filter_by(email="bench0@example.org").one()
        group = db.session.query(WorkGroup).filter_by(project_code="BENCH-1").one()
        cycle = create_cycle(lead, group, "Hostile bench cycle", "Does a bar model help?")  # with its study
        study = db.session.query(StudyDocument).filter_by(cycle_id=cycle.id).one()
        starts = utcnow() + timedelta(days=1)
        session = GroupSession(work_group_id=group.id, kind=SessionKind.EXPLORING, title="Hostile bench session",
                               starts_at=starts, ends_at=starts + timedelta(hours=1), created_by_id=lead.id)
        db.session.add(session)
        db.session.flush()
        workspace = create_workspace(lead, session)
        db.session.commit()
        print(json.dumps({
            "rooms": {room_name("study", study.id): study.document_id,
                      room_name("workspace", workspace.id): workspace.document_id},
            "pages": {room_name("study", study.id): f"/cycles/{cycle.id}/study",
                      room_name("workspace", workspace.id): f"/sessions/{session.id}/workspace"},
        }))


if __name__ == "__main__":
    main()
