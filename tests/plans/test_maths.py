"""Maths in a plan: the nodes of @tiptap/extension-mathematics in the shared document, checked when an edit
arrives, and shown in the version view and the PDF and DOCX exports."""

from __future__ import annotations

import io
import zipfile

import pytest
from pycrdt import Doc, XmlElement, XmlFragment, XmlText

from collab.plans import richtext
from collab.plans.services import document_state
from collab.realtime.store import get_store
from collab.realtime.yupdates import Malformed
from tests.plans.pdftext import pdf_text


def _edit(plan, user, change) -> None:
    """Make `change(fragment)` in a copy of the plan's document and submit it, as the editor would."""
    doc = Doc()
    doc.apply_update(document_state(plan.document_id))
    before = doc.get_state()
    fragment = doc.get("default", type=XmlFragment)
    with doc.transaction():
        change(fragment)
    get_store().submit(plan.document_id, doc.get_update(before), user.id)


def _add_maths_paragraph(fragment, latex: str, words: str = "Share 35 sweets in the ratio ") -> None:
    paragraph = fragment.children.append(XmlElement("paragraph"))
    paragraph.children.append(XmlText(words))
    paragraph.children.append(XmlElement("inlineMath", {"latex": latex}))
    paragraph.children.append(XmlText(" please."))


def _maths_nodes(fragment) -> list[XmlElement]:
    found = []
    for child in fragment.children:
        if isinstance(child, XmlElement):
            found += [child] if child.tag in ("inlineMath", "blockMath") else _maths_nodes(child)
    return found


def test_a_formula_in_a_plan_is_kept_and_read_as_maths(world, plan):
    _edit(plan, world.advocate, lambda f: _add_maths_paragraph(f, "2:3"))
    _edit(plan, world.advocate, lambda f: f.children.append(XmlElement("blockMath", {"latex": r"\frac{3}{4}"})))
    body = richtext.load(document_state(plan.document_id))
    text = richtext.to_text(body)
    assert "Share 35 sweets in the ratio 2 : 3 please." in text and "3/4" in text
    html = richtext.to_html(body)
    assert '<span class="m-frac"><span class="m-num">3</span><span class="m-den">4</span></span>' in html
    assert 'class="maths maths-display"' in html


@pytest.mark.parametrize("tag", ["inlineMath", "blockMath"])
def test_a_new_formula_with_a_link_in_it_is_refused_and_changes_nothing(world, plan, tag):
    before = document_state(plan.document_id)
    with pytest.raises(Malformed):
        _edit(plan, world.advocate,
              lambda f: f.children.append(XmlElement(tag, {"latex": r"\href{javascript:alert(1)}{\frac{1}{2}}"})))
    assert document_state(plan.document_id) == before


def test_changing_a_formula_to_hold_script_is_refused(world, plan):
    _edit(plan, world.advocate, lambda f: _add_maths_paragraph(f, r"\frac{1}{2}"))
    get_store().forget(plan.document_id)  # the node is found again in the document as loaded from the log
    with pytest.raises(Malformed):
        _edit(plan, world.advocate, lambda f: _maths_nodes(f)[0].attributes.__setitem__("latex", "<script>x</script>"))
    _edit(plan, world.advocate, lambda f: _maths_nodes(f)[0].attributes.__setitem__("latex", r"\frac{1}{3}"))
    assert "1/3" in richtext.to_text(richtext.load(document_state(plan.document_id)))


def test_a_latex_attribute_on_another_node_is_not_checked_as_maths(world, plan):
    _edit(plan, world.advocate, lambda f: f.children.append(XmlElement("paragraph", {"latex": r"\href{x}{y}"})))


def test_the_pdf_shows_a_fraction_and_a_ratio(client, world, plan, login_as):
    _edit(plan, world.advocate, lambda f: _add_maths_paragraph(f, "2:3"))
    _edit(plan, world.advocate, lambda f: _add_maths_paragraph(f, r"\frac{3}{4}", "Each person gets "))
    login_as(world.colleague)
    response = client.get(f"/plans/{plan.id}/export.pdf")
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert "Share 35 sweets in the ratio 2 : 3 please." in " ".join(text.split())
    assert "Each person gets" in text
    lines = [line.strip() for line in text.splitlines()]
    assert any(line.endswith("3") for line in lines) and any(line.startswith("4") for line in lines)  # stacked


def test_the_docx_holds_word_equations_for_the_maths(client, world, plan, login_as):
    _edit(plan, world.advocate, lambda f: _add_maths_paragraph(f, r"\frac{3}{4}"))
    _edit(plan, world.advocate, lambda f: f.children.append(XmlElement("blockMath", {"latex": "x^{2}"})))
    login_as(world.colleague)
    response = client.get(f"/plans/{plan.id}/export.docx")
    assert response.status_code == 200
    xml = zipfile.ZipFile(io.BytesIO(response.data)).read("word/document.xml").decode()
    assert "<m:oMath" in xml and "<m:f>" in xml and "<m:sSup>" in xml
    assert "Share 35 sweets in the ratio " in xml


def test_the_version_view_shows_the_maths_drawn_on_the_server(client, world, plan, login_as):
    _edit(plan, world.advocate, lambda f: _add_maths_paragraph(f, r"\frac{3}{4}"))
    login_as(world.advocate)
    page = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert '<span class="m-num">3</span>' in page  # the copy for people without JavaScript
