"""The vendor-neutral tunnel model that ``ipsec-doctor check`` reasons over.

Every vendor reader (``config/huawei.py``, ``config/cisco_ios.py``, ``config/cisco_asa.py``,
``config/strongswan.py``) turns one configuration file into ``DeviceConfig`` objects; the
negotiation simulator (``negotiate/``) only ever sees this model.  Rules for every reader:

* **Canonical names** (see ``config/algorithms.py``): encryption ``des``, ``3des``,
  ``aes-cbc-128``/``-192``/``-256``, ``aes-gcm-128``/``-192``/``-256`` (16-octet ICV),
  ``aes-ctr-*``, ``sm4``, ``null``; integrity/hash ``md5``, ``sha1``, ``sha2-256``, ``sha2-384``,
  ``sha2-512``, ``aes-xcbc``, ``sm3``; PRF the same words as integrity; DH groups as IANA numbers
  (modp1024 = 2, modp2048 = 14, ecp256 = 19 ...); auth methods ``psk``, ``rsa-sig``,
  ``ecdsa-sig``, ``digital-envelope``, ``eap``, ``xauth-psk``.
* **Provenance**: every field that came from (or was implied by) a configuration line cites it in
  ``lines[field]`` (``model.Line``: source file, 1-based line, redacted text).  Fields the
  configuration left silent are filled with the vendor default and their names listed in
  ``defaults``, so the report can say "default".
* **Secrets**: a key never enters the model.  ``Secret`` holds a keyed digest (random key per
  process, see ``config/secrets.py``) that only supports equality; vendor-encrypted blobs compare
  equal only to the identical blob, otherwise the comparison is unknown.
* **Order matters**: proposals, transforms and ACL rules keep configuration order (first match
  wins for ACLs; the initiator's proposal order drives selection).
"""

from __future__ import annotations

import msgspec

from ..model import Line


class Secret(msgspec.Struct, frozen=True, kw_only=True):
    """A pre-shared key reduced to something that can only be compared.

    ``kind`` is ``plain`` (the key was readable: ``digest`` is a keyed hash of it), ``cipher``
    (a vendor-encrypted blob such as Huawei ``%^%#...%^%#`` or Cisco type 6/7: ``digest`` is a
    keyed hash of the blob, equal blobs mean equal keys, different blobs prove nothing) or
    ``missing`` (the peer expects a PSK but none is configured).
    """

    kind: str
    digest: str = ""

    def same_as(self, other: Secret | None) -> bool | None:
        """True/False when equality is provable, None when it cannot be known."""
        if other is None or self.kind == "missing" or other.kind == "missing":
            return False
        if self.kind == other.kind == "plain":
            return self.digest == other.digest
        if self.kind == other.kind == "cipher" and self.digest == other.digest:
            return True
        return None

    def __repr__(self) -> str:  # never show even the digest in logs or tracebacks
        return f"Secret(kind={self.kind!r})"

    __str__ = __repr__


class Identity(msgspec.Struct, frozen=True, kw_only=True):
    """An IKE identity: ``type`` is ``ip``, ``fqdn``, ``user-fqdn``, ``dn``, ``key-id`` or ``any``
    (a responder that accepts whatever the peer sends); ``value`` None means "derived" (for
    ``ip``: the address the packets leave from)."""

    type: str
    value: str | None = None


class IkeProposal(msgspec.Struct, kw_only=True):
    """One IKE proposal (Huawei ``ike proposal N``, Cisco ``crypto isakmp policy N`` /
    ``crypto ikev2 proposal``, ASA ``crypto ikev1/ikev2 policy``, strongSwan one ``proposals``
    entry).  IKEv1 policies have exactly one value per tuple; IKEv2 proposals may list several.
    ``prf`` empty means "same as integrity" (IKEv1 and vendors without a separate PRF)."""

    name: str
    encryption: tuple[str, ...] = ()
    integrity: tuple[str, ...] = ()
    prf: tuple[str, ...] = ()
    dh: tuple[int, ...] = ()
    # IKEv1 hash when the vendor sets it apart from the IKEv2 integrity (Huawei
    # ``authentication-algorithm`` vs ``integrity-algorithm``); empty: same as ``integrity``
    v1_integrity: tuple[str, ...] = ()
    auth_method: str = "psk"  # IKEv1: negotiated inside the proposal
    lifetime: int | None = None  # seconds
    # the IKE version this proposal serves when a tunnel accepts both with separate
    # configuration (ASA ikev1 vs ikev2 policies); None: any version the tunnel speaks
    version: int | None = None
    ev: Line | None = None
    lines: dict[str, Line] = {}
    defaults: tuple[str, ...] = ()


