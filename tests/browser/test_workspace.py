"""The "exploring maths together" workspace in Chromium, its whiteboard drawn with Excalidraw: two teachers draw on
the shared board with the mouse and each sees the other's shapes, strokes, text and pointer; one inserts a bar model
from labelled fields with the keyboard only; the board survives a reload, also one with no connection; a shape drawn
offline arrives once back online; a snapshot goes into the session's record as PNG and PDF; axe finds no WCAG 2 A/AA
violation on the page; and no request ever leaves the app's origin (Excalidraw's fonts come from our server, not its
CDN)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CONTROLLED, KEPT, wait_until
from tests.browser.test_accessibility import open_context, report, violations

pytestmark = pytest.mark.browser


@pytest.fixture
def setup(live_server):
    def build():
        from datetime import timedelta

        from collab.sessions.models import SessionKind
        from tests import factories

        world = factories.build_world()
        session = factories.session(world.group, kind=SessionKind.EXPLORING, starts_in=timedelta(days=2),
                                    title="Exploring maths together: ratio", attendees=[world.lead, world.advocate])
        return {"session_id": session.id, "lead": world.lead.email, "advocate": world.advocate.email,
                "lead_name": world.lead.name}

    return live_server.run(build)


def _watch_origin(page, origin: str, outside: list[str]) -> None:
    """Note every request the page makes that is not to the app (data: and blob: are the page's own)."""
    def check(request):
        url = request.url
        if not (url.startswith(origin) or url.startswith(("data:", "blob:"))):
            outside.append(url)
    page.on("request", check)


def _canvas(page):
    return page.locator("#board canvas.interactive")


def _drag(page, points):
    """A real pointer drag on the board's canvas, points relative to its top left corner."""
    box = _canvas(page).bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + points[0][0], box["y"] + points[0][1])
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(box["x"] + x, box["y"] + y, steps=6)
    page.mouse.up()


def _board_in_view(page) -> None:
    """Scroll the page so that the whole board shows (as a person does before drawing), and let Excalidraw note
    where its canvas now is."""
    page.wait_for_function("() => window.collabEditor && window.collabEditor.whiteboard.api")
    page.evaluate("document.getElementById('board-heading').scrollIntoView()")
    page.wait_for_function("""() => {
        const state = window.collabEditor.whiteboard.api.getAppState()
        const box = document.querySelector('#board .excalidraw').getBoundingClientRect()
        return Math.abs(state.offsetTop - box.top) < 1 && Math.abs(state.offsetLeft - box.left) < 1
    }""")


def _tool(page, name: str) -> None:
    """Pick one of Excalidraw's tools from its toolbar (radio buttons labelled Rectangle, Draw, Text...)."""
    radio = page.locator("#board").get_by_role("radio", name=name, exact=True)
    radio.click(force=True)  # its icon covers the input: the click lands on the icon, as a person's does
    expect(radio).to_be_checked()


def _items(page, kind: str):
    """What the board's text alternative lists (a screen reader's view of the board), by kind."""
    return page.locator(f"#board-items li[data-kind={kind}]")


def _element_x(page, kind: str) -> float:
    return page.evaluate("""(kind) => window.collabEditor.whiteboard.api.getSceneElements()
        .filter((e) => e.type === kind).map((e) => e.x)[0]""", kind)


