"""Cases for checklist files, district packs, the Excel template and the school's command line: a district's bad
checklist file, a broken pack (folder or .zip), a wrong .xlsx, a read-only folder or full disk while writing, and
the mistakes typed on the command line (a wrong inspection number, no key password, mismatched passwords...)."""

from __future__ import annotations

import errno
import zipfile
from pathlib import Path

from tests.messages.support import Env, T, failing, os_error

# --- checklists/loader.py: a checklist file written by a district, read from a file or an extra folder -----------

GOOD = """\
id: msg-extra
version: "1.0"
title: 补充自查表
area: "N"
order: 90
documents:
  - {key: local, title: 本区补充规定, kind: 地方文件}
parameters:
  - {name: 课时下限, default: 2, unit: 课时, source: 本区规定, integer: true}
sections:
  - id: s
    title: 补充
    items:
      - id: MSG-01
        question: 是否开展补充教育？
        guidance: 查阅记录。
        evidence: {description: 活动记录}
        severity: 一般
        score: 2
        basis: [{doc: local}]
      - id: MSG-02
        question: 本学期开展了几课时（不少于 {课时下限} 课时）？
        guidance: 按课表统计。
        evidence: {description: 课表}
        severity: 一般
        score: 2
        basis: [{doc: local}]
        answer: {type: number, unit: 课时, integer: true, min: {param: 课时下限}}
"""


def _write(env: Env, text: str | bytes, name: str = "extra.yaml") -> Path:
    path = env.tmp / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _load(env: Env, text: str | bytes) -> None:
    from selfcheck.checklists.loader import load_checklist_template

    load_checklist_template(_write(env, text))


def _changed(old: str, new: str, *, count: int = 1) -> str:
    assert GOOD.count(old) >= count, old
    return GOOD.replace(old, new, count)


def _loading(text: str | bytes) -> object:
    return lambda env: _load(env, text)


def _missing_file(env: Env) -> None:
    from selfcheck.checklists.loader import load_checklist_template

    load_checklist_template(env.tmp / "没有这个文件.yaml")


def _folder_named_yaml(env: Env) -> None:
    from selfcheck.checklists.loader import load_checklist_template

    (env.tmp / "extra.yaml").mkdir()
    load_checklist_template(env.tmp / "extra.yaml")


def _unreadable(env: Env) -> None:
    """The file is on a stick that was pulled out after the folder was listed."""
    path = _write(env, GOOD)
    env.monkeypatch.setattr(Path, "read_bytes", failing(os_error(errno.EIO)))
    from selfcheck.checklists.loader import load_checklist_template

    load_checklist_template(path)


def _extra_folder_missing(env: Env) -> None:
    from selfcheck.checklists.loader import load_checklists

    load_checklists([env.tmp / "额外清单"])


def _extra_folder(env: Env, files: dict[str, str]) -> None:
    from selfcheck.checklists.loader import load_checklists

    folder = env.tmp / "额外清单"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    load_checklists([folder])


