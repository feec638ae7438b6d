"""A song's symbolic half: controls, plan and score, with a variation's edits applied. The
stages run these one at a time; `compose` runs them all (no audio, nothing written).

>>> import tempfile
>>> from maestro_ai.compose.melody import MotifMelodyEngine
>>> from maestro_ai.pipeline.request import validate_request
>>> request = validate_request("jazz", "romantic", {"tempo_bpm": 96}, duration_seconds=20, seed=4,
...                            output_dir=tempfile.mkdtemp())
>>> controls, plan, score = compose(request, melody_engine=MotifMelodyEngine())
>>> plan.tempo, score.tempo, [p.name for p in score.parts][:2]
(96.0, 96.0, ['melody', 'harmony'])
"""
from __future__ import annotations

from maestro_ai.compose.arrange import compose_score, make_plan
from maestro_ai.compose.lyrics import set_lyrics, set_vocables
from maestro_ai.compose.modulation import lift_key
from maestro_ai.compose.vocals import sing
from maestro_ai.core.engines import Harmonizer, MelodyEngine
from maestro_ai.core.plan import Plan
from maestro_ai.core.random import stream
from maestro_ai.core.request import Request
from maestro_ai.core.score import Score
from maestro_ai.core.style import Controls
from maestro_ai.pipeline.engines import default_harmonizer, default_melody_engine
from maestro_ai.pipeline.variation import Tools, Variation
from maestro_ai.prompt.controls import derive_controls
from maestro_ai.prompt.lyrics import guide_lyrics, read_lyrics, vocables_for
from maestro_ai.prompt.singers import choose_singer, load_singer


def plan_song(request: Request, controls: Controls, variation: Variation | None, harmonizer: Harmonizer) -> Plan:
    """Key, tempo, form and chords, as the variation (if any) changes them."""
    plan = make_plan(controls, request, variation.variants if variation else {},
                     variation.sections if variation else None, harmonizer)
    return variation.plan(plan) if variation else plan


def score_song(request: Request, plan: Plan, controls: Controls, variation: Variation | None, tools: Tools) -> Score:
    """Every part, as the variation (if any) changes them, the form's key change (edits work in
    the song's home key), and the words the lead sings: the user's lyrics, vocables where asked,
    or guide lyrics in a genre with a voice."""
    score = compose_score(plan, controls, request.seed, tools.melody_engine)
    score = variation.score(plan, score, controls, tools) if variation else score
    score = lift_key(score, controls.genre.name, plan.form)
    genre = controls.genre
    sings = request.vocals if request.vocals is not None else genre.vocals
    if request.vocables:
        score = set_vocables(score, vocables_for(genre.name), genre.name)
    elif request.lyrics is not None or genre.vocals or request.vocals:
        sheet = read_lyrics(request.lyrics) if request.lyrics is not None else \
            guide_lyrics(request.mood.name, request.phrases, stream(request.seed, "lyrics"), genre=genre.name)
        score = set_lyrics(score, sheet, genre.name, rap=sings and genre.rap)
    if sings:
        singer = load_singer(request.voice) if request.voice else choose_singer(genre.singers, request.seed)
        score = sing(score, singer, genre.name, doubles=genre.doubles, adlibs=genre.adlibs)
    return score


def compose(request: Request, variation: Variation | None = None, melody_engine: MelodyEngine | None = None,
            harmonizer: Harmonizer | None = None) -> tuple[Controls, Plan, Score]:
    """The controls, plan and score of a request (and variation), without audio or files."""
    harmonizer = harmonizer or default_harmonizer()
    tools = Tools(request.seed, melody_engine or default_melody_engine(), harmonizer)
    controls = derive_controls(request.genre, request.mood, request.phrases)
    plan = plan_song(request, controls, variation, harmonizer)
    return controls, plan, score_song(request, plan, controls, variation, tools)
