"""The service worker at /sw.js (scope /) and the offline page it shows for a page not kept on the device.

static/dist/sw.js is built by scripts/build-bundle.sh. Its precache list is filled in here, as Workbox's
injectManifest would do at build time: the bundles, the stylesheet, the icon and the offline page, each with a hash
of its contents, so that any change to one of them changes /sw.js and the browser installs the new worker. Served
from the root, the worker's scope is / without a Service-Worker-Allowed header. See docs/offline.md.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, url_for

bp = Blueprint("service_worker", __name__)

PLACEHOLDER = "self.__WB_MANIFEST"
SHELL_FILES = ("collab.css", "favicon.svg")
# The exploring-maths whiteboard (Excalidraw: 3.8 MB of script, its fonts in dist/excalidraw/) is not in the
# precache every device downloads on its first visit: the worker keeps it the first time a board is opened
# (static/src/_offline-pages.js isBoardAsset, the same names).
ON_DEMAND = ("workspace.js", "workspace.css")


@lru_cache(maxsize=256)
def _hash(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def _file_revision(path: Path) -> str:
    stat = path.stat()
    return _hash(str(path), stat.st_mtime_ns, stat.st_size)


def precache_manifest(static_folder: Path) -> list[dict[str, str]]:
    """[{url, revision}] for the app shell: every bundle in static/dist (not the worker, not the whiteboard's) and
    its CSS and fonts (KaTeX's, for maths offline), the CSS, the icon."""
    dist = static_folder / "dist"
    files = sorted(p for p in dist.glob("*.js") if p.name != "sw.js")
    files += sorted(dist.glob("*.css"))
    files = [p for p in files if p.name not in ON_DEMAND] + sorted(dist.glob("fonts/*.woff2"))
    files += [static_folder / name for name in SHELL_FILES if (static_folder / name).exists()]
    entries = [{"url": url_for("static", filename=p.relative_to(static_folder).as_posix()),
                "revision": _file_revision(p)} for p in files]
    offline = render_template("offline.html").encode()
    entries.append({"url": url_for("service_worker.offline"), "revision": hashlib.sha256(offline).hexdigest()[:16]})
    return entries


@bp.get("/sw.js")
def worker() -> Response:
    static_folder = Path(current_app.static_folder or "")
    script = static_folder / "dist" / "sw.js"
    if not script.exists():
        abort(404)  # bundles not built: no worker, pages work online as before
    source = script.read_text(encoding="utf-8")
    manifest = json.dumps(precache_manifest(static_folder), separators=(",", ":"))
    response = Response(source.replace(PLACEHOLDER, manifest, 1), mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"  # the browser checks for a new worker on every visit
    return response


@bp.get("/offline")
def offline() -> str:
    """Shown by the worker, from the device, for a page not kept there. Public and the same for everyone: it is
    precached, so it must hold nothing of the person signed in."""
    return render_template("offline.html")
