"""Production tools for any audio: mastering, loudness, analysis and transcription."""
