"""The laid-out report (unsigned): text, fonts, photos byte for byte, pages, errors, progress and cancel."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from selfcheck.errors import ReportError
from selfcheck.report.appendix import ordered_photos
from selfcheck.report.data import AREA_TITLES
from selfcheck.report.pdf import BuiltPdf, ExportCancelled, build_pdf
from tests.report.factory import Sample, make_sample
from tests.report.fixtures import SchoolKey, poppler

@pytest.fixture()
def built(sample_pdf: BuiltPdf, tmp_path: Path) -> tuple[BuiltPdf, Path]:
    path = tmp_path / "report.pdf"
    path.write_bytes(sample_pdf.pdf)
    return sample_pdf, path


def squash(text: str) -> str:
    """pdftotext wraps lines anywhere in Chinese text: compare without whitespace."""
    return re.sub(r"\s+", "", text)


def test_text_holds_school_areas_checklists_problems_and_items(sample: Sample, built: tuple[BuiltPdf, Path]) -> None:
    text = squash(poppler("pdftotext", "-raw", "-enc", "UTF-8", str(built[1]), "-"))
    data = sample.data
    assert squash(data.title) in text
    assert data.school.name in text
    for area in AREA_TITLES.values():
        assert squash(area) in text
    for checklist in data.checklists:
        assert squash(checklist.title) in text
        if checklist.not_applicable:  # listed with its reason, not item by item
            assert checklist.items() and not any(item.id in text for item in checklist.items())
            continue
        for item in checklist.items():
            assert item.id in text
    for problem in data.problems:
        assert squash(problem.description) in text
    for heading in ("一、基本情况", "二、自查结果总览", "三、发现的问题及整改情况", "四、逐项自查明细", "附件：照片佐证",
                    "学校（盖章）：", "校长签字：", "特此报告。"):
        assert heading in text
    assert "不适用" in text and squash(next(c for c in data.checklists if c.not_applicable).not_applicable_reason
                                         or "") in text
    assert "本文件为未签名的预览稿" in text  # no signer in the data: the build says so


def test_header_footer_number_every_page(built: tuple[BuiltPdf, Path], sample: Sample) -> None:
    pdf, path = built
    text = poppler("pdftotext", "-raw", "-enc", "UTF-8", str(path), "-")
    for n in range(1, pdf.pages + 1):
        assert f"第 {n} 页 共 {pdf.pages} 页" in text
    assert text.count(str(sample.data.report_id)) >= pdf.pages


def test_overdue_problems_are_marked(built: tuple[BuiltPdf, Path], sample: Sample) -> None:
    text = squash(poppler("pdftotext", "-raw", "-enc", "UTF-8", str(built[1]), "-"))
    overdue = sample.data.overdue_problems()
    assert len(re.findall(r"逾期\d+天", text)) == len(overdue) > 0


def test_every_font_is_embedded(built: tuple[BuiltPdf, Path]) -> None:
    out = poppler("pdffonts", str(built[1]))
    rows = out.splitlines()[2:]
    assert rows, out
    for row in rows:
        emb, sub, uni = row.split()[-5:-2]
        assert (emb, uni) == ("yes", "yes"), row


def test_every_page_renders(built: tuple[BuiltPdf, Path], tmp_path: Path) -> None:
    from PIL import Image

    pdf, path = built
    poppler("pdftoppm", "-r", "60", "-png", str(path), str(tmp_path / "page"))
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == pdf.pages
    for page in pages:
        with Image.open(page) as image:
            lo, hi = image.convert("L").getextrema()
            assert lo < 128 < hi, f"{page.name} is blank"


def test_photos_are_embedded_byte_for_byte(built: tuple[BuiltPdf, Path], sample: Sample) -> None:
    pdf = built[0].pdf
    for photo_id, jpeg in sample.jpegs.items():
        assert jpeg in pdf, f"photo {photo_id} was re-encoded"
    assert b"/ASCII85Decode" not in pdf


def test_photo_appendix_lists_every_photo_with_item_and_short_hash(built: tuple[BuiltPdf, Path],
                                                                   sample: Sample) -> None:
    text = squash(poppler("pdftotext", "-raw", "-enc", "UTF-8", str(built[1]), "-"))
    for n, photo in enumerate(ordered_photos(sample.data), 1):
        assert f"照片{n}" in text
        assert photo.image_sha256[:16] in text
        if photo.item_id:
            assert f"检查项{photo.item_id}" in text


def test_signature_spot_is_on_a_page_inside_the_margins(built: tuple[BuiltPdf, Path]) -> None:
    pdf = built[0]
    x1, y1, x2, y2 = pdf.signature.box
    assert 0 <= pdf.signature.page < pdf.pages
    assert 50 < x1 < x2 < 560 and 50 < y1 < y2 < 800
    assert round(x2 - x1) == 210 and round(y2 - y1) == 126


def test_a_photo_whose_bytes_changed_is_refused(sample: Sample) -> None:
    victim = sample.data.photos[0].id

    def loader(photo_id: int) -> bytes:
        data = sample.jpegs[photo_id]
        return data[:-10] + b"\0" * 10 if photo_id == victim else data

    with pytest.raises(ReportError, match="校验值不符"):
        build_pdf(sample.data, loader)


@pytest.mark.parametrize("which", ["first", "last"])
def test_an_altered_photo_fails_the_export_and_leaves_nothing(which: str, sample: Sample, tmp_path: Path,
                                                              school_key: SchoolKey,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The photos are hashed on a worker thread once the PDF is laid out; the signer waits for the checks right
    before it computes the signature, so a mismatch stops the export before anything is signed or saved,
    whichever photo it is."""
    from selfcheck.report.export import export_report
    from selfcheck.signing import sign

    photos = ordered_photos(sample.data)
    victim = (photos[0] if which == "first" else photos[-1]).id

    def loader(photo_id: int) -> bytes:
        data = sample.jpegs[photo_id]
        return data[:-10] + b"\0" * 10 if photo_id == victim else data

    refused_before_signing: list[str] = []
    real_sign = sign.sign_pdf_in_place

    def spy(*args: Any, before_signing: Any, **kwargs: Any) -> None:
        def hook() -> None:
            try:
                before_signing()
            except ReportError as err:
                refused_before_signing.append(str(err))
                raise

        real_sign(*args, before_signing=hook, **kwargs)

    monkeypatch.setattr(sign, "sign_pdf_in_place", spy)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(ReportError, match="校验值不符"):
        export_report(sample.data, loader, out_dir / "r.pdf", key_path=school_key.p12, password=school_key.password)
    assert len(refused_before_signing) == 1 and "校验值不符" in refused_before_signing[0]
    assert list(out_dir.iterdir()) == []


