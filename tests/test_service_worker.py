"""The service worker at /sw.js with its precache list filled in, and the offline page it keeps (docs/offline.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

BUILT = Path(__file__).resolve().parents[1] / "static" / "dist" / "sw.js"


@pytest.mark.skipif(not BUILT.exists(), reason="bundles not built (bash scripts/build-bundle.sh)")
def test_the_worker_is_served_from_the_root_with_its_precache_list(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    source = response.get_data(as_text=True)
    assert "self.__WB_MANIFEST" not in source
    urls = {entry["url"] for entry in json.loads(re.search(r'\[\{"url".*?\}\]', source).group(0))}
    assert {"/static/collab.css", "/static/favicon.svg", "/offline", "/static/dist/plan-editor.js"} <= urls
    assert "/static/dist/sw.js" not in urls
    # The whiteboard (3.8 MB of Excalidraw) is kept only on devices where a board is opened.
    assert not {url for url in urls if url.startswith(("/static/dist/workspace.", "/static/dist/excalidraw/"))}


def test_the_offline_page_holds_nothing_of_the_person_signed_in(client, world, login_as):
    anonymous = client.get("/offline").get_data(as_text=True)
    assert "You are offline" in anonymous
    login_as(world.lead)
    signed_in = client.get("/offline").get_data(as_text=True)
    assert signed_in == anonymous
    assert world.lead.name not in signed_in
