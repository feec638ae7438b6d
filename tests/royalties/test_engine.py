"""The royalty engine on small logs worked by hand (pro-rata against user-centric, Spotify's
threshold, remix chains, the fraud rules), its refusals, and a property test (Hypothesis): on
random catalogues, logs and pools, every pool is paid to the unit or reported unallocated, no
amount is negative, and every split equals a plain Python largest-remainder split of exact
fractions, level by level."""
from __future__ import annotations

import csv
import json
import math
import tempfile
from collections import Counter, defaultdict
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maestro_ai.cli.main import main
from maestro_ai.core.errors import InvalidRequest
from maestro_ai.royalties.catalog import Catalog
from maestro_ai.royalties.engine import SCALE, Settings, run

PERIOD = "2026-10"


def _write(path: Path, header: list[str], rows: list[list]) -> Path:
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _plays(folder: Path, plays: list[tuple]) -> Path:
    """(user, track, ISO time, ms) rows, all in the FR premium pool."""
    return _write(folder / "plays.csv", ["user_id", "track_id", "played_at", "ms_played", "tier", "country"],
                  [[u, t, at, ms, "premium", "FR"] for u, t, at, ms in plays])


def _pool(folder: Path, amount: int) -> Path:
    return _write(folder / "pool.csv", ["period", "country", "tier", "amount", "currency"],
                  [[PERIOD, "FR", "premium", amount, "EUR"], ["2026-09", "FR", "premium", 999, "EUR"]])


CATALOG = [{"track_id": "a", "holder_id": "ada", "share": "0.5"}, {"track_id": "a", "holder_id": "bob", "share": "0.5"},
           {"track_id": "b", "holder_id": "cat", "share": "1"},
           {"track_id": "remix", "holder_id": "dan", "share": "0.6"},
           {"track_id": "remix", "holder_id": "", "share": "0.4", "parent_track_id": "a"}]


def _paid(result) -> dict:
    paid = Counter()
    for holder, *_, amount in result.statements:
        paid[holder] += amount
    return dict(paid)


def _at(day: int, minute: int = 0) -> str:
    return f"2026-10-{day:02d}T12:{minute:02d}:00Z"


def test_pro_rata_and_user_centric_share_the_same_pool_differently(tmp_path):
    # one fan plays track a nine times over the month; another plays b once
    plays = _plays(tmp_path, [("u1", "a", _at(day), 200_000) for day in range(1, 10)] + [("u2", "b", _at(3), 180_000)])
    catalog = Catalog.from_rows(CATALOG)
    pro = run(plays, _pool(tmp_path, 1000), catalog, PERIOD, Settings("pro-rata", min_streams=0), tmp_path)
    assert _paid(pro) == {"ada": 450, "bob": 450, "cat": 100} and pro.summary["pools"][0]["unallocated"] == 0
    fan = run(plays, _pool(tmp_path, 1000), catalog, PERIOD, Settings("user-centric"), tmp_path)
    assert _paid(fan) == {"ada": 250, "bob": 250, "cat": 500}  # each subscriber's fee follows their own listening
    odd = run(plays, _pool(tmp_path, 1001), catalog, PERIOD, Settings("pro-rata", min_streams=0), tmp_path)
    # 900.9 and 100.1: the unit left goes to the larger remainder; a's 901 splits 450.5/450.5, the tie to ada
    assert _paid(odd) == {"ada": 451, "bob": 450, "cat": 100} and sum(_paid(odd).values()) == 1001


def test_spotifys_threshold_and_a_remix_chain(tmp_path):
    plays = _plays(tmp_path, [(f"u{n}", "remix", _at(1 + n % 28, n % 60), 40_000) for n in range(30)]
                   + [("u1", "b", _at(2), 40_000)])
    catalog = Catalog.from_rows(CATALOG)
    below = run(plays, _pool(tmp_path, 3100), catalog, PERIOD, Settings("pro-rata", min_streams=2), tmp_path)
    # b's single stream is under the threshold: its share goes to the remix, which pays a's holders 40 %
    assert _paid(below) == {"dan": 1860, "ada": 620, "bob": 620}
    assert below.summary["paid"] == 3100


