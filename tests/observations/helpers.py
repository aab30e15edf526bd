"""Building visits and writing into observation records as the record page would (through the document store)."""

from __future__ import annotations

import itertools

from pycrdt import Array, Doc, Map

from collab.observations.models import ObservationRecord, Visit
from collab.observations.visits import services
from collab.realtime.store import get_store
from tests import factories

_ids = itertools.count(1)


def make_visit(world, observers=None, pupils=("Pupil A", "Pupil B", "Pupil C"), share=False, plan=None,
               kind=None, host=None) -> Visit:
    """A visit of a new observation session in the world's Work Group, set up by the lead.
    Observers default to the advocate (following Pupil A) and the colleague."""
    session = factories.session(world.group, **({"kind": kind} if kind else {}),
                                **({"host": host} if host else {}))
    observers = observers if observers is not None else [(world.advocate, 0), (world.colleague, None)]
    setup = services.VisitSetup(
        plan_id=plan.id if plan else None,
        pupils=tuple(services.PupilInput(p, f"{p} will add instead of multiply.") for p in pupils),
        observers=tuple(services.ObserverInput(u.id, f) for u, f in observers),
        share_notes_during=share)
    return services.set_up_visit(world.lead, session, setup)


def record_for(visit: Visit, user) -> ObservationRecord:
    return next(r for r in visit.records if r.observer_id == user.id)


def _edit(record: ObservationRecord, change) -> bytes:
    doc: Doc = Doc()
    doc.apply_update(get_store().full_state(record.document_id))
    before = doc.get_state()
    change(doc)
    update = doc.get_update(before)
    get_store().submit(record.document_id, update, record.observer_id)
    return update


def add_note(record: ObservationRecord, text: str, at: int = 1_700_000_000_000, phase: str = "Starter",
             big_idea: str = "", pupil: str = "", photo_id: int | None = None) -> dict:
    note = {"id": f"n{next(_ids)}", "at": at, "phase": phase, "big_idea": big_idea, "pupil": pupil, "text": text}
    if photo_id is not None:
        note["photo_id"] = photo_id
    _edit(record, lambda doc: doc.get("notes", type=Array).append(note))
    return note


def rate(record: ObservationRecord, criterion: str, rating: str | None, evidence: str = "") -> None:
    _edit(record, lambda doc: doc.get("ratings", type=Map).__setitem__(criterion,
                                                                       {"rating": rating, "evidence": evidence}))
