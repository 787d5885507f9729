"""docs/tieu-chi.md, the criteria as the agencies read them, generated from the judges' own
declarations (`ABOUT` in each checks module), the fix texts (portal_audit.guidance) and the
category names of the default settings, so that it never drifts from what the audit does:

    python -m portal_audit.criteria_doc > docs/tieu-chi.md

selftests/test_criteria_doc.py fails when the committed file differs from what this prints."""

from __future__ import annotations

import sys
from typing import Sequence

from portal_audit.checks import CRITERIA, Criterion
from portal_audit.guidance import ERROR_FIXES, FIXES, About
from portal_audit.settings import Settings, load_settings
from portal_audit.status import ErrorKind, FailureKind

COMMAND = "python -m portal_audit.criteria_doc > docs/tieu-chi.md"
ROLES = {"portal": "cổng", "component": "trang thành phần"}

INTRO = """\
# Các tiêu chí đánh giá

<!-- Tệp này được sinh tự động: {command}. Đừng sửa tay; sửa phần khai báo ABOUT trong checks/*.py
     hoặc portal_audit/guidance.py rồi chạy lại lệnh. -->

Tài liệu cho cán bộ của cơ quan đọc báo cáo đánh giá: mỗi tiêu chí kiểm tra gì, vì sao (căn cứ), và với
mỗi **mã lý do** (cột "Nhóm lỗi" của báo cáo, `evidence.reasons` trong results.json) thì cần khắc phục
thế nào. Kết quả của một trang theo một tiêu chí là một trong: **Đạt**; **Không đạt** (cần khắc phục, kèm
lý do); **Không đánh giá được** (không mở được trang chủ hoặc công cụ gặp lỗi; người dân cũng không mở
được thì cần khắc phục); **Không áp dụng**. Tiêu chí *tham khảo* được báo cáo nhưng không tính điểm.

Điểm tuân thủ của một cổng (0–100) là trung bình có trọng số, theo từng tiêu chí được tính điểm, của tỉ lệ
số trang đạt trên số trang được đánh giá (đạt, không đạt, không đánh giá được) của cổng và các trang
thành phần. Tiêu chí 3.3 (xếp hạng lượt truy cập theo số liệu EMC) không có kết luận đạt/không đạt cho
từng trang, xem [danh-gia-dinh-ky.md](danh-gia-dinh-ky.md).
"""


def _profiles(code: str, settings: Settings) -> str:
    names = [name for name, codes in settings.criteria.profiles.items() if code in codes]
    return ", ".join(names) or "chỉ khi chọn bằng --criteria"


def _criterion(criterion: Criterion, about: About, settings: Settings) -> list[str]:
    names = settings.labels.failure_kinds
    informative = criterion.code in settings.criteria.informative
    lines = [f"## {criterion.code} — {criterion.title}" + (" (tham khảo)" if informative else ""), "",
             f"- **Căn cứ:** {about.basis}",
             f"- **Áp dụng cho:** {', '.join(ROLES.get(r, r) for r in sorted(criterion.roles, reverse=True))}",
             f"- **Bộ tiêu chí:** {_profiles(criterion.code, settings)}"
             + ("; không tính điểm" if informative else ""),
             f"- **Kiểm tra gì:** {about.checks}",
             f"- **Vì sao:** {about.why}", "",
             "| Mã lý do | Nhóm lỗi trong báo cáo | Cách khắc phục |", "|---|---|---|"]
    lines += [f"| `{kind}` | {names.get(str(kind), str(kind))} | {FIXES[kind]} |" for kind in about.reasons]
    return [*lines, ""]


def _unreachable(settings: Settings) -> list[str]:
    names = settings.labels.error_kinds
    lines = ["## Không đánh giá được", "",
             "Khi không mở được trang chủ (hoặc công cụ gặp lỗi), mọi tiêu chí cần trang chủ của trang đó là "
             "**Không đánh giá được**, kèm lý do; lỗi do trang thì tính như không đạt trong điểm tuân thủ.", "",
             "| Mã lý do | Nhóm lỗi trong báo cáo | Cách khắc phục |", "|---|---|---|"]
    lines += [f"| `{kind}` | {names.get(str(kind), str(kind))} | {ERROR_FIXES[str(kind)]} |" for kind in ErrorKind]
    return [*lines, ""]


def _manual(settings: Settings) -> list[str]:
    name = settings.labels.failure_kinds.get("manual_review", "manual_review")
    return ["## Rà soát thủ công", "",
            "Cán bộ đánh giá có thể xác nhận hoặc sửa kết quả tự động của một trường hợp; báo cáo ghi "
            "\"đã rà soát thủ công\", người rà soát, ngày và lý do.", "",
            "| Mã lý do | Nhóm lỗi trong báo cáo | Cách khắc phục |", "|---|---|---|",
            f"| `manual_review` | {name} | {FIXES[FailureKind.MANUAL_REVIEW]} |", ""]


def render(settings: Settings) -> str:
    lines = [INTRO.format(command=COMMAND)]
    for criterion in CRITERIA:
        about: About = sys.modules[criterion.judge.__module__].ABOUT[criterion.code]  # type: ignore[attr-defined]
        lines += _criterion(criterion, about, settings)
    lines += _manual(settings) + _unreachable(settings)
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    sys.stdout.buffer.write(render(load_settings(None)).encode("utf-8"))  # whatever the locale
    return 0


if __name__ == "__main__":
    sys.exit(main())
