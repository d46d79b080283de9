"""``display ipsec policy [name X] [brief]`` and ``display ipsec policy-template``: IPsec policy
groups, where they are applied, and each policy (sequence) of a group.

Detailed layout (AR and USG; seed 002 cases 3.2.3/3.x, seed 003 cases, seed 001 samples)::

    ===========================================
    IPSec policy group: "map1"
    Using interface: GigabitEthernet0/0/1              (empty: applied to no interface)
    ===========================================
        Sequence number: 10
        Policy Alias: map1-10
        Security data flow: 3100/IPv4                  (security ACL, address family)
        Peer name    :  rut2
        Perfect forward secrecy: DH group 14
        Proposal name:  prop1
        IPSec SA local duration(time based): 3600 seconds
        IPSec SA local duration(traffic based): 1843200 kilobytes
        SA trigger mode: Traffic-based
        Route inject: None
        Anti-replay window size: 1024
        Qos pre-classify: Disable
    ......

Manual policies print ``Tunnel local address``/``Tunnel remote address`` and per-direction SA
sections (``Inbound ESP setting:`` then ``ESP SPI: 12345 (0x3039)``); the SPIs are kept, the
keys (``string-key``, ``hex key``) never.  ``display ipsec policy-template`` prints the same
records under ``IPSec policy template: "temp1"``.

Brief layout (seed 002 case 3.x)::

    Number of policies group : 1
    Number of policies      : 1

    Policy name      Mode   ACL      Peer name  Local address  Remote address
    -----
    policy1-100     isakmp 3002/IPv4 peer1

Facts: one ``IpsecPolicy`` per sequence (per brief row, with ``brief`` set), one
``IpsecPolicyGroup`` per group header, and one ``IpsecPolicyList`` per output.  ``mode`` is the
printed mode when there is one; otherwise it is inferred (``mode_inferred``): a template group
or a template reference -> ``template``; SPIs or tunnel addresses without a peer -> ``manual``;
a peer -> ``isakmp``.
"""

from __future__ import annotations

from ...model import Line, State
from ..base import Context
from ..util import is_digits, is_ip
from .kv_block import (
    KV,
    ConfigListing,
    Converter,
    Item,
    KvBlock,
    Record,
    build,
    classify,
    first_int,
    lower_or_none,
    squash,
    text_or_none,
    to_bool,
    words,
)


class IpsecPolicy(State, kw_only=True):
    """One IPsec policy (a sequence of a policy group or template)."""

    group: str | None = None  # the policy group (or template) name
    template_group: bool = False  # read from ``display ipsec policy-template``
    interfaces: tuple[str, ...] = ()  # where the group is applied (from its header)
    seq: int | None = None
    alias: str | None = None
    mode: str | None = None  # "isakmp", "manual", "template", ... (lower case)
    mode_inferred: bool = False
    acl: int | None = None  # security data flow: ACL number
    acl_name: str | None = None  # ... or ACL name
    acl_family: str | None = None  # "ipv4" / "ipv6" when printed ("3100/IPv4")
    peer: str | None = None  # IKE peer name
    pfs: str | None = None  # as printed ("DH group 14"); None: no PFS
    pfs_group: int | None = None  # 14
    proposals: tuple[str, ...] = ()
    duration_seconds: int | None = None  # IPsec SA local lifetime, time based
    duration_kilobytes: int | None = None  # ... traffic based
    sa_trigger: str | None = None  # "traffic-based" / "auto"
    route_inject: str | None = None  # "static", "dynamic"; None: no route injection
    anti_replay: bool | None = None
    anti_replay_window: int | None = None
    qos_pre_classify: bool | None = None
    local_address: str | None = None  # tunnel local address (manual) / brief column
    remote_address: str | None = None
    template: str | None = None  # the policy template a policy refers to
    respond_only: bool | None = None
    inbound_esp_spi: int | None = None  # manual SAs
    outbound_esp_spi: int | None = None
    inbound_ah_spi: int | None = None
    outbound_ah_spi: int | None = None
    brief: bool = False  # a row of ``display ipsec policy brief`` (few fields)
    elided: bool = False
    extra: tuple[tuple[str, str], ...] = ()


class IpsecPolicyGroup(State, kw_only=True):
    """One group header: its name and the interfaces it is applied to (none: not applied)."""

    name: str | None = None
    template_group: bool = False
    interfaces: tuple[str, ...] = ()
    seqs: tuple[int, ...] = ()  # the sequences read under it
    elided: bool = False


