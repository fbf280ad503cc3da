"""Loads checklist YAML files and reports every problem with file, line and column in plain Chinese."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from selfcheck.checklists.messages import describe_validation_error, relevant_errors
from selfcheck.checklists.models import AREA_ORDER, NA, Checklist, PackRef, normalize_condition_value
from selfcheck.checklists.parameters import has_stray_brace, resolve_checklist, text_placeholders
from selfcheck.checklists.safe_yaml import YamlRefusal, read_yaml
from selfcheck.errors import ChecklistError
from selfcheck.resources import checklists_dir
from selfcheck.oserrors import os_reason

CHECKLIST_SUFFIXES = (".yaml", ".yml")
# The largest built-in checklist is 30 KB; PyYAML (pure Python, for bounded recursion) reads 512 KB in about a second.
MAX_FILE_BYTES = 512 * 1024

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class ChecklistProblem:
    """One problem in a checklist file, located by 1-based line and column where known."""

    file: str
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class ChecklistLoadError(ChecklistError):
    """Raised with every problem found; str() lists them one per line."""

    HEAD = "检查清单文件有 {count} 处错误（{files}）："

    def __init__(self, problems: Sequence[ChecklistProblem]) -> None:
        self.problems = list(problems)
        files = sorted({p.file for p in self.problems})
        head = self.HEAD.format(count=len(self.problems), files="、".join(files))
        super().__init__(head + "\n" + "\n".join(str(p) for p in self.problems))


@dataclass
class _Marks:
    """Source positions of every key and value in a YAML document, by path."""

    value: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Sequence[str | int], *, at_key: bool = False) -> tuple[int | None, int | None]:
        """Position of the deepest known node along `path` (elements that are not YAML keys are skipped)."""
        known: Path_ = ()
        for part in path:
            candidate = (*known, part)
            if candidate in self.value:
                known = candidate
        table = self.key if at_key and known in self.key else self.value
        line, col = table.get(known, self.value.get((), (None, None)))  # type: ignore[arg-type]
        return line, col


class _Problems(list[ChecklistProblem]):
    """The problems of one file, each placed at the source position of its path."""

    def __init__(self, name: str, marks: _Marks) -> None:
        super().__init__()
        self._name = name
        self._marks = marks

    def add(self, path: Path_, message: str) -> None:
        line, col = self._marks.locate(path)
        self.append(ChecklistProblem(self._name, line, col, message))


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _collect_marks(node: yaml.Node, path: Path_, marks: _Marks, dupes: list[tuple[Path_, yaml.Node]]) -> None:
    marks.value[path] = _pos(node)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            if key in seen:
                dupes.append(((*path, key), key_node))
            seen.add(key)
            marks.key[(*path, key)] = _pos(key_node)
            _collect_marks(value_node, (*path, key), marks, dupes)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _collect_marks(child, (*path, index), marks, dupes)


@dataclass
class _ParsedFile:
    path: Path
    name: str
    checklist: Checklist | None
    marks: _Marks
    problems: list[ChecklistProblem]


def _display_name(path: Path) -> str:
    return path.name


def _parse_file(path: Path) -> _ParsedFile:
    name = _display_name(path)
    marks = _Marks()
    problems: list[ChecklistProblem] = []

    def fail(message: str, line: int | None = None, column: int | None = None) -> _ParsedFile:
        problems.append(ChecklistProblem(name, line, column, message))
        return _ParsedFile(path, name, None, marks, problems)

    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return fail(f"文件过大（{size // 1024} KB），检查清单文件不应超过 {MAX_FILE_BYTES // 1024} KB。请检查是否选错了文件。")
        raw = path.read_bytes()
    except FileNotFoundError:
        return fail("文件不存在，请检查路径。")
    except IsADirectoryError:
        return fail("这是一个文件夹，不是检查清单文件。")
    except OSError as err:
        return fail(f"无法读取文件（{os_reason(err)}）。")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return fail("文件不是 UTF-8 编码，请用 UTF-8 编码另存后再试。", line, None)
    if not text.strip():
        return fail("文件是空的。", 1, 1)

    try:
        document = read_yaml(text)
    except YamlRefusal as err:
        return fail(err.message, err.line, err.column)
    if document is None:
        return fail("文件里只有注释，没有检查清单内容。", 1, 1)
    dupes: list[tuple[Path_, yaml.Node]] = []
    _collect_marks(document.node, (), marks, dupes)
    for dup_path, key_node in dupes:
        line, col = _pos(key_node)
        problems.append(ChecklistProblem(name, line, col, f"字段“{dup_path[-1]}”写了两次，请只保留一处。"))
    data: Any = document.data

    if not isinstance(data, dict):
        return fail("文件的最外层应是“字段: 值”的映射（以 id:、title: 等开头）。", 1, 1)
    checklist: Checklist | None = None
    try:
        checklist = Checklist.model_validate(data)
    except ValidationError as err:
        for error in relevant_errors(err.errors(include_url=False)):
            message, at_key = describe_validation_error(error, data)
            line, col = marks.locate(error["loc"], at_key=at_key)
            problems.append(ChecklistProblem(name, line, col, message))
    problems.extend(_semantic_problems(data, name, marks))
    problems.extend(_v2_problems(data, name, marks))
    if checklist is not None and not problems:
        problems.extend(_default_resolution_problems(checklist, name, marks))
    return _ParsedFile(path, name, checklist if not problems else None, marks, problems)


def _dicts(value: Any) -> list[tuple[int, dict]]:
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)] if isinstance(value, list) else []


def _allowed_values(item: dict) -> tuple[str, ...] | None:
    answer = item.get("answer") or {"type": "yes_no"}
    if not isinstance(answer, dict):
        return None
    if answer.get("type", "yes_no") == "yes_no":
        return ("yes", "no", NA)
    if answer.get("type") == "choice":
        return (*(str(o.get("value")) for _, o in _dicts(answer.get("options"))), NA)
    return None


def _semantic_problems(data: dict, name: str, marks: _Marks) -> list[ChecklistProblem]:
    """Rules that span fields (unique ids and keys, references, show_if), checked on the raw data.

    They run even when the schema check failed, so a file's problems are all reported at once.
    """
    problems = _Problems(name, marks)
    add = problems.add

    doc_keys: set[str] = set()
    for d_index, doc in _dicts(data.get("documents")):
        key = doc.get("key")
        if isinstance(key, str):
            if key in doc_keys:
                add(("documents", d_index, "key"), f"依据文件代号“{key}”重复。")
            doc_keys.add(key)

    section_ids: set[str] = set()
    earlier: dict[str, dict] = {}
    for s_index, section in _dicts(data.get("sections")):
        sid = section.get("id")
        if isinstance(sid, str):
            if sid in section_ids:
                add(("sections", s_index, "id"), f"章节编号“{sid}”重复。")
            section_ids.add(sid)
        for i_index, item in _dicts(section.get("items")):
            here: Path_ = ("sections", s_index, "items", i_index)
            item_id = item.get("id") if isinstance(item.get("id"), str) else f"（第 {i_index + 1} 项）"
            if item_id in earlier:
                add((*here, "id"), f"检查项编号“{item_id}”在本文件中重复。")
            for b_index, basis in _dicts(item.get("basis")):
                doc = basis.get("doc")
                if isinstance(doc, str) and doc not in doc_keys:
                    known = "、".join(sorted(doc_keys)) or "无"
                    add((*here, "basis", b_index, "doc"),
                        f"检查项 {item_id} 引用了未在 documents 中列出的文件“{doc}”（已列出：{known}）。")
            condition = item.get("show_if")
            if isinstance(condition, dict):
                _check_show_if(item_id, condition, earlier, (*here, "show_if"), add)
            answer = item.get("answer")
            if isinstance(answer, dict) and answer.get("type") == "number" and answer.get("integer") is True:
                for bound in ("min", "max"):
                    value = answer.get(bound)
                    if isinstance(value, float) and math.isfinite(value) and not value.is_integer():
                        add((*here, "answer", bound), f"检查项 {item_id} 的 {bound} 应为整数（已设 integer: true）。")
            earlier[item_id] = item
    return problems


def _v2_problems(data: dict, name: str, marks: _Marks) -> list[ChecklistProblem]:
    """Format v2 rules: parameters are declared once and every {名称} and
    {param: 名称} refers to one; `applied` is the software's to write."""
    problems = _Problems(name, marks)
    add = problems.add

    if "applied" in data:
        add(("applied",), "字段 applied 由软件在加载清单时填写，清单文件中不要写它。")
    declared: dict[str, int] = {}
    for p_index, parameter in _dicts(data.get("parameters")):
        pname = parameter.get("name")
        if isinstance(pname, str):
            if pname in declared:
                add(("parameters", p_index, "name"), f"参数名“{pname}”重复。")
            declared.setdefault(pname, p_index)
    used: set[str] = set()

    def check_text(path: Path_, text: object, owner: str) -> None:
        if not isinstance(text, str):
            return
        for ref in text_placeholders(text):
            used.add(ref)
            if ref not in declared:
                add(path, f"{owner}的文字引用了参数“{{{ref}}}”，但 parameters 中没有声明这个参数。")
        if has_stray_brace(text):
            add(path, f"{owner}的文字里有不成对的花括号；引用参数请写成 {{参数名}}。")

    def check_ref(path: Path_, value: object, owner: str) -> None:
        if isinstance(value, dict) and "param" in value:
            ref = value.get("param")
            used.add(str(ref))
            if ref not in declared:
                add(path, f"{owner}引用了参数“{ref}”，但 parameters 中没有声明这个参数。")

    for s_index, section in _dicts(data.get("sections")):
        for i_index, item in _dicts(section.get("items")):
            here: Path_ = ("sections", s_index, "items", i_index)
            owner = f"检查项 {item.get('id')} "
            for key in ("question", "guidance"):
                check_text((*here, key), item.get(key), owner)
            evidence = item.get("evidence")
            if isinstance(evidence, dict):
                check_text((*here, "evidence", "description"), evidence.get("description"), owner)
            answer = item.get("answer")
            if isinstance(answer, dict):
                check_text((*here, "answer", "unit"), answer.get("unit"), owner)
                for bound in ("min", "max"):
                    check_ref((*here, "answer", bound), answer.get(bound), owner)
                for o_index, option in _dicts(answer.get("options")):
                    check_text((*here, "answer", "options", o_index, "label"), option.get("label"), owner)
    for t_index, tier in _dicts(data.get("tiers")):
        check_ref(("tiers", t_index, "min_percent"), tier.get("min_percent"), f"得分档次“{tier.get('name')}”")
    for pname, p_index in declared.items():
        if pname not in used:
            add(("parameters", p_index, "name"), f"参数“{pname}”已声明，但没有检查项或档次使用它。")
    return problems


