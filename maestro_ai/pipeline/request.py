"""Checking a request: every field, before any work starts and before anything is written.

>>> import tempfile
>>> r = validate_request("lofi-chill", "ambient-focus", {"tempo_bpm": 72}, duration_seconds=30, seed=1,
...                      output_dir=tempfile.mkdtemp())
>>> r.tempo_bpm, str(r.time_signature), r.genre.name
(72.0, '4/4', 'lofi-chill')
>>> validate_request("lofi-chill", "ambient-focus", "Cmaj7")
Traceback (most recent call last):
maestro_ai.core.errors.InvalidRequest: input_data must be a dict like {'key_phrases': ['rainy city lights'], 'tempo_bpm': 72}, not str
"""
from __future__ import annotations

import secrets
from pathlib import Path

from maestro_ai.core import limits
from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.instrument import QUALITIES
from maestro_ai.core.key import Key
from maestro_ai.core.meter import TimeSignature
from maestro_ai.core.request import FORMATS, Request
from maestro_ai.core.seed import Seed
from maestro_ai.core.style import Genre, Mood
from maestro_ai.core.voices import registered_voices
from maestro_ai.io.melody_input import is_audio, is_midi_file, midi_file_bytes, parse_midi, read_seed
from maestro_ai.io.outputs import check_folder
from maestro_ai.production.clearance import clear
from maestro_ai.production.transcription.basic_pitch import melody_midi_bytes
from maestro_ai.prompt.lyrics import read_lyrics
from maestro_ai.prompt.presets import load_genre, load_mood
from maestro_ai.prompt.singers import load_singer
from maestro_ai.rights.consent import check_voice_grant

INPUT_KEYS = {"melody_midi", "key_phrases", "tempo_bpm", "key", "time_signature", "title", "lyrics", "vocals", "voice",
              "vocables"}
EXAMPLE = "{'key_phrases': ['rainy city lights'], 'tempo_bpm': 72}"


def check_phrases(phrases: object) -> list[str]:
    """Key phrases as a list of stripped, non-empty strings, within the limits."""
    if isinstance(phrases, str):
        phrases = [phrases]
    if phrases is None:
        phrases = []
    if not isinstance(phrases, (list, tuple)) or not all(isinstance(p, str) for p in phrases):
        raise InvalidRequest("key_phrases must be a list of strings, like ['rainy city lights']")
    if len(phrases) > limits.KEY_PHRASES:
        raise InvalidRequest(f"{len(phrases)} key phrases is too many; give at most {limits.KEY_PHRASES}")
    return [limits.text("a key phrase", p, limits.PHRASE_CHARACTERS, "'rainy city lights'") for p in phrases]


def check_formats(formats: object) -> tuple[str, ...]:
    """Mix formats among FORMATS, lower case, without repeats."""
    if isinstance(formats, str) or not isinstance(formats, (list, tuple)) or not all(isinstance(f, str) for f in formats):
        raise InvalidRequest(f"formats must be a list of names among {', '.join(FORMATS)}, like ['wav', 'mp3']")
    fmt = tuple(dict.fromkeys(f.lower().strip().lstrip(".") for f in formats))
    if not fmt or (bad := [f for f in fmt if f not in FORMATS]):
        raise InvalidRequest(f"unknown audio format(s) {', '.join(bad) if fmt else '(none)'}; valid: {', '.join(FORMATS)}",
                             shell=f"unknown audio format(s) {', '.join(bad) if fmt else '(none)'}; "
                                   f"valid: {', '.join(FORMATS)} (--format)")
    return fmt


def check_seed(seed: object) -> int:
    """A seed as given, or a fresh random one (recorded in track.json) when None."""
    return secrets.randbelow(2**31) if seed is None else limits.whole("seed", seed, limits.SEED)


def melody_file(value: object, folder: Path | None = None) -> Path | None:
    """The file a melody_midi value names (a .mid or a recording), or None when it is not a file;
    a path that is not absolute is looked for in `folder` first (a track folder's own seed)."""
    if not isinstance(value, (str, Path)) or (isinstance(value, str) and not is_audio(value) and not is_midi_file(value)):
        return None
    path = Path(str(value).strip()).expanduser()
    if folder is not None and not path.is_absolute() and (Path(folder) / path).exists():
        path = Path(folder) / path
    return path


def read_melody(value: object, tempo_bpm: float, folder: Path | None = None) -> tuple[Seed | None, bytes | None]:
    """The seed read from a melody_midi value, and the MIDI bytes it came from when it was a file or
    a recording (those are kept in the track folder). A recording is transcribed at `tempo_bpm`."""
    path = melody_file(value, folder)
    if path is None:
        if value is not None and not isinstance(value, (str, bytes, bytearray)):
            raise InvalidRequest(f"melody_midi must be a .mid path, MIDI bytes or text, not {type(value).__name__}")
        return read_seed(value), None
    if is_audio(path):
        data = melody_midi_bytes(path, tempo_bpm)
        seed = parse_midi(data, str(path))
        return Seed(melody=seed.melody, source="audio"), data
    data = midi_file_bytes(path)
    return parse_midi(data, str(path)), data


