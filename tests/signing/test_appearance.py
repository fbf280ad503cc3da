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
