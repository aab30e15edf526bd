"""End-to-end fixtures: the real app in its own process (eventlet, SQLite) and Debian's chromium.

- `live_server`: a fresh database and server per test (the server is forked from a pre-loaded copy of the app:
  tests/server_zygote.py). `live_server.url` is its address;
  `live_server.run(fn)` runs `fn()` in an app context bound to the same database, to create rows
  (users, Work Groups, plans) with tests/factories before or during the test.
- `browser`: one headless chromium per session (the headless shell when installed: CHROMIUM below).
- `new_page(user)`: a page in a new browser context (its own cookies and IndexedDB), signed in
  through the real /login form (posted by the context's request API: sign_in), on the dashboard. Returns the
  page; `page.context` is its context.
- `plan_setup`: the factories' world and one lesson plan: {plan_id, lead, advocate, colleague, *_name}.
- `artifact_path(name)`: where to save screenshots (tests/artifacts/, git-ignored).
- When a test fails, its server's log and its pages' console errors and warnings are printed with the failure.

Every test here is skipped, with the reason, when Debian's chromium or Playwright is missing.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from tests.server_launcher import ServerHandle, launch

# Debian's chromium-headless-shell (Chromium's headless mode without the browser's UI layers, what Playwright
# itself runs headless) when installed: tests/browser took 208 s on it against 290-295 s on the full browser
# (`-n 2`, the same machine, interleaved). The full browser otherwise; both are Debian's build of the same version.
# (The binary, not /usr/bin's wrapper, which does not exec it: closing the browser would orphan it.)
HEADLESS_SHELL = "/usr/lib/chromium/chromium-headless-shell"
CHROMIUM = HEADLESS_SHELL if Path(HEADLESS_SHELL).exists() else "/usr/bin/chromium"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
SECRET = "browser-test-secret"


def pytest_collection_modifyitems(config, items):
    reason = None
    if not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} is not installed (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "Playwright for Python is not installed (pip install playwright)"
    if reason:
        here = Path(__file__).parent
        for item in items:
            if Path(str(item.fspath)).is_relative_to(here):
                item.add_marker(pytest.mark.skip(reason=reason))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(self, workdir: Path, async_mode: str = "eventlet"):
        self.workdir = workdir
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database_url = f"sqlite:///{workdir / 'live.sqlite'}"
        self.upload_dir = workdir / "uploads"
        self.log_path = workdir / "server.log"
        self.async_mode = async_mode
        self.process: ServerHandle | None = None
        self.app = self._make_app()

    def _make_app(self):
        from collab import create_app
        from collab.extensions import db

        app = create_app({
            "TESTING": True, "SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": self.database_url,
            "COLLAB_ASYNC_MODE": "threading", "COLLAB_REDIS_URL": None, "COLLAB_SMTP_HOST": None,
            "COLLAB_UPLOAD_DIR": str(self.upload_dir), "SESSION_COOKIE_SECURE": False,
        })
        with app.app_context():
            db.create_all()
        return app

    def run(self, fn):
        """fn() inside an app context on the live server's database (commits are seen by the server)."""
        from collab.extensions import db

        with self.app.app_context():
            try:
                return fn()
            finally:
                db.session.remove()

    def start(self) -> None:
        env = {**os.environ, "COLLAB_DATABASE_URL": self.database_url, "COLLAB_SECRET_KEY": SECRET,
               "COLLAB_ASYNC_MODE": self.async_mode, "COLLAB_SECURE_COOKIES": "0", "COLLAB_HOST": "127.0.0.1",
               "PORT": str(self.port), "COLLAB_UPLOAD_DIR": str(self.upload_dir), "COLLAB_REDIS_URL": "",
               "COLLAB_SMTP_HOST": "", "PYTHONWARNINGS": "ignore::DeprecationWarning",
               # The test is over when the server is stopped: its graceful shutdown need not wait out the
               # production grace (10 s) for pages still open in the browser, as it did under a loaded machine.
               "COLLAB_SHUTDOWN_GRACE_SECONDS": "2"}
        self.process = launch(env, self.log_path)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited early:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/login", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.03)  # a forked server listens within ~0.3 s: poll finely, every test waits on this
        raise RuntimeError(f"the server did not start within 30 s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:] if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(4)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        from collab.extensions import db

        with self.app.app_context():
            db.engine.dispose()


# In memory-backed /dev/shm when there is one, as the unit tests' databases (tests/conftest.py): the server's
# commits then cost no fsync.
_SHM = Path("/dev/shm")
_TMP_ROOT = str(_SHM) if _SHM.is_dir() and os.access(_SHM, os.W_OK) else None


# Whether the test itself (not its set-up) failed: its server's log and its pages' console are then shown with
# the failure, so that a failure seen once on a loaded CI machine can be read without running it again.
_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


@pytest.fixture
def live_server(request):
    with tempfile.TemporaryDirectory(prefix="collab-live-", dir=_TMP_ROOT) as tmp:
        server = LiveServer(Path(tmp))
        server.start()
        try:
            yield server
        finally:
            server.stop()
            if request.node.stash.get(_FAILED, False):
                print(f"--- the server's log (last 5,000 characters) ---\n{server.log()}")


@pytest.fixture(autouse=True)
def _console_on_failure(request):
    """The browser console's errors and warnings, and uncaught page errors, of every context the test opens,
    printed if it fails (pytest shows them under "Captured stdout teardown")."""
    if "browser" not in request.fixturenames:
        yield
        return
    browser = request.getfixturevalue("browser")
    lines: list[str] = []
    opened = [0]
    new_context = browser.new_context

    def watched_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        opened[0] += 1
        name = f"context {opened[0]}"
        context.on("console", lambda message: message.type in ("error", "warning") and lines.append(
            f"{name} console.{message.type}: {message.text[:500]}"))
        context.on("weberror", lambda error: lines.append(f"{name} uncaught: {error.error}"))
        return context

    browser.new_context = watched_context
    try:
        yield
    finally:
        del browser.new_context  # the instance's own method again
        if request.node.stash.get(_FAILED, False) and lines:
            print("--- the browser console (errors and warnings) ---\n" + "\n".join(lines[-200:]))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """new_page(user_or_email, password=factories.PASSWORD) -> a signed-in Page in its own browser context."""
    from tests import factories

    contexts = []

    def open_page(user, password: str = factories.PASSWORD):
        email = user if isinstance(user, str) else user.email
        context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London",
                                      viewport={"width": 1200, "height": 900})
        context.set_default_timeout(15_000)
        contexts.append(context)
        sign_in(context, email, password)
        page = context.new_page()
        page.goto("/")
        return page

    yield open_page
    for context in contexts:
        context.close()


