"""Adaptive playlists for a context ("focus", "workout", "rainy evening", any phrase).

- **The context** is read as key phrases are (`prompt.controls`: the phrase embedded and matched
  to the descriptor vocabulary): a valence and an energy, stretched (STRETCH) since a phrase
  alone only pulls a neutral mood part of the way.
- **An energy curve** over the playlist's minutes: an arc for an energetic context (warm up, a
  peak at 60 %, cool down), a slow descent for a calm one (winding down), a gentle wave otherwise.
- **Each slot** takes the track that best fits: its description's meaning against the context's
  (MiniLM), its energy against the curve there and its valence against the context's, the
  listener's taste (the taste model's score, when a listener is given), and a smooth move from the
  track before: tempo (by octave-folded ratio) and key (distance on the Camelot wheel, as DJs mix
  harmonically). No artist plays twice within ARTIST_GAP tracks; no track twice.
- **Freshness** (0-1) favours tracks the listener has not played; **skips** adapt the rest: a
  skipped track, and tracks like it (content cosine over SKIP_LIKENESS), leave the plan.

>>> camelot("A minor"), camelot("C major"), camelot_distance("A minor", "E minor"), camelot_distance("C major", "A minor")
('8A', '8B', 1, 1)
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from maestro_ai.catalog.features import content_vectors, embed_texts
from maestro_ai.catalog.requests import DjRequest
from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.key import Key
from maestro_ai.prompt.controls import derive_controls

STRETCH = 2.5  # how far the context's valence and energy are pushed from neutral (0.5)
ARTIST_GAP = 3  # tracks between two of the same artist
SKIP_LIKENESS = 0.9  # content cosine above which a track counts as like one skipped
WEIGHTS = {"meaning": 1.0, "energy": 2.0, "valence": 1.0, "taste": 1.0, "tempo": 1.5, "key": 0.4, "fresh": 0.5, "like": 2.0}
MINUTES = (1, 600)
ASKED = 3.0  # a listener's phrase outweighs the context: it asks for a change


def camelot(key: str) -> str:
    """A key's place on the Camelot wheel: 1-12 round the circle of fifths, A minor, B major."""
    tonic, mode = Key.parse(key)
    minor = mode != "major"
    return f"{((7 * tonic) % 12 + (4 if minor else 7)) % 12 + 1}{'A' if minor else 'B'}"


def camelot_distance(a: str, b: str) -> int:
    """Steps between two keys on the wheel: one round the circle or across (relative keys)."""
    ca, cb = camelot(a), camelot(b)
    na, nb = int(ca[:-1]), int(cb[:-1])
    return min(abs(na - nb), 12 - abs(na - nb)) + (ca[-1] != cb[-1])


def context_point(context: str) -> tuple[float, float]:
    """The (valence, energy) a context asks for."""
    if not isinstance(context, str) or not context.strip():
        raise InvalidRequest('a playlist needs a context, like "focus", "workout" or "rainy evening"')
    controls = derive_controls("pop", "0.5,0.5", [context.strip()])
    return tuple(float(np.clip(0.5 + (v - 0.5) * STRETCH, 0.05, 0.95)) for v in (controls.valence, controls.energy))


def energy_curve(energy: float, points: int) -> np.ndarray:
    """The energy asked for at `points` even steps through the playlist."""
    t = np.linspace(0, 1, points)
    if energy >= 0.6:  # warm up, peak at 60 %, cool down
        curve = energy - 0.3 + 0.35 * np.sin(np.pi * np.clip(t / 1.2, 0, 1))
    elif energy <= 0.4:  # wind down
        curve = energy + 0.15 - 0.3 * t
    else:
        curve = energy + 0.08 * np.sin(2 * np.pi * t)
    return np.clip(curve, 0.02, 0.98)


