"""examops: exam-day operations for test centres."""

__version__ = "0.1.0"
