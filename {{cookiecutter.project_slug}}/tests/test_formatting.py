"""Sizes and times as the pages show them (app/formatting.py)."""

from datetime import UTC, datetime, timedelta

import pytest

from app.formatting import filesize, iso_time, timeago, utc_time

NOW = datetime(2026, 11, 30, 14, 5, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 bytes"),
        (1, "1 byte"),
        (1023, "1023 bytes"),
        (1024, "1 KB"),
        (1280, "1.3 KB"),  # halves round up, as in uploads.js
        (10 * 1024 - 5, "10 KB"),
        (150 * 1024 + 7, "150 KB"),
        (2_000_022, "1.9 MB"),
        (1024 * 1024 - 1, "1 MB"),
        (12 * 1024 * 1024, "12 MB"),
        (1024**3, "1 GB"),
        (5 * 1024**4, "5 TB"),
    ],
)
def test_sizes_read_like_people_say_them(size, text):
    assert filesize(size) == text


@pytest.mark.parametrize(
    ("age", "text"),
    [
        (timedelta(seconds=0), "just now"),
        (timedelta(seconds=-30), "just now"),  # another dyno's clock a little ahead
        (timedelta(seconds=59), "just now"),
        (timedelta(minutes=1), "1 minute ago"),
        (timedelta(minutes=59, seconds=59), "59 minutes ago"),
        (timedelta(hours=2), "2 hours ago"),
        (timedelta(days=1), "yesterday"),
        (timedelta(days=6), "6 days ago"),
        (timedelta(days=8), "22 Nov 2026"),
    ],
)
def test_times_read_as_how_long_ago(age, text):
    assert timeago((NOW - age).isoformat(), now=NOW) == text


def test_times_come_from_iso_strings_or_datetimes():
    for value in ("2026-11-30T14:05:09+00:00", "2026-11-30T15:05:09+01:00", NOW, NOW.replace(tzinfo=None)):
        assert utc_time(value) == "30 Nov 2026, 14:05 UTC"
        assert iso_time(value) == "2026-11-30T14:05:09Z"


def test_a_value_that_is_no_time_is_shown_as_it_is():
    assert timeago("2026-11-30 14:05 UTC") == "2026-11-30 14:05 UTC"
    assert utc_time(None) == "" and iso_time("soon") == ""
