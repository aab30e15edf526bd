"""Schools run Collab on their LAN, often with no internet: no page and no bundle may load a script, stylesheet,
font or frame from another origin (everything is served from static/; scripts/build-workspace.mjs takes
Excalidraw's CDN fallback and its tweet and Reddit widget scripts out of the whiteboard's bundle)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "static" / "dist"
# A script, frame or image source, or a stylesheet or font fetched from http(s):// (links for people to follow,
# such as a licence's address in a comment, are not loaded and not matched).
REMOTE = re.compile(r"""(?:\bsrc\s*=\s*["'`]?|@import\s+(?:url\()?["']?|\burl\(\s*["']?)https?://""", re.IGNORECASE)


def _remote(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    return [f"{path.relative_to(ROOT)}: …{text[max(0, m.start() - 60):m.end() + 60]}…" for m in REMOTE.finditer(text)]


def test_no_template_loads_anything_from_another_origin():
    found = [hit for path in sorted((ROOT / "templates").rglob("*.html")) for hit in _remote(path)]
    assert found == []


def test_no_built_bundle_or_stylesheet_loads_anything_from_another_origin():
    files = sorted([*DIST.glob("*.js"), *DIST.glob("*.css"), *(ROOT / "static").glob("*.css")])
    if not any(path.name == "workspace.js" for path in files):
        pytest.skip("the bundles are not built (make bundle; make test builds them first)")
    found = [hit for path in files for hit in _remote(path)]
    assert found == []


def test_the_check_sees_a_widget_script(tmp_path):
    page = tmp_path / "page.html"
    page.write_text('<blockquote></blockquote><script async src="https://platform.twitter.com/widgets.js"></script>'
                    '<style>@import url("https://fonts.example/x.css")</style>', encoding="utf-8")
    text = page.read_text()
    assert len(REMOTE.findall(text)) == 2
