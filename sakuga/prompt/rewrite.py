"""Change one part of a prompt in place, keeping every other character of it.

The web studio's part fields (hair, outfit, expression …) edit the prompt through
this: ``"(masterpiece:1.2), a girl with long pink hair, she looks at the camera"`` with
the hair set to "short blue hair" becomes ``"(masterpiece:1.2), a girl with short blue
hair, she looks at the camera"`` — the weights, the quality tags, the order and the
words the parser could not place all stay as they were typed.

The parser reports each part's phrases as words (weights and case removed); each is
found again in the text as the same words with anything that is not a word between
them (``"(detailed eyes:1.2)"`` holds "detailed eyes"), so only the words change and
their weight stays.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sakuga.errors import SpecError
from sakuga.prompt.artspec import PARTS
from sakuga.prompt.parse import parse_prompt, structured_line

#: Words that lead a phrase into the sentence ("with long hair", "wearing a coat"):
#: removed with the phrase when a part is cleared, so no "a girl with" is left.
_LEADS = re.compile(r"(?:\b(?:with|wearing|in|has|having|and)\s+(?:an?\s+|the\s+)?)$", re.I)


Span = tuple[int, int]


@dataclass(frozen=True)
class Rewritten:
    """The new text, and where the part's phrases now stand in it (none when cleared)."""

    text: str
    spans: tuple[Span, ...]


def set_part(
    text: str,
    part: str,
    value: str,
    at: Sequence[Span] | None = None,
    who: str | None = None,
) -> Rewritten:
    """``text`` with ``part``'s phrases replaced by ``value`` (removed when empty), or
    ``value`` added where the part was not said.

    ``value`` is the part as a field shows it, its phrases joined by commas ("detailed
    eyes, girl"): each phrase replaces the phrase at its place in the text, so editing
    the second leaves the first, and its weight, as typed. ``at`` says where the part's
    phrases stand (the spans a previous call returned, while the text is unchanged):
    then they are not looked for again, so a half-typed value ("g", on the way to
    clearing "gentle mood") is still found. ``who``: one character of several (#34):
    only the phrases said of them change, and a part they lack is added beside them.
    """
    if part not in PARTS:
        raise SpecError(f"unknown part {part!r}; parts: {', '.join(PARTS)}")
    value = " ".join(value.split())
    line = None if who else _structured_span(text, part)
    anchor = None
    if at is not None and _valid(at, len(text)):
        spans, line = list(at), None
    elif line:
        spans = [line]
    elif who:
        spans, anchor = _member_spans(text, part, who)
    else:
        spans = _spans(text, parse_prompt(text).parts.get(part, []))
    # A "part: value" line holds the value whole; free text, one phrase per comma.
    pieces = [value] if line and value else [p.strip() for p in value.split(",") if p.strip()]
    if not spans:
        if not pieces:
            return Rewritten(text, ())
        if anchor is not None:  # beside what is said of them
            joined = ", ".join(pieces)
            lead = ", " if anchor[1] else " with "
            start = anchor[0] + len(lead)
            new = text[: anchor[0]] + lead + joined + text[anchor[0] :]
            return Rewritten(new, ((start, start + len(joined)),))
        return _added(text, part, ", ".join(pieces))
    edits: list[tuple[Span, str | None]] = []
    for n, span in enumerate(spans):
        if n < len(pieces):
            last = n == len(spans) - 1
            edits.append((span, ", ".join(pieces[n:]) if last else pieces[n]))
        else:
            edits.append((span, None))  # fewer phrases now: this one goes
    placed: list[Span] = []
    for (start, end), replacement in reversed(edits):
        before = len(text)
        if replacement is not None:
            text = text[:start] + replacement + text[end:]
            shift = len(text) - before
            placed = [(s + shift, e + shift) for s, e in placed]
            placed.insert(0, (start, start + len(replacement)))
        else:
            if line:  # a "hair: …" line goes whole
                start, end = _whole_line(text, start, end)
                text = _tidy(text[:start] + text[end:])
            else:
                text = _cut(text, start, end)
            shift = len(text) - before
            placed = [(s + shift, e + shift) for s, e in placed]
    return Rewritten(text, tuple(placed))


