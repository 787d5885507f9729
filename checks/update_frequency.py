"""Criterion UPDATE (Circular 32/2017: how often articles are updated): the newest article the
homepage shows (a date next to an article link or a <time>, article:published_time and similar
metadata, the RSS/Atom feeds the page links) is at most freshness.max_age_days old on the day of
the visit."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime

from checks.gathered import gathered
from portal_audit.evidence.artifacts import DatedItem, NewsDates
from portal_audit.inventory import Site
from portal_audit.settings import Settings
from portal_audit.status import Status
from portal_audit.verdicts import Verdict
from portal_audit.visit import Capture

LISTED = 20


def _where(item: DatedItem) -> str:
    return {"page": "ngày hiển thị cạnh tin bài", "time": "thẻ <time> cạnh tin bài", "meta": f"thẻ {item.where}",
            "feed": f"RSS {item.where}"}.get(item.source, item.source)


def _shown(day: str) -> str:
    return date.fromisoformat(day).strftime("%d/%m/%Y")


def judge(capture: Capture, site: Site, settings: Settings) -> Verdict:
    news: NewsDates = gathered(capture, "news")
    limit = settings.freshness.max_age_days
    today = datetime.fromisoformat(capture.visited_at).date() if capture.visited_at else date.today()
    newest = news.newest
    items = sorted(news.items, key=lambda i: i.date, reverse=True)
    evidence: dict = {"today": today.isoformat(), "max_age_days": limit, "feeds": news.feeds,
                      "feed_errors": news.feed_errors, "items": [asdict(i) for i in items[:LISTED]]}
    if newest is None:
        evidence["reasons"] = ["no_news_dates"]
        return Verdict(Status.FAILED, "Không tìm thấy ngày đăng của tin bài nào trên trang chủ (ngày cạnh liên kết tin "
                                      "bài, thẻ article:published_time, RSS)", evidence)
    age = (today - date.fromisoformat(newest.date)).days
    evidence.update(newest=asdict(newest), age_days=age)
    title = f": '{newest.text[:80]}'" if newest.text and newest.source != "meta" else ""
    if age > limit:
        evidence["reasons"] = ["stale_news"]
        return Verdict(Status.FAILED, f"Trang chủ không được cập nhật: tin mới nhất ngày {_shown(newest.date)} "
                                      f"({_where(newest)}{title}), đã {age} ngày (quá {limit} ngày)", evidence)
    evidence["reasons"] = []
    return Verdict(Status.PASSED, f"Trang chủ được cập nhật: tin mới nhất ngày {_shown(newest.date)} ({age} ngày trước, "
                                  f"{_where(newest)}{title})", evidence)
