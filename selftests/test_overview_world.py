"""The national overview as people look at it: the whole simulated world's results with two earlier
rounds in the history, published by `python -m portal_audit.report` and opened from file:// in
Chromium with every network request refused and logged. The charts are inline SVG (well-formed,
no script), and a portal name that carries markup is shown as text."""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from portal_audit.render.charts import Bar, bar_chart, count_scale, line_chart, small_multiples
from portal_audit.render.evaluation import REPORT_TITLE

from .audit_runner import REPO, AuditRun
from .offline_page import offline_page

pytestmark = [pytest.mark.world, pytest.mark.xdist_group("world-catalog")]  # shares full_audit's worker

SCREENSHOTS = os.environ.get("PORTAL_AUDIT_SCREENSHOTS")
HOSTILE = 'Cổng <b>"A&B"</b> <script>fetch("http://evil.example/")</script>'
ZERO_THEN_FULL = "bo-mau"  # failed everything two rounds ago, passed everything last round
DAY_MS = 86_400_000


def _history_line(name: str, start: int, statuses: dict[tuple[str, str], str]) -> str:
    """One round as Allure 3 writes it in the history file (the fields the report reads)."""
    results = {f"id-{i}": {"fullName": f"{site}#{criterion}", "status": status, "start": start}
               for i, ((site, criterion), status) in enumerate(statuses.items())}
    return json.dumps({"name": f"{REPORT_TITLE} — kỳ {name}", "timestamp": start, "testResults": results})


def _earlier_rounds(records: list[dict[str, Any]], started_ms: int, path: Path) -> Path:
    """2026-Q2: every other case failed, bo-mau all failed; 2026-Q3: every third, bo-mau all passed."""
    lines = []
    for name, days, every, bo_mau in (("2026-Q2", 180, 2, "failed"), ("2026-Q3", 90, 3, "passed")):
        statuses = {(r["site"], r["criterion"]): bo_mau if r["portal"] == ZERO_THEN_FULL
                    else "failed" if index % every == 0 else r["status"] for index, r in enumerate(records)}
        lines.append(_history_line(name, started_ms - days * DAY_MS, statuses))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def published(full_audit: AuditRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    workdir = tmp_path_factory.mktemp("overview")
    document = full_audit.results
    started = datetime.datetime.fromisoformat(document["evaluation"]["started_at"])
    history = _earlier_rounds(document["records"], int(started.timestamp() * 1000), workdir / "lich-su.jsonl")
    for entry in document["compliance"]:  # portal names come from the inventory: untrusted
        if entry["portal"] == "tinh-mau":
            entry["name"] = HOSTILE
    results = workdir / "results.json"
    results.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    out = workdir / "gui-co-quan"
    done = subprocess.run([sys.executable, "-m", "portal_audit.report", "--allure-results", str(full_audit.allure_dir),
                           "--results", str(results), "--out", str(out), "--history", str(history)],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def _svgs(page_html: str) -> dict[str, list[ET.Element]]:
    """Every inline SVG by its data-chart kind, each parsed as XML (a stray '<' or '&' fails here)."""
    found: dict[str, list[ET.Element]] = {}
    for source in re.findall(r"<svg\b.*?</svg>", page_html, flags=re.S):
        element = ET.fromstring(source)
        found.setdefault(element.get("data-chart", ""), []).append(element)
    return found


def _texts(element: ET.Element, cls: str) -> list[str]:
    ns = "{http://www.w3.org/2000/svg}"
    return [g.find(f"{ns}title").text or "" for g in element.iter(f"{ns}g") if g.get("class") == cls]


def test_overview_charts_in_a_browser(published: Path, full_audit: AuditRun) -> None:
    with offline_page(published / "index.html", 1100) as (page, requests):
        shown = page.eval_on_selector_all("svg[data-chart]", "nodes => nodes.map(n => [n.dataset.chart, "
                                          "n.getBoundingClientRect().width > 300 && n.getBoundingClientRect()"
                                          ".height > 60])")
        scripts = page.eval_on_selector_all("script", "nodes => nodes.length")
        text = page.inner_text("body")
        shot = published / "tong-hop.png"
        page.screenshot(path=str(shot), full_page=True)
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(SCREENSHOTS) / "tong-hop.png")
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert scripts == 0 and HOSTILE in text  # the hostile name is shown as typed, not run
    groups = {c["group"] for c in full_audit.results["compliance"]}
    kinds = [kind for kind, _ in shown]
    assert kinds.count("failures") == 1 and kinds.count("trend-national") == 1
    assert kinds.count("scores") == len(groups) and kinds.count("trend-portals") == len(groups)
    assert all(visible for _, visible in shown), shown


def test_the_svgs_hold_the_numbers(published: Path, full_audit: AuditRun) -> None:
    document = full_audit.results
    svgs = _svgs((published / "index.html").read_text(encoding="utf-8"))
    scores = [t for svg in svgs["scores"] for t in _texts(svg, "bar")]
    assert len(scores) == len(document["compliance"])
    for svg in svgs["scores"]:  # highest first, the national median marked
        values = [float(t.rsplit(": ", 1)[1].replace(",", ".")) for t in _texts(svg, "bar")
                  if t.rsplit(": ", 1)[1][0].isdigit()]
        assert values == sorted(values, reverse=True)
        assert any(g.get("class") == "marker" for g in svg.iter("{http://www.w3.org/2000/svg}g"))
    failing = sum(1 for r in document["records"] if r["status"] in ("failed", "broken"))
    counts = [int(t.rsplit(": ", 1)[1]) for t in _texts(svgs["failures"][0], "bar")]
    assert sum(counts) == failing and counts == sorted(counts, reverse=True)
    bo_mau = next(c for c in document["compliance"] if c["portal"] == ZERO_THEN_FULL)
    now = f"{bo_mau['score']:.1f}".replace(".", ",").removesuffix(",0")
    period = document["evaluation"]["period"]
    lines = [t for svg in svgs["trend-portals"] for t in _texts(svg, "portal")]
    assert f"{bo_mau['name']}: kỳ 2026-Q2 0, kỳ 2026-Q3 100, kỳ {period} {now}" in lines
    assert len(lines) == len(document["compliance"])
    agency = _svgs((published / "bo-mau.html").read_text(encoding="utf-8"))
    assert list(agency) == ["trend-agency"]
    labels = [t.text for t in agency["trend-agency"][0].iter("{http://www.w3.org/2000/svg}text")]
    assert ["kỳ 2026-Q2", "0", "kỳ 2026-Q3", "100", f"kỳ {period}", now] == [x for x in labels if x and (
        x.startswith("kỳ") or x in ("0", "100", now))][-6:]


def test_chart_text_is_escaped_and_long_names_shortened() -> None:
    name = "<script>alert(1)</script>&" + "x" * 60
    for svg in (bar_chart("scores", name, [Bar(name, 50, "50")], 100, (40, name)),
                line_chart("trend", name, [name, "b"], [10, None]),
                small_multiples("trend-portals", name, ["a"], [(name, [None])])):
        assert "<script>" not in svg and "&lt;script&gt;" in svg
        ET.fromstring(re.search(r"<svg\b.*?</svg>", svg, flags=re.S).group(0))  # well-formed
    bars = bar_chart("scores", "t", [Bar("x" * 60, 50, "50")], 100)
    assert "x" * 39 + "…" in bars and f"<title>{'x' * 60}: 50</title>" in bars


def test_count_axes_end_on_whole_ticks() -> None:
    assert [count_scale(n) for n in (0, 1, 4, 5, 9, 17, 41, 450)] == [4, 4, 4, 8, 20, 20, 80, 800]
