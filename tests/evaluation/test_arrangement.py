"""The arrangement evaluation's figures, on hand-made notes, sections, audio and track folders."""
import json

import mido
import numpy as np
import pytest
import soundfile

from evaluation import arrangement as a

SECTIONS = [{"name": "intro", "start_bar": 0, "end_bar": 4}, {"name": "verse", "start_bar": 4, "end_bar": 12},
            {"name": "chorus", "start_bar": 12, "end_bar": 20}, {"name": "break", "start_bar": 20, "end_bar": 26},
            {"name": "chorus", "start_bar": 26, "end_bar": 34}]


def test_form_and_section_lengths():
    assert a.form(SECTIONS) == "intro:4 verse:8 chorus:8 break:6 chorus:8"
    assert a.multiple_share(SECTIONS, 4) == 0.8 and a.multiple_share(SECTIONS, 2) == 1.0
    assert a.multiple_share([], 4) is None


def test_a_kick_free_section_must_be_four_bars_with_no_kick_at_all():
    kicks_everywhere = list(range(34))
    assert a.kick_free_sections(SECTIONS, kicks_everywhere) == 0
    no_break = [b for b in kicks_everywhere if not 20 <= b < 26]
    assert a.kick_free_sections(SECTIONS, no_break) == 1
    one_kick = [*no_break, 23]
    assert a.kick_free_sections(SECTIONS, one_kick) == 0
    assert a.kick_free_sections(SECTIONS, no_break, min_bars=8) == 0  # the break is six bars
    # a kick a few ticks early on the downbeat of bar 20 belongs to bar 20, not the end of bar 19
    assert a.bar_of(20 * 4 - 0.02, 4) == 20


def test_bars_without_onsets():
    assert a.bars_without([0, 1, 1, 5], 6) == 3 and a.bars_without(range(6), 6) == 0


def _tone(seconds: float, amplitude: float, rate: int) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return np.stack([amplitude * np.sin(2 * np.pi * 997 * t)] * 2, axis=1).astype(np.float32)


def test_loudness_gap_takes_whole_eight_bar_windows_from_bar_zero():
    rate = 16000
    loud, quiet = _tone(8, 0.3, rate), _tone(8, 0.03, rate)
    audio = np.concatenate([loud, quiet, loud[: 4 * rate]])  # 20 one-second bars: the last window is partial
    levels = a.window_lufs(audio, rate, 1.0, 20)
    assert len(levels) == 2 and a.loudness_gap(levels) == pytest.approx(20.0, abs=0.2)
    assert a.loudness_gap(a.window_lufs(np.concatenate([loud, loud]), rate, 1.0, 16)) == pytest.approx(0.0, abs=0.1)
    assert a.window_lufs(audio, rate, 1.0, 12) == levels[:1]  # only the composed bars count
    silent = np.concatenate([loud, np.zeros_like(quiet)])
    assert a.loudness_gap(a.window_lufs(silent, rate, 1.0, 16)) == pytest.approx(a.lufs(loud, rate) - a.SILENT_LUFS)


def test_section_loudness_is_the_mean_per_name():
    rate = 16000
    audio = np.concatenate([_tone(4, 0.03, rate), _tone(4, 0.3, rate), _tone(4, 0.03, rate), _tone(4, 0.3, rate)])
    sections = [{"name": n, "start_bar": 4 * i, "end_bar": 4 * i + 4} for i, n in enumerate(["verse", "chorus", "verse", "chorus"])]
    levels = a.section_lufs(audio, rate, 1.0, sections)
    assert levels["chorus"] - levels["verse"] == pytest.approx(20.0, abs=0.2)


def test_empty_bars_count_between_the_first_and_last_melody_bars():
    melody = [(4 * b + 0.0, 60) for b in (2, 3, 5, 6, 9)]  # bars 2-9 hold 5 of 8 with notes
    contents = a.bar_contents(melody, 4, 12)
    assert a.empty_bar_share(contents) == 3 / 8
    assert a.empty_bar_share(a.bar_contents([], 4, 12)) is None
    busy = a.bar_contents([(b, 60) for b in range(48)], 4)
    assert a.empty_bar_share(busy) == 0.0  # fails the 0.15 target


