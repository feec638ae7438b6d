"""Reserved: concert tickets held for an artist's most dedicated listeners.

**Superfan scores** (`superfans`) come from the play log after the royalty engine's fraud
filters (`royalties.engine.exclude`: plays under 30 seconds, a listener's loops past LOOP_PLAYS
plays of one track in a day, and every play of a bot-like day are dropped first). For each
listener of the artist, each part scaled 0-1 over the artist's listeners:

    score = 0.35 plays (log) + 0.20 completion + 0.15 saves (log) + 0.15 recency + 0.15 breadth

plays: their eligible plays of the artist; completion: the mean share of a track heard; saves:
plays from their library; recency: e^(-days since their last play / 30); breadth: the share of
the artist's catalogue they have heard.

**Holds** (`Reserved`): a concert holds `share` of its seats for superfans. `allocate` offers one
hold each to the top-ranked fans; fans whose scores tie (to 6 decimals) at the cut are ordered by
a lottery drawn from the concert's recorded seed, so the draw can be checked and replayed. A fan
claims within the hold window; `expire` ends unclaimed holds and offers them to the next fans in
rank, or, when there are none, releases the seats to general sale. Every step is a custody
ledger event, and every offer a notice in the outbox (the `notices` table, written in the
transaction that makes the hold), which `catalog.notices` sends by e-mail to the fan's contact.
A claim and a sale are single conditional UPDATEs, so two claims of the last seat never both win.

>>> parts = score_parts({"plays": [10, 1], "completion": [0.9, 0.5], "saves": [3, 0], "days": [1, 60], "breadth": [0.5, 0.1]})
>>> [round(float(p), 3) for p in parts]
[0.9, 0.236]
"""
from __future__ import annotations

import datetime
import os
import re
import secrets
from pathlib import Path

import numpy as np
from sqlalchemy import BigInteger, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint, func, select, update
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from maestro_ai.core.errors import Conflict, InvalidRequest, NotFound
from maestro_ai.io.database import Migrations, open_database
from maestro_ai.io.userdata import data_folder
from maestro_ai.provenance.ledger import append, default_ledger
from maestro_ai.provenance.seal import signing_identity
from maestro_ai.royalties.engine import exclude

MIGRATIONS = Migrations(Path(__file__).parent / "migrations", baseline="0001", baseline_table="concerts",
                        version_table="maestro_reserved_version")
WEIGHTS = {"plays": 0.35, "completion": 0.20, "saves": 0.15, "recency": 0.15, "breadth": 0.15}
RECENCY_DAYS = 30.0
TIE_DECIMALS = 6
OFFERED, CLAIMED, EXPIRED = "offered", "claimed", "expired"
EMAIL = re.compile(r"[^@\s<>(),;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")


class Base(DeclarativeBase):
    pass


class Concert(Base):
    __tablename__ = "concerts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    artist: Mapped[str] = mapped_column(String(200))
    venue: Mapped[str] = mapped_column(String(200))
    date: Mapped[str] = mapped_column(String(10))  # ISO date
    capacity: Mapped[int] = mapped_column(Integer)
    held: Mapped[int] = mapped_column(Integer)  # seats held for superfans
    hold_hours: Mapped[float] = mapped_column(Float)
    seed: Mapped[int] = mapped_column(BigInteger)  # the lottery's, drawn when announced
    released: Mapped[int] = mapped_column(Integer)  # held seats let go to general sale
    sold: Mapped[int] = mapped_column(Integer)  # of those, sold
    created: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))

    def to_dict(self) -> dict:
        return {"id": self.id, "artist": self.artist, "venue": self.venue, "date": self.date, "capacity": self.capacity,
                "held": self.held, "hold_hours": self.hold_hours, "seed": self.seed, "released": self.released, "sold": self.sold}


class Hold(Base):
    __tablename__ = "holds"
    __table_args__ = (UniqueConstraint("concert_id", "listener"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    concert_id: Mapped[int] = mapped_column(ForeignKey("concerts.id"))
    listener: Mapped[str] = mapped_column(String(200))
    rank: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(10))
    offered: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
    expires: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
    claimed: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    def to_dict(self) -> dict:
        return {"id": self.id, "concert": self.concert_id, "listener": self.listener, "rank": self.rank,
                "score": round(self.score, 6), "status": self.status, "expires": as_utc(self.expires).isoformat()}


class Contact(Base):
    __tablename__ = "contacts"
    listener: Mapped[str] = mapped_column(String(200), primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    updated: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))


