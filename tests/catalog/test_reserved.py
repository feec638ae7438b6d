"""Reserved: superfan scores after the royalty engine's fraud filters, holds offered to the top
fans (ties drawn by a recorded lottery), claimed, expired and passed on to the next fans or to
general sale, every step in the custody ledger; and two buyers racing for the last seat, from two
processes, on SQLite and on a real PostgreSQL server: exactly one wins."""
import datetime
import json
import multiprocessing

import duckdb
import numpy as np
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from maestro_ai.catalog.reserved import CLAIMED, EXPIRED, MIGRATIONS, Base, Notice, Reserved, lottery_order, superfans
from maestro_ai.core.errors import Conflict, NotFound
from maestro_ai.io.database import migrate  # noqa: F401 (the schema is made by the migrations: checked below)
from maestro_ai.provenance.ledger import verify
from tests.postgres import fresh_database, schema_differences

NOW = datetime.datetime(2026, 11, 1, 12, tzinfo=datetime.UTC)
TRACKS = {"id": np.array(["1", "2", "3", "9"], dtype=object), "artist": np.array(["Ada", "Ada", "Ada", "Bob"], dtype=object),
          "seconds": np.array([200.0, 200.0, 200.0, 200.0])}


def _log(rows):
    db = duckdb.connect()
    db.execute("SET TimeZone = 'UTC'")
    db.execute("CREATE TABLE plays (line BIGINT, user_id VARCHAR, track_id VARCHAR, played_at TIMESTAMPTZ, ms_played BIGINT, "
               "tier VARCHAR, country VARCHAR, source VARCHAR)")
    db.executemany("INSERT INTO plays VALUES (?, ?, ?, ?, ?, 'premium', 'de', ?)",
                   [(n, *row) for n, row in enumerate(rows, start=1)])
    return db


def _plays():
    rows = []
    day = datetime.datetime(2026, 10, 20, tzinfo=datetime.UTC)
    for d in range(10):  # loyal: every day, every track, whole, from her library
        rows += [("loyal", t, day + datetime.timedelta(days=d, hours=h), 200_000, "library") for h, t in enumerate("123")]
    rows += [("casual", "1", day + datetime.timedelta(days=d), 120_000, "radio") for d in range(3)]
    rows += [("looper", "1", day + datetime.timedelta(minutes=m), 200_000, "radio") for m in range(60)]  # one day on a loop
    rows += [("bot", "2", day + datetime.timedelta(days=1, seconds=30 * m), 40_000, "radio") for m in range(600)]
    rows += [("skipper", "3", day + datetime.timedelta(days=d), 10_000, "radio") for d in range(30)]  # all skips
    rows += [("bobfan", "9", day + datetime.timedelta(days=d), 200_000, "library") for d in range(30)]
    return rows


def test_superfans_are_scored_after_the_fraud_filters():
    fans = superfans(_log(_plays()), TRACKS, "Ada", now=NOW)
    by = {f["listener"]: f for f in fans}
    assert fans[0]["listener"] == "loyal" and by["loyal"]["heard"] == 3
    assert "bot" not in by and "skipper" not in by and "bobfan" not in by  # a bot's day, skips, another artist's fan
    assert by["looper"]["plays"] == 10  # a loop counts up to 10 plays a day
    assert by["looper"]["score"] < by["loyal"]["score"] and by["casual"]["score"] < by["loyal"]["score"]
    with pytest.raises(NotFound):
        superfans(_log(_plays()), TRACKS, "Cy", now=NOW)


def test_ties_are_drawn_by_the_recorded_seed():
    fans = [{"listener": f"f{n}", "score": 0.5} for n in range(8)] + [{"listener": "top", "score": 0.9}]
    first, again = lottery_order(fans, 11), lottery_order(list(reversed(fans)), 11)
    assert [f["listener"] for f in first] == [f["listener"] for f in again] and first[0]["listener"] == "top"
    assert [f["listener"] for f in lottery_order(fans, 12)] != [f["listener"] for f in first]


@pytest.fixture
def book(tmp_path, monkeypatch):
    monkeypatch.setenv("MAESTRO_HOME", str(tmp_path / "home"))
    return Reserved(f"sqlite:///{tmp_path / 'reserved.db'}", ledger=tmp_path / "ledger.jsonl")


