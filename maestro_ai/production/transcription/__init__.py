"""Audio to MIDI with basic-pitch's ONNX model (`transcribe_file`)."""
