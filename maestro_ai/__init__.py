"""Maestro: an open, self-hostable AI music studio.

>>> import maestro_ai
>>> "lofi-chill" in maestro_ai.genres()
True
"""
from __future__ import annotations

import importlib

# Each public name is imported from its module when first used, so `import maestro_ai` (and the
# `maestro` command, which catches Ctrl-C only once it runs) start without numpy and friends.
_HOMES = {
    "Analysis": "maestro_ai.core.results", "MasterReport": "maestro_ai.core.results",
    "Transcription": "maestro_ai.core.results", "InvalidRequest": "maestro_ai.core.errors",
    "MaestroError": "maestro_ai.core.errors", "OutputError": "maestro_ai.core.errors", "Key": "maestro_ai.core.key",
    "Track": "maestro_ai.core.track", "Recording": "maestro_ai.pipeline.imported", "MusicGenerator": "maestro_ai.pipeline.generator",
    "analyze": "maestro_ai.api", "genres": "maestro_ai.api", "master": "maestro_ai.api", "moods": "maestro_ai.api",
    "transcribe": "maestro_ai.api", "__version__": "maestro_ai.core.version", "voices": "maestro_ai.api",
    "register_voice": "maestro_ai.api", "RegisteredVoice": "maestro_ai.core.voices",
    "VoiceConsent": "maestro_ai.core.voices", "VoiceEngine": "maestro_ai.core.voices",
    "unregister_voice": "maestro_ai.core.voices", "import_plays": "maestro_ai.catalog.plays",
    "train_taste": "maestro_ai.catalog.recommend", "recommend": "maestro_ai.catalog.recommend",
    "playlist": "maestro_ai.catalog.recommend", "dj": "maestro_ai.catalog.recommend", "dashboard": "maestro_ai.catalog.recommend",
    "fans_of": "maestro_ai.catalog.recommend", "Reserved": "maestro_ai.catalog.reserved",
}


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module 'maestro_ai' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


__all__ = ["Analysis", "InvalidRequest", "Key", "MaestroError", "MasterReport", "MusicGenerator", "OutputError",
           "Recording", "RegisteredVoice", "Reserved", "Track", "Transcription", "VoiceConsent", "VoiceEngine", "__version__",
           "analyze", "dashboard", "dj", "fans_of", "genres", "import_plays", "master", "moods", "playlist", "recommend",
           "register_voice", "train_taste", "transcribe", "unregister_voice", "voices"]
