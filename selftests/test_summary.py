"""Criterion 3.3 and the audit summary, on hand-made records: reading EMC exports (formats, headers,
separators, every bad-input message with file and row), matching rows to sites, visit and
compliance rankings, and the Excel workbook."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from portal_audit.inventory import Inventory, load_inventory
from portal_audit.render.excel import SHEETS, write_workbook
from portal_audit.render.tables import terminal_lines
from portal_audit.settings import RankingSettings, SourceError, load_settings
from portal_audit.summary.emc_data import EmcDataError, TrafficData, TrafficRow, load_traffic_data, parse_traffic
from portal_audit.summary.ranking import NO_DATA, build_rankings, shared_ranks
from portal_audit.urls import host_of

SETTINGS = load_settings()
COLUMNS = SETTINGS.emc_data

INVENTORY = """\
portals:
  - id: bo-a
    name: Bộ A
    group: ministry
    url: https://bo-a.gov.vn/
    emc_site_id: "1"
    components:
      - name: Cục A1
        url: https://cuc1.bo-a.gov.vn/
        emc_site_id: "11"
      - name: Cục A2
        url: https://cuc2.bo-a.gov.vn/
  - id: bo-b
    name: Bộ B
    group: ministry
    url: https://www.bo-b.gov.vn/
    emc_site_id: "2"
  - id: bo-c
    name: Bộ C
    group: ministry
    url: https://bo-c.gov.vn/
  - id: bo-d
    name: Bộ D
    group: ministry
    url: https://bo-d.gov.vn/
    emc_site_id: "4"
  - id: bo-e
    name: Bộ E
    group: ministry
    url: https://bo-e.gov.vn/
  - id: tinh-a
    name: Tỉnh A
    group: province
    url: https://tinh-a.gov.vn/
    emc_site_id: "101"
