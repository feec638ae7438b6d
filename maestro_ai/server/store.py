"""What `maestro serve` keeps: API keys (only their SHA-256), generation jobs (a queue that
survives a restart) and the tracks they made, in a real database through SQLAlchemy: SQLite in
Maestro's data folder by default, any SQLAlchemy URL (PostgreSQL) by choice.

A key's secret is shown once, when it is made; it is 32 random bytes, so its SHA-256 is all a
check needs (no slow password hash: nothing guessable to protect). A job is claimed by one
worker at a time (an UPDATE that only succeeds on a queued job); `requeue_interrupted` puts back
the jobs a stopped server left running, to be done again from the start (a track folder appears
whole or not at all, so a job cut short leaves nothing behind).

>>> store = Store("sqlite://")
>>> key, secret = store.create_key("studio", ["read", "create"])
>>> store.authenticate(secret).name, store.authenticate("mk_wrong")
('studio', None)
>>> job = store.enqueue(key.id, {"genre": "house"})
>>> store.claim_next().id == job.id, store.claim_next()
(True, None)
"""
from __future__ import annotations

import datetime
import hashlib
import json
import os
import secrets
import time
from pathlib import Path

from sqlalchemy import BigInteger, DateTime, Float, ForeignKey, Integer, String, Text, delete, select, update
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.io.database import Migrations, open_database
from maestro_ai.io.userdata import data_folder

SCOPES = ("read", "create", "admin")
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
KEY_PREFIX = "mk_"
KEY_CACHE_SECONDS = 10.0
TRACK_CACHE = 10_000  # track records kept in memory (a few MB)
DEFAULT_RATE = 20.0  # requests a second a key may make (with bursts of twice that: server.limits)
# Every change of these tables is a migration in server/migrations/versions (tests/server/test_migrations.py
# checks that the last one makes exactly these tables); 0001 is the schema of databases made before them.
MIGRATIONS = Migrations(Path(__file__).parent / "migrations", baseline="0001", baseline_table="api_keys",
                        version_table="maestro_server_version")


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


class Base(DeclarativeBase):
    pass


class ApiKey(Base):
    __tablename__ = "api_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[str] = mapped_column(String(100))  # comma-separated, from SCOPES
    rate: Mapped[float] = mapped_column(Float, default=DEFAULT_RATE)  # requests a second (0: no limit)
    created: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
    artist: Mapped[str | None] = mapped_column(String(200))  # whom it acts as in the rights registry (None: its name)

    def allows(self, scope: str) -> bool:
        """Whether the key has `scope` (admin has every scope)."""
        held = self.scopes.split(",")
        return scope in held or "admin" in held

    @property
    def acting(self) -> str:
        """The artist the key acts as in the rights registry."""
        return self.artist or self.name


class Job(Base):
    __tablename__ = "jobs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id"))
    request: Mapped[str] = mapped_column(Text)  # JSON: what POST /v1/tracks was given
    status: Mapped[str] = mapped_column(String(10), index=True)
    stage: Mapped[str | None] = mapped_column(String(20))
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    track_id: Mapped[int | None] = mapped_column(ForeignKey("tracks.id"))
    variation_of: Mapped[int | None] = mapped_column(ForeignKey("tracks.id"))  # the track a variation is made from
    created: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
    updated: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))

    def to_dict(self) -> dict:
        return {"id": self.id, "status": self.status, "stage": self.stage, "progress": round(self.progress, 3),
                "attempts": self.attempts, "error": self.error, "track_id": self.track_id, "variation_of": self.variation_of,
                "request": json.loads(self.request), "created": self.created.isoformat(),
                "updated": self.updated.isoformat()}


class TrackRecord(Base):
    __tablename__ = "tracks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id"))
    folder: Mapped[str] = mapped_column(Text)  # the track folder, made by the server itself
    title: Mapped[str] = mapped_column(String(300))
    created: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))


class Upload(Base):
    __tablename__ = "uploads"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id"))
    name: Mapped[str] = mapped_column(String(200))  # what the client called it (shown, never used as a path)
    kind: Mapped[str] = mapped_column(String(10))  # audio or midi, judged by its content (io.sniff)
    format: Mapped[str] = mapped_column(String(10))  # wav, flac, ogg, mp3, aiff or mid
    bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    folder: Mapped[str] = mapped_column(Text)  # made by the server: the upload and what was made of it
    created: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))

    @property
    def source(self) -> str:
        """The uploaded file's name in its folder."""
        return f"source.{self.format}"

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "kind": self.kind, "format": self.format, "bytes": self.bytes,
                "sha256": self.sha256, "created": self.created.isoformat()}


