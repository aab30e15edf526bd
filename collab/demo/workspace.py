"""Demo content for the "exploring maths together" session: its workspace with the task "Which is the better buy?"
(with maths notation), a board in progress (a double number line drawn, working written, a circled answer) and a
first thing the group noticed. The board items are the structure static/src/_board.js reads
(collab/workspace/board.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pycrdt import Map, XmlElement, XmlFragment, XmlText

from collab.demo.plans import _paragraph_after
from collab.plans import richtext
from collab.plans.services import document_doc
from collab.realtime.models import DocumentUpdate
from collab.sessions.models import SessionKind
from collab.workspace import board

if TYPE_CHECKING:
    from collab.demo.load import Demo

TASK = [("Which is the better buy: 6 pens for £4.20 or 10 pens for £6.50? Show it in two ways, for example ", None),
        ("", r"\frac{4.20}{6}"), (" and ", None), ("", r"\frac{6.50}{10}"),
        (", then on a double number line. What would you ask a pupil who says the 10 pens, because 10 > 6?", None)]
NOTICED = ("Most of us went to the unit price first (£0.70 and £0.65 a pen); Jo scaled both to 30 pens "
           "(£21 and £19.50), which avoids the decimals.")

# (kind, fields, who drew it)
BOARD = [
    ("line", {"x": 0, "y": 0, "points": [80, 200, 700, 200], "colour": "#1f2937"}, "lead@example.org"),
    ("line", {"x": 0, "y": 0, "points": [80, 300, 700, 300], "colour": "#1f2937"}, "lead@example.org"),
    ("text", {"x": 30, "y": 190, "text": "pens", "colour": "#1f2937"}, "lead@example.org"),
    ("text", {"x": 30, "y": 330, "text": "£", "colour": "#1f2937"}, "lead@example.org"),
    ("text", {"x": 250, "y": 185, "text": "6", "colour": "#1d4ed8"}, "jo@example.org"),
    ("text", {"x": 230, "y": 330, "text": "4.20", "colour": "#1d4ed8"}, "jo@example.org"),
    ("text", {"x": 600, "y": 185, "text": "30", "colour": "#1d4ed8"}, "jo@example.org"),
    ("text", {"x": 580, "y": 330, "text": "21.00", "colour": "#1d4ed8"}, "jo@example.org"),
    ("stroke", {"x": 0, "y": 0, "points": [260, 160, 330, 120, 420, 110, 520, 120, 600, 160],
                "colour": "#b91c1c"}, "jo@example.org"),
    ("text", {"x": 400, "y": 100, "text": "×5", "colour": "#b91c1c"}, "jo@example.org"),
    ("rect", {"x": 760, "y": 120, "w": 360, "h": 150, "colour": "#047857"}, "ben@example.org"),
    ("text", {"x": 780, "y": 170, "text": "4.20 ÷ 6 = 0.70", "colour": "#047857"}, "ben@example.org"),
    ("text", {"x": 780, "y": 220, "text": "6.50 ÷ 10 = 0.65", "colour": "#047857"}, "ben@example.org"),
    ("ellipse", {"x": 944, "y": 190, "w": 84, "h": 42, "colour": "#b91c1c"}, "ben@example.org"),
]


def add_demo_workspace(demo: Demo) -> None:
    session = next((s for s in demo.sessions if s.kind == SessionKind.EXPLORING), None)
    if session is None:
        return
    lead = demo.people["lead@example.org"]
    workspace = board.create_workspace(lead, session)
    doc = document_doc(workspace.document_id)  # build on the stored headings
    fragment = doc.get(richtext.FIELD, type=XmlFragment)
    task = _paragraph_after(fragment, board.TASK_HEADING)
    if task is not None:
        before = doc.get_state()
        with doc.transaction():
            for text, latex in TASK:
                task.children.append(XmlText(text) if latex is None else XmlElement("inlineMath", {"latex": latex}))
        demo_update(workspace.document_id, doc.get_update(before), lead.id)
    items = doc.get(board.BOARD, type=Map)
    for z, (kind, fields, email) in enumerate(BOARD, start=1):
        before = doc.get_state()
        with doc.transaction():
            board.add_item(items, kind=kind, z=z, **fields)
        demo_update(workspace.document_id, doc.get_update(before), demo.people[email].id)
    noticed = _paragraph_after(fragment, board.NOTICED_HEADING)
    if noticed is not None:
        before = doc.get_state()
        noticed.children.append(XmlText(NOTICED))
        demo_update(workspace.document_id, doc.get_update(before), demo.people["jo@example.org"].id)


def demo_update(document_id: int, data: bytes, user_id: int) -> None:
    from collab.extensions import db

    db.session.add(DocumentUpdate(document_id=document_id, data=data, user_id=user_id))
