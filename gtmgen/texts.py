"""Where a playbook's translatable texts are: every value the model types as Text, found by
walking the raw data beside the model's field annotations (never by guessing from the data)."""

from __future__ import annotations

import types
from collections.abc import Iterator
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.functional_validators import BeforeValidator

from gtmgen.types import pick_text

Path_ = tuple[str | int, ...]

# Text fields that are not words for a reader: files named by their path, the author's own
# notes, and the deliverable's version (an identifier that approvals must repeat exactly).
NOT_TRANSLATED = frozenset({("Client", "docx_template"), ("Client", "pptx_template"),
                            ("Client", "version"), ("Brand", "logo"), ("Approval", "version")})
AUTHOR_FIELDS = frozenset({"notes"})


def _is_text(annotation: Any) -> bool:
    """Is this annotation gtmgen's Text (a string read through pick_text)?"""
    if get_origin(annotation) is not Annotated:
        return False
    return any(isinstance(meta, BeforeValidator) and meta.func is pick_text
               for meta in getattr(annotation, "__metadata__", ()))


def _strip(annotation: Any) -> Any:
    """The annotation without Annotated wrappers that are not Text itself."""
    while get_origin(annotation) is Annotated and not _is_text(annotation):
        annotation = get_args(annotation)[0]
    return annotation


def _fits(annotation: Any, value: Any) -> bool:
    """Could `value` be read as `annotation`? Only the shape counts (for unions)."""
    annotation = _strip(annotation)
    origin = get_origin(annotation)
    if _is_text(annotation):
        return isinstance(value, str | dict)
    if origin is list:
        return isinstance(value, list)
    if origin is dict or (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        return isinstance(value, dict)
    if origin in (Union, types.UnionType):
        return any(_fits(arm, value) for arm in get_args(annotation))
    return annotation is not type(None) and value is not None


def text_paths(model: type[BaseModel], data: Any, path: Path_ = ()) -> Iterator[Path_]:
    """The path of every translatable text in `data`, read as `model`, in the file's order."""
    if not isinstance(data, dict):
        return
    owner = model.__name__
    for key, value in data.items():
        field = model.model_fields.get(key) if isinstance(key, str) else None
        if field is None or key in AUTHOR_FIELDS or (owner, key) in NOT_TRANSLATED:
            continue  # unknown keys are errors elsewhere; x- keys are the author's
        yield from _walk(field.annotation, field.metadata, value, (*path, key))


def _walk(annotation: Any, metadata: list[Any], value: Any, path: Path_) -> Iterator[Path_]:
    if value is None:
        return
    if any(isinstance(meta, BeforeValidator) and meta.func is pick_text for meta in metadata):
        annotation = Annotated[str, *metadata]
    annotation = _strip(annotation)
    origin = get_origin(annotation)
    if _is_text(annotation):
        if isinstance(value, str | dict):
            yield path
    elif origin in (Union, types.UnionType):
        arms = [arm for arm in get_args(annotation) if _fits(arm, value)]
        if arms:
            yield from _walk(arms[0], [], value, path)
    elif origin is list and isinstance(value, list):
        (item,) = get_args(annotation)
        for index, element in enumerate(value):
            yield from _walk(item, [], element, (*path, index))
    elif origin is dict and isinstance(value, dict):
        _, item = get_args(annotation)
        for key, element in value.items():
            if not (isinstance(key, str) and key.startswith("x-")):
                yield from _walk(item, [], element, (*path, key))
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield from text_paths(annotation, value, path)


def value_at(data: Any, path: Path_) -> Any:
    """The raw value at `path`, or None when the path leads nowhere."""
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data
