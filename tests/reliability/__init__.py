"""Reliability suite: faults, hostile input, secrets and fuzzing, end to end against the sandbox."""
