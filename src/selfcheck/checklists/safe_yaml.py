"""Reads untrusted YAML with bounded work: every file is answered quickly, in little memory, with a located refusal.

Checklist files come from outside the project (a district's pack, a folder of extra checklists), so the reader
assumes hostile input:
- aliases (`*name`) are refused outright: checklists never need them, and expanding nested aliases ("billion
  laughs") or a recursive alias is how a few hundred bytes exhaust memory or the stack;
- nesting deeper than MAX_DEPTH and documents of more than MAX_NODES nodes are refused while they are composed,
  before the work grows;
- a value PyYAML's safe constructors cannot build (an impossible date, a bad time-zone offset, `!!int` on text),
  a non-printable character, anything else PyYAML rejects: a refusal located at line and column, worded in Chinese
  (the English original goes to the log).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import yaml

from selfcheck.checklists import yaml_messages

log = logging.getLogger(__name__)

# The largest built-in checklist has 1,305 nodes nested 8 deep; these leave ample room. Composing 20,000 nodes
# takes well under a second and about 15 MB.
MAX_DEPTH = 40
MAX_NODES = 20_000


class YamlRefusal(Exception):
    """The text is not YAML a checklist can be read from. `message` is Chinese; line and column are 1-based."""

    def __init__(self, message: str, line: int | None, column: int | None, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.detail = detail


@dataclass(frozen=True)
class YamlDocument:
    """The composed node tree (positions of every key and value) and the Python data built from it."""

    node: yaml.Node
    data: Any


class _Refused(yaml.MarkedYAMLError):
    """Raised inside the loader with a Chinese message, so PyYAML's own handlers let it through."""

    def __init__(self, message: str, mark: yaml.Mark | None, detail: str = "") -> None:
        super().__init__(problem=detail or message, problem_mark=mark)
        self.chinese = message


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases, caps depth and node count, and locates every constructor failure."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(yaml_messages.ALIAS_REFUSED, event.start_mark, "alias refused")
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _Refused(yaml_messages.too_many_nodes(MAX_NODES), event.start_mark, "too many nodes")
        if self._depth >= MAX_DEPTH:
            raise _Refused(yaml_messages.too_deep(MAX_DEPTH), event.start_mark, "nesting too deep")
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except (ValueError, OverflowError, TypeError, ArithmeticError, LookupError, AttributeError) as exc:
            # SafeConstructor builds ints, floats, dates and times with Python's own parsers, which reject
            # e.g. 2024-02-30, a +99:00 offset or `!!int abc` with a bare ValueError (or worse).
            value = node.value if isinstance(node, yaml.ScalarNode) else ""
            raise _Refused(yaml_messages.bad_value(node.tag, str(value)), node.start_mark,
                           f"{type(exc).__name__}: {exc}") from None


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def _located(mark: Any) -> tuple[int | None, int | None]:
    if mark is None:
        return None, None
    return mark.line + 1, mark.column + 1


def _translate(err: yaml.YAMLError, text: str) -> YamlRefusal:
    detail = str(err)
    if isinstance(err, _Refused):
        line, column = _located(err.problem_mark)
        return YamlRefusal(err.chinese, line, column, detail)
    if isinstance(err, yaml.reader.ReaderError):
        line, column = _position(text, err.position)
        return YamlRefusal(yaml_messages.unprintable_character(err.character), line, column, detail)
    if isinstance(err, yaml.MarkedYAMLError):
        mark = err.problem_mark or err.context_mark
        line, column = _located(mark)
        message = yaml_messages.describe_problem(err.problem, err.context)
        context = err.context_mark
        if context is not None and mark is not None and context.line != mark.line:
            message += f"（相关内容从第 {context.line + 1} 行开始）"
        return YamlRefusal(message, line, column, detail)
    return YamlRefusal(yaml_messages.FALLBACK, None, None, detail)


def read_yaml(text: str) -> YamlDocument | None:
    """The one document in `text`, or None when it holds only comments and blank lines.

    Raises YamlRefusal (Chinese message, line, column) for anything else; never another exception for any text.
    """
    loader: _BoundedLoader | None = None
    try:
        loader = _BoundedLoader(text)  # the reader checks for non-printable characters here
        node = loader.get_single_node()
        if node is None:
            return None
        return YamlDocument(node, loader.construct_document(node))
    except yaml.YAMLError as err:
        refusal = _translate(err, text)
    except RecursionError:
        # Not reachable with MAX_DEPTH far below the interpreter's limit; kept so no text can crash the reader.
        refusal = YamlRefusal(yaml_messages.too_deep(MAX_DEPTH), None, None, "RecursionError")
    except MemoryError:
        refusal = YamlRefusal(yaml_messages.too_many_nodes(MAX_NODES), None, None, "MemoryError")
    finally:
        if loader is not None:
            loader.dispose()
    log.info("YAML refused at %s:%s: %s", refusal.line, refusal.column, refusal.detail)
    raise refusal


__all__ = ["MAX_DEPTH", "MAX_NODES", "YamlDocument", "YamlRefusal", "read_yaml"]