"""


@pytest.fixture
def inventory(tmp_path: Path) -> Inventory:
    path = tmp_path / "inventory.yaml"
    path.write_text(INVENTORY, encoding="utf-8")
    return load_inventory(path)


def rows(*items: tuple[str | None, str | None, int]) -> TrafficData:
    return TrafficData(Path("emc.csv"), tuple(
        TrafficRow(n, site_id, url, host_of(url, bare=True) if url else None, visits, None) for n, (site_id, url, visits) in enumerate(items, start=2)))


def record(portal: str, site: str, criterion: str, status: str, group: str = "ministry",
           evidence: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"portal": portal, "group": group, "site": site, "site_name": site, "role": "portal",
            "criterion": criterion, "status": status, "message": "", "evidence": evidence or {}}


def ranking(summary: Any, group: str = "ministry") -> list[tuple[str, int | None, int | None]]:
    return [(e.portal, e.visits, e.rank) for e in summary.ranking if e.group == group]


# --------------------------------------------------------------------------- reading exports

def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text,expected", [
    ("153.214.000", 153214000), ("153,214,000", 153214000), ("1234", 1234), (" 12 345 ", 12345),
    ("0", 0), (7, 7), (7.0, 7), ("1\u00a0000", 1000),
])
def test_visit_numbers(text: Any, expected: int) -> None:
    assert parse_traffic(text) == expected


def test_csv_with_english_headers(tmp_path: Path) -> None:
    path = write(tmp_path, "emc.csv", "site_id,url,visits,period\n1,,\"153,214,000\",2024\n,bo-b.gov.vn,12,2024\n")
    data = load_traffic_data(path, COLUMNS)
    assert [(r.row, r.site_id, r.host, r.visits, r.period) for r in data.rows] == [
        (2, "1", None, 153214000, "2024"), (3, None, "bo-b.gov.vn", 12, "2024")]


def test_csv_with_vietnamese_headers_bom_semicolons_and_a_title_row(tmp_path: Path) -> None:
    text = ("\ufeffBÁO CÁO LƯỢT TRUY CẬP NĂM 2024;;;\n;;;\n"
            "Mã website;Tên miền;Lượt truy cập;Kỳ\n101;https://WWW.Tinh-A.gov.vn/trang-chu;153.214.000;Năm 2024\n"
            ";;;\n")
    data = load_traffic_data(write(tmp_path, "emc.csv", text), COLUMNS)
    assert [(r.row, r.site_id, r.host, r.visits, r.period) for r in data.rows] == [
        (4, "101", "tinh-a.gov.vn", 153214000, "Năm 2024")]


def test_xlsx_export(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Địa chỉ", "Lượt truy cập", "Mã website"])
    sheet.append(["bo-b.gov.vn", 1500, 2])  # numbers as Excel numbers, the id too
    sheet.append(["https://bo-c.gov.vn", "1.500", None])
    book.save(tmp_path / "emc.xlsx")
    data = load_traffic_data(tmp_path / "emc.xlsx", COLUMNS)
    assert [(r.row, r.site_id, r.host, r.visits) for r in data.rows] == [
        (2, "2", "bo-b.gov.vn", 1500), (3, None, "bo-c.gov.vn", 1500)]


def test_json_export(tmp_path: Path) -> None:
    path = write(tmp_path, "emc.json", json.dumps({"rows": [{"site_id": "1", "visits": 10, "period": "2024"},
                                                            {"url": "tinh-a.gov.vn", "visits": "1.000"}]}))
    data = load_traffic_data(path, COLUMNS)
    assert [(r.row, r.site_id, r.host, r.visits) for r in data.rows] == [(1, "1", None, 10),
                                                                         (2, None, "tinh-a.gov.vn", 1000)]


def test_headers_mapped_in_configuration(tmp_path: Path) -> None:
    config = write(tmp_path, "audit.yaml", "emc_data:\n  columns:\n    visits: [Pageviews]\n    url: [Website]\n")
    settings = load_settings(config)
    data = load_traffic_data(write(tmp_path, "emc.csv", "Website,Pageviews\nbo-b.gov.vn,42\n"), settings.emc_data)
    assert [(r.host, r.visits) for r in data.rows] == [("bo-b.gov.vn", 42)]


BAD = {
    "negative": ("emc.csv", "site_id,visits\n1,10\n2,-5\n", 3, "lượt truy cập âm: -5"),
    "not-a-number": ("emc.csv", "site_id,visits\n1,nhiều\n", 2, "lượt truy cập không phải số nguyên: 'nhiều'"),
    "fraction": ("emc.csv", "site_id,visits\n1,\"12,5\"\n", 2, "lượt truy cập không phải số nguyên: '12,5'"),
    "empty-visits": ("emc.csv", "site_id,visits\n1,\n", 2, "thiếu lượt truy cập"),
    "no-visits-column": ("emc.csv", "site_id,luot\n1,5\n", 1, "thiếu cột lượt truy cập"),
    "no-site-column": ("emc.csv", "ten,visits\nA,5\n", 1, "thiếu cột mã website"),
    "no-header": ("emc.csv", "a,b\n1,2\n", 1, "không tìm thấy dòng tiêu đề có cột lượt truy cập"),
    "row-without-site": ("emc.csv", "site_id,url,visits\n,,5\n", 2, "dòng không có mã website hay địa chỉ trang"),
    "bad-url": ("emc.csv", "url,visits\nhttp://,5\n", 2, "địa chỉ không hợp lệ 'http://'"),
    "json-negative": ("emc.json", '[{"site_id": "1", "visits": 3}, {"site_id": "2", "visits": -1}]', 2,
                      "lượt truy cập âm: -1"),
    "json-string": ("emc.json", '[{"url": "a.gov.vn", "visits": "abc"}]', 1, "lượt truy cập không phải số nguyên: 'abc'"),
    "json-syntax": ("emc.json", '[\n{"site_id": "1", "visits": 3},\n{"site_id": }\n]', 3, "lỗi cú pháp JSON"),
    "json-missing": ("emc.json", '[{"site_id": "1"}]', 1, "thiếu cột lượt truy cập"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_export_names_file_and_row(tmp_path: Path, case: str) -> None:
    name, text, row, problem = BAD[case]
    path = write(tmp_path, name, text)
    with pytest.raises(EmcDataError) as caught:
        load_traffic_data(path, COLUMNS)
    message = str(caught.value)
    assert message.startswith(f"{path}:{row}: "), message
    assert problem in message
    assert "\n" not in message


def test_bad_xlsx_row(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["Mã website", "Lượt truy cập"])
    book.active.append(["1", 5])
    book.active.append(["2", -3])
    book.save(tmp_path / "emc.xlsx")
    with pytest.raises(EmcDataError, match=rf"^{tmp_path / 'emc.xlsx'}:3: lượt truy cập âm: -3$"):
        load_traffic_data(tmp_path / "emc.xlsx", COLUMNS)


@pytest.mark.parametrize("name,content,problem", [
    ("emc.txt", "site_id,visits\n1,2\n", "định dạng '.txt' không được hỗ trợ (dữ liệu EMC phải là tệp .csv, .xlsx hoặc .json)"),
    ("emc.xlsx", "not a zip", "không đọc được tệp XLSX"),
    ("emc.csv", None, "không tìm thấy tệp dữ liệu lượt truy cập EMC"),
])
def test_unusable_file(tmp_path: Path, name: str, content: str | None, problem: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(EmcDataError) as caught:
        load_traffic_data(path, COLUMNS)
    assert str(caught.value).startswith(f"{path}: {problem}")


def test_csv_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "emc.csv"
    path.write_bytes("Mã website,Lượt truy cập\n1,2\n".encode("utf-16"))
    with pytest.raises(EmcDataError, match="không ở mã UTF-8"):
        load_traffic_data(path, COLUMNS)


# --------------------------------------------------------------------------- ranking

def test_shared_ranks() -> None:
    assert shared_ranks([10, 20, 20, 5, None, 30]) == [4, 2, 2, 5, None, 1]


def test_ties_share_a_rank_and_portals_without_data_come_last(inventory: Inventory) -> None:
    data = rows(("1", None, 500), (None, "https://bo-b.gov.vn", 300), (None, "bo-c.gov.vn", 300),
                ("4", None, 100), ("101", None, 7))
    summary = build_rankings([], inventory, data, SETTINGS.ranking)
    assert ranking(summary) == [("bo-a", 500, 1), ("bo-b", 300, 2), ("bo-c", 300, 2), ("bo-d", 100, 4),
                                ("bo-e", None, None)]
    assert ranking(summary, "province") == [("tinh-a", 7, 1)]
    assert summary.to_json()["ranking"][0] == {"group": "ministry", "portal": "bo-a", "name": "Bộ A",
                                               "visits": 500, "rank": 1}


def test_without_data_the_ranking_says_so(inventory: Inventory) -> None:
    summary = build_rankings([], inventory, None, SETTINGS.ranking)
    assert all(e.visits is None and e.rank is None for e in summary.ranking)
    assert summary.to_json()["emc_data"] is None
    assert NO_DATA in terminal_lines(summary, SETTINGS.labels.groups)[0]


def test_include_components_switch(inventory: Inventory) -> None:
    data = rows(("1", None, 100), ("11", None, 150), (None, "cuc2.bo-a.gov.vn", 60), ("2", None, 200),
                (None, "cuc1.bo-a.gov.vn", 999))  # the last one is cuc1 again, without period: counted once
    own = build_rankings([], inventory, data, SETTINGS.ranking)
    assert ranking(own)[:2] == [("bo-b", 200, 1), ("bo-a", 100, 2)]
    with_components = build_rankings([], inventory, data, RankingSettings(include_components=True, weights=SETTINGS.ranking.weights))
    assert ranking(with_components)[:2] == [("bo-a", 310, 1), ("bo-b", 200, 2)]
    assert with_components.matching is not None
    assert with_components.matching.warnings == [
        "emc.csv:6: trùng dữ liệu của Cục A1 (https://cuc1.bo-a.gov.vn/) với dòng 3; chỉ tính dòng 3"]


def test_periods_add_up(inventory: Inventory) -> None:
    data = TrafficData(Path("emc.csv"), (TrafficRow(2, "2", None, None, 10, "T1"), TrafficRow(3, "2", None, None, 15, "T2")))
    assert ranking(build_rankings([], inventory, data, SETTINGS.ranking))[0] == ("bo-b", 25, 1)


def test_matching_by_observed_id_then_host_and_unmatched_rows(inventory: Inventory) -> None:
    records = [record("bo-e", "https://bo-e.gov.vn/", "3.1", "passed", evidence={"site_id": "5"}),
               # bo-d's page shows bo-a's id (a copied theme): the registered id wins.
               record("bo-d", "https://bo-d.gov.vn/", "3.1", "failed", evidence={"site_id": "1"})]
    data = rows(("5", None, 50), ("1", None, 10), ("77", "https://WWW.BO-C.gov.vn/gioi-thieu", 30),
                ("999", "khong-co.gov.vn", 1))
    summary = build_rankings(records, inventory, data, SETTINGS.ranking)
    assert ranking(summary) == [("bo-e", 50, 1), ("bo-c", 30, 2), ("bo-a", 10, 3), ("bo-b", None, None),
                                ("bo-d", None, None)]
    assert summary.to_json()["emc_data"]["unmatched"] == [
        {"row": 5, "site_id": "999", "url": "khong-co.gov.vn", "visits": 1}]
    lines = terminal_lines(summary, SETTINGS.labels.groups)
    assert ("Cảnh báo: emc.csv:5: dòng dữ liệu EMC không khớp trang nào trong danh mục "
            "(mã website '999', địa chỉ 'khong-co.gov.vn')") in lines


# --------------------------------------------------------------------------- compliance

def compliance_records() -> list[dict[str, Any]]:
    a, c1, c2 = "https://bo-a.gov.vn/", "https://cuc1.bo-a.gov.vn/", "https://cuc2.bo-a.gov.vn/"
    return [
        record("bo-a", a, "3.1", "passed"), record("bo-a", a, "3.2a", "failed"), record("bo-a", a, "3.2b", "failed"),
        record("bo-a", c1, "3.1", "passed"), record("bo-a", c1, "3.2a", "passed"), record("bo-a", c1, "3.2c", "passed"),
        record("bo-a", c2, "3.1", "broken"), record("bo-a", c2, "3.2a", "broken"), record("bo-a", c2, "3.2c", "broken"),
        record("bo-b", "https://www.bo-b.gov.vn/", "3.1", "passed"),
        record("bo-b", "https://www.bo-b.gov.vn/", "3.2a", "passed"),
        record("bo-b", "https://www.bo-b.gov.vn/", "3.2b", "skipped"),
        record("bo-c", "https://bo-c.gov.vn/", "3.1", "failed"), record("bo-c", "https://bo-c.gov.vn/", "3.2a", "passed"),
        record("bo-c", "https://bo-c.gov.vn/", "3.2b", "skipped"),
    ]


def test_compliance_counts_score_and_rank(inventory: Inventory) -> None:
    summary = build_rankings(compliance_records(), inventory, None, SETTINGS.ranking)
    table = {c.portal: c for c in summary.compliance}
    a = table["bo-a"]
    assert a.sites == 3
    assert a.criteria["3.1"].to_json() == {"passed": 2, "failed": 0, "broken": 1, "skipped": 0, "total": 3}
    assert a.criteria["3.2b"].to_json() == {"passed": 0, "failed": 1, "broken": 0, "skipped": 0, "total": 1}
    # (2/3 + 1/3 + 0 + 1/2) / 4
    assert a.score == 37.5
    assert (table["bo-b"].score, table["bo-c"].score) == (100.0, 50.0)
    assert (table["bo-b"].rank, table["bo-c"].rank, table["bo-a"].rank) == (1, 2, 3)
    assert "bo-d" not in table  # not audited in this run (e.g. --portal)
    assert [c["portal"] for c in summary.to_json()["compliance_ranking"]] == ["bo-b", "bo-c", "bo-a"]


def test_compliance_weights(inventory: Inventory) -> None:
    weights = {"3.1": 3, "3.2a": 1, "3.2b": 0, "3.2c": 0}
    summary = build_rankings(compliance_records(), inventory, None, RankingSettings(include_components=False, weights=weights))
    table = {c.portal: c for c in summary.compliance}
    assert table["bo-a"].score == round(100 * (3 * 2 / 3 + 1 / 3) / 4, 1)
    assert table["bo-c"].score == 25.0


def test_weights_from_configuration(tmp_path: Path) -> None:
    good = load_settings(write(tmp_path, "a.yaml", 'ranking:\n  include_components: true\n  weights: {"3.1": 2}\n'))
    assert good.ranking.include_components is True
    assert good.ranking.weights == {"3.1": 2, "3.2a": 1, "3.2b": 1, "3.2c": 1}
    with pytest.raises(SourceError, match=r"b.yaml:2: ranking.weights.3.1: phải lớn hơn hoặc bằng 0"):
        load_settings(write(tmp_path, "b.yaml", 'ranking:\n  weights: {"3.1": -1}\n'))
    # A criterion the defaults do not list is weighed as given (a profile may add criteria).
    assert load_settings(write(tmp_path, "c.yaml", 'ranking:\n  weights: {"3.9": 2}\n')).ranking.weights["3.9"] == 2


# --------------------------------------------------------------------------- Excel

def test_workbook(inventory: Inventory, tmp_path: Path) -> None:
    records = compliance_records()
    data = rows(("1", None, 153214000), ("2", None, 12))
    summary = build_rankings(records, inventory, data, SETTINGS.ranking)
    path = write_workbook(tmp_path / "out" / "ket-qua-danh-gia.xlsx", summary, records, SETTINGS.labels.groups,
                          [("Dữ liệu", "emc.csv")])
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == list(SHEETS)
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == sheet.dimensions
    overview = book["Tổng hợp theo cổng"]
    headers = [c.value for c in overview[1]]
    assert headers[:5] == ["Nhóm", "Mã cổng", "Cổng thông tin điện tử", "Số trang", "3.1 Đạt"]
    first = {h: c.value for h, c in zip(headers, overview[2])}
    assert first["Mã cổng"] == "bo-a" and first["Nhóm"] == "Bộ, ngành"
    assert first["3.1 Đạt"] == 2 and first["3.1 Tổng số"] == 3 and first["Điểm tuân thủ (%)"] == 37.5
    assert first["Lượt truy cập"] == 153214000 and overview.cell(2, headers.index("Lượt truy cập") + 1).number_format == "#,##0"
    no_data = {h: c.value for h, c in zip(headers, overview[4])}
    assert no_data["Mã cổng"] == "bo-c" and no_data["Lượt truy cập"] == NO_DATA
    detail = book["Kết quả chi tiết"]
    assert detail.max_row == len(records) + 1
    assert [c.value for c in detail[2]][5:7] == ["3.1", "Đạt"]
    visits = book["Xếp hạng lượt truy cập"]
    assert [c.value for c in visits[1]] == ["Nhóm", "Hạng", "Mã cổng", "Cổng thông tin điện tử", "Lượt truy cập"]
    assert [c.value for c in visits[2]] == ["Bộ, ngành", 1, "bo-a", "Bộ A", 153214000]
    # Columns fit their content, within bounds.
    width = overview.column_dimensions["C"].width
    assert 8 <= width <= 70 and width >= len("Cổng thông tin điện tử")
