"""The demo plan writes its anchor task's answer in maths notation: a ratio and fractions, valid and exported."""

from __future__ import annotations

from collab.extensions import db
from collab.maths import notation
from collab.plans import richtext
from collab.plans.models import LessonPlan
from collab.plans.services import document_state


def _formulas(nodes) -> list[str]:
    found = []
    for node in nodes:
        if isinstance(node, richtext.Node):
            found += [node.attrs["latex"]] if node.tag == "inlineMath" else _formulas(node.children)
    return found


def test_the_demo_plan_holds_a_ratio_and_fractions_that_pass_the_check(demo):
    plan = db.session.query(LessonPlan).filter_by(title="Year 8: ratio tables and the double number line").one()
    body = richtext.load(document_state(plan.document_id))
    formulas = _formulas(body)
    assert "3 : 1.20 = 12 : 4.80" in formulas and r"\frac{3}{12} = \frac{1}{4}" in formulas
    for latex in formulas:
        notation.check(latex)
    assert "In symbols: 3 : 1.20 = 12 : 4.80, since one pencil costs 1.20/3 = 0.40 pounds" in richtext.to_text(body)