def default_url() -> str:
    """$MAESTRO_SERVER_DB, else an SQLite file in Maestro's data folder."""
    return os.environ.get("MAESTRO_SERVER_DB") or f"sqlite:///{data_folder() / 'server.db'}"


class Store:
    """The server's database at `url` (made, with its tables, on first use)."""

    def __init__(self, url: str | None = None) -> None:
        self._keys: dict[str, tuple[ApiKey, float]] = {}  # SHA-256 -> (key, until when it is trusted unread)
        self._tracks: dict[int, TrackRecord] = {}  # id -> record, as read (a record is written once, never changed)
        self.engine = open_database(url or default_url(), Base.metadata, "the server's database", threads=True,
                                    migrations=MIGRATIONS)

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    # keys
    def create_key(self, name: str, scopes: list[str], rate: float = DEFAULT_RATE,
                   artist: str | None = None) -> tuple[ApiKey, str]:
        """A new key and its secret (shown once: only its SHA-256 is kept); `rate`: the requests a
        second it may make (0: no limit); `artist`: whom it acts as in the rights registry
        (default: its name)."""
        if not isinstance(rate, (int, float)) or not 0 <= rate <= 100_000:
            raise InvalidRequest(f"a key's rate is 0 (no limit) to 100000 requests a second, not {rate!r}")
        if bad := sorted(set(scopes) - set(SCOPES)):
            raise InvalidRequest(f"unknown scope(s) {', '.join(bad)}; valid: {', '.join(SCOPES)}")
        if not scopes:
            raise InvalidRequest(f"a key needs at least one scope: {', '.join(SCOPES)}")
        if not name.strip():
            raise InvalidRequest("a key needs a name (who or what uses it)")
        if artist is not None and not 0 < len(artist.strip()) <= 200:
            raise InvalidRequest("the artist a key acts as needs a name (1-200 characters)")
        secret = KEY_PREFIX + secrets.token_urlsafe(32)
        key = ApiKey(name=name.strip(), sha256=hashlib.sha256(secret.encode()).hexdigest(),
                     scopes=",".join(s for s in SCOPES if s in scopes), rate=float(rate), created=now(),
                     artist=artist.strip() if artist else None)
        with self.session() as session:
            session.add(key)
            session.commit()
        return key, secret

    def authenticate(self, secret: str) -> ApiKey | None:
        """The key whose secret this is, or None. A key found is remembered for KEY_CACHE_SECONDS
        (every request carries its key: one query fewer per request)."""
        digest = hashlib.sha256(secret.encode()).hexdigest()
        cached = self._keys.get(digest)
        if cached is not None and cached[1] > time.monotonic():
            return cached[0]
        with self.session() as session:
            key = session.scalar(select(ApiKey).where(ApiKey.sha256 == digest))
        if key is not None:
            self._keys[digest] = (key, time.monotonic() + KEY_CACHE_SECONDS)
        return key

    def key(self, key_id: int) -> ApiKey | None:
        with self.session() as session:
            return session.get(ApiKey, key_id)

    # jobs
    def enqueue(self, key_id: int, request: dict, variation_of: int | None = None) -> Job:
        """Queue a song (`request` as POST /v1/tracks takes it), or a variation of track
        `variation_of` (`request`: its kind and options)."""
        with self.session() as session:
            job = Job(key_id=key_id, request=json.dumps(request), status=QUEUED, progress=0.0, attempts=0,
                      variation_of=variation_of, created=now(), updated=now())
            session.add(job)
            session.commit()
            return job

    def job(self, job_id: int) -> Job | None:
        """The job as it is now (read with a plain SELECT: the most frequent read of all, as
        clients follow their jobs' progress)."""
        with self.engine.connect() as connection:
            row = connection.execute(select(Job.__table__).where(Job.id == job_id)).first()
        return Job(**row._mapping) if row is not None else None

    def claim_next(self) -> Job | None:
        """The oldest queued job, now running (None when the queue is empty); only one claimer
        can win a job."""
        with self.session() as session:
            while (job_id := session.scalar(select(Job.id).where(Job.status == QUEUED).order_by(Job.id).limit(1))) is not None:
                won = session.execute(update(Job).where(Job.id == job_id, Job.status == QUEUED)
                                      .values(status=RUNNING, attempts=Job.attempts + 1, updated=now())).rowcount
                session.commit()
                if won:
                    return session.get(Job, job_id)
            return None

    def claim(self, job_id: int, retake: bool = False) -> bool:
        """Take job `job_id` to make it: whether it was queued (or, with `retake`, left running by
        a worker that died); a job already done, failed or taken is not made twice."""
        taken = (QUEUED, RUNNING) if retake else (QUEUED,)
        with self.session() as session:
            won = session.execute(update(Job).where(Job.id == job_id, Job.status.in_(taken))
                                  .values(status=RUNNING, stage=None, progress=0.0, attempts=Job.attempts + 1,
                                          updated=now())).rowcount
            session.commit()
            return bool(won)

    def progress(self, job_id: int, stage: str, fraction: float) -> None:
        with self.session() as session:
            session.execute(update(Job).where(Job.id == job_id).values(stage=stage, progress=fraction, updated=now()))
            session.commit()

    def finish(self, job_id: int, folder: str, title: str) -> TrackRecord:
        """Record the job's track and mark the job done."""
        with self.session() as session:
            job = session.get(Job, job_id)
            track = TrackRecord(key_id=job.key_id, folder=folder, title=title, created=now())
            session.add(track)
            session.flush()
            job.status, job.track_id, job.progress, job.stage, job.updated = DONE, track.id, 1.0, "done", now()
            session.commit()
            return track

    def fail(self, job_id: int, message: str) -> None:
        with self.session() as session:
            session.execute(update(Job).where(Job.id == job_id).values(status=FAILED, error=message, updated=now()))
            session.commit()

    def requeue_interrupted(self) -> int:
        """Put the jobs a stopped server left running back in the queue; how many."""
        with self.session() as session:
            count = session.execute(update(Job).where(Job.status == RUNNING)
                                    .values(status=QUEUED, stage=None, progress=0.0, updated=now())).rowcount
            session.commit()
            return count

    # tracks
    def track(self, track_id: int) -> TrackRecord | None:
        """The track record (kept in memory once read: a track's record never changes)."""
        if track_id in self._tracks:
            return self._tracks[track_id]
        with self.session() as session:
            track = session.get(TrackRecord, track_id)
        if track is not None:
            if len(self._tracks) >= TRACK_CACHE:
                self._tracks.clear()
            self._tracks[track_id] = track
        return track

    def tracks(self, key: ApiKey) -> list[TrackRecord]:
        """The tracks `key` may see: its own, or every one for an admin key."""
        with self.session() as session:
            query = select(TrackRecord).order_by(TrackRecord.id)
            if not key.allows("admin"):
                query = query.where(TrackRecord.key_id == key.id)
            return list(session.scalars(query))

    # uploads
    def add_upload(self, key_id: int, name: str, kind: str, format: str, size: int, sha256: str, folder: str) -> Upload:
        with self.session() as session:
            upload = Upload(key_id=key_id, name=name, kind=kind, format=format, bytes=size, sha256=sha256,
                            folder=folder, created=now())
            session.add(upload)
            session.commit()
            return upload

    def move_upload(self, upload_id: int, folder: str) -> None:
        with self.session() as session:
            session.execute(update(Upload).where(Upload.id == upload_id).values(folder=folder))
            session.commit()

    def remove_upload(self, upload_id: int) -> None:
        with self.session() as session:
            session.execute(delete(Upload).where(Upload.id == upload_id))
            session.commit()

    def upload(self, upload_id: int) -> Upload | None:
        with self.session() as session:
            return session.get(Upload, upload_id)

    def uploads(self, key: ApiKey) -> list[Upload]:
        """The uploads `key` may see: its own, or every one for an admin key."""
        with self.session() as session:
            query = select(Upload).order_by(Upload.id)
            if not key.allows("admin"):
                query = query.where(Upload.key_id == key.id)
            return list(session.scalars(query))
