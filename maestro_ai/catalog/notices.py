"""Reserved's notices sent: each hold offered to a fan is an e-mail to the address they gave
(`Reserved.set_contact`, `maestro reserved contact`), sent over SMTP with Python's smtplib to the
mail server `$MAESTRO_SMTP_URL` (or `--smtp`) names:

    smtp://[user:password@]host[:port]      SMTP (port 25), STARTTLS when the server offers it
                                            (and required when a user and password are given)
    smtps://[user:password@]host[:port]     SMTP over TLS (port 465)

The sender is `$MAESTRO_MAIL_FROM` (default SENDER). The outbox is Reserved's `notices` table,
written in the transaction that offers the hold, so an offer is never lost: a sender takes a
notice by a conditional UPDATE (two senders never both take it while its lease of BUSY runs),
and marks it sent once the server has accepted it; a sender that dies between the two leaves it
to be sent again (at least once, not exactly once). A notice whose hold was claimed or expired
first is void; one whose fan has given no address waits for one; one the server refused is
tried again at the next delivery, and a server that cannot be reached ends the run, the rest
left owed. Each sent notice is a ledger event.

>>> mail_server("smtps://reserved:secret@mail.example.org")
('smtps', 'mail.example.org', 465, 'reserved', 'secret')
"""
from __future__ import annotations

import datetime
import os
import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from maestro_ai.catalog.reserved import OFFERED, Concert, Contact, Hold, Notice, Reserved, as_utc
from maestro_ai.core.errors import InvalidRequest

BUSY = datetime.timedelta(minutes=2)  # how long a sender holds a notice it has taken
TIMEOUT_SECONDS = 30
SENDER = "Maestro Reserved <reserved@localhost>"


def mail_server(url: str) -> tuple[str, str, int, str | None, str | None]:
    """(scheme, host, port, user, password) of an smtp:// or smtps:// URL (InvalidRequest otherwise)."""
    parts = urlsplit(url or "")
    shown = f"{parts.scheme}://{parts.hostname or ''}"  # the host alone: never a password, however mistyped
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise InvalidRequest(f"a mail server is smtp://host[:port] or smtps://user:password@host, not {shown!r:.60} "
                             "(a password's / # ? and @ are written %2F %23 %3F %40)")
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
    except ValueError:
        raise InvalidRequest(f"the mail server's port in {shown!r:.60} (after the host) is not a number 1-65535 "
                             "(a password's / # ? and @ are written %2F %23 %3F %40)") from None
    return (parts.scheme, parts.hostname, port, unquote(parts.username) if parts.username else None,
            unquote(parts.password) if parts.password else None)


def message(concert: Concert, hold: Hold, to: str, sender: str) -> EmailMessage:
    """The e-mail telling a fan their seat is held."""
    mail = EmailMessage()
    mail["From"], mail["To"] = sender, to
    mail["Subject"] = f"A seat is held for you: {concert.artist} at {concert.venue}, {concert.date}"
    claim_by = f"{as_utc(hold.expires):%Y-%m-%d %H:%M} UTC"
    mail.set_content(
        f"Hello {hold.listener},\n\n"
        f"{concert.artist} plays {concert.venue} on {concert.date}, and a seat is held for you as one of their most "
        f"dedicated listeners (rank {hold.rank}).\n\nClaim it by {claim_by}: POST /v1/reserved/concerts/{concert.id}/claim "
        f"with your key, or `maestro reserved claim {concert.id} --listener {hold.listener}`. Unclaimed, it passes to the "
        f"next fan.\n\nMaestro Reserved\n")
    return mail


