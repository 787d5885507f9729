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
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

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
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


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


def resolve_all(names: list[str], lookup: Callable[[str, str], DnsAnswer], settings: DomainScanSettings) -> dict[str, DnsAnswer]:
    """Each name's A answer (its AAAA answer when it exists without an A record), at most
    `concurrency` lookups in flight and `queries_per_second` started per second."""
    limit = RateLimit(settings.queries_per_second)

    def one(name: str) -> DnsAnswer:
        limit.wait()
        answer = lookup(name, "A")
        if answer.error == "noanswer":
            limit.wait()
            answer = lookup(name, "AAAA")
        return answer

    with ThreadPoolExecutor(max_workers=settings.concurrency, thread_name_prefix="dns-scan") as pool:
        return dict(zip(names, pool.map(one, names)))


def internal(addresses: Iterable[str]) -> bool:
    """Every address is loopback, private or otherwise not on the internet (the network guard's rule)."""
    addresses = list(addresses)
    return bool(addresses) and all(is_internal(a) for a in addresses)


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

    def as_yaml(self) -> dict[str, Any]:
        return {"domain": self.domain, "names_tried": self.tried, "in_dns": list(self.in_dns),
                "not_proposed": list(self.not_proposed)}

    def summary(self) -> str:
        return (f"rà quét tên miền {self.domain}: {self.tried} tên, {len(self.in_dns)} có trong DNS, "
                f"{len(self.found)} trả về trang web")


def _where(how: str, name: str, landed: str) -> str:
    source = "rà quét tên miền (DNS)" if how == DNS else "chứng chỉ số (CT)"
    return f"{source}: {name}" + (f" → {landed}" if landed != name else "")


def judge_names(domain: str, portal_hosts: set[str], sources: dict[str, str], answers: dict[str, DnsAnswer],
                load: Callable[[str], Homepage | None], mapped: Callable[[str], bool],
                excluded: Callable[[str], bool]) -> ScanResult:
    """Which names to propose. `sources`: name -> "dns" | "ct" (ct wins: a certificate was issued for
    it); `load(url)` what an address answers; `mapped(host)` whether --resolve sends it somewhere on
    purpose; `excluded(host)` the discovery rules' exclusions (dịch vụ công, mail ...)."""
    result = ScanResult(domain, tried=len(sources))
    for name in sorted(sources):
        answer = answers.get(name)
        if answer is None or not answer.exists:
            continue
        result.in_dns.append(name)
        if excluded(name):
            result.not_proposed.append(f"{name}: loại trừ theo cấu hình discovery.exclude_hosts")
            continue
        if answer.addresses and internal(answer.addresses) and not mapped(name):
            result.not_proposed.append(f"{name}: trỏ tới địa chỉ nội bộ {', '.join(answer.addresses)}, không truy cập")
            continue
        page = load(f"https://{name}/")
        if page is None or not page.is_html:
            page = load(f"http://{name}/") or page
        if page is None:
            result.not_proposed.append(f"{name}: không trả lời qua HTTP/HTTPS")
            continue
        if not page.is_html:
            what = f"HTTP {page.status}" if page.status >= 400 else (page.content_type or "không rõ kiểu")
            result.not_proposed.append(f"{name}: không trả về trang web ({what})")
            continue
        landed = parse_address(page.url)
        if landed is None or landed.match_host in portal_hosts:
            result.not_proposed.append(f"{name}: chuyển về trang chủ cổng")
            continue
        if not is_subdomain_of(landed.match_host, domain):
            result.not_proposed.append(f"{name}: chuyển tới {landed.match_host}, ngoài tên miền {domain}")
            continue
        if excluded(landed.match_host):
            result.not_proposed.append(f"{name}: chuyển tới {landed.match_host}, loại trừ theo cấu hình")
            continue
        result.found.append(Found(landed.root, page.title, sources[name],
                                  _where(sources[name], name, landed.match_host)))
    return result