def test_a_photo_recorded_with_another_photos_hash_is_refused(sample: Sample) -> None:
    """Two photos with the same recorded SHA-256 share one embedded image: the second's bytes are checked too."""
    first, second = ordered_photos(sample.data)[:2]
    photos = [p.model_copy(update={"image_sha256": first.image_sha256}) if p.id == second.id else p
              for p in sample.data.photos]
    with pytest.raises(ReportError, match="校验值不符"):
        build_pdf(sample.data.model_copy(update={"photos": photos}), sample.photo_loader)


def test_a_missing_photo_is_a_report_error(sample: Sample) -> None:
    with pytest.raises(ReportError, match="无法读取照片"):
        build_pdf(sample.data, {}.__getitem__)


def test_a_non_jpeg_photo_is_refused(sample: Sample) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
    with pytest.raises(ReportError, match="不是 JPEG"):
        build_pdf(sample.data, lambda _id: png)


def test_progress_rises_to_one_and_cancel_stops() -> None:
    small = make_sample(photos=3, photo_size=(320, 240))
    seen: list[float] = []
    build_pdf(small.data, small.photo_loader, progress=lambda f, m: seen.append(f))
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen)
    calls = [0]

    def cancel_after_a_while() -> bool:
        calls[0] += 1
        return calls[0] > 5

    with pytest.raises(ExportCancelled, match="已取消"):
        build_pdf(small.data, small.photo_loader, cancelled=cancel_after_a_while)


def test_a_report_without_problems_or_photos_still_builds(tmp_path: Path) -> None:
    small = make_sample(photos=0)
    data = small.data.model_copy(update={"problems": []})
    pdf = build_pdf(data, small.photo_loader)
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf.pdf)
    text = squash(poppler("pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"))
    assert "本次自查未发现问题" in text and "本次自查未上传照片佐证" in text


def test_user_text_with_markup_characters_is_printed_literally(tmp_path: Path) -> None:
    small = make_sample(photos=0)
    tricky = "<b>公示栏</b> & 台账 <br/> 5 > 3"
    problems = [small.data.problems[0].model_copy(update={"description": tricky})]
    pdf = build_pdf(small.data.model_copy(update={"problems": problems}), small.photo_loader)
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf.pdf)
    text = poppler("pdftotext", "-raw", "-enc", "UTF-8", str(path), "-")
    # Printed as typed, once: a tag applied as markup would vanish from the text (and <br/> would split it).
    assert squash(text).count(squash(tricky)) == 1
