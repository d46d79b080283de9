"""Cisco IOS / IOS-XE configuration text -> an indentation tree, plus the small word tables and
ACL reader shared by ``config/cisco_ios.py``.

The tree is a plain indentation walk (no third-party parser: running-configs are strictly
indented, and a few lines of code keep cold start fast).  Configurations pasted from guides are
often *not* indented (``crypto map CM 10 ipsec-isakmp`` then ``set peer ...`` at column 0); a
column-0 line that can only be a sub-command of the block just opened (``set``/``match`` after a
crypto map, ``encr`` after an ISAKMP policy, ``ip address`` after an interface ...) is attached to
that block until a ``!`` or a real global command closes it.

Every line kept is redacted (``redact.redact``) and then masked once more for the two IOS key
forms the shared redactor does not know (``authentication local pre-share key K`` in an IKEv2
profile, ``key K`` in an ISAKMP client group).
"""

from __future__ import annotations

import ipaddress

from ..model import Line
from ..redact import MASK, redact
from .model import Selector

# ----------------------------------------------------------------------------- tree


class Node:
    """One configuration line with its sub-commands."""

    __slots__ = ("children", "no", "raw", "text", "words")

    def __init__(self, no: int, raw: str, text: str) -> None:
        self.no = no
        self.raw = raw  # the line as written (may hold a key: never store it)
        self.text = text  # stripped
        self.words = text.split()
        self.children: list[Node] = []


# sub-commands a column-0 line may be (only then is it attached to the open block)
_SUB = {
    "interface": (
        "ip address",
        "no ip address",
        "ip nat inside",
        "ip nat outside",
        "crypto map",
        "shutdown",
        "no shutdown",
        "no shut",
        "description",
        "tunnel ",
        "ip mtu",
        "ip tcp",
        "duplex",
        "speed",
        "ip virtual-reassembly",
        "ipv6 ",
        "negotiation",
        "ip nhrp",
        "encapsulation",
        "ip access-group",
        "ip vrf forwarding",
        "vrf forwarding",
        "mtu",
        "clock rate",
        "ip unnumbered",
        "peer default",
    ),
    "crypto isakmp policy": ("encr", "encryption", "hash", "authentication", "group", "lifetime"),
    "crypto keyring": ("pre-shared-key", "local-address", "description", "rsa-pubkey"),
    "crypto isakmp profile": (
        "keyring",
        "self-identity",
        "match identity",
        "keepalive",
        "no keepalive",
        "local-address",
        "initiate",
        "vrf ",
        "description",
        "isakmp authorization",
        "client ",
    ),
    "crypto isakmp peer": ("set ", "description"),
    "crypto isakmp client": (
        "key ",
        "pool ",
        "acl ",
        "dns ",
        "domain ",
        "save-password",
        "include-local-lan",
        "netmask",
    ),
    "crypto ikev2 proposal": ("encryption", "integrity", "group", "prf"),
    "crypto ikev2 policy": ("match ", "proposal"),
    "crypto ikev2 keyring": ("peer ",),
    "crypto ikev2 profile": (
        "match ",
        "identity ",
        "authentication ",
        "keyring",
        "lifetime",
        "dpd",
        "nat ",
        "pki ",
        "description",
        "aaa ",
        "virtual-template",
        "ivrf",
    ),
    "crypto ipsec transform-set": ("mode",),
    "crypto ipsec profile": ("set ", "description", "responder-only"),
    "crypto map": ("set ", "match address", "reverse-route", "description", "qos "),
    "crypto dynamic-map": ("set ", "match address", "reverse-route", "description"),
    "ip access-list": ("permit", "deny", "remark"),
    "route-map": ("match ", "set ", "description"),
}
_PEER_SUB = ("address", "pre-shared-key", "identity", "hostname", "description")


_FULL = ("GigabitEthernet", "FastEthernet", "TenGigabitEthernet", "Ethernet", "Serial",
         "Tunnel", "Loopback", "Dialer", "Vlan", "Port-channel", "Virtual-Template", "Cellular",
         "BDI", "HundredGigE", "FortyGigabitEthernet", "TwentyFiveGigE", "AppGigabitEthernet",
         "Multilink", "Virtual-Access", "NVI")  # fmt: skip
