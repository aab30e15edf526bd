"""KaTeX's bundle, CSS and fonts are in the service worker's precache list: maths shows offline too."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

DIST = Path(__file__).resolve().parents[2] / "static" / "dist"


@pytest.mark.skipif(not (DIST / "maths.css").exists(), reason="bundles not built (bash scripts/build-bundle.sh)")
def test_the_maths_bundle_its_css_and_its_fonts_are_precached(client):
    source = client.get("/sw.js").get_data(as_text=True)
    urls = {entry["url"] for entry in json.loads(re.search(r'\[\{"url".*?\}\]', source).group(0))}
    assert {"/static/dist/maths.js", "/static/dist/maths.css"} <= urls
    fonts = {url for url in urls if url.startswith("/static/dist/fonts/")}
    assert len(fonts) == len(list((DIST / "fonts").glob("*.woff2"))) > 0
    assert all(url.endswith(".woff2") for url in fonts)
