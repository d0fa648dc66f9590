"""Estimated costs of hosted image models, from a dated price table kept as data.

The table (``data/openai_prices.json``) says when it was read and where from; a cost
is an estimate from the response's token usage, never a bill.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def price_table() -> dict[str, Any]:
    """The price table: ``as_of``, ``currency``, ``unit`` and per-model rates."""
    text = resources.files("sakuga.engines").joinpath("data/openai_prices.json").read_text()
    table: dict[str, Any] = json.loads(text)
    return table


def rates_for(model: str) -> dict[str, Any] | None:
    """The rates of ``model``, or of the model it is a dated snapshot of."""
    models: dict[str, Any] = price_table()["models"]
    if model in models:
        return dict(models[model])
    # "gpt-image-2-2026-04-21" is priced as "gpt-image-2".
    for name in sorted(models, key=len, reverse=True):
        rest = model.removeprefix(name)
        if rest != model and rest[:1] == "-" and rest[1:5].isdigit():
            return dict(models[name])
    return None


def estimate_cost(model: str, usage: dict[str, Any]) -> float | None:
    """The estimated cost in the table's currency of one response's ``usage``.

    None when the model has no price on record or the usage has no token counts.
    """
    rates = rates_for(model)
    if rates is None or "input_tokens" not in usage:
        return None
    details = usage.get("input_tokens_details") or {}
    text_in = int(details.get("text_tokens", usage["input_tokens"]))
    image_in = int(details.get("image_tokens", 0))
    output = int(usage.get("output_tokens", 0))
    dollars = (
        text_in * rates["text_input"]
        + image_in * rates["image_input"]
        + output * rates["image_output"]
    ) / 1_000_000
    return round(dollars, 6)
