"""The report always lays out and reads like an official document: long text, many photos, line breaking, pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from selfcheck.report.pdf import BuiltPdf, build_pdf
from tests.report.factory import Sample
from tests.report.fixtures import poppler
from tests.report.longest import FOLLOW_UP_ROUNDS, PHOTOS_ON_ONE_ITEM, longest_sample

FORBIDDEN_START = "？：，。、）」；！』】》"
FORBIDDEN_END = "（「『【《"
PAGE_HEIGHT = 842.0
FRAME_TOP, FRAME_BOTTOM = 76.0, 842.0 - 66.0  # PAGE_MARGINS, from the top of the page

_BUILT: dict[str, tuple[Sample, BuiltPdf]] = {}


def _longest() -> tuple[Sample, BuiltPdf]:
    if "longest" not in _BUILT:
        sample = longest_sample()
        _BUILT["longest"] = (sample, build_pdf(sample.data, sample.photo_loader))
    return _BUILT["longest"]


def _incomplete(sample: Sample) -> tuple[Sample, BuiltPdf]:
    if "sample" not in _BUILT:
        _BUILT["sample"] = (sample, build_pdf(sample.data, sample.photo_loader))
    return _BUILT["sample"]


def _complete(sample: Sample) -> Sample:
    """The sample with every unanswered item answered 是."""
    payload = sample.data.model_dump()
    for checklist in payload["checklists"]:
        checklist.pop("tally")
        for section in checklist["sections"]:
            section.pop("tally")
            for item in section["items"]:
                if item["status"] == "unanswered":
                    item.update(status="compliant", answer_value="yes", answer_label="是", answered_by="李秀英")
    payload.pop("areas")
    payload.pop("totals")
    from selfcheck.report.data import ReportData

    return Sample(data=ReportData.model_validate(payload), jpegs=sample.jpegs)


def _write(built: BuiltPdf, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(built.pdf)
    return path


def _lines(path: Path) -> list[str]:
    """Every laid-out body line (pdftotext -raw keeps the drawing order, one PDF line per text line); the page
    header and footer lines are left out."""
    return [line.strip() for line in poppler("pdftotext", "-raw", "-enc", "UTF-8", str(path), "-").splitlines()
            if line.strip() and not line.startswith("报告编号：") and not re.search(r"第 \d+ 页 共 \d+ 页$", line)]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(params=["longest", "sample"])
def report(request: pytest.FixtureRequest, sample: Sample, tmp_path: Path) -> tuple[Sample, Path]:
    data, built = _longest() if request.param == "longest" else _incomplete(sample)
    return data, _write(built, tmp_path, f"{request.param}.pdf")


def test_the_longest_text_of_every_field_and_30_photos_on_one_item_lay_out(tmp_path: Path) -> None:
    sample, built = _longest()
    text = squash("".join(_lines(_write(built, tmp_path, "l.pdf"))))
    data = sample.data
    item = data.checklists[0].sections[0].items[0]
    problem = data.problems[0]
    for field in (item.note, problem.description, problem.measures, problem.progress, problem.done_description,
                  problem.verification_note, data.school.name, data.inspection.title, data.photos[0].caption,
                  problem.follow_ups[-1].finding, *data.inspection.team):
        assert squash(field) in text, field[:20]  # printed in full, in a table cell or in a note after it
    assert "全文见表后注" in text
    assert f"回头看第{FOLLOW_UP_ROUNDS}轮" in text
    assert f"照片{PHOTOS_ON_ONE_ITEM}" in text
    assert len([p for p in data.photos if p.item_id == item.id]) == PHOTOS_ON_ONE_ITEM


def test_the_longest_report_exports_signed(tmp_path: Path, school_key: object, session_home: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from selfcheck.report.export import export_report

    monkeypatch.setenv("SELFCHECK_HOME", str(session_home))
    sample = longest_sample(photos_on_one_item=3)
    result = export_report(sample.data, sample.photo_loader, tmp_path / "最长.pdf", key_path=school_key.p12,
                           password=school_key.password)
    assert result.path.is_file() and result.pages > 10


def test_no_line_starts_or_ends_with_a_forbidden_mark(report: tuple[Sample, Path]) -> None:
    lines = _lines(report[1])
    assert len(lines) > 300
    starts = [line for line in lines if line[0] in FORBIDDEN_START]
    ends = [line for line in lines if line[-1] in FORBIDDEN_END]
    assert starts == [] and ends == []


def test_dates_and_times_are_never_split(report: tuple[Sample, Path]) -> None:
    lines = _lines(report[1])
    broken = [(a, b) for a, b in zip(lines, lines[1:], strict=False)
              if (re.search(r"\d{4}-(\d{1,2}-?)?$", a) and re.match(r"\d", b))
              or (re.search(r"\d{1,2}:$", a) and re.match(r"\d{2}", b))]
    assert broken == []
    assert any(re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", line) for line in lines)


def _page_bottoms(path: Path) -> list[float]:
    """For each page, how far down (points from the top) its lowest body text reaches."""
    html = poppler("pdftotext", "-bbox", "-enc", "UTF-8", str(path), "-")
    bottoms = []
    for page in html.split("<page ")[1:]:
        ys = [float(y) for y in re.findall(r'yMax="([\d.]+)"', page)]
        body = [y for y in ys if FRAME_TOP - 4 < y < FRAME_BOTTOM + 2]
        bottoms.append(max(body) if body else FRAME_TOP)
    return bottoms


def test_no_page_before_the_signature_is_mostly_empty(report: tuple[Sample, Path], tmp_path: Path) -> None:
    path = report[1]
    pages = poppler("pdftotext", "-raw", "-enc", "UTF-8", str(path), "-").split("\f")
    signature_page = next(n for n, page in enumerate(pages) if "校长签字" in page)
    bottoms = _page_bottoms(path)
    frame = FRAME_BOTTOM - FRAME_TOP
    fills = [(bottoms[n] - FRAME_TOP) / frame for n in range(signature_page)]
    assert all(fill >= 0.3 for fill in fills), fills


def test_headings_and_the_closing_never_stand_alone(report: tuple[Sample, Path]) -> None:
    pages = poppler("pdftotext", "-raw", "-enc", "UTF-8", str(report[1]), "-").split("\f")
    heading = re.compile(r"^([一二三四]、|（[一二三四五六七八九十]+）)")
    for page in pages:
        body = [line for line in page.splitlines() if line.strip() and not line.startswith(("报告编号", "生成时间"))
                and "第" not in line[:2]]
        body = [line for line in body if not re.match(r"^.*第 \d+ 页 共 \d+ 页", line)]
        if not body:
            continue
        assert not heading.match(body[-1].strip()), body[-1]  # a heading as the last line of a page
    closing = next(page for page in pages if "特此报告。" in page)
    after = closing.split("特此报告。", 1)[1]
    assert "学校（盖章）" in after  # the closing sentence stays with the signature block


def test_checklists_are_named_by_title_not_id(sample: Sample, tmp_path: Path) -> None:
    _, built = _incomplete(sample)
    text = poppler("pdftotext", "-raw", "-enc", "UTF-8", str(_write(built, tmp_path, "s.pdf")), "-")
    for checklist in sample.data.checklists:
        assert not re.search(rf"(?<![A-Za-z-]){checklist.id}(?![A-Za-z-])", text), checklist.id
        assert squash(checklist.title) in squash(text)


def test_an_incomplete_inspection_says_so_on_the_first_page_and_a_complete_one_does_not(
        sample: Sample, tmp_path: Path) -> None:
    _, built = _incomplete(sample)
    first = squash(poppler("pdftotext", "-f", "1", "-l", "1", "-raw", "-enc", "UTF-8",
                           str(_write(built, tmp_path, "i.pdf")), "-"))
    t = sample.data.totals
    assert t.unanswered > 0
    assert "【未完成】" in first and f"已完成{t.answered}/{t.items}" in first
    complete = _complete(sample)
    path = _write(build_pdf(complete.data, complete.photo_loader), tmp_path, "c.pdf")
    text = squash(poppler("pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"))
    assert "未完成" not in text and f"已完成{complete.data.totals.items}/{complete.data.totals.items}" in text