SECOND = GOOD.replace("title: 补充自查表", "title: 另一份补充表")
LOADER_CASES = [
    ("checklist-file-too-big", _loading(GOOD + "#" * 601 * 1024),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml: 文件过大（601 KB），检查清单文件不应超过 512 KB。请检查是否选错了文件。"),
    ("checklist-file-missing", _missing_file, "检查清单文件有 1 处错误（没有这个文件.yaml）：\n没有这个文件.yaml: 文件不存在，请检查路径。"),
    ("checklist-file-is-a-folder", _folder_named_yaml,
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml: 这是一个文件夹，不是检查清单文件。"),
    ("checklist-file-unreadable", _unreadable,
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml: 无法读取文件（读写出错，U盘或移动硬盘可能已被拔出，或磁盘有坏道）。"),
    ("checklist-not-utf8", _loading(GOOD.encode("gb18030")),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:3: 文件不是 UTF-8 编码，请用 UTF-8 编码另存后再试。"),
    ("checklist-empty", _loading("\n  \n"), "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:1:1: 文件是空的。"),
    ("checklist-only-comments", _loading("# 待补充\n"),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:1:1: 文件里只有注释，没有检查清单内容。"),
    ("checklist-tab-indent", _loading(_changed("    title: 补充", "\ttitle: 补充")),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:12:1: YAML 不允许用 Tab 键缩进，请改用空格。"),
    ("checklist-alias", _loading(_changed("basis: [{doc: local}]", "basis: &b [{doc: local}]") + "      - id: MSG-03\n"
                                 "        question: 是否？\n        guidance: 查。\n        evidence: {description: 记录}\n"
                                 "        severity: 一般\n        score: 1\n        basis: *b\n"),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:35:16: 检查清单文件不能使用 YAML 别名（“*名称”）：请把被引用的内容直接写在这里。（为防止恶意文件耗尽内存，别名一律不予读取。）"),
    ("checklist-not-a-mapping", _loading("- 一\n- 二\n"),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:1:1: 文件的最外层应是“字段: 值”的映射（以 id:、title: 等开头）。"),
    ("checklist-duplicate-key", _loading(_changed("order: 90", "order: 90\norder: 91")),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:6:1: 字段“order”写了两次，请只保留一处。"),
    ("checklist-missing-field", _loading(_changed("title: 补充自查表\n", "")),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:1:1: 缺少必填字段 标题 title。"),
    ("checklist-bad-area", _loading(_changed('area: "N"', 'area: "4"')),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:4:7: 领域 area 的值 “4” 无效，应为 “1”“3”或“N”（注意加引号）。"),
    ("checklist-duplicate-document", _loading(_changed("documents:\n", "documents:\n  - {key: local, title: 重复}\n")),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:8:11: 依据文件代号“local”重复。"),
    ("checklist-duplicate-section", _loading(GOOD + "  - id: s\n    title: 又一节\n    items:\n      - id: MSG-09\n"
                                                    "        question: 是否？\n        guidance: 查。\n"
                                                    "        evidence: {description: 记录}\n        severity: 一般\n"
                                                    "        score: 1\n        basis: [{doc: local}]\n"),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:29:9: 章节编号“s”重复。"),
    ("checklist-duplicate-item", _loading(_changed("id: MSG-02", "id: MSG-01")),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:21:13: 检查项编号“MSG-01”在本文件中重复。"),
    ("checklist-unknown-basis", _loading(_changed("basis: [{doc: local}]", "basis: [{doc: other}]")),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:20:23: 检查项 MSG-01 引用了未在 documents 中列出的文件“other”（已列出：local）。"),
    ("checklist-show-if-self", _loading(_changed("        answer: {type: number",
                                                 "        show_if: {item: MSG-02, equals: yes}\n"
                                                 "        answer: {type: number")),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:28:25: 检查项 MSG-02 的 show_if 不能指向自己。"),
    ("checklist-show-if-later", _loading(_changed("        basis: [{doc: local}]\n      - id: MSG-02",
                                                  "        basis: [{doc: local}]\n        show_if: {item: MSG-02,"
                                                  " equals: yes}\n      - id: MSG-02")),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:21:25: 检查项 MSG-01 的 show_if 指向“MSG-02”，但本清单中在它之前没有这个检查项。"),
    ("checklist-show-if-bad-value", _loading(_changed("        answer: {type: number",
                                                      "        show_if: {item: MSG-01, equals: 有}\n"
                                                      "        answer: {type: number")),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:28:41: 检查项 MSG-02 的 show_if 条件值“有”不是 MSG-01 的有效答案（可选：yes、no、na）。"),
    ("checklist-integer-bound", _loading(_changed("min: {param: 课时下限}", "min: {param: 课时下限}, max: 2.5")),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:28:82: 检查项 MSG-02 的 max 应为整数（已设 integer: true）。"),
    ("checklist-applied-written", _loading(GOOD + "applied: {parameters: []}\n"),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:29:10: 字段 applied 由软件在加载清单时填写，清单文件中不要写它。"),
    ("checklist-duplicate-parameter", _loading(_changed("parameters:\n", "parameters:\n  - {name: 课时下限, default: 1, source: 本区}\n")),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:10:12: 参数名“课时下限”重复。"),
    ("checklist-undeclared-placeholder", _loading(_changed("{课时下限} 课时", "{课时上限} 课时")),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:22:19: 检查项 MSG-02 的文字引用了参数“{{课时上限}}”，但 parameters 中没有声明这个参数。"),
    ("checklist-stray-brace", _loading(_changed("是否开展补充教育？", "是否开展补充教育{？")),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:15:19: 检查项 MSG-01 的文字里有不成对的花括号；引用参数请写成 {{参数名}}。"),
    ("checklist-undeclared-param-ref", _loading(_changed("min: {param: 课时下限}", "min: {param: 课时下限}, "
                                                                                 "max: {param: 课时上限}")),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:28:82: 检查项 MSG-02 引用了参数“课时上限”，但 parameters 中没有声明这个参数。"),
    ("checklist-unused-parameter", _loading(_changed("parameters:\n", "parameters:\n  - {name: 备用, default: 1, source: 本区}\n")),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:9:12: 参数“备用”已声明，但没有检查项或档次使用它。"),
    ("checklist-infinite-score", _loading(_changed("score: 2", "score: .inf")),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:19:16: 检查项 MSG-01：分值 score 应为普通的数字，实际是 inf（不能写 .inf 或 .nan）。"),
    ("checklist-nan-bound", _loading(_changed("min: {param: 课时下限}", "min: .nan")),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:28:62: 检查项 MSG-02：下限 min 应为普通的数字，实际是 nan（不能写 .inf 或 .nan）。"),
    ("checklist-infinite-parameter-default", _loading(_changed("default: 2,", "default: .inf,")),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:9:27: 默认值 default 应为普通的数字，实际是 inf（不能写 .inf 或 .nan）。"),
    ("checklist-default-out-of-range", _loading(_changed("min: {param: 课时下限}", "min: {param: 课时下限}, max: 1")),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:9:3: 按参数默认值代入后：min（2）不能大于 max（1）。"),
    ("extra-folder-missing", _extra_folder_missing, f"检查清单文件有 1 处错误（{T}/额外清单）：\n{T}/额外清单: 额外清单文件夹不存在。"),
    ("extra-duplicate-checklist-id", lambda env: _extra_folder(env, {"a.yaml": GOOD, "b.yaml": SECOND.replace(
        "MSG-0", "MSH-0")}), "检查清单文件有 1 处错误（b.yaml）：\nb.yaml:1:5: 清单编号“msg-extra”与 a.yaml 重复。"),
    ("extra-duplicate-item-id", lambda env: _extra_folder(env, {"a.yaml": GOOD, "b.yaml": SECOND.replace(
        "id: msg-extra", "id: msg-other")}),
     "检查清单文件有 2 处错误（b.yaml）：\nb.yaml:14:13: 检查项编号“MSG-01”与 a.yaml 中的检查项重复。\nb.yaml:21:13: 检查项编号“MSG-02”与 a.yaml 中的检查项重复。"),
]


# --- checklists/packs.py: a district pack (folder or .zip) read, checked and imported ---------------------------

PACKED = GOOD.replace("source: 本区规定, integer: true}", "source: 本区规定, integer: true, min: 1, max: 8}")
MANIFEST = "name: 某区清单包\nversion: '2026.1'\nparameters: {课时下限: 3}\n"


def _pack_folder(env: Env, manifest: str | bytes | None = MANIFEST, checklist: str = PACKED) -> Path:
    folder = env.tmp / "清单包"
    folder.mkdir()
    (folder / "extra.yaml").write_text(checklist, encoding="utf-8")
    if isinstance(manifest, bytes):
        (folder / "pack.yaml").write_bytes(manifest)
    elif manifest is not None:
        (folder / "pack.yaml").write_text(manifest, encoding="utf-8")
    return folder


def _read_pack(env: Env, manifest: str | bytes | None = MANIFEST, checklist: str = PACKED) -> None:
    from selfcheck.checklists.packs import read_pack

    read_pack(_pack_folder(env, manifest, checklist))


def _reading_pack(manifest: str | bytes | None = MANIFEST, checklist: str = PACKED) -> object:
    return lambda env: _read_pack(env, manifest, checklist)


def _pack_clashes_with_extra_folder(env: Env) -> None:
    from selfcheck.checklists.packs import read_pack

    pack = read_pack(_pack_folder(env))
    extra = env.tmp / "额外清单"
    extra.mkdir()
    (extra / "mine.yaml").write_text(GOOD, encoding="utf-8")
    pack.load_checklists([extra])


def _zip(env: Env, members: dict[str, bytes | str], *, encrypted: bool = False) -> Path:
    archive = env.tmp / "清单包.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    if encrypted:  # as a zip tool's "set a password" leaves it: the encryption bit in every header
        raw = bytearray(archive.read_bytes())
        for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            start = raw.find(signature)
            while start >= 0:
                raw[start + flag_at] |= 0x1
                start = raw.find(signature, start + 4)
        archive.write_bytes(bytes(raw))
    return archive


def _read_zip(env: Env, members: dict[str, bytes | str], *, encrypted: bool = False) -> None:
    from selfcheck.checklists.packs import read_pack

    read_pack(_zip(env, members, encrypted=encrypted))


def _zip_size_lies(env: Env) -> None:
    """A crafted .zip whose directory claims 100 bytes for a 21 MB member: only 100 bytes are ever read, so the
    member fails its checksum instead of filling the disk."""
    import struct

    from selfcheck.checklists.packs import read_pack

    archive = _zip(env, {"pack.yaml": MANIFEST, "big.yaml": "#" * (21 * 1024 * 1024)})
    raw = bytearray(archive.read_bytes())
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = raw.find(signature)
        while start >= 0:
            if struct.unpack_from("<I", raw, start + size_at)[0] > 1024 * 1024:
                struct.pack_into("<I", raw, start + size_at, 100)
            start = raw.find(signature, start + 4)
    archive.write_bytes(bytes(raw))
    read_pack(archive)


def _not_a_zip(env: Env) -> None:
    from selfcheck.checklists.packs import read_pack

    (env.tmp / "清单包.zip").write_bytes(b"PK\x03\x04 the mail client cut this download short")
    read_pack(env.tmp / "清单包.zip")


def _zip_disk_full(env: Env) -> None:
    env.monkeypatch.setattr(Path, "write_bytes", failing(os_error(errno.ENOSPC)))
    _read_zip(env, {"pack.yaml": MANIFEST, "extra.yaml": PACKED})


def _pack_path_missing(env: Env) -> None:
    from selfcheck.checklists.packs import read_pack

    read_pack(env.tmp / "清单包.zip")


def _import(env: Env, source: Path) -> None:
    from selfcheck.checklists.packs import import_pack

    import_pack(source, env.tmp / "数据" / "区县清单包")


def _import_missing(env: Env) -> None:
    _import(env, env.tmp / "清单包.zip")


def _import_data_folder_read_only(env: Env) -> None:
    import tempfile

    folder = _pack_folder(env)
    env.monkeypatch.setattr(tempfile, "mkdtemp", failing(os_error(errno.EACCES)))
    _import(env, folder)


def _import_install_fails(env: Env) -> None:
    """Windows: the installed pack's folder is open in Explorer, so it cannot be moved aside."""
    folder = _pack_folder(env)
    _import(env, folder)  # a first pack is installed
    env.monkeypatch.setattr(Path, "rename", failing(os_error(errno.EACCES, winerror=32)))
    _import(env, folder)


def _import_copy_disk_full(env: Env) -> None:
    import shutil

    folder = _pack_folder(env)
    env.monkeypatch.setattr(shutil, "copy2", failing(os_error(errno.ENOSPC)))
    _import(env, folder)


DAMAGED_ZIP = "清单包有 1 处问题（清单包.zip）：\n清单包.zip: 这个压缩包已损坏，或不是 .zip 文件，无法读取。请向区县重新索取清单包（.zip）。"
PACK_CASES = [
    ("pack-clashes-with-extra-folder", _pack_clashes_with_extra_folder,
     "清单包有 1 处问题（某区清单包）：\n某区清单包: 清单包中的编号与已加载的清单重复：msg-extra、MSG-01、MSG-02。"),
    ("pack-no-manifest", _reading_pack(None),
     "清单包有 1 处问题（pack.yaml）：\npack.yaml: 清单包里没有 pack.yaml（写明清单包名称 name、版本 version 和参数取值 parameters）。"),
    ("pack-manifest-too-big", _reading_pack(MANIFEST + "#" * 300 * 1024),
     "清单包有 1 处问题（pack.yaml）：\npack.yaml: pack.yaml 过大，不像是清单包的说明文件。"),
    ("pack-manifest-not-utf8", _reading_pack(MANIFEST.encode("gb18030")),
     "清单包有 1 处问题（pack.yaml）：\npack.yaml: pack.yaml 不是 UTF-8 编码，请用 UTF-8 编码另存后再试。"),
    ("pack-manifest-bad-yaml", _reading_pack(MANIFEST.replace("version", "\tversion")),
     "清单包有 1 处问题（pack.yaml）：\npack.yaml:2:1: YAML 不允许用 Tab 键缩进，请改用空格。"),
    ("pack-manifest-not-a-mapping", _reading_pack("- 某区清单包\n"),
     "清单包有 1 处问题（pack.yaml）：\npack.yaml:1:1: pack.yaml 的最外层应是“字段: 值”的映射（name、version、parameters）。"),
    ("pack-manifest-version-not-text", _reading_pack(MANIFEST.replace("'2026.1'", "2026.1")), '清单包有 1 处问题（pack.yaml）：\npack.yaml: 缺少版本 version，或它不是文本（版本号请加引号，如 "2026.1"）。'),
    ("pack-manifest-district-not-text", _reading_pack(MANIFEST + "district: 2026\n"),
     "清单包有 1 处问题（pack.yaml）：\npack.yaml: 字段 district 应为文本。"),
    ("pack-manifest-unknown-field", _reading_pack(MANIFEST + "author: 张三\n"),
     "清单包有 1 处问题（pack.yaml）：\npack.yaml: 有未知字段：author（可用：name、version、district、description、parameters）。"),
    ("pack-manifest-parameters-not-mapping", _reading_pack(MANIFEST.replace("{课时下限: 3}", "[课时下限]")),
     "清单包有 1 处问题（pack.yaml）：\npack.yaml: parameters 应为“参数名: 取值”的映射。"),
    ("pack-unknown-parameter", _reading_pack(MANIFEST.replace("{课时下限: 3}", "{课时下限: 3, 课时上限: 9}")),
     ("清单包有 1 处问题（pack.yaml）：\n"
      "pack.yaml: 参数“课时上限”没有哪份清单使用（可设定的参数："
      "一教一辅上限、公开招标数额标准、小额采购比价家数、意识形态研究次数、政府采购限额标准、校服家长同意比例、清廉教育课时、清廉文化活动次数、留样克数、留样小时、示范档得分率、规范档得分率、课时下限、达标档得分率）。")),
    ("pack-parameter-not-a-number", _reading_pack(MANIFEST.replace("3}", "三}")),
     "清单包有 1 处问题（pack.yaml）：\npack.yaml: 参数“课时下限”的取值应为数字，实际是“三”。"),
    ("pack-parameter-not-an-integer", _reading_pack(MANIFEST.replace("3}", "2.5}")),
     "清单包有 1 处问题（pack.yaml）：\npack.yaml: 参数“课时下限”的取值应为整数，实际是 2.5。"),
    ("pack-parameter-below-minimum", _reading_pack(MANIFEST.replace("3}", "0}")),
     "清单包有 1 处问题（pack.yaml）：\npack.yaml: 参数“课时下限”的取值 0课时 小于允许的最小值 1课时。"),
    ("pack-parameter-above-maximum", _reading_pack(MANIFEST.replace("3}", "12}")),
     "清单包有 1 处问题（pack.yaml）：\npack.yaml: 参数“课时下限”的取值 12课时 大于允许的最大值 8课时。"),
    ("pack-checklist-broken", _reading_pack(checklist=PACKED.replace("title: 补充自查表\n", "")),
     "清单包有 2 处问题（extra.yaml、pack.yaml）：\nextra.yaml:1:1: 缺少必填字段 标题 title。\npack.yaml: 参数“课时下限”没有哪份清单使用（可设定的参数：无）。"),
    ("pack-zip-too-many-files", lambda env: _read_zip(env, {f"{i}.txt": "" for i in range(201)}),
     "清单包有 1 处问题（清单包.zip）：\n清单包.zip: 压缩包里文件过多（201 个），不像是清单包。"),
    ("pack-zip-too-big", lambda env: _read_zip(env, {"pack.yaml": MANIFEST, "big.yaml": "#" * (21 * 1024 * 1024)}),
     "清单包有 1 处问题（清单包.zip）：\n清单包.zip: 压缩包解压后过大（超过 20 MB），不像是清单包。"),
    ("pack-zip-no-manifest", lambda env: _read_zip(env, {"extra.yaml": PACKED}),
     "清单包有 1 处问题（清单包.zip）：\n清单包.zip: 压缩包里应当正好有一个 pack.yaml。"),
    ("pack-zip-two-manifests", lambda env: _read_zip(env, {"pack.yaml": MANIFEST, "旧/pack.yaml": MANIFEST}),
     "清单包有 1 处问题（清单包.zip）：\n清单包.zip: 压缩包里应当正好有一个 pack.yaml。"),
    ("pack-zip-size-lies", _zip_size_lies, DAMAGED_ZIP),
    ("pack-zip-damaged", _not_a_zip, DAMAGED_ZIP),
    ("pack-zip-encrypted", lambda env: _read_zip(env, {"pack.yaml": MANIFEST, "extra.yaml": PACKED}, encrypted=True),
     "清单包有 1 处问题（清单包.zip）：\n清单包.zip: 这个压缩包设置了密码，无法读取。请向区县索取未加密的清单包（.zip）。"),
    ("pack-zip-disk-full", _zip_disk_full, "清单包有 1 处问题（清单包.zip）：\n清单包.zip: 无法解压这个压缩包：磁盘空间不足。"),
    ("pack-not-found", _pack_path_missing, f"清单包有 1 处问题（{T}/清单包.zip）：\n{T}/清单包.zip: 找不到这个清单包（文件夹或 .zip 文件）。"),
    ("pack-import-not-found", _import_missing, f"清单包有 1 处问题（{T}/清单包.zip）：\n{T}/清单包.zip: 找不到这个清单包（文件夹或 .zip 文件）。"),
    ("pack-import-data-folder-read-only", _import_data_folder_read_only,
     f"清单包有 1 处问题（清单包）：\n清单包: 无法把清单包保存到 {T}/数据：没有权限（文件可能是只读的，或正被其他程序占用）。清单包没有导入。"),
    ("pack-import-installed-folder-in-use", _import_install_fails,
     "清单包有 1 处问题（清单包）：\n清单包: 清单包没有导入：文件正被其他程序打开（例如 PDF 阅读器或 Excel），请关闭后重试。已导入的清单包保持不变。"),
    ("pack-import-disk-full", _import_copy_disk_full, "清单包有 1 处问题（清单包）：\n清单包: 清单包没有导入：磁盘空间不足。已导入的清单包保持不变。"),
]



# --- checklists/xlsx_template.py and xlsx_import.py: the Excel template a district fills in --------------------


def _template(env: Env, name: str = "模板.xlsx") -> Path:
    from selfcheck.checklists.xlsx_template import write_template

    return write_template(env.tmp / name)


def _template_read_only_folder(env: Env) -> None:
    import tempfile

    env.monkeypatch.setattr(tempfile, "mkstemp", failing(os_error(errno.EROFS)))
    _template(env)


def _template_open_in_excel(env: Env) -> None:
    """Windows: replacing a template that Excel holds open is refused."""
    import os

    from selfcheck.checklists import xlsx_template

    (env.tmp / "模板.xlsx").write_bytes(b"an older template, open in Excel")
    env.monkeypatch.setattr(xlsx_template.os, "replace", failing(PermissionError(errno.EACCES, os.strerror(errno.EACCES))))
    _template(env)


def _template_disk_full(env: Env) -> None:
    from openpyxl import Workbook

    env.monkeypatch.setattr(Workbook, "save", failing(os_error(errno.ENOSPC)))
    _template(env)


def _filled(env: Env, fill: object = None) -> Path:
    """The template with a small checklist typed in (as a district would), then `fill(book)` changes it."""
    from openpyxl import load_workbook

    from selfcheck.checklists.xlsx_layout import ITEM_COLUMNS

    path = _template(env)
    book = load_workbook(path)
    for row, value in zip(range(2, 8), ("msg-xlsx", "2026.1", "本区补充自查表", "N", 95, "说明"), strict=True):
        book["清单信息"].cell(row=row, column=2, value=value)
    book["依据文件"].append(["local", "本区补充规定", "地方文件", "本区教育局", None, 2026])
    cells = {"章节": "补充", "检查项编号": "MSX-01", "检查问题": "是否开展补充教育？", "检查指引": "查阅记录。",
             "佐证材料": "活动记录", "严重程度": "一般", "分值": 2, "依据": "local"}
    book["检查项"].append([cells.get(c.header) for c in ITEM_COLUMNS])
    if callable(fill):
        fill(book)
    book.save(path)
    return path


def _import_xlsx(env: Env, path: Path) -> None:
    from selfcheck.checklists.xlsx_import import import_xlsx

    import_xlsx(path, env.tmp / "清单")


def _importing(fill: object) -> object:
    return lambda env: _import_xlsx(env, _filled(env, fill))


def _set(sheet: str, cell: str, value: object) -> object:
    def fill(book: object) -> None:
        book[sheet][cell] = value  # type: ignore[index]

    return fill


def _xlsx_missing(env: Env) -> None:
    _import_xlsx(env, env.tmp / "模板.xlsx")


def _xlsx_too_big(env: Env) -> None:
    path = env.tmp / "模板.xlsx"
    with path.open("wb") as f:
        f.truncate(21 * 1024 * 1024)
    _import_xlsx(env, path)


def _xlsx_not_excel(env: Env) -> None:
    path = env.tmp / "模板.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0 an old .xls saved under a new name")
    _import_xlsx(env, path)


def _xlsx_open_in_excel(env: Env) -> None:
    """Windows: Excel holds the file open while the district runs the import."""
    import openpyxl

    path = _filled(env)
    env.monkeypatch.setattr(openpyxl, "load_workbook", failing(os_error(errno.EACCES, winerror=32)))
    _import_xlsx(env, path)


def _xlsx_out_read_only(env: Env) -> None:
    path = _filled(env)
    env.monkeypatch.setattr(Path, "mkdir", failing(os_error(errno.EROFS)))
    _import_xlsx(env, path)


def _without_sheet(name: str) -> object:
    def fill(book: object) -> None:
        del book[name]  # type: ignore[attr-defined]

    return fill


def _clear_row(sheet: str, row: int) -> object:
    def fill(book: object) -> None:
        for cell in book[sheet][row]:  # type: ignore[index]
            cell.value = None

    return fill


def _param_row(values: list[object]) -> object:
    def fill(book: object) -> None:
        book["参数"].append(values)  # type: ignore[index]

    return fill


def _number_item(low: str) -> object:
    def fill(book: object) -> None:
        items = book["检查项"]  # type: ignore[index]
        items["K2"], items["M2"], items["N2"] = "数字题", "课时", low

    return fill


XLSX_CASES = [
    ("template-name-not-xlsx", lambda env: _template(env, "模板.xls"), "模板文件名应以 .xlsx 结尾：模板.xls"),
    ("template-folder-missing", lambda env: _template(env, "没有/模板.xlsx"), f"保存模板的文件夹不存在：{T}/没有"),
    ("template-folder-read-only", _template_read_only_folder, f"无法在 {T} 中保存模板：所在位置是只读的（只读磁盘、写保护的U盘或只读的网络共享）。"),
    ("template-open-in-excel", _template_open_in_excel, "无法写入 模板.xlsx：文件可能正在 Excel 或 WPS 中打开，请关闭后再试。"),
    ("template-disk-full", _template_disk_full, "无法写入 模板.xlsx：磁盘空间不足。"),
    ("xlsx-missing", _xlsx_missing, f"找不到文件：{T}/模板.xlsx"),
    ("xlsx-too-big", _xlsx_too_big, "模板.xlsx 过大（超过 20 MB），不像是清单模板。"),
    ("xlsx-not-excel", _xlsx_not_excel,
     "无法打开 模板.xlsx：它不是有效的 Excel（.xlsx）文件。请用本软件生成的清单模板填写，在 Excel 或 WPS 中保存为 .xlsx 格式后再试。"),
    ("xlsx-open-in-excel", _xlsx_open_in_excel, "无法打开 模板.xlsx：文件正被其他程序打开（例如 PDF 阅读器或 Excel），请关闭后重试。"),
    ("xlsx-sheet-missing", _importing(_without_sheet("清单信息")),
     "模板中有 1 处问题，未写出任何文件：\n“清单信息”表：缺少工作表“清单信息”，请使用本软件生成的清单模板填写，不要改动工作表的名称。"),
    ("xlsx-cell-empty", _importing(_set("清单信息", "B4", None)), "模板中有 1 处问题，未写出任何文件：\n“清单信息”表第 4 行 B 列（清单标题）：不能为空。"),
    ("xlsx-bad-id", _importing(_set("清单信息", "B2", "区县清单")),
     "模板中有 1 处问题，未写出任何文件：\n“清单信息”表第 2 行 B 列（清单编号）：“区县清单”格式不对：只能用小写英文字母开头，后接小写字母、数字、- 或 _。"),
    ("xlsx-bad-score", _importing(_set("检查项", "H2", "两分")), "模板中有 1 处问题，未写出任何文件：\n“检查项”表第 2 行 H 列（分值）：应为数字，实际是“两分”。"),
    ("xlsx-unknown-basis", _importing(_set("检查项", "I2", "other")),
     "模板中有 1 处问题，未写出任何文件：\n“检查项”表第 2 行 I 列（依据）：“other”不是“依据文件”表中的文件代号（已列出：local）。"),
    ("xlsx-clashes-with-built-in", _importing(_set("检查项", "B2", "BOOK-01")),
     "模板中有 1 处问题，未写出任何文件：\n“检查项”表：检查项编号“BOOK-01”与 books.yaml 中的检查项重复。"),
    ("xlsx-header-renamed", _importing(_set("检查项", "C1", "问题")),
     "模板中有 1 处问题，未写出任何文件：\n“检查项”表第 1 行 C 列（检查问题）：缺少表头“检查问题”（表头不要改名或删除）。"),
    ("xlsx-bad-area", _importing(_set("清单信息", "B5", "4")),
     "模板中有 1 处问题，未写出任何文件：\n“清单信息”表第 5 行 B 列（所属领域）：“4”不是可选的值，应为 1、3 或 N。"),
    ("xlsx-order-not-integer", _importing(_set("清单信息", "B6", "第一")),
     "模板中有 1 处问题，未写出任何文件：\n“清单信息”表第 6 行 B 列（排序）：应为整数，实际是“第一”。"),
    ("xlsx-no-documents", _importing(_clear_row("依据文件", 2)),
     "模板中有 2 处问题，未写出任何文件：\n“依据文件”表第 2 行 A 列（文件代号）：至少要列出一份依据文件。\n“检查项”表第 2 行 I 列（依据）：“local”不是“依据文件”表中的文件代号（已列出：无）。"),
    ("xlsx-year-out-of-range", _importing(_set("依据文件", "F2", 1900)),
     "模板中有 1 处问题，未写出任何文件：\n“依据文件”表第 2 行 F 列（年份）：应在 1949～2100 之间，实际是 1900。"),
    ("xlsx-score-nan", _importing(_set("检查项", "H2", "nan")), "模板中有 1 处问题，未写出任何文件：\n“检查项”表第 2 行 H 列（分值）：应为数字，实际是“nan”。"),
    ("xlsx-score-not-integer", _importing(_set("检查项", "H2", 2.5)),
     "模板中有 1 处问题，未写出任何文件：\n“检查项”表第 2 行 H 列（分值）：应为整数，实际是 2.5。"),
    ("xlsx-severity-not-a-choice", _importing(_set("检查项", "G2", "很严重")),
     "模板中有 1 处问题，未写出任何文件：\n“检查项”表第 2 行 G 列（严重程度）：“很严重”不是可选的值，请从下拉列表中选择（一般、较重、严重）。"),
    ("xlsx-no-items", _importing(_clear_row("检查项", 2)), "模板中有 1 处问题，未写出任何文件：\n“检查项”表第 2 行 A 列（章节）：至少要有一个检查项。"),
    ("xlsx-bad-item-id", _importing(_set("检查项", "B2", "第1项")),
     "模板中有 1 处问题，未写出任何文件：\n“检查项”表第 2 行 B 列（检查项编号）：“第1项”格式不对：应为大写字母、短横线和两到三位数字，如 QX-01。"),
    ("xlsx-choice-without-options", _importing(_set("检查项", "K2", "选择题")),
     "模板中有 1 处问题，未写出任何文件：\n“检查项”表第 2 行 L 列（选项）：选择题要填写选项，如“自主经营:合规；承包经营:不合规”。"),
    ("xlsx-options-on-yes-no", _importing(_set("检查项", "L2", "有:合规；无:不合规")),
     "模板中有 1 处问题，未写出任何文件：\n“检查项”表第 2 行 L 列（选项）：只有选择题才填写选项，请把答案类型改为“选择题”或清空选项。"),
    ("xlsx-number-without-range", _importing(_set("检查项", "K2", "数字题")),
     "模板中有 1 处问题，未写出任何文件：\n“检查项”表第 2 行 N 列（下限）：数字题要填写合规范围：下限、上限至少填一个。"),
    ("xlsx-bad-parameter-name", _importing(_param_row(["课时 下限", 2, "课时", "本区规定", "是", 0, 10, None])),
     "模板中有 1 处问题，未写出任何文件：\n“参数”表第 2 行 A 列（参数名）：“课时 下限”不能含空格、花括号、冒号或逗号，最多 30 个字。"),
    ("xlsx-bound-unknown-parameter", _importing(_number_item("{课时上限}")),
     "模板中有 1 处问题，未写出任何文件：\n“检查项”表第 2 行 N 列（下限）：引用了参数“课时上限”，但“参数”表中没有这个参数。"),
    ("xlsx-show-if-badly-written", _importing(_set("检查项", "Q2", "MSX-01 是")),
     "模板中有 1 处问题，未写出任何文件：\n“检查项”表第 2 行 Q 列（显示条件）：“MSX-01 是”应写成“检查项编号：答案”，如“QX-01：承包经营、委托经营”。"),
    ("xlsx-out-folder-read-only", _xlsx_out_read_only, f"无法写出 {T}/清单/msg-xlsx.yaml：所在位置是只读的（只读磁盘、写保护的U盘或只读的网络共享）。"),
]



# --- the school's command line: what is typed wrong, and a disk that cannot be written ---------------------------


def _cli(env: Env, *argv: str | Path) -> None:
    """Run a command as `selfcheck ...` would, up to the UserError its command layer raises (run() would then
    print it after 错误： and exit 2)."""
    from selfcheck.cli.main import build_parser

    words = [str(arg) for arg in argv]
    args = build_parser(words).parse_args(words)
    args.func(args)


def _schema_fails(env: Env, err: OSError) -> None:
    env.monkeypatch.setattr(Path, "write_text", failing(err))
    _cli(env, "checklists", "schema", "--out", env.tmp / "schema.json")


def _no_password(env: Env, *argv: str | Path) -> None:
    """Run from a scheduled task or a pipe: no terminal to ask on and SELFCHECK_KEY_PASSWORD not set."""
    import io
    import sys

    env.monkeypatch.delenv("SELFCHECK_KEY_PASSWORD", raising=False)
    env.monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    _cli(env, *argv)


def _passwords_differ(env: Env) -> None:
    """At a terminal, the second entry of the new key's password differs from the first."""
    import getpass
    import sys

    env.monkeypatch.delenv("SELFCHECK_KEY_PASSWORD", raising=False)
    env.monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    typed = iter(["Xuexiao#2026ab", "Xuexiao#2026ba"])
    env.monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(typed))
    _cli(env, "key", "create", "--out", env.tmp / "school.p12", "--school", "城关第一小学")


def _password_prompt_closed(env: Env) -> None:
    """At a terminal, the user ends the password prompt with Ctrl+D (Ctrl+Z, Enter on Windows)."""
    import getpass
    import sys

    env.monkeypatch.delenv("SELFCHECK_KEY_PASSWORD", raising=False)
    env.monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    env.monkeypatch.setattr(getpass, "getpass", failing(EOFError()))
    _cli(env, "key", "info", env.school_key.p12)


def _pack_out_fails(env: Env, out: str, err: OSError) -> None:
    import shutil

    checklist = _write(env, PACKED)
    target = env.tmp / out
    real_copy = shutil.copy2

    def copy2(src: object, dst: object, **kwargs: object) -> object:
        if Path(str(dst)).is_relative_to(target):  # only the copy into the chosen folder fails
            raise err
        return real_copy(src, dst, **kwargs)  # type: ignore[arg-type]

    env.monkeypatch.setattr(shutil, "copy2", copy2)
    env.monkeypatch.setattr(zipfile.ZipFile, "write", failing(err))
    try:
        _cli(env, "checklists", "pack", target, "--name", "某区清单包", "--version", "2026.1", "--checklist", checklist)
    finally:
        assert not target.is_file(), "a half-written .zip was left behind"


def _export(env: Env, key: Path, *, inspection: str = "latest", workbook: Path | None = None) -> None:
    _cli(env, "report", "export", "--workbook", workbook or env.tmp / "学校.selfcheck", "--inspection", inspection,
         "--key", key, "--out", env.tmp / "报告.pdf")


def _export_with_another_schools_key(env: Env) -> None:
    from datetime import date

    from selfcheck.checklists.loader import load_builtin_checklists
    from selfcheck.workbook.models import NewInspection, SchoolProfile
    from selfcheck.workbook.service import Workbook

    path = env.workbook()
    with Workbook.open(path, actor="测试员") as wb:
        wb.save_school(SchoolProfile(name="城关第一小学"))
        checklists = list(load_builtin_checklists())[:1]
        wb.inspections.create(NewInspection(title="秋季自查", period_start=date(2026, 9, 1),
                                            period_end=date(2026, 9, 30), checklist_ids=[checklists[0].id]),
                              available=checklists)
    env.monkeypatch.setenv("SELFCHECK_KEY_PASSWORD", env.other_key.password)
    _export(env, env.other_key.p12, workbook=path)


CLI_CASES = [
    ("schema-out-folder-missing", lambda env: _cli(env, "checklists", "schema", "--out", env.tmp / "没有" / "s.json"),
     f"无法写入“{T}/没有/s.json”：所在的文件夹不存在。"),
    ("schema-out-read-only", lambda env: _schema_fails(env, os_error(errno.EROFS)),
     f"无法写入“{T}/schema.json”：所在位置是只读的（只读磁盘、写保护的U盘或只读的网络共享）。"),
    ("schema-out-disk-full", lambda env: _schema_fails(env, os_error(errno.ENOSPC)), f"无法写入“{T}/schema.json”：磁盘空间不足。"),
    ("demo-too-many-photos", lambda env: _cli(env, "demo", env.tmp / "示例.selfcheck", "--photos", "9000"),
     "--photos 应在 0 到 5000 之间。"),
    ("demo-negative-photos", lambda env: _cli(env, "demo", env.tmp / "示例.selfcheck", "--photos", "-1"),
     "--photos 应在 0 到 5000 之间。"),
    ("demo-school-too-long", lambda env: _cli(env, "demo", env.tmp / "示例.selfcheck", "--school", "校" * 101),
     "--school 应为 1 到 100 个字的学校名称。"),
    ("demo-school-blank", lambda env: _cli(env, "demo", env.tmp / "示例.selfcheck", "--school", " "),
     "--school 应为 1 到 100 个字的学校名称。"),
    ("key-create-no-password", lambda env: _no_password(env, "key", "create", "--out", env.tmp / "school.p12",
                                                        "--school", "城关第一小学"),
     "未提供密钥密码：请在终端中运行以输入密码，或设置环境变量 SELFCHECK_KEY_PASSWORD。"),
    ("key-info-no-password", lambda env: _no_password(env, "key", "info", env.school_key.p12),
     "未提供密钥密码：请在终端中运行以输入密码，或设置环境变量 SELFCHECK_KEY_PASSWORD。"),
    ("key-create-passwords-differ", _passwords_differ, "两次输入的密码不一致，未创建密钥。"),
    ("key-password-prompt-closed", _password_prompt_closed, "没有输入密码，操作已取消。"),
    ("pack-checklist-file-missing", lambda env: _cli(env, "checklists", "pack", env.tmp / "包", "--name", "某区清单包",
                                                     "--version", "2026.1", "--checklist", env.tmp / "没有.yaml"),
     f"找不到检查清单文件：{T}/没有.yaml。请检查 --checklist 给出的路径。"),
    ("pack-out-read-only", lambda env: _pack_out_fails(env, "包", os_error(errno.EROFS)),
     f"无法写出清单包 {T}/包：所在位置是只读的（只读磁盘、写保护的U盘或只读的网络共享）。"),
    ("pack-zip-out-disk-full", lambda env: _pack_out_fails(env, "包.zip", os_error(errno.ENOSPC)),
     f"无法写出清单包 {T}/包.zip：磁盘空间不足。"),
    ("report-inspection-not-a-number", lambda env: _export(env, env.school_key.p12, inspection="第三次"),
     "--inspection 应为自查编号（正整数）或 latest（最近一次），而不是“第三次”。"),
    ("report-inspection-zero", lambda env: _export(env, env.school_key.p12, inspection="0"),
     "--inspection 应为自查编号（正整数）或 latest（最近一次），而不是“0”。"),
    ("report-key-missing", lambda env: _export(env, env.tmp / "school.p12"),
     f"找不到密钥文件：{T}/school.p12。请检查 --key 给出的路径。"),
    ("report-no-password", lambda env: _no_password(env, "report", "export", "--workbook", env.tmp / "学校.selfcheck",
                                                    "--inspection", "latest", "--key", env.school_key.p12,
                                                    "--out", env.tmp / "报告.pdf"),
     "未提供密钥密码：请在终端中运行以输入密码，或设置环境变量 SELFCHECK_KEY_PASSWORD。"),
    ("report-key-of-another-school", _export_with_another_schools_key,
     "密钥证书上的学校是“另一所中学”，与本工作簿的学校“城关第一小学”不一致。用这个密钥签名的报告，核验时签名者会显示为“另一所中学”。请确认没有选错密钥（例如从其他学校拷来的密钥，或原单位的密钥）。"),
]

CASES = [*LOADER_CASES, *PACK_CASES, *XLSX_CASES, *CLI_CASES]
