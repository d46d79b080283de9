"""CLI prompt recognition: which device a block came from and which command produced it.

Huawei VRP: ``<FW1>``, ``[FW1]``, ``[~FW1]``, ``[*FW1-ike-peer-x]``, bare ``HUAWEI>``.
Cisco (kept here so every vendor's prompts live in one place): ``R1#``, ``R1>``, ``asa(config)#``.
"""

from __future__ import annotations

import re

from msgspec import Struct

_ANGLE = re.compile(r"^\s{0,8}<([A-Za-z0-9_][^<>\s]{0,63})>\s{0,8}(.*)$")
_SQUARE = re.compile(r"^\s{0,8}\[[~*]{0,2}([A-Za-z0-9_][^\[\]\s]{0,127})\]\s{0,8}(.*)$")
_BARE = re.compile(
    r"^\s{0,8}([A-Za-z][\w.\-]{0,63})(?:\([\w\-]{1,40}\))?([>#])\s{0,8}"
    r"((?:dis|display|show|sh|debug|debugging|terminal|reset|ping|undo|system-view|sys)\b.*)?$"
)
# Debug tags that look like "[FW1]" but are message bodies: [IPSEC-Error], [IKE-Info] ...
_NOT_DEVICE = re.compile(r"(?i)^(?:ipsec|ike|ikev2|isakmp)[-_ ]")
# strongSwan's log groups ("[IKE] initiating IKE_SA ...", ``swanctl --log``): never a device.
_CHARON_GROUP = re.compile(
    r"^(?:DMN|MGR|IKE|CHD|JOB|CFG|KNL|NET|ASN|ENC|TNC|IMC|IMV|PTS|TLS|APP|ESP|LIB)[0-4]?$"
)
# The VRP version banner at the top of a configuration: "[V200R010C00SPC600]", "[V500R005C10]".
_VERSION = re.compile(r"^V\d{3}R\d{3}(?:C\d{2})?")
# The first word of a Huawei view name after "<sysname>-" in "[sysname-view]".
_VIEW_WORDS = frozenset(
    """aaa acl acl-adv acl-basic acl-name bfd bgp dhcp dns domain easy-ip eth-trunk gigabitethernet
    ethernet xgigabitethernet 40ge 100ge ike ike-peer ike-proposal ikev2 interface ipsec
    ipsec-policy ipsec-policy-templet ipsec-proposal ipsec-profile l2tp loopback nat nat-policy
    nqa ospf pki policy policy-nat policy-security rip route-policy security-policy snmp tunnel
    ui user-interface vlanif vlan vrrp zone-trust zone-untrust zone-local zone-dmz zone
    profile dialer cellular atm serial virtual-template radius hwtacacs rsa ssh stelnet
    address-set service-set time-range local-user""".split()
)


class Prompt(Struct, frozen=True):
    device: str
    command: str  # what was typed after the prompt ("" for a bare prompt)
    vendor: str  # "huawei" or "cisco"


def _device_from_view(content: str, known: set[str]) -> str:
    if "-" not in content:
        return content
    for name in known:
        if content.startswith(name + "-"):
            return name
    parts = content.split("-")
    for i in range(1, len(parts)):
        head, word = "-".join(parts[:i]), parts[i].lower()
        rest = "-".join(parts[i:]).lower()
        if word in _VIEW_WORDS or rest in _VIEW_WORDS or word.rstrip("0123456789/") in _VIEW_WORDS:
            return head
    return content


def parse_prompt(text: str, known: set[str] | None = None) -> Prompt | None:
    """Recognise a CLI prompt at the start of ``text``; ``known`` holds device names seen so far."""
    if not text:
        return None
    first = text.lstrip()[:1]
    if first == "<":
        m = _ANGLE.match(text)
        if m and not m.group(1).isdigit():
            return Prompt(device=m.group(1), command=m.group(2).strip(), vendor="huawei")
        return None
    if first == "[":
        m = _SQUARE.match(text)
        if (
            m
            and not _NOT_DEVICE.match(m.group(1))
            and not _VERSION.match(m.group(1))
            and not _CHARON_GROUP.match(m.group(1))
            and not m.group(1).isdigit()
        ):
            return Prompt(
                device=_device_from_view(m.group(1), known or set()),
                command=m.group(2).strip(),
                vendor="huawei",
            )
        return None
    if ">" in text or "#" in text:
        m = _BARE.match(text)
        if m:
            vendor = "cisco" if m.group(2) == "#" else "huawei"
            cmd = (m.group(3) or "").strip()
            if cmd.startswith(("show", "sh ", "debug ")):
                vendor = "cisco"
            return Prompt(device=m.group(1), command=cmd, vendor=vendor)
    return None


_ABBREV_CACHE: dict[str, tuple[str, ...]] = {}


def command_tokens(command: str) -> tuple[str, ...]:
    """Lower-cased tokens of a typed command without output filters (``| include x``)."""
    cached = _ABBREV_CACHE.get(command)
    if cached is not None:
        return cached
    body = command.split("|", 1)[0]
    toks = tuple(body.lower().split())
    if len(_ABBREV_CACHE) < 4096:
        _ABBREV_CACHE[command] = toks
    return toks


def command_matches(typed: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """True when each typed token abbreviates the matching token of ``full`` (VRP/IOS style)."""
    if len(typed) < len(full):
        return False
    return all(f.startswith(t) and t for t, f in zip(typed, full, strict=False))