def test_short_looped_bot_like_and_out_of_period_plays_are_excluded_with_reasons(tmp_path):
    plays = [("u1", "a", _at(5, m), 200_000) for m in range(12)]  # twelve plays of a in one day: two on a loop
    plays += [("u2", "b", _at(6), 12_000)]  # twelve seconds
    plays += [("u3", "b", "2026-11-01T00:00:00Z", 200_000)]  # the next period
    plays += [("bot", "b", f"2026-10-07T{h:02d}:{m:02d}:00Z", 31_000) for h in range(10) for m in range(0, 60, 1)]
    result = run(_plays(tmp_path, plays), _pool(tmp_path, 1000), Catalog.from_rows(CATALOG), PERIOD,
                 Settings("pro-rata", min_streams=0), tmp_path)
    reasons = Counter(reason.split(":")[0] for *_, reason in result.excluded)
    assert reasons == {"on a loop": 2, "under 30 seconds": 1, "outside the period": 1, "bot-like": 600}
    assert result.summary["eligible_plays"] == 10 and _paid(result) == {"ada": 500, "bob": 500}
    # the same log as typed Parquet, read where it lies (not copied): the same plays judged alike, in the same order
    import duckdb

    (tmp_path / "csv").mkdir()
    first = run(_plays(tmp_path / "csv", plays), _pool(tmp_path, 1000), Catalog.from_rows(CATALOG), PERIOD,
                Settings("user-centric"), tmp_path / "csv")
    duckdb.execute(f"COPY (SELECT user_id, track_id, CAST(played_at AS TIMESTAMPTZ) AS played_at, CAST(ms_played AS BIGINT) "
                   f"AS ms_played, tier, country FROM read_csv('{tmp_path / 'csv' / 'plays.csv'}', all_varchar = true)) "
                   f"TO '{tmp_path / 'log.parquet'}' (FORMAT parquet)")
    (tmp_path / "parquet").mkdir()
    again = run(tmp_path / "log.parquet", _pool(tmp_path, 1000), Catalog.from_rows(CATALOG), PERIOD, Settings("user-centric"),
                tmp_path / "parquet")
    assert not (tmp_path / "parquet" / "plays.parquet").exists() and (tmp_path / "csv" / "plays.parquet").exists()
    assert again.excluded == first.excluded and again.statements == first.statements and len(first.excluded) == 604


@pytest.mark.parametrize("bad, message", [
    (("u1", "zzz", _at(1), 40_000), "track 'zzz' is not in the catalogue"),
    (("u1", "a", _at(1), -5), "ms_played '-5' is not a duration"),
    (("u1", "a", "2026-10-01T12:00:00+02:00", 40_000), "is not an ISO 8601 time in UTC"),
    (("u1", "a", "yesterday", 40_000), "is not an ISO 8601 time in UTC"),
])
def test_bad_input_is_named_in_one_line(tmp_path, bad, message):
    plays = _plays(tmp_path, [("u1", "a", _at(1), 40_000), bad])
    with pytest.raises(InvalidRequest, match=message) as caught:
        run(plays, _pool(tmp_path, 100), Catalog.from_rows(CATALOG), PERIOD, Settings(min_streams=0), tmp_path)
    assert str(caught.value).startswith("play log line 3:")


