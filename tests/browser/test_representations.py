"""Representations in a co-edited plan (issue 16): inserted from the toolbar with the keyboard alone, edited through
their fields by two teachers at once, and edited offline; every copy converges, field by field."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DRAWINGS = """() => {
  const out = []
  window.collabEditor.editor.state.doc.descendants((node) => {
    if (node.type.name === 'representation') {
      out.push(Object.fromEntries(Object.entries(node.attrs).filter(([, v]) => v !== null)))
    }
  })
  return out
}"""


def drawings(page) -> list[dict]:
    return page.evaluate(DRAWINGS)


def wait_until(page, check: str, timeout: int = 15_000) -> None:
    """Wait until `check`, a JavaScript expression over `d` (the plan's drawings' attributes), holds."""
    try:
        page.wait_for_function(f"() => {{ const d = ({DRAWINGS})(); return {check} }}", timeout=timeout)
    except Exception as exc:
        raise AssertionError(f"expected {check}; the drawings are {drawings(page)!r}") from exc


@pytest.fixture
def plan_setup(live_server):
    def build():
        from collab.plans.services import create_plan
        from tests import factories

        world = factories.build_world()
        plan = create_plan(world.lead, world.group, "Year 8 ratio: sharing in a ratio", year_group="Year 8",
                           key_stage="KS3", topic="Ratio")
        other = create_plan(world.lead, world.group, "Year 7 fractions", year_group="Year 7", key_stage="KS3",
                            topic="Fractions")
        return {"plan_id": plan.id, "other_plan_id": other.id, "advocate": world.advocate.email,
                "colleague": world.colleague.email}

    return live_server.run(build)


def _open(page, plan_id: int) -> None:
    page.goto(f"/plans/{plan_id}")
    expect(page.locator("#save-state")).to_have_text("Saved")
    expect(page.locator(".ProseMirror h2").first).to_have_text("Learning outcome")


def _insert_with_the_keyboard(page, name: str) -> None:
    """Into the first paragraph, from the toolbar's menu, without the mouse."""
    page.locator(".ProseMirror p").first.click()
    menu = page.get_by_role("button", name="Insert representation")
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    for _ in range(12):
        if page.evaluate("() => document.activeElement.textContent") == name:
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")


def test_two_teachers_co_edit_a_bar_model_field_by_field(new_page, plan_setup, artifact_path):
    a, b = new_page(plan_setup["advocate"]), new_page(plan_setup["colleague"])
    _open(a, plan_setup["plan_id"])
    _open(b, plan_setup["plan_id"])

    _insert_with_the_keyboard(a, "Bar model (part–whole)")
    # The panel opens with the focus in its first field; the drawing has its text alternative.
    whole = a.get_by_label("Whole", exact=True)
    expect(whole).to_be_focused()
    expect(a.locator(".repr svg")).to_have_attribute(
        "aria-label", "Bar model: whole 24 split into 3 equal parts, one part unknown")
    expect(b.locator(".repr svg")).to_have_attribute("aria-label", re.compile("^Bar model: whole 24"))

    # B opens the same drawing's fields; both type at once, in different fields.
    b.get_by_role("button", name="Edit Bar model (part–whole)").click()
    a.keyboard.press("Control+a")
    a.keyboard.type("36")
    b.get_by_label("Values 2", exact=True).fill("12")
    b.get_by_label("Number of parts", exact=True).fill("4")

    for page in (a, b):
        wait_until(page, "d.length === 1 && d[0].whole === '36' && d[0].parts === '4' && "
                         "JSON.parse(d[0].values)[1] === '12'")
        expect(page.locator("#save-state")).to_have_text("Saved", timeout=20_000)
    assert drawings(a) == drawings(b)
    expect(b.locator(".repr svg")).to_have_attribute("aria-label", re.compile("^Bar model: whole 36 split into 4"))

    # Escape closes the fields and gives the focus back to the drawing; Enter opens them again.
    a.get_by_label("Whole", exact=True).press("Escape")
    expect(a.locator(".repr-panel")).to_have_count(0)
    a.keyboard.press("Enter")
    expect(a.get_by_label("Whole", exact=True)).to_be_focused()
    a.screenshot(path=str(artifact_path("representation-bar-model.png")), full_page=True)


