"""Parsed documents to schema records; pydantic's errors become positioned diagnostics."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from .diagnostics import Diagnostic
from .load import Document, node_at, yaml11_hint


def dotted(loc: Sequence[str | int]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _fields_at(schema: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """The keys allowed in the mapping that ``loc`` points into (for did-you-mean)."""
    model: Any = schema
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if hasattr(model, "model_fields") else None
        if field is None:
            return []
        model = _model_in(field.annotation)
        if model is None:
            return []
    return list(model.model_fields) if hasattr(model, "model_fields") else []


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _message(err: dict[str, Any], doc: Document, schema: type[BaseModel]) -> tuple[str, bool]:
    """Message text, and whether it belongs at the key rather than at the value."""
    loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
    where = dotted(loc)
    kind = err["type"]
    if kind == "extra_forbidden":
        key = loc[-1]
        allowed = _fields_at(schema, loc[:-1])
        close = difflib.get_close_matches(str(key), allowed, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f" (allowed: {', '.join(allowed)})"
        parent = dotted(loc[:-1]) or "the record"
        return f"unknown key '{key}' in {parent}{hint}", True
    if kind == "missing":
        return f"missing required key '{where}'", False
    _, node = node_at(doc.root, loc)
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    hint = yaml11_hint(node)
    if hint and (kind.endswith("_type") or kind in ("literal_error", "enum")):
        return f"{where}: {hint}", False
    return f"{where}: {msg}", False


def to_record(
    doc: Document, schema: type[BaseModel], context: dict[str, Any] | None = None
) -> tuple[BaseModel | None, list[Diagnostic]]:
    """Validate one parsed document; never raises for bad data."""
    if not doc.ok or not isinstance(doc.data, dict):
        return None, list(doc.diagnostics)
    try:
        return schema.model_validate(doc.data, context=context), []
    except ValidationError as exc:
        out = []
        for err in exc.errors(include_input=False, include_url=False):
            message, at_key = _message(err, doc, schema)
            loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
            out.append(doc.at(loc, message, key=at_key))
        return None, out
