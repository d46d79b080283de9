"""Cisco ASA configuration text -> statements, names, network objects and access lists.

The lexer (``statements``) turns ``show running-config`` text into top-level statements with
their sub-commands (indented, or unindented but in the block's own vocabulary, as pasted from
guides).  ``Objects`` resolves ``name``, ``object network``, ``object-group network`` (nested
``group-object``) to CIDR lists; ``acl_entries`` turns ``access-list NAME extended`` lines into
``model.Selector`` lists in configuration order.  Used by ``config/cisco_asa.py``.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from ..model import Line
from ..redact import redact
from .model import Selector

ANY = "0.0.0.0/0"
MAX_EXPANSION = 4096  # selectors one ACL line may expand to (object-group x object-group)

# block kind -> sub-command words accepted without indentation (guides paste them flat)
_CHILD_WORDS = {
    "interface": {"nameif", "security-level", "ip", "shutdown", "no", "description", "speed",
                  "duplex", "vlan", "switchport", "management-only", "channel-group"},
    "object": {"host", "subnet", "range", "fqdn", "description", "nat"},
    "object-group": {"network-object", "group-object", "description", "service-object",
                     "port-object", "protocol-object"},
    "ike-policy": {"authentication", "encryption", "encr", "hash", "group", "lifetime",
                   "integrity", "prf"},
    "ipsec-proposal": {"protocol"},
    "tunnel-group": {"ikev1", "ikev2", "pre-shared-key", "peer-id-validate", "isakmp",
                     "default-group-policy", "chain", "trust-point"},
}

PROTOCOLS = {"ip": None, "icmp": 1, "tcp": 6, "udp": 17, "gre": 47, "esp": 50, "ah": 51,
             "icmp6": 58, "ospf": 89, "pim": 103, "sctp": 132, "igmp": 2}
PORTS = {"ftp": 21, "ssh": 22, "telnet": 23, "smtp": 25, "domain": 53, "www": 80, "http": 80,
         "pop3": 110, "ntp": 123, "snmp": 161, "ldap": 389, "https": 443, "isakmp": 500,
         "syslog": 514, "ldaps": 636, "sqlnet": 1521, "rdp": 3389, "nat-t": 4500,
         "ipsec-nat-t": 4500, "tftp": 69, "bootps": 67, "bootpc": 68}


@dataclass
class Stmt:
    """One top-level command with its sub-commands (``children``)."""

    no: int  # 1-based line number
    words: list[str]
    children: list[Stmt] = field(default_factory=list)


def _block_kind(words: list[str]) -> str | None:
    w = [x.lower() for x in words]
    if w[0] in ("interface", "object", "object-group"):
        return w[0]
    if w[0] == "crypto" and len(w) >= 3 and w[2] == "policy" and w[1] in ("ikev1", "ikev2",
                                                                         "isakmp"):
        return "ike-policy"
    if w[:4] == ["crypto", "ipsec", "ikev2", "ipsec-proposal"]:
        return "ipsec-proposal"
    if w[0] == "tunnel-group" and len(w) >= 3 and w[2].endswith("-attributes"):
        return "tunnel-group"
    if w[0] == "group-policy" and len(w) >= 3 and w[2] == "attributes":
        return "group-policy"
    return None


def strip_prompt(text: str) -> str | None:
    """Drop a CLI prompt (``asa1(config)# cmd``); None for lines that are not configuration."""
    s = text.strip()
    if not s or s.startswith((":", "!", "Cryptochecksum", "Building configuration")):
        return None
    first = s.split(None, 1)[0]
    if first.endswith(("#", ">")) and len(first) > 1 and "(" not in first[:1]:
        rest = s[len(first):].strip()
        return rest or None
    return text.rstrip()


def statements(text: str) -> list[Stmt]:
    """Top-level statements in order; sub-commands attached to their block."""
    out: list[Stmt] = []
    block: Stmt | None = None
    kind: str | None = None
    for no, raw in enumerate(text.splitlines(), 1):
        if raw.strip().startswith("!"):
            block, kind = None, None
            continue
        line = strip_prompt(raw)
        if line is None:
            continue
        if line.strip() in ("exit", "end"):
            block, kind = None, None
            continue
        words = line.split()
        if not words:
            continue
        low = words[0].lower()
        if low in ("show", "more", "write", "configure", "conf", "end", "enable", "terminal"):
            if low != "enable" or len(words) == 1 or words[1] in ("password",):
                block, kind = None, None
                continue
        indented = line[:1] in (" ", "\t") and raw.strip() != ""
        if block is not None and (indented or _is_child(kind, words)):
            block.children.append(Stmt(no, words))
            continue
        st = Stmt(no, words)
        out.append(st)
        kind = _block_kind(words)
        block = st  # indented lines always belong to it; flat ones only to known blocks
    return out


def _is_child(kind: str | None, words: list[str]) -> bool:
    if kind is None:
        return False
    w0 = words[0].lower()
    vocab = _CHILD_WORDS.get(kind, set())
    if w0 == "no":
        return len(words) > 1 and words[1].lower() in vocab and kind == "interface"
    if w0 == "nat" and kind == "object":  # object NAT: nat (a,b) dynamic|static ...
        return len(words) > 2 and words[2].lower() in ("dynamic", "static")
    if w0 == "ip" and kind == "interface":
        return len(words) > 1 and words[1].lower() == "address"
    return w0 in vocab


def cidr(addr: str, mask: str) -> str | None:
    """``10.1.1.0 255.255.255.0`` -> ``10.1.1.0/24`` (host bits cleared); None if invalid."""
    try:
        return str(ipaddress.IPv4Network(f"{addr}/{mask}", strict=False))
    except ValueError:
        return None


def is_v4(tok: str) -> bool:
    try:
        ipaddress.IPv4Address(tok)
    except ValueError:
        return False
    return True


class Objects:
    """Names, network objects and object-groups of one configuration, resolved lazily."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.names: dict[str, str] = {}  # name -> address
        self.objects: dict[str, Stmt] = {}
        self.groups: dict[str, Stmt] = {}
        self.group_types: dict[str, str] = {}
        self.unresolved: list[Line] = []
        self.iface_addr: dict[str, str] = {}  # nameif -> address
        self._cache: dict[str, list[str]] = {}

    def addr(self, tok: str) -> str:
        return self.names.get(tok, tok)

    def _note(self, st: Stmt, text: str) -> None:
        self.unresolved.append(Line(self.source, st.no, redact(text)))

    def object_cidrs(self, name: str, depth: int = 0) -> list[str]:
        st = self.objects.get(name)
        if st is None:
            return []
        out: list[str] = []
        for ch in st.children:
            w = ch.words
            k = w[0].lower()
            if k == "host" and len(w) > 1:
                out.append(f"{self.addr(w[1])}/32" if is_v4(self.addr(w[1])) else w[1])
            elif k == "subnet" and len(w) > 2:
                c = cidr(self.addr(w[1]), w[2])
                if c:
                    out.append(c)
            elif k == "range" and len(w) > 2 and is_v4(w[1]) and is_v4(w[2]):
                lo, hi = ipaddress.IPv4Address(w[1]), ipaddress.IPv4Address(w[2])
                if lo <= hi:
                    out += [str(n) for n in ipaddress.summarize_address_range(lo, hi)]
            elif k == "fqdn":
                self._note(ch, " ".join(w))
        return out

    def group_cidrs(self, name: str, depth: int = 0) -> list[str]:
        if name in self._cache:
            return self._cache[name]
        st = self.groups.get(name)
        if st is None or depth > 16:  # nesting guard against loops
            return []
        out: list[str] = []
        for ch in st.children:
            w = ch.words
            k = w[0].lower()
            if k == "network-object" and len(w) > 1:
                if w[1] == "object" and len(w) > 2:
                    out += self.object_cidrs(w[2])
                elif w[1] == "host" and len(w) > 2:
                    out.append(f"{self.addr(w[2])}/32")
                elif len(w) > 2:
                    c = cidr(self.addr(w[1]), w[2])
                    if c:
                        out.append(c)
            elif k == "group-object" and len(w) > 1:
                out += self.group_cidrs(w[1], depth + 1)
        out = list(dict.fromkeys(out))
        self._cache[name] = out  # also bounds the work of repeated nesting
        return out

    def address(self, w: list[str], i: int) -> tuple[list[str] | None, int]:
        """Parse an ACL/NAT address at ``w[i]``: (CIDRs, next index); None CIDRs if unknown."""
        if i >= len(w):
            return None, i
        t = w[i].lower()
        if t in ("any", "any4"):
            return [ANY], i + 1
        if t == "any6":
            return None, i + 1
        if t == "host" and i + 1 < len(w):
            a = self.addr(w[i + 1])
            return ([f"{a}/32"] if is_v4(a) else None), i + 2
        if t == "object" and i + 1 < len(w):
            return self.object_cidrs(w[i + 1]) or None, i + 2
        if t == "object-group" and i + 1 < len(w):
            return self.group_cidrs(w[i + 1]) or None, i + 2
        if t == "interface" and i + 1 < len(w):
            a = self.iface_addr.get(w[i + 1])
            return ([f"{a}/32"] if a else None), i + 2
        a = self.addr(w[i])
        if is_v4(a) and i + 1 < len(w):
            c = cidr(a, w[i + 1])
            return ([c] if c else None), i + 2
        return None, i + 1


def _port(tok: str) -> int | None:
    if tok.isdecimal():
        return int(tok[:6])
    return PORTS.get(tok.lower())


def _ports(w: list[str], i: int) -> tuple[tuple[int, int] | None, int, bool]:
    """Port operator at ``w[i]`` -> (range, next index, understood)."""
    if i >= len(w):
        return None, i, True
    op = w[i].lower()
    if op == "eq" and i + 1 < len(w) and _port(w[i + 1]) is not None:
        p = _port(w[i + 1])
        return (p, p), i + 2, True  # type: ignore[return-value]
    if op == "range" and i + 2 < len(w):
        lo, hi = _port(w[i + 1]), _port(w[i + 2])
        if lo is not None and hi is not None:
            return (lo, hi), i + 3, True
    if op == "lt" and i + 1 < len(w) and _port(w[i + 1]):
        return (0, _port(w[i + 1]) - 1), i + 2, True  # type: ignore[operator]
    if op == "gt" and i + 1 < len(w) and _port(w[i + 1]) is not None:
        return (_port(w[i + 1]) + 1, 65535), i + 2, True  # type: ignore[operator]
    if op == "neq":
        return None, i + 2, False
    return None, i, True


def acl_entry(objs: Objects, st: Stmt, source: str) -> tuple[list[Selector], bool]:
    """One ``access-list NAME extended ...`` line -> selectors (object-groups expanded) and
    whether it was fully understood.  ``inactive`` entries give no selector."""
    w = st.words
    ev = Line(source, st.no, redact(" ".join(w)))
    if len(w) < 5 or w[2].lower() != "extended":
        return [], False
    action = w[3].lower()
    if action not in ("permit", "deny") or "inactive" in (x.lower() for x in w):
        return [], action in ("permit", "deny")
    i = 4
    proto_tok = w[i].lower()
    ok = True
    if proto_tok in PROTOCOLS:
        proto = PROTOCOLS[proto_tok]
        i += 1
    elif proto_tok.isdecimal():
        proto = int(proto_tok[:4]) or None
        i += 1
    else:  # object / object-group service: protocol and ports not modelled
        proto, ok = None, False
        i += 2
    src, i = objs.address(w, i)
    sp, i, ok1 = _ports(w, i) if proto in (6, 17) else (None, i, True)
    dst, i = objs.address(w, i)
    dp, i, ok2 = _ports(w, i) if proto in (6, 17) else (None, i, True)
    if src is None or dst is None:
        return [], False
    if len(src) * len(dst) > MAX_EXPANSION:  # keep the work bounded; the caller notes the line
        ok = False
        src = src[: max(1, MAX_EXPANSION // max(1, len(dst)))]
        dst = dst[:MAX_EXPANSION]
    out = [
        Selector(action=action, src=s, dst=d, protocol=proto, src_ports=sp, dst_ports=dp, ev=ev)
        for s in src
        for d in dst
    ]
    return out, ok and ok1 and ok2