def test_two_teachers_draw_on_the_board_and_see_each_other(live_server, browser, setup):
    path = f"/sessions/{setup['session_id']}/workspace"
    lead_context = open_context(browser, live_server, "desktop", setup["lead"])
    advocate_context = open_context(browser, live_server, "desktop", setup["advocate"])
    outside: list[str] = []
    try:
        lead = lead_context.pages[0]
        advocate = advocate_context.pages[0]
        for page in (lead, advocate):
            _watch_origin(page, live_server.url, outside)
            page.goto(path)
            expect(page.locator("#save-state")).to_have_text("Saved")
            expect(page.locator("#workspace-editor")).to_contain_text("The task")
            expect(_canvas(page)).to_be_visible()
            _board_in_view(page)

        # The lead draws a rectangle with the mouse; the advocate sees it.
        _tool(lead, "Rectangle")
        _drag(lead, [(360, 150), (440, 200), (520, 250)])
        expect(_items(lead, "rectangle")).to_have_count(1)
        expect(_items(advocate, "rectangle")).to_have_count(1)
        # ... and where the lead's pointer is, with the lead's name (Excalidraw's collaborators, from presence).
        _canvas(lead).hover(position={"x": 650, "y": 300})
        advocate.wait_for_function(
            "(name) => window.collabEditor.whiteboard.collaborators().some((c) => c.username === name && c.pointer)",
            arg=setup["lead_name"])
        expect(advocate.locator("#presence")).to_contain_text(setup["lead_name"])

        # The advocate draws a freehand stroke and writes some working; the lead sees both.
        _tool(advocate, "Draw")
        _drag(advocate, [(620, 120), (670, 150), (720, 130), (780, 180)])
        _tool(advocate, "Text")
        _canvas(advocate).click(position={"x": 620, "y": 330})
        # Excalidraw mounts its text editor after the click; keys typed before it has focus are lost (a slow CI
        # machine did that once), as they would be for a person who typed before the caret showed.
        editor = advocate.locator("#board textarea.excalidraw-wysiwyg")
        expect(editor).to_be_focused()
        advocate.keyboard.type("£4.20 ÷ 6 = £0.70")
        # A person finishes once they see their working in the box, then sees it on their own board: each step
        # checked apart, so that a failure says whether the keys, the editor or the sharing lost the text.
        expect(editor).to_have_value("£4.20 ÷ 6 = £0.70")
        advocate.keyboard.press("Escape")
        expect(_items(advocate, "text")).to_have_text("Text: £4.20 ÷ 6 = £0.70")
        expect(_items(lead, "freedraw")).to_have_count(1)
        expect(_items(lead, "text")).to_have_text("Text: £4.20 ÷ 6 = £0.70")

        # The lead moves the rectangle (drag by its edge); the advocate sees it where the lead put it.
        _tool(lead, "Selection")
        before = _element_x(lead, "rectangle")
        _drag(lead, [(360, 200), (410, 220), (460, 240)])
        lead.wait_for_function("(x) => window.collabEditor.whiteboard.api.getSceneElements()"
                               ".some((e) => e.type === 'rectangle' && Math.abs(e.x - x) > 50)", arg=before)
        moved = _element_x(lead, "rectangle")
        advocate.wait_for_function("(x) => window.collabEditor.whiteboard.api.getSceneElements()"
                                   ".some((e) => e.type === 'rectangle' && e.x === x)", arg=moved)
        expect(_items(advocate, "rectangle")).to_have_count(1)

        # A frame (Excalidraw's F key) is not for a shared board: it is taken off, and the lead is told why. The menu
        # has no "Reset the canvas" (it would clear everyone's drawing) and no file or export items.
        lead.keyboard.press("f")
        _drag(lead, [(560, 380), (640, 420), (700, 460)])
        expect(lead.locator("#board-status")).to_contain_text("images, frames and embedded pages are left out")
        assert lead.evaluate("() => window.collabEditor.whiteboard.api.getSceneElements()"
                             ".every((e) => e.type !== 'frame')")
        lead.locator("#board").get_by_role("button", name="Board menu").click()
        expect(lead.locator("#board").get_by_text("Help", exact=True)).to_be_visible()
        for absent in ("Reset the canvas", "Open", "Save to...", "Export image..."):
            expect(lead.locator("#board").get_by_text(absent, exact=True)).to_have_count(0)
        lead.keyboard.press("Escape")

        # The lead inserts a bar model with the keyboard only: the menu, labelled fields, Enter.
        menu = lead.get_by_role("button", name="Insert representation")
        menu.focus()
        lead.keyboard.press("Enter")
        expect(lead.get_by_role("button", name="Bar model (part–whole)")).to_be_focused()
        lead.keyboard.press("Enter")
        whole = lead.get_by_label("Whole", exact=True)
        expect(whole).to_be_focused()
        whole.press("Control+a")
        lead.keyboard.type("36")
        lead.get_by_role("button", name="Place on the board").focus()
        lead.keyboard.press("Enter")
        expect(lead.locator("#board-status")).to_have_text("Bar model (part–whole) placed on the board.")
        expect(menu).to_be_focused()  # back where the keyboard user started
        bar = "Bar model: whole 36 split into 3 equal parts"
        expect(_items(advocate, "representation")).to_have_count(1)
        expect(_items(advocate, "representation")).to_contain_text(bar)
        groups = advocate.evaluate("""() => window.collabEditor.whiteboard.api.getSceneElements()
            .filter((e) => e.customData && e.customData.representation === 'bar-part-whole')
            .map((e) => [e.type, e.groupIds[0]])""")
        assert sum(1 for t, _ in groups if t == "rectangle") == 3 and len({g for _, g in groups}) == 1
        for page in (lead, advocate):
            expect(page.locator("#save-state")).to_have_text("Saved")

        # What was drawn is stored: a reload shows it.
        advocate.reload()
        expect(advocate.locator("#save-state")).to_have_text("Saved")
        _board_in_view(advocate)
        expect(_items(advocate, "rectangle")).to_have_count(1)
        expect(_items(advocate, "freedraw")).to_have_count(1)
        expect(_items(advocate, "text")).to_have_count(1)
        expect(_items(advocate, "representation")).to_contain_text(bar)

        # Drawn offline, it reaches the others once the connection is back.
        advocate_context.set_offline(True)
        _tool(advocate, "Ellipse")
        _drag(advocate, [(800, 300), (850, 330), (900, 360)])
        expect(_items(advocate, "ellipse")).to_have_count(1)
        expect(advocate.locator("#save-state")).not_to_have_text("Saved")
        expect(_items(lead, "ellipse")).to_have_count(0)
        advocate_context.set_offline(False)
        expect(_items(lead, "ellipse")).to_have_count(1, timeout=30_000)
        expect(advocate.locator("#save-state")).to_have_text("Saved", timeout=30_000)

        found = violations(advocate)
        assert not found, f"axe-core found WCAG 2 A/AA violations:\n{report({'workspace': found})}"

        # A snapshot of the board goes into the session's record, as a PNG and a PDF.
        lead.get_by_role("button", name="Save a snapshot").click()
        expect(lead.locator("#board-status")).to_have_text("Snapshot saved to the session’s record.")
        lead.goto(f"/sessions/{setup['session_id']}")
        link = lead.get_by_role("link", name="Board at")
        expect(link).to_have_count(1)
        image = lead.request.get(link.get_attribute("href") or "")
        assert image.ok and image.headers["content-type"] == "image/png" and len(image.body()) > 1000
        pdf = lead.request.get(lead.get_by_role("link", name=re.compile("^PDF")).get_attribute("href") or "")
        assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
        assert not outside, f"requests left the app's origin: {outside}"
    finally:
        lead_context.close()
        advocate_context.close()


