"""Response headers that keep pages safe by default."""

from __future__ import annotations

from flask import Flask, request

CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self' ws: wss:; font-src 'self'; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)

# No page uses a device or sensor API. Photos of pupils' work are taken with <input type="file"
# capture="environment">, which hands over to the device's camera app and is not governed by the `camera`
# feature (that is getUserMedia). Every name here is one Chromium recognises (it warns about the others).
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture", "geolocation", "gyroscope", "hid",
    "idle-detection", "magnetometer", "microphone", "midi", "payment", "screen-wake-lock", "serial", "usb",
    "xr-spatial-tracking"))

# Whose pages, exports, images and photos may hold pupil data (docs/privacy.md): lesson plans, observation
# visits and records, summaries, post-lesson discussions, research cycles (study documents: pupils' prior
# attainment; revised plans and their comparisons). No browser or proxy keeps a copy of any of them.
PUPIL_DATA_BLUEPRINTS = frozenset({"plans", "observations", "discussions", "cycles", "library", "search"})


def init_app(app: Flask) -> None:
    @app.after_request
    def set_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.blueprint in PUPIL_DATA_BLUEPRINTS:
            response.headers["Cache-Control"] = "no-store"
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
