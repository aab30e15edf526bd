"""Seed a fresh benchmark database through the app's own models and services (run by bench/realtime.py).

Reads the same COLLAB_* environment as the server it precedes. Creates a hub, a school, a Work Group, members
who can sign in, one lesson plan per benchmark room, and a ~1 MB plan document built from 100,000 small edits
(stored as the app stores a compacted document: a snapshot plus a tail of logged updates). Prints one JSON line.

Usage: python bench/_app_setup.py --users 10 --rooms 64 --edits 100000
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PASSWORD = "bench password 1234"
TEXT_ROOT = "bench"  # as bench/_load.py


def build_big_doc(edits: int, tail: int, seed: int = 7, sections: int = 10):
    """A document built from `edits` small edits: 4 authors take turns (50 edits each) typing about 10
    characters at a time, with a 3-character delete every 25th edit, into `sections` shared Texts (the sections
    of a mastery plan: `bench-s0`...). Returns (snapshot update, [tail updates], text length)."""
    from pycrdt import Doc, Text

    rng = random.Random(seed)
    authors = [Doc(client_id=1000 + i) for i in range(4)]
    texts = [[d.get(f"{TEXT_ROOT}-s{k}", type=Text) for k in range(sections)] for d in authors]
    lengths = [0] * sections
    current, section, cursor = 0, 0, 0
    snapshot, tail_updates = None, []
    for i in range(edits):
        if i % 50 == 0:  # another teacher takes over: bring their copy up to date, move the cursor
            nxt = (current + 1) % len(authors)
            authors[nxt].apply_update(authors[current].get_update(authors[nxt].get_state()))
            current = nxt
            section = rng.randrange(sections)
            cursor = rng.randint(0, lengths[section])
        if i == edits - tail:
            snapshot = authors[current].get_update()
        doc, text = authors[current], texts[current][section]
        # A logged edit is what an editor sends: the update of its own transaction (Yjs's `update` event).
        # doc.get_update(state_before) would also carry the document's whole delete set (~16 KB here, 4.7 MB
        # over the tail: what the join measured until 2026-11-23 was mostly merging those).
        subscription = doc.observe(lambda event: tail_updates.append(event.update)) if i >= edits - tail else None
        if i % 25 == 24 and cursor >= 3:
            del text[cursor - 3:cursor]
            cursor -= 3
            lengths[section] -= 3
        else:
            piece = f"e{i:06d} abc "[: rng.randint(9, 12)]
            text.insert(cursor, piece)
            cursor += len(piece)
            lengths[section] += len(piece)
        if subscription is not None:
            doc.unobserve(subscription)
    if snapshot is None:
        snapshot = authors[current].get_update()
    return snapshot, tail_updates, sum(lengths)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--rooms", type=int, default=64)
    parser.add_argument("--edits", type=int, default=100_000)
    parser.add_argument("--tail", type=int, default=300)
    args = parser.parse_args()
    started = time.monotonic()

    from collab import create_app
    from collab.accounts.models import User
    from collab.accounts.passwords import hash_password
    from collab.extensions import db
    from collab.groups.models import Department, Hub, JourneyPhase, Membership, Phase, Role, School, WorkGroup
    from collab.plans.models import LessonPlan, PlanKind
    from collab.realtime.models import DocumentSnapshot, DocumentUpdate, SharedDocument

    try:
        from collab.plans.services import create_plan
    except ImportError:  # the plans service has not landed yet: make the rows the way it would
        create_plan = None

    app = create_app()
    with app.app_context():
        db.create_all()
        hub = Hub(name="Bench Maths Hub")
        school = School(hub=hub, name="Bench Academy", urn="900001", phase=Phase.SECONDARY)
        school.departments.append(Department(name="Mathematics"))
        group = WorkGroup(hub=hub, project_code="BENCH-1", title="Benchmark group", focus="Load",
                          journey_phase=JourneyPhase.SUSTAINING, school_year="2024/25")
        db.session.add_all([hub, school, group])
        db.session.flush()
        pw_hash = hash_password(PASSWORD)
        users = []
        for i in range(args.users):
            u = User(email=f"bench{i}@example.org", name=f"Bench Teacher {i}", password_hash=pw_hash,
                     school=school, hub=hub, active=True)
            db.session.add(u)
            db.session.add(Membership(work_group=group, user=u, role=Role.LEAD if i == 0 else Role.ADVOCATE))
            users.append(u)
        db.session.commit()

        def new_plan(title: str) -> LessonPlan:
            if create_plan is not None:
                return create_plan(users[0], group, title)
            plan = LessonPlan(work_group=group, document=SharedDocument(kind="plan"), kind=PlanKind.LESSON,
                              title=title, created_by=users[0])
            db.session.add(plan)
            db.session.commit()
            return plan

        plans = [new_plan(f"Bench room {i}") for i in range(args.rooms)]
        big = new_plan("Bench 1 MB plan")
        db.session.commit()

        # The big document: whatever create_plan stored, then 100k edits, kept as snapshot + tail.
        from pycrdt import Doc
        t = time.monotonic()
        snapshot, tail, text_len = build_big_doc(args.edits, args.tail)
        build_s = time.monotonic() - t
        doc_id = big.document_id
        existing = Doc()
        for snap in db.session.query(DocumentSnapshot).filter_by(document_id=doc_id).all():
            existing.apply_update(snap.data)
        last_id = 0
        for upd in db.session.query(DocumentUpdate).filter_by(document_id=doc_id).order_by(DocumentUpdate.id):
            existing.apply_update(upd.data)
            last_id = upd.id
        existing.apply_update(snapshot)
        db.session.query(DocumentSnapshot).filter_by(document_id=doc_id).delete()
        db.session.query(DocumentUpdate).filter(DocumentUpdate.document_id == doc_id,
                                                DocumentUpdate.id <= last_id).delete()
        full = existing.get_update()
        db.session.add(DocumentSnapshot(document_id=doc_id, data=full, upto_update_id=last_id))
        db.session.add_all([DocumentUpdate(document_id=doc_id, data=u, user_id=users[0].id) for u in tail])
        db.session.commit()
        out = {
            "password": PASSWORD,
            "emails": [u.email for u in users],
            "rooms": [f"plan:{p.id}" for p in plans],
            "documents": {f"plan:{p.id}": p.document_id for p in plans},
            "big_room": f"plan:{big.id}",
            "big_document_id": doc_id,
            "big_snapshot_bytes": len(full),
            "big_tail_updates": len(tail),
            "big_text_chars": text_len,
            "big_build_s": round(build_s, 2),
            "used_create_plan": create_plan is not None,
            "setup_s": round(time.monotonic() - started, 2),
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
