"""The visible signature: the school's seal, the principal's signature image and Chinese text, drawn by pyHanko."""

from __future__ import annotations

import functools
import io
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from selfcheck.errors import SigningError

ImageSource = Path | bytes | None

MAX_IMAGE_PIXELS = 900  # long edge of seal/signature images inside the appearance (plenty at 4 cm)
IMAGE_CACHE_SIZE = 4  # prepared images kept: the seal and the signature, and a changed one or two
SEAL_DIAMETER = 112.0  # points; a 公章 is about 4 cm across
SIGNATURE_IMAGE_HEIGHT = 36.0
INK = (0.1, 0.1, 0.1)
MUTED = (0.42, 0.42, 0.42)
FRAME = (0.55, 0.55, 0.55)
SCHOOL_SIZE = 13.0  # points: the school's name on one line, when it fits
SCHOOL_COMFORTABLE_SIZE = 10.0  # no more lines once the name is this large
SCHOOL_LINE_SPACING = 1.2
SCHOOL_MAX_LINES = 6
NO_LINE_START = "）》」』】〕〉，。、；：？！…·)]},.;:?!"


@dataclass(frozen=True)
class AppearanceText:
    """What the signature says, row by row (rows match the labels 学校（盖章）/ 校长签字 / 日期 on the page)."""

    school: str
    principal: str
    date_text: str
    time_text: str
    caption: str = "电子签名"


def school_lines(name: str, advance: Any, width: float, baseline: float, top: float, bottom: float
                 ) -> list[tuple[str, float, float]]:
    """The school's name in the stamp as (text, size, baseline) lines: one line at SCHOOL_SIZE when it fits
    `width`, else the fewest lines (up to SCHOOL_MAX_LINES, split evenly, no line starting with a closing mark)
    that make it SCHOOL_COMFORTABLE_SIZE, or failing that the largest size, with every baseline between `bottom`
    and `top`, centred on `baseline`.
    `advance(text)` is the text's width at size 1. A 100-character name is ~7.5 pt on five lines instead of ~2 pt
    on one."""
    best: tuple[float, list[str]] | None = None
    for count in range(1, min(SCHOOL_MAX_LINES, len(name)) + 1):
        parts = _split_evenly(name, count)
        size = min(SCHOOL_SIZE, *(width / max(advance(part), 1e-6) for part in parts))
        if count > 1:
            size = min(size, (top - bottom) / ((count - 1) * SCHOOL_LINE_SPACING))
        if best is None or size > best[0] + 0.25:  # another line only for a visibly larger size
            best = (size, parts)
        if size >= SCHOOL_COMFORTABLE_SIZE:
            break
    assert best is not None
    size, parts = best
    step = size * SCHOOL_LINE_SPACING
    first = min(top, max(baseline + step * (len(parts) - 1) / 2, bottom + step * (len(parts) - 1)))
    return [(part, size, first - n * step) for n, part in enumerate(parts)]


def _split_evenly(text: str, count: int) -> list[str]:
    cuts = [round(len(text) * n / count) for n in range(count + 1)]
    for n in range(1, count):
        while cuts[n] < len(text) and text[cuts[n]] in NO_LINE_START and cuts[n] + 1 < cuts[n + 1]:
            cuts[n] += 1  # a closing mark stays at the end of the line before
    return [text[a:b] for a, b in zip(cuts, cuts[1:]) if text[a:b]]


@dataclass(frozen=True)
class StampImage:
    """A seal or signature image ready for the appearance: its size in pixels and its samples as deflated PDF image
    streams (8-bit RGB and the alpha channel as a soft mask), compressed once per image content."""

    width: int
    height: int
    rgb: bytes
    alpha: bytes


