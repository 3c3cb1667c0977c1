"""`make cluster` and `make clustertest`: the production topology on loopback, and the test that drives it."""
