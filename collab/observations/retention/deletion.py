"""How long visit records are kept, and deleting them completely.

Deleting a visit's records removes, in one transaction: every observation record, its shared document with
the document's update log and snapshots, the case pupils (pseudonyms and predictions), then the photos and
thumbnails on disk once the transaction has committed. Other packages delete their own rows for the visit
(the post-lesson discussion: collab.discussions.init_app) through the `visit_deleting` signal, inside the same
transaction, before the commit.
"""

from __future__ import annotations

import calendar
import logging
import shutil
from datetime import datetime

from flask.signals import Namespace
from sqlalchemy import delete, select

from collab.activity.services import record as record_activity
from collab.extensions import db
from collab.groups.permissions import can_lead_group_work
from collab.observations.models import ObservationPhoto, ObservationRecord, Visit
from collab.observations.photos.storage import visit_folder
from collab.realtime.access import announce_access_change
from collab.realtime.models import DocumentSnapshot, DocumentUpdate, SharedDocument
from collab.realtime.rooms import room_name
from collab.realtime.store import get_store
from collab.types import utcnow

log = logging.getLogger(__name__)

# Sent with the visit inside the deleting transaction; a receiver that raises aborts the whole deletion. A signal
# rather than a call into collab.discussions: discussions already imports observations (quotes, summaries), so
# this keeps the dependency one way, and the receivers are connected where the app is put together (create_app).
visit_deleting = Namespace().signal("visit-deleting")


class NotAllowed(PermissionError):
    pass


def add_months(value: datetime, months: int) -> datetime:
    month = value.month - 1 + months
    year, month = value.year + month // 12, month % 12 + 1
    return value.replace(year=year, month=month, day=min(value.day, calendar.monthrange(year, month)[1]))


def expires_at(visit: Visit) -> datetime | None:
    """When the visit's records are due for deletion: the set number of months after the session ended."""
    if visit.retention_months is None:
        return None
    return add_months(visit.session.ends_at, visit.retention_months)


def delete_visit_records(actor, visit: Visit) -> None:
    """A lead deletes the visit's records completely (actor None: the retention job)."""
    if actor is not None and not can_lead_group_work(actor, visit.work_group):
        raise NotAllowed("only a lead deletes a visit's records")
    visit_id = visit.id
    document_ids = [r.document_id for r in visit.records]
    try:
        visit_deleting.send(visit)
        record_ids = [r.id for r in visit.records]
        announce_access_change(rooms=[room_name("observation", record_id) for record_id in record_ids])
        if record_ids:
            db.session.execute(delete(ObservationPhoto).where(ObservationPhoto.record_id.in_(record_ids)))
            db.session.execute(delete(ObservationRecord).where(ObservationRecord.id.in_(record_ids)))
        if document_ids:
            for model in (DocumentUpdate, DocumentSnapshot):
                db.session.execute(delete(model).where(model.document_id.in_(document_ids)))
            db.session.execute(delete(SharedDocument).where(SharedDocument.id.in_(document_ids)))
        for pupil in list(visit.case_pupils):
            visit.case_pupils.remove(pupil)
        visit.records_deleted_at = utcnow()
        who = actor.name if actor is not None else "Collab"
        record_activity(visit.work_group.id, actor, f"{who} deleted the observation records of "
                                                    f"“{visit.session.title}”", visit)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    db.session.expire(visit)
    store = get_store()
    for document_id in document_ids:
        store.forget(document_id)
    shutil.rmtree(visit_folder(visit_id), ignore_errors=True)


def purge_expired(now: datetime | None = None) -> list[int]:
    """Delete the records of every visit past its retention period. Returns the visits' ids."""
    now = now or utcnow()
    visits = db.session.scalars(select(Visit).where(Visit.retention_months.is_not(None),
                                                    Visit.records_deleted_at.is_(None))).all()
    done = []
    for visit in visits:
        due = expires_at(visit)
        if due is not None and due <= now:
            delete_visit_records(None, visit)
            done.append(visit.id)
            log.info("deleted the expired records of visit %s", visit.id)
    return done