def test_the_cli_writes_a_period_once_and_refuses_bad_shares(tmp_path, capsys):
    plays = _plays(tmp_path, [("u1", "a", _at(1), 40_000), ("u2", "remix", _at(2), 40_000)])
    catalog = _write(tmp_path / "catalog.csv", ["track_id", "holder_id", "share", "parent_track_id"],
                     [[r["track_id"], r["holder_id"], r["share"], r.get("parent_track_id", "")] for r in CATALOG])
    args = ["royalties", "run", "--period", PERIOD, "--plays", str(plays), "--pool", str(_pool(tmp_path, 1000)),
            "--catalog", str(catalog), "--min-streams", "0", "--out", str(tmp_path / "2026-10")]
    assert main(args) == 0
    statements = json.loads((tmp_path / "2026-10" / "statements.json").read_text())
    assert {h: s["total"] for h, s in statements.items()} == {"ada": 350, "bob": 350, "dan": 300}
    assert statements["ada"]["tracks"] == {"a": 250, "remix": 100} and statements["ada"]["sources"] == {"FR/premium": 350}
    assert statements["ada"]["lineage"] == {"own works": 250, "remixes of a": 100}
    rows = list(csv.DictReader(open(tmp_path / "2026-10" / "statements.csv")))
    assert [(r["holder_id"], r["track_id"], r["through"], r["amount"]) for r in rows if r["holder_id"] == "ada"] == [
        ("ada", "a", "", "250"), ("ada", "remix", "a", "100")]
    summary = json.loads((tmp_path / "2026-10" / "summary.json").read_text())
    assert summary["paid"] == 1000 and summary["pools"] == [{"country": "FR", "tier": "premium", "currency": "EUR", "pool": 1000,
                                                             "paid": 1000, "unallocated": 0, "eligible_plays": 2}]
    before = (tmp_path / "2026-10" / "statements.csv").read_bytes()
    capsys.readouterr()
    assert main(args) == 2 and "is closed there" in capsys.readouterr().err  # a closed period never changes
    assert (tmp_path / "2026-10" / "statements.csv").read_bytes() == before
    _write(catalog, ["track_id", "holder_id", "share"], [["a", "ada", "0.5"], ["a", "bob", "0.4"]])
    assert main([*args[:-1], str(tmp_path / "again")]) == 2
    assert "shares add up to 90 %, not 100 %" in capsys.readouterr().err and not (tmp_path / "again").exists()


# ---- the property test: the engine against plain Python, level by level

def _largest_remainder(total: int, weights: dict[str, int]) -> dict[str, int]:
    whole = sum(weights.values())
    exact = {k: Fraction(total * w, whole) for k, w in weights.items()}
    paid = {k: int(v) for k, v in exact.items()}
    left = total - sum(paid.values())
    for k in sorted(exact, key=lambda k: (-(exact[k] - paid[k]), k))[:left]:
        paid[k] += 1
    return paid


def _reference(plays, pools, lineage, model):
    """What the engine must pay each (holder, track, country, tier), computed in Python."""
    eligible = [p for p in plays if p[3] >= 30_000]
    out = Counter()
    for (country, tier), amount in pools.items():
        mine = [p for p in eligible if (p[4], p[5]) == (country, tier)]
        if not mine:
            continue
        if model == "pro-rata":
            track_money = _largest_remainder(amount, Counter(p[1] for p in mine))
        else:  # each listener's part of the pool over their plays, to a trillionth of a unit; rounded once per track
            listened = Counter(p[0] for p in mine)
            weights = Counter()
            for user, track, *_ in mine:
                weights[track] += amount * SCALE // (len(listened) * listened[user])
            track_money = _largest_remainder(amount, weights) if amount else {}
        for track, money in track_money.items():
            payees = lineage[track]  # each holder and the remix chain their share came down: split apart
            common = math.lcm(*(share.denominator for share in payees.values()))
            weights = {f"{h}\x1f{through}": int(s * common) for (h, through), s in payees.items()}
            for payee, paid in _largest_remainder(money, weights).items():
                if paid:
                    out[(payee.split("\x1f")[0], track, country, tier)] += paid
    return out


