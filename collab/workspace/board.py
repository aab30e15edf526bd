"""The workspace document: the task and "what we noticed" as rich text (the plan editor's schema, XmlFragment
"default", two headings), and the whiteboard as the root XmlFragment "whiteboard".

The whiteboard is drawn with Excalidraw (static/src/workspace.js). Each of its elements is one XmlElement
`boardElement` of the whiteboard fragment, with one attribute, `json`: the Excalidraw element as JSON (its id, type,
geometry, style, `version` and `versionNonce`...). A change to an element rewrites that attribute with a higher
`version`; where two copies meet, the higher version wins (ties: the lower versionNonce, as Excalidraw reconciles).
A deleted element stays, `isDeleted: true`, so that a late edit cannot bring it back. What an element may hold is
checked on the server (collab.workspace.elements, through collab.maths.schema) like any attribute of any update.
static/src/_excalidraw-binding.js reads and writes exactly this; so does the demo (collab/demo/workspace.py).

Workspaces made before the Excalidraw board kept their drawing in a root map "board" (items with kind, x, y,
points...): the page no longer shows it (the feature was new, with only the demo's board in it, which is rebuilt
in the new format by `flask demo load`).
"""

from __future__ import annotations

import json
import secrets

from pycrdt import Doc, XmlElement, XmlFragment, XmlText
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from collab.extensions import db
from collab.plans import richtext
from collab.realtime.models import DocumentUpdate, SharedDocument
from collab.sessions.models import GroupSession, SessionKind
from collab.types import utcnow
from collab.workspace import elements
from collab.workspace.models import Workspace

ROOM_KIND = "workspace"
BOARD = "whiteboard"
TASK_HEADING = "The task"
NOTICED_HEADING = "What we noticed"


def has_workspace(session: GroupSession) -> bool:
    return session.kind == SessionKind.EXPLORING


def template_update() -> bytes:
    doc: Doc = Doc()
    fragment = doc.get(richtext.FIELD, type=XmlFragment)
    doc.get(BOARD, type=XmlFragment)
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


def board_elements(data: bytes, *, deleted: bool = False) -> list[dict]:
    """The board's Excalidraw elements, one per id (the highest version), in stacking order (Excalidraw's
    fractional `index`); deleted ones only with `deleted`. An element the server would refuse is left out."""
    doc: Doc = Doc()
    doc.apply_update(data)
    found: dict[str, dict] = {}
    for child in doc.get(BOARD, type=XmlFragment).children:
        if not isinstance(child, XmlElement) or child.tag != elements.TAG:
            continue
        try:
            element = elements.check_element(child.attributes.get(elements.ATTRIBUTE))
        except elements.InvalidElement:
            continue
        known = found.get(element["id"])
        if known is None or _newer(element, known):
            found[element["id"]] = element
    kept = [e for e in found.values() if deleted or not e.get("isDeleted")]
    return sorted(kept, key=lambda e: (e.get("index") or "", e["id"]))


def _newer(a: dict, b: dict) -> bool:
    if a["version"] != b["version"]:
        return a["version"] > b["version"]
    return a.get("versionNonce", 0) < b.get("versionNonce", 0)


def add_element(board: XmlFragment, element: dict) -> str:
    """Add one Excalidraw element to a board fragment (inside the caller's transaction); checked as the server
    checks what a browser sends."""
    text = json.dumps(element, separators=(",", ":"), ensure_ascii=False)
    elements.check_element(text)
    board.children.append(XmlElement(elements.TAG, {elements.ATTRIBUTE: text}))
    return element["id"]


def new_element_id() -> str:
    return secrets.token_urlsafe(15)


# --- elements made on the server (the demo; tests) ---------------------------------------------------------------

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
FONT_SIZE = 20
HELVETICA = 2  # Excalidraw's FONT_FAMILY.Helvetica (the plain one; 5, Excalifont, is its hand-drawn default)


