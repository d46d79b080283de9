"""``display ipsec sa [brief | policy P [seq] | remote A | ...]``: the IPsec SAs a device holds.

Detail layout (the default), AR and USG variants as in seed 002 (cases 3.6, 4.2.x) and seed 003
(security ACL, NAT traversal and one-way traffic cases); one bundle per ``Connection ID``::

    ipsec sa information:
    ===============================
    Interface: GigabitEthernet0/0/2
     Path MTU: 1500                                     (AR, when printed)
    ===============================
      -----------------------------
      IPSec policy name: "map1"
      Sequence number  : 1
      Acl group        : 3101
      Acl rule         : 5
      Mode             : ISAKMP                         (ISAKMP / Manual / Template)
      -----------------------------
        Connection ID     : 67108879
        Encapsulation mode: Tunnel
        Holding time      : 0d 0h 4m 29s
        Tunnel local      : 10.4.1.1:500
        Tunnel remote     : 2.1.1.1:500
        Flow source       : 10.1.1.0/255.255.255.0 0/0      (address/mask protocol/port)
        Flow destination  : 10.1.2.0/255.255.255.0 17/1701
        [Outbound ESP SAs]
          SPI: 4055669516 (0xf1bc9b0c)
          Proposal: ESP-ENCRYPT-3DES-192 SHA2-256-128
          SA remaining key duration (kilobytes/sec): 1840323/2420
          Max sent sequence-number: 0
          UDP encapsulation used for NAT traversal: N
          SA encrypted packets (number/kilobytes): 2376/2877   (USG; "(number/bytes)" too)
          Outpacket count : 0                                 (AR counters instead)
          Outpacket encap count : 0
          Outpacket drop count : 0
        [Inbound ESP SAs]
          ... Max received sequence-number, SA decrypted packets, Inpacket count / decap count /
          drop count, Anti-replay : Enable, Anti-replay window size: 1024

NE (NetEngine) variant from the product manual, lower-case keys and two fields on a line::

    IPsec SA Information for Slot : 1
    connection id: 2
    rule number: 1
    tunnel local: 10.23.100.1    tunnel remote: 10.24.100.1
    flow source: 10.99.0.1/255.255.255.255 0-65535 0 0xFF      (address/mask port protocol ...)
    input/output security packets: 4/4
    input/output security kilobytes: 0/0
    input/output bandwidth limit drop packets: 0/0
    [inbound ESP SAs]
    establish: 2020-05-17 16:06:54
    spi: 3128071041 (0xba729381)
    vpn: - said: 1
    sa remaining key duration (kilobytes/sec): --/600721

Brief layout (``display ipsec sa brief``), one SA (one direction) per row; the column order
differs between products, so columns are read by shape::

    Number of SAs:2
       Src address   Dst address     SPI      VPN  Protocol  Algorithm
       10.1.1.1      10.1.1.2     3914625024       ESP     E:AES-256 A:SHA2_256_128
    current IPsec sa number: 2                                               (NE)
    Src Address     Dst Address     SPI        Protocol Algorithm                       VPN
    10.1.1.1        10.1.1.2        852978435  ESP      E:AES      A:SHA2-256-128        -

Pasted seeds also carry markdown fences, ``.....`` elisions, ``//`` comments after values and
lines wrapped by the terminal (a wrapped value continues on the next line).

Facts: one ``IpsecSa`` per bundle (with its ``SaSide`` records, one per ``[Inbound/Outbound
ESP/AH SAs]`` section), one ``IpsecSaBrief`` per brief row, and one ``IpsecSaTable`` per command
output, also when it is empty: no IPsec SA at all (or none for the ``filter`` the command gave).
The table cites the prompt line that typed the command when the scanner gives it (else the
output's first line); a prompt followed directly by the next prompt is an empty table.  Output
that is not this command's gives an ``Unparsed`` fact instead of an empty table; output
flattened onto the prompt line (``ike_sa.output_on_prompt_line``) is not read and gives no table.
"""

from __future__ import annotations

import msgspec

from ...model import Line, State, Unparsed
from ..base import Context
from ..util import is_clock, is_date, is_digits, is_ip, to_int
from .ike_sa import (
    command_filter,
    first_int,
    is_separator,
    key_value_line,
    norm_key,
    output_on_prompt_line,
    split_addr_port,
    yes_no,
)


