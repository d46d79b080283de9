"""``display acl <number|name|all>`` (also ``display acl ipv6 ...``): ACLs and their rules in order.

Output shapes (seed 002 and 003 cases, VRP/USG manuals)::

     Total quantity of nonempty ACL number is 3                 (display acl all)
    Advanced ACL 3100, 1 rule ( Reference counter 1 )
    Basic ACL 2000, 7 rules
    Advanced ACL NAT_OUT 3300, 4 rules                          (a named, numbered ACL)
    Advanced IPv6 ACL 3344, 1 rule, match-order is auto
    Acl's step is 5
     rule 5 permit ip source 10.1.2.0 0.0.0.255 destination 10.1.1.0 0.0.0.255 (0 times matched)
     rule 10 permit ip (4 matches)
     rule 5 permit source 192.0.2.10 0 (12 matches)             (basic ACL: source only)
     rule 15 deny tcp destination 198.51.0.0 0.0.255.255 destination-port range 50 80
     rule 10 deny tcp destination 203.0.113.80 0 destination-port eq www
     rule 5 permit ipv6 destination 2001:db8::/64
     rule 5 permit ip source 10.1.1.0 0.0.0.255 destination 10.1.2.0 0.0.0.255 (0 ti
    mes matched)                                                (cut by the terminal, seed 003)
     rule 10 permit ip
    (0 matches)                                                 (count on its own line, seed 002)

A line that is none of these right after a rule is the rule's continuation: it is joined to the
rule (without a blank, as a terminal cuts lines, or with one, whichever reads as a rule).
``match count`` is None when not printed.  Wildcards are kept as dotted masks (``0`` means a
host: ``0.0.0.0``); ``any`` or no address is None.  ``......`` elisions and Markdown fences of
the documents are skipped.

Facts: one ``Acl`` per ACL (its ``rules`` in display order, which is the match order) and one
``AclOutput`` per command output (``acls`` = 0 when the ACL does not exist or is empty).
Address tests (``AclRule.covers`` / ``overlaps`` / ``matches_address``, ``Acl.first_match`` /
``permits`` / ``overlapping``) use ``ipaddress`` and wildcard masks, so non-contiguous wildcards
work too; a rule whose wildcard was cut off (``complete`` False) never matches an address.
"""

from __future__ import annotations

import ipaddress

import msgspec

from ...ingest.prompts import command_matches, command_tokens
from ...model import Line, State
from ..base import Context
from ..util import is_digits, is_ip
from .firewall_session import parse_int, strip_note

_PROTOCOLS = frozenset(
    "ip ipv6 tcp udp icmp icmpv6 gre ospf igmp ipinip esp ah sctp pim rsvp vrrp".split()
)
# Well-known port names VRP prints instead of numbers (also read by config/huawei_words.py).
PORT_NAMES = {
    "ftp-data": 20,
    "ftp": 21,
    "ssh": 22,
    "telnet": 23,
    "smtp": 25,
    "domain": 53,
    "dns": 53,
    "bootps": 67,
    "bootpc": 68,
    "tftp": 69,
    "www": 80,
    "http": 80,
    "pop3": 110,
    "ntp": 123,
    "snmp": 161,
    "snmptrap": 162,
    "bgp": 179,
    "https": 443,
    "syslog": 514,
    "isakmp": 500,
    "rip": 520,
    "nat-t": 4500,
}
_KEYWORDS = frozenset(
    """source destination source-port destination-port vpn-instance time-range logging fragment
    none-first-fragment fragment-type icmp-type tcp-flag dscp tos precedence ttl ttl-expired
    source-pool destination-pool counting description packet-length""".split()
)
_ONE_VALUE = frozenset(
    "fragment-type dscp tos precedence source-pool destination-pool packet-length ttl".split()
)
# words before "ACL" in a header: "Basic", "Advanced", "Layer 2", "User", "Ethernet frame" ...
_ACL_TYPES = frozenset("basic advanced layer 2 layer2 user ethernet frame mpls interface".split())
_MAX_RULES = 100000
_MAX_JOIN = 512  # a rule longer than this is not a rule being continued


class PortMatch(msgspec.Struct, frozen=True):
    """``eq 80`` -> (eq, 80, 80); ``range 50 80``; ``gt 1023`` -> (gt, 1024, 65535); ``neq``."""

    op: str
    low: int | None
    high: int | None
    text: str

    def matches(self, port: int) -> bool:
        if self.low is None or self.high is None:
            return False
        if self.op == "neq":
            return port != self.low
        return self.low <= port <= self.high