def clear_melody(value: object, artist: str | None, folder: Path | None = None) -> tuple:
    """The melody file's clearance (production.clearance), checked before it is read: another
    artist's registered work needs their cover grant. () when the melody is not a file."""
    path = melody_file(value, folder)
    if path is None:
        return ()
    if not path.is_file():
        kind = "recording" if is_audio(path) else "file"
        raise InvalidRequest(f"cannot read melody {kind} {str(path)!r}: no such file")
    return (clear(path, "melody", artist),)


def validate_request(genre: str | Genre, mood: str | Mood, input_data: dict | None, *, duration_seconds: float = 180.0,
                     seed: int | None = None, key: str | None = None, time_signature: object = None,
                     output_dir: Path | str = "out", formats: tuple[str, ...] | list[str] = ("wav", "mp3"),
                     force: bool = False, seed_folder: Path | None = None, quality: str = "studio",
                     artist: str | None = None) -> Request:
    """Check every field; raise InvalidRequest/OutputError naming the problem and the fix. Nothing
    is created: the output folder is made when the song is written. A melody file is cleared with
    the rights registry for `artist` (default: the login name) before it is read."""
    if input_data is not None and not isinstance(input_data, dict):
        raise InvalidRequest(f"input_data must be a dict like {EXAMPLE}, not {type(input_data).__name__}")
    data = dict(input_data or {})
    if unknown := sorted(str(k) for k in set(data) - INPUT_KEYS):
        raise InvalidRequest(f"unknown input field(s) {', '.join(unknown)}; valid: {', '.join(sorted(INPUT_KEYS))}")
    genre, mood = load_genre(genre), load_mood(mood)
    phrases = check_phrases(data.get("key_phrases"))
    duration = limits.number("duration", duration_seconds, limits.DURATION_SECONDS, "seconds")
    tempo = data.get("tempo_bpm")
    tempo = None if tempo is None else limits.number("tempo", tempo, limits.TEMPO_BPM, "BPM")
    key_text = key if data.get("key") is None else data["key"]  # an explicit "" is an error, not "choose one"
    parsed_key = None if key_text is None else Key.parse(key_text)
    metre = time_signature if data.get("time_signature") is None else data["time_signature"]
    metre = TimeSignature.parse("4/4" if metre is None else metre)
    fmt = check_formats(formats)
    seed = check_seed(seed)
    title = data.get("title")
    if title is not None:
        title = limits.text("title", title, limits.TITLE_CHARACTERS, "'Rainy City Lights'")
    lyrics = data.get("lyrics")
    if lyrics is not None:
        read_lyrics(lyrics)  # checked now, before any work: read again where the song is composed
    vocals, voice = data.get("vocals"), data.get("voice")
    if vocals is not None and not isinstance(vocals, bool):
        raise InvalidRequest(f"vocals must be True, False or None (the genre decides), not {vocals!r:.40}")
    if voice is not None:
        voice = load_singer(voice).name
        borrowed = registered_voices().get(voice)
        if borrowed is not None and borrowed.consent.borrowed:  # asked again for every song: a grant can be revoked
            check_voice_grant(borrowed.consent)
    vocables = data.get("vocables", False)
    if not isinstance(vocables, bool):
        raise InvalidRequest(f"vocables must be True or False, not {vocables!r:.40}")
    if vocables and lyrics is not None:
        raise InvalidRequest("give lyrics or vocables, not both", shell="give --lyrics or --vocables, not both")
    if not isinstance(force, bool):
        raise InvalidRequest(f"force must be True or False, not {force!r}")
    if quality not in QUALITIES:
        raise InvalidRequest(f"quality must be one of {', '.join(QUALITIES)}, not {quality!r:.40}",
                             shell=f"--quality must be one of {', '.join(QUALITIES)}, not {quality!r:.40}")
    out = check_folder(output_dir)
    hum_tempo = tempo or sum(genre.tempo_range) / 2  # beats of a hummed melody
    inputs = clear_melody(data.get("melody_midi"), artist, seed_folder)
    material, seed_midi = read_melody(data.get("melody_midi"), hum_tempo, seed_folder)
    return Request(genre, mood, phrases, duration, seed, tempo, parsed_key, metre, data.get("melody_midi"), title, fmt,
                   out, force, material, seed_midi, quality, lyrics, vocals, voice, vocables, inputs=inputs)