class Flow(msgspec.Struct, frozen=True, kw_only=True):
    """One side of the protected flow as negotiated (``10.1.1.0/255.255.255.0 17/1701``)."""

    address: str
    mask: str | None = None  # dotted mask or prefix length, as printed
    protocol: int | None = None  # 0 = any IP protocol
    port: str | None = None  # "0" (any), "1701", "0-65535"


class SaSide(msgspec.Struct, kw_only=True):
    """One SA of a bundle: ``[Inbound ESP SAs]``, ``[Outbound AH SAs]`` ..."""

    direction: str  # "inbound" / "outbound"
    protocol: str  # "ESP" / "AH"
    ev: Line  # the section header line
    spi: int | None = None
    proposal: str | None = None  # as printed
    encryption: str | None = None  # "3DES-192", "AES-256", "256-AES"
    authentication: str | None = None  # "SHA2-256-128"
    remaining_traffic: int | None = None  # in ``traffic_unit``; None when printed as "--"
    traffic_unit: str | None = None  # "kilobytes" / "bytes"
    remaining_seconds: int | None = None
    max_seq: int | None = None  # max received (inbound) / sent (outbound) sequence number
    nat_traversal: bool | None = None  # "UDP encapsulation used for NAT traversal"
    anti_replay: bool | None = None
    replay_window: int | None = None
    packets: int | None = None  # AR "Inpacket/Outpacket count"
    processed: int | None = None  # encrypted (outbound) / decrypted (inbound) packets
    processed_volume: int | None = None  # in ``volume_unit``
    volume_unit: str | None = None  # "kilobytes" / "bytes"
    dropped: int | None = None  # AR "Inpacket/Outpacket drop count"
    established: str | None = None  # NE "establish: 2020-05-17 16:06:54"
    vpn: str | None = None
    lines: dict[str, Line] = {}

    def line_of(self, field: str) -> Line:
        return self.lines.get(field, self.ev)


class IpsecSa(State, kw_only=True):
    """One SA bundle (one ``Connection ID``) with the policy and interface it belongs to."""

    interface: str | None = None
    path_mtu: int | None = None
    policy: str | None = None  # IPsec policy (or profile) name
    seq: int | None = None
    acl: int | None = None
    acl_rule: int | None = None
    mode: str | None = None  # "isakmp" / "manual" / "template"
    conn_id: int | None = None
    encapsulation: str | None = None  # "tunnel" / "transport"
    holding_seconds: int | None = None
    local: str | None = None
    local_port: int | None = None
    remote: str | None = None
    remote_port: int | None = None
    flow_src: Flow | None = None
    flow_dst: Flow | None = None
    vpn: str | None = None
    in_packets: int | None = None  # NE "input/output security packets"
    out_packets: int | None = None
    in_volume: int | None = None  # NE "input/output security kilobytes|bytes"
    out_volume: int | None = None
    volume_unit: str | None = None
    in_dropped: int | None = None  # NE "input/output bandwidth limit drop packets"
    out_dropped: int | None = None
    sides: tuple[SaSide, ...] = ()

    def _side(self, direction: str) -> SaSide | None:
        found = [s for s in self.sides if s.direction == direction]
        for s in found:
            if s.protocol == "ESP":
                return s
        return found[0] if found else None

    @property
    def inbound(self) -> SaSide | None:
        return self._side("inbound")

    @property
    def outbound(self) -> SaSide | None:
        return self._side("outbound")

    @property
    def nat_traversal(self) -> bool | None:
        flags = [s.nat_traversal for s in self.sides if s.nat_traversal is not None]
        return any(flags) if flags else None


class IpsecSaBrief(State, kw_only=True):
    """One row of ``display ipsec sa brief``: one SA, one direction."""

    src: str
    dst: str
    spi: int
    protocol: str | None = None  # "ESP" / "AH"
    encryption: str | None = None  # "AES-256" (the "E:" column)
    authentication: str | None = None  # "SHA2_256_128" (the "A:" column)
    vpn: str | None = None


class IpsecSaTable(State, kw_only=True):
    """The whole output: how many SA records it had (0 = no IPsec SA) and the printed total."""

    rows: int = 0  # bundles (detail layout) or rows (brief layout)
    total: int | None = None  # "Number of SAs:2", "current IPsec sa number: 2"
    layout: str = "detail"  # "detail" / "brief"
    filter: str | None = None  # "policy map1", "| include ESP" ...: the output is partial


