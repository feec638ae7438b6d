"""Evaluation scripts that write docs/*-evaluation.md (not imported at run time)."""
