"""Pitches, chords, keys of melodies, diatonic harmony and voice leading: pure functions, no I/O."""