class Notice(Base):
    """A notice owed to a fan (a hold offered to them): the outbox, sent by `catalog.notices`."""

    __tablename__ = "notices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hold_id: Mapped[int] = mapped_column(ForeignKey("holds.id"))
    listener: Mapped[str] = mapped_column(String(200), index=True)
    created: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
    sent: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    sent_to: Mapped[str | None] = mapped_column(String(320), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    busy_until: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)  # a sender holds it
    error: Mapped[str | None] = mapped_column(Text, nullable=True)


def score_parts(columns: dict) -> np.ndarray:
    """Superfan scores from their parts (see the module's note), one per listener."""
    plays, saves = np.log1p(np.asarray(columns["plays"], float)), np.log1p(np.asarray(columns["saves"], float))
    parts = {"plays": plays / max(plays.max(), 1e-9), "completion": np.asarray(columns["completion"], float),
             "saves": saves / max(saves.max(), 1e-9), "recency": np.exp(-np.asarray(columns["days"], float) / RECENCY_DAYS),
             "breadth": np.asarray(columns["breadth"], float)}
    return sum(WEIGHTS[name] * np.clip(value, 0, 1) for name, value in parts.items())


def superfans(db, tracks: dict, artist: str, now: datetime.datetime | None = None) -> list[dict]:
    """Every listener of `artist` with their superfan score, best first, from the play-log view
    `plays` (DuckDB) and the catalogue `tracks` (columns id, artist, seconds)."""
    now = now or datetime.datetime.now(datetime.UTC)
    theirs = np.asarray(tracks["artist"], dtype=object) == artist
    if not theirs.any():
        raise NotFound(f"the catalogue has no tracks of {artist!r}")
    db.register("artist_tracks", {"track_id": np.asarray(tracks["id"], dtype=object)[theirs].astype(str),
                                  "seconds": np.asarray(tracks["seconds"], float)[theirs]})
    exclude(db, None)  # the royalty engine's fraud filters, applied first
    rows = db.execute("""
        SELECT e.user_id, count(*) AS plays, avg(least(1.0, e.ms_played / (1000.0 * greatest(t.seconds, 1.0)))) AS completion,
               count(*) FILTER (WHERE e.source = 'library') AS saves, max(e.played_at) AS last,
               count(DISTINCT e.track_id) AS heard
        FROM eligible e JOIN artist_tracks t ON t.track_id = CAST(e.track_id AS VARCHAR)
        GROUP BY e.user_id ORDER BY e.user_id""").fetchall()
    if not rows:
        return []
    days = [max(0.0, (now - as_utc(r[4])).total_seconds() / 86400) for r in rows]
    scores = score_parts({"plays": [r[1] for r in rows], "completion": [r[2] for r in rows], "saves": [r[3] for r in rows],
                          "days": days, "breadth": [r[5] / int(theirs.sum()) for r in rows]})
    fans = [{"listener": str(r[0]), "score": float(s), "plays": int(r[1]), "completion": round(float(r[2]), 3),
             "saves": int(r[3]), "days_since": round(d, 1), "heard": int(r[5])} for r, s, d in zip(rows, scores, days)]
    return sorted(fans, key=lambda f: (-round(f["score"], TIE_DECIMALS), f["listener"]))


def lottery_order(fans: list[dict], seed: int) -> list[dict]:
    """`fans` by score, best first; fans whose scores tie (to TIE_DECIMALS) in an order drawn
    from `seed` (the same seed, the same order).

    >>> [f["listener"] for f in lottery_order([{"listener": "a", "score": 1.0}, {"listener": "b", "score": 1.0},
    ...                                         {"listener": "c", "score": 2.0}], seed=3)]
    ['c', 'a', 'b']
    """
    rng = np.random.default_rng(seed)
    draw = {f["listener"]: rng.random() for f in sorted(fans, key=lambda f: f["listener"])}
    return sorted(fans, key=lambda f: (-round(f["score"], TIE_DECIMALS), draw[f["listener"]]))


