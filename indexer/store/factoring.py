"""What makes one stored package serve every set and revision: the strings a
record owes to its set or to its revision, factored out losslessly.

The same package in python312Packages and python313Packages differs only
in the interpreter's strings (`python3.12-pyyaml-6.0.2`, the interpreter's
name); a package whose dependency was bumped differs only in that input's
version. Schema 2 stores the package once, with those strings replaced by
placeholders, and keeps them apart: a set's strings in `package_sets`
(`lib_prefix`, `interpreter`), an input's version per revision in
`input_versions`. Reading puts them back.

Placeholders are control characters (U+0001–U+0003), which no nixpkgs
string contains; a row with one anywhere is stored as it is (`factored = 0`)
instead, so factoring never loses anything. In the stored JSON record they
appear as the escapes `\\u0001`–`\\u0003`.
"""

from __future__ import annotations

import functools
from collections.abc import Container, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

LIB_PREFIX = "\x01"  # the set's interpreter's libPrefix: `python3.13`
INTERPRETER = "\x02"  # the set's interpreter's derivation name: `python3-3.13.1`
INPUT_VERSION = "\x03"  # an input's version, kept per revision in `input_versions`
PLACEHOLDERS = (LIB_PREFIX, INTERPRETER, INPUT_VERSION)
# The placeholders as orjson writes them in a JSON string (it escapes every
# control character), and the prefix any such escape starts with.
_JSON_ESCAPE = {p: f"\\u{ord(p):04x}" for p in PLACEHOLDERS}
_JSON_CONTROL = "\\u000"


@dataclass(frozen=True)
class SetStrings:
    """The strings a set's records spell with its interpreter."""

    lib_prefix: str | None
    interpreter: str | None

    @functools.cached_property  # asked for every record
    def pairs(self) -> tuple[tuple[str, str], ...]:
        """(string, placeholder), in the order they are factored out; the
        longer first, so that one containing the other factors whole."""
        found = [(s, p) for s, p in ((self.interpreter, INTERPRETER),
                                     (self.lib_prefix, LIB_PREFIX)) if s]  # fmt: skip
        if len(found) == 2 and found[0][0] == found[1][0]:
            found = found[1:]
        return tuple(sorted(found, key=lambda pair: -len(pair[0])))


def can_factor(text: str) -> bool:
    """Whether a plain string can be factored: it holds no placeholder."""
    return not any(p in text for p in PLACEHOLDERS)


def can_factor_json(text: str, referenced: int = 0) -> bool:
    """Whether JSON text can be factored: it holds no escaped control
    character (nor a backslash before `u000`, which would read as one) but
    the two placeholders of each of its `referenced` inputs (name, version)."""
    return text.count(_JSON_CONTROL) == 2 * referenced


def factor(text: str, strings: SetStrings) -> str:
    for string, placeholder in strings.pairs:
        text = text.replace(string, placeholder)
    return text


def expand(text: str, strings: SetStrings) -> str:
    for string, placeholder in reversed(strings.pairs):
        text = text.replace(placeholder, string)
    return text


def factor_json(text: str, strings: SetStrings) -> str:
    for string, placeholder in strings.pairs:
        text = text.replace(string, _JSON_ESCAPE[placeholder])
    return text


def expand_json(text: str, strings: SetStrings, versions: Mapping[str, str]) -> str:
    """The JSON text as it was: input versions first (their keys are
    factored names), then the set's strings."""
    if _JSON_ESCAPE[INPUT_VERSION] in text:
        import orjson

        record = orjson.loads(text)
        _restore_versions(record.get("inputs"), versions)
        text = orjson.dumps(record, option=orjson.OPT_SORT_KEYS).decode()
    for string, placeholder in reversed(strings.pairs):
        text = text.replace(_JSON_ESCAPE[placeholder], string)
    return text


# ---- inputs by reference ---------------------------------------------------


def version_template(name: str, version: object) -> str | None:
    """`python3.13-pytest-` + INPUT_VERSION for `python3.13-pytest-8.3.3`
    at version 8.3.3: the input's name with its version left out, or None
    when the name does not end in it."""
    if not isinstance(version, str) or not isinstance(name, str):
        return None
    return _version_template(name, version)


@functools.lru_cache(maxsize=1 << 16)  # a few thousand inputs, met in every record
def _version_template(name: str, version: str) -> str | None:
    if not version or not can_factor(version):
        return None
    if not name.endswith("-" + version) or not can_factor(name):
        return None
    return name[: -len(version)] + INPUT_VERSION


def input_derivations(inputs: object) -> Iterator[dict[str, Any]]:
    """Every input derivation of a record's `inputs` (lists, and the
    optional-dependencies' lists), in order."""
    if not isinstance(inputs, dict):
        return
    for value in inputs.values():
        groups = value.values() if isinstance(value, dict) else (value,)
        for items in groups:
            if isinstance(items, list):
                for item in items:
                    if isinstance(item, dict) and isinstance(item.get("name"), str):
                        yield item


def referenced_inputs(
    inputs: dict[str, Any], unambiguous: Container[str]
) -> tuple[dict[str, Any], int, list[str]]:
    """A copy of `inputs` in which each derivation whose template is
    `unambiguous` (one version of it in the revision's set) has its version
    replaced by INPUT_VERSION, in `version` and in `name`; how many were;
    and every derivation's name, in order. One pass: it runs for every
    record of every revision."""
    referenced = 0
    names: list[str] = []
    copy: dict[str, Any] = {}
    for key, value in inputs.items():
        groups = value if isinstance(value, dict) else {None: value}
        copied_groups: dict[Any, Any] = {}
        for extra, items in groups.items():
            if not isinstance(items, list):
                copied_groups[extra] = items
                continue
            copied: list[Any] = []
            for item in items:
                name = item.get("name") if isinstance(item, dict) else None
                if not isinstance(name, str):
                    copied.append(item)
                    continue
                names.append(name)
                template = version_template(name, item.get("version"))
                if template is not None and template in unambiguous:
                    item = {**item, "name": template, "version": INPUT_VERSION}
                    referenced += 1
                copied.append(item)
            copied_groups[extra] = copied
        copy[key] = copied_groups if isinstance(value, dict) else copied_groups[None]
    return copy, referenced, names


def _restore_versions(inputs: Any, versions: Mapping[str, str]) -> None:
    for item in input_derivations(inputs):
        if item.get("version") == INPUT_VERSION:
            version = versions[item["name"]]
            item["name"] = item["name"].replace(INPUT_VERSION, version)
            item["version"] = version


def expand_input(
    name: str, version: str | None, strings: SetStrings, versions: Mapping[str, str]
) -> tuple[str, str | None]:
    """An input's (name, version) as the dump had them."""
    if version is None and INPUT_VERSION in name:
        version = versions[name]
        name = name.replace(INPUT_VERSION, version)
    return expand(name, strings), version


__all__ = [
    "INPUT_VERSION",
    "INTERPRETER",
    "LIB_PREFIX",
    "SetStrings",
    "can_factor",
    "can_factor_json",
    "expand",
    "expand_input",
    "expand_json",
    "factor",
    "factor_json",
    "input_derivations",
    "referenced_inputs",
    "version_template",
]
