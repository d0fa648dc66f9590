"""The content words of a prompt: what must reach an engine (issue #14's rule).

Stop words ("a", "with", "the") carry no content; everything else the person wrote
must appear in the prompt an AI engine receives. Directive lines (``seed:``,
``count:``, ``negative:``, ``style:``, ``use:``) are settings, not prompt words.
"""

from __future__ import annotations

import re
from typing import Final

from sakuga.prompt.parse import DIRECTIVES, structured_line

STOP_WORDS: Final = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "with",
        "without",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "as",
        "into",
        "onto",
        "over",
        "under",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "they",
        "them",
        "his",
        "her",
        "their",
        "hers",
        "him",
        "my",
        "me",
        "i",
        "you",
        "your",
        "we",
        "our",
        "us",
        "so",
        "very",
        "just",
        "like",
        "some",
        "any",
        "all",
        "each",
        "one",
        "who",
        "whom",
        "which",
        "what",
        "while",
        "then",
        "than",
        "too",
        "also",
        "s",
        "t",
        "pls",
        "please",
        "make",
        "draw",
        "create",
        "want",
    ]
)


def content_words(prompt: str) -> list[str]:
    """The words of ``prompt`` that must reach an engine, in order, lower case."""
    words: list[str] = []
    for line in re.split(r"[;\n]", prompt):
        structured = structured_line(line)
        if structured is not None:
            name, value = structured
            if name in DIRECTIVES:  # a setting, not prompt words
                continue
            line = value  # a "part: value" line: its value counts
        words.extend(w for w in re.findall(r"[^\W_]+", line.lower()) if w not in STOP_WORDS)
    return list(dict.fromkeys(words))


def missing_words(prompt: str, sent: str) -> list[str]:
    """The content words of ``prompt`` that ``sent`` (an engine's prompt) lacks."""
    have = set(re.findall(r"[^\W_]+", sent.lower()))
    return [w for w in content_words(prompt) if w not in have]
