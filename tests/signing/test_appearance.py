"""Seal and signature images: prepared once per content, the same whether named by path or given as bytes, same
errors as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from selfcheck.errors import SigningError
from selfcheck.signing.appearance import MAX_IMAGE_PIXELS, stamp_image
from tests.report.fixtures import make_seal_png, make_signature_png


def test_a_large_seal_is_scaled_down_the_same_from_a_path_or_its_bytes(tmp_path: Path) -> None:
    seal = make_seal_png(tmp_path / "seal.png", size=1200)
    from_path = stamp_image(seal, "公章")
    assert from_path is not None and max(from_path.width, from_path.height) == MAX_IMAGE_PIXELS
    assert stamp_image(seal.read_bytes(), "公章") == from_path


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "image.png"
    make_seal_png(path)
    seal = stamp_image(path, "公章")
    make_signature_png(path)
    signature = stamp_image(path, "校长签名")
    assert seal is not None and signature is not None and (seal.width, seal.height) != (signature.width, signature.height)


def test_missing_and_unreadable_images_are_refused_and_a_fixed_file_then_loads(tmp_path: Path) -> None:
    path = tmp_path / "seal.png"
    with pytest.raises(SigningError, match=f"找不到公章图片：{path}"):
        stamp_image(path, "公章")
    path.write_bytes(b"not an image")
    with pytest.raises(SigningError, match="公章图片无法读取（应为 PNG 或 JPEG 图片）："):
        stamp_image(path, "公章")
    with pytest.raises(SigningError, match="校长签名图片无法读取（应为 PNG 或 JPEG 图片）：所给数据"):
        stamp_image(b"not an image", "校长签名")
    make_seal_png(path)
    assert stamp_image(path, "公章") is not None
    assert stamp_image(None, "公章") is None


def test_the_appearance_embeds_the_images_pixels_with_their_transparency(tmp_path: Path) -> None:
    import io

    from PIL import Image
    from pyhanko.pdf_utils.reader import PdfFileReader

    from selfcheck.report.fonts import report_fonts, stamp_font_file
    from selfcheck.report.pdf import build_pdf
    from selfcheck.signing.appearance import AppearanceText, make_stamp_style
    from selfcheck.signing.keys import load_key
    from selfcheck.signing.sign import SIGNATURE_FIELD, sign_pdf_in_place
    from tests.report.factory import make_sample
    from tests.report.fixtures import create_key

    seal, signature = make_seal_png(tmp_path / "seal.png", size=1200), make_signature_png(tmp_path / "signature.png")
    key = create_key(tmp_path)
    small = make_sample(photos=0)
    built = build_pdf(small.data, small.photo_loader)
    text = AppearanceText(school="某某市第一中学", principal="王建国", date_text="2026年10月20日", time_text="10:00:00")
    style = make_stamp_style(text, stamp_font_file(report_fonts().stamp_face(), "某某市第一中学王建国电子签名"),
                             seal=seal, signature=signature)
    stream = io.BytesIO(built.pdf)
    sign_pdf_in_place(stream, load_key(key.p12, key.password), page=built.signature.page, box=built.signature.box,
                      stamp_style=style)

    def xobjects(form: object) -> dict[str, object]:
        found: dict[str, object] = {}
        for name, value in form.get("/Resources", {}).get("/XObject", {}).items():  # type: ignore[attr-defined]
            obj = value.get_object()
            found[str(name)] = obj
            if obj["/Subtype"] == "/Form":
                found.update(xobjects(obj))
        return found

    reader = PdfFileReader(stream)
    (field,) = [f.get_object() for f in reader.root["/AcroForm"]["/Fields"]
                if f.get_object()["/T"] == SIGNATURE_FIELD]
    images = xobjects(field["/AP"]["/N"].get_object())
    for name, source in (("/ImgSeal", seal), ("/ImgSig", signature)):
        expected = Image.open(source).convert("RGBA")  # decoded here, independently of the appearance code
        expected.thumbnail((MAX_IMAGE_PIXELS, MAX_IMAGE_PIXELS))
        image = images[name]
        assert (image["/Width"], image["/Height"]) == expected.size  # type: ignore[index]
        assert image["/ColorSpace"] == "/DeviceRGB" and image["/BitsPerComponent"] == 8  # type: ignore[index]
        assert image.data == expected.convert("RGB").tobytes()  # type: ignore[attr-defined]
        mask = image["/SMask"]  # type: ignore[index]
        assert mask["/ColorSpace"] == "/DeviceGray" and mask.data == expected.getchannel("A").tobytes()


LONGEST_SCHOOL = ("某某省某某市某某区教育局直属某某实验学校附属第一中心小学暨某某镇中心学校联合体" * 3)[:100]


def _width(text: str) -> float:
    return float(len(text))  # a full-width character is as wide as the size


@pytest.mark.parametrize(("name", "lines", "size"), [
    ("城关第一小学", 1, 13.0),  # as before: one line at 13 pt on the school row
    (LONGEST_SCHOOL[:30], 2, 12.4),
    (LONGEST_SCHOOL, 4, 7.44),  # was one line of ~2 pt
])
def test_a_long_school_name_goes_onto_more_lines_in_the_stamp_and_stays_readable(
        name: str, lines: int, size: float) -> None:
    from selfcheck.signing.appearance import school_lines

    laid = school_lines(name, _width, 186.0, 96.0, top=102.0, bottom=70.0)
    assert "".join(text for text, _size, _baseline in laid) == name
    assert len(laid) == lines
    assert all(round(s, 2) == size and _width(text) * s <= 186.0 + 1e-6 for text, s, _baseline in laid)
    baselines = [baseline for _text, _size, baseline in laid]
    assert all(70.0 <= b <= 102.0 for b in baselines) and baselines == sorted(baselines, reverse=True)
    if lines == 1:
        assert baselines == [96.0]


def test_no_line_of_the_school_name_starts_with_a_closing_mark() -> None:
    from selfcheck.signing.appearance import NO_LINE_START, school_lines

    name = "某某市某某区教育局直属实验（学）中心小学附属幼儿园分园联合校"  # an even split starts line 2 at "）"
    assert len(name) == 30 and name[15] == "）"
    laid = school_lines(name, _width, 186.0, 96.0, top=102.0, bottom=70.0)
    assert [text for text, _size, _baseline in laid] == ["某某市某某区教育局直属实验（学）", "中心小学附属幼儿园分园联合校"]
    assert not any(text[0] in NO_LINE_START for text, _size, _baseline in laid)
