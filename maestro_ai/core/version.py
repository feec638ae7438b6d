"""Maestro's version, recorded in every track.json."""
__version__ = "0.1.0"
