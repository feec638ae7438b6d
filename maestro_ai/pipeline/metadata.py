"""track.json: every choice a song made, with what drove it, as a `Track`.

>>> slug("Rainy City Lights!"), folder_name("Rainy City Lights", 7, {"genre": "lofi-chill"})
('rainy-city-lights', 'rainy-city-lights-7-145023')
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from maestro_ai.compose.form import explain, texture
from maestro_ai.compose.lyrics import line_spans
from maestro_ai.compose.modulation import key_change, lifted_key
from maestro_ai.compose.solos import soloists
from maestro_ai.compose.suggestions import suggest
from maestro_ai.core.engines import MelodyEngine
from maestro_ai.core.plan import Plan
from maestro_ai.core.request import Request
from maestro_ai.core.results import Loudness
from maestro_ai.core.score import RAP_PART, VOCAL_PART, Score
from maestro_ai.core.style import OPTIONAL_PARTS, REQUIRED_PARTS, Controls
from maestro_ai.core.track import Track
from maestro_ai.core.version import __version__
from maestro_ai.prompt.embed import model_version
from maestro_ai.prompt.singers import load_singer
from maestro_ai.render.speech import voice_credit

SLUG_CHARACTERS = 60
LYRICS_FILE = "lyrics.lrc"


def slug(text: str) -> str:
    """'Rainy City Lights' -> 'rainy-city-lights' (at most SLUG_CHARACTERS long)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower())[:SLUG_CHARACTERS].strip("-") or "track"


def folder_name(title: str, seed: int, record: dict) -> str:
    """A track folder's name: the title, the seed, and six hex digits of everything else the song
    was made from, so two different requests never share a folder."""
    digest = hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()[:6]
    return f"{slug(title)}-{seed}-{digest}"


def section_table(score: Score, genre: str) -> list[dict]:
    """Each section with its bars, seconds, energy, who plays in it (data/forms.toml; with the
    synths' filter where it is not open, the riser where one plays, and the part that takes each
    solo chorus) and its chords."""
    bar_seconds = score.seconds(score.beats_per_bar)
    present = {p.name for p in score.parts}
    rows = []
    taken = soloists(score.sections, genre)
    for i, s in enumerate(score.sections):
        chords = [{"symbol": c.symbol, "start_bar": round(c.start / score.beats_per_bar, 3),
                   "bars": round(c.duration / score.beats_per_bar, 3)}
                  for c in score.chords if s.start_bar * score.beats_per_bar <= c.start < s.end_bar * score.beats_per_bar]
        kind = texture(genre, s.name)
        plays = {part: getattr(kind, part) for part in (*REQUIRED_PARTS, *OPTIONAL_PARTS) if part in present}
        moves = {**({"filter": kind.filter} if kind.filter != "open" else {}), **({"riser": "on"} if kind.riser else {}),
                 **({"soloist": taken[i]} if i in taken else {})}
        rows.append({"name": s.name, "start_bar": s.start_bar, "end_bar": s.end_bar,
                     "start_seconds": round(s.start_bar * bar_seconds, 3),
                     "end_seconds": round(s.end_bar * bar_seconds, 3), "energy": s.energy,
                     "plays": plays | moves, "chords": chords})
    return rows


def lyric_table(score: Score) -> dict:
    """What track.json says of the words: whether they are guide lyrics or vocables, each sung
    line with its seconds and bar, and the LRC file (empty when the song has no words)."""
    if not score.lyrics:
        return {}
    bar = score.beats_per_bar
    return {"guide": score.guide_lyrics, "vocables": score.vocables, "file": LYRICS_FILE,
            "lines": [{"text": text, "start_seconds": round(score.seconds(a), 3), "end_seconds": round(score.seconds(b), 3),
                       "start_bar": round(a / bar, 3)} for text, a, b in line_spans(score)]}


def key_change_of(score: Score, genre: str, form: int | None) -> dict | None:
    """The song's key change as track.json tells it: the bar, the semitones, the key it lands in."""
    change = key_change(score.sections, genre, form)
    if change is None:
        return None
    bar, semitones = change
    return {"bar": bar, "semitones": semitones, "to": str(lifted_key(score.key, semitones))}


def credits_of(score: Score, played: dict) -> dict:
    """Who and what made the sound: the sample sets used (studio quality), and the voice that
    sang, said to be synthetic, with its engine and voice type."""
    credits = {"samples": played["samples"]} if played else {}
    sung = next((p for p in score.parts if p.name in (VOCAL_PART, RAP_PART)), None)
    if sung is not None:
        singer = load_singer(sung.instrument)
        credits["voice"] = {"voice_type": singer.name, "label": singer.label, **voice_credit(singer)}
    return credits


def build_track(request: Request, variation: dict | None, title: str, score: Score, plan: Plan, controls: Controls,
                stems: list[str], loudness: Loudness, engine: MelodyEngine, synth: dict, seconds: float,
                folder: Path | None = None, played: dict[str, dict] | None = None) -> Track:
    """The Track of a finished song (timings are added when the files are written). `played`:
    each part's instrument id and the sources that played it, and the credits of the samples, at
    studio quality."""
    table = section_table(score, request.genre.name)
    played = played or {}
    instrumentation = {p.name: {"instrument": p.instrument, "program": p.program, "drums": p.is_drum,
                                **played.get("parts", {}).get(p.name, {})} for p in score.parts}
    return Track(
        title=title, genre=request.genre.name, mood=request.mood.name, tempo=score.tempo, key=score.key,
        time_signature=score.time_signature, duration_seconds=round(seconds, 3), seed=request.seed, bars=score.bars,
        bar_seconds=round(score.seconds(score.beats_per_bar), 4),
        form=explain(request.genre.name, plan.form, score.sections, key_change_of(score, request.genre.name, plan.form)),
        sections=[{k: v for k, v in row.items() if k != "chords"} for row in table],
        chords=[{"section": row["name"], "start_bar": row["start_bar"], "chords": row["chords"]} for row in table],
        lyrics=lyric_table(score),
        instrumentation=instrumentation, credits=credits_of(score, played),
        controls=controls.to_dict(), stems={name: f"stems/{name}.wav" for name in stems},
        audio={fmt: f"mix.{fmt}" for fmt in request.formats}, loudness=loudness.to_dict(),
        suggestions=suggest(request.genre, score.key, score.tempo, set(), plan.form),
        models={"melody_engine": f"{engine.name} {engine.version}",
                "text_embedding": model_version() if request.phrases else None, **synth, "maestro": __version__},
        request=request.record(), variants=dict(plan.variants), variation=variation, folder=folder,
    )
