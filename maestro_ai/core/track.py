"""A finished track: its folder and everything track.json says about it, checked on the way in.

track.json is the record a song is remade and varied from, and users edit files: `Track.load`
and `Track.from_dict` check every field against the same limits as a new request, so a damaged
record is refused with a message instead of a traceback.

>>> t = Track.from_dict({"title": "Rain", "genre": "jazz", "mood": "chill", "tempo": 96, "key": "D minor",
...                      "time_signature": "4/4", "duration_seconds": 30, "seed": 4, "bars": 12, "bar_seconds": 2.5,
...                      "request": {"genre": "jazz", "mood": "chill", "duration_seconds": 30, "seed": 4}})
>>> t.key, t.tempo, t.variation
(Key(tonic=2, mode='minor'), 96.0, None)
>>> Track.from_dict([1, 2])
Traceback (most recent call last):
maestro_ai.core.errors.InvalidRequest: track metadata must be a JSON object, as Maestro writes it in track.json, not list
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from maestro_ai.core import limits
from maestro_ai.core.errors import InvalidRequest, MaestroError
from maestro_ai.core.instrument import QUALITIES
from maestro_ai.core.key import Key
from maestro_ai.core.meter import TimeSignature
from maestro_ai.core.request import FORMATS

METADATA = "track.json"
BAR_SECONDS = (0.05, 60.0)
MAX_EDITS = 100  # a variation replays at most this many edits


def _field(data: dict, name: str, kind: type | tuple[type, ...], where: str = "track metadata", default=...):
    if name not in data:
        if default is not ...:
            return default
        raise InvalidRequest(f"{where} lacks {name!r}; give the track.json Maestro wrote (or the dict generate_track returned)")
    value = data[name]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        names = " or ".join("null" if k is type(None) else k.__name__ for k in kinds)
        raise InvalidRequest(f"{where}: {name!r} must be {names}, not {type(value).__name__} {value!r:.40}")
    return value


def _checked(where: str, check):
    """Run a limits check, saying in its message where the value was found."""
    try:
        return check()
    except MaestroError as exc:
        raise InvalidRequest(f"{where}: {exc}") from None


def check_request_record(record: object) -> dict:
    """The `request` part of track.json, checked against a new request's limits (returned as is)."""
    where = "track metadata 'request'"
    if not isinstance(record, dict):
        raise InvalidRequest(f"{where} must be a JSON object, not {type(record).__name__}")
    for name in ("genre", "mood"):
        _field(record, name, str, where)
    _checked(where, lambda: limits.number("duration", _field(record, "duration_seconds", (int, float), where),
                                                      limits.DURATION_SECONDS, "seconds"))
    _checked(where, lambda: limits.whole("seed", _field(record, "seed", int, where), limits.SEED))
    phrases = _field(record, "key_phrases", list, where, default=[])
    if not all(isinstance(p, str) for p in phrases):
        raise InvalidRequest(f"{where}: 'key_phrases' must be a list of strings")
    tempo = _field(record, "tempo_bpm", (int, float, type(None)), where, default=None)
    if tempo is not None:
        _checked(where, lambda: limits.number("tempo", tempo, limits.TEMPO_BPM, "BPM"))
    key = _field(record, "key", (str, type(None)), where, default=None)
    if key is not None:
        _checked(where, lambda: Key.parse(key))
    metre = _field(record, "time_signature", (str, type(None)), where, default=None)
    if metre is not None:
        _checked(where, lambda: TimeSignature.parse(metre))
    _field(record, "melody_midi", (str, dict, type(None)), where, default=None)
    _field(record, "title", (str, type(None)), where, default=None)
    _field(record, "lyrics", (str, type(None)), where, default=None)
    _field(record, "vocals", (bool, type(None)), where, default=None)
    _field(record, "voice", (str, type(None)), where, default=None)
    if _field(record, "quality", str, where, default="draft") not in QUALITIES:
        raise InvalidRequest(f"{where}: 'quality' must be one of {', '.join(QUALITIES)}")
    formats = _field(record, "formats", (list, type(None)), where, default=None) or []
    if not all(f in FORMATS for f in formats):
        raise InvalidRequest(f"{where}: 'formats' must be some of {', '.join(FORMATS)}")
    return record