class IpsecPolicyList(ConfigListing, kw_only=True):
    """The whole output (``records`` = policies read, brief rows included)."""


# -- value helpers -----------------------------------------------------------------------------


def parse_acl(value: str) -> tuple[int | None, str | None, str | None]:
    """``3100/IPv4`` -> (3100, None, "ipv4"); ``3000`` -> (3000, None, None); a name -> name."""
    v = text_or_none(value)
    if v is None:
        return None, None, None
    tok = v.split()[0]
    acl, _, fam = tok.partition("/")
    family = fam.lower() if fam.lower() in ("ipv4", "ipv6") else None
    if family is None:
        for t in v.split()[1:]:
            if t.lower().strip("()") in ("ipv4", "ipv6"):
                family = t.lower().strip("()")
    if is_digits(acl) and len(acl) <= 9:
        return int(acl), None, family
    return None, acl, family


def pfs_group_of(value: str) -> int | None:
    """``DH group 14`` / ``dh-group14`` / ``group14 (2048-bit)`` -> 14; None for ``None``."""
    low = value.lower()
    i = low.find("group")
    if i != -1:
        j = i + 5
        while j < len(low) and not is_digits(low[j]):
            if low[j] not in " -_:":
                break
            j += 1
        k = j
        while k < len(low) and is_digits(low[k]) and k - j < 6:
            k += 1
        if k > j:
            return int(low[j:k])
    return first_int(value)


def _trigger(value: str) -> str | None:
    v = lower_or_none(value)
    if v is None:
        return None
    return "auto" if v.startswith("auto") else v


def _route_inject(value: str) -> str | None:
    v = lower_or_none(value)
    return None if v in (None, "disable", "disabled") else v


def _group_name(value: str) -> str | None:
    return text_or_none(value.strip().strip('"').strip("'"))


FIELDS: dict[str, tuple[str, Converter]] = {
    "sequencenumber": ("seq", first_int),
    "seqnumber": ("seq", first_int),
    "policyalias": ("alias", text_or_none),
    "alias": ("alias", text_or_none),
    "mode": ("mode", lower_or_none),
    "policymode": ("mode", lower_or_none),
    "securitydataflow": ("_acl", str),
    "securityacl": ("_acl", str),
    "acl": ("_acl", str),
    "peername": ("peer", text_or_none),
    "ikepeer": ("peer", text_or_none),
    "ikepeername": ("peer", text_or_none),
    "perfectforwardsecrecy": ("pfs", text_or_none),
    "pfs": ("pfs", text_or_none),
    "proposalname": ("proposals", words),
    "proposal": ("proposals", words),
    "ipsecproposal": ("proposals", words),
    "ipsecsalocalduration(timebased)": ("duration_seconds", first_int),
    "salocalduration(timebased)": ("duration_seconds", first_int),
    "ipsecsaduration(timebased)": ("duration_seconds", first_int),
    "ipsecsalocalduration(trafficbased)": ("duration_kilobytes", first_int),
    "salocalduration(trafficbased)": ("duration_kilobytes", first_int),
    "ipsecsaduration(trafficbased)": ("duration_kilobytes", first_int),
    "satriggermode": ("sa_trigger", _trigger),
    "routeinject": ("route_inject", _route_inject),
    "antireplay": ("anti_replay", to_bool),
    "antireplaywindowsize": ("anti_replay_window", first_int),
    "antireplaywindow": ("anti_replay_window", first_int),
    "qospreclassify": ("qos_pre_classify", to_bool),
    "tunnellocaladdress": ("local_address", text_or_none),
    "tunnelremoteaddress": ("remote_address", text_or_none),
    "localaddress": ("local_address", text_or_none),
    "remoteaddress": ("remote_address", text_or_none),
    "templatename": ("template", text_or_none),
    "policytemplatename": ("template", text_or_none),
    "respondonly": ("respond_only", to_bool),
    "inboundespspi": ("inbound_esp_spi", first_int),
    "outboundespspi": ("outbound_esp_spi", first_int),
    "inboundahspi": ("inbound_ah_spi", first_int),
    "outboundahspi": ("outbound_ah_spi", first_int),
}
_GROUP_KEYS = frozenset({"ipsecpolicygroup", "policygroup", "ipsecpolicygroupname"})
_TEMPLATE_KEYS = frozenset(
    {"ipsecpolicytemplate", "ipsecpolicytemplet", "ipsecpolicytemplatename", "policytemplate"}
)
_IFACE_KEYS = frozenset({"usinginterface", "appliedinterface", "interface"})
_SEQ_KEYS = frozenset({"sequencenumber", "seqnumber"})
_SA_SECTIONS = {
    "inboundahsetting": "inbound",
    "inboundespsetting": "inbound",
    "outboundahsetting": "outbound",
    "outboundespsetting": "outbound",
}
_LISTS = frozenset({"proposalname", "proposal", "ipsecproposal"})
FIELD_SPIS = ("inbound_esp_spi", "outbound_esp_spi", "inbound_ah_spi", "outbound_ah_spi")
_MODES = frozenset({"isakmp", "manual", "template", "isakmp-template", "gdoi", "profile"})
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.@")


