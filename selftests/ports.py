"""A loopback port nothing listens on (yet): for a server a test starts, or one it must not reach."""

from __future__ import annotations

import socket


def unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
