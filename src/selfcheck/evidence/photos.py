"""Turns an untrusted photo file into an upright, metadata-free JPEG plus thumbnail, ready to store."""

from __future__ import annotations

import hashlib
import io
import logging
import stat
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from selfcheck.errors import EvidenceError
from selfcheck.evidence import heif, messages
from selfcheck.evidence.formats import BASE_FORMATS, SNIFF_BYTES, declared_dimensions, sniff_image_format
from selfcheck.evidence.models import NormalizedPhoto, PhotoLimits
from selfcheck.oserrors import os_reason

if TYPE_CHECKING:
    from PIL import Image, ImageCms

log = logging.getLogger(__name__)

DEFAULT_LIMITS = PhotoLimits()

# JPEG decoding at 1/2, 1/4 or 1/8 scale is the main speed lever. A reduced decode may land slightly under the
# target long edge (4000 px -> 2000 px for a 2048 px target) rather than decoding at full size and resampling.
DRAFT_SLACK = 0.95

_EXIF_ORIENTATION = 0x0112
_EXIF_DATETIME = 0x0132
_EXIF_IFD = 0x8769
_EXIF_DATETIME_ORIGINAL = 0x9003
_EXIF_DATETIME_DIGITIZED = 0x9004


def supported_formats() -> tuple[str, ...]:
    """The formats normalize_photo accepts, as sniff_image_format names them (HEIF only with its decoder)."""
    return (*BASE_FORMATS, "HEIF") if heif.available() else BASE_FORMATS


_PATTERNS = {
    "JPEG": ("*.jpg", "*.jpeg", "*.jpe", "*.jfif"),
    "PNG": ("*.png",),
    "BMP": ("*.bmp", "*.dib"),
    "WEBP": ("*.webp",),
    "HEIF": ("*.heic", "*.heif"),
}


def photo_file_patterns() -> tuple[str, ...]:
    """Glob patterns for a file-open dialog's filter. Only a convenience: files are identified by content."""
    return tuple(pattern for fmt in supported_formats() for pattern in _PATTERNS[fmt])


def normalize_photo(path: Path | str, limits: PhotoLimits = DEFAULT_LIMITS) -> NormalizedPhoto:
    """Read the photo at `path` and return it normalised (see normalize_photo_bytes).

    The file size is checked before a byte is read, and at most `limits.max_file_bytes` are ever read.
    Raises EvidenceError naming the file for a missing, unreadable, empty, oversized or rejected file.
    """
    path = Path(path)
    name = path.name or str(path)
    try:
        info = path.stat()
    except OSError as exc:
        raise _os_error(name, exc) from None
    if stat.S_ISDIR(info.st_mode):
        raise messages.is_directory(name)
    if not stat.S_ISREG(info.st_mode):
        raise messages.unreadable(name, "不是普通文件")
    if info.st_size > limits.max_file_bytes:
        raise messages.too_large(name, info.st_size, limits.max_file_bytes)
    if info.st_size == 0:
        raise messages.empty(name)
    try:
        with open(path, "rb") as fh:
            # Bounded: a file that grew after stat() cannot make us read more than the limit.
            data = fh.read(limits.max_file_bytes + 1)
    except OSError as exc:
        raise _os_error(name, exc) from None
    except MemoryError:
        raise messages.out_of_memory(name) from None
    return normalize_photo_bytes(data, name, limits)