def test_repeated_bars_round_swing_and_humanizing_to_the_16th():
    riff = [(0.01, 60), (0.59, 62), (1.0, 64), (2.49, 65)]  # swung and humanized
    same = [(4 + b + d, p) for (b, p), d in zip(riff, (-0.02, 0.03, 0.01, 0.0))]
    other = [(8.0, 67), (9.0, 69)]
    contents = a.bar_contents(riff + same + other, 4)
    assert contents[0] == contents[1] == ((0, 60), (2, 62), (4, 64), (10, 65))
    assert a.repeated_bar_share(contents) == pytest.approx(1 / 3)
    transposed = [(b + 12, p + 2) for b, p in riff]
    assert a.repeated_bar_share(a.bar_contents(riff + transposed, 4)) == 0.0  # a sequence is not a repeat
    assert a.repeated_bar_share(a.bar_contents(riff * 1 + [(b + 4 * k, p) for k in range(1, 8) for b, p in riff], 4)) == 7 / 8


def test_chorus_return_compares_later_choruses_with_the_first_over_shared_bars():
    hook = [(4.0 * 12 + 2 * i, 60 + i % 5) for i in range(16)]  # chorus at bars 12-19, a note every half bar
    again = [(b + 4 * 14, p) for b, p in hook]  # the same at bar 26
    assert a.chorus_return(hook + again, SECTIONS, 4) == 1.0
    changed = [(b, p + (1 if i % 4 == 0 else 0)) for i, (b, p) in enumerate(again)]
    assert a.chorus_return(hook + changed, SECTIONS, 4) == 0.75  # fails the 0.8 target
    short = SECTIONS[:4] + [{"name": "chorus", "start_bar": 26, "end_bar": 30}]
    assert a.chorus_return(hook + again[:8], short, 4) == 1.0  # only the four bars both have
    assert a.chorus_return(hook, SECTIONS[:3], 4) is None  # one chorus: nothing to compare
    assert a.chorus_return(hook, SECTIONS, 4) == 0.0  # the second chorus has no melody
    hooks = [{**s, "name": "hook"} if s["name"] == "chorus" else s for s in SECTIONS]
    assert a.chorus_return(hook + again, hooks, 4) == 1.0


def test_notes_per_bar_by_section_name():
    bars = [4, 5, 5, 12, 12, 12, 12, 26, 27]
    per = a.notes_per_bar(bars, SECTIONS)
    assert per == {"intro": 0.0, "verse": 3 / 8, "chorus": 6 / 16, "break": 0.0}


def test_swing_position():
    straight = [b / 2 for b in range(32)]
    assert a.swing_position(straight) == 0.5  # fails the 0.55 target
    swung = [k + f for k in range(16) for f in (0.0, 0.64)]
    assert a.swing_position(swung) == pytest.approx(0.64)
    assert a.swing_position([k + 0.25 for k in range(8)]) is None  # nothing near the offbeat


def test_strings_span_and_power_chords():
    tolerance = a.GROUP_TICKS / 480
    close = a.onset_groups([(0, 60), (0.01, 64), (0.02, 67), (1.0, 62), (1.03, 65), (1.05, 69)], tolerance)
    assert close == [[60, 64, 67], [62, 65, 69]] and a.median_span(close) == 7.0  # fails the 12 target
    wide = a.onset_groups([(0, 48), (0, 55), (0, 64), (0, 72)], tolerance)
    assert a.median_span(wide) == 24.0
    assert a.onset_groups([(0, 48), (0.1, 55)], tolerance) == [[48], [55]]  # 48 ticks apart: two groups
    rock = a.onset_groups([(0, 40), (0, 47), (0, 52), (1, 45), (1, 52), (2, 43), (2, 47), (2, 50), (3, 64), (3, 71)], tolerance)
    assert a.power_chord_share(rock) == 0.5  # a triad, and a fifth above middle C, are not power chords
    assert a.power_chord_share([]) is None


def test_chord_variety_and_chorus_progression():
    chords = [{"section": "verse", "start_bar": 0, "chords": [{"symbol": s} for s in "C G Am F C G Am F".split()]},
              {"section": "chorus", "start_bar": 8, "chords": [{"symbol": s} for s in "Am F C G".split()]}]
    assert a.distinct(a.chord_symbols(chords)) == 4  # fails the 8 target
    verse, chorus = a.section_chords(chords, ("verse",)), a.section_chords(chords, a.CHORUS_NAMES)
    assert a.same_progression(verse, chorus)  # a rotation of the verse's loop
    assert not a.same_progression(verse, "F G Em Am".split()) and not a.same_progression(verse, "C G Am".split())
    assert a.section_chords(chords, ("bridge",)) is None


