"""Exports: PDF and DOCX made on the server with the plan's text, for readers only."""

from __future__ import annotations

import io

from docx import Document
from PIL import Image

from tests.plans.conftest import type_paragraph
from tests.plans.pdftext import pdf_text


def test_the_pdf_contains_the_plan_text_and_title_block(client, world, plan, login_as):
    type_paragraph(plan, "Share 35 sweets in the ratio 3 : 4", world.advocate)
    login_as(world.colleague)
    response = client.get(f"/plans/{plan.id}/export.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert 'filename="year-8-ratio-sharing-in-a-ratio.pdf"' in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    for expected in ("Share 35 sweets in the ratio 3 : 4", "Learning outcome", world.group.project_code, "Year 8",
                     "Ratio"):
        assert expected in text


def test_the_pdf_includes_uploaded_images_without_fetching_anything_else(client, world, plan, login_as):
    from pycrdt import Doc, XmlElement, XmlFragment

    from collab.plans.services import document_state
    from collab.realtime.store import get_store

    login_as(world.advocate)
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (0, 120, 0)).save(out, "PNG")
    url = client.post(f"/plans/{plan.id}/images", data={"image": (io.BytesIO(out.getvalue()), "a.png")},
                      content_type="multipart/form-data").json["url"]
    doc = Doc()
    doc.apply_update(document_state(plan.document_id))
    sv = doc.get_state()
    fragment = doc.get("default", type=XmlFragment)
    with doc.transaction():
        fragment.children.append(XmlElement("image", {"src": url, "alt": "pupil work"}))
        fragment.children.append(XmlElement("image", {"src": "http://example.com/tracker.png"}))
    get_store().submit(plan.document_id, doc.get_update(sv), world.advocate.id)
    response = client.get(f"/plans/{plan.id}/export.pdf")
    assert response.status_code == 200 and b"/Subtype /Image" in response.data


def test_the_docx_contains_headings_text_and_formatting(client, world, plan, login_as):
    type_paragraph(plan, "Use a bar model", world.advocate, {"bold": {}})
    login_as(world.advocate)
    response = client.get(f"/plans/{plan.id}/export.docx")
    assert response.status_code == 200 and response.headers["Content-Disposition"].endswith('.docx"')
    document = Document(io.BytesIO(response.data))
    paragraphs = {p.text: p for p in document.paragraphs}
    assert "Year 8 ratio: sharing in a ratio" in paragraphs
    assert paragraphs["Learning outcome"].style.name.startswith("Heading")
    assert paragraphs["Use a bar model"].runs[0].bold
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert world.group.project_code in cells


def test_a_table_in_the_plan_becomes_a_table_in_the_docx_and_pdf(client, world, plan, login_as):
    from pycrdt import Doc, XmlElement, XmlFragment, XmlText

    from collab.plans.services import document_state
    from collab.realtime.store import get_store

    doc = Doc()
    doc.apply_update(document_state(plan.document_id))
    sv = doc.get_state()
    fragment = doc.get("default", type=XmlFragment)
    with doc.transaction():
        table = fragment.children.append(XmlElement("table"))
        for cells in (("Step", "Question"), ("1", "What is 3 : 4 as a fraction?")):
            row = table.children.append(XmlElement("tableRow"))
            for text in cells:
                cell = row.children.append(XmlElement("tableCell"))
                cell.children.append(XmlElement("paragraph")).children.append(XmlText()).insert(0, text)
    get_store().submit(plan.document_id, doc.get_update(sv), world.advocate.id)
    login_as(world.advocate)
    document = Document(io.BytesIO(client.get(f"/plans/{plan.id}/export.docx").data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "What is 3 : 4 as a fraction?" in cells
    pdf = client.get(f"/plans/{plan.id}/export.pdf").data
    assert "What is 3 : 4 as a fraction?" in pdf_text(pdf)


XML_INVALID = "".join(chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


def test_control_characters_in_the_plan_are_left_out_of_the_docx(client, world, plan, login_as):
    type_paragraph(plan, f"Share{XML_INVALID} 35 sweets", world.advocate)
    login_as(world.advocate)
    response = client.get(f"/plans/{plan.id}/export.docx")
    assert response.status_code == 200
    assert "Share 35 sweets" in [p.text for p in Document(io.BytesIO(response.data)).paragraphs]


def test_control_characters_in_the_plan_are_left_out_of_the_pdf(client, world, plan, login_as):
    type_paragraph(plan, f"Share{XML_INVALID} 35 sweets", world.advocate)
    login_as(world.advocate)
    response = client.get(f"/plans/{plan.id}/export.pdf")
    assert response.status_code == 200
    assert "Share 35 sweets" in pdf_text(response.data)


def test_control_characters_in_the_plans_title_are_left_out_of_the_docx(client, world, login_as):
    from collab.plans.services import create_plan

    plan = create_plan(world.lead, world.group, "Ratio\x07 lesson", topic="Ratio\x1b")
    login_as(world.advocate)
    response = client.get(f"/plans/{plan.id}/export.docx")
    assert response.status_code == 200
    assert "Ratio lesson" in [p.text for p in Document(io.BytesIO(response.data)).paragraphs]


def test_xml_text_drops_what_xml_cannot_hold_and_keeps_the_rest():
    from collab.plans.export import xml_text

    assert xml_text(f"a{XML_INVALID}\ud800\udfff\ufffe\uffffb\tc\nd\re é 😀") == "ab\tc\nd\re é 😀"
