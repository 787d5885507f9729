"""The audit summary end to end: the real audit command over a small inventory of the simulated
world, with EMC exports written here as CSV (Vietnamese headers), XLSX and JSON; results.json,
the Excel workbook, the Allure summary results, the terminal tables; -n 0 and -n 2 agree; a bad
export stops the run before any browser starts."""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from portal_audit.inventory import load_inventory
from portal_audit.settings import RankingSettings, load_settings
from portal_audit.summary import build_rankings, load_traffic_data

from . import required
from .audit_runner import REPO, AuditRun, run_audit, write_inventory
from .together import run_together
from .world.catalog import EXTRA_RESOLVE, build_inventory
from .world.server import World
from .standin import stand_in_chromium

pytestmark = [pytest.mark.world, pytest.mark.xdist_group("summary")]

# Two ministries (bo-mau with one component), two provinces (tinh-loi: broken portal, good component).
PORTALS = ("bo-mau", "bo-doi-ten", "tinh-http", "tinh-loi")
# Rows of the export: (site_id, address, visits as written, period).
EXPORT = [
    ("201", "", "153.214.000", "Năm 2024"),               # bo-mau, by registered id, Vietnamese separators
    ("", "bo-doi-ten.gov.vn", "153,214,000", "Năm 2024"),  # bare host, English separators: a tie
    ("301", "", "5.000", "Năm 2024"),                      # tinh-http: not registered, seen on the page
    ("502", "", "7.000", "Năm 2024"),                      # tinh-loi's component only
    ("202", "https://cuc-a.bo-mau.gov.vn/", "1.000", "Năm 2024"),
    ("999", "khong-co.gov.vn", "12", "Năm 2024"),          # no such site: a warning
]
RANKING = [
    {"group": "ministry", "portal": "bo-mau", "name": "Cổng TTĐT Bộ Mẫu", "visits": 153214000, "rank": 1},
    {"group": "ministry", "portal": "bo-doi-ten", "name": "Cổng TTĐT Bộ Đổi Tên", "visits": 153214000, "rank": 1},
    {"group": "province", "portal": "tinh-http", "name": "Cổng TTĐT tỉnh Hòa Thịnh", "visits": 5000, "rank": 1},
    {"group": "province", "portal": "tinh-loi", "name": "Cổng TTĐT tỉnh Long Lợi", "visits": None, "rank": None},
]
# From the catalog's expected verdicts: per criterion passed / evaluated, equal weights.
SCORES = {"bo-mau": 50.0, "bo-doi-ten": 100.0, "tinh-http": 100.0, "tinh-loi": 50.0}


@pytest.fixture(scope="module")
def small_inventory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    portals = [p for p in build_inventory()["portals"] if p["id"] in PORTALS]
    for portal in portals:
        if portal["id"] == "tinh-http":
            del portal["emc_site_id"]  # so that its row can only match by the id seen on the page
    return write_inventory(tmp_path_factory.mktemp("small") / "inventory.yaml", {"portals": portals})


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("emc")
    with (folder / "luot-truy-cap.csv").open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["Mã website", "Tên miền", "Lượt truy cập", "Kỳ"])
        writer.writerows(EXPORT)
    book = openpyxl.Workbook()
    book.active.append(["site_id", "url", "visits", "period"])
    for site_id, url, visits, period in EXPORT:
        book.active.append([site_id or None, url or None, int(visits.replace(".", "").replace(",", "")), period])
    book.save(folder / "visits.xlsx")
    (folder / "visits.json").write_text(json.dumps(
        [{"site_id": s, "url": u, "visits": v, "period": p} for s, u, v, p in EXPORT], ensure_ascii=False),
        encoding="utf-8")
    return {"csv": folder / "luot-truy-cap.csv", "xlsx": folder / "visits.xlsx", "json": folder / "visits.json"}


def audit_args(world: World, *args: str) -> tuple[str, ...]:
    return (*world.resolve_args(EXTRA_RESOLVE), "--ignore-https-errors", *args)


@pytest.fixture(scope="module")
def runs(world: World, small_inventory: Path, exports: dict[str, Path],
         tmp_path_factory: pytest.TempPathFactory) -> dict[str, AuditRun]:
    """The same portals audited twice at once (both runs mostly wait on the sites' settle budgets):
    at -n 0 with the CSV export, at -n 2 with the Excel one."""
    xlsx, csv = run_together(
        lambda: run_audit(tmp_path_factory.mktemp("xlsx-n2"), small_inventory,
                          *audit_args(world, "-n", "2", "--emc-data", str(exports["xlsx"]))),
        lambda: run_audit(tmp_path_factory.mktemp("csv-n0"), small_inventory,
                          *audit_args(world, "-n", "0", "--emc-data", str(exports["csv"]))))
    done = {"xlsx": xlsx, "csv": csv}
    print("\n" + ", ".join(f"{name}: {run.seconds:.1f}s" for name, run in done.items()))
    return done


