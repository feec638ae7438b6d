"""Loudness per ITU-R BS.1770-4 (libebur128) and true peaks."""
