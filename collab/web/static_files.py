"""Static files sent gzip-compressed to the browsers that accept it, from copies compressed when the bundles are built.

A device's first visit downloads the app's bundles for offline use (the service worker's precache, 2.9 MB of script,
styles and fonts) and the whiteboard's 4 MB when a board is first opened. Gzipped, that is 1.1 MB and 1.4 MB: what a
school tablet on poor Wi-Fi notices. scripts/build-bundle.sh writes `name.gz` beside each bundle in static/dist;
this view sends it instead of the file when the browser accepts gzip. nginx in front (deploy/nginx) passes the
compressed response through, so one process and a cluster behave the same.

Compressed at build time, not per request: gzip -9 of the whiteboard's bundle takes 0.17 s of CPU, which in an
eventlet process would hold up every live document on it. A copy older than its file (the file changed after the
build) is not used. Only static files are compressed. A page never is: it holds a CSRF token and personal data, and
compressing those next to text an attacker chose is the BREACH attack.
"""

from __future__ import annotations

import os

from flask import Flask, Response, current_app, request
from werkzeug.security import safe_join
from werkzeug.wsgi import wrap_file

COMPRESSED_SUFFIX = ".gz"


def _fresh_copy(path: str) -> tuple[str, int] | None:
    """The compressed copy of path and its size, if the build made one after path last changed."""
    copy = path + COMPRESSED_SUFFIX
    try:
        copy_stat = os.stat(copy)
        if copy_stat.st_mtime_ns < os.stat(path).st_mtime_ns:
            return None
    except OSError:
        return None
    return copy, copy_stat.st_size


def send_static(filename: str) -> Response:
    """Flask's static view (the same lookup, 404, ETag and 304 handling), with the compressed copy as the body when
    there is one, the browser accepts gzip and it asked for the whole file. A 304 carries the same Vary and ETag
    as the 200 it stands for."""
    response = current_app.send_static_file(filename)
    if response.status_code not in (200, 304):
        return response
    path = safe_join(str(current_app.static_folder), filename)
    found = _fresh_copy(path) if path else None
    if found is None:
        return response
    response.vary.add("Accept-Encoding")  # a cache keeps the two forms apart
    if request.accept_encodings.quality("gzip") <= 0 or "Range" in request.headers:
        return response
    # Weak: the two forms are the same content, not the same bytes. The browser sends it back in If-None-Match,
    # which Werkzeug compares weakly, so it still gets 304 Not Modified.
    etag, _weak = response.get_etag()
    if etag:
        response.set_etag(etag, weak=True)
    if response.status_code == 304:
        return response
    copy, size = found
    response.close()  # the file send_static_file opened
    response.response = wrap_file(request.environ, open(copy, "rb"))  # noqa: SIM115  (closed with the response)
    response.content_length = size
    response.content_encoding = "gzip"
    return response


def init_app(app: Flask) -> None:
    if "static" in app.view_functions:
        app.view_functions["static"] = send_static
