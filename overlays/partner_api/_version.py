"""The package version: the single source of truth (read by hatchling and at run time)."""

__version__ = "2.0.0.1"
