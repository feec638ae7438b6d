"""Pitches, scales, chords and voice leading: pure functions, no I/O."""
