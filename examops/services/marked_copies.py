"""Names for `--errors-out`: one marked copy per input file, told apart, never over an existing file."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path


def file_labels(paths: Sequence[str | Path]) -> list[str]:
    """How problems name each input: its file name, or the path as given when two inputs share a name."""
    names = Counter(Path(p).name for p in paths)
    return [Path(p).name if names[Path(p).name] == 1 else str(p) for p in paths]


def copy_names(target: str | Path, inputs: Sequence[str | Path]) -> list[Path]:
    """The wished-for name of each input's marked copy: `target` for one input, `X-<stem>.xlsx` for several.

    Inputs sharing a stem (a.xlsx and a.csv, or two folders' roster.xlsx) get the extension, then a number.
    """
    target = Path(target)
    suffix = target.suffix or ".xlsx"
    if len(inputs) == 1:
        return [target.with_suffix(suffix)]
    stems = Counter(Path(p).stem for p in inputs)
    tags = [Path(p).stem if stems[Path(p).stem] == 1 else f"{Path(p).stem}-{Path(p).suffix.lstrip('.') or 'file'}"
            for p in inputs]
    repeated, seen = Counter(tags), Counter()
    names = []
    for tag in tags:
        seen[tag] += 1
        unique = tag if repeated[tag] == 1 else f"{tag}-{seen[tag]}"
        names.append(target.with_name(f"{target.stem}-{unique}{suffix}"))
    return names


def _numbered(path: Path, number: int) -> Path:
    return path if number == 1 else path.with_name(f"{path.stem}-{number}{path.suffix}")


def write_new(wished: Path, write: Callable[[Path], object]) -> Path:
    """Write a file at `wished`, or at `wished-2`, `-3`… if that name is taken; an existing file is never replaced.

    The name is claimed with an exclusive create (so two imports at once cannot pick the same one), the
    content written beside it and renamed onto the claim.
    """
    for number in range(1, 1000):
        path = _numbered(wished, number)
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            continue
        temp = path.with_name(f".{path.stem}.{os.getpid()}.tmp{path.suffix}")
        try:
            write(temp)
            os.replace(temp, path)
        except BaseException:
            temp.unlink(missing_ok=True)
            path.unlink(missing_ok=True)
            raise
        return path
    raise FileExistsError(f"{wished} and 998 numbered names after it are taken")
