"""Words as a singer says them: syllables and stress, read from espeak-ng's phonemes.

espeak-ng (Debian's `espeak-ng`, GPL-3) runs as a separate program, once for a whole lyric: each
line is phonemized in context, so "the" and "a" come out unstressed as they are sung. A vowel
phoneme (or a syllabic consonant, "n-") is a syllable; a primary or secondary stress mark makes
it stressed. The spelling is split to match, for display ("to-night"). Without espeak-ng, the
spelling's vowel groups stand in, every word stressed on its first syllable, and that is said once.

>>> words = syllabify(["rainy city lights"])[0]
>>> [(w.text, [s.text for s in w.syllables], [s.stressed for s in w.syllables]) for w in words]
[('rainy', ['rai', 'ny'], [True, False]), ('city', ['ci', 'ty'], [True, False]), ('lights', ['lights'], [True])]
"""
from __future__ import annotations

import functools
import logging
import re
import shutil
import subprocess
from dataclasses import dataclass

log = logging.getLogger(__name__)

VOICE = "en-us"
VOWEL_START = set("aAeEiIoOuUV@3")
WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
SPELLED_VOWELS = re.compile(r"[aeiouy]+")
# Unstressed in a line, though espeak-ng stresses them said alone
FUNCTION_WORDS = frozenset("a an the to of for and or but in on at by as from with my your our their his her its "
                           "we i you it is are was were be am me us them he she they that this".split())


@dataclass(frozen=True)
class Syllable:
    """One sung syllable: its spelling, its phonemes (espeak-ng's ASCII names), stressed or not."""

    text: str
    phonemes: tuple[str, ...]
    stressed: bool


@dataclass(frozen=True)
class Word:
    text: str
    syllables: tuple[Syllable, ...]


def words_of(line: str) -> list[str]:
    """The singable words of a lyric line, lower case (digits and signs dropped).

    >>> words_of("Rainy city-lights, 2 AM!")
    ['rainy', 'city', 'lights', 'am']
    """
    return WORD.findall(line.lower().replace("-", " "))


@functools.cache
def espeak() -> str | None:
    """The espeak-ng program, or None (said once)."""
    found = shutil.which("espeak-ng")
    if found is None:
        log.warning("espeak-ng is not installed (apt-get install espeak-ng, or make install as root): "
                    "syllables are guessed from spelling and the voice sings on vowels alone")
    return found


def syllabify(lines: list[str]) -> list[list[Word]]:
    """Every line's words with their syllables, phonemized in context in one call of espeak-ng."""
    words = [words_of(line) for line in lines]
    program = espeak()
    spoken = _phonemize([" ".join(w) for w in words], program) if program else [[] for _ in words]
    # espeak-ng runs some words together ("for the"): those lines' words are asked again one by
    # one, out of context, all in one more call
    joined = {i for i, (line, said) in enumerate(zip(words, spoken)) if program and len(said) != len(line)}
    alone = sorted({w for i in joined for w in words[i]})
    single = dict(zip(alone, _phonemize(alone, program))) if alone else {}
    for i in joined:
        spoken[i] = [(single[w] or [""])[0] for w in words[i]]
    return [[_word(w, said[j] if len(said) == len(line) else None, in_context=i not in joined)
             for j, w in enumerate(line)] for i, (line, said) in enumerate(zip(words, spoken))]


def _phonemize(lines: list[str], program: str) -> list[list[str]]:
    """espeak-ng's phonemes of each line (a list per line, one string per word)."""
    said = [line for line in lines if line]
    done = subprocess.run([program, "-q", "-x", "--sep=_", "-v", VOICE], input="".join(f"{line}.\n" for line in said),
                          capture_output=True, text=True, check=True, timeout=60)
    rows = [row.split() for row in done.stdout.splitlines() if row.strip()]
    if len(rows) != len(said):  # espeak-ng joined or split a line: ask line by line
        rows = [_phonemize([line], program)[0] for line in said] if len(said) > 1 else [[]]
    found = iter(rows)
    return [next(found) if line else [] for line in lines]


