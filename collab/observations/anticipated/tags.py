"""An observer's tags of the anticipated items, as their record's Yjs document holds them
(docs/realtime-protocol.md, "Observation records"):

- `Y.Map "anticipated"`: anticipated item id (the row id, as a string) -> "seen" | "not-seen" | "something-else".
  Clearing a tag deletes the key.
- `Y.Map "anticipated_notes"`: note id (a note of the same record) -> the anticipated item id it is linked to.
  Unlinking deletes the key.

Two maps, keyed finely, so a tag set on the tablet and a note linked on the phone while offline both survive the
merge; the same key changed on both keeps one value (Yjs: last writer by client id), as ratings do.
Whoever edits the record may write anything into it, so reading keeps only what these rules allow.
"""

from __future__ import annotations

from pycrdt import Doc, Map

TAGS = ("seen", "not-seen", "something-else")
TAG_LABELS = {"seen": "Seen", "not-seen": "Not seen", "something-else": "Something else"}
TAG_KEY, LINK_KEY = "anticipated", "anticipated_notes"
MAX_ID_CHARS = 64


def _id(value: object) -> str | None:
    return value if isinstance(value, str) and 0 < len(value) <= MAX_ID_CHARS else None


def read_tags(doc: Doc) -> tuple[dict[str, str], dict[str, str]]:
    """(item id -> tag, note id -> item id), with values the rules above do not allow left out. Whether the item
    and the note exist is for the reader to check (table.py): the document does not know the visit's items."""
    tags = {key: value for key, value in doc.get(TAG_KEY, type=Map).to_py().items()
            if _id(key) and value in TAGS}
    links = {key: value for key, value in doc.get(LINK_KEY, type=Map).to_py().items()
             if _id(key) and _id(value)}
    return tags, links
