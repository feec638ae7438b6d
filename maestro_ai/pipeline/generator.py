"""The public entry point: `MusicGenerator`."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from maestro_ai.core.engines import Harmonizer, MelodyEngine
from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.request import Request
from maestro_ai.core.track import Track
from maestro_ai.pipeline.edits import variation_request
from maestro_ai.pipeline.engines import default_harmonizer
from maestro_ai.pipeline.imported import Recording
from maestro_ai.pipeline.remix import Remix, prepare
from maestro_ai.pipeline.remix import register as register_remix
from maestro_ai.pipeline.request import validate_request
from maestro_ai.pipeline.runner import Progress, run
from maestro_ai.pipeline.variation import Variation
from maestro_ai.rights.registry import Registry, checked_territory, existing_registry


class MusicGenerator:
    """Generates finished songs in one genre and mood.

    Every song is a folder under `output_dir`: an editable score (song.mid, song.musicxml), one
    WAV stem per instrument, the mastered mix (mix.wav, mix.mp3, mix.flac as asked) and
    track.json, which records every choice and what drove it.

    Parameters
    ----------
    genre : str
        A genre name (see `maestro_ai.genres()`), e.g. ``'lofi-chill'``; aliases such as
        ``'orchestral'`` or ``'r&b'`` work.
    mood : str
        A mood name (see `maestro_ai.moods()`), e.g. ``'ambient-focus'``, or any point of the
        mood space written ``'valence,energy'`` (each 0-1), e.g. ``'0.3,0.8'``.
    key : str, optional
        ``'A minor'``, ``'Eb major'``, ``'D dorian'``; chosen from the mood and melody when omitted.
    time_signature : str, default '4/4'
        ``'4/4'``, ``'3/4'``, ``'6/8'``, ... (2/4, 3/4, 4/4, 5/4, 6/8, 7/8, 9/8, 12/8).
    seed : int, optional
        0 to 2**64 - 1. The same request and seed give the same song, byte for byte; a random
        seed is chosen (and recorded in track.json) when omitted.
    output_dir : str or Path, default 'out'
        Where track folders go; made when the first song is written.
    formats : sequence of str, default ('wav', 'mp3')
        Mix formats among ``'wav'``, ``'mp3'`` and ``'flac'``.
    force : bool, default False
        Replace an existing track folder of the same name.
    melody_engine : MelodyEngine, optional
        Writes the melodies: anything with ``name``, ``version`` and
        ``compose(request, rng) -> list[Note]`` (see `maestro_ai.core.engines`). Default: the
        learned composer (maestro_ai/models/MODEL_CARD.md);
        ``maestro_ai.compose.melody.MotifMelodyEngine()`` is the rule-based one.
    harmonizer : Harmonizer, optional
        Chooses chords for a melody (seed melodies, `reharmonize`); default: the learned composer's.
    quality : {'studio', 'draft'}, default 'studio'
        ``'studio'``: each part played by its genre's instrument (maestro_ai/data/orchestras.toml:
        better samples, synthesized electronic voices, drum kits per genre) within its range,
        with expression (pedal, swells, vibrato, 808 slides) and the genre's mix template.
        ``'draft'``: every part a General MIDI preset of FluidR3, about twice as fast.
    seal : bool, default True
        Put Maestro's watermark (the song's 64-bit id) in the mixes and sign them with Content
        Credentials (C2PA); ``False`` leaves them unmarked and unsigned, and track.json says so.
    artist : str, optional
        Whom the song is made for, as the rights registry knows them (default: your login name).
        A melody file, or the song a variation is made from, that is another artist's registered
        work (recognised by its bytes, credentials or watermark) needs their grant: a cover grant
        for a melody, a remix grant for a variation; without it the request is refused.

    Raises
    ------
    MaestroError
        An `InvalidRequest` naming the fix for an unknown genre or mood, a bad key, metre, seed or
        format; an `OutputError` when `output_dir` cannot be written.

    Examples
    --------
    >>> import tempfile, maestro_ai
    >>> gen = maestro_ai.MusicGenerator(genre="house", mood="euphoric", seed=3, output_dir=tempfile.mkdtemp())
    >>> meta, audio_path = gen.generate_track({"key_phrases": ["sunrise"]}, duration_seconds=8)
    >>> meta["genre"], audio_path.name
    ('house', 'mix.wav')
    >>> maestro_ai.MusicGenerator(genre="lofi")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    maestro_ai.core.errors.InvalidRequest: unknown genre 'lofi'; did you mean 'lofi-chill'? Valid: ambient, ...
    """

    def __init__(self, genre: str = "lofi-chill", mood: str = "ambient-focus", *, key: str | None = None,
                 time_signature: str = "4/4", seed: int | None = None, output_dir: str | Path = "out",
                 formats: tuple[str, ...] | list[str] = ("wav", "mp3"), force: bool = False,
                 melody_engine: MelodyEngine | None = None, harmonizer: Harmonizer | None = None,
                 quality: str = "studio", seal: bool = True, artist: str | None = None) -> None:
        # Validate now so a bad genre or mood fails at construction, not after composing.
        checked = validate_request(genre, mood, {}, key=key, time_signature=time_signature,
                                   seed=0 if seed is None else seed, output_dir=output_dir, formats=formats, force=force,
                                   quality=quality)
        if not isinstance(seal, bool):
            raise InvalidRequest(f"seal must be True or False, not {seal!r:.40}")
        if melody_engine is not None and not callable(getattr(melody_engine, "compose", None)):
            raise InvalidRequest("melody_engine must have a compose(request, rng) method (see maestro_ai.core.engines)")
        self.genre, self.mood, self.key = genre, mood, key
        self.time_signature, self.seed = time_signature, seed
        self.output_dir, self.formats, self.force = Path(output_dir), checked.formats, force
        self.melody_engine, self.harmonizer, self.quality, self.seal = melody_engine, harmonizer, quality, seal
        self.artist = artist  # whom the rights registry is asked for (production.clearance): None, the login name

    @classmethod
    def for_track(cls, track: Track, output_dir: str | Path, genre: str | None = None, mood: str | None = None,
                  seed: int | None = None, **options: object) -> MusicGenerator:
        """The generator that varies or remixes `track`: its genre, mood, seed and formats unless
        others are given, writing under `output_dir` (`options`: force, seal, artist)."""
        r = track.request
        return cls(genre or r["genre"], mood or r["mood"], seed=track.seed if seed is None else seed, output_dir=output_dir,
                   formats=tuple(r.get("formats") or ("wav", "mp3")), **options)

    def request(self, input_data: dict | None = None, duration_seconds: float = 180.0) -> Request:
        """Check a request without generating anything (raises MaestroError when it is bad)."""
        request = validate_request(self.genre, self.mood, input_data, duration_seconds=duration_seconds,
                                   seed=self.seed, key=self.key, time_signature=self.time_signature,
                                   output_dir=self.output_dir, formats=self.formats, force=self.force,
                                   quality=self.quality, artist=self.artist)
        return replace(request, seal=self.seal)

    def generate(self, input_data: dict | None = None, duration_seconds: float = 180.0,
                 progress: Progress | None = None) -> Track:
        """Compose, render, mix and master a song; write its folder; return the finished `Track`.

        Parameters
        ----------
        input_data : dict, optional
            Any of ``melody_midi`` (a .mid path, MIDI bytes, a recording to transcribe, note names
            ``'E4 G4:0.5'`` or chord symbols ``'Cmaj7 G6'``), ``key_phrases`` (list of text, at
            most 32), ``tempo_bpm`` (30-300), ``key``, ``time_signature`` and ``title``.
        duration_seconds : float, default 180
            The song's length, 5-1200 s.
        progress : callable, optional
            Called with each stage's name as it starts (``controls``, ``plan``, ``compose``,
            ``perform``, ``render``, ``mix``, ``seal``, ``master``, ``write``), then ``'done'``.

        Returns
        -------
        Track
            The song's record (what track.json holds), its ``folder`` and ``mix_path``.

        Raises
        ------
        MaestroError
            For a bad request (nothing is written) or an output that cannot be written (the
            half-written folder is removed).

        Examples
        --------
        >>> import tempfile, maestro_ai
        >>> gen = maestro_ai.MusicGenerator("folk", "peaceful", seed=2, output_dir=tempfile.mkdtemp(), formats=["wav"])
        >>> track = gen.generate({"melody_midi": "D4 E4 F#4:2", "tempo_bpm": 90}, duration_seconds=10)
        >>> track.tempo, track.mix_path.name, (track.folder / "seed.mid").exists()
        (90.0, 'mix.wav', False)
        """
        return run(self.request(input_data, duration_seconds), progress, melody_engine=self.melody_engine,
                   harmonizer=self.harmonizer)

    def generate_track(self, input_data: dict | None = None, duration_seconds: float = 180.0,
                       progress: Progress | None = None) -> tuple[dict, Path]:
        """Like `generate`, returning ``(track metadata, path of the mastered mix)``.

        Parameters
        ----------
        input_data, duration_seconds, progress
            As for `generate`.

        Returns
        -------
        tuple of (dict, Path)
            track.json's content with ``'path'`` (the track folder) added, and the mix in the first
            format asked for.

        Raises
        ------
        MaestroError
            As for `generate`.

        Examples
        --------
        >>> import tempfile, maestro_ai
        >>> gen = maestro_ai.MusicGenerator("lofi-chill", "ambient-focus", seed=7, output_dir=tempfile.mkdtemp())
        >>> meta, audio_path = gen.generate_track({"melody_midi": "Cmaj7 G6", "tempo_bpm": 72}, duration_seconds=8)
        >>> meta["tempo"], meta["key"], sorted(meta["audio"])
        (72.0, 'C major', ['mp3', 'wav'])
        """
        track = self.generate(input_data, duration_seconds, progress)
        return track.to_dict(path=True), track.mix_path

    def generate_variation(self, track_metadata: dict | Track, kind: str, progress: Progress | None = None,
                           **options: object) -> tuple[dict, Path]:
        """A new track from an earlier one that keeps what it should.

        Parameters
        ----------
        track_metadata : dict or Track
            What `generate_track` returned, a track folder's track.json content, or a `Track`.
        kind : str
            ``'reharmonize'`` (same melody, new chords), ``'new-melody'``, ``'new-drums'``,
            ``'tempo'`` (option ``tempo_bpm=``), ``'key'`` (option ``key=``) or ``'extend'``
            (option ``duration_seconds=``). A variation of a variation keeps every earlier edit.

        Returns
        -------
        tuple of (dict, Path)
            As `generate_track`.

        Raises
        ------
        MaestroError
            An unknown kind or option, an option out of range (the same limits as a new request),
            or metadata that is not a track's (a damaged or edited track.json is named as such).

        Examples
        --------
        >>> import tempfile, maestro_ai
        >>> gen = maestro_ai.MusicGenerator("pop", "happy", seed=5, output_dir=tempfile.mkdtemp(), formats=["wav"])
        >>> meta, _ = gen.generate_track({"tempo_bpm": 100}, duration_seconds=10)
        >>> varied, _ = gen.generate_variation(meta, "tempo", tempo_bpm=110)
        >>> varied["tempo"], varied["variation"]["kind"]
        (110.0, 'tempo')
        """
        made = self.vary(track_metadata, kind, progress, **options)
        return made.to_dict(path=True), made.mix_path

    def variation(self, track_metadata: dict | Track, kind: str, **options: object) -> tuple[Request, Variation]:
        """Check a variation without making it: its request and its edits (raises MaestroError)."""
        track = track_metadata if isinstance(track_metadata, Track) else Track.from_dict(track_metadata)
        request, variation = variation_request(track, kind, self.output_dir, self.force, options,
                                               self.harmonizer or default_harmonizer(), self.artist)
        return replace(request, seal=self.seal), variation

    def remix(self, track: Track | Recording | str | Path, kind: str, *, other: Track | Recording | str | Path | None = None,
              territory: str = "world", progress: Progress | None = None, **options: object) -> Track:
        """A licensed remix or cover of a registered song, made for this generator's `artist`.

        Parameters
        ----------
        track : Track, a track folder, or a Recording
            The song it is made from; the rights registry must know its mix as a work. A
            person's recording comes with the MIDI of what it plays
            (``Recording.load('take.wav', 'take.mid')``): it can be covered or restyled.
        kind : str
            ``'cover'`` (its tune and chords arranged anew in this generator's genre and mood;
            options ``tempo_bpm=``, ``key=``), ``'restyle'`` (``keep=['melody', ...]``: those
            parts as the song played them, the others new in this genre and mood),
            ``'stem-swap'`` (``take=['drums', ...]`` from `other`), ``'mashup'`` (with `other`),
            ``'tempo'``, ``'key'``, ``'extend'`` (as `generate_variation`).
        other : Track, a track folder, or a Recording
            The second song of a stem swap or mashup.
        territory : str, default 'world'
            Where the remix is used: the grants must cover it.

        Returns
        -------
        Track
            The remix; its folder holds ``splits.json``, and it is registered as the artist's work.

        Raises
        ------
        MaestroError
            A `NotAllowed` naming the missing grant when the artist neither owns a song nor holds
            a live grant for the use; nothing is made.

        Examples
        --------
        >>> gen = MusicGenerator("house", "euphoric", artist="Bob")  # doctest: +SKIP
        >>> cover = gen.remix("out/rain", "cover", tempo_bpm=124)  # doctest: +SKIP
        """
        remix, registry = self.remix_plan(track, kind, other=other, territory=territory, **options)
        made = run(remix.request, progress, variation=remix.variation, melody_engine=self.melody_engine,
                   harmonizer=self.harmonizer)
        register_remix(registry, remix, made)
        return made

    def remix_plan(self, track: Track | Recording | str | Path, kind: str, *, other: Track | Recording | str | Path | None = None,
                   territory: str = "world", **options: object) -> tuple[Remix, Registry | None]:
        """Check a remix and its consent without making it (raises MaestroError)."""
        sources = [t if isinstance(t, (Track, Recording)) else _track(t) for t in (track, other) if t is not None]
        registry = existing_registry()
        restyled = kind in ("cover", "restyle")  # the kinds played in this generator's genre and mood
        remix = prepare(sources, kind, genre=self.genre if restyled else None, mood=self.mood if restyled else None,
                        options=options, output_dir=self.output_dir, force=self.force, artist=self.artist,
                        territory=checked_territory(territory), seed=self.seed, formats=self.formats, quality=self.quality,
                        harmonizer=self.harmonizer or default_harmonizer(), melody_engine=self.melody_engine,
                        registry=registry)
        return replace(remix, request=replace(remix.request, seal=self.seal)), registry

    def vary(self, track_metadata: dict | Track, kind: str, progress: Progress | None = None,
             **options: object) -> Track:
        """Like `generate_variation`, returning the new `Track`."""
        request, variation = self.variation(track_metadata, kind, **options)
        return run(request, progress, variation=variation, melody_engine=self.melody_engine, harmonizer=self.harmonizer)


def _track(path: str | Path) -> Track:
    """A track folder (or its track.json); an audio file is a recording, remixed with its MIDI."""
    if isinstance(path, (str, Path)) and Path(path).is_file() and Path(path).suffix.lower() != ".json":
        raise InvalidRequest(f"{str(path)!r} is not a track folder; a recording is remixed with the MIDI of what it plays: "
                             "maestro_ai.Recording.load(recording, midi)")
    return Track.load(path)
