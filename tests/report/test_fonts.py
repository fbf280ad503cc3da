"""Font discovery: Windows' own fonts first, free TrueType CJK fonts otherwise, a clear error when there is none."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from selfcheck.errors import ReportError
from selfcheck.report import fonts
from selfcheck.report.fonts import FontFace, find_fonts, report_fonts, stamp_font_file


def _system_cjk() -> Path:
    faces = find_fonts()
    return faces["song"].path


def test_system_fonts_cover_every_role() -> None:
    faces = find_fonts()
    assert set(faces) == {"song", "hei", "fang", "kai"}
    registered = report_fonts()
    assert registered.song.startswith("SC-")


def test_windows_fonts_win_over_system_fallbacks(tmp_path: Path) -> None:
    cjk = _system_cjk()
    win = tmp_path / "Windows" / "Fonts"
    win.mkdir(parents=True)
    (win / "simsun.ttc").symlink_to(cjk)  # stands in for the real SimSun: same format, a TrueType collection
    (win / "simkai.ttc").symlink_to(cjk)  # not a name we look for: must be ignored
    faces = find_fonts([win, cjk.parent], use_fc_list=False)
    assert faces["song"].path == win / "simsun.ttc"
    assert faces["fang"].path == win / "simsun.ttc"  # FangSong missing: SimSun comes before the Linux fonts
    assert faces["hei"].path == cjk  # SimHei missing: the Linux font


def test_a_broken_font_file_is_skipped(tmp_path: Path) -> None:
    cjk = _system_cjk()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "simsun.ttc").write_bytes(b"not a font at all" * 100)
    faces = find_fonts([bad, cjk.parent], use_fc_list=False)
    assert faces["song"].path == cjk


def test_no_chinese_font_is_a_clear_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ReportError, match="找不到可用于生成报告的中文 TrueType 字体") as info:
        find_fonts([empty], use_fc_list=False)
    assert str(empty) in str(info.value)


def test_bundled_fonts_folder_is_searched_first(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bundled = tmp_path / "resources" / "fonts"
    bundled.mkdir(parents=True)
    monkeypatch.setattr("selfcheck.resources.resource_path", lambda *parts: tmp_path / "resources" / Path(*parts))
    assert fonts.font_dirs()[0] == bundled


@pytest.mark.slow
def test_stamp_font_is_a_small_cached_single_face_file() -> None:
    from fontTools.ttLib import TTFont

    face = find_fonts()["hei"]
    path = stamp_font_file(face, "某某市第一中学王建国")
    assert path.suffix == ".ttf" and path.stat().st_size < 200_000
    font = TTFont(str(path))
    cmap = font.getBestCmap()
    assert all(ord(ch) in cmap for ch in "某某市第一中学王建国2026年10月20日")
    again = stamp_font_file(face, "王建国某某市第一中学")  # same characters, other order: the cached file
    assert again == path


def test_stamp_font_of_an_unreadable_face_is_a_report_error(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.ttc"
    bogus.write_bytes(b"\0" * 64)
    with pytest.raises(ReportError, match="无法准备签名外观所需的字体"):
        stamp_font_file(FontFace(bogus, 0), "学校")


def test_stamp_font_from_a_single_face_ttf() -> None:
    """Windows' SimHei is a plain .ttf (not a collection): subsetting must take it as it is."""
    from fontTools.ttLib import TTFont

    collection_face = find_fonts()["hei"]
    plain = stamp_font_file(collection_face, "学校校长某某中学王建国")  # a .ttf to start from
    path = stamp_font_file(FontFace(plain, 0), "某某中学")
    assert path != plain
    assert all(ord(ch) in TTFont(str(path)).getBestCmap() for ch in "某某中学")


def test_on_linux_a_serif_song_face_is_preferred_for_the_body(tmp_path: Path) -> None:
    """With fonts-arphic-uming installed (Makefile DEB_PACKAGES), body text is set in a 宋体-like serif, headings
    in the sans face: the report looks like a 公文 without Windows' fonts."""
    uming = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
    zenhei = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
    if not (uming.is_file() and zenhei.is_file()):
        pytest.skip("needs fonts-arphic-uming and fonts-wqy-zenhei (make system-deps)")
    folder = tmp_path / "fonts"
    folder.mkdir()
    (folder / "wqy-zenhei.ttc").symlink_to(zenhei)  # listed first: the preference, not the order, decides
    (folder / "uming.ttc").symlink_to(uming)
    faces = find_fonts([folder], use_fc_list=False)
    assert faces["song"].path.name == faces["fang"].path.name == "uming.ttc"
    assert faces["hei"].path.name == "wqy-zenhei.ttc"


def test_font_tables_are_shared_while_a_pdf_is_saved_and_the_pdf_is_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside shared_font_tables each table is sliced out of the font file once; the PDF is byte for byte the one
    built without sharing; afterwards the fonts read their files as before."""
    import reportlab.rl_config
    from reportlab.pdfbase.pdfmetrics import getFont

    from selfcheck.report import pdf
    from selfcheck.report.fonts import shared_font_tables
    from tests.report.factory import make_sample

    names = report_fonts()
    face = getFont(names.song).face
    plain = face.get_table("glyf")
    with shared_font_tables([names.song, names.hei]):
        first = face.get_table("glyf")
        assert first == plain and face.get_table("glyf") is first
    assert "get_table" not in face.__dict__ and face.get_table("glyf") is not first

    small = make_sample(photos=2, photo_size=(320, 240))
    monkeypatch.setattr(reportlab.rl_config, "invariant", 1)  # no creation time or random document id
    shared = pdf.build_pdf(small.data, small.photo_loader).pdf
    monkeypatch.setattr(pdf, "shared_font_tables", lambda _names: contextlib.nullcontext())
    assert pdf.build_pdf(small.data, small.photo_loader).pdf == shared