@dataclass
class Track:
    """A finished song: what its track.json holds, typed, and the folder it lives in.

    `MusicGenerator.generate` returns one; `Track.load(folder)` reads one back. Every field is
    checked on the way in against the same limits as a new request, so an edited or damaged
    track.json is refused with a one-line `InvalidRequest` rather than a traceback.

    Attributes
    ----------
    title, genre, mood : str
        What the song is called and the presets it was made in.
    tempo : float
        Beats per minute.
    key : Key
        Tonic and mode, e.g. ``Key(9, 'minor')``; ``str(track.key)`` is ``'A minor'``.
    time_signature : TimeSignature
        e.g. ``TimeSignature(6, 8)``.
    duration_seconds : float
        The mix's length.
    seed : int
        The seed that, with `request`, makes the same song again.
    bars, bar_seconds : int, float
        The form's length in bars, and one bar's length.
    request : dict
        The request as recorded (enough to make the song again).
    sections, chords, instrumentation, controls, stems, audio, loudness, suggestions, models : dict or list
        The choices the song made and what drove them (README: "What a track folder holds").
    variation : dict or None
        For a variation: what it varies (``'of'``) and the edits, in order.
    folder : Path or None
        The track folder, where known; ``mix_path`` is the mix in the first format asked for.

    Examples
    --------
    >>> import tempfile, maestro_ai
    >>> gen = maestro_ai.MusicGenerator("folk", "peaceful", seed=4, output_dir=tempfile.mkdtemp(), formats=["wav"])
    >>> track = gen.generate({"tempo_bpm": 96}, duration_seconds=8)
    >>> again = Track.load(track.folder)
    >>> str(again.key) == str(track.key), again.tempo, again.mix_path.name
    (True, 96.0, 'mix.wav')
    """

    title: str
    genre: str
    mood: str
    tempo: float
    key: Key
    time_signature: TimeSignature
    duration_seconds: float
    seed: int
    bars: int
    bar_seconds: float
    request: dict
    sections: list[dict] = field(default_factory=list)
    form: dict = field(default_factory=dict)
    chords: list[dict] = field(default_factory=list)
    lyrics: dict = field(default_factory=dict)
    instrumentation: dict = field(default_factory=dict)
    controls: dict = field(default_factory=dict)
    stems: dict[str, str] = field(default_factory=dict)
    midi_path: str = "song.mid"
    musicxml_path: str = "song.musicxml"
    audio: dict[str, str] = field(default_factory=dict)
    loudness: dict = field(default_factory=dict)
    suggestions: dict = field(default_factory=dict)
    models: dict = field(default_factory=dict)
    credits: dict = field(default_factory=dict)
    provenance: dict = field(default_factory=dict)  # the seal: watermark payload, files signed, signer
    variants: dict[str, int] = field(default_factory=dict)
    variation: dict | None = None
    timings_seconds: dict[str, float] = field(default_factory=dict)
    folder: Path | None = None

    @classmethod
    def load(cls, folder: Path | str) -> Track:
        """Read a track folder (or its track.json).

        Raises
        ------
        InvalidRequest
            The file cannot be read, is not JSON, or a field is missing, of the wrong type or out
            of range.
        """
        if not isinstance(folder, (str, Path)) or not str(folder).strip():
            raise InvalidRequest(f"a track is loaded from its folder (or its track.json), not {folder!r:.40}")
        path = Path(folder)
        path = path / METADATA if path.is_dir() else path
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except RecursionError:
            raise InvalidRequest(f"cannot read track metadata {str(path)!r}: it is nested too deeply") from None
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc) or type(exc).__name__
            raise InvalidRequest(f"cannot read track metadata {str(path)!r}: {reason}; give a track folder") from None
        return cls.from_dict(data, path.parent)

    @classmethod
    def from_dict(cls, data: object, folder: Path | str | None = None) -> Track:
        """A Track from track.json's content (or the dict `generate_track` returns), every field
        checked; `folder` is where it lives (default: the dict's ``'path'``, if any)."""
        if not isinstance(data, dict):
            raise InvalidRequest("track metadata must be a JSON object, as Maestro writes it in track.json, "
                                 f"not {'null' if data is None else type(data).__name__}")
        where = "track metadata"
        tempo = _checked(where, lambda: limits.number("tempo", _field(data, "tempo", (int, float)),
                                                               limits.TEMPO_BPM, "BPM"))
        duration = _checked(where, lambda: limits.number(
            "duration", _field(data, "duration_seconds", (int, float)), limits.DURATION_SECONDS, "seconds"))
        bar_seconds = _checked(where, lambda: limits.number(
            "bar_seconds", _field(data, "bar_seconds", (int, float)), BAR_SECONDS, "seconds"))
        metre = _checked(where, lambda: TimeSignature.parse(_field(data, "time_signature", str)))
        if abs(bar_seconds - metre.beats_per_bar * 60.0 / tempo) > 0.01:
            raise InvalidRequest(f"{where}: bar_seconds {bar_seconds:g} does not match {tempo:g} BPM in {metre} "
                                 f"({metre.beats_per_bar * 60.0 / tempo:.4f} s); was track.json edited?")
        variation = _field(data, "variation", (dict, type(None)), default=None)
        if variation is not None:
            edits = _field(variation, "edits", list, "track metadata 'variation'")
            if len(edits) > MAX_EDITS:
                raise InvalidRequest(f"track metadata 'variation': {len(edits)} edits; a variation keeps at most {MAX_EDITS}")
            for edit in edits:
                if not isinstance(edit, dict) or not isinstance(edit.get("kind"), str) \
                        or not isinstance(edit.get("options", {}), dict):
                    raise InvalidRequest("track metadata 'variation': each edit must be an object with a 'kind' "
                                         "and its 'options'")
            _field(variation, "of", str, "track metadata 'variation'", default="")
        path = data.get("path")
        return cls(
            title=_checked(where, lambda: limits.text("title", _field(data, "title", str), 10_000, "'Rain'")),
            genre=_field(data, "genre", str), mood=_field(data, "mood", str), tempo=tempo,
            key=_checked(where, lambda: Key.parse(_field(data, "key", str))),
            time_signature=metre,
            duration_seconds=duration,
            seed=_checked(where, lambda: limits.whole("seed", _field(data, "seed", int), limits.SEED)),
            bars=_checked(where, lambda: limits.whole("bars", _field(data, "bars", int), (1, 100_000))),
            bar_seconds=bar_seconds, request=check_request_record(_field(data, "request", dict)),
            sections=_field(data, "sections", list, default=[]), form=_field(data, "form", dict, default={}),
            chords=_field(data, "chords", list, default=[]), lyrics=_field(data, "lyrics", dict, default={}),
            instrumentation=_field(data, "instrumentation", dict, default={}),
            controls=_field(data, "controls", dict, default={}), stems=_field(data, "stems", dict, default={}),
            midi_path=_field(data, "midi_path", str, default="song.mid"),
            musicxml_path=_field(data, "musicxml_path", str, default="song.musicxml"),
            audio=_field(data, "audio", dict, default={}), loudness=_field(data, "loudness", dict, default={}),
            suggestions=_field(data, "suggestions", dict, default={}), models=_field(data, "models", dict, default={}),
            credits=_field(data, "credits", dict, default={}),
            provenance=_field(data, "provenance", dict, default={}), variants=_field(data, "variants", dict, default={}),
            variation=variation,
            timings_seconds=_field(data, "timings_seconds", dict, default={}),
            folder=Path(folder) if folder is not None else Path(path) if isinstance(path, str) else None,
        )

    @property
    def mix_path(self) -> Path | None:
        """The mastered mix in the first format asked for (None when the folder is unknown)."""
        if self.folder is None or not self.audio:
            return None
        return self.folder / next(iter(self.audio.values()))

    def to_dict(self, path: bool = False) -> dict:
        """track.json's content; with `path`, also the folder (as generate_track and --json give it)."""
        record = {
            "title": self.title, "genre": self.genre, "mood": self.mood, "tempo": self.tempo, "key": str(self.key),
            "time_signature": str(self.time_signature), "duration_seconds": self.duration_seconds, "seed": self.seed,
            "bars": self.bars, "bar_seconds": self.bar_seconds, "form": self.form, "sections": self.sections,
            "chords": self.chords, "lyrics": self.lyrics,
            "instrumentation": self.instrumentation, "controls": self.controls, "stems": self.stems,
            "midi_path": self.midi_path, "musicxml_path": self.musicxml_path, "audio": self.audio,
            "loudness": self.loudness, "suggestions": self.suggestions, "models": self.models,
            "credits": self.credits, "provenance": self.provenance, "request": self.request, "variants": self.variants,
            "variation": self.variation,
            "timings_seconds": self.timings_seconds,
        }
        return {**record, "path": str(self.folder)} if path else record
