"""Composition: form, harmony, melody, bass, drums, accompaniment, and their performance."""