def _member_spans(text: str, part: str, who: str) -> tuple[list[Span], tuple[int, bool]]:
    """Where the phrases of ``part`` said of the character ``who`` stand in ``text``,
    looked for from where they are first named; and where a phrase of theirs would be
    added: after the last said of them (True), else after their name (False). Raises
    `SpecError` when the prompt names no such character."""
    from sakuga.prompt.cast import read_cast

    cast = read_cast(text)
    member = next((m for m in cast.members if m.who.casefold() == who.casefold()), None)
    if member is None:
        names = ", ".join(m.who for m in cast.members) or "no one"
        raise SpecError(f"the prompt has no character {who!r} (it has {names})")
    named = re.search(rf"(?<![^\W_]){re.escape(member.who)}(?![^\W_])", text, re.I)
    start = named.start() if named else 0
    spans = _spans(text, member.parts.get(part, []), start)
    said = _spans(text, member.phrases, start)
    if said:
        return spans, (max(end for _, end in said), True)
    return spans, ((named.end() if named else len(text.rstrip())), False)


def _valid(spans: Sequence[Span], length: int) -> bool:
    """Whether ``spans`` are in order, apart, and inside a text of ``length``."""
    previous = 0
    for start, end in spans:
        if not previous <= start <= end <= length:
            return False
        previous = end
    return bool(spans)


def _structured_span(text: str, part: str) -> tuple[int, int] | None:
    """Where the value of a ``part: value`` line stands, if the text has one."""
    offset = 0
    for segment in re.split(r"([;\n])", text):
        if segment not in (";", "\n"):
            found = structured_line(segment)
            if found and found[0] == part:
                value = segment.rstrip()
                colon = re.search(r"[:=]\s*", value)
                assert colon is not None
                return offset + colon.end(), offset + len(value)
        offset += len(segment)
    return None


def _spans(text: str, phrases: list[str], start: int = 0) -> list[tuple[int, int]]:
    """Each phrase's words found in ``text`` (from ``start``), in order, each after the
    one before."""
    spans: list[tuple[int, int]] = []
    at = start
    for phrase in phrases:
        words = re.findall(r"[^\W_]+(?:'[^\W_]+)?", phrase)
        if not words:
            continue
        gaps = r"(?:[\W_]|w/)+"
        words = [r"(?:with|w/)" if w.lower() == "with" else re.escape(w) for w in words]
        pattern = rf"(?<![^\W_]){gaps.join(words)}(?![^\W_])"
        found = re.compile(pattern, re.I).search(text, at)
        if found:
            spans.append((found.start(), found.end()))
            at = found.end()
    return spans


def _cut(text: str, start: int, end: int) -> str:
    """``text`` without [start, end), its leading "with"/"wearing", and one separator."""
    lead = _LEADS.search(text[:start]) or re.search(r"\b(?:an?|the)\s+$", text[:start], re.I)
    if lead:
        start = lead.start()
    before, after = text[:start], text[end:]
    # A weight group left empty ("(:1.2)") goes with its words.
    opened = re.search(r"[(\[]\s*$", before)
    closed = re.match(r"\s*(?::\s*[\d.]+)?\s*[)\]]", after)
    if opened and closed:
        before, after = before[: opened.start()], after[closed.end() :]
    if re.match(r"\s*,", after) and (not before.strip() or re.search(r",\s*$", before)):
        after = re.sub(r"^\s*,\s*", "", after)  # "a, X, b" → "a, b"
    elif re.search(r",\s*$", before) and not after.strip():
        before = re.sub(r"\s*,\s*$", "", before)  # "a, X" → "a"
    before, after = before.rstrip(" "), after.lstrip(" ")
    space = " " if before and after[:1].isalnum() and not before.endswith("\n") else ""
    return _tidy(before + space + after)


def _whole_line(text: str, start: int, end: int) -> tuple[int, int]:
    line_start = max(text.rfind("\n", 0, start), text.rfind(";", 0, start)) + 1
    next_break = text.find("\n", end)
    return line_start, (next_break + 1 if next_break != -1 else len(text))


def _tidy(text: str) -> str:
    return re.sub(r"[ \t]{2,}", " ", text).strip(" \t")


def _added(text: str, part: str, value: str) -> Rewritten:
    """``value`` added to a text that does not say the part: after a comma in a free
    text (as the creator would type it), as a ``part: value`` line in a structured one."""
    stripped = text.rstrip()
    if stripped and "\n" not in stripped:
        start = len(stripped) + 2
        joined = f"{stripped}, {value}{text[len(stripped) :]}"
        return Rewritten(joined, ((start, start + len(value)),))
    prefix = f"{stripped}\n" if stripped else ""
    start = len(prefix) + len(part) + 2
    return Rewritten(f"{prefix}{part}: {value}", ((start, start + len(value)),))
