import maestro_ai
from evaluation.vocals import song_facts, stress_on_beat, sung_words


def test_the_judge_reads_a_sung_song_back(tmp_path):
    track = maestro_ai.MusicGenerator("folk", "nostalgic", seed=3, output_dir=tmp_path, formats=("wav",),
                                      quality="draft").generate({}, duration_seconds=45.0)
    facts = song_facts(track.folder)
    assert facts["guide"] is True and facts["lines"] >= 3 and facts["syllables"] >= 20
    assert facts["placed"] == 1.0 and facts["spelled"] == 1.0 and facts["notes_per_syllable"] >= 1.0


def test_stress_is_judged_by_the_dictionary_not_by_the_composer():
    words = sung_words([(240, "to-"), (480, "night"), (960, "ci-"), (1200, "ty"), (1440, "a-"), (1680, "way")])
    assert words == [("tonight", [240, 480]), ("city", [960, 1200]), ("away", [1440, 1680])]
    assert stress_on_beat(words, 480) == (2, 3)  # a-WAY: the stress lands off the beat
    assert stress_on_beat([("tonight", [250, 500])], 480) == (1, 1)  # 20 ticks late is still on the beat
