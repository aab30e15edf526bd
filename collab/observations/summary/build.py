"""What the visit room and the summary show: the merged lesson timeline and the ratings across observers
(with a server-rendered SVG bar chart: no JavaScript, no CDN, and it prints in the PDF)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from markupsafe import Markup, escape

from collab.groups.permissions import can_read_group_work
from collab.observations.anticipated.table import AnticipatedRow, anticipated_rows
from collab.observations.models import ObservationRecord, Visit
from collab.observations.permissions import can_read_record, is_invited_host
from collab.observations.records.checklists import big_idea_titles
from collab.observations.records.content import NOT_RATED, RATING_LABELS, RATINGS, RecordContent, record_content
from collab.sessions.models import SessionKind
from collab.timeutil import to_london

COLOURS = {"seen": "#17663a", "partly": "#a35200", "not-seen": "#b00020"}


def readable_records(user, visit: Visit) -> list[ObservationRecord]:
    if visit.records_deleted_at is not None:
        return []
    if (visit.session.kind == SessionKind.TRANSITION and visit.lesson_ended_at is not None
            and not can_read_group_work(user, visit.work_group) and is_invited_host(user, visit.session)):
        return list(visit.records)  # the transition summary is shared with the host primary school
    return [r for r in visit.records if can_read_record(user, r)]


@dataclass
class TimelineNote:
    observer: str
    observer_id: int
    at: int
    clock: str  # "09:14" (UK time)
    minute: str  # "+12 min" after the lesson started, or ""
    phase: str
    big_idea: str
    big_idea_title: str
    pupil: str
    text: str
    photo_id: int | None
    id: str = ""  # the note's id in its record: the summary's anchor "note-<id>"


def clock_of(at_ms: int) -> str:
    return f"{to_london(datetime.fromtimestamp(at_ms / 1000, UTC)):%H:%M}" if at_ms else ""


def timeline(visit: Visit, contents: dict[ObservationRecord, RecordContent]) -> list[TimelineNote]:
    titles = big_idea_titles()
    start = int(visit.lesson_started_at.timestamp() * 1000) if visit.lesson_started_at else None
    notes = []
    for record, content in contents.items():
        for note in content.notes:
            minute = f"+{max(0, (note['at'] - start) // 60000)} min" if start and note["at"] else ""
            notes.append(TimelineNote(record.observer.name, record.observer_id, note["at"], clock_of(note["at"]),
                                      minute, note["phase"], note["big_idea"], titles.get(note["big_idea"], ""),
                                      note["pupil"], note["text"], note["photo_id"], note["id"]))
    return sorted(notes, key=lambda n: (n.at, n.observer))


@dataclass
class CriterionRow:
    id: str
    big_idea: str
    text: str
    counts: dict[str, int]
    evidence: list[tuple[str, str, str]]  # (observer, rating label, evidence)


def rating_rows(visit: Visit, contents: dict[ObservationRecord, RecordContent]) -> list[CriterionRow]:
    rows = []
    for idea in visit.criteria:
        for look_for in idea["look_fors"]:
            counts = dict.fromkeys(RATINGS, 0)
            evidence = []
            for record, content in contents.items():
                rated = content.ratings.get(look_for["id"])
                if rated:
                    if rated["rating"]:
                        counts[rated["rating"]] += 1
                    if rated["evidence"]:
                        label = RATING_LABELS[rated["rating"]] if rated["rating"] else NOT_RATED
                        evidence.append((record.observer.name, label, rated["evidence"]))
            rows.append(CriterionRow(look_for["id"], idea["title"], look_for["text"], counts, evidence))
    return rows


def ratings_svg(rows: list[CriterionRow], observers: int) -> Markup:
    """A horizontal stacked bar per look-for: how many observers rated it seen, partly, not seen."""
    label_w, bar_w, row_h, top = 330, 300, 26, 30
    scale = bar_w / max(observers, 1)
    height = top + row_h * len(rows) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="ratings-chart" role="img" '
             f'viewBox="0 0 {label_w + bar_w + 60} {height}" width="100%" '
             f'aria-labelledby="ratings-chart-title"><title id="ratings-chart-title">Checklist ratings across '
             f'{observers} observer{"s" if observers != 1 else ""}</title>']
    x = label_w
    for rating in RATINGS:
        parts.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{COLOURS[rating]}"/>'
                     f'<text x="{x + 16}" y="16" font-size="12">{RATING_LABELS[rating]}</text>')
        x += 90
    for n, row in enumerate(rows):
        y = top + n * row_h
        label = row.text if len(row.text) <= 52 else row.text[:50] + "…"
        parts.append(f'<text x="0" y="{y + 16}" font-size="12"><title>{escape(row.big_idea)}: '
                     f'{escape(row.text)}</title>{escape(label)}</text>')
        x = float(label_w)
        for rating in RATINGS:
            count = row.counts[rating]
            if count:
                w = count * scale
                parts.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" '
                             f'fill="{COLOURS[rating]}"><title>{RATING_LABELS[rating]}: {count}</title></rect>'
                             f'<text x="{x + w / 2:.1f}" y="{y + 16}" font-size="11" fill="#fff" '
                             f'text-anchor="middle">{count}</text>')
                x += w
        total = sum(row.counts.values())
        parts.append(f'<text x="{label_w + bar_w + 6}" y="{y + 16}" font-size="11" fill="#505a66">'
                     f'{total}/{observers}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every text above is escaped)


@dataclass
class VisitSummary:
    records: list[ObservationRecord]
    notes: list[TimelineNote]
    rows: list[CriterionRow]
    chart: Markup
    anticipated: list[AnticipatedRow]


def build_summary(user, visit: Visit) -> VisitSummary:
    records = readable_records(user, visit)
    contents = {record: record_content(record) for record in records}
    rows = rating_rows(visit, contents)
    return VisitSummary(records, timeline(visit, contents), rows, ratings_svg(rows, len(records)),
                        anticipated_rows(visit, contents))
