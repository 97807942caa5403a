"""The one schema of the data files: which fields each record has and of what type, decided before any value is used.

A record is read through :func:`read_record`, which checks every field against its :class:`Field` and gives back
only values of the promised type (text is ``str``, a list of text ``list[str]``, a number a finite ``int`` or
``float`` no larger than any figure, a date the text of one that exists). A wrong optional field is reported and
dropped; a wrong or missing required one is reported and the record marked not ``ok``, so its reader rejects it
while the rest of the file loads, unless the field has a stated ``fallback`` the reader uses instead. Text holding
control or invisible characters loads, with a warning; so does a line break in a one-line field, made a space.

A small typed validator rather than pydantic: it keeps the line of every field for its messages, and costs the
compile nothing measurable (see the README's *Opening a data folder*).
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Mapping as AnyMapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from unionbrowse.corpus.problems import Problem, shown
from unionbrowse.corpus.yaml_lines import Mapping, Refused
from unionbrowse.untrusted import INVISIBLE_RANGES

LARGEST_FIGURE = 1e18  # far above any count or sum of money in an article (10¹⁸ 元 is a million times China's GDP)
# ASCII digits only (`\d` takes any script's), matched whole (`$` lets a final line break through).
_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2})(?: ([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?)?)?)?")
_DATE_FIX = 'write "YYYY", "YYYY-MM-DD" or "YYYY-MM-DD HH:MM[:SS]", a date that exists, in quotes'
# Line breaks and tabs are ordinary in text; every other control or invisible character is worth a warning.
_INVISIBLE = re.compile("[" + "".join(f"\\U{first:08x}-\\U{last:08x}" for first, last in INVISIBLE_RANGES) + "]")
_ORDINARY = frozenset("\n\t")
# A run of white space holding a line break (any: CR, VT, FF, NEL, U+2028...), which a one-line field never has.
_BREAK = re.compile(r"\s*[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]\s*")
# A field holds sentences, never pages: the longest text in the shipped data is 355 characters (an `en`), the
# longest quote 102. The caps keep a runaway value from costing seconds and gigabytes in every later step.
TEXT_LIMIT = 2_000
QUOTE_LIMIT = 5_000  # a quote may run over a few paragraphs


class Kind(Enum):
    TEXT = "text"
    TEXTS = "a list of text"
    NUMBER = "a number"
    WHOLE = "a whole number"
    DATE = "a date"
    LIST = "a list"


_FIXES = {
    Kind.TEXT: "write it as one piece of text (in quotes if YAML would read it as something else)",
    Kind.TEXTS: "write it as a list of text: [a, b]",
    Kind.NUMBER: "write a plain number: 3508000",
    Kind.WHOLE: "write a whole number: 2",
    Kind.DATE: _DATE_FIX,
    Kind.LIST: "write it as a list of `- ...` items",
}


@dataclass(frozen=True)
class Field:
    kind: Kind
    required: bool = False
    choices: tuple[str, ...] = ()  # the only values allowed, for text
    # Text shown on one line (a title, a label): a line break is warned of and made a space, so it cannot forge a
    # line of output. False for ids (their own pattern refuses a break) and for text that may hold paragraphs.
    flat: bool = True
    limit: int = TEXT_LIMIT  # characters of each text
    fallback: str = ""  # what the reader uses when the value is missing or wrong: the record then still loads


@dataclass(frozen=True)
class Schema:
    what: str  # "a source": for messages
    example: str  # how one is written: for fixes
    fields: AnyMapping[str, Field]


@dataclass
class Record:
    """The fields of one record that passed, typed; ``ok`` when every required one did."""

    source: Mapping  # the record as parsed, for the line of each field
    values: dict[str, Any] = field(default_factory=dict)
    ok: bool = True

    @property
    def line(self) -> int:
        return self.source.line

    def line_of(self, key: str) -> int:
        return self.source.line_of(key)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def read_record(value: Any, schema: Schema, file: str, line: int, problems: list[Problem]) -> Record | None:
    """``value`` read as a record of ``schema``, every problem added to ``problems``; None if it is not a mapping
    at all (``line``: where it stood)."""
    if isinstance(value, Refused):
        problems.append(value.problem(file))
        return None
    if not isinstance(value, Mapping):
        problems.append(Problem(file, line, f"{schema.what} must be a mapping, not {describe(value)}",
                                f"write {schema.example}"))  # fmt: skip
        return None
    record = Record(value)
    for key in value:
        if key not in schema.fields:
            close = difflib.get_close_matches(key, sorted(schema.fields), n=1) if len(key) < 100 else []
            fix = f"did you mean `{close[0]}`?" if close else f"remove it (known: {', '.join(sorted(schema.fields))})"
            problems.append(Problem(file, value.line_of(key), f"unknown field `{shown(key)}`", fix))
    for key, spec in schema.fields.items():
        raw = value.get(key)
        if raw is None or (isinstance(raw, str) and not raw.strip() and spec.required):
            if spec.required:
                problems.append(Problem(file, value.line, f"missing `{key}`", _fix(spec, f"add `{key}:` to this record")))
                record.ok = record.ok and bool(spec.fallback)
            continue
        checked = _check(key, raw, spec, file, value.line_of(key), problems)
        if checked is None:
            record.ok = record.ok and not (spec.required and not spec.fallback)
            continue
        record.values[key] = checked
    return record


def read_list(value: Any, key: str, file: str, line: int, problems: list[Problem]) -> list[Any] | None:
    """A list found where one must be (a top-level ``facts:``, ``children:``); None (reported) otherwise."""
    return _check(key, value, Field(Kind.LIST), file, line, problems)  # type: ignore[no-any-return]


def describe(value: Any) -> str:
    """What a value is, in words, for a message that says what was expected instead."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return "text"
    return "empty" if value is None else f"a {type(value).__name__}"