def reserved_url() -> str:
    """$MAESTRO_RESERVED_DB, else an SQLite file in Maestro's data folder."""
    return os.environ.get("MAESTRO_RESERVED_DB") or f"sqlite:///{data_folder() / 'reserved.db'}"


class Reserved:
    """Concerts and their holds, in Reserved's database."""

    def __init__(self, url: str | None = None, ledger: Path | None = None) -> None:
        self.engine = open_database(url or reserved_url(), Base.metadata, "Reserved's database", migrations=MIGRATIONS)
        self.ledger = ledger or default_ledger()

    def set_contact(self, listener: str, email: str) -> dict:
        """The e-mail address `listener`'s notices go to (replacing any earlier one)."""
        if not isinstance(listener, str) or not listener.strip() or len(listener) > 200 or not listener.isprintable():
            raise InvalidRequest("a listener is a name of 1-200 characters on one line")
        if not isinstance(email, str) or len(email) > 320 or not EMAIL.fullmatch(email.strip()):
            raise InvalidRequest(f"{email!r:.60} is not an e-mail address like ann@example.org")
        with Session(self.engine) as session:
            session.merge(Contact(listener=listener.strip(), email=email.strip(), updated=datetime.datetime.now(datetime.UTC)))
            session.commit()
        return {"listener": listener.strip(), "email": email.strip()}

    def contact(self, listener: str) -> str | None:
        with Session(self.engine) as session:
            found = session.get(Contact, listener)
            return found.email if found is not None else None

    def announce(self, artist: str, venue: str, date: str, capacity: int, share: float, hold_hours: float,
                 seed: int | None = None) -> Concert:
        """A concert, `share` of its `capacity` held for superfans for `hold_hours` each."""
        try:
            datetime.date.fromisoformat(date)
        except (TypeError, ValueError):
            raise InvalidRequest(f"a concert's date is like 2027-05-01, not {date!r:.20}") from None
        if not isinstance(capacity, int) or isinstance(capacity, bool) or not 1 <= capacity <= 1_000_000:
            raise InvalidRequest(f"capacity is 1-1,000,000 seats, not {capacity!r:.20}")
        if not 0 < share <= 1:
            raise InvalidRequest(f"the share held for superfans is over 0 and at most 1, not {share!r:.20}")
        if not 0 < hold_hours <= 24 * 30:
            raise InvalidRequest(f"a hold lasts over 0 and at most 720 hours, not {hold_hours!r:.20}")
        for name, text in (("artist", artist), ("venue", venue)):
            if not isinstance(text, str) or not text.strip() or len(text) > 200 or not text.isprintable():
                raise InvalidRequest(f"the concert's {name} is a name of 1-200 characters on one line")
        with Session(self.engine, expire_on_commit=False) as session:
            concert = Concert(artist=artist.strip(), venue=venue.strip(), date=date, capacity=capacity,
                              held=max(1, int(capacity * share)), hold_hours=float(hold_hours),
                              seed=seed if seed is not None else secrets.randbits(62), released=0, sold=0,
                              created=datetime.datetime.now(datetime.UTC))
            session.add(concert)
            session.commit()
            self.record("concert-announced", concert.id, concert.to_dict())
            return concert

    def concert(self, concert_id: int) -> Concert:
        with Session(self.engine, expire_on_commit=False) as session:
            found = session.get(Concert, concert_id)
            if found is None:
                raise NotFound(f"no concert {concert_id}")
            return found

    def holds(self, concert_id: int) -> list[Hold]:
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.scalars(select(Hold).where(Hold.concert_id == concert_id).order_by(Hold.rank)))

    def allocate(self, concert_id: int, fans: list[dict], now: datetime.datetime | None = None) -> list[Hold]:
        """Offer the concert's free held seats to the best-ranked fans not yet offered one (the
        lottery ordering ties); a seat left when no fan is left goes to general sale."""
        now = now or datetime.datetime.now(datetime.UTC)
        concert = self.concert(concert_id)
        with Session(self.engine, expire_on_commit=False) as session:
            offered = {h.listener for h in session.scalars(select(Hold).where(Hold.concert_id == concert_id))}
            taken = session.scalar(select(func.count()).select_from(Hold)
                                   .where(Hold.concert_id == concert_id, Hold.status.in_((OFFERED, CLAIMED))))
            free = concert.held - concert.released - taken
            ranked = [f for f in lottery_order(fans, concert.seed) if f["listener"] not in offered]
            made = []
            for rank, fan in enumerate(ranked[:max(0, free)], start=len(offered) + 1):
                hold = Hold(concert_id=concert_id, listener=fan["listener"], rank=rank, score=fan["score"], status=OFFERED,
                            offered=now, expires=now + datetime.timedelta(hours=concert.hold_hours))
                session.add(hold)
                made.append(hold)
            session.flush()  # the holds' ids, for their notices: written in the same transaction (the outbox)
            session.add_all(Notice(hold_id=h.id, listener=h.listener, created=now, attempts=0) for h in made)
            left = max(0, free - len(made))
            if left:
                session.execute(update(Concert).where(Concert.id == concert_id).values(released=Concert.released + left))
            session.commit()
            for hold in made:
                self.record("hold-offered", concert_id, hold.to_dict())
            if left:
                self.record("seat-released", concert_id, {"seats": left, "why": "no fan left to offer them to"})
            return made

    def claim(self, concert_id: int, listener: str, now: datetime.datetime | None = None) -> Hold:
        """`listener` takes the seat held for them (Conflict when it was claimed or has expired)."""
        now = now or datetime.datetime.now(datetime.UTC)
        with Session(self.engine, expire_on_commit=False) as session:
            done = session.execute(update(Hold).where(Hold.concert_id == concert_id, Hold.listener == listener,
                                                      Hold.status == OFFERED, Hold.expires > now)
                                   .values(status=CLAIMED, claimed=now))
            session.commit()
            hold = session.scalar(select(Hold).where(Hold.concert_id == concert_id, Hold.listener == listener))
        if hold is None:
            raise NotFound(f"no seat of concert {concert_id} is held for {listener!r}")
        if done.rowcount != 1:
            raise Conflict(f"the seat held for {listener!r} was {'claimed already' if hold.status == CLAIMED else 'not claimed in time'}")
        self.record("hold-claimed", concert_id, hold.to_dict())
        return hold

    def expire(self, concert_id: int, fans: list[dict], now: datetime.datetime | None = None) -> dict:
        """End the holds not claimed in time, and offer their seats to the next fans (or to
        general sale when none is left)."""
        now = now or datetime.datetime.now(datetime.UTC)
        with Session(self.engine, expire_on_commit=False) as session:
            late = list(session.scalars(select(Hold).where(Hold.concert_id == concert_id, Hold.status == OFFERED,
                                                           Hold.expires <= now)))
            for hold in late:
                session.execute(update(Hold).where(Hold.id == hold.id, Hold.status == OFFERED).values(status=EXPIRED))
            session.commit()
        for hold in late:
            self.record("hold-expired", concert_id, {**hold.to_dict(), "status": EXPIRED})
        offered = self.allocate(concert_id, fans, now) if late else []
        return {"expired": [h.listener for h in late], "offered": [h.listener for h in offered],
                "released": self.concert(concert_id).released}

    def buy(self, concert_id: int, buyer: str) -> int:
        """One of the held seats let go to general sale, for `buyer`: how many such seats are
        left (Conflict when none is)."""
        with Session(self.engine, expire_on_commit=False) as session:
            done = session.execute(update(Concert).where(Concert.id == concert_id, Concert.sold < Concert.released)
                                   .values(sold=Concert.sold + 1))
            session.commit()
        concert = self.concert(concert_id)
        if done.rowcount != 1:
            raise Conflict(f"no released seat of concert {concert_id} is left")
        self.record("seat-sold", concert_id, {"buyer": buyer})
        return concert.released - concert.sold

    def record(self, event: str, concert_id: int, details: dict) -> None:
        """A custody ledger event of concert `concert_id`."""
        append(self.ledger, event, f"concert {concert_id}", details, signing_identity())


def as_utc(moment: datetime.datetime) -> datetime.datetime:
    """SQLite gives times back without their zone: they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
