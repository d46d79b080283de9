"""Conversations to facts: what a capture proves about each pair of IPsec endpoints.

``capture_facts(chunks, source)`` reads a pcap/pcapng capture (``read``), decodes IKE and ESP
(``ike``), files them into IKE SAs and ESP flows (``flows``) and yields ``Signal`` facts
(vendor ``capture``) whose wordings are knowledge-base entries in ``kb/data/capture/``:

* ``capture: notify <NAME> in <exchange>``: an error notification in clear (IKEv2
  ``IKE_SA_INIT``; IKEv1 informational during main, aggressive or quick mode), with the offered
  proposals in ``detail`` when the notify refuses them (and the group asked for by
  ``INVALID_KE_PAYLOAD``).  ``INVALID_KE_PAYLOAD`` followed by a successful retry with the
  requested group is the normal group negotiation and yields nothing;
* nobody answers: ``capture: ike requests never answered`` (an initiator retransmits its first
  message and the other address sends no IKE back), or the ICMP error that says why
  (``capture: ike port unreachable at the peer``, ``... administratively prohibited``,
  ``... peer unreachable by icmp``); ``capture: ike versions differ``: both ends initiate, each
  with another IKE version, and neither answers;
* IKEv1 main mode that stops: ``capture: main mode stops after mm<n>`` (after MM5, with the
  encrypted MM5 retransmitted, is the classic pre-shared key mismatch), aggressive mode that
  stops after AM2 or is refused before authentication (``capture: aggressive mode refused
  before authentication``: an error notify in answer to AM1), quick mode never answered or
  refused, DPD (encrypted informational) with no answer;
* IKEv2 encrypted exchanges, whose notifies a capture cannot read, judged by shape:
  ``capture: ike auth refused`` (the answer's first encrypted payload is a Notify, not IDr),
  with ``capture: certificate requested, none sent`` when the responder asked for a certificate
  and the request has no room for one; ``capture: ike auth without child sa`` (the answer
  starts with IDr but is too short for SA and traffic selectors); ``capture: ike auth never
  answered`` (``... after the move to udp 4500``, ``capture: large ike auth never answered``);
  ``capture: create child sa refused``/``never answered``; ``capture: informational requests
  never answered`` (DPD/liveness with no reply);
* ``capture: nat detected`` (a NAT-D hash does not match the addresses on the wire; normal),
  ``capture: esp not encapsulated across nat``;
* ``capture: esp in one direction only``: ESP from one end and none back, or none back any more
  after some point (``ONE_WAY_LATER`` packets);
* ``capture: tunnel established``: a normal event, with the offered and chosen proposals.

Besides the signals: one ``CaptureIkeSa`` record per IKE SA (who initiated, how far it got,
offered and chosen proposals, notifies, NAT, the move to UDP 4500) and one ``CaptureEspFlow``
per ESP flow (source, destination, SPI, encapsulation, packets), for rules.

Each fact cites frames: ``Line.line`` is the frame number, ``Line.text`` a one-line summary.
The facts are grouped per pair of addresses as the capture host sees them: ``device`` is None
(the capture host: a capture does not name it, and log evidence of the same host without a
name joins the same group), ``peer`` the far end of the pair (``_Out.side``).  Who initiated
is in the evidence and in the ``CaptureIkeSa`` records.  A capture with no IKE and no ESP at
all is refused with a clear message.
"""

from __future__ import annotations

import time as _time
from collections.abc import Iterable, Iterator

from ..errors import InputError
from ..model import Fact, Line, Signal, State, Unparsed
from ..redact import redact
from .flows import EspFlow, IkeSA, Sent, Tracker
from .ike import DH_GROUPS, PORT_UNREACHABLE, PROHIBITED, decode, summary
from .read import LINK_TYPES, ReadStats, frames

VENDOR = "capture"
FAMILY = "capture"
ONE_WAY_MIN = 3  # ESP packets one way, none back, before it counts as one-way
ONE_WAY_LATER = 20  # ESP packets one way after the last one back (it stopped answering)

# error notifications that refuse an exchange (IKEv2 < 16384; IKEv1 < 8192)
_V1_STAGES = {"MM": "main mode", "AM": "aggressive mode", "QM": "quick mode"}


