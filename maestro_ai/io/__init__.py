"""Reading and writing files: MIDI, MusicXML, audio; every write is atomic."""
