"""Clearing what a piece is made from: every file a person gives Maestro to build on (a melody
seed, a mastering reference, the parent of a remix) is recognised as the registered work it is,
by its bytes, by its Content Credentials, or by the watermark in its audio (which an MP3 of a
stem still carries), and the rights registry is asked whether the artist acting holds a grant for
that use. A use without one is refused before anything is made, naming the grant that is missing.

How a file is used decides the scope it needs (`SCOPES`): a work's melody sung or played again
is a cover, a reference's sound is its style, a variation of a song is a remix. Owners need no
grant for their own works. Files that match no registered work are used freely (and, with a
fingerprint, recorded as ingredients); with no registry at all, only their fingerprint is taken.

>>> SCOPES["melody"], SCOPES["reference"], SCOPES["parent"]
('cover', 'style', 'remix')
"""
from __future__ import annotations

import getpass
from dataclasses import dataclass
from pathlib import Path

from maestro_ai.core.errors import InvalidRequest, NotAllowed
from maestro_ai.provenance.fingerprint import Fingerprint, fingerprint, listen
from maestro_ai.provenance.ledger import append, default_ledger
from maestro_ai.provenance.seal import signing_identity
from maestro_ai.rights.registry import WORLD, Match, Permission, Registry, existing_registry

SCOPES = {"melody": "cover", "reference": "style", "parent": "remix", "covered": "cover", "sampled": "sample"}
RECOGNISED_BY = {"file": "bytes (SHA-256)", "manifest": "Content Credentials", "watermark": "watermark"}


def acting_artist(name: str | None = None) -> str:
    """Who a command acts for: the name given (`--as`), else the login name."""
    return (name or "").strip() or getpass.getuser()


@dataclass(frozen=True)
class Clearance:
    """One input's clearance: how it is used (`role`), its fingerprint, the registered work it is
    (None: none), and the grant that lets the artist use it (None: their own work, or none needed)."""

    role: str
    fingerprint: Fingerprint
    match: Match | None = None
    permission: Permission | None = None

    def to_dict(self) -> dict:
        """What track.json records of an input."""
        work = None if self.match is None else {"id": self.match.work_id, "title": self.match.title,
                                                "owner": self.match.owner, "recognised_by": self.match.by}
        return {"role": self.role, "scope": SCOPES[self.role], **self.fingerprint.to_dict(), "work": work,
                "grant": self.permission.grant_id if self.permission else None,
                "cleared": self.permission.reason if self.permission else "not a registered work"}


def recognise(path: Path | str, registry: Registry) -> tuple[Fingerprint, Match | None]:
    """The file's fingerprint and the registered work it is: by its bytes and credentials first,
    then (audio only, and only when those found nothing) by the watermark heard in it."""
    found = fingerprint(path)
    match = registry.match(found.sha256, found.marks())
    if match is None and found.is_audio:
        found = listen(found)
        if found.watermark is not None:
            match = registry.match(None, [("watermark", f"0x{found.watermark:016x}")])
    return found, match


def clear(path: Path | str, role: str, artist: str | None = None, registry: Registry | None = None,
          territory: str = WORLD) -> Clearance:
    """Clear one input for `artist` (default: the login name) in `territory`; NotAllowed, saying
    which grant is missing, when it is another artist's registered work and no live grant covers
    the use."""
    if role not in SCOPES:
        raise ValueError(f"unknown input role {role!r}")
    path, artist = Path(path), acting_artist(artist)
    if not path.is_file():
        raise InvalidRequest(f"cannot read the {role} {str(path)!r}: no such file")
    registry = registry or existing_registry()
    if registry is None:
        return Clearance(role, fingerprint(path))
    found, match = recognise(path, registry)
    if match is None:
        return Clearance(role, found)
    return Clearance(role, found, match, _allowed(match, SCOPES[role], artist, registry, path.name, territory))


def clear_again(recorded: dict, artist: str | None = None, registry: Registry | None = None) -> None:
    """Ask again for an input an earlier song recorded (`Clearance.to_dict()`): a variation of a
    song made from another's work needs the grant still (a revoked one stops it)."""
    work = recorded.get("work")
    registry = registry or existing_registry()
    if work and registry is not None:
        match = Match(work["id"], work["title"], work["owner"], work.get("recognised_by", "file"), "")
        _allowed(match, recorded["scope"], acting_artist(artist), registry, Path(recorded.get("file", "")).name)


def _allowed(match: Match, scope: str, artist: str, registry: Registry, name: str, territory: str = WORLD) -> Permission:
    answer = registry.permission(match.work_id, artist, scope, territory)
    if not answer.allowed:
        raise NotAllowed(f"{name} is work {match.work_id} ({match.title!r}) of {match.owner}, recognised by its "
                         f"{RECOGNISED_BY.get(match.by, match.by)}; {answer.reason}. {match.owner} can grant it: maestro rights grant "
                         f"{match.work_id} --to {artist!r} --scope {scope}"
                         f"{'' if territory == WORLD else ' --territory ' + territory} --as {match.owner!r}")
    return answer


def register_work(registry: Registry, path: Path | str, *, title: str | None, owner: str, acting: str,
                  shares: dict[str, int] | None = None, parents: list[tuple[int, int, int | None]] = ()):
    """Register a work from its file, with everything its copies are recognised by: the file's
    SHA-256, its credentials' manifests and watermark payloads, and the watermark heard in it
    (`parents`: a remix's, as Registry.add_work takes them; a remix is recognised by its own
    marks, not those of the songs it names as its ingredients)."""
    found = listen(fingerprint(path))
    return registry.add_work(title or Path(path).stem, owner=owner, acting=acting, path=path, shares=shares,
                             marks=found.own_marks() if parents else found.marks(), sha256=found.sha256, parents=parents)


def log_consent(event: str, work_id: int, details: dict, ledger: Path | None = None) -> dict:
    """Append a consent event ("consent-granted", "consent-revoked") about a work to the custody
    ledger (the user's own by default), signed by the signing identity."""
    return append(ledger or default_ledger(), event, f"work {work_id}", details, signing_identity())
