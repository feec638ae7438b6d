"""The checked request: everything the pipeline needs to make one song.

`maestro_ai.pipeline.request.validate_request` builds it from what a user typed; here it is only
data, and the record track.json keeps of it (enough to make the same song again).

>>> from maestro_ai.prompt.presets import load_genre, load_mood
>>> r = Request(load_genre("house"), load_mood("euphoric"), ["sunrise"], 30.0, 7)
>>> r.record()["genre"], r.record()["time_signature"]
('house', '4/4')
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from maestro_ai.core.key import Key
from maestro_ai.core.meter import TimeSignature
from maestro_ai.core.seed import Seed
from maestro_ai.core.style import Genre, Mood

FORMATS = ("wav", "mp3", "flac")
SEED_FILE = "seed.mid"  # a file or recording that seeded a song is kept in its folder as this
SPLITS_FILE = "splits.json"  # a remix's split sheet (pipeline.remix): who is paid what of it


@dataclass
class Request:
    """A checked request.

    `melody_midi` is the seed as given (text, MIDI bytes, or the path of a file); `seed_midi` the
    MIDI bytes a file or recording seed was read from (kept in the track folder, so the folder
    alone can make the song again); `seed_material` what was read from it.
    """

    genre: Genre
    mood: Mood
    phrases: list[str]
    duration_seconds: float
    seed: int
    tempo_bpm: float | None = None
    key: Key | None = None
    time_signature: TimeSignature = TimeSignature(4, 4)
    melody_midi: object = None
    title: str | None = None
    formats: tuple[str, ...] = ("wav", "mp3")
    output_dir: Path = Path("out")
    force: bool = False
    seed_material: Seed | None = field(default=None, repr=False)
    seed_midi: bytes | None = field(default=None, repr=False)
    quality: str = "studio"  # "studio": instruments, expression, genre mixes; "draft": General MIDI
    lyrics: str | None = None  # the user's words (checked and read by prompt.lyrics); None: guide lyrics
    vocals: bool | None = None  # a sung voice: True, False, or None for the genre's own choice
    voice: str | None = None  # the voice type that sings (data/singers.toml); None: the genre's, by seed
    vocables: bool = False  # vocables ("na na na oh") in place of guide lyrics
    seal: bool = True  # watermark and sign the mixes (provenance.seal); not part of the record: the music is the same
    inputs: tuple = ()  # production.clearance.Clearance of each file built on (melody seed, remix parent): its fingerprint, work, grant

    def record(self) -> dict:
        """What track.json keeps of the request, enough to regenerate it."""
        melody = self.melody_midi
        if self.seed_midi is not None and not isinstance(melody, (bytes, bytearray)):
            melody = {"file": SEED_FILE, "from": str(melody)}
        elif isinstance(melody, (bytes, bytearray)):
            melody = {"midi_bytes_hex": bytes(melody).hex()}
        elif isinstance(melody, Path):
            melody = str(melody)
        return {"genre": self.genre.name, "mood": self.mood.name, "key_phrases": self.phrases,
                "duration_seconds": self.duration_seconds, "seed": self.seed, "tempo_bpm": self.tempo_bpm,
                "key": str(self.key) if self.key else None, "time_signature": str(self.time_signature),
                "melody_midi": melody, "title": self.title, "formats": list(self.formats), "quality": self.quality,
                "lyrics": self.lyrics, "vocals": self.vocals, "voice": self.voice,
                "vocables": self.vocables}