# -- keys -----------------------------------------------------------------------------------------

_POLICY_KEYS = {
    "ipsec policy name": "policy",
    "ipsec profile name": "policy",
    "sequence number": "seq",
    "acl group": "acl",
    "acl number": "acl",
    "acl rule": "acl_rule",
    "mode": "mode",
}
_BUNDLE_KEYS = {
    "connection id": "conn_id",
    "rule number": "acl_rule",
    "encapsulation mode": "encapsulation",
    "holding time": "holding",
    "tunnel local": "local",
    "tunnel remote": "remote",
    "flow source": "flow_src",
    "flow destination": "flow_dst",
    "input/output security packets": "io_packets",
    "input/output security kilobytes": "io_volume",
    "input/output security bytes": "io_volume",
    "input/output bandwidth limit drop packets": "io_dropped",
}
_SIDE_KEYS = {
    "spi": "spi",
    "proposal": "proposal",
    "sa remaining key duration": "remaining",
    "max sent sequence number": "max_seq",
    "max received sequence number": "max_seq",
    "udp encapsulation used for nat traversal": "nat_traversal",
    "sa encrypted packets": "processed",
    "sa decrypted packets": "processed",
    "anti replay": "anti_replay",
    "anti replay window size": "replay_window",
    "outpacket count": "packets",
    "inpacket count": "packets",
    "outpacket encap count": "processed",
    "inpacket decap count": "processed",
    "outpacket drop count": "dropped",
    "inpacket drop count": "dropped",
    "establish": "established",
    "said": None,  # an internal index: read and ignored
    "vpn": "vpn",
}
# Output headers and totals that are part of this command's output.
_HEADERS = (
    "ipsec sa information",
    "ike ip security association",
    "manual ip security association",
    "ip security association name",
    "src address",
    "spu board",
)
_TOTALS = (
    "number of sas",
    "number of ipsec sa",
    "current ipsec sa num",
    "total ipsec sa",
    "total ip security association number",
    "total manual ip security association number",  # manual SAs only: not the total
)
# A second field printed on the same line (NE): "tunnel local: A    tunnel remote: B".
_INLINE = (" tunnel remote", " said")


def _norm(key: str) -> tuple[str, str]:
    base, unit = norm_key(key)
    return base.replace(" / ", "/"), unit


def _holding(value: str) -> int | None:
    """``0d 0h 32m 4s`` -> seconds."""
    total = 0
    seen = False
    for tok in value.split():
        num, unit = tok[:-1], tok[-1:].lower()
        if not is_digits(num) or len(num) > 20 or unit not in "dhms":
            return None
        total += int(num) * {"d": 86400, "h": 3600, "m": 60, "s": 1}[unit]
        seen = True
    return total if seen else None


def _flow(value: str) -> Flow | None:
    toks = value.split()
    if not toks:
        return None
    addr, sep, mask = toks[0].rpartition("/")
    if not sep:
        addr, mask = toks[0], ""
    if not is_ip(addr):
        return None
    protocol: int | None = None
    port: str | None = None
    if len(toks) > 1 and "/" in toks[1]:  # AR/USG: protocol/port
        proto, _, port = toks[1].partition("/")
        protocol = to_int(proto)
    elif len(toks) > 1:  # NE: port-range protocol ...
        port = toks[1]
        if len(toks) > 2:
            protocol = to_int(toks[2])
    return Flow(address=addr, mask=mask or None, protocol=protocol, port=port or None)


def _pair(value: str) -> tuple[int | None, int | None]:
    """``1840323/2420`` or ``--/600721`` -> two ints (None for a dash)."""
    head = value.split()[0] if value.split() else ""
    a, _, b = head.partition("/")
    return to_int(a), to_int(b)


def _unit(unit: str) -> str | None:
    """``kilobytes/sec`` / ``number/bytes`` -> ``kilobytes`` / ``bytes``."""
    for word in ("kilobytes", "bytes"):
        if word in unit:
            return word
    return None


