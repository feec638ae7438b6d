"""Reserved's notices, sent to a real SMTP server (aiosmtpd, on loopback) and read back as the
e-mails it received: each fan a seat is held for told once, at the address they gave; a fan with
no address told once they give one; a hold claimed before its notice went out not told; a server
that is down leaving the notices owed, sent when it is back; two senders at once sending each
notice once; a sender that died holding a notice leaving it to be sent when its lease ends;
nothing that would break a mail's header accepted, and no password shown; and `maestro reserved
contact` and `notify` from the command line."""
import datetime
import email
import socket
import threading
from email import policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import update
from sqlalchemy.orm import Session

from maestro_ai.catalog.notices import deliver
from maestro_ai.catalog.reserved import Notice, Reserved
from maestro_ai.cli.main import main
from maestro_ai.core.errors import InvalidRequest

NOW = datetime.datetime(2026, 11, 1, 12, tzinfo=datetime.UTC)
FANS = [{"listener": name, "score": score} for name, score in (("ann", 0.9), ("ben", 0.8), ("cat", 0.7))]


class Inbox:
    """An aiosmtpd handler keeping every message the server accepts."""

    def __init__(self):
        self.mails = []

    async def handle_DATA(self, server, session, envelope):
        self.mails.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def mail():
    inbox, port = Inbox(), _free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    yield inbox, f"smtp://127.0.0.1:{port}", server
    server.stop()


@pytest.fixture
def book(tmp_path, monkeypatch):
    monkeypatch.setenv("MAESTRO_HOME", str(tmp_path / "home"))
    return Reserved(f"sqlite:///{tmp_path / 'reserved.db'}", ledger=tmp_path / "ledger.jsonl")


def test_each_fan_is_told_once_at_their_address(book, mail, tmp_path):
    inbox, url, _ = mail
    book.set_contact("ann", "ann@example.org")
    book.set_contact("cat", "cat@example.org")
    concert = book.announce("Ada", "Roundhouse", "2027-03-01", capacity=30, share=0.1, hold_hours=48, seed=5)
    book.allocate(concert.id, FANS, now=NOW)
    book.claim(concert.id, "cat", now=NOW)  # cat claimed before any notice went out
    done = deliver(book, url, now=NOW + datetime.timedelta(minutes=5))
    assert done == {"sent": ["ann"], "waiting_for_an_address": ["ben"], "void": ["cat"], "failed": []}
    (to, mail_to_ann), = inbox.mails
    assert to == ["ann@example.org"] and mail_to_ann["To"] == "ann@example.org"
    assert mail_to_ann["Subject"] == "A seat is held for you: Ada at Roundhouse, 2027-03-01"
    body = mail_to_ann.get_content()
    assert "Claim it by 2026-11-03 12:00 UTC" in body and f"/v1/reserved/concerts/{concert.id}/claim" in body

    assert deliver(book, url, now=NOW + datetime.timedelta(minutes=10))["sent"] == []  # nobody told twice
    book.set_contact("ben", "ben@example.org")
    assert deliver(book, url, now=NOW + datetime.timedelta(minutes=15))["sent"] == ["ben"]
    assert [to for to, _ in inbox.mails] == [["ann@example.org"], ["ben@example.org"]]
    events = [line for line in (tmp_path / "ledger.jsonl").read_text().splitlines() if "notice-sent" in line]
    assert len(events) == 2


def test_a_server_that_is_down_leaves_the_notices_owed(book, mail):
    inbox, url, _ = mail
    book.set_contact("ann", "ann@example.org")
    concert = book.announce("Ada", "Roundhouse", "2027-03-01", capacity=10, share=0.1, hold_hours=48, seed=5)
    book.allocate(concert.id, FANS, now=NOW)
    down = f"smtp://127.0.0.1:{_free_port()}"  # nothing listens there
    assert deliver(book, down, now=NOW)["failed"] == ["ann"] and inbox.mails == []
    assert deliver(book, url, now=NOW)["sent"] == ["ann"] and len(inbox.mails) == 1


