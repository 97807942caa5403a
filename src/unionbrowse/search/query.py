"""The query language, fzf style: space = AND, ``a | b`` = OR, ``'exact``, ``!not``, and field filters.

Any string is a valid query: control characters are spaces, a lone ``!`` or ``'`` is nothing, a term with no
letter, digit or Chinese character (``，。``, ``?!``) is nothing to search for (kept in ``Query.ignored``, so a
surface can say so), and an absurdly long query is cut to its first terms rather than refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FIELDS = ("topic", "source", "year", "scope", "metric")
MAX_TERMS = 16
MAX_TERM_LENGTH = 64
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_FIELD = re.compile(rf"^({'|'.join(FIELDS)})[:：](.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Term:
    text: str
    exact: bool = False


@dataclass(frozen=True)
class Query:
    """Positive terms as AND-ed groups of OR-ed alternatives; exclusions; field filters."""

    groups: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    ignored: tuple[str, ...] = ()  # terms with nothing to search for: punctuation and symbols only

    @property
    def is_empty(self) -> bool:
        return not self.groups and not self.excluded and not self.filters

    @property
    def has_nothing_to_search(self) -> bool:
        """Typed, but only punctuation or symbols: the reader should be told, not shown every fact silently."""
        return self.is_empty and bool(self.ignored)

    @property
    def terms(self) -> list[Term]:
        return [term for group in self.groups for term in group]


def parse(text: str) -> Query:
    tokens = _CONTROL.sub(" ", text).split()[: MAX_TERMS * 3]
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    filters: dict[str, list[str]] = {}
    ignored: list[str] = []
    join_next = False
    for token in tokens:
        if token == "|":
            join_next = bool(groups)
            continue
        token = token[:MAX_TERM_LENGTH]
        if match := _FIELD.match(token):
            value = match.group(2).strip()
            if value:
                filters.setdefault(match.group(1).lower(), []).append(value)
            join_next = False
            continue
        negated = token.startswith("!")
        body = token[1:] if negated else token
        exact = body.startswith("'")
        body = body[1:] if exact else body
        if not body:
            join_next = False
            continue
        if not any(char.isalnum() for char in body):
            ignored.append(token)
            join_next = False
            continue
        term = Term(body, exact=exact)
        if negated:
            excluded.append(term)
        elif join_next and groups:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    return Query(
        groups=tuple(tuple(group) for group in groups[:MAX_TERMS]),
        excluded=tuple(excluded[:MAX_TERMS]),
        filters={name: tuple(values) for name, values in filters.items()},
        ignored=tuple(ignored),
    )
