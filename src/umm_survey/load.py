"""YAML files to plain Python values, with the position of every value kept.

The loader is defensive because records come from strangers:

* size is capped and the bytes must be UTF-8 without a byte-order mark;
* the C parser (libyaml) is used when present, the pure one otherwise;
* a duplicate key, an anchor/alias, a custom tag or nesting deeper than
  :data:`MAX_DEPTH` is an error, never a silent choice;
* scalars are converted the way YAML 1.1 reads them, so that the schema can tell a
  contributor that ``arxiv: 2410.10000`` is the number 2410.1 (see :func:`yaml11_hint`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, error

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_constructor = yaml.SafeLoader("")  # used only for its scalar conversions

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_KNOWN_TAGS = {_STR, _NULL, _BOOL, _INT, _FLOAT, _TIMESTAMP, _MAP, _SEQ}

_BOM = b"\xef\xbb\xbf"


@dataclass
class Document:
    """One parsed file: its data, its text (for positions) and its problems.

    The node tree that gives positions is composed again only when a position is asked
    for. Keeping every file's tree alive instead costs more than parsing: a catalogue of
    10,000 records holds over a million nodes, and the garbage collector walks them again
    and again while the rest is loaded (about 4x the time of parsing, measured by
    benchmarks/run.py).
    """

    path: str
    data: Any = None
    text: str | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    _root: yaml.Node | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def root(self) -> yaml.Node | None:
        if self._root is None and self.text is not None:
            self._root = yaml.compose(self.text, Loader=_Loader)
        return self._root

    @property
    def ok(self) -> bool:
        return not self.diagnostics

    def at(self, loc: Sequence[str | int], message: str, *, key: bool = False) -> Diagnostic:
        """An error at the node that ``loc`` names (or its nearest existing parent)."""
        line, col = locate(self.root, loc, key=key)
        return error(self.path, line, col, message)


def read_file(path: Path, display: str | None = None) -> Document:
    display = display or path.as_posix()
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return Document(
                display,
                diagnostics=[
                    error(
                        display,
                        1,
                        1,
                        f"file is {size} bytes; a record may be at most {MAX_BYTES} bytes",
                    )
                ],
            )
        raw = path.read_bytes()
    except OSError as exc:
        return Document(display, diagnostics=[error(display, 1, 1, f"cannot read: {exc.strerror}")])
    return parse_bytes(raw, display)


def parse_bytes(raw: bytes, display: str) -> Document:
    doc = Document(display)
    if len(raw) > MAX_BYTES:
        doc.diagnostics.append(
            error(display, 1, 1, f"file is {len(raw)} bytes; a record may be at most {MAX_BYTES}")
        )
        return doc
    if raw.startswith(_BOM):
        doc.diagnostics.append(
            error(
                display,
                1,
                1,
                "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM",
            )
        )
        return doc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        doc.diagnostics.append(
            error(
                display,
                line,
                col,
                f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
            )
        )
        return doc
    return parse_text(text, display)


def parse_text(text: str, display: str) -> Document:
    doc = Document(display)
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        doc.diagnostics.append(error(display, 1, 1, "file is empty; a record is a mapping of keys"))
        return doc
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        doc.diagnostics.append(_syntax_error(display, exc, text))
        return doc
    except yaml.YAMLError as exc:
        doc.diagnostics.append(error(display, 1, 1, f"YAML error: {exc}"))
        return doc
    except RecursionError:
        doc.diagnostics.append(
            error(
                display, 1, 1, f"nesting is too deep; records may nest at most {MAX_DEPTH} levels"
            )
        )
        return doc
    if root is None:
        doc.diagnostics.append(error(display, 1, 1, "file is empty; a record is a mapping of keys"))
        return doc
    if ("&" in text or "*" in text) and (anchors := _anchor_lines(text)):
        doc.diagnostics.extend(
            error(
                display, line, col, "anchors and aliases (&name, *name) are not allowed in records"
            )
            for line, col in anchors
        )
        return doc
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        doc.diagnostics.append(
            error(
                display, *_pos(root), f"a record must be a mapping of keys, but this file is {kind}"
            )
        )
        return doc
    doc.text = text
    converter = _Converter(display)
    doc.data = converter.convert(root, 0)
    doc.diagnostics.extend(converter.diagnostics)
    return doc


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _anchor_lines(text: str) -> list[tuple[int, int]]:
    """The first anchor or alias on each line, as (line, column); a bomb is never expanded."""
    found: dict[int, int] = {}
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            line = event.start_mark.line + 1
            found.setdefault(line, event.start_mark.column + 1)
    return sorted(found.items())


def _syntax_error(display: str, exc: yaml.MarkedYAMLError, text: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "syntax error"
    lines = text.splitlines()
    at_tab = (
        mark is not None and mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]
    )
    if "maximum nesting depth" in problem:  # libyaml >= 0.2.5 stops at 1000 levels itself
        return error(
            display, line, col, f"nesting is too deep; records may nest at most {MAX_DEPTH} levels"
        )
    if at_tab or "'\\t'" in problem:
        message = "tab character: YAML indentation must use spaces"
    else:
        message = f"YAML syntax error: {problem}"
        if exc.context:
            message += f" ({exc.context})"
    return error(display, line, col, message)


class _Converter:
    """Node tree to dicts, lists and scalars; collects problems instead of stopping."""

    def __init__(self, display: str):
        self.display = display
        self.diagnostics: list[Diagnostic] = []
        self._seen: set[int] = set()

    def _err(self, node: yaml.Node, message: str) -> None:
        self.diagnostics.append(error(self.display, *_pos(node), message))

    def convert(self, node: yaml.Node, depth: int) -> Any:
        if depth > MAX_DEPTH:
            self._err(node, f"nesting is too deep; records may nest at most {MAX_DEPTH} levels")
            return None
        if id(node) in self._seen:
            self._err(node, "anchors and aliases (&name, *name) are not allowed in records")
            return None
        self._seen.add(id(node))
        if node.tag not in _KNOWN_TAGS:
            self._err(node, f"YAML tag {node.tag!r} is not allowed in records")
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, depth + 1) for item in node.value]
        return scalar_value(node)

    def _mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if (
                not isinstance(key_node, yaml.ScalarNode)
                or key_node.tag == "tag:yaml.org,2002:merge"
            ):
                self._err(key_node, "keys must be plain names (no lists, mappings or '<<' merges)")
                continue
            key = key_node.value
            if key in first_line:
                self._err(
                    key_node,
                    f"duplicate key '{key}' (first at line {first_line[key]}); "
                    "YAML would silently keep only the last one",
                )
                continue
            first_line[key] = key_node.start_mark.line + 1
            out[key] = self.convert(value_node, depth + 1)
        return out


def is_plain(node: yaml.ScalarNode) -> bool:
    return node.style in (None, "")


def scalar_value(node: yaml.ScalarNode) -> Any:
    """The value YAML 1.1 gives a scalar, except that timestamps stay text."""
    if not is_plain(node) or node.tag == _STR:
        return node.value
    if node.tag == _NULL:
        return None
    if node.tag == _BOOL:
        return _constructor.construct_yaml_bool(node)
    try:
        if node.tag == _INT:
            return _constructor.construct_yaml_int(node)
        if node.tag == _FLOAT:
            return _constructor.construct_yaml_float(node)
    except ValueError:
        return node.value
    return node.value


def yaml11_hint(node: yaml.Node | None) -> str | None:
    """Why an unquoted scalar did not come out as text, and how to fix it."""
    if not isinstance(node, yaml.ScalarNode) or not is_plain(node):
        return None
    raw = node.value
    value = scalar_value(node)
    if node.tag == _BOOL:
        return f'YAML 1.1 reads unquoted `{raw}` as the boolean {str(value).lower()}; write "{raw}"'
    if node.tag in (_INT, _FLOAT):
        shown = repr(value)
        if shown != raw:
            return (
                f"YAML reads unquoted `{raw}` as the number {shown}, losing its exact digits; "
                f'write "{raw}" in quotes'
            )
        return f'YAML reads unquoted `{raw}` as a number; write "{raw}" in quotes'
    if node.tag == _NULL:
        return "the value is empty"
    return None


def node_at(
    root: yaml.Node | None, loc: Sequence[str | int]
) -> tuple[yaml.Node | None, yaml.Node | None]:
    """The (key node, value node) that a pydantic-style location names.

    Stops at the deepest node that exists; the key node is None for list items.
    """
    key_node: yaml.Node | None = None
    node = root
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == part:
                    key_node, node = k, v
                    break
            else:
                return key_node, node
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            key_node, node = None, node.value[part]
        else:
            return key_node, node
    return key_node, node


def locate(
    root: yaml.Node | None, loc: Sequence[str | int], *, key: bool = False
) -> tuple[int, int]:
    """1-based line and column of the value (or of its key) that ``loc`` names."""
    if root is None:
        return 1, 1
    key_node, node = node_at(root, loc)
    target = key_node if key and key_node is not None else node
    return _pos(target) if target is not None else (1, 1)