@st.composite
def worlds(draw):
    """A catalogue of five tracks (each remix pays one earlier track), a play log and four pools."""
    tracks = ["t0", "t1", "t2", "t3", "t4"]
    rows = []
    for i, track in enumerate(tracks):
        holders = draw(st.lists(st.sampled_from(["h0", "h1", "h2", "h3"]), min_size=1, max_size=3, unique=True))
        parent = draw(st.sampled_from(tracks[:i])) if i and draw(st.booleans()) else None
        payees = holders + ([None] if parent else [])
        cuts = sorted(draw(st.lists(st.integers(1, 9999), min_size=len(payees) - 1, max_size=len(payees) - 1, unique=True)))
        points = [b - a for a, b in zip([0, *cuts], [*cuts, 10_000], strict=True)]  # basis points adding up to 10,000
        for payee, share in zip(payees, points, strict=True):
            rows.append({"track_id": track, "holder_id": payee or "", "share": str(Decimal(share) / 10_000),
                         "parent_track_id": "" if payee else parent})
    plays = draw(st.lists(st.tuples(st.sampled_from(["u0", "u1", "u2", "u3"]), st.sampled_from(tracks), st.integers(1, 28),
                                     st.sampled_from([10_000, 45_000, 200_000]), st.sampled_from(["FR", "DE"]),
                                     st.sampled_from(["premium", "free"])), max_size=40))
    pools = {(c, t): draw(st.integers(0, 100_000)) for c in ("FR", "DE") for t in ("premium", "free")}
    return rows, plays, pools


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(world=worlds(), model=st.sampled_from(["pro-rata", "user-centric"]))
def test_every_pool_is_paid_to_the_unit_as_plain_python_pays_it(tmp_path, world, model):
    rows, plays, pools = world
    catalog = Catalog.from_rows(rows)
    log = [(u, t, _at(day, n % 60), ms, c, tier) for n, (u, t, day, ms, c, tier) in enumerate(plays)]
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    _write(folder / "plays.csv", ["user_id", "track_id", "played_at", "ms_played", "country", "tier"], [list(p) for p in log])
    _write(folder / "pool.csv", ["period", "country", "tier", "amount", "currency"],
           [[PERIOD, c, t, a, "EUR"] for (c, t), a in pools.items()])
    result = run(folder / "plays.csv", folder / "pool.csv", catalog, PERIOD, Settings(model, min_streams=0), folder)
    engine = Counter()
    for h, t, _, c, tier, _, a in result.statements:
        engine[(h, t, c, tier)] += a
    assert engine == _reference([(u, t, at, ms, c, tier) for u, t, at, ms, c, tier in log], pools, catalog.lineage, model)
    assert all(a > 0 for a in engine.values())
    by_pool = defaultdict(int)
    for (_, _, c, tier), a in engine.items():
        by_pool[(c, tier)] += a
    for p in result.summary["pools"]:
        assert p["paid"] + p["unallocated"] == p["pool"] == pools[(p["country"], p["tier"])]
        assert p["paid"] == by_pool[(p["country"], p["tier"])]
        assert (p["unallocated"] == 0) == (p["eligible_plays"] > 0 or p["pool"] == 0)


def _log(folder: Path, plays: list[tuple]) -> Path:
    """(user, track, day, source) rows of 200-second plays in the FR premium pool, with the source column."""
    return _write(folder / "plays.csv", ["user_id", "track_id", "played_at", "ms_played", "tier", "country", "source"],
                  [[u, t, _at(day, n % 60), 200_000, "premium", "FR", source] for n, (u, t, day, source) in enumerate(plays)])


