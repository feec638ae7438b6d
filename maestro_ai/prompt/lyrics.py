"""Lyric sheets: the user's own words, or guide lyrics built from the key phrases and the phrase
bank in data/lyrics.toml, as hooks (a chorus's lines), verses and a bridge.

The user's text is read in stanzas (blank lines between them); a stanza headed "[chorus]" or
"[hook]" is the hook, "[bridge]" the bridge, any other a verse. Without headings the second
stanza is the hook. Guide lyrics take the mood's feeling and the genre's style (street for hip-hop
and trap, roots for folk, loud for rock; pop and R&B sing the shared lines): two hook lines (the
first key phrase in one of them, the style's hooks first), verses of four lines from one rhyme
family each (two rhyming couplets; the style's families first), and a bridge.

>>> import numpy as np
>>> sheet = guide_lyrics("happy", ["summer road trip"], np.random.default_rng(1))
>>> sheet.guide, len(sheet.hooks), [len(v) for v in sheet.verses], any("summer road trip" in h for h in sheet.hooks)
(True, 2, [4, 4, 4], True)
>>> read_lyrics("walking home\\nthe long way\\n\\n[chorus]\\nsing it out").hooks
('sing it out',)
>>> vocables_for("pop"), vocables_for("techno")
((('na',), 'oh'), (('la',), 'la'))
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import numpy as np

from maestro_ai.core import limits
from maestro_ai.core.errors import InvalidRequest
from maestro_ai.prompt.presets import read_data

HEADING = re.compile(r"^\[(\w[\w -]*)\]$")
ROLES = {"chorus": "hook", "hook": "hook", "refrain": "hook", "bridge": "bridge", "pre-chorus": "bridge",
         "verse": "verse"}
LYRICS_CHARACTERS = 10_000


@dataclass(frozen=True)
class LyricSheet:
    """A song's words by role: hook lines (every chorus sings them), verses (one stanza each), a
    bridge; `guide` when Maestro wrote them to be replaced."""

    hooks: tuple[str, ...]
    verses: tuple[tuple[str, ...], ...]
    bridge: tuple[str, ...]
    guide: bool


@cache
def bank() -> dict:
    return read_data("lyrics.toml")


def vocables_for(genre: str) -> tuple[tuple[str, ...], str]:
    """The genre's vocables (data/lyrics.toml): the syllables a phrase's notes sing in turn, and
    the one its last note sings."""
    table = bank()["vocables"]
    chosen = table.get(genre, table["default"])
    return tuple(chosen["sing"]), chosen["close"]


def guide_lyrics(mood: str, phrases: list[str], rng: np.random.Generator, verses: int = 3,
                 genre: str | None = None) -> LyricSheet:
    """Guide lyrics in the mood's feeling and the genre's style, the first key phrase sung in the hook.

    >>> sheet = guide_lyrics("dark", ["neon rain"], np.random.default_rng(2), genre="hip-hop")
    >>> sheet.verses[0] in [tuple(f) for f in bank()["night"]["street"]["rhymes"]]
    True
    """
    data = bank()
    feeling = data[data["moods"].get(mood, "bright")]
    style = feeling.get(data["styles"].get(genre or "", ""), {})

    def preferred(lines: list[str]) -> list[str]:  # the style's lines where it has any, else the feeling's
        return [h for h in style.get("hooks", ()) if h in lines] or [h for h in feeling["hooks"] if h in lines]

    hooks = [*style.get("hooks", ()), *feeling["hooks"]]
    with_phrase = preferred([h for h in hooks if "{phrase}" in h])
    plain = [h for h in hooks if "{phrase}" not in h]
    if phrases and with_phrase:
        first = with_phrase[int(rng.integers(len(with_phrase)))].format(phrase=phrases[0].lower())
    else:
        first = (choices := preferred(plain))[int(rng.integers(len(choices)))]
        plain.remove(first)
    second = (choices := preferred(plain))[int(rng.integers(len(choices)))]
    own, shared = style.get("rhymes", []), feeling["rhymes"]
    families = [own[i] for i in rng.permutation(len(own))] + [shared[i] for i in rng.permutation(len(shared))]
    stanzas = tuple(tuple(families[i % len(families)]) for i in range(verses))
    return LyricSheet((first, second), stanzas, tuple(feeling["bridges"]), guide=True)


def read_lyrics(text: object) -> LyricSheet:
    """The user's lyrics as a sheet; a clear error for text that is not usable."""
    if not isinstance(text, str):
        raise InvalidRequest(f"lyrics must be text, not {type(text).__name__}")
    if len(text) > LYRICS_CHARACTERS:
        raise InvalidRequest(f"lyrics are {len(text)} characters long; keep them to {LYRICS_CHARACTERS}")
    for line in text.splitlines():  # each line as any text field is checked (no control characters)
        if line.strip():
            limits.text("a line of lyrics", line, LYRICS_CHARACTERS, "'walking home the long way'")
    stanzas: list[tuple[str, list[str]]] = []
    role = None
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        heading = HEADING.match(line.lower())
        if heading:
            role = ROLES.get(heading.group(1).split()[0], "verse")
            stanzas.append((role, []))
        elif not line:
            role = None
        else:
            if role is None:
                role = "?"
                stanzas.append((role, []))
            stanzas[-1][1].append(line)
    stanzas = [(r, lines) for r, lines in stanzas if lines]
    if not stanzas:
        raise InvalidRequest("lyrics have no words; give lines of text, stanzas apart by a blank line")
    if not any(r == "hook" for r, _ in stanzas) and len(stanzas) > 1:
        stanzas[1] = ("hook", stanzas[1][1])
    verses = tuple(tuple(lines) for r, lines in stanzas if r in ("verse", "?"))
    hooks = next((tuple(lines) for r, lines in stanzas if r == "hook"), ())
    bridge = next((tuple(lines) for r, lines in stanzas if r == "bridge"), ())
    return LyricSheet(hooks or verses[0], verses or (hooks,), bridge, guide=False)
