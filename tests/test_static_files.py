"""Bundles go gzipped to the browsers that accept it, from the copies the build writes (collab/web/static_files.py),
and exactly as they are to the others; pages are never compressed."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

DIST = Path(__file__).resolve().parents[1] / "static" / "dist"
SCRIPT = b"const bar = [3, 5]; // a bar model in the ratio 3 : 5\n" * 200  # 11 KB: what a bundle looks like


@pytest.fixture
def backend() -> str:
    return "sqlite"  # files, not rows: one database is enough


@pytest.fixture
def static(app, tmp_path, monkeypatch) -> Path:
    """The app's static folder, made here: dist/plan.js and its gzipped copy, written as the build writes them."""
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "plan.js").write_bytes(SCRIPT)
    (tmp_path / "dist" / "plan.js.gz").write_bytes(gzip.compress(SCRIPT, mtime=0))
    (tmp_path / "dist" / "fonts.woff2").write_bytes(b"wOF2" * 300)
    monkeypatch.setattr(app, "static_folder", str(tmp_path))
    return tmp_path


def fetch(client, path: str, **headers):
    response = client.get(path, headers=headers)
    body = response.get_data()
    response.close()
    return response, body


def test_a_browser_that_accepts_gzip_gets_the_compressed_copy(client, static):
    response, body = fetch(client, "/static/dist/plan.js", **{"Accept-Encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Content-Type"].startswith("text/javascript")
    assert int(response.headers["Content-Length"]) == len(body) < len(SCRIPT) / 10
    assert gzip.decompress(body) == SCRIPT
    assert "Accept-Encoding" in response.headers["Vary"]


def test_a_browser_that_does_not_gets_the_file_as_it_is(client, static):
    for headers in ({}, {"Accept-Encoding": "identity"}, {"Accept-Encoding": "gzip;q=0, br"}):
        response, body = fetch(client, "/static/dist/plan.js", **headers)
        assert response.status_code == 200
        assert "Content-Encoding" not in response.headers
        assert body == SCRIPT
        assert "Accept-Encoding" in response.headers["Vary"]


def test_the_compressed_copy_is_still_checked_for_changes_with_its_etag(client, static):
    first, _ = fetch(client, "/static/dist/plan.js", **{"Accept-Encoding": "gzip"})
    assert first.headers["ETag"].startswith('W/"')
    again, body = fetch(client, "/static/dist/plan.js",
                        **{"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert body == b""
    assert again.headers["ETag"] == first.headers["ETag"]  # a cache keeps the copy it has, under the same tag
    assert "Accept-Encoding" in again.headers["Vary"]


def test_a_part_of_a_file_is_sent_from_the_file(client, static):
    response, body = fetch(client, "/static/dist/plan.js", **{"Accept-Encoding": "gzip", "Range": "bytes=6-8"})
    assert response.status_code == 206
    assert "Content-Encoding" not in response.headers
    assert body == SCRIPT[6:9] == b"bar"


def test_a_file_changed_after_the_build_is_sent_as_it_is_now(client, static):
    changed = SCRIPT.replace(b"3, 5", b"2, 7")
    script = static / "dist" / "plan.js"
    script.write_bytes(changed)
    copy_time = os.stat(static / "dist" / "plan.js.gz").st_mtime_ns
    os.utime(script, ns=(copy_time + 1_000_000_000, copy_time + 1_000_000_000))
    response, body = fetch(client, "/static/dist/plan.js", **{"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in response.headers
    assert body == changed


def test_files_without_a_copy_are_sent_as_they_are(client, static):
    response, body = fetch(client, "/static/dist/fonts.woff2", **{"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert body == b"wOF2" * 300
    assert fetch(client, "/static/dist/missing.js", **{"Accept-Encoding": "gzip"})[0].status_code == 404
    assert fetch(client, "/static/dist/plan.js.gz/../../../../etc/passwd")[0].status_code == 404


def test_pages_are_never_compressed(client):
    """A page holds a CSRF token: compressed beside text an attacker chose, it could be read (BREACH)."""
    response, body = fetch(client, "/login", **{"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert b"<form" in body


@pytest.mark.skipif(not (DIST / ".built").exists(), reason="bundles not built (bash scripts/build-bundle.sh)")
def test_the_build_writes_a_gzipped_copy_of_every_bundle_and_stylesheet():
    built = [path for pattern in ("*.js", "*.css") for path in DIST.glob(pattern) if path.stat().st_size > 1024]
    assert {"plan-editor.js", "workspace.js", "workspace.css", "maths.css"} <= {path.name for path in built}
    for path in built:
        copy = path.with_name(path.name + ".gz")
        assert copy.exists(), f"{path.name} has no gzipped copy"
        assert gzip.decompress(copy.read_bytes()) == path.read_bytes(), f"{copy.name} is not {path.name} gzipped"
