"""A plan as PDF (WeasyPrint) and DOCX (python-docx), made on the server with no network access."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from flask import current_app, render_template

from collab.maths import notation
from collab.plans import richtext
from collab.plans.models import LessonPlan, PlanImage
from collab.timeutil import uk_date
from collab.types import utcnow
from collab.web.lookups import get_or_none, parse_id

IMAGE_PATH = re.compile(r"^/plans/(\d+)/images/(\d+)$")
BASE_URL = "https://collab.invalid/"  # never fetched: the fetcher below answers every request itself
# What XML 1.0 cannot hold: control characters but tab, newline and carriage return; surrogates; U+FFFE, U+FFFF.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """`text` without the characters XML cannot hold. python-docx (lxml) refuses them, so one control character
    typed or pasted into a plan made its DOCX export fail for good, and WeasyPrint prints them as junk. Every
    export path sends its text through here (the plan's, and collab.observations.summary.pdf's summary)."""
    return XML_INVALID.sub("", text)


def upload_folder() -> Path:
    return Path(current_app.config["COLLAB_UPLOAD_DIR"]) / "plans"


def image_file(plan: LessonPlan, src: str) -> PlanImage | None:
    """The stored image an <img src> points at, if it is one of this plan's images."""
    match = IMAGE_PATH.match(urlsplit(src).path)
    if not match or parse_id(match[1]) != plan.id:  # \d+ is any length, and any script's digits
        return None
    image = get_or_none(PlanImage, parse_id(match[2]))
    return image if image is not None and image.plan_id == plan.id else None


class Titled(Protocol):
    id: int
    title: str


def filename_for(plan: Titled, extension: str) -> str:
    """A safe download name from the title (a lesson plan's or a development plan's)."""
    ascii_title = unicodedata.normalize("NFKD", plan.title).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9]+", "-", ascii_title).strip("-").lower()[:80] or f"plan-{plan.id}"
    return f"{stem}.{extension}"


