"""Mix templates: each genre's levels, panning, low cuts, sidechain and glued buses at studio
quality, from maestro_ai/data/mixes.toml (fields a genre leaves out come from its [default] table).

>>> house = mix_template("house")
>>> house.level("bass"), house.sidechain_parts, house.highpass["pad"]
(-4.5, ('bass', 'harmony', 'pad', 'melody'), 180.0)
>>> house.buses["drums"].parts, house.buses["drums"].ratio
(('drums', 'bass'), 2.5)
>>> round(float(pan_gains(-1.0)[1]), 3), round(float(pan_gains(0.0)[0]), 3)
(0.0, 1.0)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.prompt.presets import read_data
from maestro_ai.render.glue import Glue

EQ_KINDS = frozenset({"lowshelf", "highshelf", "peak"})
PARTS = ("melody", "harmony", "bass", "pad", "counter", "drums", "texture", "riser", "vocals", "harmonies", "backing", "rap",
         "double", "adlibs")


@dataclass(frozen=True)
class MixTemplate:
    """Levels (dB), pans (-1..1), high-pass corners (Hz) and the kick's sidechain for one genre."""

    genre: str
    levels: dict[str, float]
    pans: dict[str, float]
    highpass: dict[str, float]
    sends: dict[str, float] = field(default_factory=dict)
    compress: dict[str, tuple[float, float]] = field(default_factory=dict)  # part: (threshold dB, ratio)
    sidechain_parts: tuple[str, ...] = ()
    sidechain_depth_db: float = 0.0
    sidechain_release_s: float = 0.2
    buses: dict[str, Glue] = field(default_factory=dict)  # bus name: its parts and compressor
    eq: dict[str, tuple[tuple[str, float, float], ...]] = field(default_factory=dict)  # part: (kind, Hz, dB)...

    def level(self, part: str) -> float:
        return self.levels.get(part, -6.0)


@cache
def mix_template(genre: str) -> MixTemplate:
    """The template of `genre`, or the default one for a genre without its own."""
    tables = read_data("mixes.toml")
    default, own = tables["default"], tables.get(genre, {})
    merged = {name: {**default.get(name, {}), **own.get(name, {})}
              for name in ("levels", "pan", "highpass", "send", "compress", "eq")}
    side = own.get("sidechain", {})
    buses = {name: _bus(genre, name, table) for name, table in {**default.get("buses", {}), **own.get("buses", {})}.items()}
    template = MixTemplate(genre, {k: float(v) for k, v in merged["levels"].items()},
                           {k: float(v) for k, v in merged["pan"].items()},
                           {k: float(v) for k, v in merged["highpass"].items()},
                           {k: float(v) for k, v in merged["send"].items()},
                           {k: (float(v[0]), float(v[1])) for k, v in merged["compress"].items()},
                           tuple(side.get("parts", ())), float(side.get("depth_db", 0.0)),
                           float(side.get("release_s", 0.2)), buses,
                           {k: tuple((str(b[0]), float(b[1]), float(b[2])) for b in v) for k, v in merged["eq"].items()})
    in_buses = [part for bus in buses.values() for part in bus.parts]
    if len(in_buses) != len(set(in_buses)):
        raise InvalidRequest(f"mixes.toml [{genre}]: a part is in two buses ({sorted(in_buses)})")
    named = {*template.levels, *template.pans, *template.highpass, *template.sends, *template.compress,
             *template.sidechain_parts, *in_buses, *template.eq}
    if unknown := sorted(named - set(PARTS)):
        raise InvalidRequest(f"mixes.toml [{genre}] names unknown parts {unknown}; use some of {list(PARTS)}")
    if (not all(-1.0 <= p <= 1.0 for p in template.pans.values()) or not 0 <= template.sidechain_depth_db <= 24
            or not all(0.0 <= s <= 1.5 for s in template.sends.values())
            or not all(t <= 0 and r >= 1 for t, r in template.compress.values())
            or not all(kind in EQ_KINDS and 20 <= hz <= 20000 and abs(db) <= 12
                       for bands in template.eq.values() for kind, hz, db in bands)):
        raise InvalidRequest(f"mixes.toml [{genre}]: pans lie in -1..1, sends in 0-1.5, sidechain depth in "
                             "0-24 dB, compression as [threshold dB <= 0, ratio >= 1], eq bands as "
                             f"[kind, Hz 20-20000, dB within 12] with kind one of {sorted(EQ_KINDS)}")
    return template


def _bus(genre: str, name: str, table: dict) -> Glue:
    known = {"parts", "threshold_db", "ratio", "attack_ms", "release_ms"}
    if unknown := sorted(set(table) - known):
        raise InvalidRequest(f"mixes.toml [{genre}.buses] {name}: unknown fields {unknown}; use some of {sorted(known)}")
    glue = Glue(tuple(table.get("parts", ())), **{k: float(v) for k, v in table.items() if k != "parts"})
    if glue.ratio < 1 or glue.attack_ms <= 0 or glue.release_ms <= 0:
        raise InvalidRequest(f"mixes.toml [{genre}.buses] {name}: ratio >= 1, attack_ms and release_ms > 0")
    return glue


def pan_gains(pan: float) -> np.ndarray:
    """Left and right gains of a constant-power pan, 1.0 each at the centre (a centred stem is
    left as it is)."""
    angle = (pan + 1.0) * np.pi / 4
    return (np.array([np.cos(angle), np.sin(angle)]) * np.sqrt(2)).astype(np.float32)