def _default_resolution_problems(checklist: Checklist, name: str, marks: _Marks) -> list[ChecklistProblem]:
    """With every parameter at its default, ranges and tiers must still make sense."""
    try:
        resolve_checklist(checklist)
    except ValidationError as err:
        line, col = marks.locate(("parameters",))
        return [ChecklistProblem(name, line, col, "按参数默认值代入后：" + describe_validation_error(error, {})[0])
                for error in relevant_errors(err.errors(include_url=False))]
    return []


def _check_show_if(item_id: str, condition: dict, earlier: dict[str, dict], path: Path_, add: Any) -> None:
    target_id = condition.get("item")
    if not isinstance(target_id, str):
        return
    if target_id == item_id:
        add((*path, "item"), f"检查项 {item_id} 的 show_if 不能指向自己。")
        return
    target = earlier.get(target_id)
    if target is None:
        add((*path, "item"), f"检查项 {item_id} 的 show_if 指向“{target_id}”，但本清单中在它之前没有这个检查项。")
        return
    allowed = _allowed_values(target)
    values = condition.get("in") if "in" in condition else [condition.get("equals")]
    if allowed is None or not isinstance(values, list):
        return
    for value in values:
        value = normalize_condition_value(value)
        if value not in allowed:
            add((*path, "in" if "in" in condition else "equals"),
                f"检查项 {item_id} 的 show_if 条件值“{value}”不是 {target_id} 的有效答案（可选：{'、'.join(allowed)}）。")


