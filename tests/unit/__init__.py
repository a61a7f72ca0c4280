"""Fast unit tests of the client's pure logic: no server, no network, injected clocks and sleeps."""
