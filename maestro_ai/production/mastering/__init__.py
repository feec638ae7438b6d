"""Mastering: a file to a loudness target or towards a reference (`master_file`), and a song's master in memory."""
