"""Observation notes with $...$ maths: the visit summary draws it, on the page and in its PDF."""

from __future__ import annotations

from tests.observations.helpers import add_note, record_for
from tests.plans.pdftext import pdf_text


def test_a_notes_maths_is_drawn_in_the_summary_and_its_pdf(client, world, visit, login_as):
    add_note(record_for(visit, world.advocate), r"Most wrote $\frac{3}{4}$ of 12 as 9, in the ratio $3:1$ <b>")
    login_as(world.lead)
    page = client.get(f"/visits/{visit.id}/summary").get_data(as_text=True)
    assert '<span class="m-num">3</span><span class="m-den">4</span>' in page and "&lt;b&gt;" in page
    lines = [line.strip() for line in pdf_text(client.get(f"/visits/{visit.id}/summary.pdf").data).splitlines()]
    text = " ".join(" ".join(lines).split())
    assert "Most wrote" in text and "of 12 as 9, in the ratio 3 : 1 <b>" in text
    assert any(line.endswith("3") for line in lines) and any(line.startswith("4") for line in lines)
