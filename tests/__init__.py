"""The test suites; `tests.support` holds what they share (recording transport, fake clock, client harness)."""
