"""Anticipated versus observed: per anticipated item, how many observers tagged it seen, not seen or something
else, and the notes they linked to it. Built from the records the person may read (summary.build.readable_records),
so notes they may not read (another observer's, during the lesson) are neither counted nor shown."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for

from collab.observations.anticipated.tags import TAGS
from collab.observations.models import AnticipatedItem, ObservationRecord, Visit
from collab.observations.permissions import can_read_summary
from collab.observations.records.content import RecordContent


@dataclass
class LinkedNote:
    id: str
    observer: str
    observer_id: int
    at: int
    clock: str
    pupil: str
    text: str
    photo_id: int | None


@dataclass
class AnticipatedRow:
    item: AnticipatedItem
    counts: dict[str, int]
    tagged_by: dict[str, list[str]]  # tag -> observers' names
    notes: list[LinkedNote] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def anticipated_rows(visit: Visit, contents: dict[ObservationRecord, RecordContent]) -> list[AnticipatedRow]:
    from collab.observations.summary.build import clock_of  # build imports this module

    rows = {str(item.id): AnticipatedRow(item, dict.fromkeys(TAGS, 0), {t: [] for t in TAGS})
            for item in visit.anticipated}
    for record, content in contents.items():
        for item_id, tag in content.tags.items():
            row = rows.get(item_id)
            if row is not None:
                row.counts[tag] += 1
                row.tagged_by[tag].append(record.observer.name)
        notes = {note["id"]: note for note in content.notes if note["id"]}
        for note_id, item_id in content.links.items():
            row, note = rows.get(item_id), notes.get(note_id)
            if row is not None and note is not None:
                row.notes.append(LinkedNote(note["id"], record.observer.name, record.observer_id, note["at"],
                                            clock_of(note["at"]), note["pupil"], note["text"], note["photo_id"]))
    for row in rows.values():
        row.notes.sort(key=lambda n: (n.at, n.observer))
    return list(rows.values())


@dataclass
class SessionTable:
    visit: Visit
    rows: list[AnticipatedRow]
    note_link: str | None  # the summary page, where the notes' anchors are; None: the person may not read it


def anticipated_for_session(user, visit: Visit | None,
                            contents: dict[ObservationRecord, RecordContent]) -> SessionTable | None:
    """The table for a session's post-lesson discussion: its visit, and `contents`, the records `user` may read
    (summary.build.readable_records) read once by the discussion page, which also quotes them. None when the
    session has no visit or the visit no anticipated items."""
    if visit is None or not visit.anticipated:
        return None
    link = url_for("observations.summary", visit_id=visit.id) if can_read_summary(user, visit) else None
    return SessionTable(visit, anticipated_rows(visit, contents), link)
