"""Free text → the parts of an `ArtSpec`, without losing a word.

The parser reads phrases, not just words:

1. Lines of the form ``part: value`` are structured input; ``seed:``, ``count:``,
   ``negative:``, ``style:`` and ``use:`` lines are directives that act like the flags.
2. The rest is split into clauses at punctuation, then into phrases at grammar cues:
   "wearing", "with", "holding", "in/at/on/under/next to …", "for/as", "and", and
   verbs in -ing ("mending nets", "sleeping").
3. Each phrase is placed by its head word (the rightmost word the lexicon knows as a
   head: "a wooden *pier*" is background, "long silver *hair*" is hair), by its cue
   when the lexicon knows no head ("wearing X" is outfit, "under X" is background),
   or merged into the phrase before it ("with gold trim", "at her feet").
4. A phrase that nothing places is kept in ``details``; quality tags
   ("masterpiece", "absurdres") are kept in ``quality``. Nothing is dropped: the
   free text itself is kept verbatim for the engines (`ArtSpec.text`).

A1111 weighting syntax and Danbooru tags (``1girl, long_hair, (smile:1.2)``) are read
as their plain words. The vocabulary is data: ``data/lexicon.toml``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Final

from sakuga.errors import DirectiveError, SpecError
from sakuga.prompt import vocab
from sakuga.prompt.artspec import MAX_PROMPT_LENGTH, PARTS
from sakuga.prompt.attention import plain_text
from sakuga.prompt.lexicon import STYLE_FRAMES, WEAK_USE_WORDS, Lexicon, key, lexicon, names_in

#: Directive lines: they set what the flags set.
DIRECTIVES: Final = ("seed", "count", "negative", "style", "use")

_PART_ALIASES: Final = {
    **{p: p for p in PARTS},
    "subject": "character",
    "who": "character",
    "clothes": "outfit",
    "clothing": "outfit",
    "face": "expression",
    "scene": "background",
    "setting": "background",
    "place": "background",
    "light": "lighting",
    "atmosphere": "mood",
    "for": "use",
    "negative": "negative",
    "negative prompt": "negative",
    "seed": "seed",
    "count": "count",
    "n": "count",
}
#: Lines naming something no part is called ("eyes: red", "holding: a lantern"): said
#: again as the words they stand for, read with the free text.
_FREE_LINES: Final = {
    **dict.fromkeys(("eyes", "eye", "eye color", "eye colour"), "{} eyes"),
    **dict.fromkeys(("holding", "held", "in hand", "hands", "carrying"), "holding {}"),
    **dict.fromkeys(
        (
            "headwear", "hat", "accessories", "accessory", "props", "prop", "items", "item",
            "weather", "season", "time", "time of day", "age", "gender", "animal", "pet",
            "companion", "vehicle", "food", "extras", "details",
        ),
        "{}",
    ),
}  # fmt: skip
_FREE_LINE: Final = re.compile(
    rf"^\s*({'|'.join(map(re.escape, sorted(_FREE_LINES, key=len, reverse=True)))})"
    r"\s*[:=]\s*(.+?)\s*$",
    re.IGNORECASE,
)
#: A field's value that says it holds nothing ("headwear: none", "props: n/a").
_NOTHING: Final = re.compile(r"\s*(?:none|no|nothing|nil|null|n/?a|-+|—)\s*\.?\s*", re.IGNORECASE)
#: Where one line holds several ``part: value`` fields: " / " or " | " before the next
#: field's name ("hair: long / eyes: red / outfit: kimono").
_FIELD_BREAK: Final = re.compile(r"\s[/|]\s(?=\s*[a-z][a-z ]{0,15}\s*[:=])", re.IGNORECASE)
_STRUCTURED: Final = re.compile(
    rf"^\s*({'|'.join(map(re.escape, sorted(_PART_ALIASES, key=len, reverse=True)))})"
    r"\s*[:=]\s*(.+?)\s*$",
    re.IGNORECASE,
)

_DETERMINERS: Final = frozenset(
    [
        "a",
        "an",
        "the",
        "his",
        "her",
        "their",
        "its",
        "my",
        "your",
        "our",
        "some",
        "this",
        "that",
        "these",
        "those",
        "is",
        "are",
        "was",
        "be",
        "being",
        "very",
    ]
)
_TAG_COUNT: Final = re.compile(r"^(?:\d+|multiple)(?:girl|boy|other|girls|boys|others)$")
_TOKEN: Final = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
#: What a garment is printed with ("a kimono with white flowers"), not a place.
_PATTERNS: Final = frozenset({"flowers", "flower", "stars", "star", "hearts", "dots", "stripes"})
#: The words of a position ("on the far left side"): a where, not a place.
_SIDES: Final = frozenset({"left", "right", "middle", "center", "centre", "side", "far", "hand"})
# Which part wins when a head word could be several: after a place cue, and otherwise.
_PLACE_FIRST: Final = ("lighting", "background", "outfit", "style", "hair", "character")
_PRIORITY: Final = (
    "character",
    "hair",
    "outfit",
    "pose",
    "expression",
    "lighting",
    "background",
    "mood",
    "style",
    "use",
)


@dataclass
class _Unit:
    start: int  # character offsets in the clause
    end: int
    key: str
    roles: dict[str, str]
    cue: str | None = None


@dataclass
class _Phrase:
    start: int
    end: int
    cue: str | None
    units: list[_Unit] = field(default_factory=list)
    part: str | None = None
    quality: bool = False
    subject: bool = False  # the words before an action: "an old BLACKSMITH hammering"


@dataclass(frozen=True)
class ParsedPrompt:
    """What a prompt says, sorted: nothing in it is lost.

    ``text`` is the free text as written (directive and ``part:`` lines removed), or
    None when every line was structured. ``parts`` maps each part to its phrases;
    ``details`` are phrases no part could take; ``quality`` are quality tags.
    """

    text: str | None
    parts: dict[str, list[str]]
    details: list[str]
    quality: list[str]
    directives: dict[str, str | int]

    def fields(self) -> dict[str, object]:
        """Keyword arguments for `ArtSpec.build`."""
        # A phrase said twice is one thing (a long prompt that repeats itself must not
        # grow a part past its limit).
        out: dict[str, object] = {
            p: ", ".join(dict.fromkeys(v)) for p, v in self.parts.items() if v
        }
        out.update(self.directives)
        out["text"] = self.text
        out["details"] = tuple(self.details)
        return out


def check_prompt_length(text: str) -> None:
    """Raise `SpecError` when ``text`` is longer than a prompt may be."""
    if len(text) > MAX_PROMPT_LENGTH:
        raise SpecError(f"prompt is too long: {len(text)} characters, at most {MAX_PROMPT_LENGTH}")


def unread(phrase: str) -> bool:
    """Whether ``phrase`` is written in a script the parser does not read: most of its
    letters outside the Latin alphabet (Japanese, Chinese, Korean, Cyrillic…)."""
    letters = [c for c in phrase if c.isalpha()]
    latin = sum(1 for c in letters if c.isascii() or "LATIN" in unicodedata.name(c, ""))
    return bool(letters) and latin < len(letters) / 2


def parse_prompt(text: str) -> ParsedPrompt:
    """Sort a prompt into the ten parts, details, quality tags and directives."""
    check_prompt_length(text)
    structured: dict[str, str] = {}
    directives: dict[str, str | int] = {}
    free: list[str] = []
    segments = [f for s in re.split(r"[;\n]", text) for f in _FIELD_BREAK.split(s)]
    for segment in segments:
        line = structured_line(segment)
        if line is None:
            said = _FREE_LINE.match(segment)
            if said and _NOTHING.fullmatch(said.group(2)):
                continue  # "headwear: none": nothing to draw, and nothing left out
            if said:  # "eyes: red" is "red eyes"
                template = _FREE_LINES[said.group(1).lower()]
                if "eye" in said.group(2).lower():
                    template = template.replace(" eyes", "")
                segment = template.format(said.group(2))
            if segment.strip():
                free.append(segment.strip())
            continue
        name, value = line
        if _NOTHING.fullmatch(value) and name not in DIRECTIVES:
            continue  # "background: none" asks for no part of its own
        if name in DIRECTIVES:
            _set_directive(directives, name, value)
        else:
            structured[name] = value
    free_text = ", ".join(free) if free else None
    parts: dict[str, list[str]] = {}
    details: list[str] = []
    quality: list[str] = []
    if free_text:
        parts, details, quality = _read(free_text)
        # A name said as one ("Aki has …", "Sora and Ren") is who someone is, not a word
        # of a part: not autumn (aki) in the background, nor the sky (sora).
        named = {n.lower() for n in names_in(free_text)}
        for part, phrases in list(parts.items()):
            kept = [p for p in phrases if p.lower() not in named]
            details.extend(p for p in phrases if p.lower() in named)
            if kept:
                parts[part] = kept
            else:
                del parts[part]
    for name, value in structured.items():
        # A part given as a line wins; what the free text said of it stays a detail.
        details.extend(parts.get(name, []))
        parts[name] = [value]
    _settle_choices(parts, details, directives)
    return ParsedPrompt(free_text, parts, details, quality, directives)


def structured_line(segment: str) -> tuple[str, str] | None:
    """``(part or directive, value)`` for a ``part: value`` line, else None."""
    match = _STRUCTURED.match(segment)
    if not match:
        return None
    return _PART_ALIASES[match.group(1).lower()], match.group(2).strip()


def parse_parts(text: str) -> dict[str, object]:
    """The `ArtSpec` fields a prompt gives (see `parse_prompt`)."""
    return parse_prompt(text).fields()


def _set_directive(directives: dict[str, str | int], name: str, value: str) -> None:
    parsed: str | int = value
    if name in ("seed", "count"):
        if not re.fullmatch(r"\d{1,10}", value):
            raise DirectiveError(f"{name}: must be a whole number, got {value!r}")
        parsed = int(value)
    if name == "negative" and name in directives:
        directives[name] = f"{directives[name]}, {value}"
        return
    old = directives.get(name)
    if old is not None and str(old).lower() != str(parsed).lower():
        raise DirectiveError(f"the prompt sets {name} twice: {old!r} and {parsed!r}")
    directives[name] = parsed


def _settle_choices(
    parts: dict[str, list[str]], details: list[str], directives: dict[str, str | int]
) -> None:
    """A use is one choice of the known uses: the first named wins, others stay details."""
    from sakuga.prompt.uses import USES

    for phrase in list(parts.get("use", [])):
        name = lexicon().use_names.get(key(phrase))
        if name is None and key(phrase) in USES:
            name = key(phrase)
        if name is None or ("use" in directives and phrase is not parts["use"][0]):
            parts["use"].remove(phrase)
            details.append(phrase)
    if parts.get("use"):
        first = parts["use"][0]
        parts["use"] = [lexicon().use_names.get(key(first), key(first))]
    else:
        parts.pop("use", None)
    for name in ("style", "use"):
        if name in directives:
            extra = [p for p in parts.pop(name, []) if key(p) != key(str(directives[name]))]
            if name == "style":
                details.extend(extra)
            parts[name] = [str(directives.pop(name))]
    if parts.get("style"):
        parts["style"] = [_style_name(p) for p in parts["style"]]


def _style_name(phrase: str) -> str:
    """ "in webtoon style" → "webtoon"; "ukiyo-e inspired" stays as written."""
    lex = lexicon()
    words = key(phrase).split()
    core = [w for w in words if w not in STYLE_FRAMES and w not in ("in", "a", "an", "the")]
    name = lex.style_presets.get(" ".join(core))
    return name if name else phrase


#: Verbs written without their final g in chat ("eatin", "sittin'", "chillin").
_DROPPED_G: Final = re.compile(
    r"\b(eat|drink|sitt|runn|chill|walk|play|hold|read|sing|danc|smil|sleep|look|wear"
    r"|rid|cook|fish|swimm|jump|hugg|cry|laugh|wav|stand|lay|carry|hang|paint)in['’]?"
    r"(?![\w'’])",
    re.IGNORECASE,
)
_NETWORK = re.compile(r"<\s*((?:lora|lyco|locon|hypernet|embedding)\s*:[^<>]*)>", re.IGNORECASE)


def _read(text: str) -> tuple[dict[str, list[str]], list[str], list[str]]:
    lex = lexicon()
    plain = re.sub(r"(?<![\w/])w/", "with ", plain_text(text)).replace("_", " ")
    # Texting's "n" and "&" between words are "and" ("blue hair n cat ears").
    plain = re.sub(r"(?<=[a-z]) (?:n|&) (?=[a-z])", " and ", plain)
    # Chat's dropped g ("eatin a cone", "sittin on a porch"): the verb, for its phrase.
    plain = _DROPPED_G.sub(lambda m: f"{m.group(1)}ing", plain)
    plain = "".join(c.lower() if len(c.lower()) == 1 else c for c in plain)
    parts: dict[str, list[str]] = {}
    # An A1111 extra network ("<lora:name:0.7>", "<hypernet:x:1>") is kept whole, as one
    # detail: an engine that applies it reads it there, the others report it.
    details: list[str] = [t.strip() for t in _NETWORK.findall(plain) if t.strip()]
    plain = _NETWORK.sub(",", plain)
    quality: list[str] = []
    for clause in re.split(r"[,.;!?|()\[\]{}\n]+|\s[-–—]\s|:\s", plain):
        phrases = _phrases(clause, lex)
        for phrase in phrases:
            words = clause[phrase.start : phrase.end]
            words = re.sub(r"\s+", " ", words).strip(" -'")
            if not words:
                continue
            if phrase.quality:
                quality.append(words)
            elif phrase.part:
                parts.setdefault(phrase.part, []).append(words)
            elif _has_content(phrase, lex):
                details.append(words)
    return parts, details, quality


def _units(clause: str, lex: Lexicon) -> list[_Unit]:
    """The clause's words, greedily grouped into the longest phrases the lexicon knows."""
    tokens = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(clause)]
    units: list[_Unit] = []
    i = 0
    while i < len(tokens):
        unit = None
        for size in range(min(lex.longest, len(tokens) - i), 0, -1):
            words = [t[2] for t in tokens[i : i + size]]
            phrase = " ".join(words)
            start, end = tokens[i][0], tokens[i + size - 1][1]
            # Longest first, so a known phrase holding a cue word ("looking at viewer",
            # "hands in pockets") is one unit before the cue alone is tried.
            if phrase in lex.cues:
                unit = _Unit(start, end, phrase, {}, cue=lex.cues[phrase])
            elif phrase in lex.quality:
                unit = _Unit(start, end, phrase, {"quality": "head"})
            else:
                known = lex.find(phrase)
                if known:
                    unit = _Unit(start, end, phrase, dict(known))
            if unit is not None:
                i += size
                break
        if unit is None:
            start, end, word = tokens[i]
            tag = {"character": "head"} if _TAG_COUNT.match(word) else {}
            unit = _Unit(start, end, word, tag)
            if not tag and _is_verb(word, lex):
                unit.cue = "verb"
            i += 1
        units.append(unit)
    if len(units) > 1 and units[-1].key == "off" and units[-1].cue is not None:
        units[-1].cue = None  # "helmet off", "glasses off": said of the thing, no place
    return units