def normalize_photo_bytes(data: bytes, name: str, limits: PhotoLimits = DEFAULT_LIMITS) -> NormalizedPhoto:
    """Validate and normalise the photo `data` (e.g. pasted from the clipboard), calling it `name` in messages.

    Identifies the format by content, never by name. Promises on success: EXIF orientation applied; colours
    converted to sRGB; transparency composited on white; long edge at most `limits.long_edge` (never upscaled,
    aspect kept); JPEG without any metadata; thumbnail with long edge at most `limits.thumb_edge`; SHA-256 of
    the original bytes and of the stored JPEG; EXIF capture time when the camera recorded a valid one.
    Raises EvidenceError (with a Chinese message naming `name`) for empty, oversized, non-image, unsupported,
    truncated or corrupt data, images over `limits.max_pixels`, and when memory runs out. Nothing else escapes.
    """
    if not data:
        raise messages.empty(name)
    if len(data) > limits.max_file_bytes:
        raise messages.too_large(name, len(data), limits.max_file_bytes)
    formats = supported_formats()
    found = sniff_image_format(data[:SNIFF_BYTES])
    if found is None:
        raise messages.not_an_image(name, formats)
    if found not in formats:
        raise messages.unsupported_format(name, found, formats)
    declared = declared_dimensions(data, found)
    if declared is not None:
        _check_pixels(name, *declared, limits)
    try:
        return _normalize(data, name, found, limits)
    except EvidenceError:
        raise
    except MemoryError:
        raise messages.out_of_memory(name) from None
    except Exception as exc:
        # Decoders signal damaged input with many exception types (OSError, SyntaxError, ValueError, struct.error,
        # EOFError...). Keep the traceback in the log so a real bug is still found.
        log.info("photo %r rejected as corrupt", name, exc_info=True)
        raise messages.corrupt(name) from exc


def _os_error(name: str, exc: OSError) -> EvidenceError:
    if isinstance(exc, FileNotFoundError):
        return messages.missing(name)
    if isinstance(exc, IsADirectoryError):
        return messages.is_directory(name)
    if isinstance(exc, PermissionError):
        return messages.permission_denied(name)
    return messages.unreadable(name, os_reason(exc))


def _check_pixels(name: str, width: int, height: int, limits: PhotoLimits) -> None:
    if width * height > limits.max_pixels:
        raise messages.too_many_pixels(name, width, height, limits.max_pixels)


def _normalize(data: bytes, name: str, image_format: str, limits: PhotoLimits) -> NormalizedPhoto:
    from PIL import Image

    im = _open_checked(data, name, image_format, limits)
    if image_format == "JPEG":
        request = _draft_request(im.size, limits.long_edge)
        if request is not None:
            im.draft(im.mode, request)
    # A full load decodes every byte, so truncated files fail here (LOAD_TRUNCATED_IMAGES stays off).
    im.load()
    orientation, captured_at = _exif_facts(im)
    icc_profile = im.info.get("icc_profile")
    if im.mode in _DIRECT_MODES:
        work = im
    else:
        # 16-bit, alpha and palette images are converted a strip at a time, shrinking as they go, so memory stays
        # near the decoded image's own size (a 100 MP 16-bit grey PNG took 1.2 GB when converted whole).
        work = _convert_in_strips(im, _reduce_factor(im.size, limits.long_edge))
        del im

    work = _fit(work, limits.long_edge)
    work = _flatten(work)
    work = _to_srgb(work, icc_profile)
    transpose = _ORIENTATION_TRANSPOSE.get(orientation)
    if transpose is not None:
        work = work.transpose(Image.Transpose[transpose])
    image_jpeg = _encode(work, limits.jpeg_quality)
    thumb = _fit(work, limits.thumb_edge, thumbnail=True)
    thumb_jpeg = _encode(thumb, limits.thumb_quality)

    return NormalizedPhoto(
        original_name=name,
        original_sha256=hashlib.sha256(data).hexdigest(),
        original_size=len(data),
        original_format=image_format,
        image_jpeg=image_jpeg,
        image_sha256=hashlib.sha256(image_jpeg).hexdigest(),
        width=work.width,
        height=work.height,
        thumb_jpeg=thumb_jpeg,
        thumb_width=thumb.width,
        thumb_height=thumb.height,
        captured_at=captured_at,
    )


def _open_checked(data: bytes, name: str, image_format: str, limits: PhotoLimits) -> Image.Image:
    """Open with the one decoder the content calls for and check the pixel count before any pixel is decoded.

    Pillow's own bomb check lives in Image.open, which is bypassed here so that its process-wide limit and the
    warning filters stay untouched (other threads and other code rely on them); this check replaces it.
    """
    if image_format == "HEIF":
        heif_file = heif.open_file(data)
        _check_pixels(name, *heif_file.size, limits)
        return heif.to_image(heif_file)
    im = _open_lazily(data, image_format)
    _check_pixels(name, *im.size, limits)
    return im


