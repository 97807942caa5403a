"""Read a YAML data file safely, keeping the line of every mapping and key so problems can name it."""

from __future__ import annotations

from typing import Any

import yaml

from unionbrowse.corpus.problems import Problem

try:  # libyaml parses several times faster; the constructor stays the safe one either way.
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader


class Mapping(dict[str, Any]):
    """A YAML mapping that remembers where it and each of its keys stood (1-based lines)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader (no arbitrary objects), with line numbers on mappings."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Mapping:
        mapping = Mapping(super().construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {
            str(key_node.value): key_node.start_mark.line + 1 for key_node, _ in node.value
        }
        return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _LineLoader.construct_mapping,
)


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
        what = (error.problem or "malformed YAML").strip()
        return None, [Problem(label, line, f"malformed YAML: {what}", yaml_fix_hint(what))]
    except yaml.YAMLError as error:
        return None, [Problem(label, 0, f"malformed YAML: {error}", "check indentation and quoting")]
    return data, []


def yaml_fix_hint(what: str) -> str:
    if "mapping values are not allowed" in what:
        return "a value contains ': ' - put the whole value in quotes"
    if "found character '\\t'" in what:
        return "indent with spaces, not tabs"
    if "expected <block end>" in what or "did not find expected" in what:
        return "check the indentation and that every quote and bracket is closed"
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
