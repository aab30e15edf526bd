"""Demo content for lesson plans: the co-planned Year 8 ratio lesson, part written by three teachers."""

from __future__ import annotations

from pycrdt import Doc, XmlElement, XmlFragment, XmlText

from collab.extensions import db
from collab.plans.services import FRAGMENT_NAME, create_plan, document_doc
from collab.realtime.models import DocumentUpdate

# Section heading -> text, and who wrote it (so the history shows several contributors).
CONTENT = {
    "Learning outcome": ("Pupils can use a ratio table to find missing values in proportional situations "
                         "and explain why multiplying both quantities keeps the ratio.", "lead@example.org"),
    "Prior knowledge": ("Multiplication and division facts; scaling from KS2 (Year 6: 'scale a recipe'); "
                        "equivalent fractions.", "jo@example.org"),
    "Key vocabulary": ("ratio, proportion, scale factor, multiplier, ratio table, double number line",
                       "jo@example.org"),
    "Representations and structures": ("Double number line first, then the ratio table. Bar model for the "
                                       "part–whole relationship.", "ben@example.org"),
    "Anchor task": ("3 pencils cost £1.20. How much do 12 pencils cost? How many different ways can you "
                    "find out?", "lead@example.org"),
    "Anticipated misconceptions and responses": ("Additive reasoning (adding 9 to both: 12 pencils cost "
                                                 "£10.20). Response: return to the double number line and ask "
                                                 "what 6 pencils would cost.", "ben@example.org"),
}


def add_demo_plan(demo) -> None:
    """A plan in progress for the co-planning session, linked to the Year 8 observation visit."""
    lead = demo.people["lead@example.org"]
    session = next(s for s in demo.sessions if s.title.startswith("Year 8 ratio lesson"))
    db.session.flush()
    plan = create_plan(lead, demo.group, "Year 8: ratio tables and the double number line",
                       year_group="Year 8", key_stage="KS3", topic="Ratio and proportion", session=session)
    doc: Doc = document_doc(plan.document_id)  # edits must build on the stored template, not a new copy
    fragment = doc.get(FRAGMENT_NAME, type=XmlFragment)
    for heading, (text, email) in CONTENT.items():
        before = doc.get_state()
        paragraph = _paragraph_after(fragment, heading)
        if paragraph is None:
            continue
        paragraph.children.append(XmlText(text))
        db.session.add(DocumentUpdate(document_id=plan.document_id, data=doc.get_update(before),
                                      user_id=demo.people[email].id))
    _add_anticipated(doc, fragment, plan.document_id, demo.people["ben@example.org"].id)
    _add_representations(doc, fragment, plan.document_id, demo.people["ben@example.org"].id)
    _add_notation(doc, fragment, plan.document_id, demo.people["jo@example.org"].id)
    db.session.commit()


# More anticipated misconceptions (a list under the first), and the case pupils' predictions: the visit copies both
# as the items its observers tag (collab/observations/anticipated/), and its case pupils from the predictions.
MORE_ANTICIPATED = [
    "Divides the wrong way for one pencil (3 ÷ 1.20). Response: is one pencil more or less than £1?",
    "Scales the pencils by 4 but not the cost. Response: arrows on both rows of the ratio table.",
]


def _bullets(texts: list[str]) -> XmlElement:
    return XmlElement("bulletList", None, [XmlElement("listItem", None, [XmlElement("paragraph", None, [XmlText(t)])])
                                           for t in texts])


def _add_anticipated(doc: Doc, fragment: XmlFragment, document_id: int, user_id: int) -> None:
    from collab.demo.observations import YEAR8_PUPILS

    before = doc.get_state()
    with doc.transaction():
        paragraph = _paragraph_after(fragment, "Anticipated misconceptions and responses")
        if paragraph is not None:
            fragment.children.insert(list(fragment.children).index(paragraph) + 1, _bullets(MORE_ANTICIPATED))
        paragraph = _paragraph_after(fragment, "Case pupils and predictions")
        if paragraph is not None:
            at = list(fragment.children).index(paragraph)
            del fragment.children[at]  # the template's empty paragraph
            fragment.children.insert(at, _bullets([f"{label}: {text}" for label, text in YEAR8_PUPILS.items()]))
    db.session.add(DocumentUpdate(document_id=document_id, data=doc.get_update(before), user_id=user_id))


# The anchor task drawn twice, as the plan says: a double number line first, then the ratio table.
DOUBLE_NUMBER_LINE = {"kind": "double-number-line", "topLabel": "Pencils", "top": '["0","3","6","12"]',
                      "bottomLabel": "Cost (£)", "bottom": '["0","1.20","2.40","?"]',
                      "caption": "What would 6 pencils cost? And 12?"}
RATIO_TABLE = {"kind": "ratio-table", "topLabel": "Pencils", "top": '["3","1","12"]',
               "bottomLabel": "Cost (£)", "bottom": '["1.20","0.40","?"]',
               "caption": "Through one pencil: divide both by 3, then multiply both by 12"}


def _add_representations(doc: Doc, fragment: XmlFragment, document_id: int, user_id: int) -> None:
    """A double number line and a ratio table after "Representations and structures" (one attribute per
    parameter, as the editor writes them: collab.maths.representations)."""
    paragraph = _paragraph_after(fragment, "Representations and structures")
    if paragraph is None:
        return
    at = list(fragment.children).index(paragraph) + 1
    before = doc.get_state()
    with doc.transaction():
        fragment.children.insert(at, XmlElement("representation", DOUBLE_NUMBER_LINE))
        fragment.children.insert(at + 1, XmlElement("representation", RATIO_TABLE))
    db.session.add(DocumentUpdate(document_id=document_id, data=doc.get_update(before), user_id=user_id))


# The anchor task's answer in maths notation, as the maths input writes it (@tiptap/extension-mathematics nodes).
NOTATION = [("In symbols: ", None), ("", "3 : 1.20 = 12 : 4.80"), (", since one pencil costs ", None),
            ("", r"\frac{1.20}{3} = 0.40"), (" pounds and ", None), ("", r"12 \times 0.40 = 4.80"),
            (". Equivalent fractions say the same: ", None), ("", r"\frac{3}{12} = \frac{1}{4}"), (".", None)]


def _add_notation(doc: Doc, fragment: XmlFragment, document_id: int, user_id: int) -> None:
    """A paragraph with a ratio and fractions after the anchor task's text."""
    paragraph = _paragraph_after(fragment, "Anchor task")
    if paragraph is None:
        return
    before = doc.get_state()
    with doc.transaction():
        added = fragment.children.insert(list(fragment.children).index(paragraph) + 1, XmlElement("paragraph"))
        for text, latex in NOTATION:
            added.children.append(XmlText(text) if latex is None else XmlElement("inlineMath", {"latex": latex}))
    db.session.add(DocumentUpdate(document_id=document_id, data=doc.get_update(before), user_id=user_id))


def _paragraph_after(fragment: XmlFragment, heading: str) -> XmlElement | None:
    children = list(fragment.children)
    for index, node in enumerate(children[:-1]):
        if isinstance(node, XmlElement) and node.tag == "heading" and str(node.children[0]) == heading:
            following = children[index + 1]
            return following if isinstance(following, XmlElement) and following.tag == "paragraph" else None
    return None