def fractional_index(n: int) -> str:
    """The n-th stacking position (n < 62 * 62), as Excalidraw's fractional indices order them: "a0", "a1"..."""
    return "a" + _BASE62[n // 62] + _BASE62[n % 62] if n >= 62 else "a" + _BASE62[n]


def element(kind: str, x: float, y: float, n: int, **fields) -> dict:
    """A complete Excalidraw element of type `kind`, the n-th on the board, with Excalidraw's defaults (a plain,
    not hand-drawn, style: roughness 0). A text's size is estimated (Excalidraw measures it again when edited)."""
    made = {
        "id": new_element_id(), "type": kind, "x": x, "y": y, "width": 0, "height": 0, "angle": 0,
        "strokeColor": "#1e1e1e", "backgroundColor": "transparent", "fillStyle": "solid", "strokeWidth": 2,
        "strokeStyle": "solid", "roughness": 0, "opacity": 100, "roundness": None,
        "seed": secrets.randbelow(2**31), "version": 1, "versionNonce": secrets.randbelow(2**31),
        "index": fractional_index(n), "isDeleted": False, "groupIds": [], "frameId": None, "boundElements": None,
        "updated": 1, "link": None, "locked": False,
    }
    if kind == "text":
        size = fields.get("fontSize", FONT_SIZE)
        text = fields.get("text", "")
        made.update(fontSize=size, fontFamily=HELVETICA, textAlign="left", verticalAlign="top", containerId=None,
                    originalText=text, autoResize=True, lineHeight=1.15,
                    width=round(len(text) * size * 0.55, 2), height=round(size * 1.15, 2))
    if kind in ("line", "arrow", "freedraw"):
        points = fields.get("points", [[0, 0]])
        made.update(points=points, lastCommittedPoint=None, width=max(p[0] for p in points) - min(p[0] for p in points),
                    height=max(p[1] for p in points) - min(p[1] for p in points))
        if kind == "freedraw":
            made.update(pressures=[], simulatePressure=True)
        else:
            made.update(startBinding=None, endBinding=None, startArrowhead=None,
                        endArrowhead="arrow" if kind == "arrow" else None)
    made.update(fields)
    if kind == "text":
        made["originalText"] = made["text"]
    return made


def representation_elements(attrs: dict[str, str], x: float, y: float, first: int) -> list[dict]:
    """A representation as grouped elements, as the page's "Insert representation" makes them
    (static/src/_excalidraw-repr.js, from the same drawing model: collab.maths.drawing.shapes), its top left corner
    at (x, y), stacked from position `first`."""
    from collab.maths import drawing, representations

    scale = 1.25
    size = 16
    group = secrets.token_hex(5)
    kind = str(attrs.get("kind"))
    common = {"strokeColor": drawing.INK, "strokeWidth": 1, "groupIds": [group],
              "customData": {"representation": kind}}
    out: list[dict] = []
    for shape in drawing.shapes(attrs)[1]:
        n = first + len(out)
        if shape[0] == "rect":
            _, sx, sy, w, h, colour, dashed = shape
            out.append(element("rectangle", x + sx * scale, y + sy * scale, n, width=w * scale, height=h * scale,
                               backgroundColor=colour, strokeStyle="dashed" if dashed else "solid", **common))
        elif shape[0] == "line":
            _, x1, y1, x2, y2 = shape
            out.append(element("line", x + x1 * scale, y + y1 * scale, n,
                               points=[[0, 0], [(x2 - x1) * scale, (y2 - y1) * scale]], **common))
        elif shape[0] == "circle":
            _, cx, cy, r, colour = shape
            out.append(element("ellipse", x + (cx - r) * scale, y + (cy - r) * scale, n, width=2 * r * scale,
                               height=2 * r * scale, backgroundColor=colour, **dict(common, strokeColor=colour)))
        elif shape[0] == "text" and shape[3]:
            _, tx, ty, text, anchor, _strong = shape
            made = element("text", x + tx * scale, y + ty * scale - size, n, text=text, fontSize=size, **common)
            made["x"] -= {"middle": made["width"] / 2, "end": made["width"]}.get(anchor, 0)
            made["textAlign"] = {"middle": "center", "end": "right"}.get(anchor, "left")
            out.append(made)
    if out:
        alt = representations.text_alternative(attrs)[:200]
        out[0]["customData"] = dict(out[0]["customData"], alt=alt)
    for made in out:
        made["x"], made["y"] = round(made["x"], 2), round(made["y"], 2)
    return out
