"""Reactions: what one sticker of a pack says — an expression, a gesture, a caption in
English and in Japanese, and the emoji a messenger files it under (#37).

A reaction's words are prompt lines (``expression: …``, ``pose: …``) every engine reads
as it reads a person's own, so a sticker is what ``create`` makes of those words. The
gestures are ones `draw` draws (a wave, a peace sign, heart hands, a fist…), so
the offline pack shows what each sticker says.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from sakuga.errors import SpecError

CaptionLanguage = Literal["en", "ja"]
LANGUAGES: Final = ("en", "ja")


@dataclass(frozen=True)
class Reaction:
    name: str
    expression: str
    pose: str | None
    en: str  # the caption in English
    ja: str  # and in Japanese
    emoji: str  # the one a messenger files the sticker under
    aliases: tuple[str, ...] = ()

    def lines(self) -> str:
        """The reaction as prompt lines."""
        pose = f"\npose: {self.pose}" if self.pose else ""
        return f"expression: {self.expression}{pose}"

    def caption(self, language: CaptionLanguage) -> str:
        return self.ja if language == "ja" else self.en


REACTIONS: Final = {
    r.name: r
    for r in (
        Reaction("happy", "laughing", "cheering with both arms up", "Yay!", "やったー!", "😆",
                 ("yay", "joy", "excited")),
        Reaction("sad", "crying", None, "Sob…", "ぐすん…", "😢", ("cry", "crying")),
        Reaction("thanks", "smiling with eyes closed", "hands together", "Thank you!",
                 "ありがとう!", "🙏", ("thank you", "arigatou")),
        Reaction("ok", "wink", "thumbs up", "OK!", "OK!", "👍", ("okay", "thumbs up")),
        Reaction("love", "blushing", "heart hands", "Love it!", "だいすき!", "🥰",
                 ("heart", "daisuki")),
        Reaction("sleepy", "sleepy", None, "Zzz…", "ねむい…", "😴", ("tired", "night")),
        Reaction("angry", "angry pout", "clenched fist", "Hmph!", "ぷんぷん!", "😠",
                 ("mad", "pout")),
        Reaction("surprised", "surprised", None, "Whoa!", "えっ!?", "😲", ("shock", "wow")),
        Reaction("hello", "smiling", "waving", "Hi!", "やっほー!", "👋", ("hi", "wave")),
        Reaction("thinking", "thoughtful", "hand on chin", "Hmm…", "うーん…", "🤔",
                 ("hmm", "think")),
        Reaction("cheer", "big smile", "fist raised", "You got this!", "がんばって!", "💪",
                 ("fighting", "ganbatte", "go")),
        Reaction("proud", "smug", "pointing", "Heh!", "ふふん!", "😏", ("smug",)),
        Reaction("roger", "determined", "saluting", "Roger!", "了解!", "🫡",
                 ("salute", "got it")),
        Reaction("bye", "smiling with eyes closed", "waving", "Bye!", "またね!", "🙋",
                 ("goodbye", "see you")),
        Reaction("goodnight", "sleepy", None, "Good night", "おやすみ", "🌙",
                 ("good night", "oyasumi")),
        Reaction("congrats", "laughing", "cheering with both arms up", "Congrats!",
                 "おめでとう!", "🎉", ("congratulations", "omedetou")),
        Reaction("please", "smiling", "hands together", "Please!", "おねがい!", "🥺",
                 ("onegai", "pretty please")),
        Reaction("sorry", "sad", "hands together", "Sorry!", "ごめんね", "🙇",
                 ("gomen", "apology")),
        Reaction("cool", "smug", "peace sign", "Cool!", "いいね!", "😎", ("nice",)),
        Reaction("shocked", "surprised", "hands on cheeks", "No way!", "うそ!?", "😱",
                 ("omg", "no way")),
        Reaction("shy", "shy", None, "Hehe…", "てれっ", "☺️", ("blush", "embarrassed")),
        Reaction("no", "angry pout", "arms crossed", "No!", "ダメ!", "🙅", ("nope", "dame")),
        Reaction("lol", "laughing with happy tears", None, "LOL", "ウケる", "😂",
                 ("haha", "laughing")),
        Reaction("yummy", "smiling with eyes closed", "holding a rice ball", "Yummy!",
                 "おいしい!", "😋", ("delicious", "oishii")),
        Reaction("look", "surprised", "pointing", "Look!", "見て!", "👀", ("mite", "see")),
        Reaction("peace", "big smile", "peace sign", "Peace!", "ピース!", "✌️", ("v",)),
        Reaction("coffee", "smiling", "holding a mug of coffee", "Coffee break", "ひとやすみ",
                 "☕", ("break", "tea")),
        Reaction("call", "smiling", "holding a phone", "Call me!", "電話してね!", "📱",
                 ("phone", "text me")),
        Reaction("sing", "singing", "holding a microphone", "La la la♪", "ららら♪", "🎤",
                 ("karaoke", "song")),
        Reaction("study", "determined", "holding a book", "Studying!", "勉強中!", "📖",
                 ("busy", "reading")),
        Reaction("waiting", "sad", None, "Still waiting…", "まだかな…", "⏳",
                 ("wait", "mada")),
        Reaction("confused", "thoughtful", "hand on chin", "Huh?", "なに?", "❓",
                 ("huh", "what")),
        Reaction("fine", "smiling", "ok sign", "All good!", "だいじょうぶ!", "👌",
                 ("all good", "daijoubu")),
        Reaction("morning", "big smile", "waving", "Good morning!", "おはよう!", "☀️",
                 ("good morning", "ohayou")),
        Reaction("rain", "calm", "holding an umbrella", "Rainy day…", "雨だね…", "☔",
                 ("rainy", "umbrella")),
        Reaction("foryou", "blushing", "holding flowers", "For you!", "どうぞ!", "💐",
                 ("for you", "gift", "douzo")),
        Reaction("trustme", "determined", "thumbs up", "Leave it to me!", "まかせて!", "😤",
                 ("trust me", "makasete")),
        Reaction("teehee", "wink", "peace sign", "Tee-hee!", "てへっ", "😜", ("tehe", "oops")),
        Reaction("hug", "blushing", "hugging a teddy bear", "Hugs!", "ぎゅっ", "🤗",
                 ("hugs", "gyu")),
        Reaction("hot", "tired", "holding an uchiwa fan", "So hot…", "あつい…", "🥵",
                 ("summer", "atsui")),
    )
}  # fmt: skip

#: The reactions a pack has when none are named (the issue's eight).
DEFAULT_REACTIONS: Final = (
    "happy", "sad", "thanks", "ok", "love", "sleepy", "angry", "surprised",
)  # fmt: skip


def get_reaction(name: str) -> Reaction:
    """The reaction called ``name`` (or one of its aliases); `SpecError` otherwise."""
    key = name.strip().lower().replace("_", " ").replace("-", " ")
    for reaction in REACTIONS.values():
        if key == reaction.name or key in reaction.aliases:
            return reaction
    raise SpecError(f"unknown reaction {name!r}; reactions: {', '.join(REACTIONS)}")


def parse_reactions(text: str | None) -> tuple[str, ...]:
    """Reactions as written (``happy,sad,thanks``), by name; the default eight for None.
    Raises `SpecError` for an unknown or repeated one."""
    if text is None:
        return DEFAULT_REACTIONS
    names = tuple(get_reaction(t).name for t in text.split(",") if t.strip())
    if not names:
        raise SpecError("name at least one reaction (happy,sad,thanks)")
    if len(set(names)) != len(names):
        raise SpecError("a reaction is named twice")
    return names
