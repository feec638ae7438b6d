"""The functions at the top of the package: `maestro_ai.master`, `analyze`, `transcribe`,
`genres`, `moods`, `voices` and `register_voice` (imported from here when first used).

>>> from maestro_ai.api import moods
>>> "ambient-focus" in moods()
True
"""
from __future__ import annotations

from pathlib import Path

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.results import Analysis, MasterReport, Transcription
from maestro_ai.core.voices import RegisteredVoice
from maestro_ai.core.voices import register_voice as _register
from maestro_ai.production.analysis.analyze import analyze_file
from maestro_ai.production.mastering.file import master_file
from maestro_ai.production.mastering.settings import MasterSettings
from maestro_ai.production.transcription.basic_pitch import transcribe_file
from maestro_ai.prompt.presets import all_genres, all_moods
from maestro_ai.prompt.singers import all_singers, shipped_singers
from maestro_ai.rights.consent import check_voice_grant


def genres() -> dict[str, str]:
    """Every genre with its one-line description."""
    return {name: g.description for name, g in all_genres().items()}


def moods() -> dict[str, str]:
    """Every named mood with its description."""
    return {name: m.description for name, m in all_moods().items()}


def voices() -> dict[str, str]:
    """Every voice that can sing (`voice=`): Maestro's own and the registered ones, with what
    each is and the engine that speaks it."""
    return {name: f"{s.label}, sung by {s.engine}" for name, s in all_singers().items()}


def register_voice(voice: RegisteredVoice, registry: str | None = None) -> None:
    """Let `voice` (another engine's voice, with its range and consent) sing, by its name. A
    person's voice registered by someone else needs the person's `voice` grant in the rights
    registry (`registry`: its database URL; Maestro's own by default).

    >>> import numpy as np
    >>> from maestro_ai.core.voices import VoiceConsent, unregister_voice
    >>> class Hum:
    ...     name, version = "hum", "1"
    ...     def say(self, phonemes, voice):
    ...         return np.sin(np.arange(8000) * 0.05), 16000
    ...     def credit(self, voice):
    ...         return "a sine hum (public domain), no one's recording"
    >>> register_voice(RegisteredVoice("hum-low", "a hum", 45, 62, Hum(), "low",
    ...                                VoiceConsent("synthetic", "Ada", "a sine wave: no person's voice")))
    >>> voices()["hum-low"]
    'a hum, sung by hum'
    >>> unregister_voice("hum-low")

    Raises
    ------
    InvalidRequest
        Without consent (a voice made from someone's recording is registered by that person,
        or by someone they granted `voice` on it), with a range outside C2-C6 or under an
        octave, or under a name already in use.
    """
    granted = voice.consent.borrowed and voice.consent.work is not None
    if granted:
        check_voice_grant(voice.consent, registry)
    _register(voice, tuple(shipped_singers()), granted=granted)


def master(source: str | Path, output: str | Path, *, force: bool = False, report: bool = True,
           **settings: object) -> MasterReport:
    """Master an audio file to a loudness target, optionally towards a reference.

    Three streamed passes (analysis; EQ, glue compression and width; gain and a true-peak-safe
    limiter into the encoder), so memory stays flat for any length.

    Parameters
    ----------
    source : str or Path
        The mix: WAV, FLAC, MP3, OGG or AIFF, mono or stereo, any sample rate.
    output : str or Path
        The master to write: .wav or .flac (24-bit) or .mp3, by its extension.
    force : bool, default False
        Replace an existing output (and report).
    report : bool, default True
        Write OUT.report.json and OUT.report.png beside the master.
    **settings
        `MasterSettings` fields: ``target`` (spotify, apple, youtube, tidal, amazon, deezer, club,
        broadcast), ``lufs``, ``true_peak``, ``reference`` (a finished track to match), ``mix``
        (0-1), ``mode`` (full, loudness, tone, width), ``tone``, ``width`` (0-2), ``glue``.

    Returns
    -------
    MasterReport
        Loudness before and after, what was done, gain-reduction curves; ``to_dict()`` for JSON.

    Raises
    ------
    MaestroError
        Bad settings, an unreadable, empty, damaged or silent source, an output that exists
        (without `force`), is an input or cannot be written.

    Examples
    --------
    >>> import numpy as np, tempfile, pathlib, maestro_ai
    >>> from maestro_ai.io.audio import write_audio
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> noise = 0.05 * np.random.default_rng(1).standard_normal((2, 44100 * 6)).astype(np.float32)
    >>> _ = write_audio(folder / "mix.wav", noise, 44100)
    >>> result = maestro_ai.master(folder / "mix.wav", folder / "master.wav", target="apple", report=False)
    >>> abs(result.output["integrated_lufs"] + 16.0) <= 0.2, (folder / "master.report.json").exists()
    (True, False)
    """
    unknown = sorted(set(settings) - set(MasterSettings.__dataclass_fields__))
    if unknown:
        raise InvalidRequest(f"unknown master setting(s) {', '.join(unknown)}; "
                             f"valid: {', '.join(MasterSettings.__dataclass_fields__)}")
    if not isinstance(force, bool) or not isinstance(report, bool):
        raise InvalidRequest("force and report must be True or False")
    return master_file(source, output, MasterSettings(**settings), force=force, report=report)