def plan_playlist(context: str, tracks: dict, minutes: float = 45.0, taste: np.ndarray | None = None,
                  played: Sequence[str] = (), freshness: float = 0.3, skipped: Sequence[str] = (),
                  encoder=None, point: tuple[float, float] | None = None, toward: tuple[str, int] | None = None,
                  after: str | None = None, used: Sequence[str] = (), level: bool = False, asked: str | None = None,
                  content: np.ndarray | None = None) -> dict:
    """A playlist for `context` from the catalogue `tracks` (columns: id, title, artist, genre,
    valence, energy, tempo, key, minor, seconds, text, ai), about `minutes` long. `taste`: the
    listener's score for each track (any scale), `played`: ids they have played, `skipped`: ids
    skipped this session. For a playlist that goes on from another (a DJ's next set): `point`,
    the (valence, energy) asked instead of the context's; `toward`, (a track's id, +1 or -1) to
    favour tracks like it or unlike it; `after`, the track playing before the first (for a smooth
    move); `used`, tracks already played, in order (left out, and the last ones' artists spaced
    from the first picks); `level`, hold the energy asked all through (no arc); `asked`, a
    listener's phrase whose meaning counts ASKED times the context's; `content`, the tracks'
    content vectors when the caller has them already."""
    if not isinstance(minutes, (int, float)) or isinstance(minutes, bool) or not MINUTES[0] <= minutes <= MINUTES[1]:
        raise InvalidRequest(f"a playlist lasts {MINUTES[0]}-{MINUTES[1]} minutes, not {minutes!r:.20}")
    if not 0.0 <= freshness <= 1.0:
        raise InvalidRequest(f"freshness is between 0 (favourites) and 1 (only new to the listener), not {freshness:g}")
    count = len(tracks["id"])
    if count == 0:
        raise InvalidRequest("the catalogue is empty: make or register tracks first")
    valence, energy = point if point is not None else context_point(context)
    texts = np.asarray(tracks["text"], dtype=object).astype(str)
    distinct, row = np.unique(texts, return_inverse=True)
    meaning = (embed_texts(list(distinct), encoder) @ embed_texts([context.strip()], encoder)[0])[row]
    if asked:  # a listener asking for a style names it: matched with each track's genre as well as its description
        named, named_row = np.unique(np.char.add(np.asarray(tracks["genre"], dtype=object).astype(str), ": " + texts), return_inverse=True)
        meaning = meaning + ASKED * (embed_texts(list(named), encoder) @ embed_texts([asked], encoder)[0])[named_row]
    ids = np.asarray(tracks["id"], dtype=object).astype(str)
    seconds = np.asarray(tracks["seconds"], dtype=float)
    content = content if content is not None else content_vectors(tracks, encoder)
    wheel = _wheel(tracks["key"])  # each track's Camelot number and letter (0 for an unknown key)
    tempos, energies = np.asarray(tracks["tempo"], float), np.asarray(tracks["energy"], float)
    artists = np.asarray(tracks["artist"], dtype=object)
    available = ~np.isin(ids, [str(u) for u in used])
    for gone in skipped:
        if (hit := _row(ids, gone)) is not None:
            available &= content @ content[hit] <= SKIP_LIKENESS
            available[hit] = False
    base = (WEIGHTS["meaning"] * meaning - WEIGHTS["valence"] * np.abs(np.asarray(tracks["valence"], float) - valence)
            + (WEIGHTS["taste"] * _scaled(taste) if taste is not None else 0.0)
            + WEIGHTS["fresh"] * freshness * ~np.isin(ids, [str(p) for p in played]))
    if toward is not None and (like := _row(ids, toward[0])) is not None:
        base = base + WEIGHTS["like"] * toward[1] * (content @ content[like])
    previous = _row(ids, after) if after is not None else None
    before_artists = [artists[r] for r in (_row(ids, u) for u in list(used)[-ARTIST_GAP:]) if r is not None]
    slots_guess = max(1, int(round(minutes * 60 / max(float(np.median(seconds)), 1.0))))
    curve = np.full(slots_guess + 1, energy) if level else energy_curve(energy, slots_guess + 1)
    chosen: list[int] = []
    energy_asked: list[float] = []  # the curve's energy where each chosen track starts
    elapsed = 0.0
    while elapsed < minutes * 60 - 0.5 * float(np.median(seconds)) and available.any():
        target = float(np.interp(elapsed / (minutes * 60), np.linspace(0, 1, len(curve)), curve))
        score = base - WEIGHTS["energy"] * np.abs(energies - target)
        if chosen or previous is not None:
            before = chosen[-1] if chosen else previous
            score = score - WEIGHTS["tempo"] * _tempo_jump(tempos, tempos[before]) - WEIGHTS["key"] * _steps(wheel, before) / 6
        allowed = available.copy()
        for recent in [*before_artists, *(artists[c] for c in chosen)][-ARTIST_GAP:]:
            allowed &= artists != recent
        if not allowed.any():
            allowed = available
        pick = int(np.argmax(np.where(allowed, score, -np.inf)))
        chosen.append(pick)
        energy_asked.append(target)
        available[pick] = False
        elapsed += seconds[pick]
    start = np.concatenate([[0.0], np.cumsum(seconds[chosen])[:-1]]) if chosen else []
    return {"context": context.strip(), "valence": round(valence, 3), "energy": round(energy, 3), "minutes": minutes,
            "seconds": round(float(seconds[chosen].sum()), 1),
            "tracks": [{"id": ids[i], "title": str(tracks["title"][i]), "artist": str(tracks["artist"][i]),
                        "genre": str(tracks["genre"][i]), "tempo": round(float(tracks["tempo"][i]), 1), "key": str(tracks["key"][i]),
                        "energy": round(float(tracks["energy"][i]), 3), "valence": round(float(tracks["valence"][i]), 3),
                        "energy_asked": round(a, 3), "starts_at": round(float(s), 1), "seconds": round(float(seconds[i]), 1),
                        "ai": bool(tracks["ai"][i])}
                       for i, s, a in zip(chosen, start, energy_asked)]}


