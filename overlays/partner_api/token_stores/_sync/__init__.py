"""The asyncio source of `../_sync/`: `make unasync` (generator/sync_twins.py) writes the sync twin of each module."""
