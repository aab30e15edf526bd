"""Two teachers co-edit one plan in two Chromium pages: live text, carets, offline edits, save state, PDF."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.plans.pdftext import pdf_text

pytestmark = pytest.mark.browser

# Offline, the indicator says the work is kept on the device; how many edits wait is in its title.
OFFLINE = "Offline: your changes are kept on this device and will be sent when you are back online"
UNSENT = re.compile(r"^\d+ changes? not sent yet$")
# The first paragraph's text in the editor's document (the DOM also holds the other people's caret labels).
FIRST_PARAGRAPH = """() => {
  let text = null
  window.collabEditor.editor.state.doc.descendants((node) => {
    if (text === null && node.type.name === 'paragraph') text = node.textContent
    return text === null
  })
  return text
}"""


def paragraph_text(page) -> str:
    return page.evaluate(FIRST_PARAGRAPH)


def wait_for_paragraph(page, expected: str, timeout: int = 15_000) -> None:
    try:
        page.wait_for_function(f"(expected) => ({FIRST_PARAGRAPH})() === expected", arg=expected, timeout=timeout)
    except Exception as exc:
        raise AssertionError(f"expected {expected!r}, the paragraph reads {paragraph_text(page)!r}") from exc


def _open(page, plan_id: int):
    page.goto(f"/plans/{plan_id}")
    expect(page.locator("#save-state")).to_have_text("Saved")
    expect(page.locator(".ProseMirror h2").first).to_have_text("Learning outcome")
    return page.locator(".ProseMirror p").first  # the paragraph under "Learning outcome"


def test_two_teachers_co_edit_offline_and_export(live_server, new_page, plan_setup, artifact_path):
    plan_id = plan_setup["plan_id"]
    a = new_page(plan_setup["advocate"])
    b = new_page(plan_setup["colleague"])
    para_a, para_b = _open(a, plan_id), _open(b, plan_id)

    # The template's section headings are headings to the toolbar too: its Heading button shows as pressed.
    a.locator(".ProseMirror h2").first.click()
    expect(a.locator('#plan-toolbar [data-command="h2"]')).to_have_attribute("aria-pressed", "true")

    # Both type into the same paragraph; each sees the other's words.
    para_a.click()
    a.keyboard.type("Pupils share 35 sweets")
    wait_for_paragraph(b, "Pupils share 35 sweets")
    para_b.click()
    b.keyboard.press("End")
    b.keyboard.type(" in the ratio 3 : 4")
    wait_for_paragraph(a, "Pupils share 35 sweets in the ratio 3 : 4")
    a.keyboard.press("End")
    a.keyboard.type(" using a bar model.")
    shared = "Pupils share 35 sweets in the ratio 3 : 4 using a bar model."
    wait_for_paragraph(a, shared)
    wait_for_paragraph(b, shared)

    # Each sees the other's caret, labelled with their name, and both names in the presence list.
    expect(a.locator(".collaboration-carets__label", has_text=plan_setup["colleague_name"])).to_be_visible()
    expect(b.locator(".collaboration-carets__label", has_text=plan_setup["advocate_name"])).to_be_visible()
    expect(a.locator("#presence li", has_text=plan_setup["colleague_name"])).to_be_visible()

    # B loses the connection, keeps typing, and is told the changes are kept on the tablet (how many: the title).
    b.context.set_offline(True)
    expect(b.locator("#save-state")).to_have_text(re.compile(r"^Offline: "))
    para_b.click()
    b.keyboard.press("End")
    b.keyboard.type(" Then 3 : 4 : 5.")
    expect(b.locator("#save-state")).to_have_text(OFFLINE)
    expect(b.locator("#save-state")).to_have_attribute("title", UNSENT)
    assert int(b.locator("#save-state").get_attribute("data-waiting")) >= 1
    assert paragraph_text(a) == shared  # nothing reached A while B was offline

    # Meanwhile A keeps working too.
    a.keyboard.type(" Exit check: share 40 in 5 : 3.")

    b.context.set_offline(False)
    final = "Pupils share 35 sweets in the ratio 3 : 4 using a bar model."
    for page in (a, b):
        expect(page.locator("#save-state")).to_have_text("Saved", timeout=20_000)
    text_a = paragraph_text(a)
    wait_for_paragraph(b, text_a)
    text_b = paragraph_text(b)
    assert text_a == text_b
    assert text_a.startswith(final) and "Then 3 : 4 : 5." in text_a and "Exit check: share 40 in 5 : 3." in text_a
    a.screenshot(path=str(artifact_path("plan-coediting.png")), full_page=True)

    # The server has it all: the PDF export contains the typed text.
    response = a.request.get(f"/plans/{plan_id}/export.pdf")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = " ".join(pdf_text(response.body()).split())
    assert "Then 3 : 4 : 5." in text and "Pupils share 35 sweets" in text


def test_a_read_only_member_sees_live_changes_and_images_but_cannot_edit(live_server, new_page, plan_setup, tmp_path):
    import io

    from PIL import Image

    def make_read_only():
        from sqlalchemy import select

        from collab.accounts.models import User
        from collab.extensions import db
        from collab.plans.models import PlanReadOnly

        colleague = db.session.scalars(select(User).where(User.email == plan_setup["colleague"])).one()
        db.session.add(PlanReadOnly(plan_id=plan_setup["plan_id"], user_id=colleague.id))
        db.session.commit()

    live_server.run(make_read_only)
    plan_id = plan_setup["plan_id"]
    a = new_page(plan_setup["advocate"])
    reader = new_page(plan_setup["colleague"])
    para_a = _open(a, plan_id)
    _open(reader, plan_id)
    expect(reader.locator("#read-only-note")).to_have_text(
        "You can read this plan; the Work Group lead has made it read-only for you.")
    expect(reader.locator(".ProseMirror")).to_have_attribute("aria-readonly", "true")  # selects, to comment
    expect(reader.locator("#plan-toolbar")).to_be_hidden()

    para_a.click()
    a.keyboard.type("Anchor task: the bar model")
    wait_for_paragraph(reader, "Anchor task: the bar model")

    picture = tmp_path / "pupil-work.png"
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (20, 120, 60)).save(out, "PNG")
    picture.write_bytes(out.getvalue())
    a.set_input_files("#image-picker", str(picture))
    expect(a.locator(".ProseMirror img[src]")).to_have_count(1)
    expect(reader.locator(".ProseMirror img[src]")).to_have_count(1)
    src = reader.locator(".ProseMirror img[src]").get_attribute("src")
    assert re.fullmatch(rf"/plans/{plan_id}/images/\d+", src)
    assert reader.request.get(src).ok
    expect(a.locator("#save-state")).to_have_text("Saved")
    expect(reader.locator("#save-state")).to_have_text("Saved")


def test_edits_made_offline_reach_everyone_after_the_page_is_closed_and_reopened(live_server, new_page, plan_setup):
    plan_id = plan_setup["plan_id"]
    a = new_page(plan_setup["advocate"])
    b = new_page(plan_setup["colleague"])
    _open(a, plan_id)
    para_b = _open(b, plan_id)

    b.context.set_offline(True)
    expect(b.locator("#save-state")).to_have_text(re.compile(r"^Offline: "))
    para_b.click()
    b.keyboard.type("Typed on the train")
    expect(b.locator("#save-state")).to_have_text(OFFLINE)
    expect(b.locator("#save-state")).to_have_attribute("title", UNSENT)
    # y-indexeddb writes each update in its own transaction; closing the tab at once would abort the last
    # ones (a person closing it gets the "unsaved changes" warning first). Give the writes a moment.
    b.wait_for_timeout(1000)
    context = b.context
    b.close()  # the edit now lives only in this browser's IndexedDB

    context.set_offline(False)
    again = context.new_page()
    _open(again, plan_id)
    wait_for_paragraph(again, "Typed on the train")
    wait_for_paragraph(a, "Typed on the train")
    expect(again.locator("#save-state")).to_have_text("Saved")
