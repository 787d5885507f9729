"""Inputs that once exhausted the machine or ended in tracebacks (issue 16, findings 6 and 7): every
YAML reader refuses an alias bomb, an oversized file, runaway nesting and impossible values with
one line 'FILE:LINE: problem'; malformed EMC and CT exports are one line; a large EMC export keeps
the workbook; the network guard refuses every address that is not globally routable, and any name
with one such address, at every stage."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any, Callable

import openpyxl
import pytest

from portal_audit.discovery.domain_scan import judge_names, resolve_all
from portal_audit.discovery.proposals import read_accepted
from portal_audit.dns import DnsAnswer, Resolver
from portal_audit.gather.https_probe import Blocked, probe_https
from portal_audit.inventory import load_inventory
from portal_audit.records.reviews import load_reviews
from portal_audit.render.excel import fitted
from portal_audit.render.summary_outputs import SummaryOutputs
from portal_audit.render.tables import Table
from portal_audit.settings import load_settings
from portal_audit.settings.model import DnsSettings
from portal_audit.summary.emc_data import EmcDataError, load_traffic_data
from portal_audit.visit.documents import Homepage
from portal_audit.network.guard import NetworkGuard, is_internal
from portal_audit.network.resolve import parse_rule
from portal_audit.yamlio import SourceError, read_yaml

from .audit_runner import REPO, run_audit, write_inventory
from .test_discovery import INVENTORY, discover
from .world.dns_server import WorldDns

# "Billion laughs": ten lines, 9^9 values once expanded (71 s and 4 GB before MemoryError, before).
BOMB = """\
a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
reviews: [*i, *i, *i, *i, *i, *i, *i, *i, *i]
"""
# The line where the repeated values pass 10,000: line e (9 x 820 + ...).
BOMB_MESSAGE = ":5: bí danh YAML (alias) lặp lại quá 10.000 giá trị"

# Every YAML reader of the audit, in a child process whose peak memory is measured (and capped, so
# that a regression fails in seconds instead of taking the shared machine's memory).
READ_ALL = """
import json, resource, sys, time
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from portal_audit.discovery.proposals import read_accepted
from portal_audit.inventory import load_inventory
from portal_audit.records.reviews import load_reviews
from portal_audit.settings import load_settings
from portal_audit.yamlio import SourceError
path = Path(sys.argv[1])
imported = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # the modules, whatever the input
readers = {"settings": lambda: load_settings(path), "inventory": lambda: load_inventory(path),
           "reviews": lambda: load_reviews(path, ["3.1"], []), "proposals": lambda: read_accepted(path)}
messages = {}
started = time.monotonic()
for name, read in readers.items():
    try:
        read()
        messages[name] = None
    except SourceError as err:
        messages[name] = str(err)
print(json.dumps({"messages": messages, "seconds": time.monotonic() - started,
                  "imports_mb": imported,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - imported}))