def test_variety_and_endings():
    rows = [{"form": f, "title": t, "instruments": i} for f, t, i in
            [("a", "x", ["p"]), ("a", "y", ["p"]), ("b", "y", ["p"])]]
    assert a.variety_of(rows) == {"songs": 3, "forms": 2, "titles": 2, "instrument_sets": 1}
    drums = [(60.0, 36), (60.0, 49), (61.0, 38), (62.0, 42)]
    assert a.full_kit(drums, 15, 4) and not a.full_kit(drums[:2], 15, 4) and not a.full_kit(drums, 14, 4)


def test_a_per_song_target_passes_when_nine_songs_in_ten_meet_it():
    rows = [{"x": v} for v in [0.2] * 9 + [0.0]]
    assert a.per_song(rows, "x", lambda v: v >= 0.15)["passed"]
    assert not a.per_song(rows[2:], "x", lambda v: v >= 0.15)["passed"]  # 7 of 8
    assert a.per_song([{"x": None}], "x", bool) == {"songs": 0, "meeting": 0, "median": None, "passed": None}


def test_a_tied_note_is_one_onset_and_repeats_are_played_out():
    from music21 import converter

    tune = converter.parse("X:1\nT:t\nM:4/4\nL:1/4\nK:C\n|:C D E F-|F G A B:|\n|:c B A G|F E D C:|\n", format="abc")
    bars = a._score_bars(tune.parts[0])
    assert len(bars) == 8 and bars[0] == bars[2] and bars[1] == ((4, 67), (8, 69), (12, 71))
    assert a.repeated_bar_share(bars) == 0.5 and a.empty_bar_share(bars) == 0.0


def _song_folder(tmp_path, rate=16000):
    """A track folder as Maestro writes one: 16 bars at 120 BPM, the kick out in bars 8-11, the
    melody in bars 0-3 and again in 8-11, the mix loud for 8 bars and quiet for 8."""
    midi = mido.MidiFile(type=1, ticks_per_beat=480)
    meta = mido.MidiTrack([mido.MetaMessage("track_name", name="Maestro"), mido.MetaMessage("set_tempo", tempo=500000),
                           mido.MetaMessage("time_signature", numerator=4, denominator=4)])

    def track(name, channel, notes):
        events = sorted([(int(b * 480), 1, p) for b, p, _ in notes] + [(int((b + d) * 480), 0, p) for b, p, d in notes])
        msgs, now = [mido.MetaMessage("track_name", name=name)], 0
        for tick, on, pitch in events:
            msgs.append(mido.Message("note_on" if on else "note_off", channel=channel, note=pitch, velocity=90 if on else 0,
                                     time=tick - now))
            now = tick
        return mido.MidiTrack(msgs)

    tune = [(0.0, 72, 1), (1.0, 74, 1), (2.0, 76, 2)]
    melody = [(4 * bar + b, p, d) for bar in (0, 1, 2, 3, 8, 9, 10, 11) for b, p, d in tune]
    kit = [(4 * bar + beat, 36, 0.25) for bar in range(16) if not 8 <= bar < 12 for beat in (0, 1, 2, 3)]
    kit += [(60.0, 49, 1), (61.0, 38, 0.25), (62.0, 42, 0.25)]
    harmony = [(4 * bar + 0.004 * i, p, 4) for bar in range(16) for i, p in enumerate((40, 47, 52))]
    midi.tracks += [meta, track("melody", 0, melody), track("harmony", 1, harmony), track("drums", 9, kit)]
    midi.save(tmp_path / "song.mid")
    audio = np.concatenate([_tone(16, 0.3, rate), _tone(16, 0.03, rate), np.zeros((rate, 2), np.float32)])
    soundfile.write(tmp_path / "mix.wav", audio, rate)
    sections = [{"name": n, "start_bar": s, "end_bar": s + 4} for n, s in (("chorus", 0), ("verse", 4), ("chorus", 8), ("outro", 12))]
    chords = [{"section": s["name"], "start_bar": s["start_bar"], "chords": [{"symbol": c} for c in ("E5", "A5")]} for s in sections]
    (tmp_path / "track.json").write_text(json.dumps({
        "title": "Test", "genre": "pop", "duration_seconds": 32.0, "bars": 16, "bar_seconds": 2.0, "tempo": 120.0, "sections": sections,
        "chords": chords, "timings_seconds": {"controls": 0.01, "plan": 0.02, "compose": 0.1, "render": 3.0},
        "instrumentation": {"melody": {"instrument": "Flute", "id": "flute"}, "harmony": {"instrument": "Strings", "id": "strings"},
                            "drums": {"instrument": "Kit", "id": "rock-kit"}}}))
    return tmp_path


