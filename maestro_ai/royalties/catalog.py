"""Who is paid for a track: its rights holders and their shares, with remixes paying the tracks
they were made from. A catalogue CSV has the columns track_id, holder_id, share (a decimal
fraction: 0.25) and parent_track_id: a row with a parent and no holder gives that share of the
track's money to the parent track's own holders, through any chain of remixes of remixes.
Optional columns say what a track is: artist_id (who performs it; default its first holder),
ai (true when the work is AI-generated) and kind (music, or noise: rain, white noise, ...).

Shares are kept exact (Fractions): a track's shares must add up to exactly 1, and the shares a
chain composes still do.

>>> rows = [{"track_id": "orig", "holder_id": "ada", "share": "1", "parent_track_id": ""},
...         {"track_id": "remix", "holder_id": "bob", "share": "0.6", "parent_track_id": ""},
...         {"track_id": "remix", "holder_id": "", "share": "0.4", "parent_track_id": "orig"}]
>>> flatten(read_rows(rows))["remix"]
{'bob': Fraction(3, 5), 'ada': Fraction(2, 5)}
>>> lineage(read_rows(rows))["remix"][("ada", "orig")]
Fraction(2, 5)
"""
from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path

from maestro_ai.core.errors import InvalidRequest

COLUMNS = ("track_id", "holder_id", "share")
KINDS = ("music", "noise")
Shares = dict[str, dict[str, Fraction]]  # track -> holder -> share of the track's money
Lineage = dict[str, dict[tuple[str, str], Fraction]]  # track -> (holder, the chain it came through) -> share
_SHARES: dict[str, Fraction] = {}  # share texts already read


@dataclass(frozen=True)
class TrackFacts:
    """What a track is, for the models that treat tracks differently."""
    artist: str
    ai: bool = False
    kind: str = "music"


def read_facts(rows: Iterable[dict]) -> dict[str, TrackFacts]:
    """Each track's artist, AI flag and kind from the catalogue rows (the first row that says,
    per track; the artist defaults to the track's first holder, or the track itself)."""
    said: dict[str, dict] = {}
    for number, row in enumerate(rows, start=2):
        track = (row.get("track_id") or "").strip()
        facts = said.setdefault(track, {})
        for column in ("artist_id", "holder_id"):
            if (row.get(column) or "").strip() and column not in facts:
                facts[column] = row[column].strip()
        if (row.get("ai") or "").strip() and "ai" not in facts:
            value = row["ai"].strip().lower()
            if value not in ("true", "false", "1", "0", "yes", "no"):
                raise InvalidRequest(f"catalogue line {number}: ai is true or false, not {row['ai']!r:.20}")
            facts["ai"] = value in ("true", "1", "yes")
        if (row.get("kind") or "").strip() and "kind" not in facts:
            if row["kind"].strip().lower() not in KINDS:
                raise InvalidRequest(f"catalogue line {number}: kind is {' or '.join(KINDS)}, not {row['kind']!r:.20}")
            facts["kind"] = row["kind"].strip().lower()
    return {track: TrackFacts(f.get("artist_id") or f.get("holder_id") or track, f.get("ai", False), f.get("kind", "music"))
            for track, f in said.items()}


def _share(text: str, where: str) -> Fraction:
    known = _SHARES.get(text)  # a catalogue repeats a few shares (1, 0.5, 0.3) over millions of rows
    if known is not None:
        return known
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise InvalidRequest(f"{where}: share {text!r:.20} is not a decimal fraction like 0.25") from None
    if not value.is_finite() or not 0 < value <= 1:
        raise InvalidRequest(f"{where}: share {text!r:.20} must be above 0 and at most 1")
    if len(_SHARES) < 10_000:
        _SHARES[text] = Fraction(value)
    return Fraction(value)


def read_rows(rows: Iterable[dict]) -> dict[str, list[tuple[str | None, str | None, Fraction]]]:
    """Each track's rows as (holder, parent, share), checked: a row names a holder or a parent
    (not both), and a track's shares add up to exactly 1."""
    tracks: dict[str, list] = {}
    for number, row in enumerate(rows, start=2):  # line 1 is the header
        where = f"catalogue line {number}"
        track = (row.get("track_id") or "").strip()
        holder = (row.get("holder_id") or "").strip() or None
        parent = (row.get("parent_track_id") or "").strip() or None
        if not track:
            raise InvalidRequest(f"{where}: no track_id")
        if (holder is None) == (parent is None):
            raise InvalidRequest(f"{where}: a row names a holder_id or a parent_track_id (the track a remix pays), one of them")
        tracks.setdefault(track, []).append((holder, parent, _share(row.get("share", ""), where)))
    for track, shares in tracks.items():
        total = shares[0][2] if len(shares) == 1 else sum(share for _, _, share in shares)
        if total != 1:
            raise InvalidRequest(f"track {track!r}: shares add up to {float(total) * 100:g} %, not 100 %")
    return tracks


