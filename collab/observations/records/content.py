"""Reading an observation record: its ratings and notes, from its shared document."""

from __future__ import annotations

from dataclasses import dataclass, field

from pycrdt import Array, Doc, Map

from collab.observations.anticipated.tags import read_tags
from collab.observations.models import ObservationRecord
from collab.realtime.store import get_store
from collab.web.lookups import is_possible_id

RATINGS = ("seen", "partly", "not-seen")
RATING_LABELS = {"seen": "Seen", "partly": "Partly", "not-seen": "Not seen"}
NOT_RATED = "Not rated"
LAST_MS = 253_402_300_800_000  # 1 January 10000, UTC: datetime stops before it


@dataclass
class RecordContent:
    ratings: dict[str, dict]
    notes: list[dict]
    tags: dict[str, str] = field(default_factory=dict)  # anticipated item id -> tag (anticipated/tags.py)
    links: dict[str, str] = field(default_factory=dict)  # note id -> anticipated item id


def record_content(record: ObservationRecord) -> RecordContent:
    """The record's ratings, notes and anticipated-item tags, read from its shared document (see
    docs/realtime-protocol.md)."""
    doc: Doc = Doc()
    doc.apply_update(get_store().full_state(record.document_id))
    ratings: dict[str, dict] = {}
    for key, value in doc.get("ratings", type=Map).to_py().items():
        if not isinstance(value, dict):
            continue
        rating, evidence = value.get("rating"), str(value.get("evidence") or "")
        # Evidence typed before (or without) choosing a rating is kept: rating None, "Not rated" in the summary.
        if rating in RATINGS or evidence.strip():
            ratings[str(key)] = {"rating": rating if rating in RATINGS else None, "evidence": evidence}
    notes = []
    for value in doc.get("notes", type=Array).to_py():
        if not isinstance(value, dict) or not str(value.get("text") or value.get("photo_id") or "").strip():
            continue
        notes.append({"id": str(value.get("id") or ""), "at": _time_ms(value.get("at")),
                      "phase": str(value.get("phase") or ""),
                      "big_idea": str(value.get("big_idea") or ""), "pupil": str(value.get("pupil") or ""),
                      "text": str(value.get("text") or ""), "photo_id": _photo_id(value.get("photo_id"))})
    tags, links = read_tags(doc)
    return RecordContent(ratings, notes, tags, links)


# Whoever may edit a record can write any value into its document, and a JavaScript number arrives as a float:
# infinity, NaN and 1e300 included. Neither reading below may fail on one, or the summary fails for everyone.

def _time_ms(value: object) -> int:
    """A note's time in ms since 1970, or 0 (no time) for one no clock can show."""
    try:
        at = int(value or 0)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return 0
    return at if 0 <= at < LAST_MS else 0


def _photo_id(value: object) -> int | None:
    """The photo's id, or None for a number no row can have (the summary then shows no photo)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if is_possible_id(value) else None  # type: ignore[return-value]
