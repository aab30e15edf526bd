"""Demo content for the "exploring maths together" session: its workspace with the task "Which is the better buy?"
(with maths notation), a board in progress (a double number line drawn, working written, a circled answer) and a
first thing the group noticed. The board holds Excalidraw elements, as the page writes them
(collab/workspace/board.py): the double number line is the one "Insert representation" places."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pycrdt import XmlElement, XmlFragment, XmlText

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

# The double number line Jo placed (collab.maths.representations parameters) and where.
NUMBER_LINE = ({"kind": "double-number-line", "topLabel": "Pens", "top": '["0","6","30"]', "bottomLabel": "Cost (£)",
                "bottom": '["0","4.20","21.00"]', "caption": "6 pens for £4.20, scaled to 30 pens"}, 40, 140)
# (type, x, y, fields, who drew it), after the number line
BOARD = [
    ("freedraw", 190, 60, {"points": [[0, 60], [70, 20], [160, 8], [260, 20], [340, 60]], "strokeColor": "#b91c1c"},
     "jo@example.org"),
    ("text", 330, 36, {"text": "×5", "strokeColor": "#b91c1c", "fontFamily": 5, "fontSize": 28},  # Excalifont
     "jo@example.org"),
    ("rectangle", 700, 120, {"width": 360, "height": 150, "strokeColor": "#047857"}, "ben@example.org"),
    ("text", 720, 150, {"text": "4.20 ÷ 6 = 0.70", "strokeColor": "#047857"}, "ben@example.org"),
    ("text", 720, 210, {"text": "6.50 ÷ 10 = 0.65", "strokeColor": "#047857"}, "ben@example.org"),
    ("ellipse", 822, 198, {"width": 62, "height": 42, "strokeColor": "#b91c1c", "backgroundColor": "transparent"},
     "ben@example.org"),
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
    whiteboard = doc.get(board.BOARD, type=XmlFragment)
    attrs, x, y = NUMBER_LINE
    drawn = board.representation_elements(attrs, x, y, 0)
    drawn += [board.element(kind, x, y, len(drawn) + n, **fields) for n, (kind, x, y, fields, _) in enumerate(BOARD)]
    authors = ["jo@example.org"] * (len(drawn) - len(BOARD)) + [email for *_, email in BOARD]
    for made, email in zip(drawn, authors, strict=True):
        before = doc.get_state()
        with doc.transaction():
            board.add_element(whiteboard, made)
        demo_update(workspace.document_id, doc.get_update(before), demo.people[email].id)
    noticed = _paragraph_after(fragment, board.NOTICED_HEADING)
    if noticed is not None:
        before = doc.get_state()
        noticed.children.append(XmlText(NOTICED))
        demo_update(workspace.document_id, doc.get_update(before), demo.people["jo@example.org"].id)


def demo_update(document_id: int, data: bytes, user_id: int) -> None:
    from collab.extensions import db

    db.session.add(DocumentUpdate(document_id=document_id, data=data, user_id=user_id))
