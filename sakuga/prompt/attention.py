"""A1111's prompt attention syntax: ``(word:1.2)``, ``(word)``, ``[word]``, ``\\(``, ``BREAK``.

People paste prompts from model pages in this syntax. `parse_attention` reads it
with AUTOMATIC1111's semantics, so a prompt weighs the same here as there:

- ``(text)`` multiplies the weight of ``text`` by 1.1, ``[text]`` divides it by 1.1;
  nesting multiplies (``((text))`` = 1.21);
- ``(text:1.5)`` multiplies it by 1.5;
- ``\\(``, ``\\)``, ``\\[``, ``\\]``, ``\\\\`` are the literal characters;
- a bracket left open applies to the end of the prompt; a closing one with nothing
  open is plain text;
- ``BREAK`` (upper case, a word of its own) starts a new 75-token chunk.

`plain_text` gives the words without the syntax, for engines that read natural
language (GPT image models).
"""

from __future__ import annotations

import re
from typing import Final

ROUND: Final = 1.1
SQUARE: Final = 1 / 1.1

#: A fragment equal to this (with weight -1) marks a BREAK.
BREAK: Final = "BREAK"

_TOKEN: Final = re.compile(
    r"""
    \\[()\[\]\\]              # an escaped bracket or backslash
    | \\                      # a lone backslash
    | [(\[]                   # an opening bracket
    | :\s*([+-]?[.\d]+)\s*\)  # ':1.2)' closes a round bracket with an explicit weight
    | [)\]]                   # a closing bracket
    | [^\\()\[\]:]+           # plain text
    | :                       # a colon that is not a weight
    """,
    re.VERBOSE,
)
_BREAK_WORD: Final = re.compile(r"\s*\bBREAK\b\s*")


def parse_attention(text: str) -> list[tuple[str, float]]:
    """``text`` as (fragment, weight) pairs, neighbours of equal weight merged.

    A ``BREAK`` is the pair ``("BREAK", -1.0)``. An empty prompt is ``[("", 1.0)]``.
    """
    pieces: list[list[str | float]] = []
    round_open: list[int] = []
    square_open: list[int] = []

    def scale(start: int, factor: float) -> None:
        for piece in pieces[start:]:
            if piece[1] != -1.0:
                piece[1] = float(piece[1]) * factor

    for match in _TOKEN.finditer(text):
        token, weight = match.group(0), match.group(1)
        if token.startswith("\\"):
            pieces.append([token[1:], 1.0])  # a lone backslash is dropped, as in A1111
        elif token == "(":
            round_open.append(len(pieces))
        elif token == "[":
            square_open.append(len(pieces))
        elif weight is not None and round_open:
            try:
                factor = float(weight)
            except ValueError:  # '1.2.3' is not a number: A1111 would fail; keep it as text
                pieces.append([token, 1.0])
                continue
            scale(round_open.pop(), factor)
        elif token == ")" and round_open:
            scale(round_open.pop(), ROUND)
        elif token == "]" and square_open:
            scale(square_open.pop(), SQUARE)
        else:
            for i, part in enumerate(_BREAK_WORD.split(token)):
                if i:
                    pieces.append([BREAK, -1.0])
                pieces.append([part, 1.0])
    for start in round_open:
        scale(start, ROUND)
    for start in square_open:
        scale(start, SQUARE)

    merged: list[tuple[str, float]] = []
    for fragment, weight in pieces:
        assert isinstance(fragment, str) and isinstance(weight, float)
        if merged and merged[-1][1] == weight and weight != -1.0:
            merged[-1] = (merged[-1][0] + fragment, weight)
        else:
            merged.append((fragment, weight))
    return merged or [("", 1.0)]


def has_syntax(text: str) -> bool:
    """Whether ``text`` uses any weighting syntax (brackets, escapes or BREAK)."""
    return any(w != 1.0 for _, w in parse_attention(text)) or "\\" in text


def plain_text(text: str) -> str:
    """The words of ``text`` without weighting syntax; a BREAK becomes a comma.

    ``"(masterpiece:1.2), 1girl, [blurry] BREAK red scarf"`` →
    ``"masterpiece, 1girl, blurry, red scarf"``.
    """
    if not has_syntax(text) and "BREAK" not in text:
        return text
    out = "".join(", " if w == -1.0 else fragment for fragment, w in parse_attention(text))
    out = re.sub(r"\s*,(?:\s*,)+", ",", out)
    return re.sub(r"\s+", " ", out).strip(" ,")
