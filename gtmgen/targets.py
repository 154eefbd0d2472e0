"""KPI targets: a number read by its metric's kind (money for cac, ltv, cpl and mrr; a share
for ctr and *_rate; any number otherwise), or `tbd`, "to be decided"."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

from gtmgen.numbers import (
    AMOUNT_PATTERN,
    MONEY_METRICS,
    NUMBER_PATTERN,
    RATE_METRIC_PATTERN,
    Kind,
    advice,
    how_it_was_split,
    metric_kind,
    split_by_comma,
)
from gtmgen.types import TEXT_SCHEMA, Text, describe, problem, read_number

TBD = "tbd"
TBD_PATTERN = "^[Tt][Bb][Dd]$"


@dataclass(frozen=True)
class _Target:
    """A KPI target's value with its metric's name, so that the value is read by its kind."""

    metric: str
    value: Any
    split: tuple[str, ...] = ()  # the keys a comma inside { } cut off the value


_NOT_A_METRIC = object()


def _kpi_entries(data: Any) -> Any:
    """A kpis mapping as metric → _Target: author keys and `notes` dropped, an empty value
    dropped ("not given"), and a value that a comma inside { } split into a key rejoined."""
    if not isinstance(data, dict):
        return data
    entries: dict[Any, Any] = {}
    last: Any = None
    for key, value in data.items():
        if isinstance(key, str) and (key.startswith("x-") or key == "notes"):
            continue
        if isinstance(key, str) and re.fullmatch(r"\d+", key):
            before = entries.get(last)
            if value is None and before is not None and isinstance(before.value, str) \
                    and before.value.strip().isdigit():
                entries[last] = replace(before, split=(*before.split, key))
            else:
                entries[key] = _Target(key, _NOT_A_METRIC)
            continue
        last = None
        if value is not None:
            entries[key] = _Target(str(key), value)
            last = key
    return entries


def _kpi_target(value: Any) -> Any:
    metric, raw, kind = None, value, Kind.NUMBER
    if isinstance(value, _Target):
        metric, raw, kind = value.metric, value.value, metric_kind(value.metric)
        if raw is _NOT_A_METRIC:
            raise problem(f"a metric is named by a word (like cpl), not by the number "
                          f"{describe(metric)}")
        if value.split:
            text = split_by_comma(raw, list(value.split))
            hint = advice(text, kind) or "is not one number"
            raise problem(f"{describe(text)} {hint}; "
                          + how_it_was_split(metric, raw, list(value.split), "metric"))
    if isinstance(raw, str) and raw.strip().casefold() == TBD:
        return TBD
    return read_number(raw, kind, "a number or tbd (to be decided)")


def _kpi_schema() -> dict[str, Any]:
    def target(number: dict[str, Any], pattern: str) -> dict[str, Any]:
        return {"anyOf": [number, {"type": "string", "pattern": pattern},
                          {"type": "string", "pattern": TBD_PATTERN}, {"type": "null"}]}

    money = target({"type": "number", "exclusiveMinimum": 0}, "^(?!-)" + AMOUNT_PATTERN[1:])
    rate = target({"type": "number", "minimum": 0, "maximum": 1}, NUMBER_PATTERN)
    return {"type": "object",
            "properties": {**{metric: money for metric in MONEY_METRICS},
                           "notes": TEXT_SCHEMA},
            "patternProperties": {RATE_METRIC_PATTERN: rate, "^x-": {}, r"^\d+$": False},
            "additionalProperties": target({"type": "number"}, NUMBER_PATTERN)}


# A KPI target: a number, or TBD (written `tbd` in any case).
KpiTarget = Annotated[float | str, BeforeValidator(_kpi_target)]
# Metric → target. An empty target is "not given", like an absent metric.
KpiTargetMap = Annotated[dict[Text, KpiTarget], BeforeValidator(_kpi_entries),
                         WithJsonSchema(_kpi_schema())]
