"""Prompt understanding: part accuracy and word retention on the labelled prompt set.

    python benchmarks/prompt_understanding.py [--show-misses]

For each prompt of ``tests/prompt/data/prompts.jsonl`` (written in many voices, each
labelled with the phrases a reader places in each part) and of the second set
``prompts_second.jsonl`` (written later, as a check on the first), prints for today's parser
and for the vocabulary-only parser it replaced (``benchmarks/baseline_parser.py``),
measured in the same run:

- part accuracy: the share of labelled (part, phrase) pairs found in that part;
- retention: the share of the prompt's content words present in the prompt an AI
  engine receives (``ArtSpec.compose``, and the openai engine's natural-language
  prompt for today's parser);
- parse time per prompt.

Goals (issue #14): part accuracy ≥ 0.9, retention 1.0, under 1 ms per prompt.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.baseline_parser import parse_parts as baseline_parse  # noqa: E402
from sakuga.prompt.artspec import ArtSpec  # noqa: E402
from sakuga.prompt.attention import plain_text  # noqa: E402
from sakuga.prompt.lexicon import key  # noqa: E402
from sakuga.prompt.parse import parse_prompt  # noqa: E402
from sakuga.prompt.words import content_words, missing_words  # noqa: E402

DATA = ROOT / "tests" / "prompt" / "data" / "prompts.jsonl"
SECOND = ROOT / "tests" / "prompt" / "data" / "prompts_second.jsonl"


def load_set(path: Path = DATA) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def today_spec(prompt: str) -> ArtSpec:
    return ArtSpec.build(**parse_prompt(prompt).fields())


def baseline_spec(prompt: str) -> ArtSpec:
    fields = dict(baseline_parse(prompt))
    return ArtSpec.build(**fields)


def evaluate(
    items: list[dict[str, Any]], make: Callable[[str], ArtSpec]
) -> tuple[float, float, list[str], list[str]]:
    """(part accuracy, retention, misses, lost words) of ``make`` over ``items``."""
    found = total = kept = words = 0
    misses: list[str] = []
    lost: list[str] = []
    for item in items:
        spec = make(item["prompt"])
        parts = spec.parts()
        for part, phrases in item["parts"].items():
            for phrase in phrases:
                total += 1
                if key(phrase) in key(parts.get(part, "")):
                    found += 1
                else:
                    misses.append(f"{part}: {phrase!r} in {item['prompt'][:60]!r} → {parts}")
        sent = spec.compose()
        gone = missing_words(item["prompt"], sent)
        counted = content_words(item["prompt"])
        words += len(counted)
        kept += len(counted) - len(gone)
        lost.extend(gone)
    return found / total, kept / words, misses, lost


def per_prompt_ms(items: list[dict[str, Any]], parse: Callable[[str], Any], rounds: int) -> float:
    prompts = [i["prompt"] for i in items]
    for p in prompts:  # warm the lexicon and regex caches
        parse(p)
    start = time.perf_counter()
    for _ in range(rounds):
        for p in prompts:
            parse(p)
    return (time.perf_counter() - start) * 1000 / (rounds * len(prompts))


def report(name: str, items: list[dict[str, Any]], rounds: int, show: bool) -> None:
    pairs = sum(len(v) for i in items for v in i["parts"].values())
    print(f"{name}: {len(items)} prompts, {pairs} labelled (part, phrase) pairs")
    acc, ret, misses, lost = evaluate(items, today_spec)
    base_acc, base_ret, _, base_lost = evaluate(items, baseline_spec)
    openai_lost = [
        w
        for i in items
        for w in missing_words(
            plain_text(i["prompt"]), plain_text(today_spec(i["prompt"]).compose())
        )
    ]
    ms = per_prompt_ms(items, parse_prompt, rounds)
    base_ms = per_prompt_ms(items, baseline_parse, rounds)
    print(f"{'':22}{'today':>10}{'baseline':>10}{'ratio':>8}")
    print(f"{'part accuracy':22}{acc:10.3f}{base_acc:10.3f}{acc / base_acc:8.2f}  (goal ≥ 0.9)")
    print(f"{'retention':22}{ret:10.3f}{base_ret:10.3f}{ret / base_ret:8.2f}  (goal 1.0)")
    print(f"{'words lost':22}{len(lost):10d}{len(base_lost):10d}")
    print(f"{'openai words lost':22}{len(openai_lost):10d}")
    print(f"{'parse ms / prompt':22}{ms:10.3f}{base_ms:10.3f}{ms / base_ms:8.2f}  (goal < 1 ms)")
    if show:
        for miss in misses:
            print("miss", miss)
        print("lost", lost)
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    report("prompts.jsonl", load_set(DATA), args.rounds, args.show_misses)
    report("prompts_second.jsonl", load_set(SECOND), args.rounds, args.show_misses)


if __name__ == "__main__":
    main()
