"""Hostile data folders, built from the shipped one: what a user gets by pasting articles from any web page.

``PAYLOAD`` carries every kind of attack on a destination at once: OSC 0 (set the title), OSC 52 (write the
clipboard), ESC[2J (blank the screen), BEL, a C1 CSI (U+009B), a bidi override, a zero-width space, Rich/Textual
markup (``[/]`` crashes a markup parser), HTML and a ``javascript:`` link, and a spreadsheet formula.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parents[2] / "data"

PAYLOAD = (
    "\x1b]0;PWNED-TITLE\x07\x1b]52;c;cHduZWQ=\x07\x1b[2J\x9b31m\u202eevil\u202c\u200b"
    "[/][b]bold[N]<img src=x onerror=alert(1)>[x](javascript:alert(1))"
)
FORMULA = '=HYPERLINK("http://evil.example","click")'

# Bytes no output may carry: ESC, BEL, C1 controls (UTF-8 C2 80..C2 9F), bidi embeddings, overrides and isolates.
# (A stray C1 byte that is not UTF-8 decodes to a lone surrogate, U+DC80..U+DC9F.)
_FORBIDDEN = re.compile("[\x1b\x07\x80-\x9f\u202a-\u202e\u2066-\u2069\udc80-\udc9f]")


def forbidden_bytes(output: bytes) -> list[bytes]:
    """The escape, bell, C1 and bidi-control characters in ``output`` (and stray C1 bytes); empty when safe."""
    text = output.decode("utf-8", "surrogateescape")
    return [found.encode("utf-8", "surrogateescape") for found in _FORBIDDEN.findall(text)]


def copy_data(target: Path) -> Path:
    shutil.copytree(DATA, target)
    return target


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def dump(path: Path, value: Any) -> None:
    path.write_text(yaml.safe_dump(value, allow_unicode=True, sort_keys=False), encoding="utf-8")


def edit(path: Path, change: Callable[[Any], None]) -> None:
    """Load a YAML data file, change it in place, write it back."""
    value = load(path)
    change(value)
    dump(path, value)


def poisoned(target: Path, payload: str = PAYLOAD) -> Path:
    """A copy of the shipped data with ``payload`` in every kind of text a data file gives: each source's title,
    outlet and author, the first fact of each article's statement, figure text, period and scope, every topic
    label and metric name; and a line of it at the end of an article's raw text (its SHA-256 updated), so the
    source view shows it. Every fact still checks: the quotes and their places are untouched."""
    folder = copy_data(target)

    def sources(value: dict[str, Any]) -> None:
        for source in value["sources"]:
            source["title"] += payload
            source["outlet"] = (source.get("outlet") or "") + payload
            source["authors"] = [*source.get("authors", []), payload]

    edit(folder / "sources.yaml", sources)

    def topics(value: dict[str, Any]) -> None:
        def walk(nodes: list[dict[str, Any]]) -> None:
            for node in nodes:
                node["zh"] += payload
                node["en"] += payload
                walk(node.get("children", []))

        walk(value["topics"])

    edit(folder / "topics.yaml", topics)

    def metrics(value: dict[str, Any]) -> None:
        for metric in value["metrics"]:
            metric["zh"] += payload
            metric["en"] += payload

    edit(folder / "metrics.yaml", metrics)
    for fact_file in sorted((folder / "facts").glob("*.yaml")):

        def facts(value: dict[str, Any]) -> None:
            for fact in value["facts"][:3]:
                fact["statement"] += payload
                fact["period"] = (fact.get("period") or "") + payload
                fact["scope"] = (fact.get("scope") or "") + payload

        edit(fact_file, facts)
    return folder


def with_payload_paragraph(folder: Path, payload: str = PAYLOAD) -> Path:
    """The payload as a paragraph of the first article's body (the cleaning keeps it, unlike a line after the
    page's footer), its SHA-256 recorded. Every quote still stands where its fact says."""
    import hashlib

    raw = sorted((folder / "raw").iterdir())[0]
    text = raw.read_text(encoding="utf-8")
    cut = text.index("\n\n", text.index("11月27日"))  # the end of the first paragraph of the body
    raw.write_text(text[:cut] + "\n\n" + payload + text[cut:], encoding="utf-8")
    digest = hashlib.sha256(raw.read_bytes()).hexdigest()

    def sources(value: dict[str, list[dict[str, str]]]) -> None:
        for source in value["sources"]:
            if source["raw"] == raw.name:
                source["sha256"] = digest

    edit(folder / "sources.yaml", sources)
    return folder
