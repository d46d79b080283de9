"""Running the Huawei configuration parser for the reader (``config/huawei.py``) and indexing
its facts per device.

The text goes through the scanner (``ingest/scan.py``) exactly as a pasted capture would: prompts,
``---- More ----`` debris and filtered displays are handled there and every line is redacted
before ``parsers/huawei/current_config.py`` reads it.  Interactive pastes (``[FW1-ike-peer-p]
undo nat traversal``) lose their view prompt first so that their commands read as configuration.
"""

from __future__ import annotations

import msgspec

from ..ingest.scan import scan_text
from ..model import Line, State
from ..parsers.huawei.current_config import (
    CfgAcl,
    CfgGlobals,
    CfgIkePeer,
    CfgIkeProposal,
    CfgInterface,
    CfgIpsecPolicy,
    CfgIpsecProposal,
    CfgNatPolicyRule,
    CfgNatServer,
    CfgSecurityPolicyRule,
    CfgStaticRoute,
    CfgZone,
)

VENDOR = "huawei"
MAX_LINES = 400_000


def _strip_prompt(raw: str) -> str:
    """``[FW1-ike-peer-p1] undo nat traversal`` -> `` undo nat traversal`` (interactive pastes:
    a sub-view prompt keeps one blank of indentation); other lines unchanged."""
    s = raw.lstrip()
    if not s.startswith("[") or "]" not in s[:120]:
        return raw
    prompt, _, rest = s[1:].partition("]")
    if not rest.strip() or " " in prompt:
        return raw
    return (" " if "-" in prompt else "") + rest.strip()


def split_lines(text: str, source: str = "") -> list[str]:
    out = text.split("\n")
    if len(out) > MAX_LINES:
        from . import ConfigError

        where = f"{source}: " if source else ""
        raise ConfigError(f"{where}configuration too long ({len(out)} lines, limit {MAX_LINES})")
    return [_strip_prompt(r.rstrip("\r")) for r in out]


def run_parser(raw: list[str], source: str) -> list[State]:
    """The configuration facts of the text, as the scanner produces them (prompts, ``---- More
    ----`` debris and filtered displays handled there; every line redacted before parsing)."""
    facts = scan_text("\n".join(raw), source)
    return [
        f
        for f in facts
        if isinstance(f, State) and f.vendor == VENDOR and f.family.startswith("cfg-")
    ]


# -- per-device collection --------------------------------------------------------------------


class Facts:
    """The facts of one device, indexed."""

    def __init__(self) -> None:
        self.interfaces: list[CfgInterface] = []
        self.routes: list[CfgStaticRoute] = []
        self.peers: dict[str, CfgIkePeer] = {}
        self.ike: dict[int, CfgIkeProposal] = {}
        self.ipsec: dict[str, CfgIpsecProposal] = {}
        self.policies: list[CfgIpsecPolicy] = []
        self.acls: dict[str, CfgAcl] = {}
        self.zones: list[CfgZone] = []
        self.nat_rules: list[CfgNatPolicyRule] = []
        self.sec_rules: list[CfgSecurityPolicyRule] = []
        self.nat_servers: list[CfgNatServer] = []
        self.g: CfgGlobals | None = None

    def add(self, f: State) -> None:
        """Index a fact; a later copy of the same object (a device's configuration pasted twice,
        a filtered display then the whole one) replaces the earlier one."""
        if isinstance(f, CfgInterface):
            key = ifkey(f.name)
            self.interfaces = [i for i in self.interfaces if ifkey(i.name) != key]
            self.interfaces.append(f)
        elif isinstance(f, CfgStaticRoute):
            self.routes.append(f)
        elif isinstance(f, CfgIkePeer):
            self.peers[f.name] = f
        elif isinstance(f, CfgIkeProposal):
            self.ike[f.number] = f
        elif isinstance(f, CfgIpsecProposal):
            self.ipsec[f.name] = f
        elif isinstance(f, CfgIpsecPolicy):
            key = (f.kind, f.name, f.seq)
            self.policies = [p for p in self.policies if (p.kind, p.name, p.seq) != key]
            self.policies.append(f)
        elif isinstance(f, CfgAcl):
            if f.number is not None:
                self.acls[str(f.number)] = f
            if f.name is not None:
                self.acls[f.name.lower()] = f
        elif isinstance(f, CfgZone):
            self.zones.append(f)
        elif isinstance(f, CfgNatPolicyRule):
            self.nat_rules.append(f)
        elif isinstance(f, CfgSecurityPolicyRule):
            self.sec_rules.append(f)
        elif isinstance(f, CfgNatServer):
            self.nat_servers.append(f)
        elif isinstance(f, CfgGlobals):
            if self.g is None:
                self.g = f
            else:  # merge: the later record wins field by field
                fields = {k: getattr(f, k) for k in f.lines}
                lines = {**self.g.lines, **f.lines}
                self.g = msgspec.structs.replace(self.g, lines=lines, **fields)

    def acl(self, number: int | None, name: str | None) -> CfgAcl | None:
        if number is not None:
            return self.acls.get(str(number))
        if name is not None:
            return self.acls.get(name.lower())
        return None


def cidr(address: str, plen: int) -> str:
    n = 0
    for p in address.split("."):
        n = (n << 8) | int(p)
    mask = (0xFFFFFFFF << (32 - plen)) & 0xFFFFFFFF if plen else 0
    n &= mask
    return ".".join(str((n >> s) & 255) for s in (24, 16, 8, 0)) + f"/{plen}"


def ifkey(name: str) -> str:
    return "".join(name.split()).lower()




class BuilderBase:
    """What the Huawei device builder's parts (``huawei_tunnels.TunnelParts``,
    ``huawei_firewall.FirewallParts``) share: the device's facts and identity, filled in by
    ``huawei._Builder``."""

    d: Facts
    raw: list[str]
    source: str
    name: str
    platform: str
    trunc: int
    trunc_ev: Line | None
    itf_by_key: dict[str, CfgInterface]

    def note(self, ev: Line | None) -> None:  # provided by the builder
        raise NotImplementedError
