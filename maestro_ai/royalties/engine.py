"""The royalty engine: SQL over the play log on DuckDB (embedded; the same statements run on a
distributed SQL engine when a catalogue outgrows one machine), money in integer minor units.

A run takes a period's plays (CSV or Parquet: user_id, track_id, played_at in ISO 8601 UTC,
ms_played, tier, country), its revenue pool (CSV: period, country, tier, amount in minor units,
currency) and the catalogue's shares (royalties.catalog). Each pool (a country and tier) is
shared out under a model:

- pro-rata (streamshare): in proportion to each track's eligible streams. With Spotify's 2024
  rule (`min_streams`, default 1,000), a track with fewer eligible streams earns nothing and its
  share goes to the others. Spotify counts the trailing 12 months; a run counts the plays it is
  given.
- user-centric (SoundCloud's fan-powered royalties): the pool is shared equally among the
  subscribers who listened, and each subscriber's part among the tracks they played, by plays.
  A subscriber's part is carried to a trillionth of a unit (SCALE), and the pool is rounded to
  whole units once, per track: a track heard by many listeners is not rounded once for each.
- artist-centric (Deezer and Universal, 2023): streams of a professional artist (at least
  PRO_STREAMS streams from PRO_LISTENERS listeners in the period) count double, and so do streams
  the listener sought out (the log's optional `source` column: search or library); noise earns
  nothing.

AI-generated works (the catalogue's `ai` column) can count for less (`ai_weight`: a stream of
an AI work weighs that much of another's) or be paid from a share of each pool of their own
(`ai_pool`); the summary shows what human artists earn per stream under those settings and what
they would earn if AI works were paid like theirs (the "royalty dilution").

Money is never rounded away: every split (pool -> tracks, track -> holders) gives each part the
floor of its exact share and the units left one each to the largest remainders (ties by id), so
the parts add up to the whole to the unit. A pool with no eligible
play is reported as unallocated, never spent.

Plays not paid, and why (`excluded`): outside the period; under 30 seconds; the same listener
playing the same track more than LOOP_PLAYS times in a UTC day (the plays past that); a listener
with more than BOT_PLAYS plays in a UTC day (all of that day's).
"""
from __future__ import annotations

import csv
import datetime
import json
import os
import re
from dataclasses import dataclass, field
from fractions import Fraction
from math import lcm
from pathlib import Path
from typing import TYPE_CHECKING

from maestro_ai.core.errors import InvalidRequest, unknown_choice
from maestro_ai.royalties.catalog import Catalog

if TYPE_CHECKING:
    import duckdb

MODELS = ("pro-rata", "user-centric", "artist-centric")
MIN_PLAY_MS = 30_000  # a stream counts from 30 seconds (every service's rule)
LOOP_PLAYS = 10  # plays of one track by one listener in a UTC day that still count
BOT_PLAYS = 500  # plays by one listener in a UTC day past which none of that day counts
MIN_STREAMS = 1_000  # Spotify (2024): fewer eligible streams in the period earn nothing
SCALE = 10**12  # user-centric: a listener's part of a pool, split over their plays, in trillionths of a unit
PRO_STREAMS, PRO_LISTENERS = 1_000, 500  # Deezer (2023): a "professional artist", whose streams count double
SOUGHT = ("search", "library")  # a stream the listener sought out (Deezer: counts double), by the log's `source`
PLAY_COLUMNS = ("user_id", "track_id", "played_at", "ms_played", "tier", "country")
POOL_COLUMNS = ("period", "country", "tier", "amount", "currency")


@dataclass
class Settings:
    """How a run pays: the model, the pro-rata threshold (0: none), what a stream of an AI work
    weighs against another (1: the same), and the share of each pool kept for AI works (None:
    one pool for all)."""
    model: str = "pro-rata"
    min_streams: int = MIN_STREAMS
    ai_weight: Fraction = Fraction(1)
    ai_pool: Fraction | None = None

    def check(self) -> Settings:
        if self.model not in MODELS:
            raise unknown_choice("royalty model", str(self.model), list(MODELS))
        if not isinstance(self.min_streams, int) or self.min_streams < 0:
            raise InvalidRequest(f"min_streams must be a whole number of streams, not {self.min_streams!r:.20}")
        self.ai_weight = _fraction(self.ai_weight, "ai_weight", allow_zero=True)
        if self.ai_pool is not None:
            self.ai_pool = _fraction(self.ai_pool, "ai_pool", allow_zero=True)
        return self