def parse_brief_row(tokens: list[str]) -> dict | None:
    """``policy1-100 isakmp 3002/IPv4 peer1 [local remote]`` -> fields; None if not a row."""
    if len(tokens) < 2 or len(tokens) > 8 or tokens[1].lower() not in _MODES:
        return None
    alias = tokens[0]
    out: dict = {"alias": alias, "mode": tokens[1].lower()}
    group, sep, num = alias.rpartition("-")
    if sep and group and is_digits(num) and len(num) <= 9:
        out["group"], out["seq"] = group, int(num)
    rest = tokens[2:]
    if rest and is_digits(rest[0][:1]) and not is_ip(rest[0]):
        out["acl"], out["acl_name"], out["acl_family"] = parse_acl(rest[0])
        rest = rest[1:]
    addrs = [t for t in rest if is_ip(t)]
    names = [t for t in rest if not is_ip(t) and t not in ("-", "--")]
    if names:
        out["peer"] = names[0]
    if len(names) > 1:
        out["template"] = names[1]
    if addrs:
        out["local_address"] = addrs[0]
    if len(addrs) > 1:
        out["remote_address"] = addrs[1]
    return out


class _Group:
    __slots__ = ("elided", "ev", "iface_line", "interfaces", "name", "seqs", "template")

    def __init__(self, ev: Line, name: str | None, template: bool) -> None:
        self.ev = ev
        self.name = name
        self.template = template
        self.interfaces: tuple[str, ...] = ()
        self.iface_line: Line | None = None
        self.seqs: list[int] = []
        self.elided = False


