"""How much of a prompt does `draw` draw? Over the prompts in tests/engines/data/
draw_prompts.txt (written the way people write them), the share of placed phrases
that draw shows: 1 − not drawn / placed. Goal (#18): ≥ 0.85.

    python benchmarks/draw_coverage.py [--list]

A phrase is "placed" when the prompt parser puts it in a part or keeps it as a detail
(style and use lines aside); it is "not drawn" when draw reports it so
(`EngineResult.not_drawn`, the same list `create` prints). ``--list`` prints the
phrases not drawn, most frequent first: the work list.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from sakuga.engines.draw.traits import not_drawn
from sakuga.spec.artspec import ArtSpec

PROMPTS = Path(__file__).resolve().parent.parent / "tests" / "engines" / "data" / "draw_prompts.txt"
GOAL = 0.85


def prompts() -> list[str]:
    lines = PROMPTS.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def placed(spec: ArtSpec) -> list[str]:
    phrases = [
        phrase
        for part, value in spec.parts().items()
        if part not in ("style", "use")
        for phrase in value.split(", ")
    ]
    return list(dict.fromkeys([*phrases, *spec.details]))


def coverage() -> tuple[float, int, int, Counter[str]]:
    total = missed = 0
    missing: Counter[str] = Counter()
    for prompt in prompts():
        spec = ArtSpec.from_text(prompt)
        total += len(placed(spec))
        lost = not_drawn(spec)
        missed += len(lost)
        missing.update(lost)
    return 1 - missed / max(total, 1), total, missed, missing


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--list", action="store_true", help="print the phrases not drawn")
    args = parser.parse_args()
    share, total, missed, missing = coverage()
    print(f"{len(prompts())} prompts, {total} placed phrases, {missed} not drawn")
    print(f"coverage {share:.3f}  (goal >= {GOAL}: {'met' if share >= GOAL else 'NOT met'})")
    if args.list:
        for phrase, count in missing.most_common():
            print(f"  {count:3d}  {phrase}")


if __name__ == "__main__":
    main()