class ChildProposal(msgspec.Struct, kw_only=True):
    """One IPsec proposal / transform set / ESP proposal.  ``protocol`` is ``esp``, ``ah`` or
    ``ah-esp``; ``encryption`` is ESP encryption (``null`` allowed), ``integrity`` ESP
    authentication (empty with a combined-mode cipher such as GCM), ``ah_integrity`` AH
    authentication.  ``mode`` is ``tunnel`` or ``transport``."""

    name: str
    protocol: str = "esp"
    encryption: tuple[str, ...] = ()
    integrity: tuple[str, ...] = ()
    ah_integrity: tuple[str, ...] = ()
    mode: str = "tunnel"
    lifetime: int | None = None  # seconds
    lifetime_kb: int | None = None
    version: int | None = None  # IKE version it serves (ASA transform set = 1, proposal = 2)
    ev: Line | None = None
    lines: dict[str, Line] = {}
    defaults: tuple[str, ...] = ()


class Selector(msgspec.Struct, frozen=True, kw_only=True):
    """One traffic-selector / crypto-ACL rule seen from its own device: ``src`` is the local
    protected side, ``dst`` the remote one.  Networks are CIDR strings (``0.0.0.0/0`` = any);
    a non-contiguous wildcard keeps ``src_wildcard``/``dst_wildcard`` (``address/wildcard``) and
    leaves the network None.  ``protocol`` is an IP protocol number (None = any); ports are
    inclusive ``(low, high)`` ranges (None = any)."""

    action: str = "permit"  # permit / deny (deny = "do not protect")
    src: str | None = "0.0.0.0/0"
    dst: str | None = "0.0.0.0/0"
    src_wildcard: str | None = None
    dst_wildcard: str | None = None
    protocol: int | None = None
    src_ports: tuple[int, int] | None = None
    dst_ports: tuple[int, int] | None = None
    ev: Line | None = None


class Tunnel(msgspec.Struct, kw_only=True):
    """One configured tunnel end: a Huawei IPsec policy entry (ISAKMP, template or profile) with
    its IKE peer; a Cisco crypto-map entry / dynamic map / tunnel protection profile; an ASA
    crypto map entry with its tunnel-group; a strongSwan connection with its child.

    ``initiates`` is False for a responder-only entry (Huawei template, Cisco dynamic map,
    strongSwan ``start_action = none`` / ``auto=add``: loaded only, it never initiates by itself,
    so False; ``trap``/``start`` (``auto=route|start``) initiate).
    ``ike_versions`` lists what the end accepts; ``initiate_version`` is the one it starts with
    (Huawei v1v2 starts with 2).  ``peer_addresses`` empty with ``peer_any`` True means "any
    peer" (templates, dynamic maps, ``remote_addrs = %any``).  ``auth_addresses`` are Huawei
    ``remote-address authentication-address`` values (the peer's pre-NAT address used for ID
    checking).  ``selectors`` are in configuration order, as the device would match them.
    """

    name: str
    kind: str = "static"  # static / template / dynamic / profile (route-based)
    initiates: bool = True
    # an operator/application can start it although nothing does automatically (strongSwan
    # start_action = none / auto=add with a concrete peer: swanctl --initiate, ipsec up)
    manual_initiation: bool = False
    ike_versions: tuple[int, ...] = (1,)
    initiate_version: int = 1
    exchange_mode: str = "main"  # IKEv1 only: main / aggressive
    ike_proposals: list[IkeProposal] = []
    psk: Secret | None = None
    local_auth: str = "psk"  # what this end authenticates itself with (IKEv2)
    remote_auth: str | None = None  # what it requires from the peer (None: same as local)
    local_id: Identity = Identity(type="ip")
    remote_id: Identity | None = None  # None: not checked
    local_address: str | None = None  # the address IKE leaves from (resolved)
    local_interface: str | None = None
    peer_addresses: tuple[str, ...] = ()
    peer_any: bool = False
    peer_hostname: str | None = None
    auth_addresses: tuple[str, ...] = ()
    nat_traversal: bool = True
    dpd: bool = False
    child_proposals: list[ChildProposal] = []
    pfs: int | None = None  # DH group, None = no PFS
    selectors: list[Selector] = []
    selector_name: str | None = None  # ACL / TS name as configured
    bound_interface: str | None = None  # interface carrying the policy; None: not applied
    sha2_truncation: int = 128  # ESP SHA2 ICV bits this end uses (96 = pre-RFC 4868 mode)
    ev: Line | None = None
    lines: dict[str, Line] = {}
    defaults: tuple[str, ...] = ()


class Interface(msgspec.Struct, kw_only=True):
    """An interface with its IPv4 addresses as ``address/prefixlen`` (primary first, then
    secondaries), zone/nameif and NAT role."""

    name: str
    addresses: tuple[str, ...] = ()
    secondary: tuple[str, ...] = ()
    zone: str | None = None  # Huawei firewall zone, ASA nameif
    security_level: int | None = None  # ASA
    nat_role: str | None = None  # Cisco "ip nat inside" / "outside"
    shutdown: bool = False
    ev: Line | None = None