_CSRF_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def sign_in(context, email: str, password: str) -> None:
    """Post the real /login form (its CSRF token, the password check, the session cookie) through the context's
    request API, which shares the context's cookies: a page loading the form and the dashboard it redirects to
    cost 0.2 s more a sign-in (about 6% of these tests' time). test_accessibility.py still signs in through
    the page's form, with axe checking it."""
    form = context.request.get("/login")
    token = _CSRF_TOKEN.search(form.text())
    if token is None:
        raise AssertionError(f"no CSRF token in the sign-in form: {form.text()[:500]}")
    response = context.request.post("/login", form={"csrf_token": token.group(1), "email": email,
                                                    "password": password}, max_redirects=0)
    if response.status != 302 or "/login" in response.headers.get("location", "/login"):
        raise AssertionError(f"could not sign in as {email}: {response.status} {response.text()[:500]}")


@pytest.fixture
def plan_setup(live_server):
    """The world (tests/factories) and one lesson plan of its Work Group: the plan's id and who may open it."""

    def build():
        from collab.plans.services import create_plan
        from tests import factories

        world = factories.build_world()
        plan = create_plan(world.lead, world.group, "Year 8 ratio: sharing in a ratio", year_group="Year 8",
                           key_stage="KS3", topic="Ratio")
        return {"plan_id": plan.id, "lead": world.lead.email, "advocate": world.advocate.email,
                "colleague": world.colleague.email, "advocate_name": world.advocate.name,
                "colleague_name": world.colleague.name}

    return live_server.run(build)


@pytest.fixture
def artifact_path():
    ARTIFACTS.mkdir(exist_ok=True)
    return lambda name: ARTIFACTS / name


# The service worker's offline copies, for wait_until: whether a page (the path given) is kept, listed among the
# cache's keys, so written in full (a match can be found while the copy is still being written); and whether a
# worker is active and controls the page.
KEPT = """async (path) => (await caches.has('collab-pages')) &&
  (await (await caches.open('collab-pages')).keys()).some((request) => request.url === location.origin + path)"""
CONTROLLED = "async () => Boolean((await navigator.serviceWorker.ready) && navigator.serviceWorker.controller)"


def wait_until(page, expression: str, arg=None, timeout: float = 15.0) -> None:
    """Wait until `expression` (a JavaScript function, async or not) returns something truthy in the page.

    Not Playwright's wait_for_function: given an async function, it resolves as soon as the promise does, whatever
    the promise's value (an async check returning false passes at once). page.evaluate awaits the value."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression, arg)
        if value:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"still {value!r} after {timeout} s: {expression[:200]}")
        time.sleep(0.05)