def test_the_demo_board_in_progress_is_shown(live_server, new_page, artifact_path):
    """Under the app's real Content-Security-Policy (no bypass here), with nothing from another origin."""
    from collab.demo.load import DEMO_PASSWORD, load_demo

    def demo_session_id():
        from collab.extensions import db
        from collab.sessions.models import GroupSession, SessionKind

        load_demo()
        return db.session.query(GroupSession).filter_by(kind=SessionKind.EXPLORING).one().id

    session_id = live_server.run(demo_session_id)
    page = new_page("jo@example.org", DEMO_PASSWORD)
    outside: list[str] = []
    errors: list[str] = []
    fonts: list[int] = []
    _watch_origin(page, live_server.url, outside)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda r: fonts.append(r.status) if "/static/dist/excalidraw/fonts/" in r.url else None)
    page.goto(f"/sessions/{session_id}/workspace")
    expect(page.locator("#save-state")).to_have_text("Saved")
    expect(page.locator("#workspace-editor")).to_contain_text("Which is the better buy")
    expect(page.locator("#workspace-editor .katex").first).to_be_visible()  # the task's formulas
    expect(_canvas(page)).to_be_visible()
    expect(page.locator("#board-items li")).to_have_count(7)
    expect(_items(page, "representation")).to_have_text(re.compile(r"^Double number line, Pens and Cost"))
    expect(_items(page, "text").filter(has_text="4.20 ÷ 6 = 0.70")).to_have_count(1)
    expect(_items(page, "ellipse")).to_have_count(1)
    # Drawn: the canvas is not blank where the number line is.
    painted = page.evaluate("""() => {
        const canvas = document.querySelector('#board canvas.static')
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data
        let ink = 0
        for (let i = 0; i < data.length; i += 4) if (data[i] < 128 && data[i + 1] < 128 && data[i + 2] < 128) ink++
        return ink
    }""")
    assert painted > 500
    page.screenshot(path=str(artifact_path("workspace-demo.png")), full_page=True)
    # Jo's "×5" is in Excalifont, Excalidraw's hand-drawn font: loaded from our server.
    page.wait_for_function("() => document.fonts.check('28px Excalifont', '×5')")
    assert fonts and all(status == 200 for status in fonts), fonts
    assert not outside, f"requests left the app's origin: {outside}"
    assert not errors, errors