def test_holds_are_offered_claimed_expired_and_passed_on(book, tmp_path):
    fans = [{"listener": name, "score": score} for name, score in (("ann", 0.9), ("ben", 0.8), ("cat", 0.7), ("dan", 0.6))]
    concert = book.announce("Ada", "Roundhouse", "2027-03-01", capacity=20, share=0.1, hold_hours=48, seed=5)
    assert concert.held == 2
    offered = book.allocate(concert.id, fans, now=NOW)
    assert [h.listener for h in offered] == ["ann", "ben"]
    with Session(book.engine) as session:  # each offer owes its fan a notice, written with the hold
        assert [n.listener for n in session.scalars(select(Notice).order_by(Notice.id))] == ["ann", "ben"]
    assert book.claim(concert.id, "ann", now=NOW + datetime.timedelta(hours=1)).status == CLAIMED
    with pytest.raises(Conflict, match="claimed already"):
        book.claim(concert.id, "ann", now=NOW + datetime.timedelta(hours=2))
    with pytest.raises(NotFound):
        book.claim(concert.id, "cat", now=NOW)
    late = NOW + datetime.timedelta(hours=49)
    with pytest.raises(Conflict, match="not claimed in time"):
        book.claim(concert.id, "ben", now=late)
    assert book.expire(concert.id, fans, now=late) == {"expired": ["ben"], "offered": ["cat"], "released": 0}
    assert book.expire(concert.id, fans[:3], now=late + datetime.timedelta(hours=49)) == {
        "expired": ["cat"], "offered": [], "released": 1}  # no fan left: the seat goes to general sale
    assert {h.listener: h.status for h in book.holds(concert.id)} == {"ann": CLAIMED, "ben": EXPIRED, "cat": EXPIRED}
    assert book.buy(concert.id, "walk-in") == 0
    with pytest.raises(Conflict, match="no released seat"):
        book.buy(concert.id, "another")
    checked = verify(tmp_path / "ledger.jsonl")
    events = [json.loads(line)["event"] for line in (tmp_path / "ledger.jsonl").read_text().splitlines()]
    assert checked["ok"] and events == ["concert-announced", "hold-offered", "hold-offered", "hold-claimed", "hold-expired",
                                        "hold-offered", "hold-expired", "seat-released", "seat-sold"]


def _buy(url, concert, buyer, start, results):
    book = Reserved(url, ledger=None)
    start.wait()
    try:
        book.buy(concert, buyer)
        results.put((buyer, True))
    except Conflict:
        results.put((buyer, False))


def _race(url, ledger):
    book = Reserved(url, ledger=ledger)
    concert = book.announce("Ada", "Roundhouse", "2027-03-01", capacity=10, share=0.1, hold_hours=1, seed=1)
    assert book.allocate(concert.id, [], now=NOW) == [] and book.concert(concert.id).released == 1  # the last seat, released
    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    racers = [context.Process(target=_buy, args=(url, concert.id, name, start, results)) for name in ("x", "y")]
    for racer in racers:
        racer.start()
    start.set()
    for racer in racers:
        racer.join(60)
    outcome = dict(results.get(timeout=5) for _ in racers)
    assert sorted(outcome.values()) == [False, True] and book.concert(concert.id).sold == 1


def test_two_buyers_of_the_last_seat_never_both_win_on_sqlite(tmp_path, monkeypatch):
    monkeypatch.setenv("MAESTRO_HOME", str(tmp_path / "home"))
    for _ in range(3):
        _race(f"sqlite:///{tmp_path / 'race.db'}", tmp_path / "ledger.jsonl")


def test_two_buyers_of_the_last_seat_never_both_win_on_postgresql(tmp_path, monkeypatch, postgres_url):
    pytest.importorskip("psycopg")
    monkeypatch.setenv("MAESTRO_HOME", str(tmp_path / "home"))
    url = fresh_database(postgres_url)
    for _ in range(3):
        _race(url, tmp_path / "ledger.jsonl")
    differences, revision = schema_differences(Reserved(url).engine, Base.metadata, MIGRATIONS.version_table)
    assert differences == [] and revision == "0002"


def test_the_migration_makes_exactly_the_declared_schema(tmp_path):
    differences, revision = schema_differences(Reserved(f"sqlite:///{tmp_path / 'r.db'}").engine, Base.metadata,
                                               MIGRATIONS.version_table)
    assert differences == [] and revision == "0002"
