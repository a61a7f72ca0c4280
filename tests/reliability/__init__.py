"""Reliability suite: faults, hostile input, secrets and fuzzing (issue 7)."""