def test_two_senders_at_once_send_each_notice_once(book, mail):
    inbox, url, _ = mail
    fans = [{"listener": f"fan{n}", "score": 1 - n / 100} for n in range(20)]
    for fan in fans:
        book.set_contact(fan["listener"], f"{fan['listener']}@example.org")
    concert = book.announce("Ada", "Roundhouse", "2027-03-01", capacity=200, share=0.1, hold_hours=48, seed=5)
    book.allocate(concert.id, fans, now=NOW)
    results = []
    senders = [threading.Thread(target=lambda: results.append(deliver(book, url, now=NOW))) for _ in range(2)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    told = sorted(to[0] for to, _ in inbox.mails)
    assert told == sorted(f"fan{n}@example.org" for n in range(20))  # every fan, none twice
    assert sorted(sum((r["sent"] for r in results), [])) == sorted(f"fan{n}" for n in range(20))


def test_a_notice_left_taken_by_a_sender_that_died_is_sent_once_its_lease_ends(book, mail):
    inbox, url, _ = mail
    book.set_contact("ann", "ann@example.org")
    concert = book.announce("Ada", "Roundhouse", "2027-03-01", capacity=10, share=0.1, hold_hours=48, seed=5)
    book.allocate(concert.id, FANS, now=NOW)
    with Session(book.engine) as session:  # a sender took it and died before sending
        session.execute(update(Notice).values(busy_until=NOW + datetime.timedelta(minutes=2), attempts=1))
        session.commit()
    assert deliver(book, url, now=NOW + datetime.timedelta(minutes=1))["sent"] == []  # its lease still runs
    assert deliver(book, url, now=NOW + datetime.timedelta(minutes=3))["sent"] == ["ann"]
    assert len(inbox.mails) == 1


def test_a_closed_hold_is_not_told_even_without_an_address(book, mail):
    inbox, url, _ = mail
    concert = book.announce("Ada", "Roundhouse", "2027-03-01", capacity=10, share=0.2, hold_hours=48, seed=5)
    book.allocate(concert.id, FANS, now=NOW)
    book.claim(concert.id, "ann", now=NOW)
    later = NOW + datetime.timedelta(hours=49)  # ben's hold has expired by then
    assert deliver(book, url, now=later) == {"sent": [], "waiting_for_an_address": [], "void": ["ann", "ben"], "failed": []}
    assert inbox.mails == []


def test_bad_addresses_and_servers_are_refused(book):
    for bad in ("ann", "ann@", "@example.org", "ann@example", "a b@example.org", "x" * 320 + "@example.org"):
        with pytest.raises(InvalidRequest):
            book.set_contact("ann", bad)
    for bad in ("", "http://mail.example.org", "smtp://", "smtp://host:99999", "smtps://reserved:s3cret/x@mail.example.org"):
        with pytest.raises(InvalidRequest) as refused:
            deliver(book, bad)
        assert "s3cret" not in str(refused.value)  # a password is never shown
    for name in ("Round\nhouse", "Round\rhouse"):  # nothing that would break a mail's header
        with pytest.raises(InvalidRequest, match="one line"):
            book.announce("Ada", name, "2027-03-01", capacity=10, share=0.1, hold_hours=48)
    with pytest.raises(InvalidRequest, match="one line"):
        book.set_contact("ann\nBcc: x@example.org", "ann@example.org")


def test_maestro_reserved_contact_and_notify(tmp_path, monkeypatch, mail, capsys):
    inbox, url, _ = mail
    monkeypatch.setenv("MAESTRO_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MAESTRO_RESERVED_DB", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.delenv("MAESTRO_SMTP_URL", raising=False)
    assert main(["reserved", "contact", "ann", "ann@example.org"]) == 0
    assert main(["reserved", "contact", "ben", "not-an-address"]) == 2
    book = Reserved()
    concert = book.announce("Ada", "Roundhouse", "2027-03-01", capacity=10, share=0.2, hold_hours=48, seed=5)
    book.allocate(concert.id, FANS)
    capsys.readouterr()
    assert main(["reserved", "notify"]) == 2
    assert "MAESTRO_SMTP_URL" in capsys.readouterr().err
    monkeypatch.setenv("MAESTRO_SMTP_URL", url)
    assert main(["reserved", "notify"]) == 0
    out = capsys.readouterr().out
    assert "sent to 1: ann" in out and "waiting for an address (maestro reserved contact): ben" in out
    assert [to for to, _ in inbox.mails] == [["ann@example.org"]]