def _stamp(t: float) -> str | None:
    if not t or t < 0 or t > 32503680000:
        return None
    return _time.strftime("%Y-%m-%d %H:%M:%S", _time.gmtime(t))


# Initial TTL / hop limit values of common stacks: a packet captured with another TTL has crossed
# routers since it was sent.
INITIAL_TTLS = frozenset((32, 64, 128, 255))
# An IKE message longer than this does not fit a 1500-byte path in one IP packet (with IP, UDP,
# the non-ESP marker); "IP fragment" or SKF in its summary says it was split.
LARGE_IKE = 1500 - 20 - 8 - 4
# An IKE_AUTH request shorter than this carries no certificate (a DER certificate alone is
# rarely under 500 bytes) and no RSA-2048 signature plus identity and selectors.
NO_CERT_BELOW = 350
MAX_STATES = 200  # IKE SA and ESP flow records emitted per capture


class CaptureIkeSa(State, kw_only=True):
    """One IKE SA as the capture saw it: who initiated, how far it got, what was offered and
    chosen.  ``ev`` is its first message; ``lines["reached"]`` its last.  ``peer``: the far
    end as the capture host sees it (``device`` is None, as for the signals)."""

    peer: str | None = None

    initiator: str
    responder: str
    version: int
    reached: str  # label of the last message, e.g. "IKE_AUTH resp", "MM5", "QM3"
    messages: int = 0
    retransmissions: int = 0
    offered: str = ""
    chosen: str = ""
    notifies: tuple[str, ...] = ()  # clear-text notify names, in order
    nat: bool = False  # a NAT-D hash did not match the addresses on the wire
    floated_at: int | None = None  # frame of the first message on UDP 4500 after 500


class CaptureEspFlow(State, kw_only=True):
    """ESP from one address to another under one SPI (``encap``: esp or udp-esp)."""

    peer: str | None = None

    src: str
    dst: str
    spi: str
    encap: str
    packets: int
    first: int
    last: int


