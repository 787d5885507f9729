"""Criterion SPEED (the 2025 criteria set, page-load performance): Lighthouse's mobile profile, each
metric's median over the runs under its limit: first content < 3 s (FCP), largest content < 4 s
(LCP), full display on screen < 5.8 s (Speed Index), each task during loading < 0.6 s (Total
Blocking Time). The in-page Web Vitals of the audit's own visit are kept as evidence only."""

from __future__ import annotations

from dataclasses import asdict

from portal_audit.evidence.artifacts import LighthouseResult
from portal_audit.evidence.gatherers import LIGHTHOUSE
from portal_audit.inventory import Site
from portal_audit.settings import Settings
from portal_audit.status import FailureKind, Status
from portal_audit.verdicts import Attachment, Verdict
from portal_audit.evidence.site import GatherMissing, SiteEvidence

# metric -> (name, what it measures, reason code)
METRICS = {
    "fcp": ("FCP", "thời gian hiển thị nội dung đầu tiên", FailureKind.FCP_SLOW),
    "lcp": ("LCP", "thời gian hiển thị nội dung lớn nhất", FailureKind.LCP_SLOW),
    "speed_index": ("Speed Index", "thời gian hiển thị đầy đủ nội dung trên màn hình", FailureKind.SPEED_INDEX_SLOW),
    "tbt": ("TBT", "thời gian các tác vụ chặn trang khi tải", FailureKind.TBT_LONG),
}


def seconds(ms: float) -> str:
    """Milliseconds as Vietnamese reports write them: '3,2 giây', or '450 ms' under a second."""
    if ms < 1000:
        return f"{ms:.0f} ms"
    return f"{ms / 1000:.1f}".replace(".", ",") + " giây"


def _runs_text(result: LighthouseResult) -> str:
    measured = sum(1 for run in result.runs if run.error is None)
    return (f"Lighthouse {result.version}, {'di động' if result.form_factor == 'mobile' else result.form_factor}, "
            + (f"trung vị {measured} lần đo" if measured > 1 else "1 lần đo"))


def judge(site_evidence: SiteEvidence, site: Site, settings: Settings) -> Verdict:
    result: LighthouseResult = site_evidence.artifact(LIGHTHOUSE)
    limits = settings.speed.limits_ms.model_dump()
    missing = [METRICS[name][0] for name in METRICS if name not in result.median]
    if missing:
        raise GatherMissing(LIGHTHOUSE, f"Lighthouse không đo được {', '.join(missing)}")
    over = [name for name in METRICS if result.median[name] >= limits[name]]
    evidence = {
        "median_ms": result.median, "limits_ms": limits,
        "runs": [asdict(run) for run in result.runs], "lighthouse_version": result.version,
        "form_factor": result.form_factor, "throttling": result.throttling, "final_url": result.final_url,
        "in_page_vitals": site_evidence.capture.web_vitals if site_evidence.capture else None,
        "reasons": [str(METRICS[name][2]) for name in over],
    }
    attachments = []
    if result.report_html:
        attachments.append(Attachment("Báo cáo Lighthouse", result.report_html, "text/html", "html"))
    if over:
        problems = [f"{METRICS[n][0]} {seconds(result.median[n])}, vượt ngưỡng {seconds(limits[n])} ({METRICS[n][1]})"
                    for n in over]
        return Verdict(Status.FAILED, f"Tốc độ tải trang không đạt ({_runs_text(result)}): " + "; ".join(problems),
                       evidence, attachments)
    shown = "; ".join(f"{METRICS[n][0]} {seconds(result.median[n])} < {seconds(limits[n])}" for n in METRICS)
    return Verdict(Status.PASSED, f"Tốc độ tải trang đạt ({_runs_text(result)}): {shown}", evidence, attachments)
