"""The items a visit's observers tag: read from the lesson plan's sections and copied onto the visit as rows.

A plan is a Yjs document (collab.plans.richtext reads it into a tree). Under a heading starting "Anticipated"
("Anticipated misconceptions and responses"), each paragraph or list item is one anticipated response; under a
heading starting "Case pupil" ("Case pupils and predictions"), each is a case pupil's prediction written
"Pupil A: will add rather than scale". A section runs to the next heading of the same or a higher level, so a
transition plan's two sides each give theirs.

The rows are a snapshot: a tag names a row's id, so it stays attached whatever happens to the plan later.
Copying again (the set-up choosing another plan, or "Refresh from the plan") keeps a row whose text is still in the
plan, adds the new ones, and drops the rest unless an observer tagged them or linked a note to them: those stay,
marked as no longer in the plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pycrdt import Doc

from collab.observations.anticipated.tags import read_tags
from collab.observations.models import AnticipatedItem, Visit
from collab.plans.models import LessonPlan
from collab.plans.richtext import Node, Text, load, to_text
from collab.realtime.store import get_store

MAX_ITEMS = 40
MAX_TEXT = 1000
MAX_LABEL = 40  # a case pupil's pseudonym (CasePupil.label)
LISTS = ("bulletList", "orderedList")
LABELLED = re.compile(r"^([^:]{1,40}):\s*(.+)$")


@dataclass(frozen=True)
class PlanItem:
    kind: str  # "response" or "pupil"
    pupil: str  # the case pupil's pseudonym, for "pupil"
    text: str


def _clean(text: str) -> str:
    return " ".join(text.split())[:MAX_TEXT]


def _heading_level(node: Node) -> int:
    try:
        return int(float(node.attrs.get("level") or 2))
    except (TypeError, ValueError, OverflowError):
        return 2


def _sections(nodes: list[Node | Text], starts: str) -> list[list[Node | Text]]:
    """The blocks under each heading whose text starts with `starts` (any case)."""
    found: list[list[Node | Text]] = []
    current: list[Node | Text] | None = None
    level = 0
    for node in nodes:
        if isinstance(node, Node) and node.tag == "heading":
            if current is not None and _heading_level(node) <= level:
                current = None
            if current is None and to_text(node.children).strip().lower().startswith(starts):
                current, level = [], _heading_level(node)
                found.append(current)
                continue
        if current is not None:
            current.append(node)
    return found


def _block_texts(blocks: list[Node | Text]) -> list[str]:
    """One text per paragraph or list item (a nested list stays with its item); subheadings are not items."""
    texts: list[str] = []
    for block in blocks:
        if isinstance(block, Node) and block.tag in LISTS:
            texts.extend(to_text(item.children) for item in block.children if isinstance(item, Node))
        elif not (isinstance(block, Node) and block.tag == "heading"):
            texts.append(to_text([block]))
    return [t for t in (_clean(t) for t in texts) if t]


def _pupil_item(text: str, n: int) -> PlanItem:
    match = LABELLED.match(text)
    if match and match[2].strip():
        return PlanItem("pupil", " ".join(match[1].split())[:MAX_LABEL], match[2].strip())
    return PlanItem("pupil", f"Pupil {chr(ord('A') + n % 26)}", text)


def plan_items(plan: LessonPlan) -> list[PlanItem]:
    """The plan's anticipated responses, then its case pupils' predictions, in the plan's order."""
    nodes = load(get_store().full_state(plan.document_id))
    items = [PlanItem("response", "", text) for section in _sections(nodes, "anticipated")
             for text in _block_texts(section)]
    predictions = [text for section in _sections(nodes, "case pupil") for text in _block_texts(section)]
    items += [_pupil_item(text, n) for n, text in enumerate(predictions)]
    return items[:MAX_ITEMS]


def _key(kind: str, pupil: str, text: str) -> tuple[str, str, str]:
    return kind, pupil.lower(), text.lower()


def tagged_item_ids(visit: Visit) -> set[str]:
    """Item ids any observer tagged or linked a note to (every record, whoever is asking: this decides what is
    kept, and shows nothing)."""
    if visit.records_deleted_at is not None:
        return set()
    used: set[str] = set()
    for record in visit.records:
        doc: Doc = Doc()
        doc.apply_update(get_store().full_state(record.document_id))
        tags, links = read_tags(doc)
        used |= set(tags) | set(links.values())
    return used


def copy_from_plan(visit: Visit) -> dict[str, int]:
    """Make the visit's items those of its plan now (no plan: none), keeping what was tagged. No commit.
    Returns how many were added, kept and dropped."""
    wanted = plan_items(visit.plan) if visit.plan is not None else []
    existing = {_key(i.kind, i.pupil, i.text): i for i in visit.anticipated}
    counts = {"added": 0, "kept": 0, "dropped": 0}
    rows: list[AnticipatedItem] = []
    seen: set[tuple[str, str, str]] = set()
    for item in wanted:
        key = _key(item.kind, item.pupil, item.text)
        if key in seen:
            continue  # the same text twice in the plan: one item
        seen.add(key)
        row = existing.pop(key, None)
        if row is None:
            row = AnticipatedItem(kind=item.kind, pupil=item.pupil, text=item.text)
            counts["added"] += 1
        else:
            counts["kept"] += 1
        row.in_plan = True
        rows.append(row)
    used = tagged_item_ids(visit) if existing else set()
    for row in existing.values():
        if row.id is not None and str(row.id) in used:
            row.in_plan = False
            rows.append(row)
        else:
            counts["dropped"] += 1
    for position, row in enumerate(rows):
        row.position = position
    visit.anticipated = rows  # the relationship's delete-orphan removes the dropped rows
    return counts
