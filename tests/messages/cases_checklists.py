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
    ("checklist-tab-indent", _loading(_changed("    title: 补充", "\ttitle: 补充")), "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:12:1: YAML 不允许用 Tab 键缩进，请改用空格。"),
    ("checklist-alias", _loading(_changed("basis: [{doc: local}]", "basis: &b [{doc: local}]") + "      - id: MSG-03\n"
                                 "        question: 是否？\n        guidance: 查。\n        evidence: {description: 记录}\n"
                                 "        severity: 一般\n        score: 1\n        basis: *b\n"), "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:35:16: 检查清单文件不能使用 YAML 别名（“*名称”）：请把被引用的内容直接写在这里。（为防止恶意文件耗尽内存，别名一律不予读取。）"),
    ("checklist-not-a-mapping", _loading("- 一\n- 二\n"),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:1:1: 文件的最外层应是“字段: 值”的映射（以 id:、title: 等开头）。"),
    ("checklist-duplicate-key", _loading(_changed("order: 90", "order: 90\norder: 91")), "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:6:1: 字段“order”写了两次，请只保留一处。"),
    ("checklist-missing-field", _loading(_changed("title: 补充自查表\n", "")), "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:1:1: 缺少必填字段 标题 title。"),
    ("checklist-bad-area", _loading(_changed('area: "N"', 'area: "4"')), "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:4:7: 领域 area 的值 “4” 无效，应为 “1”“3”或“N”（注意加引号）。"),
    ("checklist-duplicate-document", _loading(_changed("documents:\n", "documents:\n  - {key: local, title: 重复}\n")),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:8:11: 依据文件代号“local”重复。"),
    ("checklist-duplicate-section", _loading(GOOD + "  - id: s\n    title: 又一节\n    items:\n      - id: MSG-09\n"
                                                    "        question: 是否？\n        guidance: 查。\n"
                                                    "        evidence: {description: 记录}\n        severity: 一般\n"
                                                    "        score: 1\n        basis: [{doc: local}]\n"), "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:29:9: 章节编号“s”重复。"),
    ("checklist-duplicate-item", _loading(_changed("id: MSG-02", "id: MSG-01")), "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:21:13: 检查项编号“MSG-01”在本文件中重复。"),
    ("checklist-unknown-basis", _loading(_changed("basis: [{doc: local}]", "basis: [{doc: other}]")), "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:20:23: 检查项 MSG-01 引用了未在 documents 中列出的文件“other”（已列出：local）。"),
    ("checklist-show-if-self", _loading(_changed("        answer: {type: number",
                                                 "        show_if: {item: MSG-02, equals: yes}\n"
                                                 "        answer: {type: number")), "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:28:25: 检查项 MSG-02 的 show_if 不能指向自己。"),
    ("checklist-show-if-later", _loading(_changed("        basis: [{doc: local}]\n      - id: MSG-02",
                                                  "        basis: [{doc: local}]\n        show_if: {item: MSG-02,"
                                                  " equals: yes}\n      - id: MSG-02")), "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:21:25: 检查项 MSG-01 的 show_if 指向“MSG-02”，但本清单中在它之前没有这个检查项。"),
    ("checklist-show-if-bad-value", _loading(_changed("        answer: {type: number",
                                                      "        show_if: {item: MSG-01, equals: 有}\n"
                                                      "        answer: {type: number")), "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:28:41: 检查项 MSG-02 的 show_if 条件值“有”不是 MSG-01 的有效答案（可选：yes、no、na）。"),
    ("checklist-integer-bound", _loading(_changed("min: {param: 课时下限}", "min: {param: 课时下限}, max: 2.5")), "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:28:82: 检查项 MSG-02 的 max 应为整数（已设 integer: true）。"),
    ("checklist-applied-written", _loading(GOOD + "applied: {parameters: []}\n"), "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:29:10: 字段 applied 由软件在加载清单时填写，清单文件中不要写它。"),
    ("checklist-duplicate-parameter", _loading(_changed("parameters:\n", "parameters:\n  - {name: 课时下限, default: 1, source: 本区}\n")),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:10:12: 参数名“课时下限”重复。"),
    ("checklist-undeclared-placeholder", _loading(_changed("{课时下限} 课时", "{课时上限} 课时")), "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:22:19: 检查项 MSG-02 的文字引用了参数“{{课时上限}}”，但 parameters 中没有声明这个参数。"),
    ("checklist-stray-brace", _loading(_changed("是否开展补充教育？", "是否开展补充教育{？")), "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:15:19: 检查项 MSG-01 的文字里有不成对的花括号；引用参数请写成 {{参数名}}。"),
    ("checklist-undeclared-param-ref", _loading(_changed("min: {param: 课时下限}", "min: {param: 课时下限}, "
                                                                                 "max: {param: 课时上限}")), "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:28:82: 检查项 MSG-02 引用了参数“课时上限”，但 parameters 中没有声明这个参数。"),
    ("checklist-unused-parameter", _loading(_changed("parameters:\n", "parameters:\n  - {name: 备用, default: 1, source: 本区}\n")),
     "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:9:12: 参数“备用”已声明，但没有检查项或档次使用它。"),
    ("checklist-default-out-of-range", _loading(_changed("min: {param: 课时下限}", "min: {param: 课时下限}, max: 1")), "检查清单文件有 1 处错误（extra.yaml）：\nextra.yaml:9:3: 按参数默认值代入后：min（2）不能大于 max（1）。"),
    ("extra-folder-missing", _extra_folder_missing, f"检查清单文件有 1 处错误（{T}/额外清单）：\n{T}/额外清单: 额外清单文件夹不存在。"),
    ("extra-duplicate-checklist-id", lambda env: _extra_folder(env, {"a.yaml": GOOD, "b.yaml": SECOND.replace(
        "MSG-0", "MSH-0")}), "检查清单文件有 1 处错误（b.yaml）：\nb.yaml:1:5: 清单编号“msg-extra”与 a.yaml 重复。"),
    ("extra-duplicate-item-id", lambda env: _extra_folder(env, {"a.yaml": GOOD, "b.yaml": SECOND.replace(
        "id: msg-extra", "id: msg-other")}), "检查清单文件有 2 处错误（b.yaml）：\nb.yaml:14:13: 检查项编号“MSG-01”与 a.yaml 中的检查项重复。\nb.yaml:21:13: 检查项编号“MSG-02”与 a.yaml 中的检查项重复。"),
]

CASES = [*LOADER_CASES]
