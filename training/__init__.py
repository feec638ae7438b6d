"""Building the composer's training corpus and training it (not imported at run time): `python -m training.train`."""
