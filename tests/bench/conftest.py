"""tests/bench/ holds `make bench`, not tests: nothing here is collected (tests never assert wall time)."""

collect_ignore_glob = ["*.py"]
