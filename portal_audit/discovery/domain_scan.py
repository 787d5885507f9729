"""Discovery by domain scan, as Official Letter 2820 builds the component list ("sử dụng công cụ rà quét
theo tên miền"): names under the portal's registrable domain, from the shipped list of the usual labels
of Vietnamese departments and agencies (labels.txt, plus discovery.scan.extra_labels) and from a
Certificate Transparency export the auditor downloaded (the JSON or CSV of crt.sh, Cert Spotter and
the like: the audit machine may have no route to them), are looked up in DNS (portal_audit.dns: the
`dns.nameservers` setting), a bounded number at a time and per second; each name that exists is
loaded through the browser (so --resolve and the network guard apply) and proposed when it answers
with an HTML homepage, with how it was found (`dns`, `ct`).

The parts that decide are pure (labels, reading an export, which names, what an answer means); the
lookups and loads are given as functions, so they are tested without a network."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TextIO

from portal_audit.dns import DnsAnswer
from portal_audit.settings.model import DomainScanSettings
from portal_audit.urls import ascii_host, is_subdomain_of, match_host, parse_address
from portal_audit.visit.documents import Homepage
from portal_audit.network.guard import is_internal

LABELS = Path(__file__).with_name("labels.txt")
DNS, CT = "dns", "ct"
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_SPLIT = re.compile(r"[\s,;|]+")


class CtExportError(ValueError):
    """A CT export that cannot be read; str() is the one line shown to the auditor."""


def scan_labels(settings: DomainScanSettings, shipped: Path = LABELS) -> list[str]:
    """The labels tried under each portal's domain: the shipped list, then the configured extras, once each."""
    lines = shipped.read_text(encoding="utf-8").splitlines()
    labels: list[str] = []
    for line in [*lines, *settings.extra_labels]:
        label = line.split("#", 1)[0].strip().lower()
        if label and _LABEL.match(label) and label not in labels:
            labels.append(label)
    return labels


def _strings(value: Any) -> Iterator[str]:
    """Every string in a JSON value, walked with a stack (a nested export cannot exhaust the recursion)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def _hosts(texts: Iterable[str]) -> set[str]:
    """Host names in free text: crt.sh's name_value holds several, one a line; wildcards lose their '*.'."""
    found = set()
    for text in texts:
        for token in _SPLIT.split(text):
            token = token.strip().strip("\"'").removeprefix("*.").rstrip(".").lower()
            if "." not in token or "=" in token or "/" in token or ":" in token or "@" in token:
                continue
            host = ascii_host(token)
            if host and not host.replace(".", "").isdigit():
                found.add(host)
    return found