def _port(tok: str) -> int | None:
    if is_digits(tok) and len(tok) <= 5:
        return int(tok)
    return PORT_NAMES.get(tok.lower())


def _netmask(addr: str, wild: str | None) -> tuple[int, int, int] | None:
    """(version, base, wildcard) as integers; None when unreadable."""
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return None
    width = ip.max_prefixlen
    full = (1 << width) - 1
    if wild is None:
        w = 0
    elif is_digits(wild) and len(wild) <= 3 and int(wild) <= width and "." not in wild:
        w = 0 if wild == "0" else full >> int(wild)  # a prefix length (IPv6 "34::/128" form)
    else:
        try:
            w = int(ipaddress.ip_address(wild))
        except ValueError:
            return None
    return ip.version, int(ip), w & full


def _network(value: str) -> tuple[int, int, int] | None:
    """An address or prefix to test: (version, network, host bits)."""
    try:
        net = ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        return None
    return net.version, int(net.network_address), int(net.hostmask)


class AclRule(msgspec.Struct, kw_only=True):
    """One rule.  ``source``/``destination`` None means any; ``order`` is the 1-based position."""

    ev: Line
    order: int
    rule_id: int | None
    action: str  # "permit" / "deny"
    protocol: str | None = None  # None for basic ACLs (any IP)
    source: str | None = None
    source_wildcard: str | None = None
    source_set: str | None = None  # "address-set NAME" (USG)
    destination: str | None = None
    destination_wildcard: str | None = None
    destination_set: str | None = None
    source_port: PortMatch | None = None
    destination_port: PortMatch | None = None
    vpn_instance: str | None = None
    time_range: str | None = None
    logging: bool = False
    matches: int | None = None  # "(N matches)" / "(N times matched)"; None when not shown
    options: tuple[str, ...] = ()  # other keywords, as printed
    complete: bool = True  # every token understood (False: truncated or unfamiliar rule)
    extra: tuple[Line, ...] = ()  # continuation lines (a rule cut by the terminal)

    @property
    def permit(self) -> bool:
        return self.action == "permit"

    # -- address tests ----------------------------------------------------------------------
    def _side(self, side: str) -> tuple[int, int, int] | bool | None:
        """Integer form of one side; True = any address; None = not testable (address set)."""
        addr = self.source if side == "source" else self.destination
        wild = self.source_wildcard if side == "source" else self.destination_wildcard
        named = self.source_set if side == "source" else self.destination_set
        if named is not None:
            return None
        if addr is None:
            return True
        if wild is None:
            return None
        return _netmask(addr, wild)

    def _test(self, side: str, value: str | None, how: str) -> bool:
        if value is None:  # the caller does not care about this side
            return True
        mine = self._side(side)
        if mine is True:
            return True
        if mine is None or mine is False:
            return False
        other = _network(value)
        if other is None or other[0] != mine[0]:
            return False
        _, base, wild = mine
        _, net, host = other
        fixed = ~wild
        if how == "covers":  # every address of value matches
            return (host & fixed) == 0 and (net & fixed) == (base & fixed)
        # overlaps: some address of value matches (bits fixed by both must agree)
        return ((net ^ base) & fixed & ~host) == 0

    def covers(self, source: str | None = None, destination: str | None = None) -> bool:
        """Every address of ``source`` and of ``destination`` (address or prefix) matches."""
        return self._test("source", source, "covers") and self._test(
            "destination", destination, "covers"
        )

    def overlaps(self, source: str | None = None, destination: str | None = None) -> bool:
        """Some address of ``source`` and some of ``destination`` match."""
        return self._test("source", source, "overlaps") and self._test(
            "destination", destination, "overlaps"
        )

    def matches_address(self, source: str | None = None, destination: str | None = None) -> bool:
        """A packet from ``source`` to ``destination`` (single addresses) matches this rule's
        addresses (ports and protocol are not looked at)."""
        return self.covers(source, destination)

    def carries(self, protocol: str | None) -> bool:
        """Does the rule's protocol include ``protocol`` (``ip`` includes all)?"""
        if protocol is None or self.protocol is None or self.protocol in ("ip", "ipv6"):
            return True
        return self.protocol == protocol.lower()


