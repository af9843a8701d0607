"""The words of a photo-pack import: each problem code's sentence and what to do, in the catalog."""

from __future__ import annotations

from typing import Mapping

from examops.i18n import N_, translator

PROBLEM_WORDS = {
    "pack-unreadable": (N_("cannot be read ({reason})"), N_("Check the path and the permissions.")),
    "pack-not-zip": (N_("a {kind} file, not a zip, a folder or a JPEG/PNG photo"),
                     N_("Unpack it into a folder, or ask the exam office for a zip.")),
    "pack-damaged": (N_("a damaged zip ({reason})"), N_("Ask the exam office to send the pack again.")),
    "pack-too-many-entries": (N_("the zip holds {entries} files, more than {limit}: refused before unpacking"),
                              N_("Ask the exam office for the photos of this site only.")),
    "pack-too-large": (N_("the zip says it unpacks to {size}, more than {limit}: refused before unpacking"),
                       N_("Ask the exam office for the photos of this site only.")),
    "not-image": (N_("not a JPEG or PNG image"), N_("Take it out of the pack, or ask the exam office for this photo.")),
    "other-format": (N_("a {kind} image, not JPEG or PNG"), N_("Save it as JPEG and import again.")),
    "damaged": (N_("the image is damaged ({reason})"), N_("Ask the exam office for this photo again.")),
    "too-small": (N_("{width} × {height} pixels is far too small to compare a face with (at least {limit} on each side)"),
                  N_("Ask the exam office for the registration photo itself, not a thumbnail.")),
    "too-many-pixels": (N_("the image declares {pixels} pixels, absurdly large for a photo (at most {limit}): refused before decoding"),
                        N_("Ask the exam office for the registration photo at its usual size.")),
    "file-too-large": (N_("{size} is absurdly large for a photo (at most {limit}): refused without reading it"),
                       N_("Ask the exam office for the registration photo at its usual size.")),
    "zip-bomb": (N_("the zip says it unpacks {compressed} to {size}, more than {limit} times: refused before unpacking"),
                 N_("This is no photo: ask the exam office to send the pack again.")),
    "zip-entry-encrypted": (N_("encrypted in the zip"), N_("Ask the exam office for a pack without a password.")),
    "zip-entry-damaged": (N_("cannot be unpacked ({reason})"), N_("Ask the exam office to send the pack again.")),
    "unreadable": (N_("cannot be read ({reason})"), N_("Check the file's permissions.")),
    "not-regular-file": (N_("not a regular file (a link or a device)"), N_("Copy the photo itself into the folder.")),
    "no-candidate": (N_("{stem} is no candidate's ticket or ID number"),
                     N_("Name the file by the candidate's ticket number, or import the roster that has this candidate first.")),
    "ambiguous-name": (N_("{stem} could be ticket {tickets} (leading zeros lost)"),
                       N_("Name the file by the full ticket number.")),
    "two-files": (N_("a second photo for ticket {ticket} (also {others})"), N_("Keep one photo per candidate in the pack.")),
    "no-roster": (N_("the store has no candidates yet"), N_("Import the roster first: examops roster import ROSTER.xlsx")),
    "replace-needs-pin": (N_("replacing the photos of {count} candidates needs the chief proctor's PIN"),
                          N_("Run it where the PIN can be given (a terminal, --pin-file or EXAMOPS_PIN).")),
    "replace-wrong-pin": (N_("wrong PIN: the photos of {count} candidates stay as they were (the attempt is logged)"),
                          N_("Only the chief proctor can replace a candidate's photo.")),
    "no-photo": (N_("candidates without a photo: {count}"), N_("They show as \"no photo\" at the gate and on the seat plans.")),
}

SUMMARY_WORDS = {
    "imported": N_("imported {photos} photos: {added} new, {replaced} replaced, {unchanged} unchanged"),
    "would_import": N_("would import {photos} photos: {added} new, {replaced} replaced, {unchanged} unchanged"),
    "refused": N_("problems found: {errors}; nothing imported. Fix the pack and import again."),
    "replaced_list": N_("replaced: {tickets}"),
    "without_list": N_("without a photo: {tickets}"),
    "more": N_("… and {count} more"),
    "skipped": N_("files skipped that file managers leave beside photos (Thumbs.db, .DS_Store, __MACOSX): {count}"),
    "purged": N_("photos removed: {removed}; the log records who and when"),
    "reclaim": N_("the photos are gone from the store, but its old pages could not be reclaimed ({reason}): run VACUUM on it"),
    "error": N_("error"),
    "warning": N_("warning"),
    "note": N_("note"),
}


def _size(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    for unit in ("B", "KiB", "MiB", "GiB"):
        if number < 1024 or unit == "GiB":
            return f"{number:.0f} {unit}" if unit == "B" else f"{number:.1f} {unit}"
        number /= 1024
    return str(value)


def _fill(code: str, params: Mapping[str, object]) -> dict[str, object]:
    """The parameters as the words show them: sizes in KiB/MiB, lists joined."""
    filled: dict[str, object] = {key: (", ".join(map(str, value)) if isinstance(value, (list, tuple)) else value)
                                 for key, value in params.items()}
    if "bytes" in params:
        filled["size"] = _size(params["bytes"])
    if code in ("file-too-large", "pack-too-large") and "limit" in params:
        filled["limit"] = _size(params["limit"])
    if code == "too-many-pixels":
        filled["limit"] = f"{params.get('limit', 0):,}"
        known = "width" in params and "height" in params
        filled["pixels"] = f"{params['width']} × {params['height']}" if known else f"> {filled['limit']}"
    if "kind" in params:
        filled["kind"] = str(params["kind"]).upper()
    if "compressed" in params:
        filled["compressed"] = _size(params["compressed"])
    filled.setdefault("size", "?")
    return filled


def problem_words(code: str, params: Mapping[str, object], lang: str | None = None) -> tuple[str, str]:
    """(what is wrong, what to do) for a problem code, in `lang` (the process's language when None)."""
    from examops.i18n import language

    catalog = translator(language() if lang is None else lang)
    message, fix = PROBLEM_WORDS.get(code, (code, ""))
    filled = _fill(code, params)
    try:
        text = catalog.gettext(message).format(**filled)
    except (KeyError, IndexError, ValueError):
        text = catalog.gettext(message) + " " + repr(dict(params))
    return text, catalog.gettext(fix) if fix else ""


def summary_word(key: str, lang: str | None = None, **params: object) -> str:
    from examops.i18n import language

    return translator(language() if lang is None else lang).gettext(SUMMARY_WORDS[key]).format(**params)
