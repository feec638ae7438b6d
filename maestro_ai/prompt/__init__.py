"""From words to controls: genre and mood presets, and key phrases read with sentence embeddings."""