class Acl(State, kw_only=True):
    """One ACL: number and/or name, type, and its rules in match order."""

    number: int | None = None
    name: str | None = None
    type: str  # "basic", "advanced", "layer2", "user", ... (lower-case, as printed)
    ipv6: bool = False
    rule_count: int | None = None  # as printed in the header
    step: int | None = None
    references: int | None = None  # "( Reference counter N )"
    match_order: str | None = None  # "auto" / "config" when printed
    description: str | None = None
    rules: tuple[AclRule, ...] = ()

    def rule(self, rule_id: int) -> AclRule | None:
        return next((r for r in self.rules if r.rule_id == rule_id), None)

    def first_match(
        self,
        source: str | None = None,
        destination: str | None = None,
        protocol: str | None = None,
    ) -> AclRule | None:
        """The first rule (in match order) whose addresses take all of ``source`` ->
        ``destination``: what the device decides for that traffic."""
        for r in self.rules:
            if r.carries(protocol) and r.covers(source, destination):
                return r
        return None

    def permits(self, source: str | None = None, destination: str | None = None) -> bool | None:
        """True/False by the first matching rule; None when no rule matches (implicit end)."""
        r = self.first_match(source, destination)
        return None if r is None else r.permit

    def overlapping(
        self, source: str | None = None, destination: str | None = None
    ) -> tuple[AclRule, ...]:
        """Rules that take part of ``source`` -> ``destination``."""
        return tuple(r for r in self.rules if r.overlaps(source, destination))


class AclOutput(State, kw_only=True):
    """One ``display acl`` output."""

    requested: str | None = None  # "3100", "all", a name
    acls: int = 0
    total: int | None = None  # "Total quantity of nonempty ACL number is N"
    message: str | None = None  # an Error:/Info: line instead of an ACL


# -- parsing ---------------------------------------------------------------------------------


def parse_header(text: str) -> dict | None:
    """``Advanced ACL 3100, 1 rule ( Reference counter 1 )`` and variants."""
    head, _, tail = text.partition(",")
    words = head.split()
    idx = next((i for i, w in enumerate(words) if w.upper() == "ACL"), -1)
    if idx < 1 or idx > 4 or not tail:
        return None
    out: dict = {}
    kinds = [w.lower() for w in words[:idx]]
    out["ipv6"] = "ipv6" in kinds
    kinds = [k for k in kinds if k != "ipv6"]
    if not kinds or not all(k in _ACL_TYPES for k in kinds):
        return None
    count = tail.replace(",", " ").split()
    if not count or not is_digits(count[0]) or count[1:2] not in (["rule"], ["rules"]):
        return None
    out["type"] = "".join(kinds)  # "layer 2" -> "layer2"
    rest = words[idx + 1 :]
    if rest and rest[0].lower() == "name":
        rest = rest[1:]
    if rest and is_digits(rest[-1]) and len(rest[-1]) <= 20:
        out["number"] = int(rest[-1])
        rest = rest[:-1]
    if rest:
        out["name"] = " ".join(rest)
    if "number" not in out and "name" not in out:
        return None
    low = tail.lower()
    if "rule" not in low:
        return None
    out["rule_count"] = parse_int(tail.strip())
    if "match-order is" in low:
        out["match_order"] = low.split("match-order is", 1)[1].split()[0].strip(",()")
    if "reference counter" in low:
        out["references"] = parse_int(low.split("reference counter", 1)[1].strip())
    return out


def _strip_counts(text: str) -> tuple[str, int | None, bool]:
    """Cut trailing ``(...)`` groups: (rule text, match count, unclosed group at the end)."""
    count: int | None = None
    body = text.rstrip()
    for _ in range(4):
        if not body.endswith(")"):
            break
        i = body.rfind("(")
        if i == -1:
            break
        inner = body[i + 1 : -1].strip()
        low = inner.lower()
        if "match" in low:
            count = parse_int(inner)
            if count is None:
                count = next((int(t) for t in low.split() if is_digits(t) and len(t) <= 20), None)
        elif low not in ("active", "inactive"):
            break
        body = body[:i].rstrip()
    i = body.rfind("(")
    if i != -1 and ")" not in body[i:]:  # "(0 ti": cut by the terminal or a truncated paste
        return body[:i].rstrip(), count, True
    return body, count, False