@dataclass(frozen=True)
class Catalog:
    """Every track's payees: each holder and the remix chain their share came through (`lineage`),
    and what each track is (`facts`)."""
    lineage: Lineage
    facts: dict[str, TrackFacts]

    @classmethod
    def from_rows(cls, rows: list[dict]) -> Catalog:
        return cls(lineage(read_rows(rows)), read_facts(rows))


def read_catalog(path: Path | str) -> Catalog:
    """The catalogue CSV at `path`, checked (read_rows)."""
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if missing := [c for c in COLUMNS if c not in (reader.fieldnames or [])]:
                raise InvalidRequest(f"catalogue {str(path)!r} lacks the column(s) {', '.join(missing)}; "
                                     f"it has {', '.join(reader.fieldnames or []) or 'none'}")
            return Catalog.from_rows(list(reader))
    except OSError as exc:
        raise InvalidRequest(f"cannot read the catalogue {str(path)!r}: {exc.strerror}") from None


def lineage(tracks: dict[str, list[tuple[str | None, str | None, Fraction]]]) -> Lineage:
    """Every track's money as (holder, through) -> share: `through` is "" for the track's own
    holders, else the chain of parent tracks the share came down ("a", "a > b"), followed to the
    holders at its end (a parent that is not in the catalogue, or a chain that comes back to
    itself, is an error)."""
    done: Lineage = {}

    def payees_of(track: str, chain: tuple[str, ...]) -> dict[tuple[str, str], Fraction]:
        if track in done:
            return done[track]
        if track in chain:
            raise InvalidRequest(f"remix lineage loops: {' -> '.join((*chain, track))}")
        if track not in tracks:
            raise InvalidRequest(f"track {chain[-1]!r} pays parent {track!r}, which is not in the catalogue")
        rows = tracks[track]
        if len(rows) == 1 and rows[0][0] is not None:  # most tracks: one holder owns it all
            done[track] = {(rows[0][0], ""): rows[0][2]}
            return done[track]
        result: dict[tuple[str, str], Fraction] = {}
        for holder, parent, share in rows:
            if holder is not None:
                result[(holder, "")] = result.get((holder, ""), Fraction(0)) + share
            else:
                for (who, path), part in payees_of(parent, (*chain, track)).items():
                    key = (who, f"{parent} > {path}" if path else parent)
                    result[key] = result.get(key, Fraction(0)) + share * part
        done[track] = result
        return result

    for track in tracks:
        payees_of(track, ())
    return done


def flatten(tracks: dict[str, list[tuple[str | None, str | None, Fraction]]]) -> Shares:
    """Every track's money as holder -> share (`lineage` with the chains added up)."""
    shares: Shares = {}
    for track, payees in lineage(tracks).items():
        holders = shares[track] = {}
        for (holder, _), share in payees.items():
            holders[holder] = holders.get(holder, Fraction(0)) + share
    return shares


def registry_rows(works: list[dict]) -> list[dict]:
    """Catalogue rows from the rights registry's works (`Registry.listing()["works"]`): each work
    is a track whose id is the work's id, performed by its owner; a remix pays each parent the
    parts per million its link carries, and its owners share the rest.

    >>> registry_rows([{"id": 3, "owner": "Ada", "shares": {"Ada": 7000, "Bob": 3000}}])[1]
    {'track_id': '3', 'holder_id': 'Bob', 'share': '0.3', 'artist_id': 'Ada'}
    >>> [(r["holder_id"] or r["parent_track_id"], r["share"]) for r in registry_rows(
    ...     [{"id": 4, "owner": "Bob", "shares": {"Bob": 10000}, "parents": [{"work": 3, "ppm": 400000}]}])]
    [('3', '0.4'), ('Bob', '0.6')]
    """
    rows = []
    for work in works:
        track, artist = str(work["id"]), work["owner"]
        parents = [p for p in work.get("parents", ()) if p["ppm"] > 0]
        rest = Decimal(1_000_000 - sum(p["ppm"] for p in parents)) / 1_000_000
        rows += [{"track_id": track, "holder_id": "", "share": str(Decimal(p["ppm"]) / 1_000_000),
                  "parent_track_id": str(p["work"]), "artist_id": artist} for p in parents]
        if rest > 0:
            rows += [{"track_id": track, "holder_id": name, "share": str(Decimal(points) / 10_000 * rest), "artist_id": artist}
                     for name, points in work["shares"].items()]
    return rows