def _proposal(value: str) -> tuple[str | None, str | None]:
    """``ESP-ENCRYPT-AES-256 ESP-AUTH-SHA2-256-128`` -> (``AES-256``, ``SHA2-256-128``)."""
    enc = auth = None
    for tok in value.split():
        up = tok.upper()
        if "ENCRYPT-" in up:
            enc = tok[up.index("ENCRYPT-") + 8 :]
        elif "AUTH-" in up:
            auth = tok[up.index("AUTH-") + 5 :]
        elif auth is None and not up.startswith("//"):
            for prefix in ("ESP-", "AH-"):
                if up.startswith(prefix):
                    tok = tok[len(prefix) :]
            auth = tok
    return enc, auth


def _split_inline(key: str, value: str) -> list[tuple[str, str]]:
    """``tunnel local: A    tunnel remote: B`` -> both pairs."""
    low = value.lower()
    for marker in _INLINE:
        i = low.find(marker)
        if i != -1:
            rest = value[i + 1 :]
            k2, sep, v2 = rest.partition(":")
            if sep and k2.strip().lower() == marker.strip():
                return [(key, value[:i].strip()), (k2.strip(), v2.strip())]
    return [(key, value)]


def _brief_row(tokens: list[str]) -> dict | None:
    """``src dst spi [vpn] protocol E:alg A:alg [vpn]`` in any column order after the SPI."""
    if len(tokens) < 4 or not is_ip(tokens[0]) or not is_ip(tokens[1]):
        return None
    if not is_digits(tokens[2]) or len(tokens[2]) > 10:
        return None
    out: dict = {"src": tokens[0], "dst": tokens[1], "spi": int(tokens[2])}
    for tok in tokens[3:]:
        up = tok.upper()
        if up in ("ESP", "AH"):
            out["protocol"] = up
        elif up.startswith("E:"):
            out["encryption"] = tok[2:] or None
        elif up.startswith("A:"):
            out["authentication"] = tok[2:] or None
        elif "vpn" not in out:
            out["vpn"] = None if tok == "-" else tok
    if "protocol" not in out and "encryption" not in out and "authentication" not in out:
        return None
    return out


def _is_continuation(text: str) -> bool:
    """A wrapped value: a few ASCII tokens without lower-case letters or a colon
    (``ESP-AUTH-SHA2-256-128``, ``17/1701``)."""
    if not text.isascii() or ":" in text or any(c.islower() for c in text):
        return False
    return 0 < len(text.split()) <= 3


class _Record:
    """Fields being collected for one policy, bundle or side, with the line of each; ``keys``
    holds the printed keys seen, so a repeated key starts a new record."""

    __slots__ = ("ev", "fields", "keys", "lines")

    def __init__(self, ev: Line) -> None:
        self.ev = ev
        self.fields: dict[str, object] = {}
        self.lines: dict[str, Line] = {}
        self.keys: set[str] = set()

    def set(self, name: str, value: object, ev: Line) -> None:
        self.lines[name] = ev
        if value is not None:
            self.fields[name] = value


