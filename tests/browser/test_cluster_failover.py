"""Two teachers co-edit a plan in Chromium through nginx in front of two processes (PostgreSQL, Redis), as
`make run-cluster` serves it; the plan's process is killed while they type. Each browser's Socket.IO client
reconnects through nginx to the other process within a few seconds, the page says "Saved" again, and both see
every word once. Needs nginx, PostgreSQL and Redis as tests/realtime/test_failover.py does (skipped without)."""

from __future__ import annotations

import time
import uuid

import pytest
from playwright.sync_api import expect
from pycrdt import XmlFragment

from collab.extensions import db
from collab.realtime.doclog import load
from tests import factories
from tests.browser.test_plan_coediting import paragraph_text, wait_for_paragraph
from tests.conftest import _empty_database
from tests.realtime.server import ServerProcess, setup_app
from tests.realtime.test_failover import Nginx, _nginx_or_skip, _postgres_or_skip, _served_by
from tests.realtime.test_multiprocess import _redis_or_skip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
]


def test_editors_keep_working_when_their_plans_process_is_killed(browser, tmp_path):
    nginx_binary = _nginx_or_skip()
    database = _postgres_or_skip()
    redis_url = _redis_or_skip()
    _empty_database(database)
    app = setup_app(database)
    with app.app_context():
        from collab.plans.services import create_plan

        world = factories.build_world()
        plan = create_plan(world.lead, world.group, "Failover plan")
        plan_id, room, document_id = plan.id, f"plan:{plan.id}", plan.document_id
        emails = (world.advocate.email, world.colleague.email)
    env = {"COLLAB_REDIS_URL": redis_url, "COLLAB_REDIS_CHANNEL": f"collab-test-{uuid.uuid4().hex}",
           "COLLAB_TRUSTED_PROXIES": "1"}
    servers = [ServerProcess(database, tmp_path / f"server{n}.log", env=env) for n in (1, 2)]
    proxy = Nginx(nginx_binary, tmp_path / "nginx", [server.port for server in servers])
    contexts = []
    try:
        for server in servers:
            server.start()
        proxy.start()
        home = next(s for s in servers if s.process is not None and s.process.pid == _served_by(proxy.url, room))

        pages, sockets = [], []
        for email in emails:
            context = browser.new_context(base_url=proxy.url, locale="en-GB", viewport={"width": 1200, "height": 900})
            context.set_default_timeout(15_000)
            contexts.append(context)
            page = context.new_page()
            page.on("websocket", lambda ws: sockets.append(ws.url))
            page.goto("/login")
            page.fill("input[name=email]", email)
            page.fill("input[name=password]", factories.PASSWORD)
            with page.expect_navigation():
                page.click("form button[type=submit]")
            page.goto(f"/plans/{plan_id}")
            expect(page.locator("#save-state")).to_have_text("Saved")
            pages.append(page)
        a, b = pages
        assert any(f"room=plan%3A{plan_id}" in url for url in sockets), sockets  # what nginx hashes on

        a.locator(".ProseMirror p").first.click()
        a.keyboard.type("Before")
        wait_for_paragraph(b, "Before")

        killed_at = time.monotonic()
        home.kill()
        a.keyboard.type(" during")
        b.locator(".ProseMirror p").first.click()
        b.keyboard.press("End")
        b.keyboard.type(" after")
        for page in pages:
            expect(page.locator("#save-state")).to_have_text("Saved", timeout=10_000)
        back_in = time.monotonic() - killed_at
        assert back_in < 8, f"the pages said Saved again only after {back_in:.1f} s"
        wait_for_paragraph(a, paragraph_text(b))
        text = paragraph_text(a)
        wait_for_paragraph(b, text)
        for word in ("Before", "during", "after"):
            assert text.count(word) == 1, text
        # "Saved" means acknowledged, and acknowledged means committed: the database has every word, once.
        for page in pages:
            expect(page.locator("#save-state")).to_have_text("Saved")
        with app.app_context():
            stored = str(load(document_id).get("default", type=XmlFragment))
        for word in ("Before", "during", "after"):
            assert stored.count(word) == 1, stored
    finally:
        for context in contexts:
            context.close()
        proxy.stop()
        for server in servers:
            server.stop()
        with app.app_context():  # its PostgreSQL connections, closed now rather than by a later test's collector
            db.session.remove()
            db.engine.dispose()