def invisible(text: str) -> list[str]:
    """The control and invisible characters in ``text`` as code points (``U+001B``), each once, in order."""
    found = dict.fromkeys(char for char in _INVISIBLE.findall(text) if char not in _ORDINARY)
    return [f"U+{ord(char):04X}" for char in found]


def invisible_warning(file: str, line: int, what: str, text: str) -> Problem | None:
    """A warning that ``what`` (a field, the article) holds control or invisible characters, naming them."""
    codes = invisible(text)
    if not codes:
        return None
    listed = ", ".join(codes[:6]) + (", …" if len(codes) > 6 else "")
    return Problem(file, line, f"{what} holds invisible or control characters ({listed})", "remove them", "warning")


# --- one value ------------------------------------------------------------------------------------------------


def _check(key: str, value: Any, spec: Field, file: str, line: int, problems: list[Problem]) -> Any:
    """The value converted to its kind, or None with a problem added."""
    if isinstance(value, Refused):
        problems.append(Problem(file, line, f"`{key}`: {value.message}", _fix(spec, value.fix)))
        return None
    converted, wrong = _CONVERTERS[spec.kind](value)
    if wrong is not None:
        problems.append(Problem(file, line, f"`{key}` {wrong}", _fix(spec, _FIXES[spec.kind])))
        return None
    if spec.kind not in (Kind.TEXT, Kind.TEXTS):
        return converted
    texts: list[str] = [converted] if isinstance(converted, str) else converted
    longest = max(map(len, texts), default=0)
    if longest > spec.limit:
        problems.append(Problem(file, line, f"`{key}` is {longest:,} characters long, more than the {spec.limit:,} "
                                "it may hold", _fix(spec, "a field holds a few sentences: check that it is the "
                                                     "text you meant")))  # fmt: skip
        return None
    if spec.flat:
        texts = _one_line(key, texts, file, line, problems)
        converted = texts[0] if spec.kind is Kind.TEXT else texts
    if spec.choices and converted not in spec.choices:
        problems.append(Problem(file, line, f"`{key}` is `{shown(converted)}`",
                                _fix(spec, f"use one of {', '.join(spec.choices)}")))  # fmt: skip
        return None
    for text in texts:
        warning = invisible_warning(file, line, f"`{key}`", text)
        if warning is not None:
            problems.append(warning)
            break
    return converted


