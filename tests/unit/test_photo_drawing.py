"""The photo made ready for the terminal, and how the terminal is chosen; the confirm line's rules."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from examops.domain.confirm import ConfirmLine, confirms
from examops.tui.photo_render import PhotoUnreadable, fitted, prepare
from examops.tui.photo_terminal import detect
from tests.support.photos import synthetic_photo


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_half_blocks_fit_the_box_two_pixels_a_cell_in_the_photo_s_proportions():
    photo = prepare(synthetic_photo("21150054251571", (240, 320)), "halfblock", 20, 13)
    assert photo.method == "halfblock" and (photo.width, photo.height) == (20, 13)
    assert all("".join(s.text for s in line) == "▀" * 20 for line in photo.lines)
    top = photo.lines[0][0].style
    assert top.color.triplet is not None and top.bgcolor.triplet is not None  # upper and lower pixel


def test_sixel_data_is_one_dcs_string_sized_in_pixels_for_the_cell():
    photo = prepare(synthetic_photo("21150054251571", (240, 320)), "sixel", 20, 13, cell=(10, 20))
    assert photo.escape.startswith("\x1bP") and photo.escape.endswith("\x1b\\")
    assert '"1;1;195;260' in photo.escape[:40]  # 240×320 fitted into 200×260 pixels
    assert (photo.width, photo.height) == (20, 13)


def test_kitty_sends_the_png_once_and_draws_placeholder_cells_coloured_with_the_image_id():
    photo = prepare(synthetic_photo("21150054251571", (240, 320)), "kitty", 20, 13, cell=(10, 20), image_id=0x010203)
    assert photo.escape.startswith("\x1b_Gi=66051,f=100,q=2,m=") and "a=p,U=1,i=66051,c=20,r=13" in photo.escape
    assert len(photo.lines) == 13 and photo.lines[0][0].text.startswith("\U0010eeee")
    assert photo.lines[0][0].style.color.triplet == (1, 2, 3)


def test_damaged_bytes_and_absurd_sizes_are_refused_not_crashed():
    with pytest.raises(PhotoUnreadable):
        prepare(b"\xff\xd8\xff not really a jpeg", "halfblock", 10, 10)
    assert fitted((3000, 4000), (20, 26)) == (20, 26)


def test_a_png_with_transparency_is_drawn_on_rgb():
    out = io.BytesIO()
    Image.new("RGBA", (30, 40), (10, 20, 30, 0)).save(out, format="PNG")
    assert prepare(out.getvalue(), "halfblock", 6, 4).height == 4


@pytest.mark.parametrize(("env", "method", "why"), [
    ({"TMUX": "/tmp/tmux-0/default,1,0", "TERM": "tmux-256color"}, "halfblock", "inside tmux or screen"),
    ({"TERM": "screen-256color"}, "halfblock", "inside tmux or screen"),
    ({"SSH_CONNECTION": "10.0.0.2 5000 10.0.0.1 22", "TERM": "xterm-kitty"}, "halfblock", "over SSH"),
    ({"EXAMOPS_PHOTO": "sixel", "TMUX": "x"}, "sixel", "EXAMOPS_PHOTO=sixel"),
    ({"EXAMOPS_PHOTO": "Kitty"}, "kitty", "EXAMOPS_PHOTO=kitty"),
])
def test_the_method_is_chosen_from_the_environment_without_asking_where_asking_would_lie(env, method, why):
    chosen = detect(env, Tty())
    assert (chosen.method, chosen.why) == (method, why)


def test_no_terminal_draws_half_blocks():
    assert detect({}, io.StringIO()).method == "halfblock"


def test_confirm_modes():
    assert confirms("photo", True) and not confirms("photo", False)
    assert confirms("always", False) and not confirms("never", True)
    with pytest.raises(ValueError):
        confirms("sometimes", True)


def test_a_key_confirms_only_the_card_that_was_on_screen_when_it_came():
    line: ConfirmLine[str] = ConfirmLine()
    line.wait_for("A", shown_at=10.0)
    line.hold("B")
    line.hold("C")
    assert not line.confirms(9.99) and line.confirms(10.0)
    assert line.queued == 2 and line.settle() == "A" and not line.confirms(11.0)
    assert [line.next_held(), line.next_held(), line.next_held()] == ["B", "C", None]