class _Block:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.first: Line | None = None
        self.rows = 0
        self.total: int | None = None
        self.total_line: Line | None = None
        self.brief = False
        self.seen = False
        self.rules = False
        self.foreign: Line | None = None
        toks = ctx.command.split("|", 1)[0].lower().split()
        self.brief = len(toks) > 3 and len(toks[3]) >= 2 and "brief".startswith(toks[3])
        self.filter = command_filter(ctx.command, 3, ("brief",))
        self.interface: _Record | None = None
        self.policy: _Record | None = None
        self.bundle: _Record | None = None
        self.sides: list[_Record] = []
        self.side: _Record | None = None
        self.last: tuple[_Record, str, str, Line] | None = None  # for wrapped values

    # -- emitting -------------------------------------------------------------------------------
    def _flush_bundle(self) -> None:
        bundle, self.bundle = self.bundle, None
        sides, self.sides, self.side = self.sides, [], None
        self.last = None
        if bundle is None:
            return
        fields: dict[str, object] = {}
        lines: dict[str, Line] = {}
        for rec in (self.interface, self.policy, bundle):
            if rec is not None:
                fields.update(rec.fields)
                lines.update(rec.lines)
        built = tuple(
            SaSide(ev=s.ev, lines=s.lines, **s.fields)  # type: ignore[arg-type]
            for s in sides
        )
        self.rows += 1
        self.ctx.emit(
            IpsecSa(
                vendor="huawei",
                family="ipsec-sa",
                ev=bundle.ev,
                device=self.ctx.device,
                lines=lines,
                sides=built,
                **fields,  # type: ignore[arg-type]
            )
        )

    # -- fields ---------------------------------------------------------------------------------
    def _policy_field(self, name: str, value: str, ev: Line, again: bool = False) -> None:
        if not again and (name == "policy" or self.policy is None or name in self.policy.keys):
            self._flush_bundle()
            self.policy = _Record(ev)
        rec = self.policy
        assert rec is not None
        rec.keys.add(name)
        if name == "policy":
            rec.set(name, value.strip().strip('"') or None, ev)
        elif name == "mode":
            rec.set(name, value.lower().split()[0] if value.split() else None, ev)
        else:
            rec.set(name, first_int(value), ev)
        self.last = (rec, name, value, ev)

    def _bundle_field(
        self, name: str, value: str, unit: str, ev: Line, again: bool = False
    ) -> None:
        if not again and (name == "conn_id" or self.bundle is None or name in self.bundle.keys):
            self._flush_bundle()
            self.bundle = _Record(ev)
        rec = self.bundle
        assert rec is not None
        rec.keys.add(name)
        self.last = (rec, name, value, ev)
        if name == "encapsulation":
            rec.set(name, value.lower().split()[0] if value.split() else None, ev)
        elif name == "holding":
            rec.set("holding_seconds", _holding(value), ev)
        elif name in ("local", "remote"):
            addr = split_addr_port(value.split()[0]) if value.split() else None
            rec.set(name, addr[0] if addr else None, ev)
            if addr and addr[1] is not None:
                rec.set(f"{name}_port", addr[1], ev)
        elif name in ("flow_src", "flow_dst"):
            rec.set(name, _flow(value), ev)
        elif name.startswith("io_"):
            a, b = _pair(value)
            what = name[3:]
            rec.set(f"in_{what}", a, ev)
            rec.set(f"out_{what}", b, ev)
            if what == "volume":
                rec.set("volume_unit", "bytes" if unit == "bytes" else "kilobytes", ev)
        else:  # conn_id, acl_rule
            rec.set(name, first_int(value), ev)

    def _side_field(
        self, name: str | None, value: str, unit: str, ev: Line, again: bool = False
    ) -> None:
        rec = self.side
        if rec is None or name is None:
            return
        if not again and name in rec.keys:  # a second SA under the same section header
            rec = self.side = _Record(ev)
            rec.fields["direction"] = self.sides[-1].fields["direction"]
            rec.fields["protocol"] = self.sides[-1].fields["protocol"]
            self.sides.append(rec)
        rec.keys.add(name)
        self.last = (rec, name, value, ev)
        if name == "spi":
            rec.set(name, first_int(value), ev)
        elif name == "proposal":
            rec.set(name, value or None, ev)
            enc, auth = _proposal(value)
            rec.set("encryption", enc, ev)
            rec.set("authentication", auth, ev)
        elif name == "remaining":
            a, b = _pair(value)
            rec.set("remaining_traffic", a, ev)
            rec.set("traffic_unit", _unit(unit), ev)
            rec.set("remaining_seconds", b, ev)
        elif name == "processed" and "/" in value.split(" ", 1)[0]:
            a, b = _pair(value)
            rec.set("processed", a, ev)
            rec.set("processed_volume", b, ev)
            rec.set("volume_unit", _unit(unit), ev)
        elif name in ("nat_traversal", "anti_replay"):
            rec.set(name, yes_no(value), ev)
        elif name == "established":
            rec.set(name, value or None, ev)
        elif name == "vpn":
            rec.set(name, None if value in ("", "-") else value.split()[0], ev)
        else:
            rec.set(name, first_int(value), ev)

    def _field(self, key: str, value: str, ev: Line) -> bool:
        base, unit = _norm(key)
        if base == "interface":
            self._flush_bundle()
            self.policy = None
            self.interface = _Record(ev)
            self.interface.set("interface", value.split()[0] if value.split() else None, ev)
            return True
        if base == "path mtu":
            if self.interface is not None:
                self.interface.set("path_mtu", first_int(value), ev)
            return True
        if self.side is not None and base in _SIDE_KEYS:
            self._side_field(_SIDE_KEYS[base], value, unit, ev)
            return True
        if base in _BUNDLE_KEYS:
            self._bundle_field(_BUNDLE_KEYS[base], value, unit, ev)
            return True
        if base in _POLICY_KEYS and self.bundle is None:
            self._policy_field(_POLICY_KEYS[base], value, ev)
            return True
        if base in ("ipsec policy name", "ipsec profile name"):
            self._policy_field("policy", value, ev)
            return True
        if base == "vpn":
            target = self.bundle or self.policy
            if target is not None:
                target.set("vpn", None if value in ("", "-") else value.split()[0], ev)
            return True
        # known but unused, or a field of a record we are inside: part of this output
        return self.bundle is not None or self.policy is not None or self.interface is not None

    # -- Block protocol -------------------------------------------------------------------------
    def feed(self, ev: Line) -> bool:
        text = ev.text.strip()
        if self.first is None:
            self.first = ev
        if not text:
            self.last = None
            return True
        if is_separator(text):
            self.rules = self.rules or text[:1] in "-="
            self.last = None
            return True
        low = text.lower()
        if low.startswith(_TOTALS):
            n = first_int(text.partition(":")[2])
            if n is not None and self.total is None and "manual" not in low:
                self.total, self.total_line = n, ev
            self.seen = True
            return True
        if low.startswith(_HEADERS):
            self.seen = True
            self.brief = self.brief or low.startswith("src address")
            return True
        tokens = text.split()
        if is_date(tokens[0]) and (len(tokens) == 1 or is_clock(tokens[1].split(".")[0])):
            return True  # NE prints the time before the output
        if text.startswith("[") and text.endswith("]") and " sas" in low:
            # [Inbound ESP SAs] / [outbound AH SAs]
            words = low.strip("[]").split()
            if len(words) >= 2 and words[0] in ("inbound", "outbound"):
                if self.bundle is None:
                    self.bundle = _Record(ev)
                self.side = _Record(ev)
                self.side.fields["direction"] = words[0]
                self.side.fields["protocol"] = words[1].upper()
                self.sides.append(self.side)
                self.seen = True
                self.last = None
                return True
        row = _brief_row(tokens)
        if row is not None:
            self.brief = self.seen = True
            self.rows += 1
            self.ctx.emit(
                IpsecSaBrief(
                    vendor="huawei", family="ipsec-sa-brief", ev=ev, device=self.ctx.device, **row
                )
            )
            return True
        kv = key_value_line(text, max_key=56)
        if kv is not None:
            pairs = _split_inline(kv[0], kv[1])
            handled = [self._field(k, v, ev) for k, v in pairs]
            if handled[0]:
                self.seen = True
                return True
        elif self.last is not None and _is_continuation(text):
            rec, name, value, first = self.last
            merged = f"{value} {text}"
            self.last = None
            if rec is self.side:
                self._side_field(name, merged, "", first, again=True)
            elif rec is self.bundle:
                self._bundle_field(name, merged, "", first, again=True)
            elif rec is self.policy:
                self._policy_field(name, merged, first, again=True)
            return True
        if not self.seen and (kv is not None or self.rules):
            self.foreign = ev  # another command's output, or an error message
        return False

    def close(self) -> None:
        self._flush_bundle()
        if not self.seen and output_on_prompt_line(self.ctx.command):
            return  # the output sits unread on the prompt line: its SA count is unknown
        if self.foreign is not None and not self.seen:
            self.ctx.emit(Unparsed(family="ipsec-sa", ev=self.foreign, device=self.ctx.device))
            return
        ev = self.ctx.prompt or self.first
        if ev is None:
            return
        lines = {"total": self.total_line} if self.total_line else {}
        self.ctx.emit(
            IpsecSaTable(
                vendor="huawei",
                family="ipsec-sa-table",
                ev=ev,
                device=self.ctx.device,
                rows=self.rows,
                total=self.total,
                layout="brief" if self.brief else "detail",
                filter=self.filter,
                lines=lines,
            )
        )


class IpsecSaParser:
    name = "huawei.display-ipsec-sa"
    vendor = "huawei"
    priority = 100
    log_like = False
    commands = (("display", "ipsec", "sa"),)

    def accepts(self, text: str) -> bool:
        low = text.lstrip().lower()
        return low.startswith(
            ("ipsec sa information", "ipsec policy name", "ike ip security association")
        )

    def start(self, ctx: Context) -> _Block:
        return _Block(ctx)


PARSERS = (IpsecSaParser,)
