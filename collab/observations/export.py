"""The visit summary as PDF (WeasyPrint), made with no network access: photos come from disk, nothing else."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import render_template
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from collab.extensions import db
from collab.observations.models import ObservationPhoto, Visit
from collab.observations.photos import visit_folder
from collab.timeutil import uk_date
from collab.types import utcnow

THUMB_PATH = re.compile(r"^/photos/(\d+)/thumb$")
BASE_URL = "https://collab.invalid/"  # never fetched


class LocalThumbnailsOnly(URLFetcher):
    """Serves thumbnails of the summary's own photos from disk and refuses everything else."""

    def __init__(self, visit: Visit, allowed: set[int]):
        super().__init__()
        self.visit, self.allowed = visit, allowed

    def fetch(self, url, headers=None):
        match = THUMB_PATH.match(urlsplit(url).path)
        photo = db.session.get(ObservationPhoto, int(match[1])) if match else None
        if photo is None or photo.id not in self.allowed:
            raise ValueError(f"not fetched in an export: {url}")
        body = (visit_folder(self.visit.id) / photo.thumb_filename).read_bytes()
        return URLFetcherResponse(url, body=body, headers={"Content-Type": "image/jpeg"})


def summary_pdf(visit: Visit, summary) -> bytes:
    allowed = {n.photo_id for n in summary.notes if n.photo_id}
    html = render_template("observations/summary_pdf.html", visit=visit, session=visit.session, summary=summary,
                           exported=uk_date(utcnow()))
    return HTML(string=html, base_url=BASE_URL, url_fetcher=LocalThumbnailsOnly(visit, allowed)).write_pdf()