def _connect(url: str) -> smtplib.SMTP:
    scheme, host, port, user, password = mail_server(url)
    try:
        if scheme == "smtps":
            server: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS)
            server.ehlo()
            if server.has_extn("starttls"):
                server.starttls(context=ssl.create_default_context())
                server.ehlo()
            elif user:
                server.close()
                raise InvalidRequest(f"the mail server {host}:{port} offers no STARTTLS: a password is not sent in the clear "
                                     "(use smtps://, or a server with STARTTLS)")
        if user:
            server.login(user, password or "")
    except (OSError, smtplib.SMTPException) as exc:
        raise InvalidRequest(f"cannot reach the mail server {host}:{port}: {exc}") from None
    return server


def deliver(book: Reserved, url: str | None = None, now: datetime.datetime | None = None, sender: str | None = None) -> dict:
    """Send every notice owed (see the module's note): the listeners told, those waiting for an
    address, those whose hold closed first, and those not sent (the server refused, or could not
    be reached: tried again at the next delivery)."""
    url = url or os.environ.get("MAESTRO_SMTP_URL")
    if not url:
        raise InvalidRequest("no mail server: set MAESTRO_SMTP_URL=smtp://host:25 (or give --smtp)")
    mail_server(url)
    now = now or datetime.datetime.now(datetime.UTC)
    sender = sender or os.environ.get("MAESTRO_MAIL_FROM") or SENDER
    done: dict[str, list[str]] = {"sent": [], "waiting_for_an_address": [], "void": [], "failed": []}
    server = None
    try:
        with Session(book.engine, expire_on_commit=False) as session:
            owed = session.execute(select(Notice.id, Notice.listener, Hold, Concert, Contact.email)
                                   .join(Hold, Hold.id == Notice.hold_id).join(Concert, Concert.id == Hold.concert_id)
                                   .outerjoin(Contact, Contact.listener == Notice.listener)
                                   .where(Notice.sent.is_(None), or_(Notice.busy_until.is_(None), Notice.busy_until < now))
                                   .order_by(Notice.id)).all()
            for number, listener, hold, concert, address in owed:
                closed = hold.status != OFFERED or as_utc(hold.expires) <= now
                if address is None and not closed:
                    done["waiting_for_an_address"].append(listener)
                    continue
                # the lease runs from the clock, not from `now` (a long run must not hand out leases already over)
                lease = max(now, datetime.datetime.now(datetime.UTC)) + BUSY
                taken = session.execute(update(Notice).where(Notice.id == number, Notice.sent.is_(None),
                                                             or_(Notice.busy_until.is_(None), Notice.busy_until < now))
                                        .values(busy_until=lease, attempts=Notice.attempts + 1)
                                        .execution_options(synchronize_session=False))
                session.commit()
                if taken.rowcount != 1:  # another sender has it
                    continue
                if closed:
                    why = "expired" if hold.status == OFFERED else f"was {hold.status}"
                    _update(session, number, sent=now, sent_to=None, busy_until=None, error=f"not sent: the hold {why} first")
                    done["void"].append(listener)
                    continue
                try:
                    mail = message(concert, hold, address, sender)
                    server = server or _connect(url)
                    server.send_message(mail)
                except (OSError, smtplib.SMTPException, InvalidRequest, ValueError) as exc:
                    _update(session, number, busy_until=None, error=str(exc)[:500])  # owed still
                    done["failed"].append(listener)
                    if isinstance(exc, (OSError, smtplib.SMTPServerDisconnected, InvalidRequest)):
                        break  # the server is not there: the rest stay owed for the next run
                    continue
                _update(session, number, sent=now, sent_to=address, busy_until=None, error=None)
                book.record("notice-sent", concert.id, {"listener": listener, "hold": hold.id, "by": "e-mail"})
                done["sent"].append(listener)
    finally:
        if server is not None:
            try:
                server.quit()
            except (OSError, smtplib.SMTPException):
                server.close()
    return done


def _update(session: Session, notice_id: int, **values) -> None:
    """Set a notice's `values` (not through the session's objects: SQLite's times come back without
    their zone, and comparing them in Python with zoned ones fails)."""
    session.execute(update(Notice).where(Notice.id == notice_id).values(**values).execution_options(synchronize_session=False))
    session.commit()