class _Out:
    """Collects the signals of one capture, oriented per pair of addresses."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.orient: dict[frozenset, tuple[str, str]] = {}
        # per pair of addresses: IKE_SA_INIT answers that accepted a proposal (any SPI)
        self.accepted: dict[frozenset, list[Sent]] = {}
        self.facts: list[Fact] = []
        self.ttls: dict[str, int] = {}  # address -> TTL of its first packet in the capture
        self.common: set[str] = set()  # addresses that take part in every pair

    def side(self, a: str, b: str) -> tuple[str, str]:
        """(local, remote) for the pair ``a``, ``b`` (``a`` initiated, or sent first): the
        capture host's end is local.  It is the end whose packets still carry an initial TTL
        (nothing routed them yet), else the address every pair shares (a hub capturing its
        spokes), else ``a``.  Fixed per pair at its first use."""
        key = frozenset((a, b))
        got = self.orient.get(key)
        if got is None:
            here_a, here_b = self.sent_here(a), self.sent_here(b)
            if here_b and not here_a:
                got = (b, a)
            elif here_a and not here_b:
                got = (a, b)
            elif b in self.common and a not in self.common:
                got = (b, a)
            else:
                got = (a, b)
            self.orient[key] = got
        return got

    def sent_here(self, addr: str) -> bool:
        ttl = self.ttls.get(addr)
        return ttl is not None and ttl in INITIAL_TTLS

    def line(self, sent: Sent | EspFlow | Line) -> Line:
        if isinstance(sent, Line):
            return sent
        if isinstance(sent, Sent):
            return Line(self.source, sent.frame, sent.text)
        return Line(self.source, sent.first, sent.first_text)

    def emit(
        self,
        reason: str,
        kind: str,
        pair: tuple[str, str],
        ev: Sent | EspFlow | Line,
        *extra: Sent | EspFlow | Line,
        version: int | None = None,
        detail: str | None = None,
    ) -> None:
        _, peer = self.side(*pair)
        lines = tuple(self.line(x) for x in extra if x is not ev)
        t = ev.time if isinstance(ev, Sent) else getattr(ev, "first_time", 0.0)
        self.facts.append(
            Signal(
                vendor=VENDOR,
                family=FAMILY,
                kind=kind,
                reason=reason,
                ev=self.line(ev),
                extra=lines[:6],
                device=None,  # the capture host, whose name a capture does not give
                peer=peer,
                version=f"v{version}" if version else None,
                time=_stamp(t),
                detail=redact(detail)[:300] if detail else None,
            )
        )


def capture_facts(
    chunks: Iterable[bytes], source: str, stats: ReadStats | None = None
) -> Iterator[Fact]:
    """All facts of one capture file (given as byte chunks)."""
    stats = stats if stats is not None else ReadStats()
    tracker = Tracker()
    links: set[int] = set()
    for frame in frames(chunks, stats):
        if len(links) < 16:
            links.add(frame.link)
        pkt = decode(frame)
        if pkt is not None:
            tracker.add(pkt)
    out = _Out(source)
    out.ttls = tracker.ttl
    pairs = [{sa.initiator, sa.responder} for sa in tracker.order]
    pairs += [{f.src, f.dst} for f in tracker.flows.values()]
    if pairs:
        out.common = set.intersection(*pairs)
    if not tracker.sas and not tracker.flows:
        what = f"{stats.format or 'capture'} capture"
        why = f"; {stats.problem}" if stats.problem else ""
        unread = sorted(links - LINK_TYPES)
        if unread:
            why += f"; link type {', '.join(map(str, unread))} not read"
        raise InputError(
            f"{source}: {what} holds no IKE or ESP packet ({stats.frames} "
            f"frame{'' if stats.frames == 1 else 's'} read{why})"
        )
    for sa in tracker.order:
        out.side(sa.initiator, sa.responder)
        for m in sa.messages:
            if m.label == "IKE_SA_INIT" and not m.request and m.msg.proposals:
                out.accepted.setdefault(frozenset((sa.initiator, sa.responder)), []).append(m)
    _pairs(tracker, out)
    for sa in tracker.order:
        other = next((m for m in sa.messages if m.msg.version != sa.version), None)
        if other is not None:
            names = ", ".join(other.msg.notify_names())
            out.emit("capture: answered with another ike version", "ike-failure",
                     (sa.initiator, sa.responder), other, sa.messages[0],
                     detail=f"IKEv{sa.version} answered with IKEv{other.msg.version}"
                     + (f" {names}" if names else ""))
            continue
        if sa.version == 2:
            _ikev2(sa, out)
        else:
            _ikev1(sa, out)
    _esp(tracker, out)
    seen: set[frozenset] = set()
    for sa in tracker.order:  # once per pair, after the verdict (which reads first)
        pair = frozenset((sa.initiator, sa.responder))
        if sa.nat and pair not in seen:
            seen.add(pair)
            _nat(sa, out)
    _states(tracker, out)
    if stats.problem:
        out.facts.append(
            Unparsed(
                family=FAMILY,
                ev=Line(source, stats.frames, f"capture read stopped: {stats.problem}"),
            )
        )
    yield from out.facts


# -- helpers ----------------------------------------------------------------------------------


def _states(tracker: Tracker, out: _Out) -> None:
    for sa in tracker.order[:MAX_STATES]:
        if not sa.messages:
            continue
        first, last = sa.messages[0], sa.messages[-1]
        prefix = "IKE_SA_INIT" if sa.version == 2 else ("AM" if first.label.startswith("AM")
                                                        else "MM")
        role = "" if sa.version == 1 else (" req" if last.request else " resp")
        out.facts.append(
            CaptureIkeSa(
                vendor=VENDOR,
                family="capture-ike-sa",
                ev=out.line(first),
                peer=out.side(sa.initiator, sa.responder)[1],
                lines={"reached": out.line(last)},
                initiator=sa.initiator,
                responder=sa.responder,
                version=sa.version,
                reached=last.label + role,
                messages=len(sa.messages) + sa.more,
                retransmissions=_retransmits(sa.messages),
                offered=_offered(sa, prefix),
                chosen=_chosen(sa, prefix),
                notifies=tuple(n.name for m in sa.messages for n in m.msg.notifies)[:32],
                nat=bool(sa.nat),
                floated_at=sa.float_frame,
            )
        )
    for f in list(tracker.flows.values())[:MAX_STATES]:
        out.facts.append(
            CaptureEspFlow(
                vendor=VENDOR,
                family="capture-esp",
                ev=out.line(f),
                peer=out.side(f.src, f.dst)[1],
                src=f.src,
                dst=f.dst,
                spi=f"0x{f.spi:08x}",
                encap=f.encap,
                packets=f.packets,
                first=f.first,
                last=f.last,
            )
        )


def _offered(sa: IkeSA, label_prefix: str) -> str:
    for m in sa.messages:
        if m.sender == "i" and m.label.startswith(label_prefix) and m.msg.proposals:
            return " | ".join(p.text() for p in m.msg.proposals[:6])
    return ""


def _chosen(sa: IkeSA, label_prefix: str) -> str:
    for m in sa.messages:
        if m.sender == "r" and m.label.startswith(label_prefix) and m.msg.proposals:
            return " | ".join(p.text() for p in m.msg.proposals[:2])
    return ""


def _errors(sent: Sent) -> list:
    limit = 16384 if sent.msg.version == 2 else 8192
    return [n for n in sent.msg.notifies if n.type < limit]


def _retransmits(msgs: list[Sent]) -> int:
    return sum(1 for m in msgs if m.retransmit)


def _stage_of(sa: IkeSA, upto: int) -> str:
    """The IKEv1 phase an informational message belongs to: the last labelled exchange."""
    stage = "main mode"
    for m in sa.messages:
        if m.frame > upto:
            break
        for prefix, name in _V1_STAGES.items():
            if m.label.startswith(prefix):
                stage = name
    return stage


# -- pairs: nobody answers -------------------------------------------------------------------


def _pairs(tracker: Tracker, out: _Out) -> None:
    by_pair: dict[frozenset, list[IkeSA]] = {}
    for sa in tracker.order:
        by_pair.setdefault(frozenset((sa.initiator, sa.responder)), []).append(sa)
    for sas in by_pair.values():
        silent: dict[str, list[IkeSA]] = {}  # initiator -> its SAs the other end never answered
        talks: set[str] = set()  # addresses that sent anything as a responder
        for sa in sas:
            if (
                not sa.sides_known
                or not sa.messages
                or sa.messages[0].label not in ("IKE_SA_INIT", "MM1", "AM1")
            ):
                continue  # joined mid-life: liveness is judged per SA
            if any(m.sender == "r" for m in sa.messages):
                talks.add(sa.responder)
            else:
                silent.setdefault(sa.initiator, []).append(sa)
        initiators = list(silent)
        versions = {a: {sa.version for sa in silent[a]} for a in initiators}
        if (
            len(initiators) == 2
            and not talks
            and versions[initiators[0]] != versions[initiators[1]]
        ):
            a, b = initiators
            ev_a, ev_b = silent[a][0].messages[0], silent[b][0].messages[0]
            out.emit(
                "capture: ike versions differ",
                "ike-failure",
                (a, b),
                ev_a,
                ev_b,
                detail=f"{a} sends IKEv{silent[a][0].version}, {b} sends IKEv"
                f"{silent[b][0].version}; neither answers the other",
            )
            continue
        for ini, mine in silent.items():
            responder = mine[0].responder
            if responder in talks:
                continue  # it answers other attempts: not a dead path
            msgs = [m for sa in mine for m in sa.messages]
            if len(msgs) < 2 and (ini, responder) not in tracker.icmp:
                continue  # a single packet at the end of a capture proves nothing
            versions_sent = sorted({sa.version for sa in mine})
            icmp = tracker.icmp.get((ini, responder))
            if icmp is not None:
                pkt, text = icmp
                code = pkt.icmp
                if code in PORT_UNREACHABLE:
                    reason = "capture: ike port unreachable at the peer"
                elif code in PROHIBITED:
                    reason = "capture: ike administratively prohibited"
                else:
                    reason = "capture: ike peer unreachable by icmp"
                out.emit(reason, "ike-failure", (ini, responder), Line(out.source, pkt.frame, text),
                         msgs[0], version=versions_sent[0] if len(versions_sent) == 1 else None,
                         detail=f"{len(msgs)} requests from {ini}; ICMP from {pkt.src}")
                continue
            detail = (f"{len(msgs)} requests from {ini} ({_retransmits(msgs)} retransmissions),"
                      f" no IKE from {responder}")
            reason = "capture: ike requests never answered"
            ttl = msgs[0].ttl
            if ttl and ttl not in INITIAL_TTLS:
                # routers decremented the TTL: captured far from the initiator, near the peer
                reason = "capture: ike requests arrive, never answered"
                detail += f"; TTL {ttl}: captured after routers, not at the sender"
            out.emit(
                reason,
                "ike-failure",
                (ini, responder),
                msgs[0],
                *msgs[1:3],
                msgs[-1],
                version=versions_sent[0] if len(versions_sent) == 1 else None,
                detail=detail,
            )


# -- IKEv2 ------------------------------------------------------------------------------------


def _ikev2(sa: IkeSA, out: _Out) -> None:
    pair = (sa.initiator, sa.responder)
    msgs = sa.messages
    init_req = [m for m in msgs if m.label == "IKE_SA_INIT" and m.request]
    init_resp = [m for m in msgs if m.label == "IKE_SA_INIT" and not m.request]
    ok_init = [m for m in init_resp if not _errors(m) and m.msg.proposals]
    for m in msgs:
        if m.request or m.msg.encrypted:
            continue
        for n in _errors(m):
            if n.name == "INVALID_KE_PAYLOAD" and any(
                x.frame > m.frame for x in out.accepted.get(frozenset(pair), ())
            ):
                continue  # the initiator retried (same or new SPI) and got an answer: normal
            detail = None
            if m.label == "IKE_SA_INIT":
                offered = _offered(sa, "IKE_SA_INIT")
                detail = f"offered: {offered}" if offered else None
                if n.name == "INVALID_KE_PAYLOAD" and len(n.data) >= 2:
                    g = int.from_bytes(n.data[:2], "big")
                    sent_g = next((x.msg.ke_group for x in init_req if x.msg.ke_group), None)
                    detail = (
                        f"responder wants group {g} ({DH_GROUPS.get(g, g)}), initiator sent "
                        f"KE group {sent_g}; {detail or ''}"
                    ).rstrip("; ")
            req = next((x for x in init_req if x.frame < m.frame), None) if init_req else None
            out.emit(
                f"capture: notify {n.name} in {m.label}",
                "notify",
                pair,
                m,
                *([req] if req else []),
                version=2,
                detail=detail,
            )
    if init_req and not ok_init:
        return  # refused (a notify above) or never answered (``_pairs``)
    _v2_exchange(sa, out, "IKE_AUTH", "capture: ike auth")
    _v2_exchange(sa, out, "CREATE_CHILD_SA", "capture: create child sa")
    _v2_informational(sa, out)


def _v2_exchange(sa: IkeSA, out: _Out, label: str, wording: str) -> None:
    pair = (sa.initiator, sa.responder)
    by_id: dict[tuple[str, int], list[Sent]] = {}
    for m in sa.messages:
        if m.label == label:
            starter = m.sender if m.request else ("r" if m.sender == "i" else "i")
            by_id.setdefault((starter, m.msg.msgid), []).append(m)
    for msgs in by_id.values():
        reqs = [m for m in msgs if m.request]
        resps = [m for m in msgs if not m.request]
        if not reqs:
            continue
        if not resps:
            if len(reqs) >= 2:
                req = reqs[0]
                frag = any(m.msg.fragment or "IP fragment" in m.text for m in reqs)
                big = frag or req.msg.length > LARGE_IKE
                detail = f"{len(reqs)} transmissions of {req.msg.length} bytes on UDP {req.port}"
                reason = f"{wording} never answered"
                if label == "IKE_AUTH" and big:
                    reason = "capture: large ike auth never answered"
                    detail += ", IP-fragmented" if frag else ""
                elif label == "IKE_AUTH" and req.port == 4500 and any(
                    m.port == 500 and not m.request for m in sa.messages
                ):
                    reason = "capture: ike auth never answered after the move to udp 4500"
                out.emit(reason, "ike-failure", pair, reqs[0], reqs[-1], version=2, detail=detail)
            continue
        resp = resps[0]
        if (
            label == "IKE_AUTH"
            and resp.msg.inner == "IDr"
            and resp.msg.fragment is None  # an IKE fragment's length says nothing
            and not _later(sa, label, resp)
            and _plaintext(sa, resp) < CHILD_MIN
        ):
            out.emit(f"{wording} without child sa", "ike-failure", pair, resp, reqs[0], version=2,
                     detail=f"the answer ({resp.msg.length} bytes, about {_plaintext(sa, resp)} "
                     f"in clear) has room for identity and AUTH but not for SA and traffic "
                     f"selectors")
            continue
        if resp.msg.inner == "N" or (not resp.msg.encrypted and _errors(resp)):
            names = ", ".join(n.name for n in _errors(resp))
            detail = names or f"encrypted notify, {resp.msg.length} bytes"
            if label == "CREATE_CHILD_SA":
                offered = next((m.msg.ke_group for m in reqs if m.msg.ke_group), None)
                detail += f"; request KE group {offered}" if offered else "; request without KE"
            out.emit(f"{wording} refused", "ike-failure", pair, resp, reqs[0], version=2,
                     detail=detail)
            asked = next((m for m in sa.messages if m.label == "IKE_SA_INIT" and not m.request
                          and "CERTREQ" in m.msg.payloads), None)
            if label == "IKE_AUTH" and asked is not None and reqs[0].msg.length < NO_CERT_BELOW:
                out.emit("capture: certificate requested, none sent", "ike-failure", pair, asked,
                         reqs[0], version=2,
                         detail=f"the responder sent CERTREQ; the IKE_AUTH request "
                         f"({reqs[0].msg.length} bytes) has no room for a certificate")


def _later(sa: IkeSA, label: str, m: Sent) -> bool:
    """Does another exchange of the same kind follow (EAP and multiple authentication rounds)?"""
    return any(x.label == label and x.msg.msgid > m.msg.msgid for x in sa.messages)


# Inside SK: IV and ICV sizes of the negotiated IKE algorithms (RFC 7296 3.14, RFC 5282)
_IV = {"AES_CBC": 16, "CAMELLIA_CBC": 16, "3DES": 8, "DES": 8, "AES_CTR": 8, "AES_GCM": 8,
       "AES_CCM": 8, "CHACHA20_POLY1305": 8}
_ICV = {"MD5_96": 12, "SHA1_96": 12, "AES_XCBC_96": 12, "AES_CMAC_96": 12, "SHA2_256_128": 16,
        "SHA2_384_192": 24, "SHA2_512_256": 32}
# The smallest IKE_AUTH answer that creates a child SA: IDr (an IPv4 address: 12 bytes), AUTH
# (PSK with a SHA-1 PRF: 28), an SA with one proposal holding a SPI and one transform (24) and
# TSi/TSr with one IPv4 range each (24 + 24).  Padding only adds, so a smaller answer that starts
# with IDr cannot hold the child SA: it carries an error notify instead.
CHILD_MIN = 12 + 28 + 24 + 24 + 24


def _plaintext(sa: IkeSA, m: Sent) -> int:
    """Bytes inside the SK payload that are payloads and padding (header, IV, ICV removed)."""
    words: list[str] = []
    for x in sa.messages:
        if x.label == "IKE_SA_INIT" and not x.request and x.msg.proposals:
            words = [w for t in x.msg.proposals[0].transforms for w in t.words]
            break
    iv, icv = 16, 16
    for w in words:
        for name, size in _IV.items():
            if w.startswith(name):
                iv = size
                if name in ("AES_GCM", "AES_CCM"):
                    icv = int(w.split("_")[2]) if w.split("_")[2].isdigit() else 16
                elif name == "CHACHA20_POLY1305":
                    icv = 16
        if w in _ICV:
            icv = _ICV[w]
    return m.msg.length - 28 - 4 - iv - icv - 1


def _v2_informational(sa: IkeSA, out: _Out) -> None:
    unanswered: list[Sent] = []
    by_id: dict[tuple[str, int], list[Sent]] = {}
    for m in sa.messages:
        if m.label == "INFORMATIONAL":
            starter = m.sender if m.request else ("r" if m.sender == "i" else "i")
            by_id.setdefault((starter, m.msg.msgid), []).append(m)
    per_side: dict[str, list[Sent]] = {}
    for (starter, _mid), msgs in by_id.items():
        if all(m.request for m in msgs):
            per_side.setdefault(starter, []).extend(msgs)
    if per_side:
        unanswered = max(per_side.values(), key=len)
    if len(unanswered) >= 3:
        starter = unanswered[0].sender
        a, b = (sa.initiator, sa.responder) if starter == "i" else (sa.responder, sa.initiator)
        out.emit("capture: informational requests never answered", "ike-failure", (a, b),
                 unanswered[0], unanswered[-1], version=2,
                 detail=f"{len(unanswered)} requests from {a}, no response")


def _nat(sa: IkeSA, out: _Out) -> None:
    if sa.nat:
        first = sa.nat[0]
        who = sa.initiator if first.sender == "i" else sa.responder
        out.emit("capture: nat detected", "state", (sa.initiator, sa.responder), first,
                 version=sa.version,
                 detail=f"NAT-D of {who} does not match the addresses on the wire")


# -- IKEv1 ------------------------------------------------------------------------------------


def _ikev1(sa: IkeSA, out: _Out) -> None:
    pair = (sa.initiator, sa.responder)
    msgs = sa.messages
    # notifies in clear: who refused what
    for m in msgs:
        if m.msg.encrypted:
            continue
        for n in _errors(m):
            stage = _stage_of(sa, m.frame)
            detail = None
            if stage in ("main mode", "aggressive mode"):
                offered = _offered(sa, "MM" if stage == "main mode" else "AM")
                detail = f"offered: {offered}" if offered else None
            reqs = [x for x in msgs if x.sender != m.sender and x.frame < m.frame]
            reason = f"capture: notify {n.name} in {stage}"
            if (
                stage == "aggressive mode"
                and n.type in (18, 24)  # INVALID-ID-INFORMATION, AUTHENTICATION-FAILED
                and m.sender == "r"
                and not any(x.label == "AM2" for x in msgs)
            ):
                # the responder has not sent its own hash yet: nothing was verified, the
                # exchange itself (or the identity in AM1) was refused
                reason = "capture: aggressive mode refused before authentication"
                detail = f"{n.name} in answer to AM1; {detail or ''}".rstrip("; ")
            out.emit(reason, "notify", pair, m, *(reqs[-1:]), version=1, detail=detail)
    _phase1(sa, out, "MM", 6)
    _phase1(sa, out, "AM", 3)
    _quick(sa, out)
    _v1_informational(sa, out)


def _v1_informational(sa: IkeSA, out: _Out) -> None:
    """DPD (R-U-THERE, encrypted once phase 1 is up) from one side, nothing back."""
    phase1 = [m for m in sa.messages if m.label[:2] in ("MM", "AM")]
    if phase1 and not any(m.label in ("MM6", "AM3") for m in phase1):
        return  # phase 1 never completed: ``_phase1`` speaks about it
    for side in ("i", "r"):
        info = [m for m in sa.messages if m.label == "INFO" and m.sender == side]
        if len(info) < 3:
            continue
        since = info[-3].frame
        if any(m.sender != side and m.frame > since for m in sa.messages):
            continue  # the other end still talks
        a, b = (sa.initiator, sa.responder) if side == "i" else (sa.responder, sa.initiator)
        tail = [m for m in info if m.frame >= since]
        out.emit("capture: informational requests never answered", "ike-failure", (a, b),
                 tail[0], tail[-1], version=1,
                 detail=f"{len(tail)} informational messages (DPD) from {a}, nothing back")


def _phase1(sa: IkeSA, out: _Out, prefix: str, last: int) -> None:
    pair = (sa.initiator, sa.responder)
    steps = [m for m in sa.messages if m.label.startswith(prefix)]
    if not steps:
        return
    top = max(int(m.label[2:]) for m in steps)
    if top >= last or top == 1:
        return  # done; or never answered (``_pairs``)
    if any(_errors(m) for m in sa.messages if not m.msg.encrypted):
        return  # a clear notify already says why
    stuck = [m for m in steps if m.label == f"{prefix}{top}"]
    if prefix == "AM" and top == 2:
        wording = "capture: aggressive mode stops after am2"
    else:
        wording = f"capture: {'main' if prefix == 'MM' else 'aggressive'} mode stops after " \
                  f"{prefix.lower()}{top}"
    info = [m for m in sa.messages if m.label == "INFO" and m.frame > stuck[0].frame]
    detail = f"{len(stuck)} transmissions of {prefix}{top}"
    if info:
        who = "responder" if info[0].sender == "r" else "initiator"
        detail += f"; then an {'encrypted ' if info[0].msg.encrypted else ''}informational " \
                  f"message from the {who}"
    out.emit(wording, "ike-failure", pair, stuck[0], *stuck[1:2], *info[:1], stuck[-1],
             version=1, detail=detail)


def _quick(sa: IkeSA, out: _Out) -> None:
    pair = (sa.initiator, sa.responder)
    by_id: dict[int, list[Sent]] = {}
    for m in sa.messages:
        if m.label.startswith("QM"):
            by_id.setdefault(m.msg.msgid, []).append(m)
    for msgs in by_id.values():
        steps = {m.label for m in msgs}
        if "QM2" in steps:
            continue
        qm1 = [m for m in msgs if m.label == "QM1"]
        starter = qm1[0].sender
        info = [
            m for m in sa.messages
            if m.label == "INFO" and m.sender != starter and m.frame > qm1[0].frame
        ]
        if info:
            out.emit("capture: quick mode refused", "ike-failure", pair, info[0], qm1[0],
                     version=1, detail="QM1 answered by an informational message")
        elif len(qm1) >= 2:
            out.emit("capture: quick mode never answered", "ike-failure", pair, qm1[0],
                     qm1[-1], version=1, detail=f"{len(qm1)} transmissions of QM1")


# -- ESP and the overall verdict ----------------------------------------------------------


def _esp(tracker: Tracker, out: _Out) -> None:
    sas_of: dict[frozenset, list[IkeSA]] = {}
    for sa in tracker.order:
        sas_of.setdefault(frozenset((sa.initiator, sa.responder)), []).append(sa)
    for pair, flows in tracker.esp_pairs().items():
        a, b = pair
        ab = [f for f in flows if f.src == a]
        ba = [f for f in flows if f.src == b]
        for fwd, back, src, dst in ((ab, ba, a, b), (ba, ab, b, a)):
            n = sum(f.packets for f in fwd)
            run = tracker.runs.get((src, dst))
            if (
                back
                and run is not None
                and run.count >= ONE_WAY_LATER
                and (dst, src) in tracker.runs
            ):
                ev = Line(out.source, run.first, redact(summary(run.pkt)))
                out.emit("capture: esp in one direction only", "state", out.side(src, dst), ev,
                         detail=f"{run.count} ESP packets {src} > {dst} from frame {run.first} "
                         f"on, none back after frame {tracker.runs[(dst, src)].last}")
            if n >= ONE_WAY_MIN and not back:
                spis = ", ".join(f"0x{f.spi:08x} ({f.packets})" for f in fwd[:4])
                first = fwd[0]
                last = max(fwd, key=lambda f: f.last)
                out.emit("capture: esp in one direction only", "state", out.side(src, dst),
                         first, detail=f"{n} ESP packets {src} > {dst} (SPI {spis}), none back"
                         + (f" (last frame {last.last})" if last.last != first.first else ""))
        sas = sas_of.get(frozenset(pair), [])
        nat = any(sa.nat for sa in sas)
        raw = [f for f in flows if f.encap == "esp"]
        if nat and raw:
            out.emit("capture: esp not encapsulated across nat", "state", out.side(a, b), raw[0],
                     detail="NAT-D shows a NAT, yet ESP travels as IP protocol 50")
        if ab and ba:
            up = _established(sas)
            if up is not None:
                sa, ev = up
                prefix = "IKE_SA_INIT" if sa.version == 2 else ev.label[:2]
                offered = _offered(sa, prefix) or "?"
                chosen = _chosen(sa, prefix) or "?"
                # the messages that show the offer and the choice, the end of the exchange and
                # the first ESP each way
                shown = [m for m in sa.messages if m.label.startswith(prefix) and m.msg.proposals]
                out.emit("capture: tunnel established", "state", (sa.initiator, sa.responder),
                         ev, *shown[:2], ab[0], ba[0], version=sa.version,
                         detail=f"offered: {offered}; chosen: {chosen}")


def _established(sas: list[IkeSA]) -> tuple[IkeSA, Sent] | None:
    for sa in sas:
        for m in sa.messages:
            if sa.version == 2 and m.label == "IKE_AUTH" and not m.request and m.msg.inner != "N":
                return sa, m
            if sa.version == 1 and m.label in ("MM6", "AM3"):
                return sa, m
    return None