def plan_requested(context: str, tracks: dict, minutes: float, requests: Sequence[DjRequest] = (), per_set: int = 4,
                   taste: np.ndarray | None = None, played: Sequence[str] = (), freshness: float = 0.3) -> dict:
    """A DJ's playlist for `context`, moved by listeners' `requests` (`catalog.requests`): the
    first set of `per_set` tracks is planned for the context; each request was heard during a set
    and moves the next one on (the last request, the rest of the time), starting from where the
    set is: the mean (valence, energy) of the set playing when it was asked, moved by a direction
    and held level (calmer means calmer than now, at once), with tracks like (or unlike) the last
    one favoured; a phrase joins the context. The first track a request moved carries it ("request")."""
    content = content_vectors(tracks)  # once, for every set
    made = plan_playlist(context, tracks, minutes, taste, played, freshness, content=content)
    chosen = made["tracks"][:per_set] if requests else made["tracks"]
    for n, request in enumerate(requests):
        left = minutes * 60 - sum(float(t["seconds"]) for t in chosen)
        if not chosen or left < 30:
            break
        playing, heard = chosen[-1], chosen[-per_set:]
        point = tuple(float(np.clip(np.mean([t[name] for t in heard]) + step, 0.05, 0.95))
                      for name, step in zip(("valence", "energy"), request.move))
        moved = plan_playlist(context, tracks, max(left / 60, MINUTES[0]), taste, played, freshness, point=point,
                              toward=(playing["id"], request.likeness) if request.likeness else None,
                              after=playing["id"], used=[t["id"] for t in chosen], level=True,
                              asked=None if request.direction else request.text, content=content)["tracks"]
        lengths = np.array([t["seconds"] for t in moved])
        moved = moved[:max(1, int(np.sum(np.cumsum(lengths) - 0.5 * lengths < left)))]  # under a minute left: what fits it
        moved = moved if n == len(requests) - 1 else moved[:per_set]
        if moved:
            moved[0] = moved[0] | {"request": request.to_dict() | {"n": n}}
        chosen += moved
    start = np.concatenate([[0.0], np.cumsum([t["seconds"] for t in chosen])[:-1]])
    return made | {"tracks": [t | {"starts_at": round(float(s), 1)} for t, s in zip(chosen, start)],
                   "seconds": round(sum(float(t["seconds"]) for t in chosen), 1),
                   "requests": [r.to_dict() for r in requests]}


def _row(ids: np.ndarray, track_id: object) -> int | None:
    """The row of the track `track_id` in `ids` (None when the catalogue has no such track)."""
    hit = np.flatnonzero(ids == str(track_id))
    return int(hit[0]) if hit.size else None


def _scaled(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    span = float(values.max() - values.min()) if values.size else 0.0
    return (values - values.min()) / span if span > 0 else np.zeros_like(values)


def _tempo_jump(tempos: np.ndarray, before: float) -> np.ndarray:
    """How far each tempo is from `before`, in octaves, half and double time counting as close."""
    ratio = np.abs(np.log2(np.maximum(tempos, 1.0) / max(before, 1.0)))
    return np.minimum(ratio, np.abs(ratio - 1.0))


def _wheel(keys: Sequence[str]) -> np.ndarray:
    """(number 1-12, 1 for minor) per key on the Camelot wheel; (0, 0) for a key not known."""
    codes = {k: camelot(k) for k in set(keys) if k}
    return np.array([(int(codes[k][:-1]), codes[k][-1] == "A") if k else (0, 0) for k in keys], dtype=int)


def _steps(wheel: np.ndarray, before: int) -> np.ndarray:
    """Camelot steps from track `before` to each track (3, a middling move, where a key is not known)."""
    apart = np.abs(wheel[:, 0] - wheel[before, 0])
    steps = np.minimum(apart, 12 - apart) + (wheel[:, 1] != wheel[before, 1])
    return np.where((wheel[:, 0] == 0) | (wheel[before, 0] == 0), 3, steps).astype(float)


def transitions(playlist: dict) -> dict:
    """How smooth a playlist's moves are: the mean tempo jump (octaves) and Camelot steps between
    neighbours, and the smallest gap between two tracks of one artist."""
    t = playlist["tracks"]
    jumps = [float(_tempo_jump(np.array([b["tempo"]]), a["tempo"])[0]) for a, b in zip(t, t[1:])]
    steps = [camelot_distance(a["key"], b["key"]) for a, b in zip(t, t[1:]) if a["key"] and b["key"]]
    gaps = [j - i for i in range(len(t)) for j in range(i + 1, len(t)) if t[i]["artist"] == t[j]["artist"]]
    return {"tempo_jump": float(np.mean(jumps)) if jumps else 0.0, "key_steps": float(np.mean(steps)) if steps else 0.0,
            "artist_gap": min(gaps) if gaps else math.inf}
