"""The custody ledger: every edit, removal and reordering is found; a crash mid-write leaves no
torn entry behind; the shell verifies it."""
import json
import multiprocessing
import threading
import time

import pytest

from maestro_ai.cli.main import main
from maestro_ai.core.errors import InvalidRequest
from maestro_ai.provenance.identity import local_identity
from maestro_ai.provenance.ledger import append, entry_hash, verify


@pytest.fixture
def book(tmp_path, monkeypatch):
    monkeypatch.setenv("MAESTRO_HOME", str(tmp_path / "home"))
    me = local_identity(name="Ada")
    path = tmp_path / "home" / "ledger.jsonl"
    for k, event in enumerate(["created", "mastered", "consent-granted", "published", "remixed"]):
        append(path, event, f"song-{k // 2}", {"step": k}, me)
    return path, me


def _lines(path):
    return path.read_bytes().splitlines(keepends=True)


def test_an_untouched_ledger_verifies_and_chains_its_entries(book):
    path, me = book
    report = verify(path, me.trust_pem)
    entries = [json.loads(line) for line in _lines(path)]
    assert report == {"entries": 5, "ok": True, "problems": [], "torn_tail": False, "head": entry_hash(entries[-1])}
    assert [e["index"] for e in entries] == [0, 1, 2, 3, 4] and entries[0]["previous"] == "0" * 64


def test_an_edited_entry_is_found(book):
    path, me = book
    lines = _lines(path)
    lines[2] = lines[2].replace(b'"step":2', b'"step":9')
    path.write_bytes(b"".join(lines))
    report = verify(path, me.trust_pem)
    assert not report["ok"] and any("entry 2" in p and "signature" in p for p in report["problems"])


def test_a_removed_or_reordered_entry_is_found(book):
    path, me = book
    lines = _lines(path)
    path.write_bytes(b"".join(lines[:2] + lines[3:]))
    assert any("expected entry 2" in p for p in verify(path)["problems"])
    path.write_bytes(b"".join([lines[0], lines[2], lines[1], *lines[3:]]))
    assert not verify(path)["ok"]
    path.write_bytes(b"".join(lines[1:]))  # the first one gone
    assert not verify(path)["ok"]


def test_a_stranger_s_entries_are_untrusted(book, tmp_path):
    path, me = book
    stranger = local_identity(tmp_path / "stranger", "Mallory")
    append(path, "published", "song-9", {}, stranger)
    report = verify(path, me.trust_pem)
    assert report["problems"] == ["entry 5 (line 6): signed by an untrusted certificate"]


def test_a_crash_mid_write_leaves_no_torn_entry(book):
    path, me = book
    with open(path, "ab") as f:
        f.write(b'{"index":5,"time":"2026-11-28T')  # what a crash in the middle of a write leaves
    report = verify(path, me.trust_pem)
    assert report["torn_tail"] and report["entries"] == 5 and not report["ok"]
    append(path, "published", "song-3", {}, me)
    assert verify(path, me.trust_pem)["ok"] and len(_lines(path)) == 6


def _append_many(path, count):
    me = local_identity()
    for k in range(count):
        append(path, "published", f"p{k}", {}, me)


def test_appends_from_two_processes_interleave_without_breaking_the_chain(book):
    path, me = book
    workers = [multiprocessing.Process(target=_append_many, args=(path, 15)) for _ in range(2)]
    [w.start() for w in workers]
    [w.join(60) for w in workers]
    report = verify(path, me.trust_pem)
    assert report["ok"] and report["entries"] == 35


def test_the_shell_verifies_the_ledger(book, capsys):
    path, _ = book
    assert main(["ledger", "verify"]) == 0
    assert "5 entries, all signed and in order" in capsys.readouterr().out
    assert main(["ledger", "add", "published", "song-1", "--note", "on the label's site"]) == 0
    assert main(["ledger", "verify", "--json"]) == 0
    said = capsys.readouterr().out
    assert json.loads(said[said.index("{"):])["entries"] == 6
    path.write_bytes(path.read_bytes().replace(b'"step":1', b'"step":7'))
    assert main(["ledger", "verify"]) == 1
    assert "signature does not match" in capsys.readouterr().out
    assert main(["ledger", "add", "sold", "song-1"]) == 2
    with pytest.raises(InvalidRequest, match="no ledger"):
        verify(path.with_name("none.jsonl"))


def test_a_long_ledger_is_appended_to_from_its_tail(book, monkeypatch):
    path, me = book
    from maestro_ai.provenance import ledger

    monkeypatch.setattr(ledger, "TAIL_READ", 100)  # shorter than one entry: the last entry is found by reading further back
    append(path, "published", "song-3", {"note": "x" * 5000}, me)
    with open(path, "ab") as f:
        f.write(b'{"index":6,"details":"' + b"y" * 3000)  # a torn tail longer than the first read back
    append(path, "published", "song-4", {}, me)
    report = verify(path, me.trust_pem)
    assert report["ok"] and report["entries"] == 7 and json.loads(_lines(path)[-1])["index"] == 6


def test_every_entry_is_flushed_to_disk_and_the_next_append_waits_for_the_flush(book, monkeypatch):
    path, me = book
    from maestro_ai.provenance import ledger

    synced = []
    monkeypatch.setattr(ledger.os, "fsync", lambda descriptor: (time.sleep(1.0), synced.append(descriptor)))
    began = time.perf_counter()
    append(path, "published", "song-3", {}, me)
    assert time.perf_counter() - began < 1.0  # the song does not wait for the disk
    append(path, "published", "song-4", {}, me)  # takes the lock only once the first flush let go of it
    assert len(synced) >= 1
    for thread in threading.enumerate():
        if thread.name == "ledger-fsync":
            thread.join()
    assert len(synced) == 2 and verify(path, me.trust_pem)["entries"] == 7