def analyze(source: str | Path) -> Analysis:
    """Tempo, beats, key, metre, loudness, sections, chords and descriptors of a recording.

    Parameters
    ----------
    source : str or Path
        WAV, FLAC, MP3, OGG or AIFF.

    Returns
    -------
    Analysis
        Every figure of `maestro analyze --json` (docs/analysis.md defines each); ``to_dict()`` for JSON.

    Raises
    ------
    MaestroError
        An unreadable, empty, damaged or silent file.

    Examples
    --------
    >>> import numpy as np, tempfile, pathlib, maestro_ai
    >>> from maestro_ai.io.audio import write_audio
    >>> t = np.arange(44100 * 8) / 44100
    >>> chord = sum(0.2 * np.sin(2 * np.pi * f * t) for f in (261.6, 329.6, 392.0)).astype(np.float32)
    >>> path = write_audio(pathlib.Path(tempfile.mkdtemp()) / "c.wav", np.stack([chord, chord]), 44100)
    >>> maestro_ai.analyze(path).key
    'C major'
    >>> maestro_ai.analyze(None)
    Traceback (most recent call last):
    maestro_ai.core.errors.InvalidRequest: the audio file to analyze must be a path, not None
    """
    return analyze_file(source)


def transcribe(source: str | Path, output: str | Path, *, tempo_bpm: float = 120.0, melody: bool = False,
               force: bool = False) -> Transcription:
    """Transcribe a recording to a MIDI file with Spotify's basic-pitch (its ONNX model).

    Parameters
    ----------
    source : str or Path
        The recording (WAV, FLAC, MP3, OGG or AIFF), up to 30 minutes.
    output : str or Path
        The .mid file to write.
    tempo_bpm : float, default 120
        The MIDI file's tempo (20-400): its beats are this tempo's.
    melody : bool, default False
        Keep one line (a hummed, sung or played melody).
    force : bool, default False
        Replace an existing file.

    Returns
    -------
    Transcription
        The file written, how many notes, the model, the pitch range and the seconds spanned.

    Raises
    ------
    MaestroError
        An unreadable, damaged or silent recording, or an output that cannot be written.

    Examples
    --------
    >>> import numpy as np, tempfile, pathlib, maestro_ai
    >>> from maestro_ai.io.audio import write_audio
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> t = np.arange(22050) / 44100
    >>> tones = np.concatenate([0.3 * np.sin(2 * np.pi * f * t) for f in (261.6, 329.6, 392.0)]).astype(np.float32)
    >>> _ = write_audio(folder / "hum.wav", tones[None], 44100)
    >>> result = maestro_ai.transcribe(folder / "hum.wav", folder / "hum.mid", melody=True)
    >>> result.notes, result.range
    (3, (60, 67))
    """
    return transcribe_file(source, output, tempo_bpm=tempo_bpm, force=force, monophonic=melody)
