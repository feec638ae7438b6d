"""Maestro: an open, self-hostable AI music studio.

>>> import maestro_ai
>>> "lofi-chill" in maestro_ai.genres()
True
"""
from __future__ import annotations

__version__ = "0.1.0"

from maestro_ai.core.errors import InvalidRequest, MaestroError, OutputError  # noqa: E402
from maestro_ai.generator import MusicGenerator  # noqa: E402
from maestro_ai.prompt.presets import all_genres, all_moods  # noqa: E402


def genres() -> dict[str, str]:
    """Every genre with its one-line description."""
    return {name: g.description for name, g in all_genres().items()}


def master(source, output, force: bool = False, **settings) -> dict:
    """Master an audio file to a loudness target (see production.mastering.MasterSettings for the
    settings: target, lufs, true_peak, reference, mix, mode, tone, width, glue); returns the report.

    maestro_ai.master("mix.wav", "master.wav", target="apple", reference="their-single.wav")
    """
    from maestro_ai.production.mastering import MasterSettings, master_file

    return master_file(source, output, MasterSettings(**settings), force=force)


def analyze(source) -> dict:
    """Tempo, beats, key, metre, loudness, sections, chords and descriptors of an audio file."""
    from maestro_ai.production.analysis import analyze_file

    return analyze_file(source)


def moods() -> dict[str, str]:
    """Every named mood with its description."""
    return {name: m.description for name, m in all_moods().items()}


__all__ = ["InvalidRequest", "MaestroError", "MusicGenerator", "OutputError", "__version__", "analyze", "genres",
           "master", "moods"]
