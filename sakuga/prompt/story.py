"""Story scripts: a short comic written as panels of a scene, the characters in it and
what they say (#37).

A script reads as people write one::

    title: After the rain
    Mika = girl, long pink hair, school uniform
    Ren = boy, short black hair, black hoodie

    1. at the station, rain, night
    Mika: You came back?
    Ren: I never left.
    SFX: zaa zaa

    2. close up, Ren smiling
    Ren「ただいま」

- ``NAME = description`` before the first panel describes a character the script brings
  (a saved character is used by its name and needs no line).
- A panel starts at ``1.``, ``2)``, ``Panel 3:``, ``#`` or a blank line; its first
  line that is not dialogue is its scene ("at the station, rain, night").
- ``NAME: words`` or ``NAME「words」`` is a line of dialogue, spoken by a character;
  ``SFX: words`` a sound effect; ``(words)`` or ``Narration: words`` a caption box.
- ``with: Mika, Ren`` says who is in the panel; without it, those who speak and those
  its scene names are.

`parse_script` reads one and says which line is wrong, and why, before any work.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from sakuga.errors import SpecError

#: The most panels a script takes: a page, a strip or one webtoon episode's scene.
MAX_PANELS: Final = 12
#: The most characters in one panel (what `draw` draws side by side).
MAX_IN_PANEL: Final = 3
#: The most lines of dialogue, sound and narration in one panel.
MAX_LINES: Final = 6
#: The longest line of dialogue, in characters (a bubble, not a paragraph).
MAX_WORDS: Final = 160
MAX_SCRIPT: Final = 20_000
#: The layouts a page is laid out in.
LAYOUTS: Final = ("4koma", "manga", "webtoon")

Kind = Literal["say", "sfx", "narration"]
#: How a line of dialogue is said: its bubble's shape.
Manner = Literal["say", "think", "shout", "whisper"]

#: A panel's heading: "1.", "2)", "Panel 3", "Panel 3:", "# …", "コマ1".
_HEADING: Final = re.compile(
    r"^(?:#+\s*|(?:panel|コマ)\s*\d*\s*[:.)-]?\s*|\d{1,2}\s*[.):]\s+|\d{1,2}\s*[.)]$)", re.I
)
#: ``NAME: words`` (an ASCII or a full-width colon), or ``NAME (thinking): words``.
_SAID: Final = re.compile(
    r"^(?P<who>[^:：「」()（）,、]{1,24}?)\s*(?:[(（](?P<how>[^)）]{1,20})[)）])?\s*[:：]\s*"
    r"(?P<words>.+)$"
)
#: How a line is said, by the word in brackets after the name.
_MANNERS: Final = {
    "thinking": "think", "thinks": "think", "thought": "think", "think": "think",
    "心の声": "think", "shouting": "shout", "shouts": "shout", "shout": "shout",
    "yelling": "shout", "yells": "shout", "screaming": "shout", "screams": "shout",
    "叫ぶ": "shout", "whispering": "whisper", "whispers": "whisper", "whisper": "whisper",
    "小声": "whisper",
}  # fmt: skip
#: Words shouted: "!!", or Latin letters all in capitals ("WAIT!").
_SHOUTED: Final = re.compile(r"[!！]{2,}|^[^a-z]*[A-Z]{3,}[^a-z]*$")
#: ``NAME「words」`` or ``NAME『words』``.
_QUOTED: Final = re.compile(r"^(?P<who>[^「『:：]{1,24}?)\s*[「『](?P<words>.+?)[」』]\s*$")
#: ``NAME = description``.
_DEFINED: Final = re.compile(r"^(?P<who>[^=:：]{1,24}?)\s*=\s*(?P<words>.+)$")
_SOUND: Final = frozenset({"sfx", "fx", "sound", "効果音", "音"})
_NARRATION: Final = frozenset({"narration", "narrator", "caption", "ナレーション", "n"})
_PRESENT: Final = frozenset({"with", "characters", "cast", "who", "登場"})
_TITLE: Final = frozenset({"title", "タイトル"})
_LAYOUT: Final = frozenset({"layout"})
#: Kana and kanji: dialogue with them is Japanese (set vertically on a manga page).
_JAPANESE: Final = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass(frozen=True)
class Line:
    """One line of a panel: dialogue (``who`` speaks it), a sound effect or narration."""

    kind: Kind
    text: str
    who: str | None = None
    manner: Manner = "say"

    @property
    def japanese(self) -> bool:
        return is_japanese(self.text)


@dataclass(frozen=True)
class Panel:
    scene: str
    characters: tuple[str, ...]
    lines: tuple[Line, ...] = ()

    def speakers(self) -> list[str]:
        return list(dict.fromkeys(line.who for line in self.lines if line.who))


@dataclass(frozen=True)
class Script:
    panels: tuple[Panel, ...]
    #: Characters the script describes itself (``Mika = girl, pink hair``), by name.
    cast: Mapping[str, str] = field(default_factory=dict)
    title: str | None = None
    layout: str | None = None  # the script's own choice ("layout: webtoon")

    @property
    def japanese(self) -> bool:
        """Whether the dialogue is Japanese (a manga page then reads right to left)."""
        said = [line for p in self.panels for line in p.lines if line.kind != "sfx"]
        return bool(said) and sum(line.japanese for line in said) * 2 >= len(said)

    def scenes(self) -> list[str]:
        """Each panel's scene as drawn: a panel that names no place is where the one
        before it was, and keeps its light and weather unless it says its own ("close
        up, Ren smiling" after "at the station, rain, night" is at the station at
        night, in the rain)."""
        from sakuga.prompt.artspec import ArtSpec

        place: str | None = None
        light: str | None = None
        out: list[str] = []
        for panel in self.panels:
            # Read without the characters' names ("Aki blushing" names no place).
            said = panel.scene
            for name in panel.characters:
                said = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", said, flags=re.I)
            parts = ArtSpec.from_text(said).parts() if said.strip(" ,") else {}
            if parts.get("background"):
                place, light = parts["background"], None  # a new place: its own light
            if parts.get("lighting"):
                light = parts["lighting"]
            carried = [
                said
                for key, said in (("background", place), ("lighting", light))
                if said and not parts.get(key)
            ]
            out.append(", ".join(p for p in (panel.scene, *carried) if p))
        return out

    def right_to_left(self, layout: str) -> bool:
        """Whether its page in ``layout`` reads right to left: Japanese dialogue, on any
        page but a webtoon's scroll."""
        return self.japanese and layout != "webtoon"

    def characters(self) -> list[str]:
        """Everyone in any panel, in the order they first appear."""
        return list(dict.fromkeys(c for p in self.panels for c in p.characters))

    def as_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "layout": self.layout,
            "cast": dict(self.cast),
            "panels": [
                {
                    "scene": p.scene,
                    "characters": list(p.characters),
                    "lines": [
                        {"kind": line.kind, "text": line.text, "who": line.who}
                        | ({"manner": line.manner} if line.manner != "say" else {})
                        for line in p.lines
                    ],
                }
                for p in self.panels
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Script:
        panels = tuple(
            Panel(
                str(p["scene"]),
                tuple(str(c) for c in p["characters"]),
                tuple(
                    Line(x["kind"], str(x["text"]), x.get("who"), x.get("manner", "say"))
                    for x in p["lines"]
                ),
            )
            for p in data["panels"]
        )
        cast = {str(k): str(v) for k, v in (data.get("cast") or {}).items()}
        return cls(panels, cast, data.get("title"), data.get("layout"))


def is_japanese(text: str) -> bool:
    """Whether ``text`` has kana or kanji in it."""
    return _JAPANESE.search(text) is not None


def parse_script(text: str, known: Iterable[str] = ()) -> Script:
    """The script ``text`` as panels. ``known``: the names of saved characters, who may
    speak and be named without a line of their own. Raises `SpecError` naming the line
    that is wrong: an unknown speaker, a panel with too much in it, a script too long."""
    if len(text) > MAX_SCRIPT:
        raise SpecError(f"a story script is at most {MAX_SCRIPT} characters, got {len(text)}")
    title: str | None = None
    layout: str | None = None
    cast: dict[str, str] = {}
    blocks: list[list[tuple[int, str]]] = []  # each panel's lines, with their numbers
    open_block = False
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("//"):
            open_block = False
            continue
        key, _, value = line.partition(":") if ":" in line else line.partition("：")
        word = key.strip().lower()
        if not blocks and value.strip() and word in _TITLE:
            title = value.strip()
            continue
        if not blocks and value.strip() and word in _LAYOUT:
            layout = _layout(value.strip(), number)
            continue
        defined = _DEFINED.match(line)
        if not blocks and not open_block and defined:
            cast[defined["who"].strip()] = defined["words"].strip()
            continue
        heading = _HEADING.match(line)
        if heading:
            blocks.append([])
            open_block = True
            rest = line[heading.end() :].strip()
            if rest:
                blocks[-1].append((number, rest))
            continue
        if not open_block:
            blocks.append([])
            open_block = True
        blocks[-1].append((number, line))
    names = [*cast, *(n for n in known if n not in cast)]
    panels = [_panel(block, names) for block in blocks if block]
    if not panels:
        raise SpecError("a story script needs a panel: a scene line, then who says what")
    if len(panels) > MAX_PANELS:
        raise SpecError(f"a story has at most {MAX_PANELS} panels, this script has {len(panels)}")
    return Script(tuple(panels), cast, title, layout)


def _layout(value: str, number: int) -> str:
    key = value.lower().replace("-", "").replace(" ", "")
    key = {"yonkoma": "4koma", "page": "manga", "scroll": "webtoon"}.get(key, key)
    if key not in LAYOUTS:
        raise SpecError(f"line {number}: layout is one of {', '.join(LAYOUTS)}, not {value!r}")
    return key


def _panel(block: list[tuple[int, str]], names: list[str]) -> Panel:
    """One panel from its lines."""
    scene: list[str] = []
    lines: list[Line] = []
    present: list[str] | None = None
    start = block[0][0]
    for number, text in block:
        if text.startswith(("(", "（")) and text.endswith((")", "）")):
            lines.append(Line("narration", _words(text[1:-1], number)))
            continue
        said = _QUOTED.match(text) or _SAID.match(text)
        if said is None:
            scene.append(text)
            continue
        who, words = said["who"].strip(), said["words"].strip()
        key = who.lower()
        if key in _SOUND:
            lines.append(Line("sfx", _words(words, number)))
        elif key in _NARRATION:
            lines.append(Line("narration", _words(words, number)))
        elif key in _PRESENT:
            present = [_known(n.strip(), names, number) for n in re.split(r"[,、&]|\band\b", words)]
            present = [n for n in present if n]
        elif _named(who, names) is not None:
            how = (said.groupdict().get("how") or "").strip().lower()
            manner = _MANNERS.get(how, "shout" if _SHOUTED.search(words) else "say")
            lines.append(Line("say", _words(words, number), _named(who, names), manner))  # type: ignore[arg-type]
        elif said.re is _QUOTED or (_looks_like_a_name(who) and who[:1].isupper()):
            raise SpecError(_unknown(who, number, names))
        else:  # "at the station: rain" is a scene with a colon in it
            scene.append(text)
    if len(lines) > MAX_LINES:
        raise SpecError(
            f"line {start}: a panel holds at most {MAX_LINES} lines of dialogue and sound, "
            f"this one has {len(lines)} (split it in two)"
        )
    scene_text = ", ".join(scene)
    if present is None:
        present = [line.who for line in lines if line.who]
        present += [n for n in names if _mentions(scene_text, n)]
    present = list(dict.fromkeys(present))
    if len(present) > MAX_IN_PANEL:
        raise SpecError(
            f"line {start}: a panel holds at most {MAX_IN_PANEL} characters, this one has "
            f"{', '.join(present)}"
        )
    for line in lines:
        if line.who and line.who not in present:
            raise SpecError(f"line {start}: {line.who} speaks but is not in the panel's with:")
    return Panel(scene_text, tuple(present), tuple(lines))


def _words(text: str, number: int) -> str:
    text = " ".join(text.split())
    if len(text) > MAX_WORDS:
        raise SpecError(
            f"line {number}: a line of dialogue is at most {MAX_WORDS} characters "
            f"(a bubble, not a paragraph); this one has {len(text)}"
        )
    return text


def _named(who: str, names: list[str]) -> str | None:
    """The character ``who`` names (any case), or None."""
    for name in names:
        if name.casefold() == who.casefold():
            return name
    return None


def _known(who: str, names: list[str], number: int) -> str:
    if not who:
        return ""
    found = _named(who, names)
    if found is None:
        raise SpecError(_unknown(who, number, names))
    return found


def _looks_like_a_name(who: str) -> bool:
    return len(who.split()) <= 2 and not any(ch.isdigit() for ch in who)


def _unknown(who: str, number: int, names: list[str]) -> str:
    have = f" (the script knows {', '.join(names)})" if names else ""
    return (
        f"line {number}: {who} is not a character of this story{have}: describe them "
        f"before the first panel ('{who} = girl, short black hair') or save a character "
        f"named {who}"
    )


def _mentions(text: str, name: str) -> bool:
    if _JAPANESE.search(name):
        return name in text
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.I) is not None