def _files_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in CHECKLIST_SUFFIXES)


def _check_across(parsed: Iterable[_ParsedFile]) -> list[ChecklistProblem]:
    problems: list[ChecklistProblem] = []
    checklist_owner: dict[str, str] = {}
    item_owner: dict[str, str] = {}
    for entry in parsed:
        checklist = entry.checklist
        if checklist is None:
            continue
        if checklist.id in checklist_owner:
            line, col = entry.marks.locate(("id",))
            problems.append(ChecklistProblem(entry.name, line, col,
                                             f"清单编号“{checklist.id}”与 {checklist_owner[checklist.id]} 重复。"))
        checklist_owner.setdefault(checklist.id, entry.name)
        for s_index, section in enumerate(checklist.sections):
            for i_index, item in enumerate(section.items):
                if item.id in item_owner and item_owner[item.id] != entry.name:
                    line, col = entry.marks.locate(("sections", s_index, "items", i_index, "id"))
                    problems.append(ChecklistProblem(entry.name, line, col,
                                                     f"检查项编号“{item.id}”与 {item_owner[item.id]} 中的检查项重复。"))
                item_owner.setdefault(item.id, entry.name)
    return problems


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Files named directly, plus the checklist files inside named folders."""
    files: list[Path] = []
    for path in paths:
        files.extend(_files_in(path) if path.is_dir() else [path])
    return files


def validate_files(paths: Sequence[Path]) -> list[ChecklistProblem]:
    """Check the given files (folders are expanded) on their own and against each other; [] when all valid."""
    files = expand_paths(paths)
    parsed = [_parse_file(p) for p in files]
    problems = [problem for entry in parsed for problem in entry.problems]
    return problems + _check_across(parsed)


def sort_checklists(checklists: Iterable[Checklist]) -> list[Checklist]:
    return sorted(checklists, key=lambda c: (AREA_ORDER[c.area.value], c.order, c.id))


def load_checklist_file(path: Path) -> Checklist:
    """Load one file with its parameters at their defaults; raises ChecklistLoadError listing every problem."""
    return resolve_checklist(load_checklist_template(path))


def load_checklist_template(path: Path) -> Checklist:
    """Load one file as written: {名称} placeholders and {param: 名称} ranges not yet resolved."""
    entry = _parse_file(path)
    if entry.checklist is None:
        raise ChecklistLoadError(entry.problems)
    return entry.checklist


def load_checklist_templates(extra_dirs: Sequence[Path] = (), extra_files: Sequence[Path] = ()) -> list[Checklist]:
    """Built-in checklists plus `extra_dirs` and `extra_files`, as written (parameters unresolved), sorted.

    Raises ChecklistLoadError with every problem of every file (duplicate ids across files included).
    """
    files = _files_in(checklists_dir())
    for folder in extra_dirs:
        if not folder.is_dir():
            raise ChecklistLoadError([ChecklistProblem(str(folder), None, None, "额外清单文件夹不存在。")])
        files.extend(_files_in(folder))
    files.extend(extra_files)
    parsed = [_parse_file(p) for p in files]
    problems = [problem for entry in parsed for problem in entry.problems] + _check_across(parsed)
    if problems:
        raise ChecklistLoadError(problems)
    return sort_checklists(entry.checklist for entry in parsed if entry.checklist is not None)


def load_checklists(extra_dirs: Sequence[Path] = (), *, extra_files: Sequence[Path] = (),
                    values: dict[str, float] | None = None, pack: PackRef | None = None) -> list[Checklist]:
    """Built-in checklists plus every file in `extra_dirs` (and `extra_files`), sorted by area and order, with
    their parameters resolved: `values` (a district pack's, named by `pack`) override the defaults.

    Raises ChecklistLoadError with every problem of every file (duplicate ids across files included).
    """
    templates = load_checklist_templates(extra_dirs, extra_files)
    return [resolve_checklist(c, values, pack) for c in templates]


@lru_cache(maxsize=1)
def _builtin() -> tuple[Checklist, ...]:
    return tuple(load_checklists())


def load_builtin_checklists() -> list[Checklist]:
    """The checklists shipped with the app (cached: models are immutable)."""
    return list(_builtin())


__all__ = [
    "ChecklistLoadError",
    "ChecklistProblem",
    "load_builtin_checklists",
    "load_checklist_file",
    "load_checklist_template",
    "load_checklist_templates",
    "load_checklists",
    "sort_checklists",
    "validate_files",
]
