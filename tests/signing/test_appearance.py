"""Seal and signature images: decoded once per content, every caller gets its own copy, same errors as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from selfcheck.errors import SigningError
from selfcheck.signing.appearance import MAX_IMAGE_PIXELS, load_image
from tests.report.fixtures import make_seal_png, make_signature_png


def test_each_call_gets_its_own_copy_of_the_decoded_image(tmp_path: Path) -> None:
    seal = make_seal_png(tmp_path / "seal.png", size=1200)
    first = load_image(seal, "公章")
    assert first is not None and first.mode == "RGBA" and max(first.size) == MAX_IMAGE_PIXELS
    reference = first.tobytes()
    first.paste((0, 0, 0, 255), (0, 0, first.width, first.height))  # a caller scribbling on its copy
    second = load_image(seal.read_bytes(), "公章")
    assert second is not None and second is not first
    assert second.tobytes() == reference


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "image.png"
    make_seal_png(path)
    seal = load_image(path, "公章")
    make_signature_png(path)
    signature = load_image(path, "校长签名")
    assert seal is not None and signature is not None and seal.size != signature.size


def test_missing_and_unreadable_images_are_refused_and_a_fixed_file_then_loads(tmp_path: Path) -> None:
    path = tmp_path / "seal.png"
    with pytest.raises(SigningError, match=f"找不到公章图片：{path}"):
        load_image(path, "公章")
    path.write_bytes(b"not an image")
    with pytest.raises(SigningError, match="公章图片无法读取（应为 PNG 或 JPEG 图片）："):
        load_image(path, "公章")
    with pytest.raises(SigningError, match="校长签名图片无法读取（应为 PNG 或 JPEG 图片）：所给数据"):
        load_image(b"not an image", "校长签名")
    make_seal_png(path)
    assert load_image(path, "公章") is not None
    assert load_image(None, "公章") is None
