"""Times in people's zones. A signed-in person's pages are in their own zone (`User.time_zone`,
taken from the first cooperative they join and changed on their account page); anonymous pages
in settings.TIME_ZONE (UTC). Every time printed for people carries its zone, so "21:15" never
leaves a reader guessing whether it is theirs.

The zone is on the user row, which authentication reads anyway: no query is added to a page.
It is activated with the person's language, by one rule for pages and API tokens
(`core.i18n.reader_activate`).
An e-mail is written in its recipient's language and zone (`written_for`); a document (an
invoice) in its issuing cooperative's zone, so it reads the same for everyone (docs/pages.md).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format

from core.reference import time_zone_names


def zone_label(moment: datetime) -> str:
    """The zone of an aware datetime as people read it: its abbreviation where the tz database
    has a real one (CET, CEST, UTC), else its offset from UTC (UTC-03, UTC+05:30)."""
    name = moment.tzname() or ""
    if name and name[0] not in "+-":
        return name
    offset = moment.utcoffset()
    if offset is None:
        return ""
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}" + (f":{rest:02d}" if rest else "")


def format_when(value: datetime | None, format_name: str = "DATETIME_FORMAT") -> str:
    """A moment in the active zone, in the active language's format, with the zone's label."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{date_format(local, format_name)} ({zone_label(local)})"


def zone_named(name: str) -> ZoneInfo | None:
    """The zone of an IANA name the tz database knows; None (the site's) for any other."""
    if not name or name not in time_zone_names():
        return None
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:  # pragma: no cover - listed names all load
        return None


@contextmanager
def written_for(language: str, time_zone: str) -> Iterator[None]:
    """Compose a message or a document for one reader: in their language, with the times in
    their zone (the site's when they have none), as their pages are."""
    with (
        translation.override(language or settings.LANGUAGE_CODE),
        timezone.override(zone_named(time_zone)),
    ):
        yield


def zone_activate(user: Any) -> None:
    """This thread's times in `user`'s zone (a person with one), else the site's."""
    zone = zone_named(getattr(user, "time_zone", "") if user is not None else "")
    if zone is not None:
        timezone.activate(zone)
    else:
        timezone.deactivate()