def test_song_facts_reads_a_track_folder(tmp_path):
    facts = a.song_facts(_song_folder(tmp_path))
    assert facts["form"] == "chorus:4 verse:4 chorus:4 outro:4" and facts["multiple_of_4"] == 1.0
    assert facts["kick_free_sections"] == 1 and facts["bars_without_drums"] == 4
    assert facts["loudness_gap_lu"] == pytest.approx(20.0, abs=0.2) and len(facts["window_lufs"]) == 2
    assert facts["section_lufs"]["chorus"] == pytest.approx((facts["window_lufs"][0] + facts["window_lufs"][1]) / 2, abs=0.2)
    assert facts["melody_empty_bars"] == pytest.approx(4 / 12, abs=1e-3) and facts["melody_repeated_bars"] == pytest.approx(7 / 8, abs=1e-3)
    assert facts["section_returns"] == {"chorus": 1.0}
    assert facts["chorus_return"] == 1.0 and facts["melody_notes_per_bar"] == {"chorus": 3.0, "verse": 0.0, "outro": 0.0}
    assert facts["power_chords"] == facts["power_shapes"] == 1.0 and facts["strings_span"] == 12.0
    assert facts["distinct_chords"] == 2 and facts["chorus_differs"] is False
    assert facts["full_kit_last_bar"] and facts["tail_s"] == pytest.approx(1.0, abs=0.01)
    assert facts["compose_s"] == pytest.approx(0.12) and facts["instruments"] == ["flute", "strings", "rock-kit"]
    assert facts["swing"] is None and facts["bars_without_bass"] == 16


def test_the_report_names_every_target(tmp_path):
    row = {"genre": "house", "mood": "euphoric", "seed": 1, "wall_s": 1.0, "measured": True,
           **a.song_facts(_song_folder(tmp_path))}
    variety = {"house": a.variety_of([row])}
    result = {"seconds": 32.0, "seeds": [1], "variety_seeds": [1], "long_seconds": 0, "genres": ["house"], "rows": [row],
              "long_rows": [], "variety": variety, "section_lufs": a.section_loudness([row]), "references": [],
              "targets": a.targets([row], [], variety)}
    a.write_docs(result, tmp_path / "docs")
    text = (tmp_path / "docs" / "arrangement-evaluation.md").read_text()
    assert all(t["target"] in text for t in result["targets"]) and "FAIL" in text and "n/a" in text
    assert json.loads((tmp_path / "docs" / "arrangement-evaluation.json").read_text())["rows"][0]["form"] == row["form"]


def test_filtered_highs_hears_a_low_passed_breakdown():
    import numpy as np
    from scipy.signal import butter, sosfilt

    from evaluation.arrangement import filtered_highs

    rate = 44100
    noise = np.random.default_rng(0).standard_normal((3 * rate, 2)) * 0.1
    dull = sosfilt(butter(4, 500, fs=rate, output="sos"), noise, axis=0)
    audio = np.concatenate([noise, dull, noise])
    sections = [{"name": "drop", "start_seconds": 0, "end_seconds": 3, "plays": {}},
                {"name": "breakdown", "start_seconds": 3, "end_seconds": 6, "plays": {"filter": "closed"}},
                {"name": "drop", "start_seconds": 6, "end_seconds": 9, "plays": {}}]
    assert filtered_highs(audio, rate, sections) > 40
    sections[1]["plays"] = {}
    assert filtered_highs(audio, rate, sections) is None