def _fraction(value: object, name: str, allow_zero: bool) -> Fraction:
    try:
        number = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        raise InvalidRequest(f"{name} is a fraction from 0 to 1, like 0.5, not {value!r:.20}") from None
    if not (0 <= number <= 1) or (number == 0 and not allow_zero) or number.denominator > 10**6:
        raise InvalidRequest(f"{name} is a fraction from 0 to 1 (at most six decimals), not {value!r:.20}")
    return number


@dataclass
class Result:
    """A run's files in `folder`, written by DuckDB as it goes (a month's statements and exclusions
    can be millions of rows: they never pass through Python whole): statements.csv (holder_id,
    track_id, through, country, tier, currency, amount; `through`: the remix chain a holder is
    paid down, empty for their own track), statements.json (per holder) and excluded.csv
    (user_id, track_id, played_at, ms_played, reason); and the `summary`."""
    folder: Path
    summary: dict = field(default_factory=dict)

    FILES = ("statements.csv", "statements.json", "excluded.csv")

    def _rows(self, name: str) -> list[tuple]:
        with open(self.folder / name, newline="", encoding="utf-8") as handle:
            return [(*row[:-1], int(row[-1])) if name == "statements.csv" else (*row[:3], int(row[3]), row[4])
                    for row in list(csv.reader(handle))[1:]]

    @property
    def statements(self) -> list[tuple]:
        """statements.csv's rows, amounts as ints (for a small run: it reads the whole file)."""
        return self._rows("statements.csv")

    @property
    def excluded(self) -> list[tuple]:
        return self._rows("excluded.csv")


def period_bounds(period: str) -> tuple[datetime.datetime, datetime.datetime]:
    """The UTC month a period names, [start, end).

    >>> period_bounds("2026-10")
    (datetime.datetime(2026, 10, 1, 0, 0, tzinfo=datetime.timezone.utc), datetime.datetime(2026, 11, 1, 0, 0, tzinfo=datetime.timezone.utc))
    """
    if not isinstance(period, str) or not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", period):
        raise InvalidRequest(f"a period is a month, YYYY-MM, not {period!r:.20}")
    year, month = map(int, period.split("-"))
    start = datetime.datetime(year, month, 1, tzinfo=datetime.UTC)
    return start, datetime.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=datetime.UTC)


def _source(path: Path) -> str:
    """The DuckDB table function that reads the file at `path`, every column as text."""
    if not Path(path).is_file():
        raise InvalidRequest(f"no file {str(path)!r}")
    if str(path).lower().endswith(".parquet"):
        return f"read_parquet('{_quoted(path)}')"
    return f"read_csv('{_quoted(path)}', header = true, all_varchar = true)"


