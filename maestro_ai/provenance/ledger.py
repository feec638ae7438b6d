"""The custody ledger: an append-only, hash-chained log of what happened to a work (created,
mastered, remixed, consent granted or revoked, published), each entry signed with the local
identity.

One entry is one line of JSON: its index, time, event, subject and details, the SHA-256 of the
entry before it (64 zeros for the first), the signer's certificate, and an ES256 signature over
all of that. `verify` recomputes the chain and every signature, so an edited, removed or
reordered entry is found, and names it. An entry is written with a single append, then fsync'd
on a thread of its own, which holds the ledger's lock until the entry is on disk (the next append,
from this process or another, waits for it, and so does this process's exit): a song does not
wait for the disk to take in every file it just wrote (0.3 s on a busy disk). A crash can leave
only a partial last line, never a changed earlier one, and the next append cuts such a torn tail
away before writing (`verify` reports it until then). Entries cut from the
end leave a shorter chain that still holds: `verify` gives the last entry's hash (`head`), which
kept elsewhere shows such a cut.

>>> import tempfile, pathlib
>>> from maestro_ai.provenance.identity import local_identity
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> me = local_identity(folder / "id", "Ada")
>>> book = folder / "ledger.jsonl"
>>> _ = append(book, "created", "song-1", {"title": "Rain"}, me)
>>> _ = append(book, "published", "song-1", {}, me)
>>> verify(book, me.trust_pem)["ok"]
True
"""
from __future__ import annotations

import base64
import datetime
import fcntl
import hashlib
import json
import os
import threading
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from maestro_ai.core.errors import InvalidRequest, OutputError
from maestro_ai.io.userdata import data_folder
from maestro_ai.provenance.identity import Identity

GENESIS = "0" * 64
TAIL_READ = 65536  # bytes read back from the end at first to find the last entry
EVENTS = ("created", "mastered", "remixed", "consent-granted", "consent-revoked", "published", "verified",
          "concert-announced", "hold-offered", "hold-claimed", "hold-expired", "seat-released", "seat-sold",
          "notice-sent")  # from concert-announced: Reserved


def default_ledger() -> Path:
    return data_folder() / "ledger.jsonl"


def _canonical(entry: dict) -> bytes:
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(entry: dict) -> str:
    """The SHA-256 (hex) of a whole entry, signature included: what the next entry points back to."""
    return hashlib.sha256(_canonical(entry)).hexdigest()


def _complete_lines(path: Path) -> tuple[list[bytes], int]:
    """The ledger's whole lines, and how many bytes they take (a torn last line is left out)."""
    data = path.read_bytes() if path.exists() else b""
    end = data.rfind(b"\n") + 1
    return data[:end].splitlines(), end


def _last_line(descriptor: int) -> tuple[bytes | None, int]:
    """The ledger's last whole line (None: no entry yet) and where the whole lines end, read from
    the end back (a long ledger is not read whole for one append)."""
    size = os.fstat(descriptor).st_size
    tail, step = b"", TAIL_READ
    while True:
        start = max(0, size - len(tail) - step)
        tail = os.pread(descriptor, size - len(tail) - start, start) + tail
        end = tail.rfind(b"\n")  # the end of the last whole line
        begin = tail.rfind(b"\n", 0, max(end, 0))  # the end of the line before it
        if begin >= 0 or start == 0:
            whole = start + end + 1
            return (tail[begin + 1:end] if end >= 0 else None), whole
        step *= 2


def append(path: Path | str, event: str, subject: str, details: dict, identity: Identity) -> dict:
    """Sign and append one entry; the entry as written."""
    if event not in EVENTS:
        raise InvalidRequest(f"unknown ledger event {event!r}; valid: {', '.join(EVENTS)}")
    path = Path(path)
    try:
        return _append(path, event, subject, details, identity)
    except OSError as exc:
        raise OutputError(f"cannot write the custody ledger {str(path)!r}: {exc.strerror or exc}") from None


def _append(path: Path, event: str, subject: str, details: dict, identity: Identity) -> dict:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = serialization.load_pem_private_key(identity.key_pem, password=None)
    certificate = x509.load_pem_x509_certificates(identity.chain_pem)[0].public_bytes(serialization.Encoding.PEM)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
    flushing = False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)  # one writer at a time, across processes
        line, whole = _last_line(descriptor)
        if os.fstat(descriptor).st_size != whole:  # a torn tail from a crash: never acknowledged, cut
            os.ftruncate(descriptor, whole)
        last = json.loads(line) if line else None
        entry = {"index": 0 if last is None else last["index"] + 1,
                 "time": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                 "event": event, "subject": subject, "details": details,
                 "previous": GENESIS if last is None else entry_hash(last),
                 "certificate": certificate.decode()}
        signature = key.sign(_canonical(entry), ec.ECDSA(hashes.SHA256()))
        entry["signature"] = base64.b64encode(signature).decode()
        os.write(descriptor, _canonical(entry) + b"\n")  # one write: the line lands whole or not at all
        threading.Thread(target=_flush_and_close, args=(descriptor,), name="ledger-fsync").start()
        flushing = True
    finally:
        if not flushing:
            os.close(descriptor)  # closing lets go of the lock
    return entry


def _flush_and_close(descriptor: int) -> None:
    """The entry onto the disk, then the ledger let go (closing lets go of the lock)."""
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def verify(path: Path | str, trust_pem: bytes | None = None) -> dict:
    """Check every entry: it parses, its index follows, it points to the entry before it, its
    signature holds for its certificate, and (with `trust_pem`) the certificate was issued by a
    trusted CA. The problems found, each with the entry's index (or line), and the entries' count."""
    path = Path(path)
    if not path.exists():
        raise InvalidRequest(f"no ledger at {str(path)!r}")
    lines, whole = _complete_lines(path)
    problems: list[str] = []
    anchors = x509.load_pem_x509_certificates(trust_pem) if trust_pem else []
    previous, expected = GENESIS, 0
    for number, line in enumerate(lines, 1):
        try:
            entry = json.loads(line)
            body = {k: v for k, v in entry.items() if k != "signature"}
            signature = base64.b64decode(entry["signature"])
            certificate = x509.load_pem_x509_certificate(entry["certificate"].encode())
        except (ValueError, KeyError, TypeError):
            problems.append(f"line {number}: not a ledger entry")
            previous, expected = GENESIS, expected + 1
            continue
        index = entry.get("index")
        if index != expected:
            problems.append(f"entry {index} (line {number}): expected entry {expected} here (removed or reordered)")
        if entry.get("previous") != previous:
            problems.append(f"entry {index} (line {number}): does not follow the entry before it (edited, removed or reordered)")
        try:
            certificate.public_key().verify(signature, _canonical(body), ec.ECDSA(hashes.SHA256()))
        except (InvalidSignature, TypeError, ValueError):
            problems.append(f"entry {index} (line {number}): signature does not match (edited)")
        if anchors and not any(_issued_by(certificate, ca) for ca in anchors):
            problems.append(f"entry {index} (line {number}): signed by an untrusted certificate")
        previous, expected = entry_hash(entry), (index if isinstance(index, int) else expected) + 1
    torn = path.stat().st_size != whole
    if torn:
        problems.append("the last line is incomplete (a crash while writing); the next entry written removes it")
    return {"entries": len(lines), "ok": not problems, "problems": problems, "torn_tail": torn,
            "head": previous if lines else None}


def _issued_by(certificate: x509.Certificate, ca: x509.Certificate) -> bool:
    try:
        certificate.verify_directly_issued_by(ca)
        return True
    except (ValueError, TypeError, InvalidSignature):
        return False