def stamp_image(source: ImageSource, what: str) -> StampImage | None:
    """A seal or signature image (PNG with transparency preferred) as RGBA, scaled down to at most
    MAX_IMAGE_PIXELS on its long edge and deflated for the appearance — once per image content (the same seal is
    signed with on every export). Raises SigningError with a Chinese message when the file is missing or not an
    image."""
    if source is None:
        return None
    from PIL import Image, UnidentifiedImageError

    try:
        raw = source if isinstance(source, bytes) else Path(source).read_bytes()
        return _deflated(raw)
    except FileNotFoundError:
        raise SigningError(f"找不到{what}图片：{source}") from None
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError):
        name = "所给数据" if isinstance(source, bytes) else str(source)
        raise SigningError(f"{what}图片无法读取（应为 PNG 或 JPEG 图片）：{name}") from None


@functools.lru_cache(maxsize=IMAGE_CACHE_SIZE)
def _deflated(raw: bytes) -> StampImage:
    """The image file `raw` decoded and prepared (a file that fails to decode raises and is not cached)."""
    from PIL import Image

    image = Image.open(io.BytesIO(raw))
    image.load()
    image = image.convert("RGBA")
    image.thumbnail((MAX_IMAGE_PIXELS, MAX_IMAGE_PIXELS))
    return StampImage(width=image.width, height=image.height, rgb=zlib.compress(image.convert("RGB").tobytes()),
                      alpha=zlib.compress(image.getchannel("A").tobytes()))


