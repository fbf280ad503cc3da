"""District packs (区县清单包): read from a folder or .zip, validated, imported once, loaded with the built-ins,
and their values reach the items and the inspection's snapshot."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from selfcheck.checklists.answers import Compliance, compliance_of
from selfcheck.checklists.packs import (
    PackError,
    import_pack,
    installed_pack,
    read_pack,
    validate_pack,
    write_pack,
    zip_pack,
)
from selfcheck.cli.main import run

LOCAL = """\
id: district-extra
version: "2026.1"
title: 本区补充自查表
area: "N"
order: 95
documents:
  - {key: local, title: 本区补充规定, kind: 地方文件}
parameters:
  - {name: 补充课时, default: 2, unit: 课时, source: 本区规定, integer: true}
sections:
  - id: s
    title: 补充
    items:
      - id: DXT-01
        question: 本检查期开展了几课时补充教育（不少于 {补充课时} 课时）？
        guidance: 按课表统计。
        evidence: {description: 课表}
        severity: 一般
        score: 2
        basis: [{doc: local}]
        answer: {type: number, unit: 课时, integer: true, min: {param: 补充课时}}
"""


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    source = tmp_path / "district-extra.yaml"
    source.write_text(LOCAL, encoding="utf-8")
    return write_pack(tmp_path / "pack", name="某区2026年秋季清单包", version="2026.1", district="某区教育局",
                      values={"一教一辅上限": 2, "补充课时": 3}, checklist_files=[source])


def test_pack_values_override_built_in_and_own_defaults(pack_dir: Path) -> None:
    pack = read_pack(pack_dir)
    assert (pack.name, pack.version, pack.checklist_ids) == ("某区2026年秋季清单包", "2026.1", ["district-extra"])
    checklists = {c.id: c for c in pack.load_checklists()}
    book02 = checklists["books"].item("BOOK-02")
    assert "不超过 2 套" in book02.guidance
    assert compliance_of(book02, "2") is Compliance.COMPLIANT
    assert compliance_of(book02, "3") is Compliance.NONCOMPLIANT
    extra = checklists["district-extra"].item("DXT-01")
    assert "不少于 3 课时" in extra.question and compliance_of(extra, "2") is Compliance.NONCOMPLIANT
    applied = checklists["books"].applied
    assert applied.pack.name == "某区2026年秋季清单包"
    assert [(p.name, p.value) for p in applied.parameters] == [("一教一辅上限", 2)]
    assert "区县清单包" in applied.parameters[0].source


def test_zip_pack_reads_like_the_folder(pack_dir: Path, tmp_path: Path) -> None:
    archive = zip_pack(pack_dir, tmp_path / "pack.zip")
    pack = read_pack(archive)
    assert pack.values == {"一教一辅上限": 2.0, "补充课时": 3.0}
    assert "不少于 3 课时" in next(c for c in pack.load_checklists() if c.id == "district-extra").item("DXT-01").question


@pytest.mark.parametrize(
    ("manifest", "words"),
    [
        ("name: 包\nversion: 1\n", "版本 version"),
        ("version: '1'\n", "清单包名称 name"),
        ("name: 包\nversion: '1'\nparameters: {不存在的参数: 1}\n", "没有哪份清单使用"),
        ("name: 包\nversion: '1'\nparameters: {一教一辅上限: 1.5}\n", "应为整数"),
        ("name: 包\nversion: '1'\nparameters: {一教一辅上限: 9}\n", "大于允许的最大值"),
        ("name: 包\nversion: '1'\nparameters: {一教一辅上限: 多}\n", "应为数字"),
        ("name: 包\nversion: '1'\nauthor: 某人\n", "未知字段"),
        ("name: [包\n", "括号"),
    ],
)
def test_broken_manifest_is_reported(tmp_path: Path, manifest: str, words: str) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "pack.yaml").write_text(manifest, encoding="utf-8")
    problems = validate_pack(folder)
    assert any(words in p.message for p in problems), [str(p) for p in problems]


def test_pack_checklist_may_not_reuse_a_built_in_id(tmp_path: Path) -> None:
    clash = tmp_path / "clash.yaml"
    clash.write_text(LOCAL.replace("DXT-01", "BOOK-01"), encoding="utf-8")
    folder = write_pack(tmp_path / "p", name="包", version="1", checklist_files=[clash])
    assert any("BOOK-01" in p.message for p in validate_pack(folder))


def test_zip_without_a_manifest_or_not_a_zip(tmp_path: Path) -> None:
    archive = tmp_path / "x.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a.yaml", LOCAL)
    assert "pack.yaml" in str(validate_pack(archive)[0])
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"garbage")
    assert validate_pack(junk)[0].message == "这个压缩包已损坏，或不是 .zip 文件，无法读取。请向区县重新索取清单包（.zip）。"


def test_import_installs_once_and_replaces_only_a_valid_pack(pack_dir: Path, tmp_path: Path) -> None:
    root = tmp_path / "installed"
    assert installed_pack(root) is None
    import_pack(zip_pack(pack_dir, tmp_path / "p.zip"), root)
    assert installed_pack(root).name == "某区2026年秋季清单包"
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "pack.yaml").write_text("name: 坏包\nversion: '2'\nparameters: {一教一辅上限: -1}\n", encoding="utf-8")
    with pytest.raises(PackError):
        import_pack(bad, root)
    assert installed_pack(root).version == "2026.1"  # the earlier pack is untouched


def test_cli_pack_and_import_pack(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    source = tmp_path / "district-extra.yaml"
    source.write_text(LOCAL, encoding="utf-8")
    archive = tmp_path / "区包.zip"
    assert run(["checklists", "pack", str(archive), "--name", "某区包", "--version", "1",
                "--set", "补充课时=4", "--checklist", str(source)]) == 0
    assert run(["checklists", "import-pack", str(archive), "--check"]) == 0
    assert run(["checklists", "import-pack", str(archive)]) == 0
    out = capsys.readouterr().out
    assert "已导入清单包“某区包”" in out and "补充课时=4" in out
    assert run(["checklists", "pack", str(tmp_path / "bad"), "--name", "包", "--version", "1",
                "--set", "补充课时=1.5", "--checklist", str(source)]) != 0
    assert "应为整数" in capsys.readouterr().err


def test_a_zip_bomb_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("pack.yaml", "name: 包\nversion: '1'\n")
        zf.writestr("big.yaml", b"\0" * (21 * 1024 * 1024))
    assert archive.stat().st_size < 1024 * 1024
    assert any("过大" in p.message for p in validate_pack(archive))
    with pytest.raises(PackError):
        import_pack(archive, tmp_path / "installed")
    assert installed_pack(tmp_path / "installed") is None