def _columns(db: duckdb.DuckDBPyConnection, source: str, needed: tuple[str, ...], what: str) -> list[str]:
    """The file's columns (an error naming the missing ones)."""
    have = [row[0] for row in db.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
    if missing := [c for c in needed if c not in have]:
        raise InvalidRequest(f"the {what} lacks the column(s) {', '.join(missing)}; it has {', '.join(have) or 'none'}")
    return have


def _first(db: duckdb.DuckDBPyConnection, query: str) -> tuple | None:
    return db.execute(query).fetchone()


def load_plays(db: duckdb.DuckDBPyConnection, path: Path, scratch: Path) -> None:
    """The play log as the view `plays` (line, user_id, track_id, played_at, ms_played, tier,
    country, source), every value checked first (one bad row is an error naming its line in a
    CSV file, the header being line 1, or its row in a Parquet file). A Parquet log of the right
    types is read where it lies, each query reading only the columns it needs (a month of plays
    is never held in memory); any other log is written once, typed, to Parquet in `scratch`."""
    source = _source(path)
    have = _columns(db, source, PLAY_COLUMNS, f"play log {str(path)!r}")
    types = dict(db.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM {source})").fetchall())
    where = "line" if source.startswith("read_csv") else "row"
    source_column = "lower(CAST(source AS VARCHAR))" if "source" in have else "CAST(NULL AS VARCHAR)"
    db.execute(f"CREATE TEMP VIEW numbered AS SELECT row_number() OVER () + {1 if where == 'line' else 0} AS line, * FROM {source}")
    if types["played_at"] == "TIMESTAMP":
        raise InvalidRequest("the play log's played_at has no time zone: write it in UTC (TIMESTAMPTZ, or text ending in Z)")
    text_time = types["played_at"] != "TIMESTAMP WITH TIME ZONE"  # text: an ISO 8601 time that says it is UTC
    checks = {
        "time": ("TRY_CAST(played_at AS TIMESTAMPTZ) IS NULL OR NOT regexp_matches(CAST(played_at AS VARCHAR), "
                 "'(Z|[+-]00:?00)$')") if text_time else "false",
        "duration": "TRY_CAST(ms_played AS BIGINT) IS NULL OR TRY_CAST(ms_played AS BIGINT) < 0",
        "empty": " OR ".join(f"coalesce(CAST({c} AS VARCHAR), '') = ''" for c in ("user_id", "track_id", "tier", "country")),
    }
    # one pass over the file to know whether anything is wrong; the line is looked for only then
    found = db.execute("SELECT " + ", ".join(f"coalesce(bool_or({c}), false)" for c in checks.values())
                       + f" FROM {source}").fetchone()
    for (check, condition), wrong in zip(checks.items(), found, strict=True):
        if not wrong:
            continue
        line, time_, duration = db.execute(f"SELECT line, played_at, ms_played FROM numbered WHERE {condition} "
                                           "ORDER BY line LIMIT 1").fetchone()
        raise InvalidRequest(f"play log {where} {line}: " + {
            "time": f"played_at {str(time_)!r:.40} is not an ISO 8601 time in UTC (like 2026-10-05T21:14:03Z)",
            "duration": f"ms_played {str(duration)!r:.20} is not a duration in milliseconds (0 or more)",
            "empty": "user_id, track_id, tier and country may not be empty"}[check])
    typed = ("CAST(user_id AS VARCHAR) AS user_id, CAST(track_id AS VARCHAR) AS track_id, CAST(played_at AS TIMESTAMPTZ) AS played_at, "
             f"CAST(ms_played AS BIGINT) AS ms_played, CAST(tier AS VARCHAR) AS tier, CAST(country AS VARCHAR) AS country, "
             f"{source_column} AS source")
    native = where == "row" and not text_time and all(types[c] == "VARCHAR" for c in ("user_id", "track_id", "tier", "country")) \
        and types["ms_played"] in ("BIGINT", "INTEGER", "SMALLINT", "UBIGINT", "UINTEGER", "USMALLINT")
    if native:
        db.execute(f"CREATE TEMP VIEW plays AS SELECT file_row_number + 1 AS line, {typed} "
                   f"FROM read_parquet('{_quoted(path)}', file_row_number = true)")
    else:
        copy = scratch / "plays.parquet"
        db.execute(f"COPY (SELECT line, {typed} FROM numbered) TO '{_quoted(copy)}' (FORMAT parquet)")
        db.execute(f"CREATE TEMP VIEW plays AS SELECT * FROM read_parquet('{_quoted(copy)}')")
    db.execute("DROP VIEW numbered")


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def load_pool(db: duckdb.DuckDBPyConnection, path: Path, period: str) -> None:
    """The period's revenue pools as the table `pool` (country, tier, amount, currency)."""
    source = _source(path)
    _columns(db, source, POOL_COLUMNS, f"revenue pool {str(path)!r}")
    db.execute(f"""CREATE TEMP TABLE pool AS SELECT CAST(country AS VARCHAR) AS country, CAST(tier AS VARCHAR) AS tier,
                   CAST(amount AS VARCHAR) AS amount, CAST(currency AS VARCHAR) AS currency
                   FROM {source} WHERE CAST(period AS VARCHAR) = ?""", [period])
    bad = _first(db, "SELECT amount FROM pool WHERE NOT regexp_matches(amount, '^[0-9]+$') LIMIT 1")
    if bad:
        raise InvalidRequest(f"revenue pool: amount {bad[0]!r:.20} is not a whole number of minor units (cents)")
    bad = _first(db, "SELECT country, tier FROM pool GROUP BY ALL HAVING count(*) > 1 LIMIT 1")
    if bad:
        raise InvalidRequest(f"revenue pool: {bad[0]} {bad[1]} appears twice for {period}")
    if _first(db, "SELECT count(*) FROM pool")[0] == 0:
        raise InvalidRequest(f"revenue pool {str(path)!r} has nothing for the period {period}")
    db.execute("CREATE OR REPLACE TEMP TABLE pool AS SELECT country, tier, CAST(amount AS HUGEINT) AS amount, currency FROM pool")


def load_catalog(db: duckdb.DuckDBPyConnection, catalog: Catalog, folder: Path) -> None:
    """The catalogue as the tables `shares` (track_id, holder_id, through: the remix chain the
    share came down, "" for the track's own holders; payee: the two together; weight: each
    track's shares as whole numbers over one denominator, so they split money exactly) and
    `tracks` (track_id, artist_id, ai, kind)."""
    with open(folder / "shares.csv", "w", encoding="utf-8") as out:
        out.write("track_id,holder_id,through,weight\n")
        for track, payees in catalog.lineage.items():
            common = lcm(*(share.denominator for share in payees.values()))
            for (holder, through), share in payees.items():
                out.write(f"{_csv(track)},{_csv(holder)},{_csv(through)},{share.numerator * (common // share.denominator)}\n")
    with open(folder / "tracks.csv", "w", encoding="utf-8") as out:
        out.write("track_id,artist_id,ai,kind\n")
        for track, facts in catalog.facts.items():
            out.write(f"{_csv(track)},{_csv(facts.artist)},{str(facts.ai).lower()},{facts.kind}\n")
    db.execute(f"""CREATE TEMP TABLE shares AS SELECT track_id, holder_id, coalesce(through, '') AS through,
                   holder_id || chr(31) || coalesce(through, '') AS payee, weight
                   FROM read_csv('{folder / 'shares.csv'}', header = true,
                   columns = {{'track_id': 'VARCHAR', 'holder_id': 'VARCHAR', 'through': 'VARCHAR', 'weight': 'HUGEINT'}})""")
    db.execute(f"CREATE TEMP TABLE tracks AS SELECT * FROM read_csv('{folder / 'tracks.csv'}', header = true, "
               "columns = {'track_id': 'VARCHAR', 'artist_id': 'VARCHAR', 'ai': 'BOOLEAN', 'kind': 'VARCHAR'})")


def _csv(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text


def allocate(parents: str, children: str, keys: tuple[str, ...], child: str) -> str:
    """SQL: the `amount` of each row of `parents` (keyed by `keys`) shared among the rows of
    `children` with the same keys in proportion to their `weight` (largest remainders, ties by
    `child`): rows (*keys, child, amount) whose amounts add up to each parent's exactly."""
    k = ", ".join(keys)
    on = " AND ".join(f"c.{x} = p.{x}" for x in keys)
    return f"""
        WITH c AS (SELECT {k}, {child}, CAST(weight AS HUGEINT) AS weight,
                          SUM(CAST(weight AS HUGEINT)) OVER (PARTITION BY {k}) AS total FROM {children} WHERE weight > 0),
        b AS (SELECT c.*, p.amount, (p.amount * c.weight) // c.total AS base, (p.amount * c.weight) % c.total AS rest
              FROM c JOIN {parents} p ON {on}),
        r AS (SELECT *, row_number() OVER (PARTITION BY {k} ORDER BY rest DESC, {child}) AS place,
                     amount - SUM(base) OVER (PARTITION BY {k}) AS leftover FROM b)
        SELECT {k}, {child}, CAST(base + CASE WHEN place <= leftover THEN 1 ELSE 0 END AS HUGEINT) AS amount FROM r"""


def exclude(db: duckdb.DuckDBPyConnection, period: str | None) -> None:
    """Judge every play: the view `eligible` (the plays paid: user_id, track_id, played_at,
    ms_played, country, tier, source) and the view `excluded` (the others, with why); `period`
    None: plays at any time (Reserved's fraud filters). Plays are read where they lie, a few
    columns at a time; the day counts are aggregates, and plays are numbered within a listener's
    day of one track only where that day has more plays than a loop allows (few): found first by
    a hash of listener, track and day, so no query groups a month's plays by three keys."""
    start, end = (f"TIMESTAMPTZ '{bound.isoformat()}'" for bound in period_bounds(period)) if period is not None \
        else ("TIMESTAMPTZ '0001-01-01T00:00:00Z'", "TIMESTAMPTZ '9999-12-31T00:00:00Z'")
    db.execute("CREATE TEMP VIEW days AS SELECT *, CAST(played_at AS DATE) AS day FROM plays")  # the session's zone is UTC
    db.execute(f"CREATE TEMP TABLE bot_days AS SELECT user_id, day, count(*) AS day_plays FROM days GROUP BY ALL "
               f"HAVING count(*) > {BOT_PLAYS}")
    # a hash shared by two listener-days of a track can only add plays: every real loop is found
    db.execute(f"CREATE TEMP TABLE loop_keys AS SELECT hash(user_id, track_id, day) AS k FROM days GROUP BY k "
               f"HAVING count(*) > {LOOP_PLAYS}")
    looping = "days SEMI JOIN loop_keys ON hash(user_id, track_id, day) = k" if _first(db, "SELECT count(*) FROM loop_keys")[0] \
        else "(SELECT * FROM days LIMIT 0)"  # no loop: the plays are not read again
    db.execute(f"""CREATE TEMP TABLE looped AS SELECT line, nth FROM (
                       SELECT line, row_number() OVER (PARTITION BY user_id, track_id, day ORDER BY played_at, line) AS nth
                       FROM {looping}) WHERE nth > {LOOP_PLAYS}""")
    fair = f"played_at >= {start} AND played_at < {end} AND ms_played >= {MIN_PLAY_MS}"
    joins = " ANTI JOIN bot_days USING (user_id, day)" if _first(db, "SELECT count(*) FROM bot_days")[0] else ""
    joins += " ANTI JOIN looped USING (line)" if _first(db, "SELECT count(*) FROM looped")[0] else ""
    db.execute(f"CREATE TEMP VIEW eligible AS SELECT user_id, track_id, played_at, ms_played, country, tier, source "
               f"FROM days{joins} WHERE {fair}")
    db.execute(f"""
        CREATE TEMP VIEW excluded AS SELECT * FROM (
            SELECT d.line, d.user_id, d.track_id, d.played_at, d.ms_played, CASE
                WHEN d.played_at < {start} OR d.played_at >= {end} THEN 'outside the period'
                WHEN d.ms_played < {MIN_PLAY_MS} THEN 'under 30 seconds'
                WHEN b.day_plays IS NOT NULL THEN 'bot-like: ' || b.day_plays || ' plays by one listener in a day'
                WHEN l.nth IS NOT NULL THEN 'on a loop: play ' || l.nth || ' of one track by one listener in a day'
            END AS reason
            FROM days d LEFT JOIN bot_days b USING (user_id, day) LEFT JOIN looped l USING (line))
        WHERE reason IS NOT NULL""")


def count_plays(db: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """The eligible plays counted, a pass over them each: `track_plays` (country, tier, track_id,
    sought, n) for every model, and for user-centric `listener_plays` (country, tier, user_id,
    ai, n: each listener's plays of human and of AI works)."""
    sought = f"coalesce(source IN ({', '.join(repr(s) for s in SOUGHT)}), false)" if settings.model == "artist-centric" else "false"
    db.execute(f"CREATE TEMP TABLE track_plays AS SELECT country, tier, track_id, {sought} AS sought, count(*) AS n "
               "FROM eligible GROUP BY ALL")
    if settings.model == "user-centric":  # (which plays are of AI works matters only when they are paid apart)
        ai, joined = ("t.ai", "eligible e JOIN tracks t USING (track_id)") if _ai_apart(settings) else ("false", "eligible e")
        db.execute(f"CREATE TEMP TABLE listener_plays AS SELECT e.country, e.tier, e.user_id, {ai} AS ai, count(*) AS n "
                   f"FROM {joined} GROUP BY ALL")


def _ai_apart(settings: Settings) -> bool:
    """Whether a run pays AI works otherwise than the others."""
    return settings.ai_weight != 1 or settings.ai_pool is not None


def _weights(db: duckdb.DuckDBPyConnection, settings: Settings, name: str) -> None:
    """`{name}_weights`: what each track weighs in each pool's part (all, or human and ai) under
    the model, a whole number. Pro-rata and artist-centric: its eligible plays times the model's
    factors. User-centric: the sum, over its plays, of the listener's part of the pool split
    over their plays, in units of 1/SCALE of a minor unit (each listener's part is rounded once
    there, down by at most that much; the pool is then rounded to whole units once, per track)."""
    ai = settings.ai_weight
    factors = [f"CASE WHEN t.ai THEN {ai.numerator} ELSE {ai.denominator} END"] if ai != 1 else []
    part = "CASE WHEN t.ai THEN 'ai' ELSE 'human' END" if settings.ai_pool is not None else "'all'"
    if settings.model == "user-centric":
        weight = " * ".join(f"CAST({f} AS HUGEINT)" for f in ["1", *factors])
        db.execute(f"""CREATE TEMP TABLE {name}_value AS
                       WITH l AS (SELECT country, tier, {part} AS part, user_id, SUM(n * {weight}) AS w
                                  FROM listener_plays t GROUP BY ALL HAVING SUM(n * {weight}) > 0)
                       SELECT l.country, l.tier, l.part, l.user_id,
                              (CAST(p.amount AS HUGEINT) * {SCALE}) // (count(*) OVER (PARTITION BY l.country, l.tier, l.part) * l.w) AS v
                       FROM l JOIN {name}_pool p USING (country, tier, part)""")
        tracks = "JOIN tracks t USING (track_id)" if _ai_apart(settings) else ""
        db.execute(f"""CREATE TEMP VIEW {name}_weights AS SELECT e.country, e.tier, v.part, e.track_id, SUM({weight} * v.v) AS weight
                       FROM eligible e {tracks} JOIN {name}_value v
                            ON v.country = e.country AND v.tier = e.tier AND v.user_id = e.user_id AND v.part = {part}
                       GROUP BY ALL""")
        return
    joins = ""
    if settings.model == "pro-rata" and settings.min_streams:
        joins += (f" LEFT JOIN (SELECT track_id, true AS counts FROM track_plays GROUP BY track_id "
                  f"HAVING SUM(n) >= {settings.min_streams}) c USING (track_id)")
        factors.append("CASE WHEN c.counts THEN 1 ELSE 0 END")
    if settings.model == "artist-centric":
        # each artist's listeners counted as groups (a fifth faster than count(DISTINCT) at 100 million plays)
        db.execute(f"""CREATE TEMP TABLE IF NOT EXISTS pro_artists AS SELECT artist_id, true AS pro FROM (
                           SELECT t.artist_id, e.user_id, count(*) AS n FROM eligible e JOIN tracks t USING (track_id) GROUP BY ALL)
                       GROUP BY artist_id HAVING SUM(n) >= {PRO_STREAMS} AND count(*) >= {PRO_LISTENERS}""")
        joins += " LEFT JOIN pro_artists a USING (artist_id)"
        factors += ["CASE WHEN t.kind = 'noise' THEN 0 ELSE 1 END", "CASE WHEN a.pro THEN 2 ELSE 1 END",
                    "CASE WHEN e.sought THEN 2 ELSE 1 END"]
    weight = " * ".join(f"CAST({f} AS HUGEINT)" for f in ["e.n", *factors])
    db.execute(f"""CREATE TEMP VIEW {name}_weights AS SELECT e.country, e.tier, {part} AS part, e.track_id, SUM({weight}) AS weight
                   FROM track_plays e JOIN tracks t USING (track_id){joins} GROUP BY ALL""")


def _pool_parts(db: duckdb.DuckDBPyConnection, settings: Settings, name: str) -> None:
    """`{name}_pool`: each pool, or each pool's human and AI parts (largest remainders)."""
    if settings.ai_pool is None:
        db.execute(f"CREATE TEMP TABLE {name}_pool AS SELECT country, tier, 'all' AS part, amount FROM pool")
        return
    share = settings.ai_pool
    db.execute(f"""CREATE TEMP VIEW {name}_split AS SELECT country, tier, part, weight FROM pool,
                   (VALUES ('human', {share.denominator - share.numerator}), ('ai', {share.numerator})) AS s(part, weight)""")
    db.execute(f"CREATE TEMP TABLE {name}_pool AS " + allocate("pool", f"{name}_split", ("country", "tier"), "part"))


def _track_money(db: duckdb.DuckDBPyConnection, settings: Settings, name: str) -> str:
    """Share the pools out to the tracks under `settings`: the table `{name}_track_money`
    (country, tier, part, track_id, amount)."""
    _pool_parts(db, settings, name)
    _weights(db, settings, name)
    db.execute(f"CREATE TEMP TABLE {name}_track_money AS "
               + allocate(f"{name}_pool", f"{name}_weights", ("country", "tier", "part"), "track_id"))
    return f"{name}_track_money"


def _per_stream(db: duckdb.DuckDBPyConnection, money: str) -> dict:
    """Plays, pay and pay per stream (minor units) of human and of AI works."""
    rows = db.execute(f"""SELECT t.ai, (SELECT coalesce(SUM(e.n), 0) FROM track_plays e JOIN tracks u USING (track_id) WHERE u.ai = t.ai),
                                 CAST(coalesce(SUM(m.amount), 0) AS BIGINT)
                          FROM (VALUES (false), (true)) t(ai) LEFT JOIN {money} m
                               ON m.track_id IN (SELECT track_id FROM tracks WHERE ai = t.ai) GROUP BY t.ai""").fetchall()
    return {("ai" if ai else "human"): {"plays": plays, "paid": paid, "per_stream": round(paid / plays, 6) if plays else None}
            for ai, plays, paid in rows}


def write_holders_json(db: duckdb.DuckDBPyConnection, path: Path) -> None:
    """statements.json: {holder: {"total", "currency", "tracks": {track: amount}, "sources":
    {"country/tier": amount}, "lineage": {"own works" | "remixes of a > b": amount}}}, written
    holder by holder from DuckDB's answer (a chunk at a time)."""
    by = {"tracks": "track_id", "sources": "country || '/' || tier",
          "through": "CASE WHEN through = '' THEN 'own works' ELSE 'remixes of ' || through END"}
    parts = {name: f"""(SELECT holder_id, to_json(map_from_entries(list(struct_pack(k := k, v := v) ORDER BY k))) AS {name}
                         FROM (SELECT holder_id, {key} AS k, CAST(SUM(amount) AS BIGINT) AS v FROM statements GROUP BY ALL)
                         GROUP BY holder_id)""" for name, key in by.items()}
    cursor = db.execute(f"""SELECT h.holder_id, h.currency, h.total, t.tracks, s.sources, l.through
                            FROM (SELECT holder_id, any_value(currency) AS currency, CAST(SUM(amount) AS BIGINT) AS total
                                  FROM statements GROUP BY holder_id) h
                            JOIN {parts['tracks']} t USING (holder_id) JOIN {parts['sources']} s USING (holder_id)
                            JOIN {parts['through']} l USING (holder_id)
                            ORDER BY h.holder_id""")
    with open(path, "w", encoding="utf-8") as out:
        out.write("{")
        first = True
        while rows := cursor.fetchmany(10_000):
            for holder, currency, total, tracks, sources, through in rows:
                out.write(("" if first else ",") + f"\n  {json.dumps(holder)}: " + json.dumps(
                    {"total": total, "currency": currency, "tracks": json.loads(tracks), "sources": json.loads(sources),
                     "lineage": json.loads(through)}))
                first = False
        out.write("\n}\n")


def run(plays: Path, pool: Path, catalog: Catalog, period: str, settings: Settings, scratch: Path) -> Result:
    """Share the period's pools out to the holders under `settings` (scratch: a folder for the
    engine's own files)."""
    import duckdb  # (here: its 0.2 s import is paid by royalty runs only, not by every `maestro` command)

    settings = settings.check()
    period_bounds(period)
    db = duckdb.connect()
    db.execute("SET TimeZone = 'UTC'")
    db.execute("SET enable_progress_bar = false")  # the CLI says what it did; DuckDB's own bar would cut into it
    # past this, DuckDB spills to the scratch folder: a month of 100 million plays fits in 4 GB
    db.execute(f"SET memory_limit = '{os.environ.get('MAESTRO_ROYALTIES_MEMORY', '2GB')}'")
    db.execute(f"SET temp_directory = '{scratch / 'spill'}'")
    load_plays(db, plays, scratch)
    load_pool(db, pool, period)
    load_catalog(db, catalog, scratch)
    unknown = _first(db, "SELECT line, track_id FROM plays ANTI JOIN tracks USING (track_id) ORDER BY line LIMIT 1")
    if unknown:
        raise InvalidRequest(f"play log {'row' if str(plays).lower().endswith('.parquet') else 'line'} {unknown[0]}: "
                             f"track {unknown[1]!r} is not in the catalogue")
    exclude(db, period)
    count_plays(db, settings)
    money = _track_money(db, settings, "paid")
    # a track with one payee (most) pays it all; only the others' money is split
    db.execute("CREATE TEMP TABLE payees AS SELECT track_id, count(*) AS payees FROM shares GROUP BY track_id")
    db.execute(f"CREATE TEMP VIEW payee_weights AS SELECT m.country, m.tier, m.part, m.track_id, s.payee, s.weight "
               f"FROM {money} m JOIN shares s USING (track_id) SEMI JOIN payees n ON n.track_id = m.track_id AND n.payees > 1")
    db.execute(f"""CREATE TEMP TABLE payee_money AS
                   SELECT m.country, m.tier, m.part, m.track_id, s.payee, m.amount FROM {money} m JOIN shares s USING (track_id)
                        SEMI JOIN payees n ON n.track_id = m.track_id AND n.payees = 1
                   UNION ALL SELECT * FROM (""" + allocate(money, "payee_weights", ("country", "tier", "part", "track_id"), "payee") + ")")
    db.execute("""CREATE TEMP TABLE statements AS SELECT s.holder_id, h.track_id, s.through, h.country, h.tier, p.currency,
                  CAST(SUM(h.amount) AS BIGINT) AS amount FROM payee_money h JOIN pool p USING (country, tier)
                  JOIN shares s ON s.track_id = h.track_id AND s.payee = h.payee WHERE h.amount > 0 GROUP BY ALL""")
    db.execute(f"COPY (SELECT * FROM statements ORDER BY holder_id, track_id, through, country, tier) "
               f"TO '{scratch / 'statements.csv'}' (HEADER)")
    excluded = db.execute(f"""COPY (SELECT user_id, track_id, strftime(played_at, '%Y-%m-%dT%H:%M:%SZ') AS played_at, ms_played,
                                reason FROM excluded ORDER BY line) TO '{scratch / 'excluded.csv'}' (HEADER)""").fetchone()[0]
    write_holders_json(db, scratch / "statements.json")
    pools = db.execute(f"""SELECT p.country, p.tier, p.currency, CAST(p.amount AS BIGINT),
                                  CAST(coalesce((SELECT SUM(m.amount) FROM {money} m WHERE m.country = p.country
                                                 AND m.tier = p.tier), 0) AS BIGINT),
                                  CAST(coalesce((SELECT SUM(e.n) FROM track_plays e WHERE e.country = p.country
                                                 AND e.tier = p.tier), 0) AS BIGINT)
                           FROM pool p ORDER BY ALL""").fetchall()
    eligible = _first(db, "SELECT CAST(coalesce(SUM(n), 0) AS BIGINT) FROM track_plays")[0]
    summary = {
        "period": period, "model": settings.model, "min_streams": settings.min_streams if settings.model == "pro-rata" else None,
        "plays": eligible + excluded, "eligible_plays": eligible, "excluded_plays": excluded,
        "pools": [{"country": c, "tier": t, "currency": cur, "pool": amount, "paid": paid, "unallocated": amount - paid,
                   "eligible_plays": n} for c, t, cur, amount, paid, n in pools],
        "paid": _first(db, "SELECT CAST(coalesce(SUM(amount), 0) AS BIGINT) FROM statements")[0],
    }
    if _first(db, "SELECT count(*) FROM tracks WHERE ai")[0]:
        alike = Settings(settings.model, settings.min_streams)  # AI works paid like every other
        paid_alike = _track_money(db, alike, "alike") if _ai_apart(settings) else money  # (the run's own when alike)
        summary["ai"] = {"ai_weight": str(settings.ai_weight), "ai_pool": str(settings.ai_pool) if settings.ai_pool is not None
                         else None, **_per_stream(db, money),
                         "human_per_stream_if_ai_paid_alike": _per_stream(db, paid_alike)["human"]["per_stream"]}
    db.close()
    return Result(scratch, summary)