def test_artist_centric_boosts_real_audiences_and_sought_out_streams_and_pays_no_noise(tmp_path, monkeypatch):
    monkeypatch.setattr("maestro_ai.royalties.engine.PRO_STREAMS", 4)  # Deezer's 1,000 streams from 500 listeners, scaled down
    monkeypatch.setattr("maestro_ai.royalties.engine.PRO_LISTENERS", 3)
    catalog = Catalog.from_rows([{"track_id": "p", "holder_id": "pro", "share": "1"},
                                 {"track_id": "i", "holder_id": "indie", "share": "1"},
                                 {"track_id": "n", "holder_id": "rainco", "share": "1", "kind": "noise"}])
    plays = [(f"u{n}", "p", 1 + n, "radio") for n in range(4)]  # four listeners: a professional artist
    plays += [("u9", "i", 1, "search"), ("u9", "i", 2, "library"), ("u9", "i", 3, "radio"), ("u9", "i", 4, "")]
    plays += [(f"u{n}", "n", 5, "radio") for n in range(4)]
    log = _log(tmp_path, plays)
    centric = run(log, _pool(tmp_path, 1400), catalog, PERIOD, Settings("artist-centric"), tmp_path)
    assert _paid(centric) == {"pro": 800, "indie": 600}  # 4 x 2 against 2 x 2 + 2 x 1; noise nothing
    pro = run(log, _pool(tmp_path, 1200), catalog, PERIOD, Settings("pro-rata", min_streams=0), tmp_path)
    assert _paid(pro) == {"pro": 400, "indie": 400, "rainco": 400}


def test_ai_works_weighted_or_pooled_apart_and_what_that_does_to_human_pay(tmp_path):
    catalog = Catalog.from_rows([{"track_id": "h", "holder_id": "ada", "share": "1"},
                                 {"track_id": "a", "holder_id": "maestro", "share": "1", "ai": "true"}])
    log = _log(tmp_path, [(f"u{n}", "h", 1 + n, "") for n in range(6)] + [(f"v{n}", "a", 1 + n, "") for n in range(4)])

    def pay(**options):
        result = run(log, _pool(tmp_path, 1000), catalog, PERIOD, Settings("pro-rata", min_streams=0, **options), tmp_path)
        return _paid(result), result.summary["ai"]

    alike, ai = pay()
    assert alike == {"ada": 600, "maestro": 400} and ai["human"]["per_stream"] == 100 == ai["human_per_stream_if_ai_paid_alike"]
    half, ai = pay(ai_weight="0.5")
    assert half == {"ada": 750, "maestro": 250} and ai["human"]["per_stream"] == 125 and ai["ai"]["per_stream"] == 62.5
    apart, ai = pay(ai_pool="0.1")
    assert apart == {"ada": 900, "maestro": 100} and ai["human"]["per_stream"] == 150
    assert ai["human_per_stream_if_ai_paid_alike"] == 100 and ai["ai_pool"] == "1/10"
    with pytest.raises(InvalidRequest, match="ai_weight is a fraction from 0 to 1"):
        pay(ai_weight="2")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(world=worlds(), model=st.sampled_from(["pro-rata", "user-centric", "artist-centric"]),
       ai_tracks=st.sets(st.sampled_from(["t0", "t1", "t2", "t3", "t4"])), noise=st.sets(st.sampled_from(["t0", "t1", "t2"])),
       ai_weight=st.sampled_from(["1", "0.5", "0"]), ai_pool=st.sampled_from([None, "0.2", "1"]),
       sources=st.lists(st.sampled_from(["search", "library", "radio", ""]), min_size=40, max_size=40))
def test_every_model_and_ai_setting_conserves_every_pool(tmp_path, world, model, ai_tracks, noise, ai_weight, ai_pool, sources):
    rows, plays, pools = world
    rows = [{**r, "ai": str(r["track_id"] in ai_tracks).lower(), "kind": "noise" if r["track_id"] in noise else "music"}
            for r in rows]
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    _write(folder / "plays.csv", ["user_id", "track_id", "played_at", "ms_played", "country", "tier", "source"],
           [[u, t, _at(day, n % 60), ms, c, tier, sources[n]] for n, (u, t, day, ms, c, tier) in enumerate(plays)])
    _write(folder / "pool.csv", ["period", "country", "tier", "amount", "currency"],
           [[PERIOD, c, t, a, "EUR"] for (c, t), a in pools.items()])
    result = run(folder / "plays.csv", folder / "pool.csv", Catalog.from_rows(rows), PERIOD,
                 Settings(model, min_streams=0, ai_weight=ai_weight, ai_pool=ai_pool), folder)
    assert all(row[-1] > 0 for row in result.statements)
    by_pool = Counter()
    for *_, c, tier, _, amount in result.statements:
        by_pool[(c, tier)] += amount
    for p in result.summary["pools"]:
        assert p["paid"] + p["unallocated"] == p["pool"] == pools[(p["country"], p["tier"])] and p["unallocated"] >= 0
        assert p["paid"] == by_pool[(p["country"], p["tier"])]
    paid_ai = sum(row[-1] for row in result.statements if row[1] in ai_tracks)
    if ai_weight == "0" and ai_pool is None:
        assert paid_ai == 0  # AI works weigh nothing: they earn nothing
    if ai_pool == "1":
        assert sum(row[-1] for row in result.statements if row[1] not in ai_tracks) == 0  # the whole pool is the AI works'


