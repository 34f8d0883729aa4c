"""When the shared session limit lets one more call through (services.shared_rate_limit)."""

from __future__ import annotations

import pytest

from services.shared_rate_limit import Window, seconds_until_allowed


def test_a_window_starts_on_a_multiple_of_its_length():
    window = Window.at(1_800_000_075.0, 60)

    assert window.start == 1_800_000_060
    assert window.elapsed == pytest.approx(0.25)


def test_with_room_in_this_window_the_wait_is_for_the_previous_one_to_slide_out():
    # 4 calls last window and 2 now, limit 4: one more fits once the previous counts under 1,
    # that is past three quarters of this window; a quarter has passed.
    assert seconds_until_allowed(4, previous=4, current=2, elapsed=0.25, window_seconds=60) == 30


def test_with_this_window_full_the_wait_runs_into_the_next_one():
    # 4 calls now, limit 4: next window they count 4 x (1 - g); under 3 once g passes a quarter.
    assert seconds_until_allowed(4, previous=0, current=4, elapsed=0.5, window_seconds=60) == 45


def test_a_previous_window_already_slid_out_far_enough_means_no_wait():
    assert seconds_until_allowed(4, previous=4, current=0, elapsed=0.5, window_seconds=60) == 0
