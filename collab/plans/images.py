"""Images in plans: checked by their bytes, re-encoded (which drops EXIF, GPS and other metadata), stored."""

from __future__ import annotations

import io
import secrets
import warnings
from pathlib import Path

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from collab.extensions import db
from collab.plans.models import LessonPlan, PlanImage

FORMATS = {"PNG": ("image/png", "png"), "JPEG": ("image/jpeg", "jpg"), "GIF": ("image/gif", "gif"),
           "WEBP": ("image/webp", "webp")}
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # about 8000 × 5000; refuses decompression bombs before decoding


class ImageRejected(ValueError):
    """The upload is not an image we accept; the message is for people."""


def clean_image(data: bytes, max_bytes: int = MAX_IMAGE_BYTES) -> tuple[bytes, str, str]:
    """(re-encoded bytes, content type, extension) or ImageRejected. The type comes from the bytes, not the name."""
    if not data:
        raise ImageRejected("The file is empty.")
    if len(data) > max_bytes:
        raise ImageRejected(f"The image is too large (the limit is {max_bytes // (1024 * 1024)} MB).")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                if fmt not in FORMATS:
                    raise ImageRejected("Upload a PNG, JPEG, GIF or WebP image.")
                if probe.width * probe.height > MAX_PIXELS:
                    raise ImageRejected("The image has too many pixels.")
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                return _reencode(image, fmt)
    except ImageRejected:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise ImageRejected("Upload a PNG, JPEG, GIF or WebP image.") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageRejected("The image could not be read; it may be damaged.") from exc


def _reencode(image: Image.Image, fmt: str) -> tuple[bytes, str, str]:
    content_type, extension = FORMATS[fmt]
    out = io.BytesIO()
    if fmt == "GIF" and getattr(image, "n_frames", 1) > 1:
        frames = [frame.copy() for frame in ImageSequence.Iterator(image)]
        for frame in frames:
            frame.info = {k: v for k, v in frame.info.items() if k in ("duration", "transparency")}
        frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], loop=image.info.get("loop", 0),
                       duration=image.info.get("duration", 100))
        return out.getvalue(), content_type, extension
    image = ImageOps.exif_transpose(image)  # keep the photo the right way up once the EXIF is gone
    clean = image.copy()
    clean.info = {}
    if fmt == "JPEG":
        if clean.mode not in ("RGB", "L"):
            clean = clean.convert("RGB")
        clean.save(out, "JPEG", quality=88, optimize=True)
    elif fmt == "WEBP":
        clean.save(out, "WEBP", quality=88)
    elif fmt == "GIF":
        clean.save(out, "GIF")
    else:
        clean.save(out, "PNG", optimize=True)
    return out.getvalue(), content_type, extension


def store_image(plan: LessonPlan, data: bytes, folder: Path, uploaded_by_id: int | None,
                max_bytes: int = MAX_IMAGE_BYTES) -> PlanImage:
    cleaned, content_type, extension = clean_image(data, max_bytes)
    folder.mkdir(parents=True, exist_ok=True)
    filename = f"{secrets.token_hex(16)}.{extension}"
    (folder / filename).write_bytes(cleaned)
    image = PlanImage(plan_id=plan.id, filename=filename, content_type=content_type, uploaded_by_id=uploaded_by_id)
    db.session.add(image)
    db.session.commit()
    return image
