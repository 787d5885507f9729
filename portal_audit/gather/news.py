"""The dated articles of a homepage (criterion UPDATE), from three sources: the dates the rendered
page shows next to article links (and <time> elements), the page's article:published_time and
similar metadata, and the items of the RSS/Atom feeds it links. Pure functions over what the visit
gathered; dates later than the visit (announced events) do not count."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime

from portal_audit.evidence.artifacts import DateCandidate, DatedItem, FeedDocument, NewsDates
from portal_audit.evidence.gatherers import DATES, FEEDS, METADATA, NEWS, VISIT
from portal_audit.gather.unit import GatherContext, Gatherer

_DMY = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
# An article's own dates (a homepage's DC.date or dateModified is the page's, not an article's).
META_SOURCES = ("article:published_time", "article:modified_time", "jsonld:datePublished")
OLDEST_YEAR = 1995


def parse_date(text: str) -> date | None:
    """A date as Vietnamese pages write it (day first) or in ISO 8601; None when there is none."""
    for pattern, order in ((_ISO, (0, 1, 2)), (_WORDS, (2, 1, 0)), (_DMY, (2, 1, 0))):
        found = pattern.search(text)
        if found:
            parts = [int(found.group(i + 1)) for i in range(3)]
            year, month, day = (parts[i] for i in order)
            try:
                return date(year, month, day)
            except ValueError:
                continue
    return None


def _feed_date(text: str) -> date | None:
    text = text.strip()
    try:
        return parsedate_to_datetime(text).date()  # RSS: RFC 822
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()  # Atom: RFC 3339
    except ValueError:
        return parse_date(text)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def feed_items(feed: FeedDocument) -> list[DatedItem]:
    """The dated items of an RSS or Atom document (ValueError when it is neither)."""
    try:
        root = ElementTree.fromstring((feed.body or "").lstrip("\ufeff").strip().encode("utf-8"))
    except ElementTree.ParseError as err:
        raise ValueError(f"{feed.url}: không phải tệp RSS/Atom ({err})") from None
    items: list[DatedItem] = []
    for element in root.iter():
        if _local(element.tag) not in ("item", "entry"):
            continue
        title, when = "", None
        for child in element:
            name = _local(child.tag)
            if name == "title":
                title = " ".join((child.text or "").split())[:150]
            elif name in ("pubdate", "date", "published", "updated") and when is None:
                when = _feed_date(child.text or "")
        if when is not None:
            items.append(DatedItem(when.isoformat(), "feed", title, feed.url))
    return items


def news_dates(candidates: list[DateCandidate], feeds: list[FeedDocument], metadata: dict[str, list[str]],
               visited_at: str, ignore_context: str) -> NewsDates:
    today = datetime.fromisoformat(visited_at).date() if visited_at else date.today()
    latest = today + timedelta(days=1)  # a page in a time zone ahead of the auditor's
    widget = re.compile(ignore_context, re.IGNORECASE)
    result = NewsDates()

    def keep(when: date | None, item: DatedItem) -> None:
        if when is not None and OLDEST_YEAR <= when.year and when <= latest:
            result.items.append(item)

    for candidate in candidates:
        # A date counts next to an article link; a today's-date widget does not.
        if not candidate.near_link or widget.search(candidate.context):
            continue
        when = parse_date(candidate.text)
        keep(when, DatedItem(when.isoformat() if when else "", "time" if candidate.kind == "time" else "page",
                             candidate.link or candidate.context[:150]))
    for source in META_SOURCES:
        for value in metadata.get(source, []):
            when = parse_date(value)
            keep(when, DatedItem(when.isoformat() if when else "", "meta", value, source))
    for feed in feeds:
        if feed.error is not None:
            result.feed_errors.append(f"{feed.url}: {feed.error}")
            continue
        try:
            items = feed_items(feed)
        except ValueError as err:
            result.feed_errors.append(str(err))
            continue
        result.feeds.append(feed.url)
        for item in items:
            keep(date.fromisoformat(item.date), item)
    return result


def run(context: GatherContext) -> NewsDates:
    found = context.found
    news = news_dates(found[DATES], found.get(FEEDS) or [], found[METADATA], found[VISIT].capture.visited_at,
                      context.settings.freshness.ignore_context)
    if FEEDS not in found and FEEDS in context.errors:
        news.feed_errors.append(context.errors[FEEDS])
    return news


# The feeds are read when there are some: a feed that could not be read is named, not fatal.
GATHERER = Gatherer(NEWS, run, needs=(DATES, METADATA, VISIT))