def _is_verb(word: str, lex: Lexicon) -> bool:
    return len(word) > 4 and word.endswith("ing") and word not in lex.ing_adjectives


def _phrases(clause: str, lex: Lexicon) -> list[_Phrase]:
    units = _units(clause, lex)
    phrases: list[_Phrase] = []
    current: _Phrase | None = None
    for index, unit in enumerate(units):
        if unit.cue == "and" and current is not None and not _has_head(current):
            # "black and white hair", "salt and pepper": one phrase, not two.
            current.units.append(unit)
            current.end = unit.end
            continue
        if unit.cue is not None and unit.cue != "verb":
            if current is not None and current.units:
                phrases.append(current)
            current = _Phrase(unit.end, unit.end, unit.cue)
            if unit.cue == "pose":  # "holding a red umbrella": the verb is part of the pose
                current.start = unit.start
                current.units.append(unit)
            continue
        if _is_action(units, index, lex):
            # "a ninja CROUCHING", "her dog SLEEPING": the action starts a phrase of its
            # own; "a sleeping cat" and "in matching raincoats" keep it as a modifier.
            cue = "pose" if not unit.roles or unit.roles.get("pose") == "head" else None
            free = current is None or current.cue in (None, "and")
            after_article = (
                current is not None
                and bool(current.units)
                and (current.units[-1].key in _DETERMINERS)
            )
            # Light pouring, sparks flying, leaves falling: a thing's -ing stays with it.
            thing = (
                current is not None
                and current.cue in (None, "and")
                and _head_part(current) in ("background", "lighting")
            )
            if not thing and (
                (current is not None and _has_head(current)) or (free and not after_article)
            ):
                if current is not None and current.units:
                    current.subject = not _has_head(current)
                    phrases.append(current)
                current = _Phrase(unit.start, unit.end, cue)
        if current is None:
            current = _Phrase(unit.start, unit.end, None)
        if not current.units and unit.key in _DETERMINERS:
            current.start = unit.end
            continue
        if not current.units:
            current.start = unit.start
        current.units.append(unit)
        current.end = unit.end
    if current is not None and current.units:
        phrases.append(current)
    placed: list[_Phrase] = []
    for phrase in (piece for p in phrases for piece in _split_at_heads(p)):
        _place(phrase, placed[-1] if placed else None, lex)
        if phrase.part == "merge" and placed:
            placed[-1].end = phrase.end
            placed[-1].units.extend(phrase.units)
            continue
        if phrase.part == "merge":
            phrase.part = None
        placed.append(phrase)
    return placed


