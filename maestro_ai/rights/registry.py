"""The consent and rights registry: artists, their works (with the shares of whoever owns them),
and consent grants (who may use which work, for what, where and until when), in a real database
through SQLAlchemy: SQLite in Maestro's data folder by default, any SQLAlchemy URL (PostgreSQL)
by choice.

Every change is made as someone (`acting`): only a work's owner registers and grants it, only the
grant's grantor (or the work's owner) revokes it, and a grant is never deleted: a revoked one keeps
its record and the time it was revoked. `permission` answers whether an artist may use a work for
a scope, in a territory, on a day, and names the grant that allows it, or says what is missing.

>>> registry = Registry("sqlite://")
>>> ada, bob = registry.add_artist("Ada"), registry.add_artist("Bob")
>>> work = registry.add_work("Rain", owner="Ada", acting="Ada", shares={"Ada": 7000, "Bob": 3000})
>>> registry.permission(work.id, "Bob", "remix").allowed
False
>>> grant = registry.grant(work.id, to="Bob", scope="remix", acting="Ada")
>>> registry.permission(work.id, "Bob", "remix").grant_id == grant.id
True
"""
from __future__ import annotations

import datetime
import math
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from maestro_ai.core.errors import Conflict, InvalidRequest, NotAllowed, NotFound
from maestro_ai.io.database import Migrations, open_database
from maestro_ai.io.digest import file_sha256
from maestro_ai.io.userdata import data_folder

SCOPES = ("remix", "cover", "sample", "style", "voice", "training")
WORLD = "world"
WHOLE = 10_000  # shares are in basis points: 10,000 is the whole work
PPM = 1_000_000  # a remix's parents carry parts per million of it (a mashup halves a grant's basis points)
# Every change of these tables is a migration in rights/migrations/versions (tests/rights/test_migrations.py
# checks that the last one makes exactly these tables); 0001 is the schema of registries made before them.
MIGRATIONS = Migrations(Path(__file__).parent / "migrations", baseline="0001", baseline_table="artists",
                        version_table="maestro_rights_version")


class Base(DeclarativeBase):
    pass


class Artist(Base):
    __tablename__ = "artists"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))


class Work(Base):
    __tablename__ = "works"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int] = mapped_column(ForeignKey("artists.id"))
    sha256: Mapped[str | None] = mapped_column(String(64), unique=True)  # the file's, when one was given
    created: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
    owner: Mapped[Artist] = relationship()
    shares: Mapped[list[Share]] = relationship(back_populates="work", cascade="all, delete-orphan")
    marks: Mapped[list[WorkMark]] = relationship(back_populates="work", cascade="all, delete-orphan")
    parents: Mapped[list[WorkParent]] = relationship(back_populates="work", cascade="all, delete-orphan",
                                                     foreign_keys="WorkParent.work_id")


class WorkParent(Base):
    """A work a remix (cover, mashup, ...) was made from, and the share of the remix's earnings
    that goes to it (`ppm` of the whole, fixed when the remix was made: a grant revoked later does
    not change it), with the grant that allowed it (None: the remixer owned the parent)."""

    __tablename__ = "work_parents"
    __table_args__ = (UniqueConstraint("work_id", "parent_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id"))
    parent_id: Mapped[int] = mapped_column(ForeignKey("works.id"))
    ppm: Mapped[int] = mapped_column(Integer)
    grant_id: Mapped[int | None] = mapped_column(ForeignKey("grants.id"))
    work: Mapped[Work] = relationship(back_populates="parents", foreign_keys=[work_id])


