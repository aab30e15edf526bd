"""Representations in a plan's exports: the PDF draws them (inline SVG that WeasyPrint renders, its labels as
text), the DOCX holds a picture and the text alternative, the version view shows the same SVG."""

from __future__ import annotations

import io
import re

from docx import Document
from pycrdt import Doc, XmlElement, XmlFragment

from collab.maths.representations import KINDS
from collab.plans import richtext
from collab.plans.services import document_state
from collab.realtime.store import get_store
from tests.plans.pdftext import _objects, _stream, pdf_text

LINE = {"kind": "double-number-line", **KINDS["double-number-line"], "topLabel": "Pencils",
        "top": '["0","3","6","12"]', "bottomLabel": "Cost (£)", "bottom": '["0","1.20","2.40","?"]',
        "caption": "Find the cost of 12 pencils"}


def _add(plan, user, attrs: dict) -> None:
    doc = Doc()
    doc.apply_update(document_state(plan.document_id))
    before = doc.get_state()
    with doc.transaction():
        doc.get("default", type=XmlFragment).children.append(XmlElement("representation", attrs))
    get_store().submit(plan.document_id, doc.get_update(before), user.id)


def _drawing_operators(pdf: bytes) -> int:
    """Line and rectangle operators in the page content: what a drawn double number line adds."""
    count = 0
    for body in _objects(pdf).values():
        content = _stream(body)
        count += len(re.findall(rb"\b(?:re|l)\b", content))
    return count


def test_the_pdf_draws_a_double_number_line_with_its_labels(app, client, world, plan, login_as):
    login_as(world.colleague)
    without = client.get(f"/plans/{plan.id}/export.pdf").data
    _add(plan, world.advocate, LINE)
    html = richtext.to_html(richtext.load(document_state(plan.document_id)))
    assert '<figure class="representation"><svg xmlns="http://www.w3.org/2000/svg"' in html
    assert "<line " in html and "Find the cost of 12 pencils" in html
    response = client.get(f"/plans/{plan.id}/export.pdf")
    assert response.status_code == 200
    # WeasyPrint places each glyph of SVG text on its own: compare without the spacing between them.
    text = "".join(pdf_text(response.data).split())
    for label in ("Pencils", "Cost(£)", "1.20", "2.40", "12", "Findthecostof12pencils"):
        assert label in text
    assert _drawing_operators(response.data) >= _drawing_operators(without) + 10  # two lines and eight ticks


def test_the_docx_holds_the_drawing_as_a_picture_and_its_text_alternative(client, world, plan, login_as):
    _add(plan, world.advocate, LINE)
    login_as(world.advocate)
    response = client.get(f"/plans/{plan.id}/export.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    assert len(document.inline_shapes) == 1
    texts = [p.text for p in document.paragraphs]
    assert "Find the cost of 12 pencils" in texts
    assert "Double number line, Pencils and Cost (£): 0 with 0; 3 with 1.20; 6 with 2.40; 12 with ?" in texts


def test_the_docx_falls_back_to_a_table_of_the_parameters_without_a_picture(app, monkeypatch):
    from collab.maths import drawing

    def cannot_draw(attrs, scale=2):
        raise OSError("no image library")

    monkeypatch.setattr(drawing, "png", cannot_draw)
    document = Document()
    drawing.add_to_docx(document, LINE)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert cells[:2] == ["Kind", "Double number line"] and "0, 1.20, 2.40, ?" in cells


def test_the_plain_text_of_a_plan_says_what_its_drawing_shows(world, plan):
    _add(plan, world.advocate, {"kind": "ratio-table", **KINDS["ratio-table"]})
    assert "Ratio table, Flour (g) and Sugar (g): 200 with 150" in richtext.to_text(
        richtext.load(document_state(plan.document_id)))


def test_a_version_holding_a_drawing_is_shown_and_restored_with_it(client, world, plan, login_as):
    from collab.plans import history

    _add(plan, world.advocate, LINE)
    version = history.save_named_version(plan, world.lead, "With the line")
    _add(plan, world.advocate, {"kind": "array", "rows": "2", "columns": "5"})
    login_as(world.advocate)
    page = client.get(f"/plans/{plan.id}/versions/{version.id}").text
    assert 'role="img" aria-label="Double number line, Pencils and Cost (£)' in page and "Array of" not in page
    assert client.post(f"/plans/{plan.id}/versions/{version.id}/restore").status_code == 302
    kinds = [n.attrs["kind"] for n in richtext.load(document_state(plan.document_id))
             if isinstance(n, richtext.Node) and n.tag == "representation"]
    assert kinds == ["double-number-line"]
