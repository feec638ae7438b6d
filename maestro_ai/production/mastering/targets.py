"""Loudness targets for mastering: streaming platforms, club and broadcast (data/targets.toml).

>>> spotify = load_target("spotify")
>>> spotify.lufs, spotify.true_peak
(-14.0, -1.0)
>>> resolve_target(None, lufs=-12.0, true_peak=None).true_peak   # a custom level keeps the default ceiling
-1.0
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from maestro_ai.core.errors import InvalidRequest, unknown_choice
from maestro_ai.core.limits import LUFS, TRUE_PEAK_DBTP
from maestro_ai.prompt.presets import read_data


@dataclass(frozen=True)
class Target:
    """Where a master should land: integrated loudness and true-peak ceiling."""

    name: str
    lufs: float
    true_peak: float
    note: str = ""


@cache
def targets() -> dict[str, Target]:
    table = read_data("targets.toml")
    return {name: Target(name, float(v["lufs"]), float(v["true_peak"]), v.get("note", "")) for name, v in table.items()}


def load_target(name: str) -> Target:
    """A named target; an unknown name raises an error naming the closest ones."""
    if not isinstance(name, str):
        raise InvalidRequest(f"target must be a name like 'spotify', not {type(name).__name__} {name!r:.40}")
    key = name.strip().lower()
    if key not in targets():
        raise unknown_choice("target", name, list(targets()))
    return targets()[key]


def resolve_target(name: str | None, lufs: float | None, true_peak: float | None) -> Target:
    """The target a user asked for: a name (default spotify), overridden by explicit values."""
    base = load_target("spotify" if name is None else name)
    level = base.lufs if lufs is None else float(lufs)
    ceiling = base.true_peak if true_peak is None else float(true_peak)
    if not LUFS[0] <= level <= LUFS[1]:
        raise InvalidRequest(f"loudness {level:g} LUFS is out of range; use {LUFS[0]:g} to {LUFS[1]:g}")
    if not TRUE_PEAK_DBTP[0] <= ceiling <= TRUE_PEAK_DBTP[1]:
        raise InvalidRequest(f"true-peak ceiling {ceiling:g} dBTP is out of range; use {TRUE_PEAK_DBTP[0]:g} to "
                             f"{TRUE_PEAK_DBTP[1]:g}")
    custom = lufs is not None or true_peak is not None
    return Target("custom" if custom else base.name, level, ceiling, base.note if not custom else "")


@dataclass(frozen=True)
class ToneTarget:
    """An octave-band balance a master moves towards when there is no reference (data/tone_targets.toml)."""

    name: str
    bands_hz: tuple[float, ...]
    levels_db: tuple[float, ...]
    strength: float
    limit_db: float
    note: str = ""


@cache
def tone_targets() -> dict[str, ToneTarget]:
    table = read_data("tone_targets.toml")
    bands = tuple(float(f) for f in table["bands_hz"])
    found = {}
    for name, entry in table.items():
        if isinstance(entry, dict):
            if len(entry["levels_db"]) != len(bands):
                raise ValueError(f"tone target {name!r} needs {len(bands)} levels, one per band")
            found[name] = ToneTarget(name, bands, tuple(float(x) for x in entry["levels_db"]),
                                     float(table["strength"]), float(table["limit_db"]), entry.get("note", ""))
    return found


def load_tone_target(name: str | None) -> ToneTarget:
    """A tone target by its name or by a genre it serves (house -> electronic); default balanced.

    >>> load_tone_target("house").name, load_tone_target(None).name
    ('electronic', 'balanced')
    """
    if name is None:
        return tone_targets()["balanced"]
    if not isinstance(name, str):
        raise InvalidRequest(f"tone must be a name like 'warm', not {type(name).__name__} {name!r:.40}")
    key = name.strip().lower()
    if key in tone_targets():
        return tone_targets()[key]
    table = read_data("tone_targets.toml")
    for target, entry in table.items():
        if isinstance(entry, dict) and key in entry.get("genres", []):
            return tone_targets()[target]
    names = list(tone_targets()) + [g for e in table.values() if isinstance(e, dict) for g in e.get("genres", [])]
    raise unknown_choice("tone target or genre", name, names)
