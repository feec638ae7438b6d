"""Files in and out: MIDI, MusicXML, audio (written atomically, streamed in blocks), melody seeds,
the output policy every command follows, track folders built in the background, and the helper
processes that stream work to a second core."""
