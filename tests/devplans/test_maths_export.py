"""A development plan's formulas (the editors' inlineMath/blockMath nodes) in its PDF, drawn without JavaScript."""

from __future__ import annotations

from pycrdt import Doc, XmlElement, XmlFragment

from collab.devplans.plan.services import document_state
from collab.realtime.store import get_store
from tests.conftest import sign_in
from tests.plans.pdftext import pdf_text


def test_the_pdf_shows_a_development_plans_formulas(client, world, devplan):
    doc = Doc()
    doc.apply_update(document_state(devplan))
    before = doc.get_state()
    with doc.transaction():
        section = doc.get("default", type=XmlFragment).children[1]
        section.children.append(XmlElement("inlineMath", {"latex": "2:3"}))
        doc.get("default", type=XmlFragment).children.insert(2, XmlElement("blockMath", {"latex": r"\frac{3}{4}"}))
    get_store().submit(devplan.document_id, doc.get_update(before), world.advocate.id)
    sign_in(client, world.advocate)
    response = client.get(f"/devplans/{devplan.id}/export.pdf")
    assert response.status_code == 200
    lines = [line.strip() for line in pdf_text(response.data).splitlines() if line.strip()]
    assert "2:3" in "".join(lines).replace(" ", "")  # the ratio's spacing is KaTeX-like glue: extractors differ
    assert "3" in lines and "4" in lines  # the fraction, stacked: numerator and denominator on lines of their own