def parse_rule(text: str) -> tuple[dict, int] | None:
    """(rule fields, number of tokens not understood); None if ``text`` is not a rule."""
    body, count, unclosed = _strip_counts(text)
    toks = body.split()
    if len(toks) < 2 or toks[0].lower() != "rule":
        return None
    i = 1
    out: dict = {"matches": count}
    if is_digits(toks[i]) and len(toks[i]) <= 20:
        out["rule_id"] = int(toks[i])
        i += 1
    else:
        out["rule_id"] = None
    if i >= len(toks) or toks[i].lower() not in ("permit", "deny"):
        return None
    out["action"] = toks[i].lower()
    i += 1
    unknown = 1 if unclosed else 0
    if i < len(toks):
        p = toks[i].lower()
        if p in _PROTOCOLS or (is_digits(p) and len(p) <= 3 and int(p) <= 255):
            out["protocol"] = p
            i += 1
    options: list[str] = []
    n = len(toks)
    while i < n:
        k = toks[i].lower()
        i += 1
        if k in ("source", "destination"):
            if i >= n:
                unknown += 1
                break
            v = toks[i]
            i += 1
            if v.lower() == "any":
                continue
            if v.lower() == "address-set" and i < n:
                out[f"{k}_set"] = toks[i]
                i += 1
                continue
            addr, sep, plen = v.partition("/")
            if not is_ip(addr):
                unknown += 1
                continue
            out[k] = addr
            if sep:
                out[f"{k}_wildcard"] = _wild_from_len(addr, plen)
                if out[f"{k}_wildcard"] is None:
                    unknown += 1
            elif i < n and (is_ip(toks[i]) or toks[i] == "0"):
                out[f"{k}_wildcard"] = _wild_text(addr, toks[i])
                i += 1
            else:  # no wildcard: a truncated rule; the address alone cannot be tested
                unknown += 1
                if i < n and toks[i].lower() not in _KEYWORDS:
                    i += 1
        elif k in ("source-port", "destination-port"):
            pm, i = _ports(toks, i)
            if pm is None:
                unknown += 1
            else:
                out[k.replace("-", "_")] = pm
        elif k == "vpn-instance" and i < n:
            out["vpn_instance"] = toks[i]
            i += 1
        elif k == "time-range" and i < n:
            out["time_range"] = toks[i]
            i += 1
        elif k == "logging":
            out["logging"] = True
        elif k in _ONE_VALUE and i < n:
            options.append(f"{k} {toks[i]}")
            i += 1
        elif k == "icmp-type" and i < n:
            j = i + 1
            while j < n and j < i + 2 and is_digits(toks[j]):
                j += 1
            options.append(" ".join(toks[i - 1 : j]))
            i = j
        elif k == "tcp-flag":
            j = i
            while j < n and toks[j].lower() not in _KEYWORDS and j < i + 8:
                j += 1
            options.append(" ".join(toks[i - 1 : j]))
            i = j
        elif k in _KEYWORDS:
            options.append(k)
        else:
            unknown += 1
            options.append(toks[i - 1])
    out["options"] = tuple(options)
    out["complete"] = unknown == 0
    return out, unknown


def _wild_text(addr: str, wild: str) -> str:
    """Wildcard as printed -> dotted form (``0`` is a host)."""
    if wild == "0":
        return "::" if ":" in addr else "0.0.0.0"
    return wild


def _wild_from_len(addr: str, plen: str) -> str | None:
    try:
        net = ipaddress.ip_network(f"{addr}/{plen}", strict=False)
    except ValueError:
        return None
    return str(net.hostmask)


def _ports(toks: list[str], i: int) -> tuple[PortMatch | None, int]:
    n = len(toks)
    if i >= n:
        return None, i
    op = toks[i].lower()
    if op == "range" and i + 2 < n:
        lo, hi = _port(toks[i + 1]), _port(toks[i + 2])
        return PortMatch("range", lo, hi, " ".join(toks[i : i + 3])), i + 3
    if op in ("eq", "gt", "lt", "neq") and i + 1 < n:
        p = _port(toks[i + 1])
        text = " ".join(toks[i : i + 2])
        if p is None:
            return PortMatch(op, None, None, text), i + 2
        if op == "gt":
            return PortMatch(op, p + 1, 65535, text), i + 2
        if op == "lt":
            return PortMatch(op, 0, p - 1, text), i + 2
        return PortMatch(op, p, p, text), i + 2
    return None, i


