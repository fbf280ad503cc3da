"""Times shown to the reader: in the reader's local time zone with its offset, for any date a file can carry."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo


def local_time_text(moment: datetime, zone: tzinfo | None = None) -> str:
    """"2026-10-20 15:30:00 +08:00" in `zone` (default: this computer's zone); a naive time is taken as UTC.

    Dates at the edge of the calendar (year 1 west of UTC, year 9999 east of it) cannot be converted; they are
    shown in UTC instead of crashing.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        shown = moment.astimezone(zone)
    except (OverflowError, ValueError, OSError):
        try:
            shown = moment.astimezone(UTC)
        except (OverflowError, ValueError, OSError):
            shown = moment
    return (f"{shown.year:04d}-{shown.month:02d}-{shown.day:02d} "
            f"{shown.hour:02d}:{shown.minute:02d}:{shown.second:02d} {_offset(shown)}")


def _offset(moment: datetime) -> str:
    offset = moment.utcoffset()
    if offset is None:
        return ""
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"