def local_images_only(plan: LessonPlan, folder: Path):
    """A WeasyPrint URL fetcher that serves the plan's uploaded images from disk and refuses everything else
    (no network, no files). WeasyPrint is imported here, not at import time, so a real-time worker that never
    exports does not carry it (a smaller heap for the garbage collector; docs/performance.md)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalImagesOnly(URLFetcher):
        def __init__(self) -> None:
            super().__init__()
            self.plan, self.folder = plan, folder

        def fetch(self, url, headers=None):
            image = image_file(self.plan, url)
            if image is None:
                raise ValueError(f"not fetched in an export: {url}")
            return URLFetcherResponse(url, body=(self.folder / image.filename).read_bytes(),
                                      headers={"Content-Type": image.content_type})

    return LocalImagesOnly()


def _meta(plan: LessonPlan) -> list[tuple[str, str]]:
    group = plan.work_group
    rows = [("Work Group", f"{group.title}"), ("Project code", group.project_code),
            ("Year group", plan.year_group), ("Key stage", plan.key_stage), ("Topic", plan.topic),
            ("Session", plan.session.title if plan.session else ""), ("Exported", uk_date(utcnow()))]
    return [(k, xml_text(v)) for k, v in rows if v]


def plan_pdf(plan: LessonPlan, state: bytes) -> bytes:
    body = richtext.to_html(richtext.load(state), image_src=lambda src: src if image_file(plan, src) else None)
    html = render_template("plans/export_pdf.html", plan=plan, meta=_meta(plan), body=body)
    return html_pdf(html, local_images_only(plan, upload_folder()))


def fetch_nothing():
    """A WeasyPrint URL fetcher that refuses every URL: for exports with no images of their own."""
    from weasyprint.urls import URLFetcher

    class FetchNothing(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError(f"not fetched in an export: {url}")

    return FetchNothing()


def html_pdf(html: str, url_fetcher=None) -> bytes:
    """A PDF of an export page, made with no network access (every export's PDF comes through here)."""
    from weasyprint import HTML  # imported on use: see local_images_only

    document = HTML(string=xml_text(html), base_url=BASE_URL, url_fetcher=url_fetcher or fetch_nothing())
    return document.write_pdf()


# --- DOCX -------------------------------------------------------------------------------------------

def plan_docx(plan: LessonPlan, state: bytes) -> bytes:
    from docx import Document  # imported on use, like WeasyPrint
    from docx.shared import Pt

    doc = Document()
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading(xml_text(plan.title), level=0)
    meta = doc.add_table(rows=0, cols=2)
    meta.style = "Table Grid"
    for label, value in _meta(plan):
        cells = meta.add_row().cells
        cells[0].text, cells[1].text = label, value
        for run in cells[0].paragraphs[0].runs:
            run.bold = True
    doc.add_paragraph()
    _DocxWriter(doc, plan).blocks(richtext.load(state))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


class _DocxWriter:
    def __init__(self, doc, plan: LessonPlan):
        self.doc, self.plan = doc, plan

    def blocks(self, nodes, container=None, list_style: str | None = None, depth: int = 0) -> None:
        container = container or self.doc
        for node in nodes:
            if isinstance(node, richtext.Text):
                self.runs(container.add_paragraph(), [node])
            elif node.tag == "heading":
                level = min(max(richtext._attr_int(node.attrs, "level", 2), 1), 9)
                self.runs(self._heading(container, level), node.children)
            elif node.tag in ("bulletList", "orderedList"):
                style = "List Bullet" if node.tag == "bulletList" else "List Number"
                self.blocks(node.children, container, style, depth + 1)
            elif node.tag == "listItem":
                for i, child in enumerate(node.children):
                    if i == 0 and isinstance(child, richtext.Node) and child.tag == "paragraph":
                        style = list_style or "List Bullet"
                        if depth > 1:
                            style = f"{style} {min(depth, 3)}"
                        self.runs(container.add_paragraph(style=style), child.children)
                    else:
                        self.blocks([child], container, list_style, depth)
            elif node.tag == "table":
                self.table(node, container)
            elif node.tag == "image":
                self.image(node, container)
            elif node.tag == richtext.REPRESENTATION:
                from collab.maths.drawing import add_to_docx  # on use, like python-docx

                add_to_docx(container, node.attrs)
            elif node.tag == "horizontalRule":
                container.add_paragraph("—" * 20)
            elif node.tag == "blockMath":
                self.maths(container.add_paragraph(), node)
            elif node.tag in ("paragraph", "codeBlock", "blockquote") and all(
                    isinstance(c, richtext.Text) or c.tag in ("hardBreak", "inlineMath") for c in node.children):
                self.runs(container.add_paragraph(), node.children)
            else:
                self.blocks(node.children, container, list_style, depth)

    def _heading(self, container, level: int):
        if container is self.doc:
            return self.doc.add_heading(level=level)
        paragraph = container.add_paragraph()
        return paragraph

    def runs(self, paragraph, items) -> None:
        for item in items:
            if isinstance(item, richtext.Text):
                run = paragraph.add_run(xml_text(item.text))
                run.bold = item.marks.get("bold") is not None or None
                run.italic = item.marks.get("italic") is not None or None
                run.underline = item.marks.get("underline") is not None or None
                if item.marks.get("strike") is not None:
                    run.font.strike = True
            elif item.tag == "hardBreak":
                paragraph.add_run().add_break()
            elif item.tag == "inlineMath":
                self.maths(paragraph, item)

    def maths(self, paragraph, node) -> None:
        """A formula as a Word equation (OMML: fractions stacked, powers raised); as linear text ("3/4") should
        that fail. LaTeX the live check refuses (from an old document) is left out."""
        latex = node.attrs.get("latex")
        if not isinstance(latex, str) or not notation.is_allowed(latex):
            return
        latex = xml_text(latex)
        try:
            paragraph._p.append(notation.to_omml(latex))
        except ValueError:
            paragraph.add_run(xml_text(notation.to_text(latex)))

    def table(self, node, container) -> None:
        rows = [r for r in node.children if isinstance(r, richtext.Node) and r.tag == "tableRow"]
        if not rows:
            return
        width = max(len(r.children) for r in rows)
        table = container.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, cell_node in enumerate(row.children):
                cell = table.cell(r, c)
                cell.paragraphs[0].text = ""
                first = cell.paragraphs[0]
                for i, child in enumerate(cell_node.children):
                    if i == 0 and isinstance(child, richtext.Node) and child.tag == "paragraph":
                        self.runs(first, child.children)
                    else:
                        self.blocks([child], cell)
                if cell_node.tag == "tableHeader":
                    for run in first.runs:
                        run.bold = True

    def image(self, node, container) -> None:
        image = image_file(self.plan, str(node.attrs.get("src") or ""))
        if image is None:
            return
        path = upload_folder() / image.filename
        try:
            paragraph = container.add_paragraph()
            from docx.shared import Pt

            paragraph.add_run().add_picture(str(path), width=Pt(400))
        except Exception:  # noqa: BLE001  (an image python-docx cannot read must not stop the export)
            current_app.logger.warning("plan %s: image %s left out of the DOCX", self.plan.id, image.id)