_ABBR = {"g": "GigabitEthernet", "gi": "GigabitEthernet", "gig": "GigabitEthernet",
         "f": "FastEthernet", "fa": "FastEthernet", "te": "TenGigabitEthernet",
         "ten": "TenGigabitEthernet", "tu": "Tunnel", "tun": "Tunnel", "lo": "Loopback",
         "s": "Serial", "se": "Serial", "e": "Ethernet", "et": "Ethernet", "eth": "Ethernet",
         "po": "Port-channel", "vl": "Vlan"}  # fmt: skip


def itf_name(words: list[str]) -> str:
    """``gi0/0``, ``fastEthernet 0/0``, ``Tunnel 10`` -> the running-config spelling."""
    name = "".join(words)
    cut = next((i for i, c in enumerate(name) if c.isdecimal()), len(name))
    prefix, rest = name[:cut], name[cut:]
    low = prefix.lower()
    full = _ABBR.get(low)
    if full is None:
        cands = [f for f in _FULL if f.lower().startswith(low)] if low else []
        full = cands[0] if len(cands) == 1 or (cands and cands[0].lower() == low) else prefix
    return full + rest


def _block_kind(text: str) -> str | None:
    low = text.lower()
    for kind in _SUB:
        if low.startswith(kind + " ") or low == kind:
            words = text.split()
            if kind == "crypto map" and not (len(words) > 3 and words[3].isdecimal()):
                return None  # "crypto map CM local-address X" is a one-liner
            return kind
    return None


def _is_sub(kind: str | None, text: str) -> bool:
    if kind is None:
        return False
    low = text.lower()
    if kind == "interface" and low.startswith(("ip nat inside source", "ip nat outside source")):
        return False
    if kind == "ip access-list" and low.split()[0].isdecimal():
        return True  # "10 permit ip ..."
    return any(low.startswith(p) for p in _SUB[kind])


def build_tree(text: str) -> list[Node]:
    """Top-level nodes in configuration order (comments, banners and blank lines dropped)."""
    roots: list[Node] = []
    stack: list[tuple[int, Node]] = []
    open_kind: str | None = None  # block a column-0 sub-command may still join
    in_banner: str | None = None
    for no, raw in enumerate(text.splitlines(), 1):
        line = raw.expandtabs(8).rstrip()
        body = line.lstrip()
        if in_banner is not None:
            if in_banner in body:
                in_banner = None
            continue
        if not body:
            continue
        first = body.split()[0]
        prompt_child = False
        if "#" in first and "(config" in first:  # "R1(config-if)#ip nat inside": typed lines
            prompt_child = "(config-" in first
            body = body[body.index("#") + 1 :].strip()
            line = (" " if prompt_child else "") + body
            if not body:
                continue
        elif body.startswith(("!", "```")) or "#" in first:  # comment, fence, exec prompt
            if len(line) == len(body):  # a column-0 "!" closes every block
                open_kind = None
                stack.clear()
            continue
        if body.lower() in ("exit", "ex", "end", "exit-address-family"):
            open_kind = None
            if len(line) == len(body):
                stack.clear()
            continue
        if body.startswith("banner "):
            words = body.split()
            delim = words[2][:2] if len(words) > 2 else ""
            if delim and body.count(delim[:1]) < 2:
                in_banner = delim[:1]
            continue
        indent = len(line) - len(body)
        node = Node(no, raw, body)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if stack:
            stack[-1][1].children.append(node)
            stack.append((indent, node))
            continue
        # column 0
        if roots and open_kind is not None:
            last = roots[-1]
            if (
                open_kind == "crypto ikev2 keyring"
                and last.children
                and (body.lower().startswith(_PEER_SUB))
            ):
                last.children[-1].children.append(node)
                continue
            if _is_sub(open_kind, body):
                last.children.append(node)
                continue
        roots.append(node)
        stack.append((indent, node))
        open_kind = _block_kind(body)
    return roots


# ----------------------------------------------------------------------------- safe lines


def safe_text(text: str) -> str:
    """``redact`` plus the IOS key forms it does not cover."""
    out = redact(text)
    words = out.split()
    if not words:
        return out
    lead = out[: len(out) - len(out.lstrip())]
    changed = False
    if words[0].lower() == "key" and len(words) > 1:
        words = ["key", MASK]
        changed = True
    for i in range(len(words) - 1):
        if words[i].lower() == "pre-share" and words[i + 1].lower() == "key" and i + 2 < len(words):
            j = i + 2
            if words[j] in ("0", "6", "7") and j + 1 < len(words):
                j += 1
            words[j:] = [MASK]
            changed = True
            break
    return lead + " ".join(words) if changed else out


def make_line(source: str, node: Node) -> Line:
    return Line(source, node.no, safe_text(node.raw.rstrip()))