def test_a_double_number_line_edited_offline_converges(new_page, plan_setup):
    a, b = new_page(plan_setup["advocate"]), new_page(plan_setup["colleague"])
    _open(a, plan_setup["plan_id"])
    _open(b, plan_setup["plan_id"])
    _insert_with_the_keyboard(a, "Double number line")
    wait_until(b, "d.length === 1 && d[0].kind === 'double-number-line'")
    expect(b.locator("#save-state")).to_have_text("Saved", timeout=20_000)

    # B goes offline and fills in the unknown cost; A, online, renames the top line meanwhile.
    b.context.set_offline(True)
    expect(b.locator("#save-state")).to_have_text(re.compile(r"^Offline: "))
    b.get_by_role("button", name="Edit Double number line").click()
    b.get_by_label("Bottom values 4", exact=True).fill("4.80")
    expect(b.locator("#save-state")).to_have_attribute("title", re.compile(r"^\d+ changes? not sent yet$"))
    a.get_by_label("Top label", exact=True).fill("Number of pencils")
    wait_until(a, "d[0].topLabel === 'Number of pencils'")
    assert drawings(b)[0]["topLabel"] == "Pencils"  # nothing reached B while it was offline

    b.context.set_offline(False)
    for page in (a, b):
        wait_until(page, "d.length === 1 && d[0].topLabel === 'Number of pencils' && "
                         "JSON.parse(d[0].bottom)[3] === '4.80'", timeout=30_000)
        expect(page.locator("#save-state")).to_have_text("Saved", timeout=20_000)
    assert drawings(a) == drawings(b)
    expect(a.locator(".repr svg")).to_have_attribute(
        "aria-label", "Double number line, Number of pencils and Cost (£): 0 with 0; 3 with 1.20; 6 with 2.40; "
                      "12 with 4.80")


# What the editor puts on the clipboard when a drawing is copied, and the editor's own paste of it.
COPY = """() => {
  const { state } = window.collabEditor.editor.view
  let at = null
  state.doc.descendants((node, pos) => { if (at === null && node.type.name === 'representation') at = pos })
  const slice = state.doc.slice(at, at + state.doc.nodeAt(at).nodeSize)
  return window.collabEditor.editor.view.serializeForClipboard(slice).dom.innerHTML
}"""


def test_a_drawing_copied_into_another_plan_keeps_its_parameters(new_page, plan_setup):
    a = new_page(plan_setup["advocate"])
    _open(a, plan_setup["plan_id"])
    _insert_with_the_keyboard(a, "Ratio table")
    a.get_by_label("Top label", exact=True).fill("Eggs")
    wait_until(a, "d.length === 1 && d[0].topLabel === 'Eggs'")
    copied = a.evaluate(COPY)
    assert "data-representation" in copied and 'data-top-label="Eggs"' in copied

    _open(a, plan_setup["other_plan_id"])
    a.locator(".ProseMirror p").first.click()
    a.evaluate("(html) => window.collabEditor.editor.view.pasteHTML(html)", copied)
    wait_until(a, "d.length === 1 && d[0].kind === 'ratio-table' && d[0].topLabel === 'Eggs' && "
                  "JSON.parse(d[0].bottom).join() === '150,75,?'")
    expect(a.locator("#save-state")).to_have_text("Saved", timeout=20_000)
    # Pasted HTML is checked like the server would: a value it would refuse is dropped, not sent to be refused.
    a.evaluate("(html) => window.collabEditor.editor.view.pasteHTML(html)",
               '<figure data-representation="" data-kind="array" data-rows="999" data-columns="5"></figure>')
    wait_until(a, "d.length === 2 && d[1].kind === 'array' && d[1].columns === '5' && d[1].rows === undefined")
    expect(a.locator("#save-state")).to_have_text("Saved", timeout=20_000)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_drawing_its_fields_and_the_menu_have_no_wcag_a_or_aa_violations(live_server, browser, plan_setup,
                                                                            viewport, artifact_path):
    from tests.browser.test_accessibility import open_context, report, violations

    context = open_context(browser, live_server, viewport, plan_setup["advocate"])
    try:
        page = context.pages[0]
        _open(page, plan_setup["plan_id"])
        _insert_with_the_keyboard(page, "Place-value chart")
        expect(page.locator(".repr-panel")).to_have_count(1)
        if viewport == "desktop":  # the list of kinds open too (on a phone it covers the fields, as a menu does)
            page.get_by_role("button", name="Insert representation").click()
        found = violations(page)
        page.screenshot(path=str(artifact_path(f"representation-panel-{viewport}.png")), full_page=True)
    finally:
        context.close()
    assert not found, report({f"plan with a drawing ({viewport})": found})