def read_ct_export(path: Path) -> set[str]:
    """Every host name a Certificate Transparency export holds, whatever its shape: JSON (crt.sh's
    list of {name_value, common_name}, Cert Spotter's list of {dns_names}) or CSV (any column)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise CtExportError(f"{path}: không đọc được tệp CT ({err})") from None
    if path.suffix.lower() == ".json" or text.lstrip().startswith(("[", "{")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise CtExportError(f"{path}:{err.lineno}: tệp CT không phải JSON hợp lệ ({err.msg})") from None
        except RecursionError:
            raise CtExportError(f"{path}: tệp CT có JSON lồng nhau quá sâu") from None
        except ValueError as err:  # a number of more than 4,300 digits
            raise CtExportError(f"{path}: tệp CT có giá trị JSON không hợp lệ ({err})") from None
        return _hosts(_strings(data))
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as err:
        raise CtExportError(f"{path}: tệp CT không phải CSV hợp lệ ({err})") from None
    return _hosts(cell for row in rows for cell in row)


def names_under(names: Iterable[str], domain: str) -> list[str]:
    """The names strictly below `domain` ('www.' of the domain itself is the portal), in order."""
    return sorted({match_host(n) for n in names if is_subdomain_of(n, domain)} - {match_host(domain)})


class RateLimit:
    """At most `per_second` starts a second, whatever the number of threads asking."""

    def __init__(self, per_second: float) -> None:
        self.interval = 1.0 / per_second
        self.next = 0.0
        self.lock = threading.Lock()

    def wait(self) -> None:
        with self.lock:
            now = time.monotonic()
            start = max(now, self.next)
            self.next = start + self.interval
        if start > now:
            time.sleep(start - now)


def _never() -> bool:
    return False


class Progress:
    """A line on stderr every `seconds` of a long stage ('đã tra DNS 1.200/100.000 tên ...'), and
    one at its end when it was long enough to have shown one: a national CT export takes an hour."""

    def __init__(self, what: str, total: int, seconds: float, out: TextIO | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.what, self.total, self.seconds = what, total, seconds
        self.out = out if out is not None else sys.stderr
        self.clock = clock
        self.last = clock()
        self.shown = False

    def step(self, done: int) -> None:
        now = self.clock()
        if now - self.last >= self.seconds or (done == self.total and self.shown):
            self.last, self.shown = now, True
            print(f"  {self.what}: {grouped(done)}/{grouped(self.total)} tên miền", file=self.out, flush=True)


def grouped(number: int) -> str:
    """12345 as 12.345, as Vietnamese writes it."""
    return f"{number:,}".replace(",", ".")


def _both_families(lookup: Callable[[str, str], DnsAnswer], limit: RateLimit, name: str) -> DnsAnswer:
    """The name's A answer with its AAAA addresses added (AAAA alone when it has no A record): a
    name is refused when ANY of its addresses is internal, whichever the browser would pick."""
    limit.wait()
    answer = lookup(name, "A")
    if answer.error not in (None, "noanswer"):
        return answer  # no such name (most of a scan): one query
    limit.wait()
    extra = lookup(name, "AAAA")
    if answer.error == "noanswer":
        return extra
    return replace(answer, addresses=answer.addresses + extra.addresses) if extra.addresses else answer


def resolve_all(names: list[str], lookup: Callable[[str, str], DnsAnswer], settings: DomainScanSettings,
                stopped: Callable[[], bool] = _never,
                progress: Callable[[int], None] | None = None) -> dict[str, DnsAnswer]:
    """Each name's addresses (A and AAAA), at most `concurrency` lookups in flight and
    `queries_per_second` started per second. Once `stopped()` (Ctrl-C), no lookup starts and the
    names looked up so far are returned: the worker pool is never waited on for the rest (waiting
    on the queued lookups is what made Ctrl-C look ignored)."""
    limit = RateLimit(settings.queries_per_second)

    def one(name: str) -> DnsAnswer | None:
        return None if stopped() else _both_families(lookup, limit, name)

    answers: dict[str, DnsAnswer] = {}
    pool = ThreadPoolExecutor(max_workers=settings.concurrency, thread_name_prefix="dns-scan")
    try:
        futures = [pool.submit(one, name) for name in names]
        for done, (name, future) in enumerate(zip(names, futures), start=1):
            answer = future.result()
            if stopped():
                break
            if answer is not None:
                answers[name] = answer
            if progress is not None:
                progress(done)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # only the lookups under way (a DNS timeout at most)
    return answers


def internal(addresses: Iterable[str]) -> bool:
    """Any of the addresses is loopback, private or otherwise not on the internet (the network
    guard's rule: the browser may connect to any of a name's addresses)."""
    return any(is_internal(a) for a in addresses)


@dataclass(frozen=True)
class Found:
    """A component site the scan proposes."""

    url: str  # the site root it landed on, e.g. https://stc.tinh-a.gov.vn/
    name: str  # its homepage's title
    how: str  # "dns" | "ct"
    where: str  # for the reviewer, e.g. "rà quét tên miền (DNS): sotc.tinh-a.gov.vn → stc.tinh-a.gov.vn"


@dataclass
class ScanResult:
    domain: str
    tried: int = 0
    in_dns: list[str] = field(default_factory=list)
    found: list[Found] = field(default_factory=list)
    not_proposed: list[str] = field(default_factory=list)  # "name: reason"
    stopped: str = ""  # how far an interrupted scan went (Ctrl-C)

    def as_yaml(self) -> dict[str, Any]:
        item: dict[str, Any] = {"domain": self.domain, "names_tried": self.tried, "in_dns": list(self.in_dns),
                                "not_proposed": list(self.not_proposed)}
        if self.stopped:
            item["stopped"] = self.stopped
        return item

    def summary(self) -> str:
        return (f"rà quét tên miền {self.domain}: {self.tried} tên, {len(self.in_dns)} có trong DNS, "
                f"{len(self.found)} trả về trang web" + (f" ({self.stopped})" if self.stopped else ""))


def _where(how: str, name: str, landed: str) -> str:
    source = "rà quét tên miền (DNS)" if how == DNS else "chứng chỉ số (CT)"
    return f"{source}: {name}" + (f" → {landed}" if landed != name else "")


def judge_names(domain: str, portal_hosts: set[str], sources: dict[str, str], answers: dict[str, DnsAnswer],
                load: Callable[[str], Homepage | None], mapped: Callable[[str], bool],
                excluded: Callable[[str], bool], stopped: Callable[[], bool] = _never,
                progress: Callable[[int], None] | None = None) -> ScanResult:
    """Which names to propose. `sources`: name -> "dns" | "ct" (ct wins: a certificate was issued for
    it); `load(url)` what an address answers; `mapped(host)` whether --resolve sends it somewhere on
    purpose; `excluded(host)` the discovery rules' exclusions (dịch vụ công, mail ...). Once
    `stopped()` (Ctrl-C), names are listed as in DNS but no longer loaded nor judged (a load cut by
    the interrupt says nothing about the site)."""
    result = ScanResult(domain, tried=len(sources))
    existing = [name for name in sorted(sources) if name in answers and answers[name].exists]
    for done, name in enumerate(existing, start=1):
        result.in_dns.append(name)
        if stopped():
            continue
        verdict = _verdict(name, sources[name], answers[name], domain, portal_hosts, load, mapped, excluded)
        if stopped():
            continue
        if isinstance(verdict, Found):
            result.found.append(verdict)
        else:
            result.not_proposed.append(f"{name}: {verdict}")
        if progress is not None:
            progress(done)
    return result


def _verdict(name: str, how: str, answer: DnsAnswer, domain: str, portal_hosts: set[str],
             load: Callable[[str], Homepage | None], mapped: Callable[[str], bool],
             excluded: Callable[[str], bool]) -> Found | str:
    """The site a name proposes, or why it proposes none."""
    if excluded(name):
        return "loại trừ theo cấu hình discovery.exclude_hosts"
    if answer.addresses and internal(answer.addresses) and not mapped(name):
        return f"trỏ tới địa chỉ nội bộ {', '.join(answer.addresses)}, không truy cập"
    page = load(f"https://{name}/")
    if page is None or not page.is_html:
        page = load(f"http://{name}/") or page
    if page is None:
        return "không trả lời qua HTTP/HTTPS"
    if not page.is_html:
        what = f"HTTP {page.status}" if page.status >= 400 else (page.content_type or "không rõ kiểu")
        return f"không trả về trang web ({what})"
    landed = parse_address(page.url)
    if landed is None or landed.match_host in portal_hosts:
        return "chuyển về trang chủ cổng"
    if not is_subdomain_of(landed.match_host, domain):
        return f"chuyển tới {landed.match_host}, ngoài tên miền {domain}"
    if excluded(landed.match_host):
        return f"chuyển tới {landed.match_host}, loại trừ theo cấu hình"
    return Found(landed.root, page.title, how, _where(how, name, landed.match_host))
