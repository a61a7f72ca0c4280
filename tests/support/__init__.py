"""What the test suites share: one recording transport (`transport`), one fake clock and sleep (`clock`), and
a client of either flavour wired to both (`harness`).

A transport stands in only for what a server cannot show (a connection refused for one request, a request
that must never be made); everything a server can show is asked of the sandbox.
"""
