"""Knowing within a second that another lane recorded something: the store's watcher, for the screens."""

from __future__ import annotations

from examops.adapters.store.watch import EventWatcher

__all__ = ["EventWatcher"]
