"""The workbooks examops writes (openpyxl): the signed bureau report, room papers, the roll-up, roster error lists."""

import sys


def _import_openpyxl_without_numpy() -> None:
    """openpyxl imports numpy, when it is installed, only to take numpy scalars as numbers: a quarter of a second of
    a report's start on a slow laptop. Every value examops writes is a Python int or str (`book.writable`), so where
    numpy is not loaded yet openpyxl is imported without it; where it is (pandas in the process), nothing changes."""
    if "openpyxl" in sys.modules or "numpy" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  # `import numpy` raises ImportError, which openpyxl expects
    try:
        import openpyxl  # noqa: F401
    finally:
        del sys.modules["numpy"]


_import_openpyxl_without_numpy()
