"""Spoken DJ requests made into text, offline: PocketSphinx (from PyPI, with its US English
acoustic model and dictionary inside the package), listening for the phrases a DJ is asked for.

An open vocabulary misheard most requests in trials with espeak-ng's voices ("something
calmer" came back as "so dollar"), so the decoder listens with a grammar: an optional lead
("play", "give me", ...), then one or two asks: the example phrases of every request direction
(`catalog.requests.DIRECTIONS`), "something" or "more"/"less" with a word from ASKED_WORDS, or
a style from STYLES. Audio is brought to 16 kHz mono and given half a second of silence each
side, since the decoder misses a first or last word spoken right at an edge, with a faint noise
floor (DITHER) under it all, since on digital silence it loses the words.

>>> "calmer" in grammar()
True
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from maestro_ai.catalog.requests import DIRECTIONS
from maestro_ai.core.errors import InvalidRequest
from maestro_ai.io.audio import read_audio, resample

RATE = 16000
PAD_SECONDS = 0.5
LONGEST_SECONDS = 30.0
DITHER = 0.002  # a noise floor: the decoder's noise estimate goes wrong on digital silence
LEADS = ("play", "give me", "i want", "can we have", "let's have", "put on", "could you play")
ASKED_WORDS = ("calmer", "quieter", "softer", "slower", "faster", "louder", "happier", "sadder", "darker", "brighter",
               "heavier", "lighter", "chill", "upbeat", "mellow", "dreamy", "funky", "jazzy", "groovy", "energetic",
               "relaxing", "romantic", "aggressive", "different", "energy", "bass", "drums", "piano", "vocals", "guitar")
STYLES = ("jazz", "rock", "house", "techno", "ambient", "funk", "disco", "blues", "soul", "reggae", "classical", "folk",
          "country", "metal", "hip hop", "trance", "orchestral", "piano", "lounge")


def _words(phrase: str) -> str:
    return re.sub(r"[^a-z' ]", "", phrase.lower())


def grammar(known=lambda word: True) -> str:
    """The JSGF grammar the decoder listens with (see the module's note); phrases with a word
    that is not `known` (in the decoder's dictionary) are left out."""
    def kept(phrases) -> list[str]:
        return sorted({_words(p) for p in phrases if all(known(w) for w in _words(p).split())})

    examples = kept(p for _, _, phrases in DIRECTIONS.values() for p in phrases)
    return "\n".join([
        "#JSGF V1.0;", "grammar dj;",
        "public <request> = [<lead>] <ask> [and <ask>] [please];",
        f"<lead> = {' | '.join(kept(LEADS))};",
        "<ask> = <example> | [something | a bit | a little | much] <word> | (more | less) <word> | [some] <style> [music];",
        f"<example> = {' | '.join(examples)};",
        f"<word> = {' | '.join(kept(ASKED_WORDS))};",
        f"<style> = {' | '.join(kept(STYLES))};",
    ]) + "\n"


@lru_cache(maxsize=1)
def _decoder():
    try:
        from pocketsphinx import Decoder
    except ImportError:  # pragma: no cover - a dependency in pyproject; said plainly if it was left out
        raise InvalidRequest("spoken requests need PocketSphinx: pip install pocketsphinx (or type the request)") from None
    decoder = Decoder(samprate=RATE, loglevel="FATAL")
    decoder.add_jsgf_string("dj", grammar(lambda word: decoder.lookup_word(word) is not None))
    decoder.activate_search("dj")
    return decoder


def hear(path: Path | str) -> str:
    """The request spoken in the audio file `path` (WAV, FLAC, MP3...), as text; InvalidRequest
    when the file is no audio or no request can be made out in it."""
    try:
        audio, rate = read_audio(Path(path))
    except Exception:  # a broken or foreign file: one line, naming it (not its folder: a server's own)
        raise InvalidRequest(f"cannot read the spoken request {Path(path).name!r} as audio (WAV, FLAC, MP3, Ogg)") from None
    if audio.shape[-1] > LONGEST_SECONDS * rate:
        raise InvalidRequest(f"a spoken request lasts at most {LONGEST_SECONDS:g} seconds")
    mono = resample(audio.mean(axis=0, keepdims=True), rate, RATE)[0] if rate != RATE else audio.mean(axis=0)
    pad = np.zeros(int(PAD_SECONDS * RATE), dtype=np.float32)
    padded = np.concatenate([pad, mono.astype(np.float32), pad])
    padded += np.random.default_rng(0).normal(0.0, DITHER, padded.size).astype(np.float32)
    pcm = (np.clip(padded, -1, 1) * 32767).astype("<i2").tobytes()
    decoder = _decoder()
    decoder.start_utt()
    decoder.process_raw(pcm, full_utt=True)
    decoder.end_utt()
    hypothesis = decoder.hyp()
    said = hypothesis.hypstr.strip() if hypothesis is not None else ""
    if not said:
        raise InvalidRequest(f"no request could be made out in {Path(path).name!r}: say it plainly, like \"something calmer\"")
    return said
