"""A database error in words a clerk can act on, without SQLAlchemy: the one-shot check says its failures the same way."""

from __future__ import annotations

from examops.domain.said import N_, Said, said


def describe_failure(exc: BaseException) -> Said:
    """Turn a database error into a sentence for the lane (`str()` English, `spoken()` the site's language)."""
    message = str(getattr(exc, "orig", exc)).lower()
    if "disk" in message and "full" in message or "no space" in message:
        return said(N_("the disk is full: free space on the store's disk"))
    if "readonly" in message or "read-only" in message:
        return said(N_("the store is read-only: check the file's permissions or the disk"))
    if is_lock_timeout(exc):
        return said(N_("the store was locked too long by another process"))
    if "connection" in message or "server closed" in message or "could not connect" in message:
        return said(N_("the shared store does not answer"))
    return said(N_("the store refused the write ({detail})"), detail=str(getattr(exc, "orig", exc)).strip()[:200])


def is_lock_timeout(exc: BaseException) -> bool:
    """SQLite's "database is locked" / "busy": the write lock was not had within the busy timeout."""
    message = str(getattr(exc, "orig", exc)).lower()
    return "locked" in message or "busy" in message
