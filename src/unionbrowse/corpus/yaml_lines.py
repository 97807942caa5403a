"""Read a YAML data file safely, keeping the line of every mapping and key so problems can name it.

The loader is the safe one (no arbitrary objects), and it also refuses what the data format never needs and a
hostile file uses: aliases (``*name``, which a "billion laughs" file nests until turning a value into text never
ends), nesting deeper than any record, numbers too long to be a figure, dates that do not exist. A refused value
becomes a :class:`Refused` standing where the value stood, so the schema reports it on its field with its line
and the rest of the file still loads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from unionbrowse.corpus.problems import Problem, shown

try:  # libyaml parses several times faster; the constructor stays the safe one either way.
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

# The deepest record is a topic three levels down (topics > list > topic > children > ...): about ten levels.
# Deeper nesting is refused before Python recursion could run out (libyaml itself stops at 1,000).
MAX_DEPTH = 40
# A figure in an article has at most a dozen digits; forty characters leave room for any way of writing one and
# keep Python from building (or refusing with ValueError past 4,300 digits) numbers nothing can use.
MAX_NUMBER_CHARS = 40
# A number is written in decimal. YAML 1.1 also reads hex, octal, binary, base 60 (`1:2:3`) and `1_000` as
# numbers, which would turn a title or figure text written that way into other digits: such a scalar stays text.
_DECIMAL_INT = re.compile(r"0|-?[1-9][0-9]*")
_DECIMAL_FLOAT = re.compile(r"-?[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?")


@dataclass(frozen=True)
class Refused:
    """A value the loader would not build, with the line it stood on and what to do about it."""

    line: int
    message: str
    fix: str

    def problem(self, file: str) -> Problem:
        return Problem(file, self.line, self.message, self.fix)


class Mapping(dict[str, Any]):
    """A YAML mapping that remembers where it and each of its keys stood (1-based lines). Keys are always text:
    a key YAML would read as a number or a boolean (``123:``, ``on:``) keeps the text it was written as."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _NotAllowed(yaml.MarkedYAMLError):
    """A construct the whole file is refused for (a key that is itself a list or mapping)."""


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, with line numbers on mappings, text keys, and no aliases, deep nesting or huge numbers."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:  # the node of an alias
            return Refused(_line(node), "an alias (`*name`) repeats another value",
                           "write the value out in full: the data format has no anchors or aliases")  # fmt: skip
        if self._depth >= MAX_DEPTH:
            return Refused(_line(node), f"values nested more than {MAX_DEPTH} deep",
                           "no record nests that deep: check the indentation and brackets")  # fmt: skip
        self._depth += 1
        try:  # always deep: every value is whole when its parent gets it, and the depth above counts every level
            return super().construct_object(node, deep=True)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError, IndexError):
            # an explicit tag on a value that is not of that type (`!!int abc`, `!!bool x`, `!!timestamp x`)
            value = node.value if isinstance(node, yaml.ScalarNode) else ""
            return Refused(_line(node), f"`{shown(value)}` cannot be read as {node.tag.rsplit(':', 1)[-1]}",
                           "remove the tag, or write a value of that type")  # fmt: skip
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> Mapping:
        if not isinstance(node, yaml.MappingNode):
            raise _NotAllowed(None, None, f"expected a mapping, found a {type(node).__name__}", node.start_mark)
        mapping = Mapping()
        mapping.line = _line(node)
        mapping.key_lines = {}
        # Merge keys (`<<: *base`) are not expanded: `<<` is a key like any other, and its value an alias.
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _NotAllowed(None, None, "a key must be plain text, not a list or mapping", key_node.start_mark)
            key = str(key_node.value)
            mapping[key] = self.construct_object(value_node)
            mapping.key_lines[key] = _line(key_node)
        return mapping

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int | str | Refused:
        if len(node.value) > MAX_NUMBER_CHARS:
            return _too_long(node)
        number: int = super().construct_yaml_int(node)  # raises for `!!int abc`: refused, not text
        # `0x1f`, `017`, `1_000`, `1:2:3`, `+86`: the text as written
        return number if _DECIMAL_INT.fullmatch(node.value) else str(node.value)

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float | str | Refused:
        if len(node.value) > MAX_NUMBER_CHARS:
            return _too_long(node)
        number: float = super().construct_yaml_float(node)
        # `1:2:3.5`, `1_0.5`, `.inf`, `.nan`: the text as written
        return number if _DECIMAL_FLOAT.fullmatch(node.value) else str(node.value)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError, AttributeError):
            return Refused(_line(node), f"`{shown(node.value)}` is not a date that exists",
                           'write a real date, in quotes: "YYYY-MM-DD"')  # fmt: skip


def _too_long(node: yaml.ScalarNode) -> Refused:
    return Refused(_line(node), f"a number {len(node.value):,} characters long",
                   "no figure is that large: write the number as the article does, within a dozen digits")


_TAG = "tag:yaml.org,2002:"
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping)
_LineLoader.add_constructor(f"{_TAG}int", _LineLoader.construct_yaml_int)
_LineLoader.add_constructor(f"{_TAG}float", _LineLoader.construct_yaml_float)
_LineLoader.add_constructor(f"{_TAG}timestamp", _LineLoader.construct_yaml_timestamp)


def parse_yaml(raw: bytes | None, label: str) -> tuple[Any, list[Problem]]:
    """Parse the bytes of the data file ``label`` (None: it is missing); on failure return None and a problem
    naming the file, line and fix."""
    if raw is None:
        return None, [Problem(label, 0, "file is missing", f"create {label} (see the README's data format)")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [Problem(label, line, "not UTF-8 text", f"save the file as UTF-8{guess_encoding(raw)}")]
    if not text.strip():
        return None, [Problem(label, 1, "file is empty", "add the records (see the README's data format)")]
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        what = shown((error.problem or "malformed YAML").strip(), 120)
        return None, [Problem(label, line, f"malformed YAML: {what}", yaml_fix_hint(what))]
    except yaml.YAMLError as error:
        return None, [Problem(label, 0, f"malformed YAML: {shown(str(error), 120)}", "check indentation and quoting")]
    except RecursionError:  # not expected past MAX_DEPTH; said rather than raised if it ever is
        return None, [Problem(label, 0, "values nested too deep", "no record nests that deep: check the indentation")]
    if data is None:  # `---`, `# a comment`, `~`, `null`: a file that says nothing is not a file of no records
        return None, [Problem(label, 1, "file holds no records (only comments or an empty document)",
                              "add the records (see the README's data format)")]  # fmt: skip
    return data, []


def yaml_fix_hint(what: str) -> str:
    if "mapping values are not allowed" in what:
        return "a value contains ': ' - put the whole value in quotes"
    if "found character '\\t'" in what:
        return "indent with spaces, not tabs"
    if "expected <block end>" in what or "did not find expected" in what:
        return "check the indentation and that every quote and bracket is closed"
    if "maximum nesting depth" in what:
        return "no record nests that deep: check the indentation and brackets"
    return "check indentation and quoting near this line"


def guess_encoding(raw: bytes) -> str:
    """Name the legacy encoding the bytes decode as, to make the fix concrete.

    Big5 is tried first: its byte ranges are narrow, so GBK text almost never passes as Big5, while GB18030
    accepts nearly any bytes, Big5 included.
    """
    for name, label in (("big5", "Big5"), ("gb18030", "GB18030")):
        try:
            raw.decode(name)
        except UnicodeDecodeError:
            continue
        return f" (it looks like {label}: iconv -f {label} -t UTF-8)"
    return ""
