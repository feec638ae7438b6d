"""Each variation keeps what it should and changes what it says (judged on the scores)."""
import pytest

import maestro_ai
from maestro_ai.core.score import Note
from maestro_ai.core.track import Track
from maestro_ai.pipeline.edits import variation_request
from maestro_ai.pipeline.engines import default_harmonizer
from maestro_ai.pipeline.song import compose


def _plan(track, kind, out, options=None):
    return variation_request(Track.from_dict(track), kind, out, False, options or {}, default_harmonizer())


@pytest.fixture(scope="module")
def source(pop_track):
    gen, meta = pop_track
    out = gen.output_dir
    request, _ = _plan(meta, "new-drums", out)
    _, plan, score = compose(request)
    return gen, meta, out, plan, score


def _variation(source, kind, **options):
    gen, meta, out, _, _ = source
    request, variation = _plan(meta, kind, out, options)
    _, plan, score = compose(request, variation)
    return plan, score, variation


def _notes(score, part):
    """A part's notes; "melody" is the whole lead line (a pop song sings part of it)."""
    notes = score.lead_notes() if part == "melody" else score.part(part).notes
    return [(n.pitch, n.start, n.duration) for n in notes]


def test_the_original_regenerates_note_for_note(source):
    _, meta, out, plan, score = source
    assert [c["symbol"] for s in meta["chords"] for c in s["chords"]] == [c.symbol for c in score.chords]


def test_reharmonize_keeps_the_melody_and_changes_the_chords(source):
    plan, score, _ = _variation(source, "reharmonize")
    original = source[4]
    assert _notes(score, "melody") == _notes(original, "melody")
    assert _notes(score, "drums") == _notes(original, "drums")
    changed = sum(a.symbol != b.symbol for a, b in zip(score.chords, original.chords))
    assert changed >= len(original.chords) // 3


def test_new_melody_keeps_chords_and_groove(source):
    _, score, _ = _variation(source, "new-melody")
    original = source[4]
    assert [c.symbol for c in score.chords] == [c.symbol for c in original.chords]
    assert _notes(score, "drums") == _notes(original, "drums") and _notes(score, "bass") == _notes(original, "bass")
    assert _notes(score, "melody") != _notes(original, "melody")


def test_new_drums_changes_only_the_drums(source):
    _, score, _ = _variation(source, "new-drums")
    original = source[4]
    assert _notes(score, "melody") == _notes(original, "melody")
    assert _notes(score, "harmony") == _notes(original, "harmony")
    assert _notes(score, "drums") != _notes(original, "drums")


def test_new_form_arranges_the_song_in_the_genres_next_form(source):
    plan, score, _ = _variation(source, "new-form")
    original_plan, original = source[3], source[4]
    assert plan.form != original_plan.form and plan.key == original_plan.key
    assert [s.name for s in plan.sections] != [s.name for s in original_plan.sections]
    assert score.part("vocals").instrument == original.part("vocals").instrument  # the same singer


def test_tempo_keeps_the_notes(source):
    _, score, variation = _variation(source, "tempo", tempo_bpm=130)
    original = source[4]
    assert score.tempo == 130 and _notes(score, "melody") == _notes(original, "melody")
    assert variation.duration_seconds == pytest.approx(40 * original.tempo / 130, abs=0.01)


def test_key_transposes_pitched_parts_only(source):
    _, score, _ = _variation(source, "key", key="D major")
    original = source[4]
    shift = (score.key.tonic - original.key.tonic) % 12
    shift = shift - 12 if shift > 6 else shift
    assert [p + shift for p, _, _ in _notes(original, "melody")] == [p for p, _, _ in _notes(score, "melody")]
    assert _notes(score, "drums") == _notes(original, "drums")


def test_extend_keeps_the_original_and_adds_sections(source):
    plan, score, variation = _variation(source, "extend", duration_seconds=80)
    original_plan, original = source[3], source[4]
    assert plan.sections[-1].end_bar > original_plan.sections[-1].end_bar
    assert score.tempo == original.tempo and plan.form == original_plan.form  # the same song, longer
    keep = original_plan.sections[-1].start_bar * original.beats_per_bar  # everything before the old outro
    for part in ("harmony", "drums"):  # up to the bar that led into the old ending and now leads on
        lead_in = keep - original.beats_per_bar
        before = [n for n in _notes(original, part) if n[1] < lead_in]
        assert [n for n in _notes(score, part) if n[1] < lead_in] == before, part
    # The melody up to its old last bar, which held the song's final cadence and now goes on.
    cadence = max(n[1] for n in _notes(original, "melody")) // original.beats_per_bar * original.beats_per_bar
    cadence = min(cadence, keep)
    before = [n for n in _notes(original, "melody") if n[1] < cadence]
    assert len(before) > 10 and [n for n in _notes(score, "melody") if n[1] < cadence] == before


