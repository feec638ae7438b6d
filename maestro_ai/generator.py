"""The public entry point: MusicGenerator.

>>> import tempfile
>>> gen = MusicGenerator(genre="house", mood="euphoric", seed=3, output_dir=tempfile.mkdtemp())
>>> meta, audio_path = gen.generate_track({"key_phrases": ["sunrise"]}, duration_seconds=8)
>>> meta["genre"], audio_path.name
('house', 'mix.wav')
"""
from __future__ import annotations

from pathlib import Path

from maestro_ai.compose.melody import MelodyEngine
from maestro_ai.core.request import Request, validate_request
from maestro_ai.pipeline import Progress, run


class MusicGenerator:
    """Generates finished songs in one genre and mood.

    Args:
        genre: a genre name (see `maestro_ai.genres()`), e.g. 'lofi-chill'.
        mood: a mood name (see `maestro_ai.moods()`), e.g. 'ambient-focus'.
        key: 'A minor', 'Eb major', 'D dorian'; chosen from the mood and melody when omitted.
        time_signature: '4/4' (default), '3/4', '6/8', ...
        seed: same request + seed gives the same song; random (and recorded) when omitted.
        output_dir: where track folders go (default ./out).
        formats: mix formats among 'wav', 'mp3', 'flac' (default wav and mp3).
        force: replace an existing track folder of the same name.
        melody_engine: a MelodyEngine to write melodies (default: the learned composer, see
                maestro_ai/models/MODEL_CARD.md; `MotifMelodyEngine()` is the rule-based one).
    """

    def __init__(self, genre: str = "lofi-chill", mood: str = "ambient-focus", *, key: str | None = None,
                 time_signature: str = "4/4", seed: int | None = None, output_dir: str | Path = "out",
                 formats: tuple[str, ...] | list[str] = ("wav", "mp3"), force: bool = False,
                 melody_engine: MelodyEngine | None = None) -> None:
        # Validate now so a bad genre or mood fails at construction, not after composing.
        validate_request(genre, mood, {}, key=key, time_signature=time_signature, seed=seed or 0,
                         output_dir=output_dir, formats=formats)
        self.genre, self.mood, self.key = genre, mood, key
        self.time_signature, self.seed = time_signature, seed
        self.output_dir, self.formats, self.force = Path(output_dir), tuple(formats), force
        self.melody_engine = melody_engine

    def generate_track(self, input_data: dict | None = None, duration_seconds: float = 180.0,
                       progress: Progress | None = None) -> tuple[dict, Path]:
        """Compose, render, mix and master a song; write its folder; return (metadata, mix path).

        `input_data` may hold melody_midi (a .mid path, MIDI bytes, note names or chord symbols),
        key_phrases (list of text), tempo_bpm, key, time_signature and title.
        """
        return run(self.request(input_data, duration_seconds), progress, melody_engine=self.melody_engine)

    def request(self, input_data: dict | None = None, duration_seconds: float = 180.0) -> Request:
        """Validate a request without generating anything (raises MaestroError when it is bad)."""
        return validate_request(self.genre, self.mood, input_data, duration_seconds=duration_seconds,
                                seed=self.seed, key=self.key, time_signature=self.time_signature,
                                output_dir=self.output_dir, formats=self.formats, force=self.force)

    def generate_variation(self, track_metadata: dict, kind: str, progress: Progress | None = None,
                           **options: object) -> tuple[dict, Path]:
        """A new track from an earlier one: 'reharmonize', 'new-melody', 'new-drums', 'tempo',
        'key' or 'extend' (options: tempo_bpm=, key=, duration_seconds=)."""
        from maestro_ai.variations import variation_request

        request, variation = variation_request(track_metadata, kind, self.output_dir, self.force, options)
        return run(request, progress, variation=variation, melody_engine=self.melody_engine)
