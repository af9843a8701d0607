"""Chinese characters drawn whole where a toast, a banner or a dialog lies across another widget's edge.

Textual's compositor cuts every screen line at every widget's left and right
edge and gives each piece to the front-most widget there. A toast over the
gate's two columns is cut where the left column ends; a double-width character
lying across that cut is split, and Rich's `Segment.divide` replaces both halves
with spaces: "签到表" drawn as "签  表", "仍在核验" as "仍在  验" (Textual issue 6357,
open in the pinned 8.2.8). Here a widget's line is cut only where another,
front-most widget takes over; between two cuts it owns on both sides it stays
whole, in the first of its pieces, and its other pieces are empty. Partial
updates then place each piece by its real width, so a glyph is never written
half. Every examops screen mixes in `WholeGlyphs` to use this compositor.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.strip import Strip

_EMPTY = Strip([], 0)


class WholeGlyphCompositor(Compositor):
    """A compositor that cuts a widget's line only where a widget in front of it begins or ends."""

    def _render_chops(self, crop: Region, is_rendered_line: Callable[[int], bool]) -> Sequence[Mapping[int, Strip]]:
        cuts = self.cuts
        chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
        for region, clip, strips in self._get_renders(crop):  # front to back
            render_region = region.intersection(clip)
            render_x = render_region.x
            first_cut, last_cut = render_region.column_span
            for y, strip in zip(render_region.line_range, strips):
                if not is_rendered_line(y):
                    continue
                line = chops[y]
                pieces = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
                taken = [line.get(cut) is not None for cut in pieces[:-1]]
                # Start a new piece only next to a bucket a widget in front already holds.
                starts = [index for index in range(len(taken)) if index == 0 or taken[index] or taken[index - 1]]
                ends = [pieces[index] for index in starts[1:]] + [last_cut]
                divided = strip.divide([end - render_x for end in ends])
                for index, part in zip(starts, divided):
                    if not taken[index]:
                        line[pieces[index]] = part
                for index, cut in enumerate(pieces[:-1]):
                    if not taken[index] and line.get(cut) is None:
                        line[cut] = _EMPTY  # inside a piece drawn whole from an earlier cut
        return chops  # type: ignore[return-value]

    def render_partial_update(self) -> ChopsUpdate | None:
        update = super().render_partial_update()
        if update is None:
            return None
        # Each piece ends where its strip ends (a whole piece runs past the next cut, an empty one ends where it starts).
        update.chop_ends = [
            [x + strip.cell_length if strip is not None else end for (x, strip), end in zip(line.items(), line_cuts[1:])]
            for line, line_cuts in zip(update.chops, self.cuts)
        ]
        return update


class WholeGlyphs:
    """Mixed into a Screen (before it): draw with `WholeGlyphCompositor`."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - the Screen's own arguments
        super().__init__(*args, **kwargs)
        self._compositor = WholeGlyphCompositor()
