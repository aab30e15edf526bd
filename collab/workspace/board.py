"""The workspace document: the task and "what we noticed" as rich text (the plan editor's schema, XmlFragment
"default", two headings), and the whiteboard as the root map "board".

The board map holds one entry per item, keyed by a random id; each item is a map:
  kind    "stroke" | "rect" | "ellipse" | "line" | "text"
  x, y    where the item is moved to (added to its own coordinates)
  points  stroke and line: a flat list of numbers [x0, y0, x1, y1, ...] (a JSON value, not a string)
  w, h    rect and ellipse: width and height from (x, y)
  text    text: what is written (at most MAX_TEXT characters)
  colour  "#rrggbb"
  z       stacking order (larger on top)
static/src/_board.js reads and writes exactly this; so does the demo (collab/demo/workspace.py).
"""

from __future__ import annotations

import secrets

from pycrdt import Doc, Map, XmlElement, XmlFragment, XmlText
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from collab.extensions import db
from collab.plans import richtext
from collab.realtime.models import DocumentUpdate, SharedDocument
from collab.sessions.models import GroupSession, SessionKind
from collab.types import utcnow
from collab.workspace.models import Workspace

ROOM_KIND = "workspace"
BOARD = "board"
MAX_TEXT = 500
TASK_HEADING = "The task"
NOTICED_HEADING = "What we noticed"
KINDS = frozenset(("stroke", "rect", "ellipse", "line", "text"))


def has_workspace(session: GroupSession) -> bool:
    return session.kind == SessionKind.EXPLORING


def template_update() -> bytes:
    doc: Doc = Doc()
    fragment = doc.get(richtext.FIELD, type=XmlFragment)
    doc.get(BOARD, type=Map)
    with doc.transaction():
        for heading in (TASK_HEADING, NOTICED_HEADING):
            element = fragment.children.append(XmlElement("heading", {"level": 2}))  # type: ignore[arg-type]
            element.children.append(XmlText(heading))
            fragment.children.append(XmlElement("paragraph"))
    return doc.get_update()


def workspace_of(session: GroupSession) -> Workspace | None:
    return db.session.scalar(select(Workspace).where(Workspace.session_id == session.id))


def ensure_workspace(actor, session: GroupSession) -> Workspace:
    """The session's workspace, made (and committed) the first time a member opens it."""
    existing = workspace_of(session)
    if existing is not None:
        return existing
    try:
        workspace = create_workspace(actor, session)
        db.session.commit()
        return workspace
    except IntegrityError:  # someone else opened it at the same moment
        db.session.rollback()
        made = workspace_of(session)
        if made is None:
            raise
        return made


def create_workspace(actor, session: GroupSession) -> Workspace:
    """A new workspace for the session (in the caller's transaction)."""
    document = SharedDocument(kind=ROOM_KIND)
    db.session.add(document)
    db.session.flush()
    db.session.add(DocumentUpdate(document_id=document.id, data=template_update(),
                                  user_id=getattr(actor, "id", None)))
    workspace = Workspace(session_id=session.id, document_id=document.id, created_by_id=getattr(actor, "id", None),
                          created_at=utcnow())
    db.session.add(workspace)
    db.session.flush()
    return workspace


def state(workspace: Workspace) -> bytes:
    from collab.realtime.store import get_store

    return get_store().full_state(workspace.document_id)


def text_html(workspace: Workspace) -> str:
    """The task and what we noticed, as saved (the page's copy for people without JavaScript)."""
    return richtext.to_html(richtext.load(state(workspace)))


def board_items(data: bytes) -> list[dict]:
    """The board's items in stacking order (for tests and a summary)."""
    doc: Doc = Doc()
    doc.apply_update(data)
    board = doc.get(BOARD, type=Map).to_py() or {}
    items = [dict(value, id=key) for key, value in board.items() if isinstance(value, dict)]
    return sorted(items, key=lambda item: (item.get("z") or 0, item["id"]))


def new_item_id() -> str:
    return secrets.token_hex(8)


def add_item(board: Map, **fields) -> str:
    """Add one item to a board map (inside the caller's transaction)."""
    if fields.get("kind") not in KINDS:
        raise ValueError("unknown board item")
    item_id = new_item_id()
    board[item_id] = Map(fields)
    return item_id
