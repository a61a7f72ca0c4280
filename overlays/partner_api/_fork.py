"""Fork safety: after `os.fork()` a child must not reuse the parent's connections or locks."""

from __future__ import annotations

import os
import weakref
from typing import Protocol

__all__ = ["register"]


class _ForkAware(Protocol):
    def _after_fork(self) -> None: ...


_instances: weakref.WeakSet[_ForkAware] = weakref.WeakSet()


def register(instance: _ForkAware) -> None:
    """Call `instance._after_fork()` in the child of every later fork."""
    _instances.add(instance)


def _after_fork_in_child() -> None:
    for instance in list(_instances):
        instance._after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
