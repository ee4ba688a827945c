"""iCalendar (RFC 5545) files: one event, and the feed of the upcoming ones, built with the
icalendar library. Times are written in UTC (``...Z``), which every calendar converts; cancelled
events stay in the feed with STATUS:CANCELLED so that subscribers' calendars drop them."""
from urllib.parse import urlsplit

import icalendar
from flask import current_app

from fsi.db import utcnow
from fsi.mail.render import absolute_url

PRODID = "-//FSI//Ateliers et clubs de reflexion//FR"


def _uid(event):
    return f"event-{event.id}@{urlsplit(current_app.config['SERVER_URL']).netloc or 'fsi'}"


def vevent(event, now=None):
    url = absolute_url("events.show", event_id=event.id, slug=event.slug)
    item = icalendar.Event()
    item.add("uid", _uid(event))
    item.add("dtstamp", now or utcnow())
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    item.add("summary", event.title)
    item.add("description", "\n\n".join(part for part in (event.description, event.video_url, url) if part))
    location = event.place.strip() or event.video_url
    if location:
        item.add("location", location)
    item.add("url", url)
    item.add("sequence", event.version)
    item.add("status", "CANCELLED" if event.cancelled_at else "CONFIRMED")
    return item


def calendar(events, name=None):
    """The calendar of ``events`` as bytes (text/calendar)."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
    now = utcnow()
    for event in events:
        cal.add_component(vevent(event, now))
    return cal.to_ical()
