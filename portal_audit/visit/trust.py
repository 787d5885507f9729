"""Trusting an extra certificate authority (https.extra_ca_file: a staging copy signed by a private
CA) in Chromium, which takes no CA file on its command line: on Linux it trusts the NSS database
under $HOME/.pki/nssdb, so the audit's browsers and Lighthouse's are started with HOME pointing to a
folder of their own whose database holds the extra CAs (made with NSS's certutil)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

_PEM = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)


class TrustError(Exception):
    """str() is one line naming the file and the problem."""


def certificates(ca_file: Path) -> list[str]:
    try:
        text = ca_file.read_text(encoding="ascii", errors="replace")
    except OSError as err:
        raise TrustError(f"{ca_file}: không đọc được tệp chứng chỉ CA (https.extra_ca_file): {err.strerror}") from None
    found = _PEM.findall(text)
    if not found:
        raise TrustError(f"{ca_file}: không có chứng chỉ PEM nào (https.extra_ca_file)")
    return found


def nss_home(ca_file: Path, directory: Path) -> Path:
    """A HOME folder whose NSS database trusts every certificate of `ca_file` for TLS servers."""
    pems = certificates(ca_file)
    certutil = shutil.which("certutil")
    if certutil is None:
        raise TrustError("cần lệnh certutil (gói libnss3-tools) để trình duyệt tin cậy https.extra_ca_file; "
                         "chạy bin/setup")
    database = directory / ".pki" / "nssdb"
    database.mkdir(parents=True, exist_ok=True)
    _run([certutil, "-N", "-d", f"sql:{database}", "--empty-password"], ca_file)
    for index, pem in enumerate(pems):
        cert = directory / f"ca-{index}.pem"
        cert.write_text(pem + "\n", encoding="ascii")
        _run([certutil, "-A", "-d", f"sql:{database}", "-n", f"portal-audit-ca-{index}", "-t", "C,,", "-i", str(cert)],
             ca_file)
    return directory


def browser_env(home: Path | None) -> dict[str, str] | None:
    """The environment of a browser that must trust the extra CAs (None: the audit's own)."""
    return None if home is None else {**os.environ, "HOME": str(home)}


def _run(command: list[str], ca_file: Path) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise TrustError(f"{ca_file}: certutil không nhận chứng chỉ: {(done.stderr or done.stdout).strip()[:200]}")