class WorkMark(Base):
    """Something a copy of the work is recognised by besides its bytes: the payload of the
    watermark in its audio ("watermark", 0x hex), or the label of a Content Credentials manifest
    it was signed with ("manifest")."""

    __tablename__ = "work_marks"
    __table_args__ = (UniqueConstraint("kind", "value"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id"))
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(200))
    work: Mapped[Work] = relationship(back_populates="marks")


class Share(Base):
    __tablename__ = "shares"
    __table_args__ = (UniqueConstraint("work_id", "artist_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id"))
    artist_id: Mapped[int] = mapped_column(ForeignKey("artists.id"))
    basis_points: Mapped[int] = mapped_column(Integer)
    work: Mapped[Work] = relationship(back_populates="shares")
    artist: Mapped[Artist] = relationship()


class Grant(Base):
    __tablename__ = "grants"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id"))
    grantee_id: Mapped[int] = mapped_column(ForeignKey("artists.id"))
    grantor_id: Mapped[int] = mapped_column(ForeignKey("artists.id"))
    scope: Mapped[str] = mapped_column(String(20))
    territory: Mapped[str] = mapped_column(String(20))
    expires: Mapped[datetime.date | None] = mapped_column(Date)
    created: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
    revoked: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
    keeps_points: Mapped[int | None] = mapped_column(Integer)  # of a remix's or cover's earnings, the owners' (basis points)
    work: Mapped[Work] = relationship()
    grantee: Mapped[Artist] = relationship(foreign_keys=[grantee_id])
    grantor: Mapped[Artist] = relationship(foreign_keys=[grantor_id])


MARK_KINDS = ("watermark", "manifest")


@dataclass(frozen=True)
class Match:
    """The registered work a file was recognised as, and by what: "file" (its SHA-256), or one of
    MARK_KINDS with the value that matched."""

    work_id: int
    title: str
    owner: str
    by: str
    value: str


@dataclass(frozen=True)
class Permission:
    """Whether a use is allowed, the grant that allows it (None if none), and why, in words."""

    allowed: bool
    grant_id: int | None
    reason: str
    keeps_points: int | None = None  # the grant's terms: what the work's owners keep of a remix's earnings


def iso_date(text: str | None) -> datetime.date | None:
    """A day written YYYY-MM-DD (None for nothing), or an InvalidRequest.

    >>> iso_date("2027-01-31")
    datetime.date(2027, 1, 31)
    """
    try:
        return datetime.date.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        raise InvalidRequest(f"a date is YYYY-MM-DD, not {text!r:.20}") from None


def checked_territory(text: object) -> str:
    """'world' or a two-letter country code (ISO 3166), lower case.

    >>> checked_territory("DE"), checked_territory(" world ")
    ('de', 'world')
    """
    value = text.strip().lower() if isinstance(text, str) else ""
    if value != WORLD and not (len(value) == 2 and value.isascii() and value.isalpha()):
        raise InvalidRequest(f"a territory is 'world' or a two-letter country code like 'de', not {text!r:.20}")
    return value


def percent_points(percent: object) -> int | None:
    """A percent (62.5) as basis points (6250); None stays None.

    >>> percent_points(62.5), percent_points(None)
    (6250, None)
    """
    if percent is None:
        return None
    if isinstance(percent, bool) or not isinstance(percent, (int, float)) or not math.isfinite(percent) or not 0 <= percent <= 100:
        raise InvalidRequest(f"a share is a percent from 0 to 100, not {percent!r:.20}")
    return round(percent * 100)


def default_url() -> str:
    """$MAESTRO_RIGHTS_DB, else the SQLite file in Maestro's data folder."""
    return os.environ.get("MAESTRO_RIGHTS_DB") or f"sqlite:///{data_folder() / 'rights.db'}"


def existing_registry() -> Registry | None:
    """The default registry if there is one ($MAESTRO_RIGHTS_DB, or a SQLite file already made),
    else None: nothing is registered, and asking must not make an empty database."""
    if not os.environ.get("MAESTRO_RIGHTS_DB") and not (data_folder() / "rights.db").exists():
        return None
    return Registry()


def _saved(session: Session, thing: Base, clash: str) -> Base:
    """`thing` added and committed; `clash` as the error when it breaks a uniqueness rule."""
    session.add(thing)
    try:
        session.commit()
    except IntegrityError:
        raise InvalidRequest(clash) from None
    return thing


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


class Registry:
    """The registry at a database URL (the user's SQLite file by default); tables are made on first use."""

    def __init__(self, url: str | None = None) -> None:
        self.engine = open_database(url or default_url(), Base.metadata, "the rights registry", migrations=MIGRATIONS)

    def _artist(self, session: Session, name: str) -> Artist:
        artist = session.scalar(select(Artist).where(Artist.name == name))
        if artist is None:
            raise NotFound(f"no artist called {name!r} in the registry; add them first")
        return artist

    def _work(self, session: Session, work_id: int) -> Work:
        work = session.get(Work, work_id)
        if work is None:
            raise NotFound(f"no work {work_id} in the registry")
        return work

    def add_artist(self, name: str) -> Artist:
        name = (name or "").strip()
        if not name or len(name) > 200:
            raise InvalidRequest("an artist needs a name (1-200 characters)")
        with Session(self.engine, expire_on_commit=False) as session:
            return _saved(session, Artist(name=name, created=_now()), f"an artist called {name!r} is already registered")

    def add_work(self, title: str, *, owner: str, acting: str, path: Path | str | None = None,
                 shares: dict[str, int] | None = None, marks: list[tuple[str, str]] = (),
                 sha256: str | None = None, parents: list[tuple[int, int, int | None]] = ()) -> Work:
        """Register a work (and its file's SHA-256: `sha256` when already known, else read from
        `path`); only its owner may. `shares`: artist name to basis points, adding up to 10,000
        (the owner holds it all when omitted) of what the work's parents leave; `marks`: (kind,
        value) its copies are recognised by (see WorkMark); `parents`: for a remix, (parent work,
        parts per million of its earnings the parent carries, the grant that allowed it)."""
        if acting != owner:
            raise NotAllowed(f"only {owner} can register {owner}'s work, not {acting}")
        shares = shares or {owner: WHOLE}
        if sum(shares.values()) != WHOLE or any(not 0 < v <= WHOLE for v in shares.values()):
            raise InvalidRequest(f"shares must be positive and add up to 100 % (10,000 basis points), not {sum(shares.values())}")
        if any(not 0 <= ppm <= PPM for _, ppm, _ in parents) or sum(ppm for _, ppm, _ in parents) > PPM:
            raise InvalidRequest("a remix's parents carry 0 to 100 % of it, together at most 100 %")
        with Session(self.engine, expire_on_commit=False) as session:
            work = Work(title=title, owner=self._artist(session, owner), created=_now(),
                        sha256=sha256 or (file_sha256(path) if path is not None else None))
            work.shares = [Share(artist=self._artist(session, name), basis_points=points) for name, points in shares.items()]
            work.parents = [WorkParent(parent_id=self._work(session, parent).id, ppm=ppm, grant_id=grant)
                            for parent, ppm, grant in parents]
            work.marks = []
            for kind, value in dict.fromkeys(marks):
                if kind not in MARK_KINDS:
                    raise InvalidRequest(f"unknown mark kind {kind!r}; valid: {', '.join(MARK_KINDS)}")
                if (known := self._marked(session, kind, value)) is not None:
                    raise InvalidRequest(f"that file's {kind} {value} is already registered as work {known.id} ({known.title!r})")
                work.marks.append(WorkMark(kind=kind, value=value))
            return _saved(session, work, f"that file is already registered as a work ({Path(path or '').name})")

    @staticmethod
    def _marked(session: Session, kind: str, value: str) -> Work | None:
        return session.scalar(select(Work).join(WorkMark).where(WorkMark.kind == kind, WorkMark.value == value))

    def match(self, sha256: str | None = None, marks: list[tuple[str, str]] = ()) -> Match | None:
        """The registered work a file is, recognised by its SHA-256 first, then by its marks in
        the order given; None when nothing matches."""
        with Session(self.engine) as session:
            if sha256 and (work := session.scalar(select(Work).where(Work.sha256 == sha256))) is not None:
                return Match(work.id, work.title, work.owner.name, "file", sha256)
            for kind, value in marks:
                if (work := self._marked(session, kind, value)) is not None:
                    return Match(work.id, work.title, work.owner.name, kind, value)
        return None

    def grant(self, work_id: int, *, to: str, scope: str, acting: str, territory: str = WORLD,
              expires: datetime.date | None = None, keeps_points: int | None = None) -> Grant:
        """Consent for `to` to use the work for `scope` in `territory` until `expires` (inclusive);
        `keeps_points`: the share of what the remix or cover earns that the work's owners keep
        (basis points of 10,000; None: the grant does not say)."""
        if scope not in SCOPES:
            raise InvalidRequest(f"unknown scope {scope!r}; valid: {', '.join(SCOPES)}")
        territory = checked_territory(territory)
        if expires is not None and expires < _now().date():
            raise InvalidRequest(f"a grant that expired on {expires} would allow nothing: give a day from today on")
        if keeps_points is not None and (not isinstance(keeps_points, int) or not 0 <= keeps_points <= WHOLE):
            raise InvalidRequest(f"the share the owners keep is 0 to 100 %, not {keeps_points!r:.20} basis points")
        with Session(self.engine, expire_on_commit=False) as session:
            work = self._work(session, work_id)
            if work.owner.name != acting:
                raise NotAllowed(f"only {work.owner.name}, who owns work {work_id}, can grant it, not {acting}")
            grant = Grant(work=work, grantee=self._artist(session, to), grantor=self._artist(session, acting),
                          scope=scope, territory=territory, expires=expires, created=_now(),
                          keeps_points=keeps_points)
            session.add(grant)
            session.commit()
            return grant

    def revoke(self, grant_id: int, *, acting: str) -> Grant:
        with Session(self.engine, expire_on_commit=False) as session:
            grant = session.get(Grant, grant_id)
            if grant is None:
                raise NotFound(f"no grant {grant_id} in the registry")
            if acting not in (grant.grantor.name, grant.work.owner.name):
                raise NotAllowed(f"only {grant.grantor.name} can revoke grant {grant_id}, not {acting}")
            if grant.revoked is not None:
                raise Conflict(f"grant {grant_id} was already revoked on {grant.revoked:%Y-%m-%d}")
            grant.revoked = _now()
            session.commit()
            return grant

    def permission(self, work_id: int, artist: str, scope: str, territory: str = WORLD,
                   on: datetime.date | None = None) -> Permission:
        """Whether `artist` may use the work for `scope` in `territory` on `on` (today)."""
        if scope not in SCOPES:
            raise InvalidRequest(f"unknown scope {scope!r:.40}; valid: {', '.join(SCOPES)}")
        on = on or _now().date()
        territory = territory.strip().lower()
        with Session(self.engine) as session:
            work = self._work(session, work_id)
            if work.owner.name == artist:
                return Permission(True, None, f"{artist} owns work {work_id}")
            grants = session.scalars(select(Grant).where(Grant.work_id == work_id, Grant.scope == scope)
                                     .join(Artist, Grant.grantee_id == Artist.id).where(Artist.name == artist)).all()
            for grant in grants:
                if grant.revoked is None and (grant.expires is None or on <= grant.expires) \
                        and grant.territory in (WORLD, territory):
                    return Permission(True, grant.id, f"grant {grant.id}: {scope} by {artist} in {grant.territory}",
                                      grant.keeps_points)
            why = ("it was revoked" if any(g.revoked for g in grants) else
                   "it has expired" if any(g.expires and on > g.expires for g in grants) else
                   f"it does not cover {territory}" if grants else "there is none")
            return Permission(False, None, f"no grant lets {artist} use work {work_id} ({work.title!r}) for {scope}: {why}")

    def owner_of(self, work_id: int) -> str:
        with Session(self.engine) as session:
            return self._work(session, work_id).owner.name

    def ancestry(self, work_ids: list[int]) -> list[dict]:
        """The works `work_ids` and every work they were made from, as `listing()` gives works."""
        found: dict[int, dict] = {}
        with Session(self.engine) as session:
            wanted = list(work_ids)
            while wanted:
                work = self._work(session, wanted.pop())
                if work.id not in found:
                    found[work.id] = _work_data(work)
                    wanted.extend(p.parent_id for p in work.parents)
        return [found[i] for i in sorted(found)]

    def listing(self) -> dict:
        """Everything in the registry, as plain data."""
        with Session(self.engine) as session:
            return {
                "artists": [a.name for a in session.scalars(select(Artist).order_by(Artist.id))],
                "works": [_work_data(w) for w in session.scalars(select(Work).order_by(Work.id))],
                "grants": [{"id": g.id, "work": g.work_id, "to": g.grantee.name, "by": g.grantor.name, "scope": g.scope,
                            "territory": g.territory, "expires": g.expires.isoformat() if g.expires else None,
                            "revoked": g.revoked.isoformat() if g.revoked else None, "keeps_points": g.keeps_points}
                           for g in session.scalars(select(Grant).order_by(Grant.id))]}


def _work_data(work: Work) -> dict:
    return {"id": work.id, "title": work.title, "owner": work.owner.name, "sha256": work.sha256,
            "shares": {s.artist.name: s.basis_points for s in work.shares},
            "marks": [{"kind": m.kind, "value": m.value} for m in work.marks],
            "parents": [{"work": p.parent_id, "ppm": p.ppm, "grant": p.grant_id} for p in work.parents]}