def _fix(spec: Field, fix: str) -> str:
    return f"{fix} (until then {spec.fallback})" if spec.fallback else fix


def _one_line(key: str, texts: list[str], file: str, line: int, problems: list[Problem]) -> list[str]:
    """The texts with each run of white space that holds a line break made one space, and a warning if any did."""
    if not any(_BREAK.search(text) for text in texts):
        return texts
    problems.append(Problem(file, line, f"`{key}` holds a line break", "write it on one line", "warning"))
    return [_BREAK.sub(" ", text).strip() for text in texts]


def _text(value: Any) -> tuple[str | None, str | None]:
    if isinstance(value, str):
        return value, None
    if isinstance(value, int) and not isinstance(value, bool):  # `unit: 2`, `column: 2024`: its digits are the text
        return str(value), None
    return None, f"must be text, not {describe(value)}"


def _texts(value: Any) -> tuple[list[str] | None, str | None]:
    if isinstance(value, str):
        return [value], None
    if not isinstance(value, list):
        return None, f"must be a list of text, not {describe(value)}"
    texts = []
    for item in value:
        text, _ = _text(item)
        if text is None:
            return None, f"must be a list of text, and one item is {describe(item)}"
        texts.append(text)
    return texts, None


def _number(value: Any) -> tuple[int | float | None, str | None]:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None, f"must be a number, not {describe(value)}"
    if isinstance(value, float) and not math.isfinite(value):
        return None, f"is {value!r}, not a number a figure can be"
    if abs(value) > LARGEST_FIGURE:
        return None, f"is {shown(value)}, larger than any figure in an article"
    return value, None


def _whole(value: Any) -> tuple[int | None, str | None]:
    if isinstance(value, bool) or not isinstance(value, int):
        return None, f"must be a whole number, not {describe(value)}"
    if abs(value) > LARGEST_FIGURE:
        return None, f"is {shown(value)}, far too large"
    return value, None


def _date(value: Any) -> tuple[str | None, str | None]:
    """The text of a date that exists: quoted as the format asks, or a date YAML read unquoted."""
    if isinstance(value, dt.datetime):
        text = value.isoformat(sep=" ") if value.tzinfo is None else str(value)
    elif isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, str):
        text = value
    else:
        return None, f"must be a date, not {describe(value)}"
    match = _DATE.fullmatch(text)
    if match is None:
        return None, f"is `{shown(text)}`"
    # A part that is absent is the first of its range; one written as 00 (a month, a day, the year 0000) is not.
    year, month, day, hour, minute, second = (int(part) if part else None for part in match.groups())
    try:
        dt.datetime(year, *(1 if part is None else part for part in (month, day)),  # type: ignore[arg-type]
                    *(0 if part is None else part for part in (hour, minute, second)))  # fmt: skip
    except ValueError:
        return None, f"is `{shown(text)}`, not a date that exists"
    return text, None


def _list(value: Any) -> tuple[list[Any] | None, str | None]:
    if isinstance(value, list):
        return value, None
    return None, f"must be a list, not {describe(value)}"


_CONVERTERS: dict[Kind, Any] = {
    Kind.TEXT: _text, Kind.TEXTS: _texts, Kind.NUMBER: _number, Kind.WHOLE: _whole, Kind.DATE: _date,
    Kind.LIST: _list,
}  # fmt: skip


# --- the records of the data format (README, *Data format*) -------------------------------------------------