@pytest.fixture(scope="module")
def csv_run(runs: dict[str, AuditRun]) -> AuditRun:
    return runs["csv"]


@pytest.fixture(scope="module")
def xlsx_run(runs: dict[str, AuditRun]) -> AuditRun:
    return runs["xlsx"]


def workbook_values(run: AuditRun) -> dict[str, list[list[Any]]]:
    book = openpyxl.load_workbook(run.results_path.parent / "ket-qua-danh-gia.xlsx")
    return {sheet.title: [[c.value for c in row] for row in sheet.iter_rows()] for sheet in book.worksheets}


def test_ranking_in_results(csv_run: AuditRun, exports: dict[str, Path]) -> None:
    results = csv_run.results
    assert csv_run.returncode == 1  # some criteria fail, as the catalog says
    assert results["ranking"] == RANKING
    assert {c["portal"]: c["score"] for c in results["compliance"]} == SCORES
    assert [(c["portal"], c["rank"]) for c in results["compliance_ranking"]] == [
        ("bo-doi-ten", 1), ("bo-mau", 2), ("tinh-http", 1), ("tinh-loi", 2)]
    mau = next(c for c in results["compliance"] if c["portal"] == "bo-mau")
    assert mau["sites"] == 2
    assert mau["criteria"]["3.1"] == {"passed": 1, "failed": 1, "broken": 0, "skipped": 0, "total": 2}
    loi = next(c for c in results["compliance"] if c["portal"] == "tinh-loi")
    assert loi["criteria"]["3.2b"] == {"passed": 0, "failed": 0, "broken": 1, "skipped": 0, "total": 1}
    emc = results["emc_data"]
    assert (emc["file"], emc["rows"], emc["matched"]) == (str(exports["csv"]), 6, 5)
    assert emc["unmatched"] == [{"row": 7, "site_id": "999", "url": "khong-co.gov.vn", "visits": 12}]


def test_terminal_summary(csv_run: AuditRun) -> None:
    out = csv_run.output
    assert "Tổng hợp đánh giá (tiêu chí 3.3 và mức độ tuân thủ)" in out
    lines = out.splitlines()
    ministry = lines.index("Bộ, ngành (2 cổng)")
    assert lines[ministry + 1].split()[:5] == ["Hạng", "Cổng", "Lượt", "truy", "cập"]
    assert lines[ministry + 3].split()[:2] == ["1", "Cổng"] and "153.214.000" in lines[ministry + 3]
    assert "Cổng TTĐT Bộ Mẫu" in lines[ministry + 3] and "50,0%" in lines[ministry + 3]
    province = lines.index("Tỉnh, thành phố (2 cổng)")
    assert "Cổng TTĐT tỉnh Long Lợi" in lines[province + 4] and "không có dữ liệu" in lines[province + 4]
    assert any(line.startswith("Cảnh báo: ") and ":7: dòng dữ liệu EMC không khớp" in line
               and "'999'" in line for line in lines)
    assert "ket-qua-danh-gia.xlsx" in out


def test_workbook(csv_run: AuditRun) -> None:
    path = csv_run.results_path.parent / "ket-qua-danh-gia.xlsx"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Tổng hợp theo cổng", "Kết quả chi tiết", "Xếp hạng lượt truy cập",
                               "Xếp hạng tuân thủ", "Ghi chú"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions
        assert all(cell.font.bold for cell in sheet[1])
    detail = book["Kết quả chi tiết"]
    assert detail.max_row == len(csv_run.results["records"]) + 1
    assert [c.value for c in detail[1]][:7] == ["Nhóm", "Mã cổng", "Tên trang", "Địa chỉ", "Loại trang",
                                                "Tiêu chí", "Kết quả"]
    ranking = [[c.value for c in row] for row in book["Xếp hạng lượt truy cập"].iter_rows(min_row=2)]
    assert ranking == [["Bộ, ngành", 1, "bo-mau", "Cổng TTĐT Bộ Mẫu", 153214000],
                       ["Bộ, ngành", 1, "bo-doi-ten", "Cổng TTĐT Bộ Đổi Tên", 153214000],
                       ["Tỉnh, thành phố", 1, "tinh-http", "Cổng TTĐT tỉnh Hòa Thịnh", 5000],
                       ["Tỉnh, thành phố", None, "tinh-loi", "Cổng TTĐT tỉnh Long Lợi", "không có dữ liệu"]]
    overview = book["Tổng hợp theo cổng"]
    headers = [c.value for c in overview[1]]
    score = overview.cell(2, headers.index("Điểm tuân thủ (%)") + 1)
    assert score.value == 50.0 and score.data_type == "n"
    assert overview.cell(2, headers.index("3.1 Tổng số") + 1).value == 2


