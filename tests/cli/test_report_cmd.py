"""`selfcheck report export`: arguments, password, and the hand-off to the workbook glue."""

from __future__ import annotations

from pathlib import Path

import pytest

from selfcheck.cli.main import run
from selfcheck.verification.report import verify_report
from tests.report.factory import make_sample
from tests.report.fixtures import SchoolKey, create_key


def _args(key: Path, out: Path, *extra: str) -> list[str]:
    return ["report", "export", "--workbook", "wb.selfcheck", "--inspection", "latest", "--key", str(key),
            "--out", str(out), *extra]


@pytest.mark.slow
def test_export_writes_a_signed_report(school_key: SchoolKey, seal_png: Path, tmp_path: Path,  # noqa: F811
                                       monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    small = make_sample(photos=2, photo_size=(320, 240))
    asked: list[tuple[Path, object]] = []

    def collect(workbook: Path, inspection: object) -> tuple:
        asked.append((workbook, inspection))
        return small.data, small.photo_loader

    monkeypatch.setattr("selfcheck.report.collect.collect_report_data", collect)
    monkeypatch.setenv("SELFCHECK_KEY_PASSWORD", school_key.password)
    out = tmp_path / "报告.pdf"
    assert run(_args(school_key.p12, out, "--seal", str(seal_png))) == 0
    assert asked == [(Path("wb.selfcheck"), "latest")]
    printed = capsys.readouterr().out
    assert "已导出报告" in printed and school_key.fingerprint in printed
    assert verify_report(out).intact


def test_inspection_must_be_an_id_or_latest(school_key: SchoolKey, tmp_path: Path,  # noqa: F811
                                            capsys: pytest.CaptureFixture[str]) -> None:
    args = _args(school_key.p12, tmp_path / "r.pdf")
    args[args.index("latest")] = "third"
    assert run(args) == 2
    assert capsys.readouterr().err == "错误：--inspection 应为自查编号（正整数）或 latest（最近一次），而不是“third”。\n"


def test_missing_key_and_bad_output_fail_before_any_work(tmp_path: Path, school_key: SchoolKey,  # noqa: F811
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert run(_args(tmp_path / "none.p12", tmp_path / "r.pdf")) == 2
    assert capsys.readouterr().err == f"错误：找不到密钥文件：{tmp_path / 'none.p12'}。请检查 --key 给出的路径。\n"
    assert run(_args(school_key.p12, tmp_path / "r.txt")) == 2
    assert ".pdf 结尾" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_wrong_password_fails_cleanly(school_key: SchoolKey, tmp_path: Path,  # noqa: F811
                                      monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    small = make_sample(photos=0)
    monkeypatch.setattr("selfcheck.report.collect.collect_report_data", lambda w, i: (small.data, small.photo_loader))
    monkeypatch.setenv("SELFCHECK_KEY_PASSWORD", "not it")
    assert run(_args(school_key.p12, tmp_path / "r.pdf")) == 2
    assert "密钥文件密码错误" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_export_from_a_real_workbook_end_to_end(school_key: SchoolKey, tmp_path: Path,  # noqa: F811
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from selfcheck.report.data import ATTACHMENT_NAME
    from selfcheck.workbook.demo import build_demo
    from selfcheck.workbook.service import Workbook
    from tests.report.fixtures import poppler

    workbook = build_demo(tmp_path / "demo.selfcheck", photos=3)
    with Workbook.open(workbook, actor="测试", read_only=True) as wb:
        school = wb.get_school()
        assert school is not None
    (tmp_path / "key").mkdir()
    key = create_key(tmp_path / "key", school=school.name)  # the demo school's own key
    monkeypatch.setenv("SELFCHECK_KEY_PASSWORD", key.password)
    out = tmp_path / "report.pdf"
    args = ["report", "export", "--workbook", str(workbook), "--inspection", "latest", "--key", str(key.p12),
            "--out", str(out)]
    assert run(args) == 0, capsys.readouterr().err
    assert "不一致" not in capsys.readouterr().err
    result = verify_report(out)
    assert result.intact and result.exit_code == 3, result.problems
    assert result.report_data is not None and result.report_data.school.name == school.name
    assert ATTACHMENT_NAME in poppler("pdfdetach", "-list", str(out))
    assert school.name in poppler("pdftotext", "-raw", "-enc", "UTF-8", str(out), "-").replace("\n", "")


def test_a_missing_workbook_is_a_clear_error(school_key: SchoolKey, tmp_path: Path,  # noqa: F811
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SELFCHECK_KEY_PASSWORD", school_key.password)
    args = ["report", "export", "--workbook", str(tmp_path / "none.selfcheck"), "--inspection", "latest", "--key",
            str(school_key.p12), "--out", str(tmp_path / "r.pdf")]
    assert run(args) == 2
    assert "找不到工作簿文件" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.slow
def test_a_key_of_another_school_is_refused_unless_allowed(other_key: SchoolKey, tmp_path: Path,  # noqa: F811
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    small = make_sample(photos=0)  # the workbook's school is 某某市第一中学; the key is 另一所中学's
    monkeypatch.setattr("selfcheck.report.collect.collect_report_data", lambda w, i: (small.data, small.photo_loader))
    monkeypatch.setenv("SELFCHECK_KEY_PASSWORD", other_key.password)
    out = tmp_path / "r.pdf"
    assert run(_args(other_key.p12, out)) == 2
    captured = capsys.readouterr()
    assert "密钥证书上的学校是“另一所中学”，与本工作簿的学校“某某市第一中学”不一致" in captured.err
    assert "--allow-other-school" in captured.err and "已导出" not in captured.out
    assert list(tmp_path.iterdir()) == []

    assert run(_args(other_key.p12, out, "--allow-other-school")) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("注意：密钥证书上的学校是“另一所中学”") and "已导出报告" in captured.out
    result = verify_report(out)
    assert result.exit_code == 1 and result.signatures[0].signer_school == "另一所中学"
    assert result.failure_kinds == {"other_school"}


@pytest.mark.slow
def test_a_school_name_differing_only_in_spacing_is_the_same_school(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    small = make_sample(photos=0, school_name="某某市　第一中学 ")  # a full-width space typed in the school profile
    monkeypatch.setattr("selfcheck.report.collect.collect_report_data", lambda w, i: (small.data, small.photo_loader))
    key = create_key(tmp_path, school="某某市第一中学")
    monkeypatch.setenv("SELFCHECK_KEY_PASSWORD", key.password)
    (tmp_path / "out").mkdir()
    assert run(_args(key.p12, tmp_path / "out" / "r.pdf")) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.slow
def test_signature_option_draws_the_principals_signature(school_key: SchoolKey, signature_png: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """`--signature SIGN.png` puts the dark-blue handwritten name into the signature field; without it, none."""
    from selfcheck.report.pdf import build_pdf
    from tests.report.test_export import _field_pixels

    small = make_sample(photos=0)
    monkeypatch.setattr("selfcheck.report.collect.collect_report_data", lambda *_: (small.data, small.photo_loader))
    monkeypatch.setenv("SELFCHECK_KEY_PASSWORD", school_key.password)
    spot = build_pdf(small.data, small.photo_loader).signature

    def blue(out: Path) -> int:
        pixels = _field_pixels(out, spot, tmp_path / out.stem)
        return sum(1 for r, g, b in pixels if b > 80 and r < 70 and g < 70 and b - r > 40)

    (tmp_path / "with").mkdir()
    (tmp_path / "without").mkdir()
    assert run(_args(school_key.p12, tmp_path / "with.pdf", "--signature", str(signature_png))) == 0
    assert run(_args(school_key.p12, tmp_path / "without.pdf")) == 0
    assert blue(tmp_path / "with.pdf") > 300, "the signature image is missing from the appearance"
    assert blue(tmp_path / "without.pdf") == 0
    assert verify_report(tmp_path / "with.pdf").intact


def test_unreadable_signature_image_is_a_chinese_error(school_key: SchoolKey, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    small = make_sample(photos=0)
    monkeypatch.setattr("selfcheck.report.collect.collect_report_data", lambda *_: (small.data, small.photo_loader))
    monkeypatch.setenv("SELFCHECK_KEY_PASSWORD", school_key.password)
    bogus = tmp_path / "sign.png"
    bogus.write_bytes(b"not a picture")
    out = tmp_path / "r.pdf"
    assert run(_args(school_key.p12, out, "--signature", str(bogus))) == 2
    assert capsys.readouterr().err == f"错误：校长签名图片无法读取（应为 PNG 或 JPEG 图片）：{bogus}\n"
    assert not out.exists()
    assert run(_args(school_key.p12, out, "--signature", str(tmp_path / "none.png"))) == 2
    assert capsys.readouterr().err == f"错误：找不到校长签名图片：{tmp_path / 'none.png'}\n"
