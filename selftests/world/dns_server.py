"""The simulated world's name server: answers A (127.0.0.1) and AAAA (::1) for every host the world
serves, NXDOMAIN for any other name, over UDP on an ephemeral loopback port. A host whose Site has
`ipv6=False` has no AAAA record; `records` gives chosen names their own addresses (a name with
one public and one private address, for the network guard). The audit reaches it through the `dns.nameservers` setting, so
name lookups made outside the browser (domain scan, AAAA checks) are real DNS exchanges."""

from __future__ import annotations

import socket
import threading
import traceback
from collections.abc import Mapping

import dns.flags
import dns.message
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.exception
import dns.rrset

ADDRESSES = {dns.rdatatype.A: "127.0.0.1", dns.rdatatype.AAAA: "::1"}


class WorldDns:
    def __init__(self, sites: Mapping[str, object], records: Mapping[str, tuple[str, ...]] | None = None) -> None:
        self.hosts = {h.lower().rstrip("."): getattr(s, "ipv6", True) for h, s in sites.items()}
        # name -> its addresses, IPv4 and IPv6 mixed (each answered under its own record type)
        self.records = {h.lower().rstrip("."): tuple(a) for h, a in (records or {}).items()}
        self.queries: list[tuple[str, str]] = []  # (name, type) in the order asked
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._faults: list[str] = []  # tracebacks of answer()'s own bugs, for World.check_faults
        self.port = 0

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(0.2)
        self._socket, self.port = sock, sock.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, name=f"world-dns-{self.port}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        sock, self._socket = self._socket, None
        if sock is not None:
            sock.close()
        if self._thread is not None:
            self._thread.join(timeout=2)

    def take_faults(self) -> list[str]:
        """The exceptions answer() raised since the last call, as tracebacks."""
        with self._lock:
            faults, self._faults = self._faults, []
        return faults

    def answer(self, query: dns.message.Message) -> dns.message.Message:
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        question = query.question[0]
        name = question.name.to_text().rstrip(".").lower()
        with self._lock:
            self.queries.append((name, dns.rdatatype.to_text(question.rdtype)))
        if name in self.records:
            chosen = [a for a in self.records[name] if (":" in a) == (question.rdtype == dns.rdatatype.AAAA)]
            if chosen and question.rdtype in ADDRESSES:
                response.answer.append(dns.rrset.from_text(question.name, 60, dns.rdataclass.IN, question.rdtype,
                                                           *chosen))
            return response
        if name not in self.hosts:
            response.set_rcode(dns.rcode.NXDOMAIN)
            return response
        address = ADDRESSES.get(question.rdtype)
        if address is not None and (question.rdtype != dns.rdatatype.AAAA or self.hosts[name]):
            response.answer.append(dns.rrset.from_text(question.name, 60, dns.rdataclass.IN, question.rdtype,
                                                       address))
        return response  # an existing name without this record type: NOERROR, no answer

    def _serve(self) -> None:
        while True:
            sock = self._socket
            if sock is None:
                return
            try:
                data, peer = sock.recvfrom(4096)
            except socket.timeout:
                continue
            except OSError:
                return
            try:
                query = dns.message.from_wire(data)
            except dns.exception.DNSException:
                continue  # a malformed query gets no answer, as from a real server
            try:
                reply = self.answer(query).to_wire()
            except Exception:  # noqa: BLE001 - a bug of the world: recorded, so the test fails
                with self._lock:
                    self._faults.append(f"the world's name server:\n{traceback.format_exc()}")
                continue
            try:
                sock.sendto(reply, peer)
            except OSError:
                return
