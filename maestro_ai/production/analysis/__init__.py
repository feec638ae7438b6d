"""Analysis of a recording: tempo, key, metre, sections, chords and descriptors (`analyze_file`)."""
