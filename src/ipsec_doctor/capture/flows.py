"""Packets to conversations: IKE SAs with their exchanges, ESP flows per SPI and direction.

``Tracker.add(pkt)`` files every decoded packet:

* an IKE message goes to its IKE SA (keyed by the initiator SPI and the two addresses); the SA
  learns who initiated (IKEv2: the I flag; IKEv1: the sender of the first message whose
  responder cookie is zero), labels each message (``IKE_SA_INIT req``, ``MM3``, ``QM1``),
  recognises retransmissions (the same bytes from the same side again), the move from UDP 500
  to 4500, and checks NAT-D hashes against the addresses and ports on the wire (a mismatch
  means a NAT between the sender and the receiver);
* an ESP packet (IP protocol 50 or UDP 4500) counts in its flow: source, destination, SPI and
  encapsulation, with the first and last frame.

Memory is bounded whatever the capture's size: at most ``MAX_SAS`` SAs, ``MAX_MESSAGES``
messages per SA and ``MAX_KEPT`` in all (each a summary line and the decoded fields, not the
packet bytes) and ``MAX_FLOWS`` ESP flows are kept; the rest is only counted.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass, field

from ..redact import redact
from .ike import Message, Packet, summary

MAX_SAS = 5000
MAX_MESSAGES = 200  # per SA
MAX_KEPT = 50_000  # over all SAs
MAX_FLOWS = 20000
MAX_HASHES = 512


@dataclass
class Sent:
    """One IKE message of an SA as the capture saw it."""

    frame: int
    time: float
    sender: str  # "i" (the SA's initiator) or "r"
    label: str  # IKE_SA_INIT, MM1..MM6, AM1..AM3, QM1..QM3, INFO, ...
    request: bool
    msg: Message
    text: str  # the one-line summary
    retransmit: bool = False
    port: int = 500  # the sender's destination port (500 or 4500)
    digest: bytes = b""  # of the message bytes: equal digests from one side are retransmissions
    ttl: int = 0  # IP TTL / hop limit as captured


@dataclass
class IkeSA:
    ispi: bytes
    version: int
    initiator: str
    responder: str
    first_frame: int
    messages: list[Sent] = field(default_factory=list)
    more: int = 0  # messages not kept (beyond MAX_MESSAGES)
    hashes: set = field(default_factory=set)
    nat: list[Sent] = field(default_factory=list)  # messages whose NAT-D did not match
    float_frame: int | None = None  # first message on 4500 after 500
    sides_known: bool = True


@dataclass
class EspFlow:
    src: str
    dst: str
    spi: int
    encap: str  # "esp" or "udp-esp"
    first: int
    last: int
    packets: int = 0
    first_text: str = ""
    first_time: float = 0.0
    last_seq: int = 0


@dataclass
class Run:
    """ESP packets one way since the last ESP packet the other way."""

    first: int  # frame of the first packet of the run
    count: int
    pkt: Packet  # its first packet
    last: int = 0  # frame of the last ESP packet in this direction


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


class Tracker:
    def __init__(self) -> None:
        self.sas: dict[tuple[bytes, tuple[str, str]], IkeSA] = {}
        self.order: list[IkeSA] = []
        self.flows: dict[tuple[str, str, int, str], EspFlow] = {}
        self.runs: dict[tuple[str, str], Run] = {}  # (src, dst) -> ESP since the last reply
        self.ttl: dict[str, int] = {}  # address -> TTL of the first packet it sent
        # (sender, receiver) of an IKE packet -> the first ICMP error reporting it, its summary
        self.icmp: dict[tuple[str, str], tuple[Packet, str]] = {}
        self.kept = 0  # messages kept over all SAs
        self.dropped_sas = 0
        self.dropped_flows = 0
        self.ike_packets = 0
        self.esp_packets = 0
        self.keepalives = 0
        self.fragments = 0

    # -- ESP ------------------------------------------------------------------------------------
    def _esp(self, pkt: Packet) -> None:
        self.esp_packets += 1
        # the current run of ESP in this direction since the last ESP the other way
        run = self.runs.get((pkt.src, pkt.dst))
        if run is None:
            if len(self.runs) < MAX_FLOWS:
                self.runs[(pkt.src, pkt.dst)] = Run(pkt.frame, 1, pkt)
        elif run.count == 0:
            run.first, run.count, run.pkt = pkt.frame, 1, pkt
        else:
            run.count += 1
        back = self.runs.get((pkt.dst, pkt.src))
        if back is not None:
            back.count = 0
        cur = self.runs.get((pkt.src, pkt.dst))
        if cur is not None:
            cur.last = pkt.frame
        key = (pkt.src, pkt.dst, pkt.spi or 0, pkt.kind)
        flow = self.flows.get(key)
        if flow is None:
            if len(self.flows) >= MAX_FLOWS:
                self.dropped_flows += 1
                return
            flow = self.flows[key] = EspFlow(
                pkt.src, pkt.dst, pkt.spi or 0, pkt.kind, pkt.frame, pkt.frame,
                first_text=redact(summary(pkt)), first_time=pkt.time,
            )
        flow.packets += 1
        flow.last = pkt.frame
        flow.last_seq = pkt.seq or 0

    # -- IKE ------------------------------------------------------------------------------------
    def add(self, pkt: Packet) -> None:
        if pkt.ttl and pkt.src not in self.ttl and len(self.ttl) < MAX_FLOWS:
            self.ttl[pkt.src] = pkt.ttl
        if pkt.kind in ("esp", "udp-esp"):
            self._esp(pkt)
            return
        if pkt.kind == "keepalive":
            self.keepalives += 1
            return
        if pkt.kind == "fragment":
            self.fragments += 1
            return
        if pkt.kind == "icmp":
            key = (pkt.inner_src, pkt.inner_dst)
            if key not in self.icmp and len(self.icmp) < MAX_FLOWS:
                self.icmp[key] = (pkt, redact(summary(pkt)))
            return
        m = pkt.ike
        if m is None:
            return
        self.ike_packets += 1
        key = (m.ispi, _pair(pkt.src, pkt.dst))
        sa = self.sas.get(key)
        if sa is None:
            if len(self.sas) >= MAX_SAS:
                self.dropped_sas += 1
                return
            sa = self._new_sa(pkt, m)
            self.sas[key] = sa
            self.order.append(sa)
        sender = "i" if pkt.src == sa.initiator else "r"
        digest = hashlib.blake2b(m.wire, digest_size=12).digest()
        m.wire = b""  # only the digest is kept
        retransmit = (sender, digest) in sa.hashes
        if not retransmit and len(sa.hashes) < MAX_HASHES:
            sa.hashes.add((sender, digest))
        label, request = self._label(sa, sender, m, retransmit, digest)
        role = None if label == "INFO" else ("req" if request else "resp")
        text = redact(summary(pkt, role, label))
        if retransmit:
            text += " [retransmission]"
        sent = Sent(pkt.frame, pkt.time, sender, label, request, m, text, retransmit, pkt.dport,
                    digest, pkt.ttl)
        if sa.float_frame is None and 4500 in (pkt.sport, pkt.dport) and sa.messages and any(
            x.port == 500 for x in sa.messages
        ):
            sa.float_frame = pkt.frame
        if not retransmit:
            self._nat_check(sa, pkt, m, sent)
        if len(sa.messages) < MAX_MESSAGES and self.kept < MAX_KEPT:
            sa.messages.append(sent)
            self.kept += 1
        else:
            sa.more += 1

    def _new_sa(self, pkt: Packet, m: Message) -> IkeSA:
        if m.version == 2:
            first_is_init = bool(m.initiator_flag)
            known = True
        else:
            # no flag says who initiated: the sender of the first message seen (certain when
            # its responder cookie is still zero)
            first_is_init = True
            known = m.rspi == b"\x00" * 8
        ini, res = (pkt.src, pkt.dst) if first_is_init else (pkt.dst, pkt.src)
        sa = IkeSA(m.ispi, m.version, ini, res, pkt.frame)
        sa.sides_known = known
        return sa

    def _label(
        self, sa: IkeSA, sender: str, m: Message, retransmit: bool, digest: bytes
    ) -> tuple[str, bool]:
        """Label and whether it is a request (IKEv1: the side that speaks first in a phase)."""
        if m.version == 2:
            return m.exchange_name, not bool(m.flags & 0x20)
        if m.exchange in (2, 4):  # main / aggressive mode: alternate I, R, I, ...
            prefix = "MM" if m.exchange == 2 else "AM"
            mine = [x for x in sa.messages if x.sender == sender and x.label.startswith(prefix)]
            if retransmit:
                same = next(
                    (x for x in reversed(mine) if x.digest == digest), mine[-1] if mine else None
                )
                if same is not None:
                    return same.label, same.request
            n = sum(1 for x in mine if not x.retransmit)
            step = 2 * n + (1 if sender == "i" else 2)
            return f"{prefix}{step}", sender == "i"
        if m.exchange == 32:  # quick mode, per message id
            same = [x for x in sa.messages if x.msg.msgid == m.msgid and x.label.startswith("QM")]
            if retransmit:
                prev = next((x for x in reversed(same) if x.digest == digest), None)
                if prev is not None:
                    return prev.label, prev.request
            fresh = [x for x in same if not x.retransmit]
            if not fresh:
                return "QM1", True
            starter = fresh[0].sender
            step = len(fresh) + 1
            return f"QM{step}", sender == starter
        if m.exchange == 5:
            return "INFO", True
        return m.exchange_name, True

    # -- NAT-D ------------------------------------------------------------------------------
    def _nat_check(self, sa: IkeSA, pkt: Packet, m: Message, sent: Sent) -> None:
        src_ep = _endpoint(pkt.src, pkt.sport)
        dst_ep = _endpoint(pkt.dst, pkt.dport)
        if src_ep is None or dst_ep is None:
            return
        spis = m.ispi + m.rspi
        if m.version == 2:
            for n in m.notifies:
                if n.type == 16388:
                    want = hashlib.sha1(spis + src_ep).digest()
                elif n.type == 16389:
                    want = hashlib.sha1(spis + dst_ep).digest()
                else:
                    continue
                if n.data != want:
                    sa.nat.append(sent)
                    return
            return
        if not m.nat_d:
            return
        # RFC 3947: the first NAT-D hashes the destination, the others the sender's addresses
        dest, *sources = m.nat_d
        if not _v1_match(dest, spis + dst_ep) or (
            sources and not any(_v1_match(h, spis + src_ep) for h in sources)
        ):
            sa.nat.append(sent)

    # -- results ----------------------------------------------------------------------------
    def esp_pairs(self) -> dict[tuple[str, str], list[EspFlow]]:
        out: dict[tuple[str, str], list[EspFlow]] = {}
        for f in self.flows.values():
            out.setdefault(_pair(f.src, f.dst), []).append(f)
        return out


_HASHES = {16: hashlib.md5, 20: hashlib.sha1, 32: hashlib.sha256, 48: hashlib.sha384,
           64: hashlib.sha512}


def _v1_match(digest: bytes, data: bytes) -> bool:
    fn = _HASHES.get(len(digest))
    if fn is None:
        return True  # a hash we cannot recompute: no evidence either way
    return fn(data).digest() == digest


def _endpoint(addr: str, port: int) -> bytes | None:
    try:
        return ipaddress.ip_address(addr).packed + port.to_bytes(2, "big")
    except ValueError:
        return None