class Route(msgspec.Struct, kw_only=True):
    prefix: str  # CIDR
    next_hop: str | None = None
    interface: str | None = None
    ev: Line | None = None


class NatRule(msgspec.Struct, kw_only=True):
    """A NAT rule that may touch protected traffic.  ``kind``: ``source`` (nat outbound, easy-ip,
    ``ip nat inside source``, ASA dynamic/PAT), ``exempt`` (no-nat / ASA identity NAT / a deny in
    the NAT ACL is expressed by ``match`` instead), ``server`` (static/destination NAT).
    ``match`` are the rules that select traffic, in order (``deny`` = not translated);
    an empty ``match`` with ``match_all`` True translates everything leaving ``interface``.
    ``position`` orders rules where the first match wins (USG nat-policy, ASA sections)."""

    kind: str
    interface: str | None = None
    match: list[Selector] = []
    match_all: bool = False
    position: int = 0
    name: str | None = None
    source_zones: tuple[str, ...] = ()  # zone-based rules (USG nat-policy); empty = any
    destination_zones: tuple[str, ...] = ()
    ev: Line | None = None


class SecurityRule(msgspec.Struct, kw_only=True):
    """A firewall rule (USG security-policy, ASA interface access-list entry).  Zones/interfaces
    empty = any; ``selector`` describes addresses/protocol/ports."""

    name: str
    action: str
    source_zones: tuple[str, ...] = ()
    destination_zones: tuple[str, ...] = ()
    selector: Selector = Selector()
    position: int = 0
    ev: Line | None = None


class DeviceConfig(msgspec.Struct, kw_only=True):
    """One device's configuration, reduced to what IPsec negotiation and forwarding need.

    ``vendor`` is ``huawei``, ``cisco-ios``, ``cisco-asa`` or ``strongswan``; ``platform`` may
    refine it (``usg``, ``ar``).  ``firewall`` is True when the device filters between zones by
    default (USG: deny; ASA: security levels + ``sysopt connection permit-vpn``).
    ``flags`` keeps global switches that change behaviour (``sha2-compatible``,
    ``permit-vpn`` ...).  ``notes`` lists configuration the reader saw but could not model, with
    its line, so nothing is silently ignored."""

    vendor: str
    name: str
    source: str
    platform: str | None = None
    interfaces: list[Interface] = []
    routes: list[Route] = []
    tunnels: list[Tunnel] = []
    nat_rules: list[NatRule] = []
    security_rules: list[SecurityRule] = []
    firewall: bool = False
    flags: dict[str, Line] = {}
    notes: list[Line] = []

    def own_addresses(self) -> list[str]:
        """Every interface address (without prefix length), primary ones first."""
        out: list[str] = []
        for itf in self.interfaces:
            out += [a.split("/")[0] for a in itf.addresses]
        for itf in self.interfaces:
            out += [a.split("/")[0] for a in itf.secondary]
        return out


# the fields a ``Change`` may name, with the type of ``value`` each expects
CHANGE_FIELDS = {
    "ike.encryption": "str (canonical)",
    "ike.integrity": "str (canonical)",
    "ike.prf": "str (canonical)",
    "ike.dh": "int (IANA group)",
    "ike.auth_method": "str (psk, rsa-sig ...)",
    "ike.lifetime": "int seconds",
    "ike_version": "int (1 or 2)",
    "exchange_mode": "str (main / aggressive)",
    "psk": "None (set the same key on both ends; never printed)",
    "local_id": "Identity",
    "remote_id": "Identity",
    "peer_address": "str (address)",
    "auth_address": "str (the peer's pre-NAT address)",
    "local_address": "str (address IKE must leave from)",
    "nat_traversal": "bool",
    "dpd": "bool",
    "child.protocol": "str (esp / ah / ah-esp)",
    "child.encryption": "str (canonical)",
    "child.integrity": "str (canonical)",
    "child.mode": "str (tunnel / transport)",
    "child.lifetime": "int seconds",
    "pfs": "int | None (IANA group, None = off)",
    "selectors": "list[Selector] (the complete wanted list, local view)",
    "bind": "str (interface that must carry the policy)",
    "nat_exempt": "Selector (protected traffic that must bypass NAT)",
    "security_rule": "Selector (traffic a firewall rule must permit)",
    "route": "Route (a route that must exist)",
    "sha2_truncation": "int (96 or 128)",
}


class Change(msgspec.Struct, kw_only=True):
    """A minimal configuration change the simulator proposes; each vendor reader renders it in
    its own syntax (``render(change, device, tunnel) -> list[str]``).  ``target`` names the
    sub-object to edit when there are several (proposal / transform-set name)."""

    side: str  # "a" or "b"
    field: str  # a key of CHANGE_FIELDS
    value: object = None
    target: str | None = None