_OBJECT_STARTS: Final = frozenset(
    ["a", "an", "the", "her", "his", "their", "its", "my", "your", "some"]
)


def _is_action(units: list[_Unit], index: int, lex: Lexicon) -> bool:
    """Whether the unit at ``index`` is a verb in -ing that acts ("mending nets")."""
    unit = units[index]
    words = unit.key.split()
    if unit.cue == "verb":
        return True
    verb = next((w for w in (words[0], words[-1]) if len(w) > 4 and w.endswith("ing")), None)
    if unit.cue is not None or verb is None:
        return False
    following = units[index + 1] if index + 1 < len(units) else None
    if following is not None and following.key in _OBJECT_STARTS:
        return True  # "lighting a cigarette" is an action, not lighting
    before = units[index - 1] if index else None
    if (
        before is not None
        and before.roles.get("character") == "head"
        and "lighting" not in (unit.roles)
    ):
        return True  # "a girl PAINTING on a canvas": after a character, -ing acts
    return unit.roles.get("pose") == "head" or unit.roles.get("expression") == "head"


#: Parts whose words describe the next noun when written before it: "a CALM boy",
#: "a KINPATSU girl", "SUNSET beach", "a KAWAII catgirl", "SMUG fox girl".
_DESCRIBING_PARTS: Final = frozenset({"expression", "mood", "hair", "lighting", "style"})
_MOOD_FRAMES: Final = frozenset(key(w) for w in vocab.MOOD_HEADS)


