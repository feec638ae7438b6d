"""The engines a song is composed with by default: the learned composer writes the melodies and
proposes chords for a melody (see maestro_ai/models/MODEL_CARD.md). Composition receives them
from here; it never imports the model itself.

>>> default_melody_engine().name
'maestro-composer'
"""
from __future__ import annotations

from maestro_ai.core.engines import Harmonizer, MelodyEngine
from maestro_ai.models.engine import LearnedMelodyEngine, learned_harmonize


def default_melody_engine() -> MelodyEngine:
    """The learned composer; `maestro_ai.compose.melody.MotifMelodyEngine()` is the rule-based one."""
    return LearnedMelodyEngine()


def default_harmonizer() -> Harmonizer:
    """The learned composer's harmonizer: how likely the melody is over each diatonic chord."""
    return learned_harmonize