TEXT, TEXTS = Field(Kind.TEXT), Field(Kind.TEXTS)
REQUIRED_TEXT = Field(Kind.TEXT, required=True)
PROSE, PROSE_LIST = Field(Kind.TEXT, flat=False), Field(Kind.TEXTS, flat=False)  # notes and evidence: paragraphs
ID, REFERENCE = Field(Kind.TEXT, required=True, flat=False), Field(Kind.TEXT, flat=False)  # checked by pattern
# What a source record falls back on when these are missing or wrong, so one bad value does not drop an article
# and its facts (the reader applies them; the error still says what to fix).
# - medium: [EB/OL] cites it as read online, with the date it was accessed; that is how every copy in raw/ was
#   found (a web page), while [N] would claim a printed issue nobody checked.
# - precision: what the `published` text itself shows (a year, a day, a minute, a second).
# - script: what the title shows (traditional if simplifying it changes it); it only chooses how text is shown.
MEDIUM = Field(Kind.TEXT, True, ("newspaper", "web"), fallback="it is cited as web, [EB/OL]")
PRECISION = Field(Kind.TEXT, True, ("year", "month", "day", "minute", "second"),
                  fallback="the precision is what `published` shows")  # fmt: skip
SCRIPT = Field(Kind.TEXT, True, ("zh-Hans", "zh-Hant"), fallback="the script is what the title shows")

SOURCE = Schema("a source", "`- id: ...` with its fields", {
    "id": ID, "title": REQUIRED_TEXT, "subtitle": TEXT, "column": TEXT, "kicker": TEXT, "outlet": TEXT,
    "outlet_note": PROSE, "medium": MEDIUM, "found_at": TEXT, "found_at_evidence": PROSE, "authors": TEXTS,
    "author_note": PROSE, "signoff": TEXT, "editors": TEXTS, "published": Field(Kind.DATE, required=True),
    "precision": PRECISION, "published_evidence": PROSE, "script": SCRIPT, "raw": ID, "sha256": ID, "url": TEXT,
    "url_note": PROSE, "notes": PROSE_LIST,
})  # fmt: skip
TOPIC = Schema("a topic", "`- {id: ..., zh: ..., en: ...}`", {
    "id": ID, "zh": REQUIRED_TEXT, "en": REQUIRED_TEXT, "children": Field(Kind.LIST),
})  # fmt: skip
METRIC = Schema("a metric", "`- {key: ..., zh: ..., en: ..., unit: ...}`", {
    "key": ID, "zh": REQUIRED_TEXT, "en": REQUIRED_TEXT, "unit": REQUIRED_TEXT,
    "distinct_from": Field(Kind.TEXTS, flat=False),
})  # fmt: skip
FACT_FILE = Schema("a fact file", "`source: <id>`, then a `facts:` list", {
    "source": ID, "facts": Field(Kind.LIST, required=True), "not_figures": Field(Kind.LIST),
})  # fmt: skip
# `statement` and `en` are one sentence each (README, data format): flat like a title. `quote` is verbatim.
FACT = Schema("a fact", "`- id: ...` with its fields", {
    "id": ID, "topic": Field(Kind.TEXT, required=True, flat=False), "statement": REQUIRED_TEXT, "en": REQUIRED_TEXT,
    "quantities": Field(Kind.LIST), "period": TEXT, "scope": TEXT, "actor": TEXT, "metric": REFERENCE,
    "quote": Field(Kind.TEXT, required=True, flat=False, limit=QUOTE_LIMIT), "occurrence": Field(Kind.WHOLE),
})  # fmt: skip
QUANTITY = Schema("a quantity", "`- {value: ..., unit: ..., text: ...}`", {
    "value": Field(Kind.NUMBER, required=True), "unit": REQUIRED_TEXT, "qualifier": TEXT, "text": REQUIRED_TEXT,
})  # fmt: skip
NOT_FIGURE = Schema("a not_figures entry", "`- {text: ..., why: ...}`", {"text": REQUIRED_TEXT, "why": REQUIRED_TEXT})
