"""Scores for the composition tests: a request planned and composed, with the learned composer by
default (as songs are) or another melody engine."""
from __future__ import annotations

from maestro_ai.compose.arrange import compose_score, make_plan
from maestro_ai.core.meter import TimeSignature
from maestro_ai.core.request import Request
from maestro_ai.io.melody_input import read_seed
from maestro_ai.models.engine import LearnedMelodyEngine, learned_harmonize
from maestro_ai.prompt.controls import derive_controls


def song(genre, seed=1, melody=None, duration=60, tempo=None, engine=None, mood="chill"):
    """(plan, score) of a short song."""
    c = derive_controls(genre, mood, [])
    request = Request(c.genre, c.mood, [], duration, seed, tempo, None, TimeSignature(4, 4), melody,
                      seed_material=read_seed(melody))
    plan = make_plan(c, request, harmonizer=learned_harmonize)
    return plan, compose_score(plan, c, seed, engine or LearnedMelodyEngine())
