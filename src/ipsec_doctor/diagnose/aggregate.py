"""Aggregation of facts per device and peer, with bounded memory.

Millions of log lines collapse into one ``Tally`` per (device, peer, vendor reason): a count, the
first and last time, and a few evidence lines (the first ``KEEP_FIRST`` and the last
``KEEP_LAST``).  ``Aggregate.merge`` combines partial aggregates, so the same code runs per file,
per partition of a distributed job, or per stream window.
"""

from __future__ import annotations

import ipaddress
from collections import deque
from dataclasses import dataclass, field

from ..kb import KB, normalize
from ..kb.schema import Entry
from ..model import Fact, Line, Signal, State, Unparsed

KEEP_FIRST = 3
KEEP_LAST = 2
MAX_UNPARSED = 50
MAX_GROUPS = 50_000  # distinct (device, peer, reason) keys kept; the rest only counted
MAX_STATES = 20_000  # state/config records kept (display outputs are small; logs carry none)
MAX_MEMO = 4096  # distinct signal wordings whose knowledge-base lookup is remembered


@dataclass
class Tally:
    """All occurrences of one vendor reason for one device and peer."""

    vendor: str
    reason: str  # normalised wording as seen
    kind: str
    entry_id: str | None  # knowledge-base entry, None when the wording is unknown
    wording: str = ""  # the wording as the device printed it (first occurrence), for people
    count: int = 0
    first: str | None = None
    last: str | None = None
    head: list[Line] = field(default_factory=list)
    tail: deque = field(default_factory=lambda: deque(maxlen=KEEP_LAST))
    ports: set[int] = field(default_factory=set)
    versions: set[str] = field(default_factory=set)
    details: set[str] = field(default_factory=set)
    families: set[str] = field(default_factory=set)

    def add(self, s: Signal) -> None:
        self.count += 1
        t = s.time
        if t:
            first = self.first
            if first is None or t < first:
                self.first = t
            last = self.last
            if last is None or t > last:
                self.last = t
        head = self.head
        if s.extra:
            for ev in (s.ev, *s.extra):
                if len(head) < KEEP_FIRST:
                    head.append(ev)
                else:
                    self.tail.append(ev)
        elif len(head) < KEEP_FIRST:
            head.append(s.ev)
        else:
            self.tail.append(s.ev)
        if s.port is not None and len(self.ports) < 8:
            self.ports.add(s.port)
        if s.version and len(self.versions) < 4:
            self.versions.add(s.version)
        if s.detail and len(self.details) < 8:
            self.details.add(s.detail)
        self.families.add(s.family)

    def merge(self, o: Tally) -> None:
        self.count += o.count
        for t in (o.first, o.last):
            if t is not None:
                self.first = t if self.first is None or t < self.first else self.first
                self.last = t if self.last is None or t > self.last else self.last
        lines = self.head + list(self.tail) + o.head + list(o.tail)
        self.head = lines[:KEEP_FIRST]
        self.tail = deque(lines[KEEP_FIRST:][-KEEP_LAST:], maxlen=KEEP_LAST)
        self.ports |= o.ports
        self.versions |= o.versions
        self.details |= o.details
        self.families |= o.families

    def lines(self) -> list[Line]:
        return self.head + list(self.tail)


GroupKey = tuple[str | None, str | None]  # (device, peer)


