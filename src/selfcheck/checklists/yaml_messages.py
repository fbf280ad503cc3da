"""Plain-Chinese wording for every kind of problem PyYAML reports, so no English reaches the user.

PyYAML's own text (English) goes to the log only. Each entry below matches one problem kind of PyYAML 6's reader,
scanner, parser, composer or safe constructor; an unknown kind still gets a Chinese sentence (see FALLBACK).
"""

from __future__ import annotations

import re

# (pattern searched in PyYAML's `problem` text, then in its `context` text; Chinese message)
_PROBLEMS: tuple[tuple[str, str], ...] = (
    # Scanner: characters and tokens.
    (r"found character '\\t' that cannot start any token|found a tab character|\\t",
     "YAML 不允许用 Tab 键缩进，请改用空格。"),
    (r"that cannot start any token",
     "有不能出现在这里的字符（例如行首的 @、`、% 或 Tab），请删除它，或给整个值加引号。"),
    (r"mapping values are not allowed here",
     "这里不能出现冒号“:”——如果值里含有英文冒号，请给整个值加引号；也可能是缩进不对。"),
    (r"mapping keys are not allowed here",
     "这里不能出现问号“?”开头的字段名——如果值以问号开头，请给整个值加引号；也可能是缩进不对。"),
    (r"sequence entries are not allowed here",
     "这里不能出现列表项“- ”——列表项应单独成行，并与同一列表的其他项对齐；也可能是缩进不对。"),
    (r"could not find expected ':'",
     "缺少冒号“:”，每个字段应写成“名称: 值”；如果值很长或含有特殊字符，请给它加引号。"),
    (r"found unknown escape character",
     "双引号里的反斜杠“\\”后跟了无法识别的字符。请把“\\”写成“\\\\”，或改用单引号。"),
    (r"expected escape sequence of \d+ hexadecimal numbers",
     "双引号里的“\\x”“\\u”或“\\U”后面应是十六进制数字。请把“\\”写成“\\\\”，或改用单引号。"),
    (r"found unexpected end of stream",
     "引号没有配对，请检查是否漏了结尾的引号。"),
    (r"found unexpected document separator",
     "引号里出现了单独一行的“---”或“...”，说明引号没有配对，请检查是否漏了结尾的引号。"),
    (r"expected chomping or indentation indicators|expected indentation indicator in the range 1-9",
     "多行文本的“|”或“>”后面只能跟 +、- 或 1 到 9 的数字。"),
    (r"expected a comment or a line break",
     "这一行在值的后面还有多余的内容；如果它是值的一部分，请给整个值加引号。"),
    (r"expected alphabetic or numeric character",
     "“&”“*”或“%”后面应是英文字母或数字。检查清单不需要这类写法；如果它是值的一部分，请给整个值加引号。"),
    (r"expected '!'|expected '>'|expected URI|expected non-empty name appended to the tag|"
     r"found undefined tag handle|duplicate tag handle|found non-specific tag",
     "“!”开头的类型标记写法不对。检查清单不需要类型标记；如果“!”是值的一部分，请给整个值加引号。"),
    (r"expected a digit|expected ' ', but found|found incompatible YAML document|found duplicate YAML directive|"
     r"while scanning a directive",
     "“%”开头的行写法不对。检查清单不需要 % 指令，请删除这一行；如果“%”是值的一部分，请给整个值加引号。"),
    # Parser: structure.
    (r"expected '<document start>'",
     "这里的内容无法接在前面的内容后面（多出的文字或“---”前缺少内容）。请检查缩进，"
     "或是否多写了一个“---”或“...”。"),
    (r"expected a single document|but found another document",
     "一个文件只能包含一份检查清单（不要出现第二个“---”）。"),
    (r"expected ',' or ']'|expected ',' or '}'",
     "列表或映射的括号没有闭合，或各项之间缺少英文逗号。"),
    (r"expected <block end>|expected a block|did not find expected|invalid indentation",
     "缩进不一致或列表写法不对：同一层的字段和“- ”列表项要对齐。"),
    (r"<stream end>",
     "文件意外结束：方括号、花括号或引号没有闭合。"),
    (r"expected the node content",
     "这里缺少内容：逗号、冒号或括号的位置不对。"),
    (r"expected the empty value",
     "这里的写法 YAML 无法识别，请检查冒号、逗号和括号。"),
    # Composer: anchors and aliases (checklists never need them).
    (r"found duplicate anchor|second occurrence",
     "“&”锚点名称重复。检查清单不需要锚点和别名，请删除“&名称”；如果它是值的一部分，请给整个值加引号。"),
    (r"found undefined alias",
     "“*”后面的别名没有定义。检查清单不需要别名，请删除“*名称”；如果它是值的一部分，请给整个值加引号。"),
    (r"found unconstructable recursive node",
     "别名引用了它自己所在的内容。检查清单不需要别名，请删除“*名称”。"),
    # Safe constructor: values and keys.
    (r"found unhashable key",
     "字段名不能是列表或映射，请检查是否多写了 [、{ 或“?”。"),
    (r"found duplicate key",
     "同一处有重复的字段名，请删除其中一个。"),
    (r"could not determine a constructor for the tag",
     "“!”开头的类型标记无法识别。检查清单不需要类型标记；如果“!”是值的一部分，请给整个值加引号。"),
    (r"failed to convert base64|failed to decode base64",
     "“!!binary”标记的内容不是有效的 base64 数据。检查清单不需要二进制内容，请删除这个标记。"),
    (r"expected a mapping for merging|expected a mapping or list of mappings for merging",
     "“<<”合并字段只能合并映射。检查清单不需要合并写法，请删除“<<”这一行。"),
    (r"expected a (mapping|sequence|scalar) node|expected a mapping of length 1|expected a single mapping item|"
     r"expected a sequence, but found",
     "“!!”类型标记与后面内容的写法不符。检查清单不需要类型标记，请删除它。"),
)

