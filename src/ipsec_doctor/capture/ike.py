"""IP/UDP to IKE: decoding of ISAKMP (IKEv1, RFC 2408/2409) and IKEv2 (RFC 7296) messages.

``decode(frame)`` turns one frame into a ``Packet``: addresses, ports, and what it carries
(``ike``, ``esp`` with its SPI, ``udp-esp`` on port 4500, a NAT-T keepalive), and for IKE a
``Message`` with the header fields and whatever the clear-text payloads say: proposals and
transforms (SA), the KE group, notify types with their data, vendor IDs (named when known),
NAT-D hashes, identities sent in clear (aggressive mode), and for encrypted messages the type of
the first inner payload (IKEv2 ``SK``) and the length.

The payload walker is bounds-checked at every step: a malformed or truncated message (a cut
IP fragment, a bad length) ends the walk with ``Message.malformed`` set; nothing here raises
on packet content.  Non-first IP fragments carry no UDP header and are not decoded.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from .read import Frame, ip_payload

# -- names ----------------------------------------------------------------------------------

EXCHANGES = {
    1: "BASE",
    2: "MAIN_MODE",
    3: "AUTH_ONLY",
    4: "AGGRESSIVE",
    5: "INFORMATIONAL_V1",
    6: "TRANSACTION",
    32: "QUICK_MODE",
    33: "NEW_GROUP",
    34: "IKE_SA_INIT",
    35: "IKE_AUTH",
    36: "CREATE_CHILD_SA",
    37: "INFORMATIONAL",
    38: "IKE_SESSION_RESUME",
    43: "IKE_INTERMEDIATE",
}

V1_PAYLOADS = {
    1: "SA", 2: "P", 3: "T", 4: "KE", 5: "ID", 6: "CERT", 7: "CR", 8: "HASH", 9: "SIG",
    10: "NONCE", 11: "N", 12: "D", 13: "V", 14: "ATTR", 20: "NAT-D", 21: "NAT-OA",
    130: "NAT-D", 131: "NAT-OA", 132: "FRAG",
}
V2_PAYLOADS = {
    33: "SA", 34: "KE", 35: "IDi", 36: "IDr", 37: "CERT", 38: "CERTREQ", 39: "AUTH", 40: "No",
    41: "N", 42: "D", 43: "V", 44: "TSi", 45: "TSr", 46: "SK", 47: "CP", 48: "EAP", 53: "SKF",
}

V2_NOTIFIES = {
    1: "UNSUPPORTED_CRITICAL_PAYLOAD", 4: "INVALID_IKE_SPI", 5: "INVALID_MAJOR_VERSION",
    7: "INVALID_SYNTAX", 9: "INVALID_MESSAGE_ID", 11: "INVALID_SPI", 14: "NO_PROPOSAL_CHOSEN",
    17: "INVALID_KE_PAYLOAD", 24: "AUTHENTICATION_FAILED", 34: "SINGLE_PAIR_REQUIRED",
    35: "NO_ADDITIONAL_SAS", 36: "INTERNAL_ADDRESS_FAILURE", 37: "FAILED_CP_REQUIRED",
    38: "TS_UNACCEPTABLE", 39: "INVALID_SELECTORS", 40: "UNACCEPTABLE_ADDRESSES",
    41: "UNEXPECTED_NAT_DETECTED", 42: "USE_ASSIGNED_HoA", 43: "TEMPORARY_FAILURE",
    44: "CHILD_SA_NOT_FOUND", 45: "INVALID_GROUP_ID", 46: "AUTHORIZATION_FAILED",
    47: "STATE_NOT_FOUND",
    16384: "INITIAL_CONTACT", 16385: "SET_WINDOW_SIZE", 16386: "ADDITIONAL_TS_POSSIBLE",
    16387: "IPCOMP_SUPPORTED", 16388: "NAT_DETECTION_SOURCE_IP",
    16389: "NAT_DETECTION_DESTINATION_IP", 16390: "COOKIE", 16391: "USE_TRANSPORT_MODE",
    16392: "HTTP_CERT_LOOKUP_SUPPORTED", 16393: "REKEY_SA", 16394: "ESP_TFC_PADDING_NOT_SUPPORTED",
    16395: "NON_FIRST_FRAGMENTS_ALSO", 16396: "MOBIKE_SUPPORTED", 16404: "MULTIPLE_AUTH_SUPPORTED",
    16406: "EAP_ONLY_AUTHENTICATION", 16417: "IKEV2_FRAGMENTATION_SUPPORTED",
    16418: "SIGNATURE_HASH_ALGORITHMS", 16419: "CLONE_IKE_SA_SUPPORTED", 16420: "CLONE_IKE_SA",
    16422: "CHILDLESS_IKEV2_SUPPORTED", 16430: "REDIRECT_SUPPORTED", 16431: "USE_PPK",
    16435: "INTERMEDIATE_EXCHANGE_SUPPORTED",
}
V1_NOTIFIES = {
    1: "INVALID-PAYLOAD-TYPE", 2: "DOI-NOT-SUPPORTED", 3: "SITUATION-NOT-SUPPORTED",
    4: "INVALID-COOKIE", 5: "INVALID-MAJOR-VERSION", 6: "INVALID-MINOR-VERSION",
    7: "INVALID-EXCHANGE-TYPE", 8: "INVALID-FLAGS", 9: "INVALID-MESSAGE-ID",
    10: "INVALID-PROTOCOL-ID", 11: "INVALID-SPI", 12: "INVALID-TRANSFORM-ID",
    13: "ATTRIBUTES-NOT-SUPPORTED", 14: "NO-PROPOSAL-CHOSEN", 15: "BAD-PROPOSAL-SYNTAX",
    16: "PAYLOAD-MALFORMED", 17: "INVALID-KEY-INFORMATION", 18: "INVALID-ID-INFORMATION",
    19: "INVALID-CERT-ENCODING", 20: "INVALID-CERTIFICATE", 21: "CERT-TYPE-UNSUPPORTED",
    22: "INVALID-CERT-AUTHORITY", 23: "INVALID-HASH-INFORMATION", 24: "AUTHENTICATION-FAILED",
    25: "INVALID-SIGNATURE", 26: "ADDRESS-NOTIFICATION", 27: "NOTIFY-SA-LIFETIME",
    28: "CERTIFICATE-UNAVAILABLE", 29: "UNSUPPORTED-EXCHANGE-TYPE", 30: "UNEQUAL-PAYLOAD-LENGTHS",
    24576: "RESPONDER-LIFETIME", 24577: "REPLAY-STATUS", 24578: "INITIAL-CONTACT",
    36136: "R-U-THERE", 36137: "R-U-THERE-ACK",
}

# IKEv2 transform types and ids (IANA "IKEv2 Parameters")
V2_TRANSFORM_TYPES = {1: "ENCR", 2: "PRF", 3: "INTEG", 4: "DH", 5: "ESN"}
V2_ENCR = {
    2: "DES", 3: "3DES", 11: "NULL", 12: "AES_CBC", 13: "AES_CTR", 14: "AES_CCM_8",
    15: "AES_CCM_12", 16: "AES_CCM_16", 18: "AES_GCM_8", 19: "AES_GCM_12", 20: "AES_GCM_16",
    23: "CAMELLIA_CBC", 28: "CHACHA20_POLY1305",
}
V2_PRF = {1: "PRF_MD5", 2: "PRF_SHA1", 4: "PRF_AES128_XCBC", 5: "PRF_SHA2_256",
          6: "PRF_SHA2_384", 7: "PRF_SHA2_512", 8: "PRF_AES128_CMAC"}
V2_INTEG = {0: "NONE", 1: "MD5_96", 2: "SHA1_96", 5: "AES_XCBC_96", 8: "AES_CMAC_96",
            12: "SHA2_256_128", 13: "SHA2_384_192", 14: "SHA2_512_256"}
DH_GROUPS = {
    0: "NONE", 1: "MODP_768", 2: "MODP_1024", 5: "MODP_1536", 14: "MODP_2048", 15: "MODP_3072",
    16: "MODP_4096", 17: "MODP_6144", 18: "MODP_8192", 19: "ECP_256", 20: "ECP_384",
    21: "ECP_521", 22: "MODP_1024_160", 23: "MODP_2048_224", 24: "MODP_2048_256",
    25: "ECP_192", 26: "ECP_224", 27: "BRAINPOOL_224", 28: "BRAINPOOL_256",
    29: "BRAINPOOL_384", 30: "BRAINPOOL_512", 31: "CURVE25519", 32: "CURVE448",
}
V2_PROTOCOLS = {1: "IKE", 2: "AH", 3: "ESP"}

# IKEv1 phase-1 attributes (RFC 2409 appendix A) and IPsec DOI (RFC 2407 4.5)
V1_ENCR = {1: "DES", 2: "IDEA", 3: "BLOWFISH", 4: "RC5", 5: "3DES", 6: "CAST", 7: "AES_CBC",
           8: "CAMELLIA_CBC"}
V1_HASH = {1: "MD5", 2: "SHA1", 3: "TIGER", 4: "SHA2_256", 5: "SHA2_384", 6: "SHA2_512"}
V1_AUTH = {1: "PSK", 2: "DSS", 3: "RSA_SIG", 4: "RSA_ENC", 5: "RSA_REV_ENC", 9: "ECDSA_SHA256",
           10: "ECDSA_SHA384", 11: "ECDSA_SHA512", 64221: "HYBRID_RSA",
           65001: "XAUTH_PSK", 65005: "XAUTH_RSA"}
V1_ESP = {2: "DES", 3: "3DES", 11: "NULL", 12: "AES_CBC", 13: "AES_CTR", 18: "AES_GCM_8",
          19: "AES_GCM_12", 20: "AES_GCM_16", 22: "CAMELLIA_CBC"}
V1_AH = {2: "MD5", 3: "SHA1", 5: "SHA2_256", 6: "SHA2_384", 7: "SHA2_512"}
V1_ESP_AUTH = {1: "HMAC_MD5", 2: "HMAC_SHA1", 5: "HMAC_SHA2_256", 6: "HMAC_SHA2_384",
               7: "HMAC_SHA2_512"}
V1_ENCAP = {1: "TUNNEL", 2: "TRANSPORT", 3: "UDP_TUNNEL", 4: "UDP_TRANSPORT",
            61443: "UDP_TUNNEL", 61444: "UDP_TRANSPORT"}
V1_PROTOCOLS = {1: "ISAKMP", 2: "AH", 3: "ESP", 4: "IPCOMP"}

# vendor ID payloads worth naming (MD5 of a well-known string, or a fixed prefix)
VENDOR_IDS = {
    "4a131c81070358455c5728f20e95452f": "NAT-T (RFC 3947)",
    "90cb80913ebb696e086381b5ec427b1f": "NAT-T (draft 02)",
    "cd60464335df21f87cfdb2fc68b6a448": "NAT-T (draft 02)",
    "7d9419a65310ca6f2c179d9215529d56": "NAT-T (draft 03)",
    "4485152d18b6bbcd0be8a8469579ddcc": "NAT-T (draft 00)",
    "afcad71368a1f1c96b8696fc77570100": "DPD",
    "09002689dfd6b712": "XAUTH",
    "882fe56d6fd20dbc2251613b2ebe5beb": "strongSwan",
    "4048b7d56ebce88525e7de7f00d6c2d3": "IKE fragmentation",
    "12f5f28c457168a9702d9fe274cc0100": "Cisco Unity",
    "1f07f70eaa6514d3b0fa96542a500100": "Cisco FlexVPN",
}
_VID_PREFIXES = (
    ("4f45", "Libreswan"),  # "OE" + version
    ("4048b7d56ebce885", "IKE fragmentation"),
    ("12f5f28c457168a9702d9fe274cc", "Cisco Unity"),
    ("afcad71368a1f1c96b8696fc7757", "DPD"),
)
NAT_T_VIDS = frozenset(k for k, v in VENDOR_IDS.items() if v.startswith("NAT-T"))


# ICMP (type 3) and ICMPv6 (type 1) destination-unreachable codes
ICMP_CODES = {
    (3, 0): "net unreachable", (3, 1): "host unreachable", (3, 3): "port unreachable",
    (3, 9): "net prohibited", (3, 10): "host prohibited", (3, 13): "administratively prohibited",
    (1, 0): "no route", (1, 1): "administratively prohibited", (1, 3): "address unreachable",
    (1, 4): "port unreachable",
}
PORT_UNREACHABLE = ((3, 3), (1, 4))
PROHIBITED = ((3, 9), (3, 10), (3, 13), (1, 1))


def vendor_name(vid: bytes) -> str:
    h = vid.hex()
    name = VENDOR_IDS.get(h)
    if name:
        return name
    for prefix, pname in _VID_PREFIXES:
        if h.startswith(prefix):
            return pname
    return h[:16]


# -- structures -----------------------------------------------------------------------------


@dataclass
class Transform:
    """One transform: its type (IKEv2 ENCR/PRF/INTEG/DH/ESN; IKEv1 "SA" for a phase-1 set or the
    IPsec transform id) and the algorithm words."""

    words: tuple[str, ...]  # e.g. ("AES_CBC_256",) or ("AES_CBC_256", "SHA2_256", "PSK", ...)
    group: int | None = None  # the DH group it names (IKEv2 DH transform, IKEv1 group attr)


@dataclass
class Proposal:
    number: int
    protocol: str  # IKE/ISAKMP, ESP, AH
    spi: bytes
    transforms: list[Transform] = field(default_factory=list)

    def text(self) -> str:
        """``AES_CBC_256/SHA2_256_128/PRF_SHA2_256/MODP_2048`` (IKEv2: one word per type,
        alternatives joined with ``|``); IKEv1: one transform set per alternative."""
        if any(len(t.words) > 1 for t in self.transforms):  # IKEv1: one set per transform
            return ", ".join("/".join(t.words) for t in self.transforms)
        return "/".join(w for t in self.transforms for w in t.words)


@dataclass
class Notify:
    type: int
    name: str
    protocol: int = 0
    spi: bytes = b""
    data: bytes = b""


@dataclass
class Message:
    ispi: bytes
    rspi: bytes
    version: int  # major version: 1 or 2
    minor: int
    exchange: int
    flags: int
    msgid: int
    length: int
    payloads: list[str] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    ke_group: int | None = None
    notifies: list[Notify] = field(default_factory=list)
    vendors: list[str] = field(default_factory=list)
    nat_d: list[bytes] = field(default_factory=list)  # IKEv1 NAT-D hashes in order
    ids: list[str] = field(default_factory=list)  # identities sent in clear
    encrypted: bool = False
    inner: str | None = None  # IKEv2: type of the first payload inside SK/SKF
    fragment: tuple[int, int] | None = None  # IKEv2 SKF (number, total)
    malformed: str | None = None
    wire: bytes = b""  # the IKE message bytes (``flows`` hashes them, then drops them)

    @property
    def exchange_name(self) -> str:
        return EXCHANGES.get(self.exchange, f"EXCHANGE_{self.exchange}")

    @property
    def response(self) -> bool | None:
        """IKEv2 R flag; IKEv1 has none (None)."""
        return bool(self.flags & 0x20) if self.version == 2 else None

    @property
    def initiator_flag(self) -> bool | None:
        return bool(self.flags & 0x08) if self.version == 2 else None

    def notify_names(self) -> list[str]:
        return [n.name for n in self.notifies]


@dataclass
class Packet:
    frame: int
    time: float
    src: str
    dst: str
    sport: int  # 0 for ESP
    dport: int
    kind: str  # "ike", "esp", "udp-esp", "keepalive", "fragment", "icmp"
    spi: int | None = None  # ESP
    seq: int | None = None  # ESP sequence number
    ike: Message | None = None
    fragmented: bool = False  # the first IP fragment of a larger datagram
    ttl: int = 0  # IPv4 TTL / IPv6 hop limit as captured
    icmp: tuple[int, int] | None = None  # ICMP (type, code) about an IKE packet; the ports,
    # addresses of the packet it reports are sport/dport and inner_src/inner_dst
    inner_src: str = ""
    inner_dst: str = ""


# -- IP / UDP -------------------------------------------------------------------------------

_IKE_PORTS = (500, 4500)


def decode(frame: Frame) -> Packet | None:
    """The IKE/ESP content of one frame, or None for everything else.  Never raises on content."""
    try:
        return _decode(frame)
    except (IndexError, ValueError):  # a bounds slip in a path not checked explicitly
        return None


def _decode(frame: Frame) -> Packet | None:
    found = ip_payload(frame.link, frame.data)
    if found is None:
        return None
    version, off = found
    data = frame.data
    fragmented = False
    if version == 4:
        if len(data) < off + 20:
            return None
        ihl = (data[off] & 0x0F) * 4
        if ihl < 20:
            return None
        total = int.from_bytes(data[off + 2 : off + 4], "big")
        frag = int.from_bytes(data[off + 6 : off + 8], "big")
        proto = data[off + 9]
        src = str(ipaddress.IPv4Address(data[off + 12 : off + 16]))
        dst = str(ipaddress.IPv4Address(data[off + 16 : off + 20]))
        end = min(len(data), off + total) if total >= ihl else len(data)
        if frag & 0x1FFF:
            return Packet(frame.number, frame.time, src, dst, 0, 0, "fragment")
        fragmented = bool(frag & 0x2000)
        ttl = data[off + 8]
        pos = off + ihl
    else:
        if len(data) < off + 40:
            return None
        plen = int.from_bytes(data[off + 4 : off + 6], "big")
        proto = data[off + 6]
        ttl = data[off + 7]
        src = str(ipaddress.IPv6Address(data[off + 8 : off + 24]))
        dst = str(ipaddress.IPv6Address(data[off + 24 : off + 40]))
        pos = off + 40
        end = min(len(data), pos + plen) if plen else len(data)
        hops = 0
        while proto in (0, 43, 44, 60) and hops < 8 and pos + 8 <= end:
            hops += 1
            if proto == 44:  # fragment header
                offset = int.from_bytes(data[pos + 2 : pos + 4], "big")
                if offset & 0xFFF8:
                    return Packet(frame.number, frame.time, src, dst, 0, 0, "fragment")
                fragmented = bool(offset & 1)
                proto, pos = data[pos], pos + 8
            else:
                proto, pos = data[pos], pos + (data[pos + 1] + 1) * 8
    if proto in (1, 58):
        return _icmp(frame, src, dst, proto, data[pos:end])
    if proto == 50:
        if pos + 8 > end:
            return None
        spi = int.from_bytes(data[pos : pos + 4], "big")
        seq = int.from_bytes(data[pos + 4 : pos + 8], "big")
        return Packet(frame.number, frame.time, src, dst, 0, 0, "esp", spi=spi, seq=seq, ttl=ttl)
    if proto != 17 or pos + 8 > end:
        return None
    sport = int.from_bytes(data[pos : pos + 2], "big")
    dport = int.from_bytes(data[pos + 2 : pos + 4], "big")
    if sport not in _IKE_PORTS and dport not in _IKE_PORTS:
        return None
    body = data[pos + 8 : end]
    pkt = Packet(frame.number, frame.time, src, dst, sport, dport, "ike", fragmented=fragmented,
                 ttl=ttl)
    if 4500 in (sport, dport):
        if body == b"\xff":
            pkt.kind = "keepalive"
            return pkt
        if len(body) >= 4 and body[:4] != b"\x00\x00\x00\x00":
            if len(body) < 8:
                return None
            pkt.kind = "udp-esp"  # (ttl already set)
            pkt.spi = int.from_bytes(body[:4], "big")
            pkt.seq = int.from_bytes(body[4:8], "big")
            return pkt
        body = body[4:]  # non-ESP marker
    msg = parse_message(body)
    if msg is None:
        return None
    pkt.ike = msg
    return pkt


def _icmp(frame: Frame, src: str, dst: str, proto: int, body: bytes) -> Packet | None:
    """An ICMP/ICMPv6 error that quotes an IKE packet (UDP 500/4500): unreachable, prohibited."""
    if len(body) < 8:
        return None
    itype, code = body[0], body[1]
    if (proto == 1 and itype != 3) or (proto == 58 and itype != 1):
        return None
    inner = body[8:]
    if proto == 1:
        if len(inner) < 28 or inner[0] >> 4 != 4 or inner[9] != 17:
            return None
        ihl = (inner[0] & 0x0F) * 4
        isrc = str(ipaddress.IPv4Address(inner[12:16]))
        idst = str(ipaddress.IPv4Address(inner[16:20]))
    else:
        if len(inner) < 48 or inner[6] != 17:
            return None
        ihl = 40
        isrc = str(ipaddress.IPv6Address(inner[8:24]))
        idst = str(ipaddress.IPv6Address(inner[24:40]))
    if len(inner) < ihl + 4:
        return None
    sport = int.from_bytes(inner[ihl : ihl + 2], "big")
    dport = int.from_bytes(inner[ihl + 2 : ihl + 4], "big")
    if dport not in _IKE_PORTS:
        return None
    return Packet(frame.number, frame.time, src, dst, sport, dport, "icmp", icmp=(itype, code),
                  inner_src=isrc, inner_dst=idst)


# -- IKE ------------------------------------------------------------------------------------


def parse_message(buf: bytes) -> Message | None:
    """Decode one IKE message (after any non-ESP marker); None when it is not IKE at all."""
    if len(buf) < 28:
        return None
    ver = buf[17]
    major, minor = ver >> 4, ver & 0x0F
    if major not in (1, 2):
        return None
    exchange = buf[18]
    if exchange not in EXCHANGES and not (exchange >= 240):
        return None
    msg = Message(
        ispi=buf[0:8],
        rspi=buf[8:16],
        version=major,
        minor=minor,
        exchange=exchange,
        flags=buf[19],
        msgid=int.from_bytes(buf[20:24], "big"),
        length=int.from_bytes(buf[24:28], "big"),
        wire=buf[:4096],
    )
    end = min(len(buf), msg.length) if msg.length >= 28 else len(buf)
    if msg.length > len(buf):
        msg.malformed = f"truncated ({len(buf)} of {msg.length} bytes)"
    if major == 1 and msg.flags & 0x01:
        msg.encrypted = True
        msg.payloads.append("encrypted")
        return msg
    _walk(msg, buf, 28, end, buf[16])
    return msg


def _walk(msg: Message, buf: bytes, pos: int, end: int, nxt: int) -> None:
    names = V2_PAYLOADS if msg.version == 2 else V1_PAYLOADS
    count = 0
    while nxt and count < 64:
        count += 1
        if pos + 4 > end:
            msg.malformed = msg.malformed or "payload header beyond the message"
            return
        this, nxt = nxt, buf[pos]
        plen = int.from_bytes(buf[pos + 2 : pos + 4], "big")
        if plen < 4 or pos + plen > end:
            msg.malformed = msg.malformed or f"payload {names.get(this, this)} length {plen}"
            return
        body = buf[pos + 4 : pos + plen]
        name = names.get(this, f"#{this}")
        msg.payloads.append(name)
        if msg.version == 2:
            _payload_v2(msg, this, body, nxt)
            if this in (46, 53):  # SK / SKF: everything after is encrypted
                msg.encrypted = True
                msg.inner = V2_PAYLOADS.get(nxt, f"#{nxt}") if nxt else None
                return
        else:
            _payload_v1(msg, this, body)
        pos += plen


def _payload_v2(msg: Message, ptype: int, body: bytes, nxt: int) -> None:
    if ptype == 33:
        msg.proposals.extend(_proposals_v2(body))
    elif ptype == 34 and len(body) >= 2:
        msg.ke_group = int.from_bytes(body[:2], "big")
    elif ptype == 41 and len(body) >= 4:
        proto, spi_size = body[0], body[1]
        ntype = int.from_bytes(body[2:4], "big")
        spi = body[4 : 4 + spi_size]
        data = body[4 + spi_size :]
        name = V2_NOTIFIES.get(ntype, f"NOTIFY_{ntype}")
        msg.notifies.append(Notify(ntype, name, proto, spi, data))
    elif ptype == 43:
        msg.vendors.append(vendor_name(body))
    elif ptype in (35, 36) and len(body) >= 4:
        msg.ids.append(_identity(body[0], body[4:]))
    elif ptype == 53 and len(body) >= 4:
        msg.fragment = (int.from_bytes(body[0:2], "big"), int.from_bytes(body[2:4], "big"))


def _payload_v1(msg: Message, ptype: int, body: bytes) -> None:
    if ptype == 1:
        msg.proposals.extend(_proposals_v1(body))
    elif ptype == 4:
        pass  # the group is in the SA
    elif ptype == 11 and len(body) >= 8:
        proto, spi_size = body[4], body[5]
        ntype = int.from_bytes(body[6:8], "big")
        spi = body[8 : 8 + spi_size]
        data = body[8 + spi_size :]
        name = V1_NOTIFIES.get(ntype, f"NOTIFY-{ntype}")
        msg.notifies.append(Notify(ntype, name, proto, spi, data))
    elif ptype == 13:
        msg.vendors.append(vendor_name(body))
    elif ptype in (20, 130):
        msg.nat_d.append(body)
    elif ptype == 5 and len(body) >= 4:
        msg.ids.append(_identity(body[0], body[4:]))


def _identity(id_type: int, data: bytes) -> str:
    try:
        if id_type == 1 and len(data) == 4:
            return str(ipaddress.IPv4Address(data))
        if id_type == 5 and len(data) == 16:
            return str(ipaddress.IPv6Address(data))
        if id_type in (2, 3):  # FQDN, user FQDN
            return data[:128].decode("ascii", "replace")
    except ValueError:
        pass
    return f"id-type-{id_type}"


def _substructures(body: bytes, pos: int, limit: int = 64):
    """(body of each proposal/transform substructure) with bounds checks."""
    count = 0
    while pos + 4 <= len(body) and count < limit:
        count += 1
        last = body[pos]
        slen = int.from_bytes(body[pos + 2 : pos + 4], "big")
        if slen < 4 or pos + slen > len(body):
            return
        yield body[pos : pos + slen]
        pos += slen
        if last == 0:
            return


def _attributes(data: bytes, limit: int = 32) -> list[tuple[int, int]]:
    """(type, value) of SA attributes (TV and TLV forms; TLV values up to 8 bytes)."""
    out: list[tuple[int, int]] = []
    pos = 0
    while pos + 4 <= len(data) and len(out) < limit:
        atype = int.from_bytes(data[pos : pos + 2], "big")
        if atype & 0x8000:
            out.append((atype & 0x7FFF, int.from_bytes(data[pos + 2 : pos + 4], "big")))
            pos += 4
        else:
            alen = int.from_bytes(data[pos + 2 : pos + 4], "big")
            value = data[pos + 4 : pos + 4 + alen]
            if len(value) < alen:
                return out
            out.append((atype, int.from_bytes(value[:8], "big")))
            pos += 4 + alen
    return out


def _proposals_v2(body: bytes) -> list[Proposal]:
    out: list[Proposal] = []
    for sub in _substructures(body, 0):
        if len(sub) < 8:
            break
        num, proto, spi_size, ntrans = sub[4], sub[5], sub[6], sub[7]
        spi = sub[8 : 8 + spi_size]
        prop = Proposal(num, V2_PROTOCOLS.get(proto, f"PROTO_{proto}"), spi)
        for t in _substructures(sub, 8 + spi_size, max(ntrans, 1)):
            if len(t) < 8:
                break
            ttype, tid = t[4], int.from_bytes(t[6:8], "big")
            keylen = next((v for a, v in _attributes(t[8:]) if a == 14), None)
            prop.transforms.append(_transform_v2(ttype, tid, keylen))
        out.append(prop)
    return out


def _transform_v2(ttype: int, tid: int, keylen: int | None) -> Transform:
    if ttype == 1:
        word = V2_ENCR.get(tid, f"ENCR_{tid}")
        if keylen:
            word += f"_{keylen}"
        return Transform((word,))
    if ttype == 2:
        return Transform((V2_PRF.get(tid, f"PRF_{tid}"),))
    if ttype == 3:
        return Transform((V2_INTEG.get(tid, f"INTEG_{tid}"),))
    if ttype == 4:
        return Transform((DH_GROUPS.get(tid, f"DH_{tid}"),), group=tid)
    if ttype == 5:
        return Transform(("ESN" if tid else "NO_ESN",))
    return Transform((f"T{ttype}_{tid}",))


def _proposals_v1(body: bytes) -> list[Proposal]:
    out: list[Proposal] = []
    if len(body) < 8:
        return out
    # DOI (4 bytes) and situation (4 bytes for the IPsec DOI, the only one in use)
    for sub in _substructures(body, 8):
        if len(sub) < 8:
            break
        num, proto, spi_size, ntrans = sub[4], sub[5], sub[6], sub[7]
        spi = sub[8 : 8 + spi_size]
        prop = Proposal(num, V1_PROTOCOLS.get(proto, f"PROTO_{proto}"), spi)
        for t in _substructures(sub, 8 + spi_size, max(ntrans, 1)):
            if len(t) < 8:
                break
            tid = t[5]
            prop.transforms.append(_transform_v1(proto, tid, _attributes(t[8:])))
        out.append(prop)
    return out


def _transform_v1(proto: int, tid: int, attrs: list[tuple[int, int]]) -> Transform:
    a = dict(attrs)
    words: list[str] = []
    group: int | None = None
    if proto == 1:  # ISAKMP: phase-1 attributes
        enc = V1_ENCR.get(a.get(1, 0), f"ENCR_{a.get(1)}")
        if 14 in a:
            enc += f"_{a[14]}"
        words.append(enc)
        words.append(V1_HASH.get(a.get(2, 0), f"HASH_{a.get(2)}"))
        words.append(V1_AUTH.get(a.get(3, 0), f"AUTH_{a.get(3)}"))
        if 4 in a:
            group = a[4]
            words.append(DH_GROUPS.get(group, f"DH_{group}"))
        if a.get(11) == 1 and 12 in a:
            words.append(f"{a[12]}s")
    else:  # IPsec DOI
        table = V1_ESP if proto == 3 else V1_AH
        enc = table.get(tid, f"T_{tid}")
        if 6 in a:
            enc += f"_{a[6]}"
        words.append(enc)
        if 5 in a:
            words.append(V1_ESP_AUTH.get(a[5], f"AUTH_{a[5]}"))
        if 4 in a:
            words.append(V1_ENCAP.get(a[4], f"ENCAP_{a[4]}"))
        if 3 in a:
            group = a[3]
            words.append(f"PFS_{DH_GROUPS.get(group, group)}")
        if a.get(1) == 1 and 2 in a:
            words.append(f"{a[2]}s")
    return Transform(tuple(words), group)


# -- one-line summaries ---------------------------------------------------------------------


def summary(pkt: Packet, role: str | None = None, label: str | None = None) -> str:
    """``#3 192.0.2.1:500 > 198.51.100.2:500 IKE_SA_INIT resp N(NO_PROPOSAL_CHOSEN)``."""
    if pkt.kind in ("esp", "fragment"):
        head = f"#{pkt.frame} {pkt.src} > {pkt.dst}"
    else:
        head = f"#{pkt.frame} {_ep(pkt.src, pkt.sport)} > {_ep(pkt.dst, pkt.dport)}"
    if pkt.kind == "esp":
        return f"{head} ESP spi 0x{pkt.spi:08x} seq {pkt.seq}"
    if pkt.kind == "udp-esp":
        return f"{head} UDP-ESP spi 0x{pkt.spi:08x} seq {pkt.seq}"
    if pkt.kind == "keepalive":
        return f"{head} NAT-keepalive"
    if pkt.kind == "icmp" and pkt.icmp:
        what = ICMP_CODES.get(pkt.icmp, f"type {pkt.icmp[0]} code {pkt.icmp[1]}")
        return (f"#{pkt.frame} {pkt.src} > {pkt.dst} ICMP {what} for "
                f"{_ep(pkt.inner_src, pkt.sport)} > {_ep(pkt.inner_dst, pkt.dport)}")
    if pkt.kind == "fragment" or pkt.ike is None:
        return f"{head} IP fragment"
    m = pkt.ike
    parts = [head, f"IKEv{m.version}", label or m.exchange_name]
    if label and label != m.exchange_name:
        parts.append(f"({m.exchange_name})")
    if role:
        parts.append(role)
    if m.version == 2 or m.msgid:
        parts.append(f"mid {m.msgid}")
    items: list[str] = []
    for p in m.payloads:
        if p == "SA" and m.proposals:
            items.append("SA[" + " | ".join(pr.text() for pr in m.proposals[:4]) + "]")
        elif p == "KE" and m.ke_group is not None:
            items.append(f"KE({m.ke_group})")
        elif p == "N":
            continue
        elif p in ("V", "NAT-D") or (p in ("ID", "IDi", "IDr") and m.ids):
            continue  # listed below
        elif p == "SK" and m.inner:
            items.append(f"SK{{{m.inner}}}")
        else:
            items.append(p)
    items.extend(f"N({_notify_text(n)})" for n in m.notifies)
    if m.vendors:
        items.append("V(" + ", ".join(dict.fromkeys(m.vendors)) + ")")
    if m.nat_d:
        items.append(f"NAT-D x{len(m.nat_d)}")
    if m.ids:
        items.append("ID(" + ", ".join(m.ids) + ")")
    if m.encrypted:
        items.append(f"len {m.length}")
    if m.malformed:
        items.append(f"[malformed: {m.malformed}]")
    if pkt.fragmented:
        items.append("[IP fragment 1]")
    text = " ".join(parts + items)
    return text if len(text) <= 400 else text[:397] + "..."


def _notify_text(n: Notify) -> str:
    if n.name == "INVALID_KE_PAYLOAD" and len(n.data) >= 2:
        return f"INVALID_KE_PAYLOAD group {int.from_bytes(n.data[:2], 'big')}"
    return n.name


def _ep(addr: str, port: int) -> str:
    return f"[{addr}]:{port}" if ":" in addr else f"{addr}:{port}"
