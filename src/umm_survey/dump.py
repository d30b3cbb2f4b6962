"""Records to YAML text in the one canonical layout that `umm-survey fmt` also writes.

Keys follow the schema's field order; empty values are left out; lists of short ids are
written inline (``[text, image]``), everything else in block style; any string that YAML
1.1 would read as something other than text is quoted, so that a written file always
loads back to the same record.
"""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import BaseModel

from .schema import SLUG_RE

SCHEMA_COMMENT = "# yaml-language-server: $schema=../../schema/{kind}.schema.json\n"


class _Dumper(yaml.SafeDumper):
    pass


class _Inline(list):
    """A list written in flow style."""


def _inline_representer(dumper: yaml.SafeDumper, data: _Inline) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _str_representer(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(_Inline, _inline_representer)
_Dumper.add_representer(str, _str_representer)


def prune(value: Any) -> Any:
    """Drop None, empty lists and empty mappings, recursively."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            v = prune(v)
            if v is not None and v != [] and v != {}:
                out[k] = v
        return out
    if isinstance(value, list):
        items = [prune(v) for v in value]
        short = sum(len(str(v)) + 2 for v in items) <= 80
        if items and short and all(isinstance(v, str) and SLUG_RE.fullmatch(v) for v in items):
            return _Inline(items)
        return items
    return value


def to_yaml(data: dict[str, Any]) -> str:
    return yaml.dump(
        prune(data),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
        indent=2,
    )


def record_yaml(record: BaseModel, kind: str) -> str:
    """The canonical text of a record file, schema comment first."""
    singular = kind[:-1]
    return SCHEMA_COMMENT.format(kind=singular) + to_yaml(record.model_dump(mode="json"))
