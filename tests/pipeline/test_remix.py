"""Licensed remixes and covers (`maestro remix`): consent first (refused without the grant its kind
needs: cover, remix, or sample for the parts a stem swap takes; exit 2, nothing written; a revoked
or foreign-territory grant refuses too), the lineage kept (the parents as C2PA ingredients, the
ledger's `remixed` entry, the remix registered with its parents' shares), split sheets that follow
the grants' terms and compose through a chain to exactly 100 %, and covers that are audibly the
work: the parent's tune found again in the cover's melody stem by pYIN (librosa) and its chords
by the analyzer, far better than another song's."""
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import librosa
import mido
import numpy as np
import pytest

import maestro_ai
from maestro_ai.cli.main import main
from maestro_ai.core.track import Track
from maestro_ai.io.digest import file_sha256
from maestro_ai.production.analysis.analyze import analyze_file
from maestro_ai.production.clearance import register_work
from maestro_ai.provenance.credentials import read_credentials
from maestro_ai.provenance.ledger import default_ledger
from maestro_ai.rights.registry import Registry
from maestro_ai.theory.chords import parse_chord


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    """A registry with Ada (owns 'lofi', 70 % hers and 30 % Cy's), Bob and Dee, and two songs:
    Ada's lofi-chill tune and an unrelated folk song of Cy's (the control, and a mashup partner)."""
    folder = tmp_path_factory.mktemp("remix")
    url = f"sqlite:///{folder / 'rights.db'}"
    patch = pytest.MonkeyPatch()
    patch.setenv("MAESTRO_RIGHTS_DB", url)
    registry = Registry(url)
    for name in ("Ada", "Bob", "Cy", "Dee"):
        registry.add_artist(name)
    songs = {}
    for name, genre, mood, seed, owner in (("lofi", "lofi-chill", "ambient-focus", 7, "Ada"), ("folk", "folk", "peaceful", 3, "Cy")):
        gen = maestro_ai.MusicGenerator(genre, mood, seed=seed, output_dir=folder / "songs", formats=("wav",), quality="draft")
        songs[name] = gen.generate({"tempo_bpm": 80 if name == "lofi" else 100}, duration_seconds=40)
        shares = {"Ada": 7000, "Cy": 3000} if owner == "Ada" else None
        register_work(registry, songs[name].mix_path, title=songs[name].title, owner=owner, acting=owner, shares=shares)
    yield registry, songs, folder
    patch.undo()


def _new_folders(folder: Path, before: set) -> set:
    return set(folder.iterdir()) - before


