"""The benchmark's world and table (bench/world.py, bench/audit_speed.py), without a browser: each page
shape asks for the requests it claims (the light shape is what issue 20's ratio is about), and the
one table of the benchmark shows every shape and worker count with the pairs behind each median."""

from __future__ import annotations

import re

import pytest

from bench.audit_speed import parse_args, ratio_table
from bench.world import HEAVY, LIGHT, PORTAL_URL, SHAPES, build_bench_sites, component_url


def _own_assets(body: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', body)


@pytest.mark.parametrize("shape, assets", [(HEAVY, 28), (LIGHT, 3)])
def test_each_shape_asks_for_the_requests_it_claims(shape, assets) -> None:
    sites = build_bench_sites(2, shape=shape)
    for url in (PORTAL_URL, component_url(1), component_url(2)):
        body = sites[url.split("/")[2]]["/"].body
        own = _own_assets(body if isinstance(body, str) else body.decode("utf-8"))
        assert len(own) == len(set(own)) == assets, url
        # The page, its own assets, the EMC script and its one tracking hit.
        assert shape.requests_per_page == 1 + assets + 2
    assert set(SHAPES) == {"heavy", "light"}


def test_the_shapes_default_to_both_and_an_unknown_one_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert parse_args([]).shapes == "heavy,light" and parse_args([]).speed is True
    assert parse_args(["--no-speed", "--shapes", "light"]).speed is False
    with pytest.raises(SystemExit):
        parse_args(["--shapes", "heavy,nhe"])
    assert "'nhe' không có" in capsys.readouterr().err


def test_the_table_shows_each_shape_and_worker_count_with_its_pairs() -> None:
    entry = {"shape": "light", "requests_per_page": 6, "workers": "2", "sites": 61, "ratio": 1.234,
             "pair_ratios": [1.2, 1.25, 1.31], "audit": {"median_s": 40.04}, "bare": {"median_s": 32.5}}
    lines = ratio_table([entry, {**entry, "shape": "heavy", "requests_per_page": 31, "workers": "1"}]).splitlines()
    assert lines[0].startswith("| Shape (requests/page) | Workers | Sites | Audit (s) | Bare load (s) | Ratio | Pairs |")
    assert lines[2] == "| light (6) | -n 2 | 61 | 40.0 | 32.5 | 1.23 | 1.20, 1.25, 1.31 |"
    assert lines[3].startswith("| heavy (31) | -n 1 |") and len(lines) == 4