class _Block(KvBlock):
    listing_cls = IpsecPolicyList
    listing_family = "ipsec-policy-list"
    total_keys = frozenset({"numberofpolicies", "numberofipsecpolicies", "totalpolicies"})
    filter_words = ("name",)

    def __init__(self, ctx: Context, commands: tuple[tuple[str, ...], ...]) -> None:
        super().__init__(ctx, commands)
        self.group: _Group | None = None
        self.rec: Record | None = None
        self.sa_dir: str | None = None  # "inbound"/"outbound" inside a manual SA section
        self.table = False
        cmd = ctx.command.lower()
        self.template_command = "policy-t" in cmd

    # -- emitting -----------------------------------------------------------------------------
    def _policy(self, ev: Line, lines: dict[str, Line], kwargs: dict, **more: object) -> None:
        self.emit_record(
            IpsecPolicy(
                vendor="huawei",
                family="ipsec-policy",
                ev=ev,
                device=self.ctx.device,
                lines=lines,
                **kwargs,
                **more,  # type: ignore[arg-type]
            )
        )

    def _flush_seq(self) -> None:
        rec, self.rec = self.rec, None
        self.sa_dir = None
        if rec is None or not rec.values:
            return
        kwargs, lines, extra = build(rec, FIELDS)
        acl = kwargs.pop("_acl", None)
        acl_line = lines.pop("_acl", None)
        if isinstance(acl, str) and acl_line is not None:
            kwargs["acl"], kwargs["acl_name"], kwargs["acl_family"] = parse_acl(acl)
            for f in ("acl", "acl_name", "acl_family"):
                lines[f] = acl_line
        pfs = kwargs.get("pfs")
        if isinstance(pfs, str):
            kwargs["pfs_group"] = pfs_group_of(pfs)
            lines["pfs_group"] = lines["pfs"]
        g = self.group
        template_group = g.template if g is not None else self.template_command
        if g is not None:
            kwargs["group"] = g.name
            lines["group"] = g.ev
            kwargs["interfaces"] = g.interfaces
            if g.iface_line is not None:
                lines["interfaces"] = g.iface_line
            seq = kwargs.get("seq")
            if isinstance(seq, int):
                g.seqs.append(seq)
        inferred = False
        if kwargs.get("mode") is None:
            inferred = True
            spis = any(kwargs.get(k) is not None for k in FIELD_SPIS)
            if template_group or kwargs.get("template"):
                kwargs["mode"] = "template"
            elif kwargs.get("peer") is None and (spis or kwargs.get("remote_address")):
                kwargs["mode"] = "manual"
            elif kwargs.get("peer") is not None:
                kwargs["mode"] = "isakmp"
            else:
                inferred = False
        self._policy(
            rec.ev,
            lines,
            kwargs,
            template_group=template_group,
            mode_inferred=inferred,
            elided=rec.elided,
            extra=extra,
        )

    def _flush_group(self) -> None:
        g, self.group = self.group, None
        if g is None:
            return
        lines = {"name": g.ev}
        if g.iface_line is not None:
            lines["interfaces"] = g.iface_line
        self.ctx.emit(
            IpsecPolicyGroup(
                vendor="huawei",
                family="ipsec-policy-group",
                ev=g.ev,
                device=self.ctx.device,
                lines=lines,
                name=g.name,
                template_group=g.template,
                interfaces=g.interfaces,
                seqs=tuple(g.seqs),
                elided=g.elided,
            )
        )

    def flush(self) -> None:
        self._flush_seq()
        self._flush_group()

    # -- lines --------------------------------------------------------------------------------
    def on_kv(self, item: Item, ev: Line) -> bool:
        key = item.key
        if key in _GROUP_KEYS or key in _TEMPLATE_KEYS:
            self.flush()
            template = key in _TEMPLATE_KEYS or self.template_command
            self.group = _Group(ev, _group_name(item.value), template)
            return True
        if key in _IFACE_KEYS and self.rec is None:
            if self.group is None:
                self.group = _Group(ev, None, self.template_command)
            self.group.interfaces = tuple(
                t for t in item.value.replace(",", " ").split() if t not in ("-", "--")
            )
            self.group.iface_line = ev
            return True
        if key in _SEQ_KEYS:
            self._flush_seq()
            self.rec = Record(ev)
            self.rec.put(item, ev)
            return True
        section = _SA_SECTIONS.get(key)
        if section is not None:
            self.sa_dir = section
            return True
        rec = self.rec
        if rec is None:
            if key.startswith("numberof"):
                return True  # a header count such as "Number of policies group : 1"
            if key not in FIELDS:
                return False  # no policy open: only a known key starts one
            rec = self.rec = Record(ev)
        if self.sa_dir is not None and key.startswith(("ah", "esp")):
            rec.put(item, ev, key=self.sa_dir + key)  # "ESP SPI" of the inbound section...
            return True
        if rec.has(key):
            self._flush_seq()
            rec = self.rec = Record(ev)
        rec.put(item, ev)
        return True

    def on_text(self, item: Item, ev: Line) -> bool:
        text = item.text
        sq = squash(text)
        if ("policyname" in sq or "policyalias" in sq) and "mode" in sq:
            self.flush()
            self.table = True
            return True
        tokens = text.split()
        if self.table:
            row = parse_brief_row(tokens)
            if row is not None:
                self._policy(ev, {k: ev for k in row}, row, brief=True)
                return True
            return False
        rec = self.rec
        # proposal names wrapped onto the next line, aligned under the value
        if rec is not None and rec.last in _LISTS and len(tokens) <= 12:
            key_line = rec.lines[rec.last].text
            col = len(key_line) - len(key_line.partition(":")[2].lstrip())
            indent = len(ev.text) - len(ev.text.lstrip())
            if indent >= col - 1 and all(c in _NAME_CHARS for t in tokens for c in t):
                rec.extend(text)
                return True
        return False

    def on_elision(self) -> None:
        if self.rec is not None:
            self.rec.elided = True
        elif self.group is not None:
            self.group.elided = True


class IpsecPolicyParser:
    name = "huawei.display-ipsec-policy"
    vendor = "huawei"
    log_like = False
    priority = 100
    commands = (("display", "ipsec", "policy"), ("display", "ipsec", "policy-template"))

    def accepts(self, text: str) -> bool:
        low = text.lstrip()[:24].lower()
        if not low.startswith(("ipsec policy group", "ipsec policy templ")):
            return False
        item = classify(text[:256])
        return item.kind == KV and (item.key in _GROUP_KEYS or item.key in _TEMPLATE_KEYS)

    def start(self, ctx: Context) -> _Block:
        return _Block(ctx, self.commands)


PARSERS = (IpsecPolicyParser,)