FALLBACK = "这里的写法 YAML 无法识别，请对照 docs/checklist-format.md 检查这一行的冒号、引号、缩进和括号。"


def describe_problem(problem: str | None, context: str | None = None) -> str:
    """The Chinese message for one PyYAML problem (and its context), without position."""
    for text in (problem, context):
        if not text:
            continue
        for pattern, message in _PROBLEMS:
            if re.search(pattern, text):
                return message
    return FALLBACK


def unprintable_character(character: int | bytes) -> str:
    code = character if isinstance(character, int) else (character[0] if character else 0)
    return (f"有不可见的控制字符（U+{code:04X}），检查清单文件里不能有这种字符。"
            "它常来自从网页或其他软件复制的文字：请删除这个字符后再试。")


def bad_value(tag: str, value: str) -> str:
    """A scalar whose (implicit or explicit) type cannot be built, e.g. 2024-02-30 or `!!int 十`."""
    shown = value if len(value) <= 40 else value[:40] + "…"
    kind = tag.rsplit(":", 1)[-1]
    if kind == "timestamp":
        return (f"“{shown}”看起来像日期或时间，但不是有效的日期（例如月份、日期或时区不存在）。"
                "如果它只是文字，请加引号；否则请改正日期。")
    if kind in ("int", "float"):
        what = "整数" if kind == "int" else "数字"
        return f"“{shown}”被标记为{what}，但不是有效的{what}。请改正它，或去掉“!!{kind}”标记、给值加引号。"
    return f"“{shown}”无法按“!!{kind}”类型读取。检查清单不需要类型标记：请去掉标记，或给值加引号。"


ALIAS_REFUSED = ("检查清单文件不能使用 YAML 别名（“*名称”）：请把被引用的内容直接写在这里。"
                 "（为防止恶意文件耗尽内存，别名一律不予读取。）")


def too_deep(limit: int) -> str:
    return f"内容嵌套超过 {limit} 层，检查清单不会嵌套这么深。请检查缩进和括号是否写错。"


def too_many_nodes(limit: int) -> str:
    return f"文件内容超过 {limit:,} 个字段和值，检查清单不会这么大。请检查是否选错了文件，或把它拆成几个清单。"


__all__ = ["ALIAS_REFUSED", "FALLBACK", "bad_value", "describe_problem", "too_deep", "too_many_nodes",
           "unprintable_character"]
