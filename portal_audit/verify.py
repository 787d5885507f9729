"""python -m portal_audit.verify REPORT RUN_DIR: whether a published agency report (OUT/<portal-id>.html
of python -m portal_audit.report) was built from the run whose results are in RUN_DIR (the folder of
its results.json): the report's "Mã kiểm chứng" is the SHA-256 of RUN_DIR's manifest, and every file
that manifest lists is still as the run wrote it.

One line in Vietnamese; exit status 0 when the report matches the run, 1 when it does not (or cannot
be checked: no digest in the report, no manifest), 2 for a bad option or an unreadable report."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Sequence

from portal_audit.command import Parser, UsageError, run_command
from portal_audit.records.manifest import SUFFIX, ManifestError, check_run_folder, sha256_file
from portal_audit.render.agency import DIGEST_LABEL

PROG = "python -m portal_audit.verify"
DIGEST = re.compile(re.escape(DIGEST_LABEL) + r" \([^()<>]*\): ([0-9a-f]{64})")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = Parser(prog=PROG, example="portal-audit verify reports/gui-co-quan/bo-mau.html reports",
                    description="Kiểm tra một báo cáo đã gửi cơ quan có đúng được lập từ kết quả của "
                                           "một lần đánh giá hay không (so mã kiểm chứng với bản kê kiểm chứng).")
    parser.add_argument("report", type=Path, metavar="REPORT", help="báo cáo của một cơ quan (<mã-cổng>.html)")
    parser.add_argument("run_dir", type=Path, metavar="RUN_DIR",
                        help="thư mục kết quả của lần đánh giá (nơi có results.json và results.manifest.json)")
    return parser.parse_args(argv)


def report_digest(text: str) -> str | None:
    """The digest in the report's footer: the last one, since the footer ends the page (a site's own
    text quoted earlier in the report cannot stand in for it)."""
    found = DIGEST.findall(text)
    return found[-1] if found else None


def verdict(report: Path, run_dir: Path, text: str) -> tuple[bool, str]:
    digest = report_digest(text)
    if digest is None:
        return False, f"{report}: báo cáo không ghi mã kiểm chứng, không kiểm chứng được"
    manifests = sorted(run_dir.glob(f"*{SUFFIX}"))
    if not manifests:
        return False, f"{run_dir}: không có bản kê kiểm chứng (*{SUFFIX}), không kiểm chứng được"
    matching = [path for path in manifests if sha256_file(path) == digest]
    if not matching:
        return False, (f"mã kiểm chứng của {report} ({digest}) khác với bản kê kiểm chứng "
                       f"{', '.join(str(p) for p in manifests)}: báo cáo không được lập từ lần đánh giá này")
    try:
        count = check_run_folder(matching[0])
    except ManifestError as err:
        return False, f"{err}"
    return True, (f"{report} được lập từ lần đánh giá trong {run_dir} (mã kiểm chứng {digest}; {count} tệp "
                  "còn nguyên như lúc đánh giá)")


def run(argv: Sequence[str] | None) -> int:
    args = parse_args(argv)
    try:
        text = args.report.read_text(encoding="utf-8", errors="replace")
    except OSError as err:
        raise UsageError(f"{args.report}: không đọc được báo cáo: {err.strerror or err}") from None
    if not args.run_dir.is_dir():
        raise UsageError(f"{args.run_dir}: không tìm thấy thư mục kết quả của lần đánh giá")
    matches, line = verdict(args.report, args.run_dir, text)
    print(f"{'Khớp' if matches else 'Không khớp'}: {line}")
    return 0 if matches else 1


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(PROG, run, argv)


if __name__ == "__main__":
    sys.exit(main())
