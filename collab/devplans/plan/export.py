"""A development plan as PDF with its comments, made with the lesson plans' PDF approach (collab.plans.export:
WeasyPrint, on the server, with no network access).

Comments are staff-only but may name pupils: the export is for people who may read the plan (the view checks,
as for the page), and it lists every thread, open and resolved, after the text with author, date and state.
"""

from __future__ import annotations

from flask import render_template

from collab.devplans.models import DevPlan
from collab.plans import richtext
from collab.plans.export import html_pdf, xml_text
from collab.timeutil import uk_date
from collab.types import utcnow


def meta(plan: DevPlan) -> list[tuple[str, str]]:
    department = plan.department
    rows = [("School", department.school.name), ("Department", department.name), ("Exported", uk_date(utcnow()))]
    return [(k, xml_text(v)) for k, v in rows if v]


def devplan_pdf(plan: DevPlan, state: bytes, threads: list[dict]) -> bytes:
    """The plan's text from `state`, then `threads` (collab.devplans.comments.views.threads) numbered in order."""
    body = richtext.to_html(richtext.load(state))  # a development plan has no images: nothing to fetch
    html = render_template("devplans/export_pdf.html", plan=plan, meta=meta(plan), body=body, threads=threads)
    return html_pdf(html)