# ----------------------------------------------------------------------------- words

ISAKMP_HASH = {"md5": "md5", "sha": "sha1", "sha256": "sha2-256", "sha384": "sha2-384",
               "sha512": "sha2-512"}  # fmt: skip
ISAKMP_AUTH = {"pre-share": "psk", "rsa-sig": "rsa-sig", "rsa-encr": "rsa-encr",
               "ecdsa-sig": "ecdsa-sig"}  # fmt: skip
IKEV2_ENCR = {"des": "des", "3des": "3des", "aes-cbc-128": "aes-cbc-128",
              "aes-cbc-192": "aes-cbc-192", "aes-cbc-256": "aes-cbc-256",
              "aes-gcm-128": "aes-gcm-128", "aes-gcm-256": "aes-gcm-256",
              "aes-gcm-192": "aes-gcm-192"}  # fmt: skip
IKEV2_INTEG = {"md5": "md5", "sha1": "sha1", "sha256": "sha2-256", "sha384": "sha2-384",
               "sha512": "sha2-512"}  # fmt: skip
IKEV2_AUTH = {"pre-share": "psk", "rsa-sig": "rsa-sig", "ecdsa-sig": "ecdsa-sig", "eap": "eap"}
ESP_ENCR = {"esp-des": "des", "esp-3des": "3des", "esp-null": "null"}
ESP_INTEG = {"esp-md5-hmac": "md5", "esp-sha-hmac": "sha1", "esp-sha256-hmac": "sha2-256",
             "esp-sha384-hmac": "sha2-384", "esp-sha512-hmac": "sha2-512"}  # fmt: skip
AH_INTEG = {"ah-md5-hmac": "md5", "ah-sha-hmac": "sha1", "ah-sha256-hmac": "sha2-256",
            "ah-sha384-hmac": "sha2-384", "ah-sha512-hmac": "sha2-512"}  # fmt: skip

PROTOCOLS = {"ip": None, "icmp": 1, "igmp": 2, "ipinip": 4, "tcp": 6, "udp": 17, "gre": 47,
             "esp": 50, "ahp": 51, "eigrp": 88, "ospf": 89, "nos": 94, "pim": 103,
             "pcp": 108}  # fmt: skip
PORTS = {"www": 80, "http": 80, "isakmp": 500, "non500-isakmp": 4500, "domain": 53,
         "telnet": 23, "ssh": 22, "smtp": 25, "ftp": 21, "ftp-data": 20, "bootps": 67,
         "bootpc": 68, "tftp": 69, "ntp": 123, "snmp": 161, "snmptrap": 162, "bgp": 179,
         "syslog": 514, "pop3": 110, "nntp": 119, "irc": 194, "ldap": 389, "https": 443,
         "echo": 7, "discard": 9, "daytime": 13, "chargen": 19, "whois": 43, "finger": 79,
         "sunrpc": 111, "netbios-ns": 137, "netbios-dgm": 138, "netbios-ss": 139,
         "time": 37, "tacacs": 49, "rip": 520, "lpd": 515, "exec": 512, "login": 513,
         "cmd": 514}  # fmt: skip


def to_int(word: str) -> int | None:
    """A decimal number, None when not one (or absurdly long: Python refuses to convert ints of
    over 4300 digits, and no IOS value has more than 10)."""
    return int(word) if word.isdecimal() and len(word) <= 12 else None


def is_v4(word: str) -> bool:
    """A dotted-quad IPv4 address as ``ipaddress`` accepts it (ASCII digits, no leading 0)."""
    parts = word.split(".")
    return len(parts) == 4 and all(
        p.isascii() and p.isdigit() and len(p) <= 3 and (p == "0" or p[0] != "0") and int(p) < 256
        for p in parts
    )


def mask_len(mask: str) -> int | None:
    """255.255.255.0 -> 24 (None if not a contiguous netmask)."""
    if not is_v4(mask):
        return None
    try:
        return ipaddress.IPv4Network(f"0.0.0.0/{mask}").prefixlen
    except ValueError:
        return None


def wildcard_len(wild: str) -> int | None:
    """0.0.0.255 -> 24 (None if the wildcard is not contiguous)."""
    if not is_v4(wild):
        return None
    value = int(ipaddress.IPv4Address(wild))
    inv = (~value) & 0xFFFFFFFF
    n = bin(inv).count("1")
    return n if inv == ((0xFFFFFFFF << (32 - n)) & 0xFFFFFFFF) else None