def _split_at_heads(phrase: _Phrase) -> list[_Phrase]:
    """Split a phrase between two head words of unrelated parts.

    "kinpatsu shoujo" is hair and character, "sunset beach" lighting and background,
    "girl sad crying" character and expression; "cute girl" (cute also describes a
    character) and "school rooftop" (one part) stay whole.
    """
    cuts: list[int] = []
    units = phrase.units
    for i in range(1, len(units)):
        left, right = units[i - 1], units[i]
        left_heads = {p for p, r in left.roles.items() if r == "head" and p != "quality"}
        right_heads = {p for p, r in right.roles.items() if r == "head" and p != "quality"}
        if not left_heads or not right_heads or left_heads & right_heads:
            continue
        if set(left.roles) & right_heads:
            continue  # the left word also describes the right one's part
        if right.key in _MOOD_FRAMES and "expression" in left_heads:
            continue  # "gentle mood", "sad vibe": the feeling is the mood's, not a face's
        describing = left_heads & _DESCRIBING_PARTS or right_heads & {"expression", "mood"}
        dressed = "outfit" in left_heads and "character" in right_heads  # "nekomimi girl"
        if describing or dressed:
            cuts.append(i)
    if not cuts:
        return [phrase]
    pieces = []
    for n, (a, b) in enumerate(zip([0, *cuts], [*cuts, len(units)], strict=True)):
        chunk = units[a:b]
        start = phrase.start if n == 0 else chunk[0].start
        pieces.append(_Phrase(start, chunk[-1].end, phrase.cue if n == 0 else None, chunk))
    return pieces


