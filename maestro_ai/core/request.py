"""The validated request: everything the pipeline needs, checked before any work starts.

>>> import tempfile
>>> r = validate_request("lofi-chill", "ambient-focus", {"tempo_bpm": 72}, duration_seconds=30, seed=1,
...                      output_dir=tempfile.mkdtemp())
>>> r.tempo_bpm, r.time_signature
(72.0, (4, 4))
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from maestro_ai.core.errors import InvalidRequest, OutputError

INPUT_KEYS = {"melody_midi", "key_phrases", "tempo_bpm", "key", "time_signature", "title"}
FORMATS = ("wav", "mp3", "flac")
TEMPO_RANGE = (30.0, 300.0)
DURATION_RANGE = (5.0, 1200.0)
TIME_SIGNATURES = {(2, 4), (3, 4), (4, 4), (5, 4), (6, 8), (7, 8), (9, 8), (12, 8)}


@dataclass
class Request:
    """A checked request. `melody_record` is a JSON-safe record of the seed melody input."""

    genre: str
    mood: str
    phrases: list[str]
    duration_seconds: float
    seed: int
    tempo_bpm: float | None = None
    key: tuple[int, str] | None = None
    time_signature: tuple[int, int] = (4, 4)
    melody_midi: object = None
    title: str | None = None
    formats: tuple[str, ...] = ("wav", "mp3")
    output_dir: Path = Path("out")
    force: bool = False
    seed_material: object = field(default=None, repr=False)

    def record(self) -> dict:
        """What track.json keeps of the request, enough to regenerate it."""
        from maestro_ai.theory.scales import key_name

        melody = self.melody_midi
        if isinstance(melody, (bytes, bytearray)):
            melody = {"midi_bytes_hex": bytes(melody).hex()}
        elif isinstance(melody, Path):
            melody = str(melody)
        return {"genre": self.genre, "mood": self.mood, "key_phrases": self.phrases,
                "duration_seconds": self.duration_seconds, "seed": self.seed, "tempo_bpm": self.tempo_bpm,
                "key": key_name(*self.key) if self.key else None,
                "time_signature": f"{self.time_signature[0]}/{self.time_signature[1]}",
                "melody_midi": melody, "title": self.title, "formats": list(self.formats)}


def parse_time_signature(value: object) -> tuple[int, int]:
    """'6/8' or (6, 8) -> (6, 8), if Maestro can write in that metre."""
    try:
        if isinstance(value, str):
            num, den = (int(v) for v in value.split("/"))
        else:
            num, den = (int(v) for v in value)  # type: ignore[union-attr]
    except (ValueError, TypeError):
        raise InvalidRequest(f"cannot read time signature {value!r}; write it like '4/4' or '6/8'") from None
    if (num, den) not in TIME_SIGNATURES:
        valid = ", ".join(f"{a}/{b}" for a, b in sorted(TIME_SIGNATURES, key=lambda t: (t[1], t[0])))
        raise InvalidRequest(f"time signature {num}/{den} is not supported; use one of {valid}")
    return num, den


def _number(name: str, value: object, low: float, high: float, unit: str) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidRequest(f"{name} must be a number, not {value!r}") from None
    if not low <= number <= high:
        raise InvalidRequest(f"{name} {number:g} is out of range; use {low:g}-{high:g} {unit}")
    return number


def check_output_dir(path: Path) -> Path:
    """Create the output folder if needed and make sure it is writable."""
    path = Path(path).expanduser()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder {str(path)!r}: {exc.strerror}; choose another with --out") from None
    if not path.is_dir() or not os.access(path, os.W_OK | os.X_OK):
        raise OutputError(f"output folder {str(path)!r} is not writable; choose another with --out")
    return path


def validate_request(genre: str, mood: str, input_data: dict | None, *, duration_seconds: float = 180.0,
                     seed: int | None = None, key: str | None = None, time_signature: object = None,
                     output_dir: Path | str = "out", formats: tuple[str, ...] | list[str] = ("wav", "mp3"),
                     force: bool = False) -> Request:
    """Check every field; raise InvalidRequest/OutputError naming the problem and the fix."""
    from maestro_ai.io.melody_input import read_seed
    from maestro_ai.prompt.presets import load_genre, load_mood
    from maestro_ai.theory.scales import parse_key

    data = dict(input_data or {})
    if unknown := sorted(set(data) - INPUT_KEYS):
        raise InvalidRequest(f"unknown input field(s) {', '.join(unknown)}; valid: {', '.join(sorted(INPUT_KEYS))}")
    genre_name, mood_name = load_genre(genre).name, load_mood(mood).name
    phrases = data.get("key_phrases") or []
    if isinstance(phrases, str):
        phrases = [phrases]
    if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
        raise InvalidRequest("key_phrases must be a list of strings, like ['rainy city lights']")
    duration = _number("duration", duration_seconds, *DURATION_RANGE, "seconds")
    tempo = data.get("tempo_bpm")
    tempo = None if tempo is None else _number("tempo", tempo, *TEMPO_RANGE, "BPM")
    key_text = data.get("key") or key
    parsed_key = parse_key(key_text) if key_text else None
    metre = parse_time_signature(data.get("time_signature") or time_signature or "4/4")
    fmt = tuple(dict.fromkeys(f.lower().lstrip(".") for f in formats))
    if not fmt or (bad := [f for f in fmt if f not in FORMATS]):
        raise InvalidRequest(f"unknown audio format(s) {', '.join(bad) if fmt else '(none)'}; valid: {', '.join(FORMATS)}")
    if seed is None:
        seed = secrets.randbelow(2**31)
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise InvalidRequest(f"seed must be a whole number >= 0, not {seed!r}")
    hum_tempo = tempo or sum(load_genre(genre_name).tempo_range) / 2  # beats of a hummed melody
    material = read_seed(data.get("melody_midi"), hum_tempo)
    title = data.get("title")
    if title is not None and (not isinstance(title, str) or not title.strip()):
        raise InvalidRequest("title must be a non-empty string")
    out = check_output_dir(Path(output_dir))
    return Request(genre_name, mood_name, [p.strip() for p in phrases if p.strip()], duration, seed, tempo,
                   parsed_key, metre, data.get("melody_midi"), title, fmt, out, force, material)