def test_the_board_reloads_offline_and_what_is_drawn_there_is_sent_when_back(live_server, new_page, setup):
    """Opened once online, the workspace reloads with no connection (the service worker's copy of the page and the
    bundle, the board from this device): Excalidraw draws without its fonts from the network, and a shape drawn
    offline reaches the others once the connection is back."""
    from tests.browser.test_offline_reload import OFFLINE, STORED_UPDATES

    path = f"/sessions/{setup['session_id']}/workspace"
    page = new_page(setup["advocate"])
    wait_until(page, CONTROLLED)
    wait_until(page, KEPT, arg="/")
    page.goto(path)
    expect(page.locator("#save-state")).to_have_text("Saved")
    wait_until(page, KEPT, arg=path)
    database = "collab-workspace-" + str(page.evaluate(
        "() => JSON.parse(document.getElementById('workspace-config').textContent).workspaceId"))
    stored = page.evaluate(STORED_UPDATES, database)
    _board_in_view(page)
    _tool(page, "Rectangle")
    _drag(page, [(360, 150), (440, 200), (520, 250)])
    expect(_items(page, "rectangle")).to_have_count(1)
    expect(page.locator("#save-state")).to_have_text("Saved")
    wait_until(page, f"async (name) => (await ({STORED_UPDATES})(name)) > {stored}", arg=database)

    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.context.set_offline(True)
    page.reload()
    expect(page.locator("#save-state")).to_have_text(OFFLINE)
    expect(_items(page, "rectangle")).to_have_count(1)
    _board_in_view(page)
    _tool(page, "Ellipse")
    _drag(page, [(600, 300), (650, 330), (700, 360)])
    expect(_items(page, "ellipse")).to_have_count(1)
    assert not errors, errors

    page.context.set_offline(False)
    expect(page.locator("#save-state")).to_have_text("Saved", timeout=30_000)
    lead = new_page(setup["lead"])
    lead.goto(path)
    expect(_items(lead, "rectangle")).to_have_count(1)
    expect(_items(lead, "ellipse")).to_have_count(1)


def test_the_whiteboard_is_kept_on_the_device_only_once_a_board_is_opened(live_server, new_page, setup):
    """Excalidraw (several MB) is not in the precache every device downloads: a device keeps it the first time a
    board is opened there, even when the workspace is the page that installs the service worker."""

    board_files = """async () => (await caches.has('collab-board')) ?
      (await (await caches.open('collab-board')).keys()).map((request) => new URL(request.url).pathname) : []"""
    page = new_page(setup["advocate"])
    wait_until(page, CONTROLLED)
    wait_until(page, KEPT, arg="/")
    assert page.evaluate(board_files) == [], "the whiteboard was downloaded before any board was opened"
    precached = page.evaluate("""async () => (await Promise.all((await caches.keys()).map(async (name) =>
      (await (await caches.open(name)).keys()).map((request) => new URL(request.url).pathname)))).flat()""")
    assert "/static/dist/plan-editor.js" in precached and "/static/dist/workspace.js" not in precached

    # A device where the worker is not installed yet: the workspace is the first page it opens.
    page.evaluate("""async () => {
      for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister()
      for (const name of await caches.keys()) await caches.delete(name)
    }""")
    path = f"/sessions/{setup['session_id']}/workspace"
    page.goto(path)
    expect(page.locator("#save-state")).to_have_text("Saved")
    wait_until(page, KEPT, arg=path)
    wait_until(page, f"""async () => {{ const kept = await ({board_files})()
      return kept.includes('/static/dist/workspace.js') && kept.includes('/static/dist/workspace.css') }}""")


def test_an_element_stored_without_keys_excalidraw_needs_does_not_break_the_board(live_server, new_page,
                                                                                 setup):
    """A line with no points, style or groups was stored (before the server refused such lines), which
    Excalidraw cannot even restore: the board still draws everything else for everyone, and people go on drawing."""
    def store_bare_line():
        import json

        from pycrdt import XmlElement, XmlFragment

        from collab.extensions import db
        from collab.plans.services import document_doc
        from collab.realtime.models import DocumentUpdate
        from collab.sessions.models import GroupSession
        from collab.workspace import board

        session = db.session.get(GroupSession, setup["session_id"])
        workspace = board.ensure_workspace(None, session)
        doc = document_doc(workspace.document_id)
        before = doc.get_state()
        with doc.transaction():
            fragment = doc.get(board.BOARD, type=XmlFragment)
            # Written past the server's check, which now refuses it (it needs points): stored before that check.
            fragment.children.append(XmlElement(board.elements.TAG, {board.elements.ATTRIBUTE: json.dumps(
                {"id": "bare-line", "type": "line", "x": 40, "y": 40, "version": 1})}))
            board.add_element(fragment, board.element("rectangle", 200, 60, 1, width=80, height=40))
        db.session.add(DocumentUpdate(document_id=workspace.document_id, data=doc.get_update(before)))
        db.session.commit()

    live_server.run(store_bare_line)
    page = new_page(setup["advocate"])
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"/sessions/{setup['session_id']}/workspace")
    expect(page.locator("#save-state")).to_have_text("Saved")
    _board_in_view(page)
    expect(_items(page, "rectangle")).to_have_count(1)
    _tool(page, "Ellipse")
    _drag(page, [(400, 200), (450, 230), (500, 260)])
    expect(_items(page, "ellipse")).to_have_count(1)
    assert not errors, errors