"""
# What reading the input may add to the process, over the modules it imports (the bound).
PEAK_MB = 200


def _read_all(path: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", READ_ALL, str(path)], cwd=REPO, capture_output=True, text=True,
                          timeout=600)  # a hang guard, not a measure: a regression dies on the memory cap first
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.mark.world
def test_every_yaml_reader_refuses_an_alias_bomb_within_the_limits(tmp_path: Path) -> None:
    bomb = tmp_path / "reviews.yaml"
    bomb.write_text(BOMB, encoding="utf-8")
    measured = _read_all(bomb)
    assert measured["messages"] == {name: f"{bomb}{BOMB_MESSAGE}"
                                    for name in ("settings", "inventory", "reviews", "proposals")}
    assert measured["peak_mb"] < PEAK_MB, measured
    print(f"bom bí danh: 4 lần đọc trong {measured['seconds']:.2f} s, đỉnh bộ nhớ {measured['peak_mb']:.0f} MB")


def test_a_few_aliases_are_still_read(tmp_path: Path) -> None:
    shared = tmp_path / "config.yaml"
    shared.write_text("visit: &v {retries: 2}\nlighthouse: {}\nother: [*v, *v]\n", encoding="utf-8")
    assert read_yaml(shared, "tệp cấu hình").data["other"] == ({"retries": 2}, {"retries": 2})


@pytest.mark.world
def test_an_oversized_yaml_file_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    big = tmp_path / "inventory.yaml"
    big.write_text("portals:\n" + "  # chú thích dài dòng cho đủ kích thước tệp\n" * 60_000, encoding="utf-8")
    measured = _read_all(big)
    message = measured["messages"]["inventory"]
    assert message.startswith(f"{big}:") and "tệp danh mục vượt quá giới hạn 2 MB" in message, message
    assert measured["peak_mb"] < PEAK_MB, measured


@pytest.mark.parametrize("text, problem", [
    ("reviews:\n  - site: https://a.gov.vn/\n    date: 2026-13-45\n", ":3: ngày/giờ không hợp lệ '2026-13-45'"),
    ("a: 1\nb: " + "9" * 5000 + "\n", ":2: số không hợp lệ '9999999999"),
    ("a: &a [1, *a]\n", ":1: bí danh YAML (alias) tham chiếu tới chính khối chứa nó"),
    ("a: " + "[" * 80 + "]" * 80 + "\n", ":1: YAML lồng nhau quá sâu (quá 64 cấp)"),
    ("a: " + "[" * 5000 + "]" * 5000 + "\n", ":1: YAML lồng nhau quá sâu"),
])
def test_impossible_yaml_values_are_one_line(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "reviews.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        read_yaml(path, "tệp rà soát thủ công")
    assert str(caught.value).startswith(f"{path}{problem}") and "\n" not in str(caught.value)


def _portal_inventory(tmp_path: Path) -> Path:
    return write_inventory(tmp_path / "inventory.yaml", {"portals": [
        {"id": "bo-mau", "name": "Bộ Mẫu", "group": "ministry", "url": "https://bo-mau.gov.vn/"}]})


@pytest.mark.world
def test_the_audit_stops_at_start_up_on_a_bad_date_or_nested_json(tmp_path: Path) -> None:
    inventory = _portal_inventory(tmp_path)
    reviews = tmp_path / "reviews.yaml"
    reviews.write_text("reviews:\n  - site: https://bo-mau.gov.vn/\n    criterion: '3.1'\n    status: passed\n"
                       "    reason: đã xem\n    reviewer: A\n    date: 2026-13-45\n", encoding="utf-8")
    run = run_audit(tmp_path / "run-date", inventory, "--reviews", str(reviews))
    assert run.returncode == 4, run.output[-2000:]  # pytest's usage error, as for a bad settings value
    assert f"ERROR: {reviews}:7: ngày/giờ không hợp lệ '2026-13-45'" in run.output
    nested = tmp_path / "emc.json"
    nested.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    run_json = run_audit(tmp_path / "run-json", inventory, "--emc-data", str(nested))
    assert run_json.returncode == 4, run_json.output[-2000:]
    assert f"ERROR: {nested}: JSON lồng nhau quá sâu" in run_json.output
    for output in (run.output, run_json.output):
        assert "Traceback" not in output and "INTERNALERROR" not in output


@pytest.mark.world
def test_the_commands_say_one_line_for_a_bad_date_or_nested_ct_export(tmp_path: Path) -> None:
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(INVENTORY, encoding="utf-8")
    config = tmp_path / "audit-config.yaml"
    config.write_text("discovery:\n  title_timeout: 5\nperiod_start: 2026-13-45\n", encoding="utf-8")
    run = discover("--inventory", str(inventory), "--audit-config", str(config))
    assert run.returncode == 2 and run.stderr.splitlines() == [
        f"python -m portal_audit.discovery: lỗi: {config}:3: ngày/giờ không hợp lệ '2026-13-45'"]
    ct = tmp_path / "crt.json"
    ct.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    run = discover("--inventory", str(inventory), "--ct-export", str(ct))
    assert run.returncode == 2 and run.stderr.splitlines() == [
        f"python -m portal_audit.discovery: lỗi: {ct}: tệp CT có JSON lồng nhau quá sâu"]
    results = tmp_path / "results.json"
    results.write_text('{"records": []}', encoding="utf-8")
    report = subprocess.run([sys.executable, "-m", "portal_audit.report", "--allure-results", str(tmp_path),
                             "--results", str(results), "--out", str(tmp_path / "out"), "--audit-config", str(config)],
                            cwd=REPO, capture_output=True, text=True, timeout=300)
    assert report.returncode == 2 and report.stderr.splitlines() == [
        f"python -m portal_audit.report: lỗi: {config}:3: ngày/giờ không hợp lệ '2026-13-45'"]


# ---- EMC exports ----

def _xlsx(path: Path, change: Callable[[str], str] = lambda sheet: sheet) -> Path:
    book = openpyxl.Workbook()
    book.active.append(["Mã website", "Lượt truy cập"])
    book.active.append(["101", 1234])
    buffer = io.BytesIO()
    book.save(buffer)
    source, out = zipfile.ZipFile(buffer), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = change(body.decode("utf-8")).encode("utf-8")
            target.writestr(item, body)
    path.write_bytes(out.getvalue())
    return path


@pytest.mark.parametrize("name, make, problem", [
    ("ngay.xlsx", lambda p: _xlsx(p, lambda s: s.replace('t="n"><v>1234', 't="d"><v>2026-13-45', 1)),
     ":2: không đọc được dòng trong tệp XLSX (ValueError: month must be in 1..12)"),
    ("so.xlsx", lambda p: _xlsx(p, lambda s: s.replace("<v>1234</v>", "<v>12x4</v>")),
     ":2: không đọc được dòng trong tệp XLSX (ValueError"),
    ("xml.xlsx", lambda p: _xlsx(p, lambda s: s[:len(s) // 2]), ":1: không đọc được dòng trong tệp XLSX (ParseError"),
    ("cut.xlsx", lambda p: p.write_bytes(_xlsx(p).read_bytes()[:1500]) and p,
     ": không đọc được tệp XLSX: File is not a zip file"),
    ("deep.json", lambda p: p.write_text("[" * 100_000 + "]" * 100_000) and p, ": JSON lồng nhau quá sâu"),
    ("digits.csv", lambda p: p.write_text("Mã website,Lượt truy cập\n101," + "9" * 5000 + "\n") and p,
     ":2: lượt truy cập không phải số nguyên: '99999999999999999999…'"),
])
def test_malformed_exports_are_one_line(tmp_path: Path, name: str, make: Callable[[Path], Any], problem: str) -> None:
    path = tmp_path / name
    make(path)
    with pytest.raises(EmcDataError) as caught:
        load_traffic_data(path, load_settings().emc_data)
    assert str(caught.value).startswith(f"{path}{problem}") and "\n" not in str(caught.value), str(caught.value)


def test_the_good_xlsx_of_those_tests_is_read(tmp_path: Path) -> None:
    rows = load_traffic_data(_xlsx(tmp_path / "emc.xlsx"), load_settings().emc_data).rows
    assert [(r.site_id, r.visits) for r in rows] == [("101", 1234)]


UNMATCHED = 30_000


def test_a_large_export_keeps_the_workbook_with_the_count_and_a_sample(tmp_path: Path) -> None:
    export = tmp_path / "emc.csv"
    with export.open("w", encoding="utf-8") as out:
        out.write("Mã website,Tên miền,Lượt truy cập\n201,bo-mau.gov.vn,5000\n")
        out.writelines(f"{900000 + i},trang-{i}.khong-co.vn,{i % 997}\n" for i in range(UNMATCHED))
    config = tmp_path / "config.yaml"
    config.write_text("emc_data:\n  sample_rows: 5\n", encoding="utf-8")
    settings = load_settings(config)
    inventory = load_inventory(_portal_inventory(tmp_path))
    outputs = SummaryOutputs(inventory, settings, load_traffic_data(export, settings.emc_data),
                             tmp_path / "out" / "results.json", None, 0)
    emc = outputs.results_fields([])["emc_data"]
    assert (emc["rows"], emc["matched"], emc["unmatched_total"], len(emc["unmatched"])) == (UNMATCHED + 1, 1, UNMATCHED, 5)
    assert emc["unmatched"][0] == {"row": 3, "site_id": "900000", "url": "trang-0.khong-co.vn", "visits": 0}
    assert len(json.dumps(emc)) < 5_000  # was every row: 208 MB for 1.5 million
    (tmp_path / "out").mkdir()
    outputs.finish([], [])
    assert outputs.errors == [] and outputs.written == [str(outputs.workbook_path)]
    notes = [tuple(row) for row in openpyxl.load_workbook(outputs.workbook_path)["Ghi chú"].iter_rows(values_only=True)]
    assert ("Dòng EMC không khớp", f"tổng cộng {UNMATCHED} dòng không khớp trang nào trong danh mục; "
                                   "chỉ ghi 5 dòng đầu") in notes
    assert len([n for n in notes if str(n[0]).startswith("Dòng EMC không khớp (dòng")]) == 5


def test_a_sheet_longer_than_excel_allows_is_cut_with_a_note() -> None:
    table = Table("Kết quả", ["Cổng", "Kết quả"], [[f"cong-{i}", "đạt"] for i in range(10)])
    cut = fitted(table, max_rows=6)
    assert cut.rows[:4] == table.rows[:4] and len(cut.rows) + 1 == 6
    assert cut.rows[-1] == ["... đã cắt: 6 dòng không ghi vì trang tính Excel chỉ chứa tối đa 6 dòng "
                            "(xem results.json)", None]
    assert fitted(table, max_rows=11) is table


# ---- the network guard ----

@pytest.mark.parametrize("address, internal", [
    ("100.100.100.200", True), ("100.64.0.1", True), ("10.0.0.7", True), ("127.0.0.1", True), ("169.254.169.254", True),
    ("::ffff:10.0.0.1", True), ("64:ff9b::a00:1", True), ("2002:a00:1::1", True), ("fd00::1", True), ("::1", True),
    ("224.0.0.1", True), ("fe80::1%eth0", True),
    ("123.30.1.5", False), ("2606:4700::1111", False), ("::ffff:123.30.1.5", False),
    ("64:ff9b::7b1e:105", False),  # DNS64 on an IPv6-only network: a public site, reached through NAT64
])
def test_every_address_that_is_not_globally_routable_is_internal(address: str, internal: bool) -> None:
    assert is_internal(address) is internal


RECORDS = {
    "public.tinh-a.gov.vn": ("123.30.1.5",),
    "mixed.tinh-a.gov.vn": ("123.30.1.5", "10.0.0.7"),  # one public and one private address
    "metadata.tinh-a.gov.vn": ("100.100.100.200",),
    "v6.tinh-a.gov.vn": ("123.30.1.5", "::ffff:10.0.0.1"),  # a public A and an IPv4-mapped private AAAA
}


@pytest.fixture
def world_dns() -> Any:
    server = WorldDns({}, RECORDS)
    server.start()
    yield server
    server.stop()


def _resolver(world_dns: WorldDns) -> Resolver:
    return Resolver(DnsSettings(nameservers=(world_dns.address,), timeout=5))


def test_the_guard_refuses_a_name_with_any_internal_address(world_dns: WorldDns) -> None:
    resolver = _resolver(world_dns)

    def lookup(host: str) -> list[str]:
        return [a for kind in ("A", "AAAA") for a in resolver.lookup(host, kind).addresses]

    guard = NetworkGuard((), lookup)
    assert {host: guard.allows(f"https://{host}/") for host in RECORDS} == {
        "public.tinh-a.gov.vn": True, "mixed.tinh-a.gov.vn": False, "metadata.tinh-a.gov.vn": False,
        "v6.tinh-a.gov.vn": False}
    assert not guard.allows("http://100.100.100.200/latest/meta-data/")
    assert not guard.allows("http://[::ffff:10.0.0.1]/")
    # --resolve stays the auditor's explicit choice.
    assert NetworkGuard((parse_rule("mixed.tinh-a.gov.vn=127.0.0.1:8443"),), lookup).allows("https://mixed.tinh-a.gov.vn/")


def test_the_domain_scan_refuses_a_name_with_any_internal_address(world_dns: WorldDns) -> None:
    resolver = _resolver(world_dns)
    scan = load_settings().discovery.scan
    answers = resolve_all(sorted(RECORDS), resolver.lookup, scan)
    assert answers["v6.tinh-a.gov.vn"].addresses == ("123.30.1.5", "::ffff:10.0.0.1")
    loaded: list[str] = []

    def load(url: str) -> Homepage | None:
        loaded.append(url)
        return Homepage(url, 200, "text/html", "Sở A")

    result = judge_names("tinh-a.gov.vn", set(), {name: "dns" for name in RECORDS}, answers, load,
                         lambda host: False, lambda host: False)
    assert [f.url for f in result.found] == ["https://public.tinh-a.gov.vn/"]
    assert result.not_proposed == [
        "metadata.tinh-a.gov.vn: trỏ tới địa chỉ nội bộ 100.100.100.200, không truy cập",
        "mixed.tinh-a.gov.vn: trỏ tới địa chỉ nội bộ 10.0.0.7, 123.30.1.5, không truy cập",
        "v6.tinh-a.gov.vn: trỏ tới địa chỉ nội bộ 123.30.1.5, ::ffff:10.0.0.1, không truy cập",
    ]
    assert loaded == ["https://public.tinh-a.gov.vn/"]


def test_the_https_probe_refuses_shared_address_space() -> None:
    with pytest.raises(Blocked, match="100.100.100.200 trỏ tới địa chỉ nội bộ"):
        probe_https("https://100.100.100.200/", load_settings().https)


def test_a_scan_answer_without_addresses_is_not_internal() -> None:
    answer = DnsAnswer("a.tinh-a.gov.vn", "A", ())
    result = judge_names("tinh-a.gov.vn", set(), {"a.tinh-a.gov.vn": "dns"}, {"a.tinh-a.gov.vn": answer},
                         lambda url: None, lambda host: False, lambda host: False)
    assert result.not_proposed == ["a.tinh-a.gov.vn: không trả lời qua HTTP/HTTPS"]
