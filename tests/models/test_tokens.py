from maestro_ai.models.tokens import QUALITIES, Tracker, Vocabulary, decode_notes, fill, meter_bar16


def test_the_vocabulary_and_its_groups():
    vocab = Vocabulary()
    assert vocab.names[:4] == ["PAD", "BOS", "EOS", "BAR"] and len(set(vocab.names)) == vocab.size
    note = vocab.note(60, 4)
    assert vocab.pitch[note] == 60 and vocab.duration[note] == 4 and vocab.is_note[note]
    assert vocab.is_chord[vocab.chord(14, "min")] and vocab.names[vocab.chord(14, "min")] == "CHORD_2_min"
    assert vocab.names[vocab.meter("5/8")] == "METER_2/4"  # an unlisted metre takes one of the same length
    assert set(QUALITIES) == {"maj", "min", "dim", "7"}


def test_tracker_features_follow_the_clock():
    vocab = Vocabulary()
    tracker = Tracker(12)
    feats = [tracker.advance(vocab, t) for t in (vocab["BAR"], vocab.note(60, 6), vocab["REST_6"], vocab["BAR"])]
    assert feats == [(0, 0), (6, 0), (12, 0), (0, 1)]


def test_gaps_and_decoding():
    vocab = Vocabulary()
    assert fill(14) == [12, 2] and meter_bar16("6/8") == 12
    tokens = [vocab["BAR"], vocab.note(60, 4), vocab["REST_4"], vocab.note(62, 8), vocab["BAR"], vocab.note(64, 16)]
    assert decode_notes(tokens, vocab, 16) == [(0.0, 60, 1.0), (2.0, 62, 2.0), (4.0, 64, 4.0)]