def test_the_rights_registry_is_the_catalogue_by_default(tmp_path, monkeypatch, capsys):
    from maestro_ai.rights.registry import Registry

    monkeypatch.setenv("MAESTRO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("MAESTRO_RIGHTS_DB", raising=False)
    args = ["royalties", "run", "--period", PERIOD, "--pool", str(_pool(tmp_path, 1000)), "--min-streams", "0"]
    plays = _plays(tmp_path, [("u1", "1", _at(1), 40_000)])
    assert main([*args, "--plays", str(plays), "--out", str(tmp_path / "none")]) == 2
    assert "no catalogue: give --catalog FILE" in capsys.readouterr().err
    registry = Registry()
    registry.add_artist("Ada"), registry.add_artist("Bob")
    work = registry.add_work("Rain", owner="Ada", acting="Ada", shares={"Ada": 7000, "Bob": 3000})
    plays = _plays(tmp_path, [("u1", str(work.id), _at(1), 40_000)])
    assert main([*args, "--plays", str(plays), "--out", str(tmp_path / "paid")]) == 0
    statements = json.loads((tmp_path / "paid" / "statements.json").read_text())
    assert {holder: s["total"] for holder, s in statements.items()} == {"Ada": 700, "Bob": 300}


def test_a_parquet_log_is_read_typed_and_checked(tmp_path):
    import duckdb

    rows = "('u1', 'a', TIMESTAMPTZ '2026-10-02 10:00:00+00', 200000, 'premium', 'FR'), " \
           "('u2', 'b', TIMESTAMPTZ '2026-10-03 10:00:00+00', 200000, 'premium', 'FR')"
    columns = "(user_id, track_id, played_at, ms_played, tier, country)"
    duckdb.execute(f"COPY (SELECT * FROM (VALUES {rows}) v{columns}) TO '{tmp_path / 'log.parquet'}' (FORMAT parquet)")
    result = run(tmp_path / "log.parquet", _pool(tmp_path, 1000), Catalog.from_rows(CATALOG), PERIOD,
                 Settings(min_streams=0), tmp_path)
    assert _paid(result) == {"ada": 250, "bob": 250, "cat": 500}
    duckdb.execute(f"COPY (SELECT user_id, track_id, CAST(played_at AS TIMESTAMP) AS played_at, ms_played, tier, country "
                   f"FROM (VALUES {rows}) v{columns}) TO '{tmp_path / 'naive.parquet'}' (FORMAT parquet)")
    with pytest.raises(InvalidRequest, match="played_at has no time zone"):
        run(tmp_path / "naive.parquet", _pool(tmp_path, 1000), Catalog.from_rows(CATALOG), PERIOD, Settings(), tmp_path)
    duckdb.execute(f"COPY (SELECT user_id, CASE WHEN user_id = 'u2' THEN 'zzz' ELSE track_id END AS track_id, played_at, "
                   f"ms_played, tier, country FROM (VALUES {rows}) v{columns}) TO '{tmp_path / 'bad.parquet'}' (FORMAT parquet)")
    with pytest.raises(InvalidRequest, match="play log row 2: track 'zzz' is not in the catalogue"):
        run(tmp_path / "bad.parquet", _pool(tmp_path, 1000), Catalog.from_rows(CATALOG), PERIOD, Settings(), tmp_path)