def test_a_remix_without_the_grant_its_kind_needs_is_refused_and_nothing_is_written(studio, capsys):
    registry, songs, folder = studio
    parent = songs["lofi"].folder
    before = set(parent.parent.iterdir())
    assert main(["remix", str(parent), "--kind", "cover", "--genre", "jazz", "--as", "Bob"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "maestro rights grant 1 --to 'Bob' --scope cover --as 'Ada'" in err
    remix_grant = registry.grant(1, to="Bob", scope="remix", acting="Ada")  # a remix grant is not a cover grant
    assert main(["remix", str(parent), "--kind", "cover", "--as", "Bob"]) == 2
    assert "for cover: there is none" in capsys.readouterr().err
    german = registry.grant(1, to="Bob", scope="cover", acting="Ada", territory="de")
    assert main(["remix", str(parent), "--kind", "cover", "--as", "Bob"]) == 2  # used worldwide
    assert "does not cover world" in capsys.readouterr().err
    registry.revoke(remix_grant.id, acting="Ada")  # revoked: no new remixes
    assert main(["remix", str(parent), "--kind", "tempo", "--tempo", "90", "--as", "Bob"]) == 2
    assert "it was revoked" in capsys.readouterr().err
    registry.revoke(german.id, acting="Ada")
    assert main(["remix", str(parent), "--kind", "mashup", "--as", "Ada"]) == 2  # one song given for two
    assert "--with" in capsys.readouterr().err
    assert _new_folders(parent.parent, before) == set()


def _melody_notes(midi: Path) -> list[int]:
    """The lead's pitches in order, read back by mido (the highest of notes that start together)."""
    track = next(t for t in mido.MidiFile(midi).tracks if any(m.type == "track_name" and m.name == "melody" for m in t))
    starts, now = {}, 0
    for message in track:
        now += message.time
        if message.type == "note_on" and message.velocity > 0:
            starts[now] = max(starts.get(now, 0), message.note)
    return [starts[t] for t in sorted(starts)]


def _heard_notes(stem: Path) -> list[int]:
    """The pitches pYIN hears in a melody stem, one per held note (a note: 60 ms or more on one pitch)."""
    y, rate = librosa.load(stem, sr=22050, mono=True)
    f0, voiced, _ = librosa.pyin(y, fmin=80, fmax=1400, sr=rate, frame_length=2048, hop_length=256)
    pitches = np.where(voiced, np.round(librosa.hz_to_midi(np.nan_to_num(f0, nan=1.0))), -1).astype(int)
    notes, run, least = [], 0, int(0.06 * rate / 256)
    for i in range(1, len(pitches) + 1):
        if i == len(pitches) or pitches[i] != pitches[i - 1]:
            if pitches[i - 1] >= 0 and run + 1 >= least:
                notes.append(int(pitches[i - 1]))
            run = 0
        else:
            run += 1
    return notes


def _contour(pitches: list[int]) -> list[int]:
    """Steps between changes of pitch class (-6..5): blind to key, tempo and octave."""
    changes = [p for i, p in enumerate(pitches) if i == 0 or p % 12 != pitches[i - 1] % 12]
    return [(b - a + 6) % 12 - 6 for a, b in zip(changes, changes[1:])]


def _alignment(a: list[int], b: list[int]) -> float:
    """1 - edit distance / the longer length: 1 for the same contour."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return 1 - row[-1] / max(len(a), len(b), 1)


def _tones(symbol: str, shift: int = 0) -> frozenset[int]:
    root, intervals, _ = parse_chord(symbol)
    return frozenset((root + i + shift) % 12 for i in intervals)


def _chords_of(track: dict, seconds_per_bar: float, shift: int) -> list[tuple[float, float, frozenset[int]]]:
    """A song's chords (track.json) as (start, end) in the cover's seconds and their tones, moved by `shift`."""
    return [(c["start_bar"] * seconds_per_bar, (c["start_bar"] + c["bars"]) * seconds_per_bar, _tones(c["symbol"], shift))
            for section in track["chords"] for c in section["chords"]]


def _chords_heard(heard: list[dict], expected: list[tuple[float, float, frozenset[int]]]) -> float:
    """The share of the expected chords the analyzer heard for most of their span: a triad it heard
    is the chord's, or inside it (it hears triads: Cmaj9's C or Em both count; a musician would)."""
    hits = 0
    for start, end, tones in expected:
        overlap = sum(max(0.0, min(end, c["end"]) - max(start, c["start"])) for c in heard
                      if c["chord"] != "N" and _tones(c["chord"]) <= tones)
        hits += overlap >= 0.5 * (end - start)
    return hits / len(expected)


def test_a_licensed_cover_is_audibly_the_work_and_pays_its_owners_by_the_grant(studio):
    registry, songs, folder = studio
    parent, control = songs["lofi"], songs["folk"]
    registry.grant(1, to="Bob", scope="cover", acting="Ada", keeps_points=4000)
    bob = maestro_ai.MusicGenerator("jazz", "romantic", output_dir=folder / "covers", formats=("wav",), artist="Bob",
                                    quality="draft")
    cover = bob.remix(parent.folder, "cover", tempo_bpm=96, key="D major")
    assert (cover.genre, cover.tempo, str(cover.key), cover.variation["kind"]) == ("jazz", 96.0, "D major", "cover")

    # The tune: pYIN on the cover's melody stem against the parent's score, read back by mido.
    heard = _contour(_heard_notes(cover.folder / cover.stems["melody"]))
    same = _alignment(heard, _contour(_melody_notes(parent.folder / "song.mid")))
    other = _alignment(heard, _contour(_melody_notes(control.folder / "song.mid")))
    assert same >= 0.6 and same >= other + 0.25, (same, other)

    # The chords: the analyzer's chords of the cover's mix against the parent's, moved to D major.
    chords = analyze_file(cover.mix_path).chords
    shift = (2 - parent.key.tonic) % 12
    bar = cover.bar_seconds
    found = _chords_heard(chords, _chords_of(parent.to_dict(), bar, shift))
    control_found = _chords_heard(chords, _chords_of(control.to_dict(), bar, (2 - control.key.tonic) % 12))
    assert found >= 0.6 and found >= control_found + 0.25, (found, control_found)

    # Its lineage: the parent as the signed parentOf ingredient, the ledger, the registry.
    credentials = read_credentials(cover.mix_path)
    assert credentials["ingredients"] == [{"title": "mix.wav", "relationship": "parentOf", "signed": True}]
    entry = json.loads(default_ledger().read_text().splitlines()[-1])
    assert entry["event"] == "remixed" and entry["details"]["from"][0]["id"] == 1
    splits = json.loads((cover.folder / "splits.json").read_text())
    assert entry["details"]["splits"]["holders"] == splits["holders"]
    assert {h["holder"]: h["percent"] for h in splits["holders"]} == {"Bob": "60", "Ada": "28", "Cy": "12"}
    assert splits["parents"][0] | {"grant": None} == {"work": 1, "title": parent.title, "owner": "Ada", "grant": None,
                                                      "terms": "grant", "keeps_percent": "40", "carries_percent": "40"}
    work = registry.listing()["works"][-1]
    assert (work["owner"], work["parents"][0]["work"], work["parents"][0]["ppm"]) == ("Bob", 1, 400_000)


def test_splits_compose_down_a_chain_and_a_mashup_halves_each_grant(studio, capsys):
    registry, songs, folder = studio
    cover = Track.load(next((folder / "covers").iterdir()))  # Bob's cover, registered as work 3
    cover_id = registry.match(file_sha256(cover.mix_path)).work_id
    registry.grant(cover_id, to="Dee", scope="remix", acting="Bob")  # says nothing of its terms: the default, half
    assert main(["remix", str(cover.folder), "--kind", "restyle", "--genre", "house", "--mood", "euphoric",
                 "--keep", "melody,bass", "--as", "Dee", "--json"]) == 0
    made = json.loads(capsys.readouterr().out)
    sheet = made["splits"]
    shares = {h["holder"]: Fraction(Decimal(h["percent"])) for h in sheet["holders"]}
    assert shares == {"Dee": 50, "Bob": 30, "Ada": 14, "Cy": 6} and sum(shares.values()) == 100
    assert sheet["parents"][0]["terms"] == "default"
    restyled = Track.load(made["path"])
    assert restyled.genre == "house" and {"melody", "bass"} <= set(restyled.stems)
    assert [h["through"] for h in sheet["holders"] if h["holder"] == "Ada"][0][-1].startswith("work 1 ")

    # Ada mashes her own song up with Cy's (his grant: he keeps 30 %): each parent carries half of
    # what its owners keep, all of it for her own song.
    registry.grant(2, to="Ada", scope="remix", acting="Cy", keeps_points=3000)
    assert main(["remix", str(songs["lofi"].folder), "--kind", "mashup", "--with", str(songs["folk"].folder),
                 "--as", "Ada", "--json", "--out", str(folder / "mashups")]) == 0
    made = json.loads(capsys.readouterr().out)
    mashup = Track.load(made["path"])
    rows = {(h["holder"], len(h["through"]) and h["through"][0][:6]): Decimal(h["percent"]) for h in made["splits"]["holders"]}
    # lofi (Ada owns it) carries 50 %, paid 70/30 to Ada and Cy; folk carries 15 % (half its grant's 30 %)
    # to Cy; Ada, the remixer, has the remaining 35 %
    assert rows == {("Ada", 0): 35, ("Ada", "work 1"): 35, ("Cy", "work 1"): 15, ("Cy", "work 2"): 15}
    assert sum(rows.values()) == 100
    names = [s["name"] for s in mashup.sections]
    assert len(names) == len(songs["lofi"].sections)  # the first song's turns, every second one the other's
    relationships = [i["relationship"] for i in read_credentials(mashup.mix_path)["ingredients"]]
    assert relationships == ["parentOf", "componentOf"]
    # taking Cy's drums into her song samples his: his remix grant does not cover that
    before = set((folder / "mashups").iterdir())
    assert main(["remix", str(songs["lofi"].folder), "--kind", "stem-swap", "--with", str(songs["folk"].folder),
                 "--take", "drums", "--as", "Ada", "--out", str(folder / "mashups")]) == 2
    assert "maestro rights grant 2 --to 'Ada' --scope sample --as 'Cy'" in capsys.readouterr().err
    assert set((folder / "mashups").iterdir()) == before