def is_vowel(phoneme: str) -> bool:
    """Whether an espeak-ng phoneme (a stress mark before it or not) is a vowel or a syllabic
    consonant ("n-").

    >>> is_vowel("'aI"), is_vowel("n-"), is_vowel("t")
    (True, True, False)
    """
    bare = phoneme.lstrip("',")
    return bool(bare) and (bare[0] in VOWEL_START or bare.endswith("-"))


def _word(text: str, phonemes: str | None, in_context: bool = True) -> Word:
    """A word's syllables from its phonemes; said alone (`in_context` False) a function word of
    one syllable is unstressed, as it is in a sung line."""
    if phonemes and not in_context and text in FUNCTION_WORDS:
        phonemes = phonemes.replace("'", "").replace(",", "")
    if not phonemes:
        groups = max(1, len(SPELLED_VOWELS.findall(_without_silent_e(text))))
        parts = split_spelling(text, groups)
        return Word(text, tuple(Syllable(p, (), i == 0) for i, p in enumerate(parts)))
    sounds = [p for p in phonemes.split("_") if p and p != ";"]
    vowels = [i for i, p in enumerate(sounds) if is_vowel(p)] or [0]
    # Consonants between two vowels: one goes with the next syllable, of more the first stays behind.
    cuts = [0] + [v - (1 if v - prev > 1 else 0) if v - prev <= 2 else prev + 2 for prev, v in zip(vowels, vowels[1:])]
    spans = [sounds[a:b] for a, b in zip(cuts, cuts[1:] + [len(sounds)])]
    parts = split_spelling(text, len(spans))
    return Word(text, tuple(Syllable(part, tuple(p.lstrip("',") for p in span), any(p.startswith(("'", ",")) for p in span))
                            for part, span in zip(parts, spans)))


def syllabic(index: int, count: int) -> str:
    """A syllable's place in its word as MusicXML names it.

    >>> [syllabic(i, 3) for i in range(3)], syllabic(0, 1)
    (['begin', 'middle', 'end'], 'single')
    """
    if count == 1:
        return "single"
    return "begin" if index == 0 else "end" if index == count - 1 else "middle"


def _without_silent_e(text: str) -> str:
    return text[:-1] if len(text) > 2 and text.endswith("e") and not text.endswith(("le", "ee", "ye")) else text


def split_spelling(text: str, count: int) -> list[str]:
    """The spelling cut into `count` pieces at its vowel groups (between them: one consonant goes
    with the next, of more the first stays behind), evenly where the groups do not match.

    >>> split_spelling("tonight", 2), split_spelling("darkness", 2), split_spelling("radio", 3)
    (['to', 'night'], ['dark', 'ness'], ['ra', 'di', 'o'])
    """
    if count <= 1:
        return [text]
    groups = [m.span() for m in SPELLED_VOWELS.finditer(text)]
    while 0 < len(groups) < count and any(b - a > 1 for a, b in groups):  # "radio": i-o are two
        i = max(range(len(groups)), key=lambda k: groups[k][1] - groups[k][0])
        a, b = groups[i]
        groups[i:i + 1] = [(a, a + 1), (a + 1, b)]
    if len(groups) >= count:
        groups = groups[:count - 1] + [(groups[count - 1][0], groups[-1][1])]
        cuts = []
        for (_, end), (start, _) in zip(groups, groups[1:]):
            gap = start - end
            cuts.append(end if gap <= 1 else start - 1)
    else:
        cuts = [round(len(text) * i / count) for i in range(1, count)]
    cuts = sorted({min(max(c, 1), len(text) - 1) for c in cuts})
    if len(cuts) != count - 1:
        cuts = [round(len(text) * i / count) for i in range(1, count)]
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:])]