@dataclass
class Aggregate:
    """Tallies per (device, peer) and the unparsed lines worth showing."""

    groups: dict[GroupKey, dict[str, Tally]] = field(default_factory=dict)
    unparsed: list[Line] = field(default_factory=list)
    signals: int = 0
    dropped: int = 0
    keys: int = 0  # tallies held, bounded by MAX_GROUPS
    states: list[State] = field(default_factory=list)
    # (kb, {(vendor, reason, detail, code, kind): (key, reason, kind, entry id)}): what a signal's
    # wording resolves to, memoised (logs repeat a handful of wordings); bounded
    _memo: tuple = field(default_factory=lambda: (None, {}), init=False, repr=False, compare=False)

    def add(self, fact: Fact, kb: KB) -> None:
        if type(fact) is not Signal:
            if isinstance(fact, Unparsed):
                if len(self.unparsed) < MAX_UNPARSED:
                    self.unparsed.append(fact.ev)
                return
            if isinstance(fact, State):
                if len(self.states) < MAX_STATES:
                    self.states.append(fact)
                else:
                    self.dropped += 1
                return
        self.signals += 1
        memo_kb, memo = self._memo
        if memo_kb is not kb:
            memo = {}
            self._memo = (kb, memo)
        mk = (fact.vendor, fact.reason, fact.detail, fact.code, fact.kind)
        hit = memo.get(mk)
        if hit is None:
            entry = _entry_for(fact, kb)
            reason = normalize(fact.reason)
            hit = (
                entry.id if entry is not None else f"?{fact.vendor}:{reason}",
                reason,
                entry.kind if entry is not None else fact.kind,
                entry.id if entry is not None else None,
            )
            if len(memo) >= MAX_MEMO:
                memo.clear()
            memo[mk] = hit
        key = hit[0]
        group = self.groups.get((fact.device, fact.peer))
        if group is None:
            if self.keys >= MAX_GROUPS:
                self.dropped += 1
                return
            group = self.groups[(fact.device, fact.peer)] = {}
        tally = group.get(key)
        if tally is None:
            if self.keys >= MAX_GROUPS:
                self.dropped += 1
                return
            tally = group[key] = Tally(
                vendor=fact.vendor,
                reason=hit[1],
                kind=hit[2],
                entry_id=hit[3],
                wording=" ".join(fact.reason.split())[:200],
            )
            self.keys += 1
        tally.add(fact)

    def merge(self, other: Aggregate) -> Aggregate:
        for gk, tallies in other.groups.items():
            mine = self.groups.setdefault(gk, {})
            for k, t in tallies.items():
                if k in mine:
                    mine[k].merge(t)
                else:
                    mine[k] = t
        self.unparsed = (self.unparsed + other.unparsed)[:MAX_UNPARSED]
        self.states = (self.states + other.states)[:MAX_STATES]
        self.signals += other.signals
        self.dropped += other.dropped
        self.keys = sum(len(g) for g in self.groups.values())
        return self

    def join_nat_aliases(self) -> dict[str, str]:
        """Join a private-address peer into the public peer it is a NAT alias of.

        Behind NAT the same initiator shows up twice: under its translated public address and,
        where the device reports the address found in the ID payload, under its private one.
        Both carry the same translated source port (not 500/4500).  Returns alias -> peer.
        """
        aliases: dict[str, str] = {}
        for device, peer in list(self.groups):
            if peer is None or not is_behind_nat_address(peer):
                continue
            ports = _odd_ports(self.groups[(device, peer)])
            if not ports:
                continue
            mates = [
                p
                for (d, p) in self.groups
                if d == device
                and p
                and p != peer
                and not is_behind_nat_address(p)
                and ports & _odd_ports(self.groups[(d, p)])
            ]
            if len(mates) == 1:
                target = self.groups[(device, mates[0])]
                for k, t in self.groups.pop((device, peer)).items():
                    if k in target:
                        target[k].merge(t)
                    else:
                        target[k] = t
                aliases[peer] = mates[0]
        return aliases

    def fold_peerless(self) -> None:
        """Give peer-less signals (debug lines without an address) to the device's only peer."""
        for device in {d for d, _ in self.groups}:
            peers = [p for d, p in self.groups if d == device and p is not None]
            if len(peers) == 1 and (device, None) in self.groups:
                loose = self.groups.pop((device, None))
                target = self.groups[(device, peers[0])]
                for k, t in loose.items():
                    if k in target:
                        target[k].merge(t)
                    else:
                        target[k] = t


def _odd_ports(tallies: dict[str, Tally]) -> set[int]:
    return {p for t in tallies.values() for p in t.ports if p not in (500, 4500)}


def is_behind_nat_address(addr: str | None) -> bool:
    """RFC 1918, shared (CGNAT) and unique-local space: addresses that sit behind NAT.

    Not ``ipaddress.is_private``, which also counts the documentation ranges."""
    try:
        ip = ipaddress.ip_address(addr or "")
    except ValueError:
        return False
    return any(ip in net for net in _BEHIND_NAT if net.version == ip.version)


_BEHIND_NAT = tuple(
    ipaddress.ip_network(n)
    for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7")
)


def _entry_for(s: Signal, kb: KB) -> Entry | None:
    """The finer wording (verbose ``Detail``) wins over the coarse reason when both are known."""
    if s.detail and s.detail != "truncated":
        e = kb.lookup(s.vendor, s.detail)
        if e is not None:
            return e
    return kb.lookup(s.vendor, s.reason, s.code)
