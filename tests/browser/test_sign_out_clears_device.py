"""Signing out leaves no copy of plans or observation records on the device, and never drops unsent changes
without asking first."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CONTROLLED, KEPT, wait_until

pytestmark = pytest.mark.browser

APP_DATABASES = """async () => (await indexedDB.databases()).map((db) => db.name)
  .filter((name) => name.startsWith('collab-')).sort()"""
APP_KEYS = """() => [localStorage, sessionStorage].flatMap((area) => Object.keys(area))
  .filter((key) => key.startsWith('collab'))"""
# The service worker's caches (the app shell and the pages opened recently) and the worker itself.
APP_CACHES = "async () => (await caches.keys()).sort()"
WORKERS = "async () => (await navigator.serviceWorker.getRegistrations()).length"


def eventually(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def open_plan(page, plan_id: int) -> None:
    page.goto(f"/plans/{plan_id}")
    expect(page.locator("#save-state")).to_have_text("Saved")
    assert eventually(lambda: page.evaluate(APP_DATABASES) == [f"collab-plan-{plan_id}"])


def sign_out(page) -> None:
    with page.expect_navigation(url="**/login"):
        page.click("form[data-sign-out] button")


def test_signing_out_deletes_the_local_copies_of_plans_and_records(live_server, new_page, plan_setup):
    page = new_page(plan_setup["advocate"])
    open_plan(page, plan_setup["plan_id"])
    page.evaluate("localStorage.setItem('collab:discussion:1:quote', 'a quoted note')")
    assert page.evaluate(APP_DATABASES) == [f"collab-plan-{plan_setup['plan_id']}"]
    wait_until(page, KEPT, arg=f"/plans/{plan_setup['plan_id']}")  # kept for offline use
    assert page.evaluate(WORKERS) == 1

    sign_out(page)
    assert page.evaluate(APP_DATABASES) == []
    assert page.evaluate(APP_KEYS) == []
    assert page.evaluate(APP_CACHES) == []
    assert page.evaluate(WORKERS) == 0
    assert "checking the sign-ins of open sockets failed" not in live_server.log()  # the sweeper, under eventlet


def test_unsent_changes_are_kept_until_the_person_chooses(live_server, new_page, plan_setup):
    page = new_page(plan_setup["advocate"])
    open_plan(page, plan_setup["plan_id"])
    messages: list[str] = []

    def dismiss(dialog) -> None:
        messages.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.context.set_offline(True)
    page.locator(".ProseMirror p").first.click()
    page.keyboard.type("Bar")
    expect(page.locator("#save-state")).to_have_text(
        "Offline: your changes are kept on this device and will be sent when you are back online")
    expect(page.locator("#save-state")).to_have_attribute("title", "3 changes not sent yet")

    page.click("form[data-sign-out] button")
    assert eventually(lambda: bool(messages))
    expect(page.locator("form[data-sign-out] button")).to_be_enabled()
    assert len(messages) == 1 and messages[0].startswith("3 changes have not been sent yet")
    assert "/plans/" in page.url  # still signed in, nothing deleted
    assert page.evaluate(APP_DATABASES) == [f"collab-plan-{plan_setup['plan_id']}"]

    page.context.set_offline(False)  # back online: the changes are sent, then signing out asks nothing
    expect(page.locator("#save-state")).to_have_text("Saved")
    sign_out(page)
    assert len(messages) == 1
    assert page.evaluate(APP_DATABASES) == []


def test_the_sign_in_page_clears_what_a_sign_out_without_the_script_left(live_server, new_page, plan_setup):
    page = new_page(plan_setup["advocate"])
    open_plan(page, plan_setup["plan_id"])
    page.evaluate("""() => fetch('/logout', {method: 'POST', redirect: 'manual', body: new URLSearchParams({
        csrf_token: document.querySelector('meta[name=csrf-token]').content})})""")
    page.goto("/login")  # clears in the background: each part is checked until done
    assert eventually(lambda: page.evaluate(APP_DATABASES) == [])
    assert eventually(lambda: page.evaluate(APP_KEYS) == [])
    assert eventually(lambda: page.evaluate(APP_CACHES) == [])
    assert eventually(lambda: page.evaluate(WORKERS) == 0)


QUEUED_PHOTOS = """() => new Promise((resolve) => {
  const open = indexedDB.open('collab-photo-queue')
  open.onsuccess = () => {
    const db = open.result
    const count = db.transaction('photos').objectStore('photos').count()
    count.onsuccess = () => { db.close(); resolve(count.result) }
  }
})"""


def test_signing_out_deletes_photos_waiting_to_upload_after_asking(live_server, new_page, tmp_path):
    from PIL import Image

    from tests.browser.test_visit_observation import build_visit, open_record

    s = build_visit(live_server)
    page = open_record(new_page(s["advocate"]), s["advocate_record"])
    # The server cannot take photos just now: the photo stays queued on the tablet.
    page.route("**/records/*/photos", lambda route: route.fulfill(status=503, json={"message": "Busy"}))
    picture = tmp_path / "work.jpg"
    Image.new("RGB", (640, 480), (30, 90, 160)).save(picture, "JPEG")
    page.set_input_files("#photo-picker", str(picture))
    expect(page.locator("#my-notes .obs-note-waiting")).to_have_count(1)
    assert page.evaluate(QUEUED_PHOTOS) == 1
    messages: list[str] = []

    def accept(dialog) -> None:
        messages.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    sign_out(page)
    assert len(messages) == 1 and "photos waiting to upload (1)" in messages[0]
    assert page.evaluate(APP_DATABASES) == []  # the photo queue with the rest
    assert page.evaluate(APP_KEYS) == []


def test_a_worker_told_to_forget_keeps_no_page_until_a_signed_in_page_resumes_it(live_server, new_page, plan_setup):
    """Signing out tells the worker to forget before unregistering it, so a page it is still fetching is not kept
    after the caches were deleted. Signing back in may reuse that worker: the next signed-in page resumes it."""
    plan_path = f"/plans/{plan_setup['plan_id']}"
    page = new_page(plan_setup["advocate"])
    wait_until(page, CONTROLLED)
    wait_until(page, KEPT, arg="/")
    page.evaluate("navigator.serviceWorker.controller.postMessage({ type: 'collab:forget' })")
    page.goto(plan_path)  # through the worker, which is forgetting: answered, not kept
    expect(page.locator("#save-state")).to_have_text("Saved")
    assert page.evaluate(KEPT, plan_path) is False

    page.reload()  # this page's load told the worker to resume: the reload is kept
    expect(page.locator("#save-state")).to_have_text("Saved")
    wait_until(page, KEPT, arg=plan_path)