def _open_lazily(data: bytes, image_format: str) -> Image.ImageFile.ImageFile:
    """The plugin object for `data`: header parsed, pixels not yet decoded."""
    fp = io.BytesIO(data)
    if image_format == "JPEG":
        from PIL import JpegImagePlugin

        return JpegImagePlugin.JpegImageFile(fp)
    if image_format == "PNG":
        from PIL import PngImagePlugin

        return PngImagePlugin.PngImageFile(fp)
    if image_format == "BMP":
        from PIL import BmpImagePlugin

        return BmpImagePlugin.BmpImageFile(fp)
    if image_format == "WEBP":
        from PIL import WebPImagePlugin

        return WebPImagePlugin.WebPImageFile(fp)
    raise ValueError(f"no opener for {image_format}")


def _draft_request(size: tuple[int, int], long_edge: int) -> tuple[int, int] | None:
    """The size to pass to JPEG draft() so the decoder scales by the largest factor that keeps enough pixels."""
    width, height = size
    longest = max(width, height)
    for scale in (8, 4, 2):
        if -(-longest // scale) >= long_edge * DRAFT_SLACK:
            return max(1, width // scale), max(1, height // scale)
    return None


# Modes the pipeline resizes as decoded; any other mode is converted by _convert_in_strips.
_DIRECT_MODES = ("RGB", "L", "CMYK")
# Pixels converted at once: a strip of this size costs about 10 MB in the widest working mode (32-bit integers).
STRIP_PIXELS = 1_000_000


def _reduce_factor(size: tuple[int, int], long_edge: int) -> int:
    """The largest whole box-reduction factor that keeps the long edge at or above `long_edge`.

    The bicubic resize in _fit then finishes from less than twice the target; Pillow's resize filters over the
    whole scale, so the result looks the same as resizing in one go.
    """
    return max(1, max(size) // long_edge)


def _convert_in_strips(im: Image.Image, factor: int) -> Image.Image:
    """`im` in RGB or L with transparency on white, box-reduced by `factor`, converted one band of rows at a time.

    Peak memory is the decoded image plus the (reduced) result plus one strip, instead of several full-size copies
    in wider modes (32-bit integers for 16-bit samples, premultiplied alpha for transparency).
    """
    from PIL import Image

    width, height = im.size
    rows = max(factor, STRIP_PIXELS // max(1, width) // factor * factor)
    out: Image.Image | None = None
    for top in range(0, height, rows):
        strip = im.crop((0, top, width, min(top + rows, height)))
        strip = _flatten(_working_mode(strip))
        if factor > 1:
            strip = strip.reduce(factor)
        if out is None:
            out = Image.new(strip.mode, (-(-width // factor), -(-height // factor)))
        out.paste(strip, (0, top // factor))
    assert out is not None  # an image has at least one row
    return out


def _working_mode(im: Image.Image) -> Image.Image:
    """Convert to a mode that resizes well: RGB, RGBA, L or CMYK (CMYK waits for its colour profile)."""
    mode = im.mode
    if mode in ("RGB", "RGBA", "L", "CMYK"):
        return im
    if mode == "P":
        return im.convert("RGBA" if "transparency" in im.info else "RGB")
    if mode in ("LA", "La", "PA", "RGBa"):
        return im.convert("RGBA")
    if mode == "1":
        return im.convert("L")
    if mode.startswith("I;16") or mode == "I":
        # 16-bit samples: scale to 8 bits (a plain convert would clip everything above 255 to white).
        return im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if "A" in mode or "a" in mode:
        return im.convert("RGBA")
    return im.convert("RGB")


def _fit(im: Image.Image, edge: int, *, thumbnail: bool = False) -> Image.Image:
    """Shrink so the long edge is at most `edge`, keeping the aspect ratio; never enlarge.

    Box-reduce by whole factors first (reducing_gap), then bicubic. After a reduced JPEG decode the remaining
    factor is small (2304 -> 2048 px for a 16 MP photo), where Lanczos looks the same and costs half again.
    """
    from PIL import Image

    width, height = im.size
    longest = max(width, height)
    if longest <= edge:
        return im
    if width >= height:
        size = (edge, max(1, round(height * edge / width)))
    else:
        size = (max(1, round(width * edge / height)), edge)
    return im.resize(size, Image.Resampling.BICUBIC, reducing_gap=2.0 if thumbnail else 3.0)


def _flatten(im: Image.Image) -> Image.Image:
    """Composite any transparency onto white: documents print on white paper."""
    from PIL import Image

    if im.mode != "RGBA":
        return im
    background = Image.new("RGB", im.size, (255, 255, 255))
    background.paste(im, mask=im.getchannel("A"))
    return background


def _to_srgb(im: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """RGB in sRGB: honour an embedded colour profile (CMYK, Display P3, Adobe RGB...) when it is usable."""
    if icc_profile and im.mode in ("RGB", "CMYK"):
        from PIL import ImageCms

        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            if im.mode == "CMYK" or not _is_srgb(source):
                converted = ImageCms.profileToProfile(im, source, _srgb_profile(), outputMode="RGB")
                if converted is not None:
                    return converted
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            # A broken or mismatched profile: the plain conversion below is the best we can do.
            log.info("ignoring unusable ICC profile", exc_info=True)
    return im if im.mode == "RGB" else im.convert("RGB")


def _is_srgb(profile: ImageCms.ImageCmsProfile) -> bool:
    from PIL import ImageCms

    return "srgb" in ImageCms.getProfileDescription(profile).lower()


@lru_cache(maxsize=1)
def _srgb_profile() -> ImageCms.ImageCmsProfile:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _encode(im: Image.Image, quality: int) -> bytes:
    """Baseline JPEG with no metadata at all: no EXIF (GPS!), no ICC profile, no comments.

    Pillow writes EXIF, ICC and XMP only when asked to, but copies a JPEG comment from `im.info` unless told
    otherwise: the empty comment below stops that.
    """
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=quality, comment=b"")
    return buffer.getvalue()


# EXIF orientation -> the Image.Transpose value that makes the picture upright (EXIF 2.3, tag 274).
# Pillow rotates counter-clockwise: ROTATE_270 turns the picture 90 degrees clockwise.
_ORIENTATION_TRANSPOSE: dict[int, str] = {
    2: "FLIP_LEFT_RIGHT",
    3: "ROTATE_180",
    4: "FLIP_TOP_BOTTOM",
    5: "TRANSPOSE",
    6: "ROTATE_270",
    7: "TRANSVERSE",
    8: "ROTATE_90",
}


def _exif_facts(im: Image.Image) -> tuple[int, datetime | None]:
    """EXIF orientation (1 when absent or odd) and capture time; damaged EXIF never rejects a photo."""
    try:
        exif = im.getexif()
        orientation = exif.get(_EXIF_ORIENTATION, 1)
        details = exif.get_ifd(_EXIF_IFD)
        captured = None
        for value in (
            details.get(_EXIF_DATETIME_ORIGINAL),
            details.get(_EXIF_DATETIME_DIGITIZED),
            exif.get(_EXIF_DATETIME),
        ):
            captured = _parse_exif_time(value)
            if captured is not None:
                break
    except Exception:
        log.info("ignoring unreadable EXIF", exc_info=True)
        return 1, None
    if not isinstance(orientation, int) or orientation not in range(1, 9):
        orientation = 1
    return orientation, captured


def _parse_exif_time(value: Any) -> datetime | None:
    """EXIF times look like "2024:05:06 07:08:09" (local time, no zone); blanks and zeros mean unknown."""
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str):
        return None
    text = value.strip().rstrip("\x00").strip()[:19]
    for pattern in ("%Y:%m:%d %H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None