def test_allure_summary_results(csv_run: AuditRun) -> None:
    summaries = {r["name"]: r for r in csv_run.allure_summary_results()}
    assert set(summaries) == {"Xếp hạng lượt truy cập", "Tổng hợp mức độ tuân thủ"}
    visits = summaries["Xếp hạng lượt truy cập"]
    # Informational entries: passed with the tag "thông tin", never Allure's "Unknown".
    assert {r["status"] for r in summaries.values()} == {"passed"}
    assert {"name": "tag", "value": "thông tin"} in visits["labels"]
    assert {"name": "parentSuite", "value": "Tổng hợp đánh giá"} in visits["labels"]
    kinds = {a["type"] for a in visits["attachments"]}
    assert kinds == {"text/html", "text/csv"}
    csv_text = next((csv_run.allure_dir / a["source"]).read_text(encoding="utf-8")
                    for a in visits["attachments"] if a["type"] == "text/csv")
    assert list(csv.reader(csv_text.splitlines()))[1] == ["Bộ, ngành", "1", "bo-mau", "Cổng TTĐT Bộ Mẫu", "153214000"]
    page = next((csv_run.allure_dir / a["source"]).read_text(encoding="utf-8")
                for a in visits["attachments"] if a["type"] == "text/html")
    assert "153.214.000" in page and "không có dữ liệu" in page
    compliance = summaries["Tổng hợp mức độ tuân thủ"]
    assert len([a for a in compliance["attachments"] if a["type"] == "text/csv"]) == 2
    # The audit cases are untouched: one result per case.
    assert len(csv_run.allure_results()) == len(csv_run.results["records"])


def test_parallel_run_gives_the_same_summary(csv_run: AuditRun, xlsx_run: AuditRun) -> None:
    # Another format of the same export, under -n 2: the same summary, in results.json and Excel.
    assert xlsx_run.stable_records() == csv_run.stable_records()
    for key in ("ranking", "compliance", "compliance_ranking"):
        assert xlsx_run.results[key] == csv_run.results[key], key
    assert xlsx_run.results["emc_data"]["unmatched"] == csv_run.results["emc_data"]["unmatched"]
    serial, parallel = workbook_values(csv_run), workbook_values(xlsx_run)
    for sheet in ("Tổng hợp theo cổng", "Kết quả chi tiết", "Xếp hạng lượt truy cập", "Xếp hạng tuân thủ"):
        assert parallel[sheet] == serial[sheet], sheet
    assert len(xlsx_run.allure_summary_results()) == 2


def test_components_counted_when_asked(csv_run: AuditRun, small_inventory: Path, exports: dict[str, Path]) -> None:
    # The summary is a function of the records, the inventory and the export: no second audit needed.
    settings = load_settings()
    ranking = build_rankings(csv_run.results["records"], load_inventory(small_inventory),
                            load_traffic_data(exports["json"], settings.emc_data),
                            RankingSettings(include_components=True, weights=settings.ranking.weights)).ranking
    assert [(e.portal, e.visits, e.rank) for e in ranking] == [
        ("bo-mau", 153215000, 1), ("bo-doi-ten", 153214000, 2), ("tinh-loi", 7000, 1), ("tinh-http", 5000, 2)]


def test_bad_export_stops_the_run_before_any_browser(small_inventory: Path, tmp_path: Path) -> None:
    # Every problem of an export is checked by direct calls (test_summary.py); this is the audit's way out.
    export = tmp_path / "emc.csv"
    export.write_text("Mã website,Lượt truy cập\n201,100\n202,-3\n", encoding="utf-8")
    chromium = stand_in_chromium(tmp_path / "chromium")
    run = run_audit(tmp_path / "run", small_inventory, "--emc-data", str(export), env=chromium.env)
    assert run.returncode == 4, run.output  # pytest's usage error
    assert not chromium.started
    assert f"ERROR: {export}:3: lượt truy cập âm: -3" in run.output
    assert not run.results_path.exists()
    assert "Traceback" not in run.output


def test_workbook_opens_in_libreoffice(csv_run: AuditRun, tmp_path: Path) -> None:
    soffice = required.command("soffice", "libreoffice", why="only used for this optional check")
    source = csv_run.results_path.parent / "ket-qua-danh-gia.xlsx"
    done = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                           "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                           "--outdir", str(tmp_path), str(source)],
                          capture_output=True, text=True, timeout=180, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    sheets = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.csv")}
    assert len(sheets) == 5, (sorted(sheets), done.stdout + done.stderr)
    ranking = next(text for name, text in sheets.items() if "Xếp hạng lượt truy cập" in name)
    assert "153214000" in ranking.replace(".", "").replace(",", "") and "bo-doi-ten" in ranking
