"""The listening side's commands: `maestro plays import FILE`, `maestro taste train`,
`maestro recommend --user U`, `maestro playlist --context "..."` and `maestro reserved ...`
(catalog/)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from maestro_ai.catalog.notices import deliver
from maestro_ai.catalog.plays import import_plays
from maestro_ai.catalog.recommend import dashboard, dj, fans_of, playlist, recommend, train_taste
from maestro_ai.catalog.reserved import Reserved
from maestro_ai.io.atomic import atomic_path
from maestro_ai.io.outputs import check_file


def register(app: typer.Typer) -> None:
    plays = typer.Typer(no_args_is_help=True, help="The play log the taste model and Reserved learn from.")
    app.add_typer(plays, name="plays")
    taste = typer.Typer(no_args_is_help=True, help="The taste model: what each listener will want next.")
    app.add_typer(taste, name="taste")

    @plays.command("import")
    def import_command(
        file: Annotated[Path, typer.Argument(help="A play log, CSV or Parquet: user_id, track_id, played_at (ISO 8601 UTC), "
                                                  "ms_played, tier, country, and optionally source (search, library, ...)")],
    ) -> None:
        """Check a play log and keep it in Maestro's play store (each log once)."""
        found = import_plays(file)
        typer.echo(f"imported {found['plays']:,} plays by {found['listeners']:,} listeners of {found['tracks']:,} tracks")

    @taste.command("train")
    def train_command(
        json_out: Annotated[bool, typer.Option("--json", help="Print what it learnt from as JSON")] = False,
    ) -> None:
        """Learn every listener's taste from the imported plays and what the catalogue's tracks are
        like (the tracks made or registered here)."""
        found = train_taste()
        if json_out:
            typer.echo(json.dumps(found, indent=2))
            return
        typer.echo(f"learnt from {found['plays']:,} plays by {found['listeners']:,} listeners, {found['tracks']:,} tracks "
                   f"({found['tracks_never_played']:,} never played, placed by how they sound) in {found['seconds']:g} s"
                   + (f"; {found['plays_of_unknown_tracks']:,} plays of tracks not in the catalogue left out"
                      if found["plays_of_unknown_tracks"] else ""))

    @app.command("recommend")
    def recommend_command(
        user: Annotated[str, typer.Option(help="The listener, as the play log names them")],
        n: Annotated[int, typer.Option("-n", help="How many tracks")] = 10,
        diversity: Annotated[float, typer.Option(help="0 (most accurate) to 1 (most varied): trades accuracy for variety")] = 0.0,
        json_out: Annotated[bool, typer.Option("--json", help="Print the list as JSON")] = False,
    ) -> None:
        """The tracks a listener is most likely to want next, that they have not played yet."""
        picks = recommend(user, n, diversity)
        if json_out:
            typer.echo(json.dumps(picks, indent=2, ensure_ascii=False))
            return
        for rank, pick in enumerate(picks, start=1):
            about = ", ".join(x for x in (pick.get("artist"), pick.get("genre"), "AI" if pick.get("ai") else "") if x)
            typer.echo(f"{rank:2}. {pick.get('title', pick['id'])} [{pick['id']}]" + (f" ({about})" if about else ""))

    @app.command("playlist")
    def playlist_command(
        context: Annotated[str, typer.Option(help='What it is for: "focus", "workout", "rainy evening", any phrase')],
        user: Annotated[str | None, typer.Option(help="The listener it is for (their taste; freshness against their plays)")] = None,
        minutes: Annotated[float, typer.Option(help="About how long")] = 45.0,
        freshness: Annotated[float, typer.Option(help="0 (their favourites) to 1 (only tracks new to them)")] = 0.3,
        skipped: Annotated[str | None, typer.Option(help="Track ids skipped so far this session, comma-separated: the rest "
                                                         "adapts")] = None,
        out: Annotated[Path | None, typer.Option(help="Write the playlist as JSON here")] = None,
        force: Annotated[bool, typer.Option(help="Replace an existing --out file")] = False,
        generate: Annotated[bool, typer.Option(help="Where no track fits, make one (an AI track, marked in the list)")] = False,
    ) -> None:
        """A playlist for a context from the tracks made or registered here: an energy curve over
        its minutes, smooth tempo and key moves, artists spaced out."""
        target = check_file(out, force=force, suffixes=(".json",), what="playlist", flag="--out") if out is not None else None
        made = playlist(context, user, minutes, freshness, tuple(t.strip() for t in (skipped or "").split(",") if t.strip()),
                        generate=generate)
        if target is not None:
            with atomic_path(target) as tmp:
                tmp.write_text(json.dumps(made, indent=2, ensure_ascii=False), encoding="utf-8")
        for n, track in enumerate(made["tracks"], start=1):
            minute = track["starts_at"] / 60
            typer.echo(f"{n:2}. {int(minute):3d}:{int(track['starts_at'] % 60):02d}  {track['title']} [{track['id']}] "
                       f"({track['artist'] or 'unknown'}, {track['tempo']:g} BPM, {track['key'] or 'key unknown'}, "
                       f"energy {track['energy']:.2f}{', AI' if track['ai'] else ''}"
                       f"{', made for this playlist' if track.get('made_for_this_playlist') else ''})")
        typer.echo(f"{len(made['tracks'])} tracks, {made['seconds'] / 60:.1f} minutes for {made['context']!r} "
                   f"(energy {made['energy']:.2f}, valence {made['valence']:.2f})" + (f"; written to {target}" if target else ""))

    @app.command("dj")
    def dj_command(
        out: Annotated[Path, typer.Option(help="The mix to write (.wav)")],
        context: Annotated[str | None, typer.Option(help='What the set is for: "late night", "workout", ...')] = None,
        playlist_file: Annotated[Path | None, typer.Option("--playlist", help="A playlist from maestro playlist --out")] = None,
        minutes: Annotated[float, typer.Option(help="About how long (with --context)")] = 20.0,
        request: Annotated[list[str] | None, typer.Option(help='Move the next set: "something calmer", "more like this" '
                                                             '(again for the set after)')] = None,
        request_audio: Annotated[list[Path] | None, typer.Option(help="A spoken request (a WAV of it), after the typed ones")] = None,
        user: Annotated[str | None, typer.Option(help="The listener it is for (with --context)")] = None,
        voice: Annotated[bool, typer.Option("--voice/--no-voice", help="Spoken intros (espeak-ng)")] = True,
        force: Annotated[bool, typer.Option(help="Replace an existing --out file")] = False,
    ) -> None:
        """A continuous mix of a playlist: one tempo, beat-aligned crossfades on phrase boundaries,
        keys by the Camelot wheel, loudness matched, spoken intros; watermarked and signed."""
        target = check_file(out, force=force, suffixes=(".wav",), what="DJ mix", flag="--out",
                            inputs=[playlist_file, *(request_audio or [])])
        made = dj(target, context, playlist_file, minutes, request or (), user, voice, request_audio or ())
        for r in made["requests"]:
            at = r["moved_the_set_at_track"]
            typer.echo(f"request {r['text']!r}: read as {r['read_as']}"
                       + (f", from track {at + 1}" if at is not None else ", too late to play"))
        for t in made["transitions"]:
            typer.echo(f"{int(t['at'] // 60):3d}:{int(t['at'] % 60):02d}  {t['from']} -> {t['to']} "
                       f"({t['fade_seconds']:.1f} s fade, {t['camelot_steps']} Camelot steps)")
        typer.echo(f"{len(made['tracks'])} tracks at {made['tempo']:g} BPM, {made['seconds'] / 60:.1f} minutes: {made['file']}")

    @app.command("dashboard")
    def dashboard_command(artist: Annotated[str, typer.Argument(help="The artist, as the catalogue names them")]) -> None:
        """An artist's sound against their genres', and their audience (JSON; the studio page draws it)."""
        typer.echo(json.dumps(dashboard(artist), indent=2, ensure_ascii=False))

    reserved = typer.Typer(no_args_is_help=True, help="Reserved: concert tickets held for an artist's most dedicated listeners.")
    app.add_typer(reserved, name="reserved")

    @reserved.command("fans")
    def fans_command(artist: Annotated[str, typer.Argument(help="The artist, as the catalogue names them")],
                     n: Annotated[int, typer.Option("-n", help="How many")] = 20) -> None:
        """The artist's listeners by superfan score (fraud filtered: loops, bots, skips)."""
        for rank, fan in enumerate(fans_of(artist)[:n], start=1):
            typer.echo(f"{rank:3}. {fan['listener']}  {fan['score']:.3f}  ({fan['plays']} plays, {fan['completion']:.0%} heard, "
                       f"{fan['saves']} saves, {fan['heard']} tracks, last {fan['days_since']:g} days ago)")

    @reserved.command("announce")
    def announce_command(
        artist: Annotated[str, typer.Option(help="Whose concert")], venue: Annotated[str, typer.Option(help="Where")],
        date: Annotated[str, typer.Option(help="When: YYYY-MM-DD")], capacity: Annotated[int, typer.Option(help="Seats")],
        share: Annotated[float, typer.Option(help="The share of seats held for superfans")] = 0.1,
        hold_hours: Annotated[float, typer.Option(help="How long a fan has to claim their seat")] = 48.0,
    ) -> None:
        """Announce a concert (its lottery seed is drawn and recorded now)."""
        concert = Reserved().announce(artist, venue, date, capacity, share, hold_hours)
        typer.echo(f"concert {concert.id}: {concert.held} of {concert.capacity} seats held for {artist}'s superfans "
                   f"(lottery seed {concert.seed})")

    @reserved.command("allocate")
    def allocate_command(concert: Annotated[int, typer.Argument(help="The concert's number")]) -> None:
        """Offer the held seats to the top fans; each is owed a notice (maestro reserved notify sends them)."""
        book = Reserved()
        for hold in book.allocate(concert, fans_of(book.concert(concert).artist)):
            typer.echo(f"offered to {hold.listener} (rank {hold.rank}, score {hold.score:.3f}) until {hold.expires:%Y-%m-%d %H:%M} UTC")

    @reserved.command("contact")
    def contact_command(listener: Annotated[str, typer.Argument(help="The fan, as the play log names them")],
                        email: Annotated[str, typer.Argument(help="Where their notices go")]) -> None:
        """The e-mail address a fan's notices (a seat held for them) are sent to."""
        Reserved().set_contact(listener, email)
        typer.echo(f"{listener}'s notices go to {email}")

    @reserved.command("notify")
    def notify_command(smtp: Annotated[str | None, typer.Option(help="The mail server: smtp://host:25 or smtps://user:password@host "
                                                                     "(default: $MAESTRO_SMTP_URL)")] = None) -> None:
        """Send the notices owed: an e-mail to each fan a seat is held for (once each)."""
        done = deliver(Reserved(), smtp)
        typer.echo(f"sent to {len(done['sent'])}: {', '.join(done['sent']) or 'none'}")
        for what, label in (("waiting_for_an_address", "waiting for an address (maestro reserved contact)"),
                            ("void", "not sent, the hold closed first"), ("failed", "refused by the server, tried again next time")):
            if done[what]:
                typer.echo(f"{label}: {', '.join(done[what])}")

    @reserved.command("claim")
    def claim_command(concert: Annotated[int, typer.Argument(help="The concert's number")],
                      listener: Annotated[str, typer.Option(help="The fan claiming their seat")]) -> None:
        """A fan takes the seat held for them."""
        Reserved().claim(concert, listener)
        typer.echo(f"{listener} has their seat")

    @reserved.command("expire")
    def expire_command(concert: Annotated[int, typer.Argument(help="The concert's number")]) -> None:
        """End holds not claimed in time; offer them to the next fans, or to general sale."""
        book = Reserved()
        done = book.expire(concert, fans_of(book.concert(concert).artist))
        typer.echo(f"expired: {', '.join(done['expired']) or 'none'}; offered to: {', '.join(done['offered']) or 'none'}; "
                   f"seats in general sale: {done['released']}")

    @reserved.command("buy")
    def buy_command(concert: Annotated[int, typer.Argument(help="The concert's number")],
                    buyer: Annotated[str, typer.Option(help="Who buys")]) -> None:
        """Buy one of the held seats released to general sale."""
        left = Reserved().buy(concert, buyer)
        typer.echo(f"sold to {buyer}; {left} released seats left")
