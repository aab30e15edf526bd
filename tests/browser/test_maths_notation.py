"""Maths notation in Chromium: the maths input from the keyboard alone, a formula co-edited by two teachers, the
MathML that screen readers read, axe on the input, $...$ in notes and posts, and a development plan's formula."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_devplan_critique import shared_plan  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

# Every formula in the editor's document, in order: [type, latex].
FORMULAS = """() => {
  const found = []
  window.collabEditor.editor.state.doc.descendants((node) => {
    const name = node.type.name
    if (name === 'inlineMath' || name === 'blockMath') found.push([name, node.attrs.latex])
  })
  return found
}"""


def _open(page, plan_id: int):
    page.goto(f"/plans/{plan_id}")
    expect(page.locator("#save-state")).to_have_text("Saved")
    expect(page.locator(".ProseMirror h2").first).to_have_text("Learning outcome")


def _wait_for_formulas(page, expected: list[list[str]]) -> None:
    try:
        page.wait_for_function(f"(expected) => JSON.stringify(({FORMULAS})()) === JSON.stringify(expected)",
                               arg=expected, timeout=15_000)
    except Exception as exc:
        raise AssertionError(f"expected {expected!r}, the plan holds {page.evaluate(FORMULAS)!r}") from exc


def _insert_with_latex(page, latex: str) -> None:
    page.locator(".ProseMirror p").first.click()
    page.keyboard.press("End")
    page.keyboard.press("Control+Shift+M")
    dialog = page.get_by_role("dialog", name="Insert maths")
    expect(dialog).to_be_visible()
    page.get_by_label("Formula").fill(latex)
    expect(page.locator("#maths-preview .katex")).to_be_visible()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()


def test_a_fraction_is_inserted_with_the_keyboard_alone(new_page, plan_setup):
    page = new_page(plan_setup["advocate"])
    _open(page, plan_setup["plan_id"])
    page.locator(".ProseMirror").focus()  # as Tab would reach it; from here on, keys only
    page.keyboard.press("Control+Shift+M")
    dialog = page.get_by_role("dialog", name="Insert maths")
    expect(dialog).to_be_visible()
    formula = page.get_by_label("Formula")
    expect(formula).to_be_focused()
    page.keyboard.press("Shift+Tab")  # the palette: one Tab stop, its first button is "Fraction"
    fraction = dialog.get_by_role("button", name="Fraction")
    expect(fraction).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(dialog.get_by_role("button", name="Mixed number")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    expect(formula).to_be_focused()  # the caret is in the numerator's box
    page.keyboard.type("3")
    page.keyboard.press("Tab")  # to the denominator's box
    page.keyboard.type("4")
    expect(formula).to_have_value("\\frac{3}{4}")
    expect(page.locator("#maths-preview .katex-mathml")).to_be_attached()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    _wait_for_formulas(page, [["inlineMath", "\\frac{3}{4}"]])
    expect(page.locator("#save-state")).to_have_text("Saved")
    expect(page.locator(".ProseMirror")).to_be_focused()  # back where the teacher was typing


def test_two_teachers_co_edit_a_formula_and_converge(new_page, plan_setup):
    plan_id = plan_setup["plan_id"]
    a, b = new_page(plan_setup["advocate"]), new_page(plan_setup["colleague"])
    _open(a, plan_id)
    _open(b, plan_id)
    _insert_with_latex(a, "2:3")
    _wait_for_formulas(b, [["inlineMath", "2:3"]])
    expect(b.locator('.ProseMirror [data-type="inline-math"] .katex')).to_be_visible()

    # B changes the formula (a click opens it in the maths input) while A adds a second one.
    b.locator('.ProseMirror [data-type="inline-math"]').first.click()
    change = b.get_by_role("dialog", name="Change maths")
    expect(change).to_be_visible()
    expect(b.get_by_label("Formula")).to_have_value("2:3")
    b.get_by_label("Formula").fill("\\frac{2}{5}")
    _insert_with_latex(a, "x^{2}")
    b.get_by_role("button", name="Save").click()
    expect(change).to_be_hidden()

    expected = [["inlineMath", "\\frac{2}{5}"], ["inlineMath", "x^{2}"]]
    _wait_for_formulas(a, expected)
    _wait_for_formulas(b, expected)
    for page in (a, b):
        expect(page.locator("#save-state")).to_have_text("Saved")
    assert a.evaluate("() => window.collabEditor.editor.getJSON()") == b.evaluate(
        "() => window.collabEditor.editor.getJSON()")


def test_the_maths_carries_mathml_for_screen_readers(new_page, plan_setup):
    page = new_page(plan_setup["advocate"])
    _open(page, plan_setup["plan_id"])
    _insert_with_latex(page, "\\frac{3}{4}")
    maths = page.locator('.ProseMirror [data-type="inline-math"]').first
    # KaTeX's drawing is hidden from screen readers; the MathML beside it is what they read.
    expect(maths.locator(".katex-html")).to_have_attribute("aria-hidden", "true")
    mathml = maths.locator(".katex-mathml math")
    expect(mathml).to_be_attached()
    assert mathml.locator("mfrac").count() == 1
    assert mathml.locator('annotation[encoding="application/x-tex"]').text_content() == "\\frac{3}{4}"


def test_a_link_typed_into_the_maths_input_cannot_be_inserted(new_page, plan_setup):
    page = new_page(plan_setup["advocate"])
    _open(page, plan_setup["plan_id"])
    page.locator(".ProseMirror p").first.click()
    page.keyboard.press("Control+Shift+M")
    page.get_by_label("Formula").fill("\\href{javascript:alert(1)}{x}")
    expect(page.locator("#maths-problem")).to_contain_text("not allowed")
    expect(page.get_by_role("dialog").get_by_role("button", name="Insert", exact=True)).to_be_disabled()
    page.keyboard.press("Escape")
    assert page.evaluate(FORMULAS) == []


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_maths_input_and_a_formula_have_no_wcag_a_or_aa_violations(live_server, browser, plan_setup, viewport):
    from tests.browser.test_accessibility import open_context, report, violations

    context = open_context(browser, live_server, viewport, plan_setup["advocate"])
    try:
        page = context.pages[0]
        _open(page, plan_setup["plan_id"])
        _insert_with_latex(page, "\\frac{3}{4}")
        expect(page.locator("#save-state")).to_have_text("Saved")  # no passing "Saving…" state in the check
        found = {"plan with a formula": violations(page)}
        page.keyboard.press("Control+Shift+M")
        expect(page.get_by_role("dialog", name="Insert maths")).to_be_visible()
        page.get_by_label("Formula").fill("2:3")
        found["maths input"] = violations(page)
    finally:
        context.close()
    assert not any(found.values()), f"axe-core found WCAG 2 A/AA violations ({viewport}):\n{report(found)}"


def test_maths_in_a_discussion_post_and_an_observation_note_is_drawn_with_mathml(live_server, new_page):
    from tests.browser.test_visit_observation import build_visit, open_discussion, open_record

    s = build_visit(live_server)
    observer = open_record(new_page(s["advocate"]), s["advocate_record"])
    observer.fill("#note-text", "Pupil A wrote $\\frac{3}{4}$ of 12 <b>is</b> 9")
    observer.click("#add-note")
    note = observer.locator(".obs-note-text").first
    expect(note.locator(".katex-mathml math mfrac")).to_be_attached()
    expect(note).to_contain_text("of 12 <b>is</b> 9")  # the rest stays text

    reader, author = (open_discussion(new_page(s[who]), s["session_id"]) for who in ("lead", "advocate"))
    author.fill("#body-noticed", "Most wrote $x_1 + x_2$ as *one* ratio $2:3$")
    author.click("#section-noticed > form.disc-composer button[type=submit]")
    for page in (author, reader):  # the author's from the ack, the reader's live
        body = page.locator("#section-noticed .disc-body").first
        expect(body.locator(".katex-mathml math")).to_have_count(2)
        expect(body.locator("em")).to_have_text("one")
    reader.reload()  # the server's copy of the post
    expect(reader.locator("#section-noticed .disc-body .katex-mathml math")).to_have_count(2)


def test_dollars_typed_around_latex_make_a_formula_unless_the_server_would_refuse_it(new_page, plan_setup):
    page = new_page(plan_setup["advocate"])
    _open(page, plan_setup["plan_id"])
    page.locator(".ProseMirror p").first.click()
    page.keyboard.type("Link $$\\url{http://example.com}$$ then ")  # would be refused by the server: stays text
    page.keyboard.type("$$x^{2}$$")
    _wait_for_formulas(page, [["inlineMath", "x^{2}"]])
    expect(page.locator(".ProseMirror p").first).to_contain_text("\\url{http://example.com}")
    expect(page.locator("#save-state")).to_have_text("Saved")


def test_a_development_plans_author_writes_maths_and_a_reviewer_reads_it_without_changing_it(
        live_server, new_page, shared_plan):  # noqa: F811
    from tests.browser.test_devplan_critique import _open as open_devplan

    plan_id = shared_plan["plan_id"]
    author, reviewer = new_page(shared_plan["author"]), new_page(shared_plan["reviewer"])
    open_devplan(author, plan_id)
    open_devplan(reviewer, plan_id)
    author.locator(".ProseMirror p").first.click()
    author.keyboard.press("End")
    author.get_by_role("button", name="Maths", exact=True).click()
    author.get_by_label("Formula").fill("\\frac{3}{4}")
    author.keyboard.press("Enter")
    _wait_for_formulas(reviewer, [["inlineMath", "\\frac{3}{4}"]])
    expect(reviewer.locator('.ProseMirror [data-type="inline-math"] .katex-mathml math')).to_be_attached()
    reviewer.locator('.ProseMirror [data-type="inline-math"]').first.click()  # a reviewer's click opens nothing
    reviewer.keyboard.press("Control+Shift+M")
    expect(reviewer.get_by_role("dialog")).to_have_count(0)
