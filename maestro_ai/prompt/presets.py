"""Genre and mood presets, loaded from TOML under maestro_ai/data and validated.

>>> genre = load_genre("lofi-chill")
>>> genre.tempo_range
(65, 90)
>>> load_mood("ambient-focus").energy
0.25
"""
from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from maestro_ai.core.errors import InvalidRequest, unknown_choice
from maestro_ai.core.key import MODES, Key
from maestro_ai.core.style import (
    BASS_LINES,
    COMPING_STYLES,
    CONTROL_NAMES,
    EFFECTS,
    REQUIRED_PARTS,
    TURNAROUNDS,
    VOICING_STYLES,
    Genre,
    Mood,
)
from maestro_ai.theory.chords import roman_to_chord


def read_data(name: str) -> dict:
    """Parse one TOML file shipped in maestro_ai/data."""
    return tomllib.loads(resources.files("maestro_ai.data").joinpath(name).read_text("utf-8"))


def _bad(kind: str, name: str, problem: str) -> InvalidRequest:
    return InvalidRequest(f"preset {kind} {name!r} is invalid: {problem}")


def _genre_from_table(name: str, t: dict) -> Genre:
    try:
        low, high = (int(v) for v in t["tempo"])
        instruments = {part: (int(v[0]), str(v[1])) for part, v in t["instruments"].items()}
        genre = Genre(
            name=name, description=t["description"], tempo_range=(low, high),
            modes=tuple(t["modes"]), groove=t["groove"], swing=float(t["swing"]),
            half_time=bool(t.get("half_time", False)), chord_bars=int(t["chord_bars"]),
            extension=int(t["extension"]),
            progressions={"major": tuple(t["progressions_major"]), "minor": tuple(t["progressions_minor"])},
            effects=tuple(t["effects"]), melody_register=tuple(int(v) for v in t["melody_register"]),
            melody_density=float(t["melody_density"]), walking_bass=bool(t.get("walking_bass", False)),
            comping=t["comping"], counter_style=t.get("counter_style", "guide"),
            instruments=instruments, levels={k: float(v) for k, v in t.get("levels", {}).items()},
            swing_eighths=bool(t.get("swing_eighths", False)), turnaround=str(t.get("turnaround", "none")),
            voicing=str(t.get("voicing", "close")), bass_line=str(t.get("bass_line", "locked")),
            vocals=bool(t.get("vocals", False)), singers=tuple(str(v) for v in t.get("singers", ())),
            rap=bool(t.get("rap", False)), doubles=bool(t.get("doubles", False)),
            adlibs=tuple(str(v) for v in t.get("adlibs", ())),
        )
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise _bad("genre", name, f"missing or malformed field {exc}") from None
    if not 30 <= low <= high <= 300:
        raise _bad("genre", name, "tempo must be a range inside 30-300")
    if missing := [p for p in REQUIRED_PARTS if p not in instruments]:
        raise _bad("genre", name, f"no instrument for {missing}")
    if unknown := [m for m in genre.modes if m not in MODES]:
        raise _bad("genre", name, f"unknown modes {unknown}")
    if not all(0 <= prog <= 127 for prog, _ in instruments.values()):
        raise _bad("genre", name, "instrument programs must be 0-127")
    if unknown := [e for e in genre.effects if e not in EFFECTS]:
        raise _bad("genre", name, f"unknown effects {unknown}; use some of {sorted(EFFECTS)}")
    if genre.comping not in COMPING_STYLES:
        raise _bad("genre", name, f"unknown comping {genre.comping!r}; use one of {sorted(COMPING_STYLES)}")
    if genre.voicing not in VOICING_STYLES or genre.bass_line not in BASS_LINES:
        raise _bad("genre", name, f"voicing must be one of {sorted(VOICING_STYLES)} and bass_line one of {sorted(BASS_LINES)}")
    if genre.turnaround not in TURNAROUNDS:
        raise _bad("genre", name, f"unknown turnaround {genre.turnaround!r}; use one of {sorted(TURNAROUNDS)}")
    for progression in (*genre.progressions["major"], *genre.progressions["minor"]):
        for numeral in progression.split():
            try:
                roman_to_chord(numeral, Key(0, "major"))
            except InvalidRequest:
                raise _bad("genre", name, f"cannot read the chord {numeral!r} in {progression!r}") from None
    if genre.groove not in read_data("grooves.toml"):
        raise _bad("genre", name, f"unknown groove {genre.groove!r}")
    return genre


@cache
def all_genres() -> dict[str, Genre]:
    """Every genre preset by name."""
    return {name: _genre_from_table(name, t) for name, t in read_data("genres.toml").items()}


@cache
def all_moods() -> dict[str, Mood]:
    """Every mood preset by name."""
    moods = {}
    for name, t in read_data("moods.toml").items():
        nudges = {k: float(v) for k, v in t.items() if k in CONTROL_NAMES[2:]}
        mood = Mood(name, t.get("description", ""), float(t["valence"]), float(t["energy"]), nudges)
        if not all(0.0 <= v <= 1.0 for v in (mood.valence, mood.energy, *nudges.values())):
            raise _bad("mood", name, "values must lie in 0-1")
        moods[name] = mood
    return moods


def _resolve(kind: str, name: object, table: dict) -> str:
    if not isinstance(name, str):
        raise InvalidRequest(f"{kind} must be a name like {next(iter(table))!r}, not {type(name).__name__} {name!r:.40}")
    key = name.strip().lower().replace("_", "-").replace(" ", "-")
    key = read_data("aliases.toml").get(kind, {}).get(key, key)
    if key not in table:
        raise unknown_choice(kind, name, list(table))
    return key


def load_genre(name: str | Genre) -> Genre:
    """The genre preset called `name` (aliases like 'orchestral' or 'r&b' work); a Genre is
    returned as it is."""
    if isinstance(name, Genre):
        return name
    genres = all_genres()
    return genres[_resolve("genre", name, genres)]


def load_mood(name: str | Mood) -> Mood:
    """The mood preset called `name`, or any point of the mood space written 'valence,energy'.

    >>> load_mood("0.3,0.8").energy
    0.8
    """
    if isinstance(name, Mood):
        return name
    point = _mood_point(name) if isinstance(name, str) else None
    if point is not None:
        return point
    moods = all_moods()
    try:
        return moods[_resolve("mood", name, moods)]
    except InvalidRequest as exc:
        raise InvalidRequest(f"{exc}; or give a point of the mood space as 'valence,energy', like '0.3,0.8'") from None


def _mood_point(text: str) -> Mood | None:
    parts = text.replace(" ", "").split(",")
    if len(parts) != 2:
        return None
    try:
        valence, energy = float(parts[0]), float(parts[1])
    except ValueError:
        return None
    if not (0.0 <= valence <= 1.0 and 0.0 <= energy <= 1.0):
        raise InvalidRequest(f"mood {text!r}: valence and energy must both lie in 0-1, like '0.3,0.8'")
    return Mood(f"{valence:g},{energy:g}", "a point in the mood space (valence, energy)", valence, energy)