class _Block:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.first: Line | None = None
        self.first_text: Line | None = None
        words = ctx.command.split("|", 1)[0].split()
        rest = [w for w in words[2:] if w.lower() not in ("ipv6", "name")]
        ours = command_matches(command_tokens(ctx.command), ("display", "acl"))
        self.requested = rest[0] if rest and ours else None
        self.total: int | None = None
        self.total_line: Line | None = None
        self.message: str | None = None
        self.message_line: Line | None = None
        self.acls = 0
        self.acl: dict | None = None
        self.acl_lines: dict[str, Line] = {}
        self.acl_ev: Line | None = None
        self.rules: list[AclRule] = []
        # the last rule, still open for a continuation line: (joined text, first line, extras)
        self.open_rule: tuple[str, Line, tuple[Line, ...]] | None = None

    # -- rules ------------------------------------------------------------------------------
    def _make_rule(self, text: str, ev: Line, extra: tuple[Line, ...]) -> AclRule | None:
        got = parse_rule(text)
        if got is None:
            return None
        fields, _unknown = got
        return AclRule(ev=ev, order=len(self.rules) + 1, extra=extra, **fields)

    def _close_rule(self) -> None:
        if self.open_rule is None:
            return
        text, ev, extra = self.open_rule
        self.open_rule = None
        rule = self._make_rule(text, ev, extra)
        if rule is not None and len(self.rules) < _MAX_RULES:
            self.rules.append(rule)

    def _continue_rule(self, text: str, ev: Line) -> bool:
        """Try ``text`` as the rest of the open rule."""
        if self.open_rule is None:
            return False
        prev, first, extra = self.open_rule
        if len(prev) + len(text) > _MAX_JOIN:
            return False
        base = parse_rule(prev)
        base_unknown = base[1] if base else 99
        best: tuple[int, str] | None = None
        for joined in (prev + text, prev + " " + text):
            got = parse_rule(joined)
            if got is None:
                continue
            _fields, unknown = got
            if unknown <= base_unknown and (best is None or unknown < best[0]):
                best = (unknown, joined)
        if best is None:
            return False
        self.open_rule = (best[1], first, (*extra, ev))
        return True

    # -- ACLs -------------------------------------------------------------------------------
    def _flush_acl(self) -> None:
        self._close_rule()
        if self.acl is None or self.acl_ev is None:
            self.rules = []
            return
        self.acls += 1
        self.ctx.emit(
            Acl(
                vendor="huawei",
                family="acl",
                ev=self.acl_ev,
                device=self.ctx.device,
                lines=self.acl_lines,
                rules=tuple(self.rules),
                **self.acl,
            )
        )
        self.acl, self.acl_lines, self.acl_ev, self.rules = None, {}, None, []

    def feed(self, ev: Line) -> bool:
        if self.first is None:
            self.first = ev
        text = strip_note(ev.text).strip()
        if not text or text.startswith("```") or not text.strip("."):
            return True
        if self.first_text is None:
            self.first_text = ev
        low = text.lower()
        if low.startswith("rule ") or low.startswith("rule\t"):
            got = parse_rule(text)
            if got is not None and self.acl is not None:
                self._close_rule()
                self.open_rule = (text, ev, ())
                return True
            if self.acl is not None and low.split()[2:3] == ["description"]:
                return True  # "rule 5 description ..." (kept with no field)
            if got is None and self._continue_rule(text, ev):
                return True
            return False
        header = parse_header(text) if "acl" in low else None
        if header is not None:
            self._flush_acl()
            self.acl, self.acl_lines, self.acl_ev = header, {"header": ev}, ev
            return True
        if low.startswith(("acl's step", "acl step")):
            self._close_rule()
            if self.acl is not None:
                self.acl["step"] = parse_int(text.rsplit(" ", 1)[-1])
                self.acl_lines["step"] = ev
            return True
        if low.startswith("total") and "acl" in low:
            self.total = parse_int(text.rsplit(" ", 1)[-1])
            self.total_line = ev
            return True
        if low.startswith("description") and self.acl is not None and self.open_rule is None:
            self.acl["description"] = text.partition(":")[2].strip() or None
            self.acl_lines["description"] = ev
            return True
        if low.startswith(("error:", "info:", "warning:")):
            if self.message is None:
                self.message = text.partition(":")[2].strip()
                self.message_line = ev
            return True
        if self._continue_rule(text, ev):
            return True
        return False

    def close(self) -> None:
        self._flush_acl()
        ev = self.ctx.prompt or self.first_text or self.first
        if ev is None:
            return
        lines: dict[str, Line] = {}
        if self.total_line is not None:
            lines["total"] = self.total_line
        if self.message_line is not None:
            lines["message"] = self.message_line
        self.ctx.emit(
            AclOutput(
                vendor="huawei",
                family="acl-output",
                ev=ev,
                device=self.ctx.device,
                requested=self.requested,
                acls=self.acls,
                total=self.total,
                message=self.message,
                lines=lines,
            )
        )


class AclParser:
    name = "huawei.display-acl"
    vendor = "huawei"
    log_like = False
    priority = 100
    commands = (("display", "acl"),)

    def accepts(self, text: str) -> bool:
        head = text[:200].strip()
        low = head.lower()
        if low.startswith(("total quantity of nonempty acl", "total nonempty acl")):
            return True
        if " acl " not in f" {low} " or "rule" not in low:
            return False
        return parse_header(head) is not None

    def start(self, ctx: Context) -> _Block:
        return _Block(ctx)


PARSERS = (AclParser,)