def test_variation_renders_a_new_track_folder(source):
    gen, meta, out, _, _ = source
    new_meta, path = gen.generate_variation(meta, "key", key="A major")
    assert new_meta["key"] == "A major" and new_meta["variation"]["kind"] == "key" and path.exists()
    with pytest.raises(maestro_ai.MaestroError, match="unknown variation"):
        gen.generate_variation(meta, "remix")


def test_variations_of_variations_keep_every_change(source):
    gen, meta, out, _, original = source
    keyed, _ = gen.generate_variation(meta, "key", key="D major")
    request, variation = _plan(keyed, "tempo", out, {"tempo_bpm": 130})
    _, _, score = compose(request, variation)
    shift = (score.key.tonic - original.key.tonic) % 12
    shift = shift - 12 if shift > 6 else shift
    assert score.tempo == 130 and score.key.tonic == 2
    assert [p for p, _, _ in _notes(score, "melody")] == [p + shift for p, _, _ in _notes(original, "melody")]
    assert [e.kind for e in variation.edits] == ["key", "tempo"]


def test_new_melody_after_reharmonize_keeps_the_new_chords(source):
    gen, meta, out, _, original = source
    reharmonized, _ = gen.generate_variation(meta, "reharmonize")
    _, first = compose(*_plan(meta, "reharmonize", out))[::2]
    request, variation = _plan(reharmonized, "new-melody", out)
    _, _, score = compose(request, variation)
    assert [c.symbol for c in score.chords] == [c.symbol for c in first.chords]
    assert _notes(score, "melody") != _notes(first, "melody") and _notes(score, "bass") == _notes(first, "bass")
    assert reharmonized["title"].endswith("(reharmonized)")


class ChordRoots:
    """A melody engine of the simplest kind: each chord's root, held, at a velocity that marks it."""

    name, version = "chord-roots", "1"

    def compose(self, request, rng):
        return [Note(72 + (c.root - request.key.tonic) % 12, c.start, c.duration, velocity=33) for c in request.chords]


def test_new_melody_in_a_chain_is_written_by_the_generators_engine(source, tmp_path):
    _, meta, _, _, _ = source
    gen = maestro_ai.MusicGenerator(genre="pop", mood="happy", seed=21, output_dir=tmp_path, formats=("wav",))
    reharmonized, _ = gen.generate_variation(meta, "reharmonize")
    request, variation = _plan(reharmonized, "new-melody", tmp_path)
    _, _, score = compose(request, variation, ChordRoots())
    melody = score.lead_notes()
    assert melody and all(n.velocity == 33 for n in melody)
    starts = {c.start for c in score.chords}  # phrased (breaths, answers) but every note the engine's,
    ends = {(n.end, n.pitch) for n in melody}  # or one the lyrics split off it (same pitch, right after it)
    assert all(n.start in starts or (n.start, n.pitch) in ends for n in melody) and len(melody) >= len(starts) // 2


def test_a_track_seeded_from_a_file_can_be_varied_from_anywhere(tmp_path, monkeypatch):
    """The seed file is kept in the track folder, so the folder alone is enough (defect 7)."""
    from tests.io.test_melody_input import _midi_bytes

    work = tmp_path / "work"
    (work / "mel").mkdir(parents=True)
    (work / "mel" / "real.mid").write_bytes(_midi_bytes([(0, 1, 64), (1, 1, 67), (2, 2, 71)]))
    monkeypatch.chdir(work)
    gen = maestro_ai.MusicGenerator("folk", "peaceful", seed=3, output_dir="songs", formats=("wav",))
    meta, path = gen.generate_track({"melody_midi": "mel/real.mid", "tempo_bpm": 100}, duration_seconds=12)
    assert (path.parent / "seed.mid").read_bytes() == (work / "mel" / "real.mid").read_bytes()
    assert meta["request"]["melody_midi"] == {"file": "seed.mid", "from": "mel/real.mid"}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    varied, _ = maestro_ai.MusicGenerator("folk", "peaceful", output_dir=".", formats=("wav",)).generate_variation(
        Track.load(path.parent), "tempo", tempo_bpm=110)
    assert varied["tempo"] == 110.0 and varied["request"]["melody_midi"]["file"] == "seed.mid"
