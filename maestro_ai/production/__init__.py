"""Mastering, loudness, analysis and transcription."""