def network(addr: str, plen: int) -> str:
    """``addr/plen`` with the host bits cleared; a word that is no IPv4 address (a damaged
    paste) is kept as written, like other unreadable addresses."""
    if not is_v4(addr) or not 0 <= plen <= 32:
        return f"{addr}/{plen}"
    return str(ipaddress.IPv4Network(f"{addr}/{plen}", strict=False))


def covers(addr: str, mask: str | None, peer: str) -> int | None:
    """Prefix length with which ``addr mask`` covers ``peer`` (None: it does not)."""
    plen = 32 if mask is None else mask_len(mask)
    if plen is None or not is_v4(addr) or not is_v4(peer):
        return None
    net = ipaddress.IPv4Network(f"{addr}/{plen}", strict=False)
    return plen if ipaddress.IPv4Address(peer) in net else None


# ----------------------------------------------------------------------------- ACLs


class AclError(ValueError):
    """An ACL rule this reader cannot express (object groups, ``neq`` ...)."""


def _address(words: list[str], i: int) -> tuple[str | None, str | None, int]:
    """(cidr, wildcard-form, next index) for ``any`` / ``host A`` / ``A W`` / ``A`` at ``i``."""
    if i >= len(words):
        raise AclError("address missing")
    w = words[i].lower()
    if w == "any":
        return "0.0.0.0/0", None, i + 1
    if w == "host" and i + 1 < len(words) and is_v4(words[i + 1]):
        return f"{words[i + 1]}/32", None, i + 2
    if w in ("object-group", "addrgroup", "net-group"):
        raise AclError(f"{w} is not expanded")
    if is_v4(words[i]):
        if i + 1 < len(words) and is_v4(words[i + 1]):
            plen = wildcard_len(words[i + 1])
            if plen is None:
                return None, f"{words[i]}/{words[i + 1]}", i + 2
            return network(words[i], plen), None, i + 2
        return f"{words[i]}/32", None, i + 1
    if "/" in words[i] and is_v4(words[i].split("/")[0]):
        return str(ipaddress.IPv4Network(words[i], strict=False)), None, i + 1
    raise AclError(f"unknown address {words[i]!r}")


def _port(word: str) -> int:
    low = word.lower()
    if low.isdecimal():
        return int(low) if len(low) <= 5 else 65536
    if low in PORTS:
        return PORTS[low]
    raise AclError(f"unknown port name {word!r}")


def _ports(words: list[str], i: int) -> tuple[tuple[int, int] | None, int]:
    if i >= len(words):
        return None, i
    op = words[i].lower()
    if op == "eq" and i + 1 < len(words):
        p = _port(words[i + 1])
        return (p, p), i + 2
    if op == "range" and i + 2 < len(words):
        return (_port(words[i + 1]), _port(words[i + 2])), i + 3
    if op == "gt" and i + 1 < len(words):
        return (_port(words[i + 1]) + 1, 65535), i + 2
    if op == "lt" and i + 1 < len(words):
        return (0, _port(words[i + 1]) - 1), i + 2
    if op == "neq":
        raise AclError("neq ports cannot be expressed as one range")
    return None, i


def acl_rule(words: list[str], standard: bool, ev: Line) -> Selector:
    """``permit|deny ...`` (words start at the action) -> Selector (src = the ACL source)."""
    action = words[0].lower()
    if action not in ("permit", "deny"):
        raise AclError(f"unknown ACL action {words[0]!r}")
    rest = words[1:]
    if standard:
        src, swild, _ = _address(rest, 0)
        return Selector(action=action, src=src, src_wildcard=swild, ev=ev)
    if not rest:
        raise AclError("protocol missing")
    proto_word = rest[0].lower()
    if proto_word == "object-group":
        raise AclError("service object groups are not expanded")
    if proto_word in PROTOCOLS:
        proto = PROTOCOLS[proto_word]
    elif proto_word.isdecimal():
        proto = int(proto_word[:4])
    else:
        raise AclError(f"unknown protocol {rest[0]!r}")
    i = 1
    src, swild, i = _address(rest, i)
    sports = dports = None
    if proto in (6, 17):
        sports, i = _ports(rest, i)
    dst, dwild, i = _address(rest, i)
    if proto in (6, 17):
        dports, i = _ports(rest, i)
    return Selector(action=action, src=src, dst=dst, src_wildcard=swild, dst_wildcard=dwild,
                    protocol=proto, src_ports=sports, dst_ports=dports, ev=ev)  # fmt: skip
