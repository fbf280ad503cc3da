"""Hostile checklist files of every kind the mutation fuzzer found, and the English PyYAML problem kinds.

Each entry: (kind, text, Chinese fragment the refusal must contain). Built as text so that nothing large is stored.
"""

from __future__ import annotations


def alias_bomb(levels: int, width: int) -> str:
    """Nested aliases ("billion laughs"): `width ** levels` strings from a few hundred bytes."""
    names = [chr(ord("a") + level) for level in range(levels)]
    lines = [f"{names[0]}: &{names[0]} [" + ",".join(["lol"] * width) + "]"]
    for level in range(1, levels):
        lines.append(f"{names[level]}: &{names[level]} [" + ",".join([f"*{names[level - 1]}"] * width) + "]")
    return "\n".join(lines) + "\n"


def block_nesting(depth: int) -> str:
    return "".join("  " * level + f"k{level}:\n" for level in range(depth)) + "  " * depth + "v\n"


# Each text below was a crash (exit 70), a runaway or an English message before the loader bounded its work.
HOSTILE: list[tuple[str, str, str]] = [
    ("alias bomb 9 to the 9th", alias_bomb(9, 9), "别名"),
    ("alias bomb 9 to the 7th", alias_bomb(7, 9), "别名"),
    ("recursive alias", "id: &a [x, *a]\n", "别名"),
    ("merge key alias", "base: &b {id: x}\nid:\n  <<: *b\n", "别名"),
    ("non-printable byte", "id: demo\ntitle: 演示\x07清单\n", "控制字符（U+0007）"),
    ("nul byte", "id: demo\x00\n", "控制字符（U+0000）"),
    ("deep flow nesting", "id: " + "[" * 5000 + "]" * 5000 + "\n", "嵌套超过"),
    ("deep flow mapping nesting", "id: " + "{a: " * 3000 + "x" + "}" * 3000 + "\n", "嵌套超过"),
    ("deep block nesting", block_nesting(400), "嵌套超过"),
    ("many nodes", "id: [" + "a," * 200_000 + "a]\n", "超过 20,000 个"),
    ("impossible date", "id: demo\nversion: 2024-02-30\n", "不是有效的日期"),
    ("bad time-zone offset", "id: demo\nversion: 2024-01-01 10:00:00 +99:00\n", "不是有效的日期"),
    ("year zero", "id: demo\nversion: 0000-01-01\n", "不是有效的日期"),
    ("explicit int on text", "id: demo\norder: !!int 五\n", "被标记为整数"),
    ("explicit float on text", "id: demo\norder: !!float abc\n", "被标记为数字"),
    ("explicit timestamp on text", "id: demo\nversion: !!timestamp 昨天\n", "不是有效的日期"),
    ("huge integer", "id: demo\norder: " + "9" * 5000 + "\n", "不是有效的整数"),
    ("bad base64", "id: demo\nversion: !!binary abc\n", "base64"),
    ("python object tag", "id: !!python/object/apply:os.system ['echo hi']\n", "类型标记无法识别"),
    ("unknown local tag", "id: !custom x\n", "类型标记无法识别"),
    ("set on a scalar", "id: !!set abc\n", "类型标记与后面内容的写法不符"),
    ("merge of a scalar", "id:\n  <<: 5\n", "合并"),
    ("unhashable key", "? [a, b]\n: x\n", "字段名不能是列表或映射"),
    # The English problem texts users saw before (PyYAML's scanner, parser and composer).
    ("duplicate anchor (second occurrence)", "a: &x 1\nb: &x 2\n", "锚点名称重复"),
    ("second document", "id: demo\n--- x\n--- y\n", "一份检查清单"),
    ("expected document start", "id: demo\n... \nmore: x\n", "无法接在前面"),
    ("stray closing bracket", "id: demo]\nx: ]\n", "缺少内容"),
    ("mapping keys not allowed", "id: ? x\n", "问号"),
    ("sequence entries not allowed", "id: demo - x\ntitle: - a\n", "列表项"),
    ("undefined alias", "id: *nope\n", "别名"),
    ("unknown escape", 'id: "a\\qb"\n', "反斜杠"),
    ("bad hex escape", 'id: "\\xZZ"\n', "十六进制"),
    ("directive", "%YAML 2.0\n---\nid: demo\n", "% 指令"),
    ("bad anchor name", "id: &\n", "英文字母或数字"),
    ("bad block indicator", "id: |0\n  x\n", "“|”或“>”"),
    ("trailing text after quotes", 'id: "demo" x\n', "缩进不一致"),
    ("unclosed quote", 'id: "demo\n', "引号"),
    ("undefined tag handle", "id: !x!y z\n", "类型标记"),
    ("flow without comma", "id: [a b: c d: e]\n", "逗号"),
    ("missing colon", "id: demo\ntitle\nx: 1\n", "冒号"),
    ("tab indent", "id: demo\n\ttitle: x\n", "Tab"),
    ("node content expected", "id: [a, , b]\n", "缺少内容"),
]
