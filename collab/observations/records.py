"""Reading an observation record: its ratings and notes, from its shared document."""

from __future__ import annotations

from dataclasses import dataclass

from pycrdt import Array, Doc, Map

from collab.observations.models import ObservationRecord
from collab.realtime.store import get_store

RATINGS = ("seen", "partly", "not-seen")
RATING_LABELS = {"seen": "Seen", "partly": "Partly", "not-seen": "Not seen"}


@dataclass
class RecordContent:
    ratings: dict[str, dict]
    notes: list[dict]


def record_content(record: ObservationRecord) -> RecordContent:
    """The record's ratings and notes, read from its shared document (see docs/realtime-protocol.md)."""
    doc: Doc = Doc()
    doc.apply_update(get_store().full_state(record.document_id))
    ratings: dict[str, dict] = {}
    for key, value in doc.get("ratings", type=Map).to_py().items():
        if isinstance(value, dict) and value.get("rating") in RATINGS:
            ratings[str(key)] = {"rating": value["rating"], "evidence": str(value.get("evidence") or "")}
    notes = []
    for value in doc.get("notes", type=Array).to_py():
        if not isinstance(value, dict) or not str(value.get("text") or value.get("photo_id") or "").strip():
            continue
        try:
            at = int(value.get("at") or 0)
        except (TypeError, ValueError):
            at = 0
        photo = value.get("photo_id")
        notes.append({"id": str(value.get("id") or ""), "at": at, "phase": str(value.get("phase") or ""),
                      "big_idea": str(value.get("big_idea") or ""), "pupil": str(value.get("pupil") or ""),
                      "text": str(value.get("text") or ""),
                      "photo_id": int(photo) if isinstance(photo, int | float) else None})
    return RecordContent(ratings, notes)
