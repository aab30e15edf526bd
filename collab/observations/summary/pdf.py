"""The visit summary as PDF (WeasyPrint), made with no network access: photos come from disk, nothing else."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import render_template

from collab.observations.models import ObservationPhoto, Visit
from collab.observations.photos.storage import visit_folder
from collab.plans.export import xml_text
from collab.timeutil import uk_date
from collab.types import utcnow
from collab.web.lookups import get_or_none

THUMB_PATH = re.compile(r"^/photos/(\d+)/thumb$")
BASE_URL = "https://collab.invalid/"  # never fetched


def local_thumbnails_only(visit: Visit, allowed: set[int]):
    """A fetcher serving thumbnails of the summary's own photos from disk and refusing everything else.
    WeasyPrint is imported on use, so a real-time worker that never exports keeps its heap small."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalThumbnailsOnly(URLFetcher):
        def fetch(self, url, headers=None):
            match = THUMB_PATH.match(urlsplit(url).path)
            photo = get_or_none(ObservationPhoto, int(match[1])) if match else None
            if photo is None or photo.id not in allowed:
                raise ValueError(f"not fetched in an export: {url}")
            body = (visit_folder(visit.id) / photo.thumb_filename).read_bytes()
            return URLFetcherResponse(url, body=body, headers={"Content-Type": "image/jpeg"})

    return LocalThumbnailsOnly()


def summary_pdf(visit: Visit, summary) -> bytes:
    allowed = {n.photo_id for n in summary.notes if n.photo_id}
    html = render_template("observations/summary_pdf.html", visit=visit, session=visit.session, summary=summary,
                           exported=uk_date(utcnow()))
    from weasyprint import HTML  # imported on use: see local_thumbnails_only

    return HTML(string=xml_text(html), base_url=BASE_URL, url_fetcher=local_thumbnails_only(visit, allowed)).write_pdf()
