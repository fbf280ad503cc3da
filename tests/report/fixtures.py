"""Helpers for report, signing and CLI tests: a school key, seal/signature images, an exported report.

The session fixtures built from them are in tests/conftest.py."""

from __future__ import annotations

import math
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from selfcheck.report.data import ReportData
from tests.report.factory import Sample

PASSWORD = "校园-Secret-2026"
SCHOOL = "某某市第一中学"
# As long as a workbook's school name may be (100 characters), far beyond a certificate CN's 64 bytes (21 Chinese
# characters); its neighbour shares the first 25 characters, so the two shortened CNs are the same.
LONG_SCHOOL = ("新疆维吾尔自治区伊犁哈萨克自治州察布查尔锡伯自治县孙扎齐牛录乡中心学校暨县第一中学附属寄宿制实验小学"
               "（九年一贯制）双语教学示范校及自治区级民族团结进步教育示范基地乡村少年宫青少年科技创新活动中心东分部")
LONG_NEIGHBOUR = "新疆维吾尔自治区伊犁哈萨克自治州察布查尔锡伯自治县爱新舍里镇中心学校暨县第二中学附属寄宿制实验小学（九年一贯制）"
assert len(LONG_SCHOOL) == 100 and LONG_SCHOOL[:25] == LONG_NEIGHBOUR[:25]


@dataclass(frozen=True)
class SchoolKey:
    p12: Path
    cer: Path
    password: str
    fingerprint: str


@dataclass(frozen=True)
class Exported:
    path: Path
    sample: Sample
    data: ReportData  # as embedded: the sample's data with the signer filled in
    key: SchoolKey
    pages: int


def find_font() -> Path:
    for path in ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",):
        if Path(path).is_file():
            return Path(path)
    from selfcheck.report.fonts import find_fonts

    return find_fonts()["hei"].path


def make_seal_png(path: Path, text: str = SCHOOL, size: int = 480) -> Path:
    """A red round seal with the school name along the rim and a star, on a transparent background."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    red = (205, 22, 30, 255)
    rim = size // 28
    draw.ellipse([rim, rim, size - rim, size - rim], outline=red, width=rim)
    centre, outer = size / 2, size * 0.15
    points = []
    for k in range(10):
        angle = -math.pi / 2 + k * math.pi / 5
        radius = outer if k % 2 == 0 else outer * 0.38
        points.append((centre + radius * math.cos(angle), centre + radius * math.sin(angle)))
    draw.polygon(points, fill=red)
    font = ImageFont.truetype(str(find_font()), size // 9)
    for i, ch in enumerate(text):
        angle = math.radians(-160 + 140 * i / max(len(text) - 1, 1))
        x, y = centre + size * 0.34 * math.cos(angle), centre + size * 0.34 * math.sin(angle)
        glyph = Image.new("RGBA", (size // 7, size // 7), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((size // 56, 0), ch, font=font, fill=red)
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.Resampling.BICUBIC)
        image.alpha_composite(glyph, (int(x - size / 14), int(y - size / 14)))
    image.save(path)
    return path


def make_signature_png(path: Path, name: str = "王建国") -> Path:
    """A slanted dark-blue 'handwritten' name on a transparent background."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGBA", (420, 140), (0, 0, 0, 0))
    ImageDraw.Draw(image).text((20, 12), name, font=ImageFont.truetype(str(find_font()), 96), fill=(25, 30, 110, 255))
    image = image.transform(image.size, Image.Transform.AFFINE, (1, 0.3, -30, 0, 1, 0))
    image.save(path)
    return path


def create_key(folder: Path, school: str = SCHOOL, **kwargs: object) -> SchoolKey:
    from selfcheck.signing.keys import create_school_key

    info = create_school_key(folder / "school.p12", school, PASSWORD, **kwargs)  # type: ignore[arg-type]
    assert info.certificate_path is not None
    return SchoolKey(p12=info.path, cer=info.certificate_path, password=PASSWORD, fingerprint=info.fingerprint)


def poppler(*args: str) -> str:
    """Run a poppler tool and return stdout (skips the test when poppler-utils is missing)."""
    if shutil.which(args[0]) is None:
        pytest.skip(f"{args[0]} (poppler-utils) is not installed")
    result = subprocess.run(list(args), capture_output=True, text=True, timeout=120, check=False)
    return result.stdout + result.stderr


# The session fixtures built from these helpers (session_home, school_key, other_key, seal_png, signature_png,
# sample, exported, sample_pdf) live in tests/conftest.py, shared by every test module. Import them from there by
# name only for old code: a fixture imported into a test module is rebuilt for that module.
_SESSION_FIXTURES = frozenset({"session_home", "school_key", "other_key", "seal_png", "signature_png", "sample",
                               "sample_pdf", "exported"})


def __getattr__(name: str) -> object:
    if name in _SESSION_FIXTURES:
        from tests import conftest

        return getattr(conftest, name)
    raise AttributeError(name)


def export_signed(tmp_path_factory: pytest.TempPathFactory, session_home: Path, sample: Sample,
                  school_key: SchoolKey, seal_png: Path, signature_png: Path) -> Exported:
    """`sample` exported and signed with `school_key`, the seal and the principal's signature."""
    from selfcheck.report.data import SignerInfo
    from selfcheck.report.export import export_report
    from selfcheck.signing.keys import load_key

    out = tmp_path_factory.mktemp("export") / "报告.pdf"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SELFCHECK_HOME", str(session_home))
        result = export_report(sample.data, sample.photo_loader, out, key_path=school_key.p12,
                               password=school_key.password, seal_image=seal_png, signature_image=signature_png)
    info = load_key(school_key.p12, school_key.password).info
    data = sample.data.model_copy(update={"signer": SignerInfo(
        subject=info.subject, fingerprint_sha256=info.fingerprint, not_valid_after=info.not_valid_after)})
    return Exported(path=result.path, sample=sample, data=data, key=school_key, pages=result.pages)
