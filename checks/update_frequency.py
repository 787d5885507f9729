"""Criterion UPDATE (Circular 32/2017: how often articles are updated): the newest article the
homepage shows (a date next to an article link or a <time>, article:published_time and similar
metadata, the RSS/Atom feeds the page links) is at most freshness.max_age_days old on the day of
the visit."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime

from portal_audit.evidence.artifacts import DatedItem, NewsDates
from portal_audit.evidence.gatherers import NEWS
from portal_audit.inventory import Site
from portal_audit.settings import Settings
from portal_audit.status import FailureKind, Status
from portal_audit.verdicts import Verdict
from portal_audit.evidence.site import SiteEvidence

LISTED = 20


def _where(item: DatedItem) -> str:
    return {"page": "ngày hiển thị cạnh tin bài", "time": "thẻ <time> cạnh tin bài", "meta": f"thẻ {item.where}",
            "feed": f"RSS {item.where}"}.get(item.source, item.source)


def _shown(day: str) -> str:
    return date.fromisoformat(day).strftime("%d/%m/%Y")


def judge(site_evidence: SiteEvidence, site: Site, settings: Settings) -> Verdict:
    news: NewsDates = site_evidence.artifact(NEWS)
    limit = settings.freshness.max_age_days
    visited_at = site_evidence.capture.visited_at if site_evidence.capture else ""
    today = datetime.fromisoformat(visited_at).date() if visited_at else date.today()
    newest = news.newest
    items = sorted(news.items, key=lambda i: i.date, reverse=True)
    evidence: dict = {"today": today.isoformat(), "max_age_days": limit, "feeds": news.feeds,
                      "feed_errors": news.feed_errors, "items": [asdict(i) for i in items[:LISTED]]}
    if newest is None:
        evidence["reasons"] = [str(FailureKind.NO_NEWS_DATES)]
        return Verdict(Status.FAILED, "Không tìm thấy ngày đăng của tin bài nào trên trang chủ (ngày cạnh liên kết tin "
                                      "bài, thẻ article:published_time, RSS)", evidence)
    age = (today - date.fromisoformat(newest.date)).days
    evidence.update(newest=asdict(newest), age_days=age)
    title = f": '{newest.text[:80]}'" if newest.text and newest.source != "meta" else ""
    if age > limit:
        evidence["reasons"] = [str(FailureKind.STALE_NEWS)]
        return Verdict(Status.FAILED, f"Trang chủ không được cập nhật: tin mới nhất ngày {_shown(newest.date)} "
                                      f"({_where(newest)}{title}), đã {age} ngày (quá {limit} ngày)", evidence)
    evidence["reasons"] = []
    return Verdict(Status.PASSED, f"Trang chủ được cập nhật: tin mới nhất ngày {_shown(newest.date)} ({age} ngày trước, "
                                  f"{_where(newest)}{title})", evidence)