def _acts(unit: _Unit) -> bool:
    words = unit.key.split()
    ing = words[0].endswith("ing") or words[-1].endswith("ing")
    return ing and bool({"pose", "expression"} & set(unit.roles))


def _has_head(phrase: _Phrase) -> bool:
    return any("head" in u.roles.values() for u in phrase.units)


def _head_part(phrase: _Phrase) -> str | None:
    """The part of the phrase's rightmost head word (first by priority), if any."""
    for unit in reversed(phrase.units):
        heads = [p for p, r in unit.roles.items() if r == "head" and p in _PRIORITY]
        if heads:
            return min(heads, key=_PRIORITY.index)
    return None


#: An age said as a decade of one's life ("in her 50s", "his early forties", "30s").
AGE_DECADE: Final = re.compile(
    r"(?:in\s+)?(?:(?:his|her|their|my)\s+)?(?:early\s+|late\s+|mid\s+)?(?:[1-9]0s|twenties"
    r"|thirties|forties|fifties|sixties|seventies|eighties|nineties)"
)


def _place(phrase: _Phrase, previous: _Phrase | None, lex: Lexicon) -> None:
    """Decide the phrase's part from its head word and the cue before it."""
    content = [u for u in phrase.units if u.key not in _DETERMINERS]
    if content and all("quality" in u.roles for u in content):
        phrase.quality = True
        return
    cue = phrase.cue
    standalone_use = (
        len(content) == 1
        and "use" in content[0].roles
        and content[0].key not in WEAK_USE_WORDS
        and cue is None
    )
    heads = [
        (u, p)
        for u in content
        for p, role in u.roles.items()
        if role == "head" and p != "quality" and (p != "use" or cue == "for" or standalone_use)
    ]
    if cue == "wear":
        phrase.part = "outfit"
        return
    if (
        cue == "with"
        and previous is not None
        and previous.part == "outfit"
        and heads
        and all(u.key in _PATTERNS for u, _ in heads)
    ):
        phrase.part = "merge"  # "a kimono with white flowers": its print, no meadow
        return
    if cue == "pose":
        phrase.part = "pose"
        return
    if cue == "for" and any(p == "use" for _, p in heads):
        phrase.part = "use"
        return
    nouns = [(u, p) for u, p in heads if not _acts(u)]
    if nouns and len(nouns) < len(heads):
        heads = nouns  # "sparks flying" is sparks; the -ing only says what they do
    if heads:
        last = max(u.start for u, _ in heads)
        candidates = [p for u, p in heads if u.start == last]
        order = _PLACE_FIRST if cue == "place" else _PRIORITY
        phrase.part = min(candidates, key=lambda p: order.index(p) if p in order else 99)
        if (
            cue == "place"
            and phrase.part == "character"
            and previous is not None
            and previous.part == "pose"
        ):
            phrase.part = "merge"  # "sleeping next to her cat" stays one pose
        return
    words = {u.key for u in content}
    if cue in ("with", "and", "of"):
        phrase.part = "merge"
    elif cue == "place" and AGE_DECADE.fullmatch(" ".join(u.key for u in content)):
        phrase.part = "merge"  # "a woman in her 50s": her age, no place
    elif cue == "place":
        body_only = words and words <= lex.body_parts | _DETERMINERS
        # "on the left", "in the middle": where the one before stands, no place.
        body_only = body_only or (words and words <= _SIDES | _DETERMINERS)
        after_action = previous is not None and previous.part == "pose"
        # "leaning on a wall", "sleeping at her feet": unknown words after an action
        # belong to it; a place the lexicon knows is background.
        phrase.part = "merge" if body_only or after_action else "background"
    elif phrase.subject:
        phrase.part = "character"  # who does the action, in words the lexicon lacks
    elif cue == "for":
        phrase.part = None


def _has_content(phrase: _Phrase, lex: Lexicon) -> bool:
    return any(u.key not in _DETERMINERS and u.key not in lex.fillers for u in phrase.units)