@functools.cache
def _stamp_style_class() -> type:
    """The stamp style class, made once (it subclasses pyHanko's classes, which are imported only when signing)."""
    from pyhanko.pdf_utils import generic, layout
    from pyhanko.pdf_utils.content import ResourceType
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator
    from pyhanko.pdf_utils.generic import pdf_name
    from pyhanko.stamp import BaseStamp, BaseStampStyle

    @dataclass(frozen=True)
    class SealStampStyle(BaseStampStyle):
        """Stamp style holding everything the appearance draws (pyHanko calls create_stamp when signing)."""

        text: AppearanceText | None = None
        font_bytes: bytes = b""
        seal: Any = None
        signature: Any = None
        rows: tuple[float, float, float] = (96.0, 56.0, 16.0)

        def create_stamp(self, writer: Any, box: layout.BoxConstraints, text_params: dict) -> BaseStamp:
            return SealStamp(writer, self, box)

    class SealStamp(BaseStamp):
        BASE_SIZE = 12

        def _render_inner_content(self) -> list[bytes]:
            style: SealStampStyle = self.style
            text = style.text
            assert text is not None
            w, h = self.box.width, self.box.height
            engine = GlyphAccumulator(self.writer, io.BytesIO(style.font_bytes), self.BASE_SIZE)
            self.set_resource(ResourceType.FONT, pdf_name("/SC1"), engine.as_resource())
            self.set_resource(ResourceType.EXT_G_STATE, pdf_name("/SealGS"), generic.DictionaryObject({
                # Multiply lets the text show through the red ink, as on a stamped paper report.
                pdf_name("/BM"): pdf_name("/Multiply"),
                pdf_name("/ca"): generic.FloatObject(0.92),
                pdf_name("/CA"): generic.FloatObject(0.92),
            }))
            ops: list[bytes] = []

            def line(txt: str, x: float, y: float, size: float, color: tuple[float, float, float],
                     max_width: float | None = None, align_right: bool = False) -> float:
                shaped = engine.shape(txt)
                width = shaped.x_advance * size
                if max_width is not None and width > max_width:
                    size *= max_width / width
                    width = max_width
                if align_right:
                    x -= width
                k = size / self.BASE_SIZE
                ops.append(b"BT %g %g %g rg /SC1 %d Tf %g 0 0 %g %g %g Tm %s ET" % (
                    *color, self.BASE_SIZE, k, k, x, y, shaped.graphics_ops))
                return width

            framed = style.seal is None and style.signature is None
            if framed:  # a clean text box when there are no images
                ops.append(b"q 0.6 w %g %g %g RG 1.5 1.5 %g %g re S Q" % (*FRAME, w - 3, h - 3))
            ops.append(b"/Tx BMC")
            left = 12.0
            rows = style.rows
            for part, size, baseline in school_lines(text.school, lambda t: engine.shape(t).x_advance,
                                                     w - 2 * left, rows[0], top=rows[0] + 6, bottom=rows[1] + 14):
                line(part, left, baseline, size, INK, max_width=w - 2 * left)
            name_w = line(text.principal or "—", left, style.rows[1], 12, INK, max_width=(w - 2 * left) * 0.45)
            date_w = line(text.date_text, left, style.rows[2], 12, INK)
            line(text.time_text, left + date_w + 6, style.rows[2], 8, MUTED)
            line(text.caption, w - 6, h - 11, 7, MUTED, align_right=True)
            ops.append(b"EMC")
            if style.signature is not None:
                sig_h = SIGNATURE_IMAGE_HEIGHT
                sig_w = min(sig_h * style.signature.width / style.signature.height, w - left - name_w - 16)
                sig_h = sig_w * style.signature.height / style.signature.width
                ops.append(self._image(style.signature, left + name_w + 8, style.rows[1] - 9, sig_w, sig_h, "Sig"))
            if style.seal is not None:
                d = min(SEAL_DIAMETER, h - 6)
                seal_h = d * style.seal.height / style.seal.width
                ops.append(b"q /SealGS gs " + self._image(style.seal, 18.0, (h - seal_h) / 2, d, seal_h, "Seal")
                           + b" Q")
            return ops

        def _image(self, image: StampImage, x: float, y: float, width: float, height: float, name: str) -> bytes:
            """Draw `image` into the box at (x, y): an image XObject with a soft mask, as pyHanko's PdfImage writes
            a PIL RGBA image, made from the samples deflated once per image."""
            smask = self.writer.add_object(generic.StreamObject(self._image_dict(image, "/DeviceGray"),
                                                                encoded_data=image.alpha))
            xobject = generic.StreamObject(self._image_dict(image, "/DeviceRGB", smask=smask), encoded_data=image.rgb)
            resource = "/Img" + name
            self.set_resource(ResourceType.XOBJECT, pdf_name(resource), self.writer.add_object(xobject))
            return b"q 1 0 0 1 %g %g cm q %g 0 0 %g 0 0 cm %s Do Q Q" % (x, y, width, height, resource.encode("ascii"))

        @staticmethod
        def _image_dict(image: StampImage, colour_space: str, smask: Any = None) -> generic.DictionaryObject:
            entries = {
                pdf_name("/Type"): pdf_name("/XObject"),
                pdf_name("/Subtype"): pdf_name("/Image"),
                pdf_name("/Width"): generic.NumberObject(image.width),
                pdf_name("/Height"): generic.NumberObject(image.height),
                pdf_name("/ColorSpace"): pdf_name(colour_space),
                pdf_name("/BitsPerComponent"): generic.NumberObject(8),
                pdf_name("/Filter"): pdf_name("/FlateDecode"),
            }
            if smask is not None:
                entries[pdf_name("/SMask")] = smask
            return generic.DictionaryObject(entries)

    return SealStampStyle


def make_stamp_style(text: AppearanceText, font_file: Path, *, seal: ImageSource = None,
                     signature: ImageSource = None, rows: tuple[float, float, float] = (96.0, 56.0, 16.0)) -> Any:
    """A pyHanko stamp style drawing the seal (公章), the signature image and the three text rows.

    `font_file` must be a single-face TrueType/OpenType file with Chinese glyphs. Raises SigningError if an image
    cannot be read.
    """
    try:
        font_bytes = Path(font_file).read_bytes()
    except OSError as err:
        from selfcheck.oserrors import os_reason

        raise SigningError(f"无法读取签名外观字体：{font_file}（{os_reason(err)}）",
                           hint="请再导出一次（程序会重新准备字体）；仍然失败时，请重新安装 SelfCheck。") from None
    style_class = _stamp_style_class()
    return style_class(
        border_width=0,
        text=text,
        font_bytes=font_bytes,
        seal=stamp_image(seal, "公章"),
        signature=stamp_image(signature, "校长签名"),
        rows=rows,
    )
