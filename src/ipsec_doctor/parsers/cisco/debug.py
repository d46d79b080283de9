"""Cisco debug output: IOS/IOS-XE ``debug crypto isakmp|ipsec|ikev2`` and ASA/PIX
``debug crypto ikev1|ikev2|isakmp|ipsec``, as pasted from a console or kept by a syslog server.

A line is an optional header (``*Mar  1 00:03:43.339:``, ``000123:``, ``1d00h:``, ``<189>``, a
host name; read by ``syslog.split_header``) and a body with one of these tags::

    ISAKMP:(1003):Checking ISAKMP transform 1 against priority 10 policy     (IOS 12.4+)
    ISAKMP: (0):      encryption 3DES-CBC                                    (IOS-XE)
    ISAKMP (0:1): atts are not acceptable. Next payload is 0                 (IOS 12.x, PIX)
    ISAKMP-ERROR: (0):phase 1 SA policy not acceptable! (local A remote B)   (IOS-XE)
    IPSEC(validate_proposal): invalid local address 10.2.0.2
    IKEv2:(SESSION ID = 1,SA ID = 1):Failed to find a matching policy       (IOS-XE IKEv2)
    IKEv2-ERROR:(SESSION ID = 71,SA ID = 1):: Auth exchange failed
    IKEv2-PROTO-1: (16): Received Policies:                                  (ASA IKEv2)
    Nov 08 07:10:05 [IKEv1]Group = 172.16.0.2, IP = 172.16.0.2, QM FSM error (...)!   (ASA)
    crypto_engine_select_crypto_engine: can't handle any more                (7600)
    2w5d: ICMP: dst (172.16.1.56): frag. needed and DF set.                  (debug ip icmp)

Untagged continuation lines (``Initiator SPI : ...``, `` VID IDr AUTH NOTIFY(...)``,
``Proposal 1: AES-CBC-256 SHA1 SHA96 DH_GROUP_1024_MODP/Group 2``, ``(key eng. msg.) ...``,
``OAK_QM exchange``, and the tag-less bodies of documents that dropped the tags) are read while
a block is open.  Cisco syslog lines in the middle of debug output are handed to
``syslog.Collector``; other vendors' lines end the block.

What becomes a fact (``Signal``, vendor ``cisco``, family ``debug``):

* the shared vocabulary (``reason``): ``replay check failed``, ``qm fsm error``, ``invalid local
  address``, ``proxy identities not supported``, ``transform proposal not supported``, ``no cert
  and no keys with remote peer``, ``peer address not found``, ``ipsec packet has invalid spi``,
  ``invalid proxy ids``, ``reserved not zero on payload 5``, ``hash|encryption algorithm offered
  does not match policy``, ``dh group offered does not match policy``, ``authentication method
  offered does not match policy``, ``atts are not acceptable``, ``all ipsec sa proposals found
  unacceptable``, ``hmac verification failed``, ``remote peer not responding``, ``retransmitting
  phase 1``, ``main mode failed``, ``sanity check failed``, ``packet encryption/decryption
  error``, ``esp sequence fail``, ``crypto engine cannot handle more``, ``preshared key
  mismatch``, ``no matching crypto map entry``, ``mtu exceeded`` (kind ``debug``; a teardown
  reason of the ASA is kind ``teardown``), plus ``retransmitting phase 2``;
* phase-2 refusals told from phase-1 ones: a NO_PROPOSAL_CHOSEN for an IPsec SA (IKEv1
  ``protocol 3``/``2``, or quick mode: after ``SA has been authenticated``/``IKE_P1_COMPLETE``,
  ``processing SA payload. message ID = N`` with N != 0, ``IPSEC(validate_proposal...)``; IKEv2:
  in IKE_AUTH or CREATE_CHILD_SA) is ``ipsec sa proposal not acceptable`` (kind ``debug``,
  ``detail`` ``NO_PROPOSAL_CHOSEN received in IKE_AUTH``); a refusal the debug ties to PFS (a
  group refused in a quick-mode check, ASA ``Phase 2 failure ... class Group Description``, a
  line naming PFS with a failure word) is ``pfs group offered does not match``;
* notifications: ``notify <RFC NAME>`` (kind ``notify``), ``detail`` ``received``/``sent`` when
  the packet direction is known; IKEv1 names are mapped to the RFC ones (``PROPOSAL_NOT_CHOSEN``
  -> ``NO_PROPOSAL_CHOSEN``, ``INVALID_ID_INFO`` -> ``INVALID_ID_INFORMATION``);
* error-tagged lines (``ISAKMP-ERROR``, ``IKEv2-ERROR``, ``IKEv2-PROTO-1``, ASA ``[IKEv1]``
  lines with an error word) that match nothing known: the message text (at most 200
  characters, hexadecimal ids blanked), reported as unknown.  Ordinary chatter yields nothing.

Proposal checks are judged as a whole.  IOS checks every offered transform against every policy
(``Checking ISAKMP transform 1 against priority 10 policy``, then ``encryption DES-CBC``,
``hash SHA``, ``default group 2``, ``auth pre-share``, then ``atts are acceptable`` or a
mismatch message and ``atts are not acceptable``); a rejection is normal until no check
succeeds.  Rejections are kept pending: ``atts are acceptable`` drops them, a verdict (``no
offers accepted``, ``phase 1 SA policy not acceptable``, ``IPsec policy invalidated proposal``,
ASA ``All SA proposals found unacceptable``), an unrelated line or the end of the block emits
them (the first-checked policy of each offered transform).  ``detail`` names the attribute and
both values where the debug shows them: IOS prints only the offered values
(``encryption: offered 3DES-CBC, policy priority 3; offered encryption 3DES-CBC, hash SHA,
group 2, auth pre-share``), ASA prints both (``group: offered 2, policy 5``), IKEv2 prints the
received and expected proposals, compared attribute by attribute (``prf: offered SHA1, policy
SHA384; group: offered 2, policy 24``); one differing class gives the matching specific reason.

Wrapped messages (``IPsec (validate_proposal): transform proposal`` / ``(port 3, trans 2,
hmac_alg 2) not supported``, ``No cert, and no keys (public or pre-shared) with`` / ``remote
peer 198.51.100.2``) are joined when the first part is visibly incomplete.  Everything is
bounded ``str`` work on at most ``_BODY`` characters of a line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model import Line, Signal
from ..base import Context
from ..util import is_digits, is_ip, to_int
from .syslog import (
    MAX_REASON,
    WRAP_WIDTHS,
    Collector,
    find_peer,
    is_cisco_tag,
    parse_line,
    split_header,
    squash,
)

_BODY = 1024  # characters of a body that are read
MAX_BLANKS = 3
MAX_LOOSE = 64  # consecutive unrecognised continuation lines kept in a block
MAX_PENDING = 32  # proposal rejections kept while waiting for a verdict
MAX_JOIN = 3  # continuation lines joined to an incomplete message
MAX_PROPOSALS = 16  # IKEv2 proposals kept per list

# -- tags ---------------------------------------------------------------------------------------

ISAKMP, ISAKMP_ERR, IPSEC, IKEV2, IKEV2_ERR, ASA_V1, ASA_V1_DEBUG, CRYPTO, ICMP = (
    "isakmp",
    "isakmp-error",
    "ipsec",
    "ikev2",
    "ikev2-error",
    "asa-ikev1",
    "asa-ikev1-debug",
    "crypto",
    "icmp",
)
_ERROR_TAGS = frozenset({ISAKMP_ERR, IKEV2_ERR})
_V1_TAGS = frozenset({ISAKMP, ISAKMP_ERR, ASA_V1, ASA_V1_DEBUG})
_V2_TAGS = frozenset({IKEV2, IKEV2_ERR})


@dataclass
class Body:
    tag: str | None
    msg: str  # the message after the tag and its "(0:1):" / "(SESSION ID = ..):" part
    func: str = ""  # IPSEC(func)
    level: int | None = None  # IKEv2-PROTO-<level>
    peer: str | None = None  # ASA "IP = x" prefix


def _skip_ws(s: str, i: int) -> int:
    n = len(s)
    while i < n and s[i] == " ":
        i += 1
    return i


def _after_paren(s: str, i: int, limit: int = 48) -> int:
    """Skip ``(...)`` at ``i`` (a connection or session id) and the ``:``/``;`` after it."""
    i = _skip_ws(s, i)
    if i < len(s) and s[i] == "(":
        j = s.find(")", i, i + limit)
        if j != -1:
            i = _skip_ws(s, j + 1)
    while i < len(s) and s[i] in ":;":
        i = _skip_ws(s, i + 1)
    return i


def _asa_prefix(msg: str) -> tuple[str | None, str]:
    """``Group = g, Username = u, IP = x, text`` -> (x, text)."""
    peer = None
    for _ in range(4):
        head, sep, rest = msg.partition(", ")
        if not sep or " = " not in head or len(head) > 96:
            break
        key, _, value = head.partition(" = ")
        if key.strip().lower() not in ("group", "ip", "username", "user", "tunnel group"):
            break
        if key.strip().lower() == "ip" and is_ip(value.strip()):
            peer = value.strip()
        msg = rest
    return peer, msg


def split_body(body: str) -> Body:
    """Identify the tag of a debug body; ``tag`` is None for untagged text."""
    s = body[:_BODY]
    up = s[:16].upper()
    if up.startswith("ISAKMP"):
        rest = s[6:]
        if rest[:1] == "-":  # ISAKMP-PAK / ISAKMP-ERROR
            j = rest.find(":", 0, 16)
            if j != -1 and rest[1:j].isalpha():
                tag = ISAKMP_ERR if rest[1:j].upper() == "ERROR" else ISAKMP
                return Body(tag, s[_after_paren(s, 6 + j + 1) :])
            return Body(None, s)
        if rest[:1] in (" ", ":", "(", ";"):
            i = _skip_ws(s, 6)
            if i < len(s) and s[i] in ":;":
                i += 1
            return Body(ISAKMP, s[_after_paren(s, i) :])
        return Body(None, s)
    if up.startswith("IPSEC"):
        i = _skip_ws(s, 5)
        func = ""
        if i < len(s) and s[i] == "(":
            j = s.find(")", i, i + 48)
            if j == -1:  # "IPSEC(initialize_sas" cut by a document
                return Body(IPSEC, "", func=s[i + 1 : i + 48].strip())
            func = s[i + 1 : j].strip()
            i = j + 1
        elif s[5:6] == "-":
            j = s.find(":", 5, 24)
            if j == -1 or not s[6:j].isalpha():
                return Body(None, s)
            i = j
        elif s[i : i + 1] != ":":
            return Body(None, s)
        i = _skip_ws(s, i)
        if i < len(s) and s[i] == ":":
            i += 1
        return Body(IPSEC, s[_skip_ws(s, i) :].lstrip(" ,"), func=func)
    if up.startswith("IKEV2"):
        rest = s[5:]
        if rest[:1] == ":":
            return Body(IKEV2, s[_after_paren(s, 6) :].lstrip("% "))
        if rest[:1] == "-":
            j = s.find(":", 5, 32)
            if j == -1:
                return Body(None, s)
            parts = s[6:j].split("-")
            if not parts or not all(p.isalnum() for p in parts):
                return Body(None, s)
            level = to_int(parts[-1])
            tag = IKEV2_ERR if parts[0].upper() == "ERROR" or level == 1 else IKEV2
            return Body(tag, s[_after_paren(s, j + 1) :], level=level)
        if rest[:1] == " " and rest[1:5].upper() in ("IKE_", "CREA", "INFO"):
            return Body(IKEV2, s[6:])
        return Body(None, s)
    if up.startswith("[IKEV1"):
        j = s.find("]", 0, 24)
        if j == -1:
            return Body(None, s)
        label = s[1:j].upper()
        tag = ASA_V1 if label == "IKEV1" else ASA_V1_DEBUG
        i = _skip_ws(s, j + 1)
        if i < len(s) and s[i] == ":":
            i = _skip_ws(s, i + 1)
        peer, msg = _asa_prefix(s[i:])
        return Body(tag, msg, peer=peer)
    low = s[:32].lower()
    if low.startswith(("crypto_", "cryptoengine", "crypto:")):
        j = s.find(":", 0, 64)
        return Body(CRYPTO, s[j + 1 :].strip() if j != -1 else s)
    if low.startswith("icmp:"):
        return Body(ICMP, s[5:].strip())
    return Body(None, s)


# Untagged bodies that documents print without their "ISAKMP:" tag and that open a block.
_UNTAGGED_OPENERS = (
    "checking isakmp transform",
    "checking ipsec proposal",
)
# Untagged continuation lines of IKEv2 packet dumps and document excerpts.
_LOOSE_STARTS = (
    "initiator spi",
    "payload contents",
    "num. transforms",
    "proposal ",
    "esp proposal",
    "ike proposal",
    "esp:",
    "ah:",
    "technical support",
    "copyright",
    "compiled ",
    "ikev2 ",
    "ikev1 ",
    "creating ipsec sas",
    "dynamic allocated peer",
)


def _wraps(length: int) -> bool:
    return length in WRAP_WIDTHS or (length + 1) in WRAP_WIDTHS


def _prose(s: str) -> bool:
    """A document's heading or sentence between debug samples, never read as a message:
    quotes, non-ASCII text, or two Title-case words ("Peer Address X.X.X.X Not Found")."""
    if s[:20].lower().startswith(_LOOSE_STARTS):
        return False
    if '"' in s or not s.isascii():
        return True
    titled = 0
    for word in s[:200].split()[:16]:
        if len(word) > 1 and word[0].isupper() and word[1:].isalpha() and word[1:].islower():
            titled += 1
            if titled >= 2:
                return True
    return False


def _loose(text: str, s: str) -> bool:
    """A line a debug block keeps without reading it: indented text, ``(key eng. msg.) ...``,
    lower-case continuations, ``OAK_QM exchange``, IKEv2 packet dump lines."""
    if len(s) > 400:
        return False
    if text[:1] == " " or s.startswith("```") or s == "<#root>":  # Markdown debris of documents
        return True
    c = s[0]
    if c.islower() or c in "().,;:[]{}=*!#":
        return True
    if c == "-" and s.strip("- ") == "":
        return False
    first = s.split(" ", 1)[0]
    if "_" in first and first.upper() == first and len(first) <= 40:
        return True
    return s[:20].lower().startswith(_LOOSE_STARTS)


# -- notifications --------------------------------------------------------------------------

_ERROR_NOTIFY = frozenset(
    """INVALID_PAYLOAD_TYPE DOI_NOT_SUPPORTED SITUATION_NOT_SUPPORTED INVALID_COOKIE
    INVALID_MAJOR_VERSION INVALID_MINOR_VERSION INVALID_EXCHANGE_TYPE INVALID_FLAGS
    INVALID_MESSAGE_ID INVALID_PROTOCOL_ID INVALID_SPI INVALID_TRANSFORM_ID
    ATTRIBUTES_NOT_SUPPORTED NO_PROPOSAL_CHOSEN BAD_PROPOSAL_SYNTAX PAYLOAD_MALFORMED
    INVALID_KEY_INFORMATION INVALID_ID_INFORMATION INVALID_CERT_ENCODING INVALID_CERTIFICATE
    CERT_TYPE_UNSUPPORTED INVALID_CERT_AUTHORITY INVALID_HASH_INFORMATION AUTHENTICATION_FAILED
    INVALID_SIGNATURE UNSUPPORTED_EXCHANGE_TYPE UNEQUAL_PAYLOAD_LENGTHS
    UNSUPPORTED_CRITICAL_PAYLOAD INVALID_IKE_SPI INVALID_SYNTAX INVALID_KE_PAYLOAD
    SINGLE_PAIR_REQUIRED NO_ADDITIONAL_SAS INTERNAL_ADDRESS_FAILURE FAILED_CP_REQUIRED
    TS_UNACCEPTABLE INVALID_SELECTORS TEMPORARY_FAILURE CHILD_SA_NOT_FOUND""".split()
)
# Cisco IKEv1 spellings -> RFC 2408 names
_V1_NAMES = {
    "PROPOSAL_NOT_CHOSEN": "NO_PROPOSAL_CHOSEN",
    "INVALID_ID_INFO": "INVALID_ID_INFORMATION",
    "INVALID_HASH_INFO": "INVALID_HASH_INFORMATION",
    "INVALID_KEY_INFO": "INVALID_KEY_INFORMATION",
    "INVALID_CERT_AUTH": "INVALID_CERT_AUTHORITY",
    "INVALID_PAYLOAD": "INVALID_PAYLOAD_TYPE",
    "AUTH_FAILED": "AUTHENTICATION_FAILED",
}
# RFC 2408 notify message numbers (ASA "Received non-routine Notify message: ... (14)")
_V1_NUMBERS = {
    1: "INVALID_PAYLOAD_TYPE",
    4: "INVALID_COOKIE",
    11: "INVALID_SPI",
    12: "INVALID_TRANSFORM_ID",
    13: "ATTRIBUTES_NOT_SUPPORTED",
    14: "NO_PROPOSAL_CHOSEN",
    15: "BAD_PROPOSAL_SYNTAX",
    16: "PAYLOAD_MALFORMED",
    17: "INVALID_KEY_INFORMATION",
    18: "INVALID_ID_INFORMATION",
    23: "INVALID_HASH_INFORMATION",
    24: "AUTHENTICATION_FAILED",
}
# "Received no proposal chosen notify" and the like (IOS-XE, ASA IKEv2)
_NOTIFY_WORDS = (
    ("no proposal chosen", "NO_PROPOSAL_CHOSEN"),
    ("invalid ke", "INVALID_KE_PAYLOAD"),
    ("authentication fail", "AUTHENTICATION_FAILED"),
    ("auth fail", "AUTHENTICATION_FAILED"),
    ("ts unacceptable", "TS_UNACCEPTABLE"),
    ("invalid selectors", "INVALID_SELECTORS"),
    ("invalid spi", "INVALID_SPI"),
    ("invalid syntax", "INVALID_SYNTAX"),
    ("single pair required", "SINGLE_PAIR_REQUIRED"),
    ("internal address failure", "INTERNAL_ADDRESS_FAILURE"),
    ("failed cp required", "FAILED_CP_REQUIRED"),
    ("temporary failure", "TEMPORARY_FAILURE"),
    ("child sa not found", "CHILD_SA_NOT_FOUND"),
    ("unsupported critical payload", "UNSUPPORTED_CRITICAL_PAYLOAD"),
)


def _notify_name(word: str) -> str | None:
    name = word.strip(" .,:;()!").upper()
    name = _V1_NAMES.get(name, name)
    return name if name in _ERROR_NOTIFY else None


def _notifies_in(s: str) -> list[str]:
    """Error types in ``NOTIFY(TYPE)`` tokens of a line (each once, at most four)."""
    out: list[str] = []
    up = s.upper()
    pos = up.find("NOTIFY(")
    while pos != -1 and len(out) < 4:
        j = up.find(")", pos + 7, pos + 48)
        if j == -1:
            break
        name = _notify_name(up[pos + 7 : j])
        if name and name not in out:
            out.append(name)
        pos = up.find("NOTIFY(", j)
    return out


# -- vocabulary -------------------------------------------------------------------------------

ENC, HASH, DH, AUTH, ATTS, P2_ALL, P2_REFUSED, PFS = (
    "encryption algorithm offered does not match policy",
    "hash algorithm offered does not match policy",
    "dh group offered does not match policy",
    "authentication method offered does not match policy",
    "atts are not acceptable",
    "all ipsec sa proposals found unacceptable",
    "ipsec sa proposal not acceptable",
    "pfs group offered does not match",
)
# words that make a line naming PFS (or the group of an IPSEC(...) check) a refusal
_PFS_FAIL = ("mismatch", "not match", "not acceptable", "not supported", "unacceptable",
             "invalid", "fail", "requires", "required", "no pfs", "not offered", "missing")
# IKEv1 lines that show phase 1 over: what follows is quick mode (the IPsec SA)
_P2_MARKS = (
    "sa has been authenticated",
    "new state = ike_p1_complete",
    "old state = ike_r_mm5",
    "old state = ike_i_mm6",
    "beginning quick mode",
    "new state = ike_qm",
    "phase 1 completed",
    "checking ipsec proposal",
    "proposal part #",
)
# ... and lines that start a new phase 1
_P1_MARKS = (
    "beginning main mode",
    "beginning aggressive mode",
    "checking isakmp transform",
    "processing sa payload. message id = 0",
)
_V2_EXCHANGES = ("IKE_SA_INIT", "IKE_AUTH", "CREATE_CHILD_SA", "INFORMATIONAL")


def _pfs_refused(b: Body, low: str) -> bool:
    """A refusal that names PFS (``PFS mismatch``, ``peer requires PFS``), or the group of an
    ``IPSEC(validate_proposal...)`` check: the debug proves the PFS setting differs."""
    if not any(w in low for w in _PFS_FAIL):
        return False
    if "pfs" in low.replace("pfs (y/n)", ""):
        return True
    return b.tag == IPSEC and b.func.lower().startswith("validate") and " group" in low
# IOS phase-1 mismatch messages -> (reason, attribute)
# (the leading words only: an 80-column terminal may cut the rest)
_P1_MISMATCH = (
    ("encryption algorithm offered", ENC, "encryption"),
    ("proposed key length does not", ENC, "keylength"),
    ("hash algorithm offered", HASH, "hash"),
    ("diffie-hellman group offered", DH, "group"),
    ("group offered does not", DH, "group"),
    ("authentication offered but", AUTH, "auth"),
    ("authentication method offered", AUTH, "auth"),
    ("auth method offered", AUTH, "auth"),
)
# ASA "Phase 1 failure: Mismatched attribute types for class <class>: Rcv'd: A Cfg'd: B"
_ASA_CLASSES = (
    ("group", DH, "group"),
    ("encryption", ENC, "encryption"),
    ("key length", ENC, "keylength"),
    ("hash", HASH, "hash"),
    ("auth", AUTH, "auth"),
)
_P1_VERDICTS = (
    "no offers accepted",
    "phase 1 sa policy not acceptable",
    "phase 1 sa not acceptable",
    "all sa proposals found unacceptable",
)
_P2_VERDICTS = (
    "phase 2 sa policy not acceptable",
    "ipsec policy invalidated proposal",
    "all ipsec sa proposals found unacceptable",
)
_ANY_VERDICTS = ("sa not acceptable", "sa negotiation failed")
# Error-tagged messages that are routine
_BENIGN = (
    "failed to find peer index node",
    "ignoring request to send delete notify",
    "removing peer from correlator table failed",
    "deleting peer node",
)
# ASA [IKEv1] lines carry no severity: these words make an unknown one worth reporting
_ERROR_WORDS = (
    "fail",
    "error",
    "reject",
    "unable",
    "invalid",
    "mismatch",
    "not found",
    "unacceptable",
    "dropping",
    "torn down",
    "no match",
    "can't",
    "cannot",
    "could not",
    "abort",
    "timed out",
    "not supported",
    "denied",
)


def _blank_hex(text: str) -> str:
    """``QM FSM error (P2 struct &0xcc19ed48, mess id 0xfc16eec2)`` -> ids blanked, so repeats
    of one message give one reason."""
    if "0x" not in text:
        return text
    out = []
    for tok in text.split(" "):
        i = tok.find("0x")
        if i != -1 and i + 2 < len(tok) and tok[i + 2] in "0123456789abcdefABCDEF":
            tok = tok[:i] + "0x?" + "".join(c for c in tok[i + 2 :] if c in ",;)!")
        out.append(tok)
    return " ".join(out)


def unknown_reason(msg: str) -> str:
    return squash(_blank_hex(msg.strip(" :"))).rstrip("!. ")[:MAX_REASON]


def _vpi_seconds(s: str) -> str | None:
    """``0x0 0x1 0x51 0x80`` -> ``86400``."""
    value = 0
    toks = s.split()[:4]
    if not toks:
        return None
    for t in toks:
        if not t.lower().startswith("0x"):
            return None
        try:
            value = value * 256 + int(t, 16)
        except ValueError:
            return None
    return str(value)


def _attribute(msg: str) -> tuple[str, str] | str | None:
    """An IKEv1 transform attribute line: (name, value), "" for a known line with no value to
    keep, None when ``msg`` is not one."""
    s = msg.strip().lstrip(". ").strip()
    low = s.lower()
    if low.startswith("encryption "):
        return "encryption", s[11:].strip()
    if low.startswith("hash "):
        return "hash", s[5:].strip()
    if low.startswith("default group "):
        return "group", s[14:].strip()
    if low.startswith("group is "):
        return "pfs group", s[9:].strip()
    if low.startswith("group "):
        return "group", s[6:].strip()
    if low.startswith("auth "):
        return "auth", s[5:].strip()
    if low.startswith("keylength of "):
        return "keylength", s[13:].strip()
    if low.startswith("key length is "):
        return "keylength", s[14:].strip()
    if low.startswith("authenticator is "):
        return "authenticator", s[17:].strip()
    if low.startswith("hmac algorithm is "):
        return "authenticator", s[18:].strip()
    if low.startswith("encaps is "):
        return "encaps", s[10:].strip()
    if low.startswith("transform ") and "," in low[:16]:
        return "transform", s.split(",", 1)[1].strip()
    if low.startswith(("life duration (basic) of ", "sa life duration (basic) of ")):
        return "lifetime", s.rsplit(" ", 1)[-1]
    if low.startswith(("life duration (vpi) of ", "sa life duration (vpi) of ")):
        v = _vpi_seconds(s[low.find(" of ") + 4 :])
        return ("lifetime", v) if v else ""
    if low.startswith(("life type in", "sa life type in", "attributes in transform")):
        return ""
    return None


# -- IKEv2 proposals --------------------------------------------------------------------------

_V2_KEYS = (("ENCRYPTION:", "encryption"), ("PRF:", "prf"), ("INTEGRITY:", "integrity"),
            ("DH GROUP:", "group"), ("ESN:", "esn"))


def _group(value: str) -> str:
    """``DH_GROUP_1024_MODP/Group 2`` -> ``2``."""
    i = value.lower().rfind("group ")
    if i != -1:
        tail = value[i + 6 :].strip().split(" ", 1)[0]
        if is_digits(tail):
            return tail
    return value.strip()


def _v2_proposal(s: str) -> dict[str, str] | None:
    """``Proposal 1: AES-CBC-256 SHA1 SHA96 DH_GROUP_1024_MODP/Group 2`` (ASA) or
    ``Proposal 1:  ENCRYPTION: AES-CBC-128 PRF: SHA512 INTEGRITY: SHA512 DH GROUP: ...``."""
    colon = s.find(":")
    if colon == -1:
        return None
    rest = s[colon + 1 : colon + 400].strip()
    up = rest.upper()
    out: dict[str, str] = {}
    if "ENCRYPTION:" in up:
        marks = sorted((up.find(k), k, name) for k, name in _V2_KEYS if up.find(k) != -1)
        for idx, (pos, k, name) in enumerate(marks):
            end = marks[idx + 1][0] if idx + 1 < len(marks) else len(rest)
            value = rest[pos + len(k) : end].strip()
            out[name] = _group(value) if name == "group" else value
        return out or None
    toks = rest.split()
    if not toks:
        return None
    dh = [i for i, t in enumerate(toks) if t.upper().startswith("DH_GROUP")]
    if dh:
        out["group"] = _group(" ".join(toks[dh[0] :]))
        toks = toks[: dh[0]]
    if not toks:
        return out or None
    out["encryption"] = toks[0]
    middle = toks[1:]
    if len(middle) >= 2 and middle[0].upper() != "DON'T":
        out["prf"], out["integrity"] = middle[0], middle[1]
    elif len(middle) == 1:
        out["prf"] = middle[0]
    return out


_ORDER = ("encryption", "prf", "integrity", "group", "esn")


def _compare(received: list[dict[str, str]], expected: list[dict[str, str]]) -> list[str]:
    """Differences of the closest (received, expected) pair, as ``name: offered A, policy B``."""
    best: list[str] | None = None
    for r in received[:MAX_PROPOSALS]:
        for e in expected[:MAX_PROPOSALS]:
            diffs = [
                f"{k}: offered {r[k]}, policy {e[k]}"
                for k in _ORDER
                if k in r and k in e and r[k].upper() != e[k].upper()
            ]
            if best is None or len(diffs) < len(best):
                best = diffs
    return best or []


def _reason_of(diffs: list[str], esp: bool) -> str:
    if esp:
        return P2_ALL
    names = {d.split(":", 1)[0] for d in diffs}
    if names == {"group"}:
        return DH
    if names == {"encryption"}:
        return ENC
    if names and names <= {"prf", "integrity"}:
        return HASH
    return ATTS


# -- the block --------------------------------------------------------------------------------


@dataclass
class _Hit:
    """A recognised message, ready to emit (or to keep pending)."""

    kind: str
    reason: str
    peer: str | None = None
    detail: str | None = None
    complete: bool = True  # False: wait for a continuation line before emitting


@dataclass
class _Reject:
    """A proposal check that failed; emitted unless a later check succeeds."""

    phase: int
    reason: str
    detail: str | None
    ev: Line
    time: str | None
    device: str | None
    peer: str | None
    version: str | None
    transform: str  # the offered transform it is about ("" when not known)
    specific: bool  # named the attribute (not only "atts are not acceptable")


@dataclass
class _Check:
    phase: int
    transform: str = ""
    priority: str = ""
    attrs: list[tuple[str, str]] = field(default_factory=list)
    rejected: bool = False


@dataclass
class _Episode:
    """IKEv2 "Received Policies / Failed to find a matching policy / Expected Policies"."""

    ev: Line
    time: str | None
    device: str | None
    peer: str | None
    version: str | None
    received: list[dict[str, str]] = field(default_factory=list)
    expected: list[dict[str, str]] = field(default_factory=list)
    target: str | None = None
    failed: bool = False
    esp: bool = False
    lines: list[Line] = field(default_factory=list)


@dataclass
class _Wait:
    """An incomplete message waiting for its wrapped tail."""

    ev: Line
    body: Body
    time: str | None
    device: str | None
    joins: int = 0


class DebugBlock:
    """One stretch of Cisco debug output."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.syslog = Collector(ctx)
        self.time: str | None = None
        self.device: str | None = ctx.device
        self.peer: str | None = None
        self.version: str | None = None
        self.direction: str | None = None  # of the last IKEv2 packet: "received" / "sent"
        self.auth: str | None = None  # the IKEv2 peer's authentication method
        self.v2_up = False
        self.phase2 = False  # IKEv1: phase 1 is over, proposals are about IPsec SAs
        self.exchange: str | None = None  # IKEv2: the exchange of the last packet
        self.check: _Check | None = None
        self.rejects: list[_Reject] = []
        self.confirmed = False  # a verdict said the pending rejections failed the negotiation
        self.verdict_done: set[int] = set()  # phases whose failure is already reported
        self.verdict_peer: dict[int, str] = {}  # the peer a verdict line names, per phase
        self.episode: _Episode | None = None
        self.wait: _Wait | None = None
        self.held: _Wait | None = None  # a tagged line as long as a terminal: may continue
        self.held_len = 0
        self.blanks = 0
        self.loose = 0

    # -- emit -----------------------------------------------------------------------------------
    def _emit(
        self,
        ev: Line,
        kind: str,
        reason: str,
        *,
        peer: str | None = None,
        detail: str | None = None,
        version: str | None = None,
        time: str | None = None,
        device: str | None = None,
        extra: tuple[Line, ...] = (),
    ) -> None:
        self.ctx.emit(
            Signal(
                vendor="cisco",
                family="debug",
                kind=kind,
                reason=reason,
                ev=ev,
                device=device if device is not None else self.device,
                peer=peer if peer is not None else self.peer,
                version=version if version is not None else self.version,
                time=time if time is not None else self.time,
                detail=detail,
                extra=extra,
            )
        )

    # -- proposal checks --------------------------------------------------------------------------
    def _offered(self, phase: int | None = None) -> str:
        c = self.check
        if c is None or not c.attrs or (phase is not None and c.phase != phase):
            return ""
        return "offered " + ", ".join(f"{k} {v}" for k, v in c.attrs[:10])

    def _check_text(self) -> str:
        c = self.check
        if c is None:
            return ""
        if c.phase == 1 and c.priority:
            t = f"transform {c.transform} " if c.transform else ""
            return f"{t}vs priority {c.priority} policy"
        if c.phase == 2 and c.transform:
            return f"proposal {c.transform}"
        return ""

    def _reject(
        self, ev: Line, phase: int, reason: str, attr: str | None, detail: str | None = None
    ) -> None:
        c = self.check if self.check is not None and self.check.phase == phase else None
        parts: list[str] = []
        if detail:
            parts.append(detail)
        elif attr and c is not None:
            value = next((v for k, v in c.attrs if k == attr), None)
            where = f"policy priority {c.priority}" if c.priority else ""
            if value:
                parts.append(f"{attr}: offered {value}" + (f", {where}" if where else ""))
            elif where:
                parts.append(f"{attr}: {where}")
        elif c is not None and self._check_text():
            parts.append(self._check_text())
        offered = self._offered(phase)
        if offered:
            parts.append(offered)
        specific = reason != ATTS and not (phase == 2 and reason == P2_ALL and not detail)
        if not specific and any(r.phase == phase for r in self.rejects):
            return  # the generic "atts not acceptable" after a named rejection
        if c is not None:
            if c.rejected and not specific:
                return  # "atts are not acceptable" after the specific message
            c.rejected = True
        if len(self.rejects) >= MAX_PENDING:
            return
        self.rejects.append(
            _Reject(
                phase,
                reason,
                "; ".join(parts) or None,
                ev,
                self.time,
                self.device,
                self.peer,
                self.version,
                (c.transform if c is not None and c.phase == phase else ""),
                specific,
            )
        )

    def _accept(self) -> None:
        if self.confirmed:
            self._flush_rejects()
        self.rejects.clear()
        self.check = None

    def _flush_rejects(self) -> None:
        """Emit the pending rejections: per offered transform, the first policy checked."""
        seen: set[tuple[int, str]] = set()
        peers = self.verdict_peer
        self.confirmed, self.verdict_peer = False, {}
        for r in self.rejects:
            key = (r.phase, r.transform)
            if key in seen:
                continue
            seen.add(key)
            self._emit(
                r.ev,
                "debug",
                r.reason,
                peer=r.peer or peers.get(r.phase),
                detail=r.detail,
                version=r.version,
                time=r.time,
                device=r.device,
            )
        self.rejects.clear()

    def _verdict(self, ev: Line, phase: int, text: str, peer: str | None) -> None:
        """A failure verdict: the pending rejections of ``phase`` are confirmed (emitted at the
        next unrelated line, so that the verdict lines after it can still name the peer)."""
        if not any(r.phase == phase for r in self.rejects) and phase not in self.verdict_done:
            reason = P2_ALL if phase == 2 else ATTS
            detail = self._offered(phase) or squash(text).rstrip("!")
            self.rejects.append(
                _Reject(phase, reason, detail, ev, self.time, self.device, self.peer,
                        self.version, "", False)
            )
        self.verdict_done.add(phase)
        self.confirmed = True
        if peer:
            self.verdict_peer.setdefault(phase, peer)
        self.check = None

    # -- IKEv2 policy episodes ------------------------------------------------------------------
    def _episode(self, ev: Line) -> _Episode:
        if self.episode is None:
            self.episode = _Episode(ev, self.time, self.device, self.peer, self.version)
        return self.episode

    def _end_episode(self) -> None:
        ep, self.episode = self.episode, None
        if ep is None or not ep.failed:
            return
        diffs = _compare(ep.received, ep.expected)
        if diffs:
            detail = "; ".join(diffs)
        elif ep.received:
            detail = "offered " + " | ".join(
                " ".join(p.get(k, "") for k in _ORDER if k in p) for p in ep.received[:4]
            )
        else:
            detail = None
        self._emit(
            ep.ev,
            "debug",
            _reason_of(diffs, ep.esp),
            peer=ep.peer,
            detail=detail,
            version=ep.version,
            time=ep.time,
            device=ep.device,
            extra=tuple(ep.lines[:8]),
        )

    def _proposal_line(self, ev: Line, s: str) -> bool:
        """``Proposal 1: ...`` inside an episode; True when taken."""
        ep = self.episode
        if ep is None or ep.target is None:
            return False
        t = s.strip()
        low = t[:24].lower()
        esp = False
        for mark in ("esp:", "ah:", "ike:"):
            if low.startswith(mark):
                esp = mark != "ike:"
                t = t[len(mark) :].strip()
                low = t[:24].lower()
        if not low.startswith("proposal"):
            return False
        p = _v2_proposal(t)
        if p is not None:
            target = ep.received if ep.target == "received" else ep.expected
            if len(target) < MAX_PROPOSALS:
                target.append(p)
            if len(ep.lines) < 8:
                ep.lines.append(ev)
        ep.esp = ep.esp or esp
        return True

    def _policy_text(self, ev: Line, msg: str, low: str) -> bool:
        """Received/Expected Policies and "Failed to find a matching policy"; True if taken."""
        hit = False
        rest = msg
        for key, target in (("received policies", "received"), ("expected policies", "expected")):
            i = low.find(key)
            if i != -1:
                ep = self._episode(ev)
                ep.target = target
                hit = True
                rest = msg[i + len(key) :]
        i = low.find("failed to find a matching policy")
        if i != -1:
            ep = self._episode(ev)
            if not ep.failed:
                ep.failed = True
                ep.ev = ev
            hit = True
            rest = msg[i + 32 :]
        if "failed to verify the proposed policies" in low:
            self._episode(ev)
            hit = True
        if hit:
            j = rest.lower().find("proposal ")
            if j != -1:  # "...matching policyProposal 1:  ENCRYPTION: ..." on one line
                pre = rest[max(0, j - 5) : j].lower()
                self._proposal_line(ev, ("ESP: " if "esp" in pre else "") + rest[j:])
        return hit

    # -- messages -------------------------------------------------------------------------------
    def _track_peer(self, low: str, msg: str) -> None:
        for key in (
            "received packet from ",
            "sending packet to ",
            "pre-shared key matching ",
            "pre-shared key matched ",
            "peer struct for ",
            "sa has been authenticated with ",
            "[from ",
            "[to ",
        ):
            i = low.find(key)
            if i != -1:
                tok = msg[i + len(key) : i + len(key) + 64].split(" ", 1)[0]
                if key[0] == "[":
                    tok = tok.split("/", 1)[0]
                    host, sep, port = tok.rpartition(":")
                    tok = host if sep and is_digits(port) else tok
                tok = tok.strip(",;()")
                if is_ip(tok):
                    self.peer = tok
                    if key == "[from ":
                        self.direction = "received"
                    elif key == "[to ":
                        self.direction = "sent"
                return

    def _track_phase(self, b: Body, low: str) -> None:
        """Which negotiation the next refusal belongs to: IKEv1 phase 1 or quick mode (the
        message ID of ``processing SA payload``, authentication done, ``IPSEC(validate_...)``),
        the IKEv2 exchange of the last packet (IKE_SA_INIT or IKE_AUTH/CREATE_CHILD_SA)."""
        if b.tag in _V2_TAGS or (b.tag is None and self.version == "v2"):
            up = low[:200].upper()
            for name in _V2_EXCHANGES:
                if name in up:
                    self.exchange = name
                    break
            return
        if b.tag == IPSEC and b.func.lower().startswith(("validate_prop", "validate_trans")):
            self.phase2 = True
            return
        if low.startswith(_P1_MARKS):
            self.phase2 = False
        elif "processing sa payload. message id = " in low:
            self.phase2 = low.split("message id = ", 1)[1][:1] not in ("0", "")
        elif any(m in low for m in _P2_MARKS):
            self.phase2 = True

    def _refused_phase(self, b: Body, low: str) -> int | None:
        """The phase a NO_PROPOSAL_CHOSEN of this line refuses: 1, 2 or None (not known)."""
        i = low.find(" protocol ")
        if i != -1 and ("processing notify" in low or "sending notify" in low):
            proto = low[i + 10 : i + 14].strip().split(" ", 1)[0]
            if proto in ("2", "3", "4"):  # AH, ESP, IPCOMP: an IPsec SA
                return 2
            if proto == "1":  # ISAKMP
                return 1
        if b.tag in _V2_TAGS or (b.tag is None and self.version == "v2"):
            if self.exchange in ("IKE_AUTH", "CREATE_CHILD_SA"):
                return 2
            return 1 if self.exchange == "IKE_SA_INIT" else None
        if "un-encrypted" in low or "unencrypted" in low:
            return 1
        return 2 if self.phase2 else None

    def _classify(self, b: Body, ev: Line) -> _Hit | None:
        """Messages that yield a fact by themselves (not proposal checks)."""
        msg = b.msg.strip()
        low = msg[:_BODY].lower()
        if not low:
            return None
        peer = b.peer
        if "replay check failed" in low:
            return _Hit("debug", "replay check failed", peer)
        if "qm fsm error" in low:
            return _Hit("debug", "qm fsm error", peer)
        if "reserved not zero on" in low:
            i = low.find("payload")
            num = low[i + 7 : i + 12].strip(" !.") if i != -1 else ""
            detail = None if num == "5" else (f"payload {num}" if num else squash(msg))
            return _Hit("debug", "reserved not zero on payload 5", peer, detail)
        if "invalid proxy id" in low:
            return _Hit("debug", "invalid proxy ids", peer)
        if "no cert, and no keys" in low or "no cert and no keys" in low:
            i = low.find("remote peer")
            cand = msg[i + 11 : i + 60].strip().split(" ", 1)[0].strip(".,!") if i != -1 else ""
            if is_ip(cand):
                return _Hit("debug", "no cert and no keys with remote peer", cand)
            return _Hit("debug", "no cert and no keys with remote peer", peer, complete=False)
        if "no pre-shared key with" in low:
            i = low.find("no pre-shared key with")
            cand = msg[i + 22 : i + 70].strip().split(" ", 1)[0].strip(".,!")
            return _Hit(
                "debug",
                "no cert and no keys with remote peer",
                cand if is_ip(cand) else peer,
                "no pre-shared key",
            )
        if "hmac verification fail" in low or "hmac verify fail" in low or "macmiscompare" in low:
            return _Hit("debug", "hmac verification failed", peer)
        if "death by retransmission" in low or "not responding" in low or (
            "no longer responding" in low
            or "lost contact with remote peer" in low
            or "maximum number of retransmissions" in low
        ):
            p, _ = find_peer(msg)
            i = low.find("death by retransmission")
            j = low.find('"', i) if i != -1 else -1
            detail = squash(msg[i : j if i < j < i + 64 else i + 26]) if i != -1 else None
            return _Hit("debug", "remote peer not responding", p or peer, detail)
        if "retransmitting phase 1" in low:
            state = low.split("retransmitting phase 1", 1)[1].strip(" .").split(" ", 1)[0]
            return _Hit("debug", "retransmitting phase 1", peer, state.upper().rstrip(".") or None)
        if "retransmitting phase 2" in low:
            return _Hit("debug", "retransmitting phase 2", peer)
        if "retransmitting packet" in low and b.tag in _V2_TAGS:
            if self.v2_up:
                return None
            return _Hit("debug", "retransmitting phase 1", peer, "IKEv2")
        if "main mode failed" in low:
            p, _ = find_peer(msg)
            return _Hit("debug", "main mode failed", p or peer)
        if "sanity check" in low and ("fail" in low or "malformed" in low):
            p, _ = find_peer(msg)
            return _Hit("debug", "sanity check failed", p or peer)
        if "encryption/decryption error" in low:
            return _Hit("debug", "packet encryption/decryption error", peer)
        if "esp sequence fail" in low:
            return _Hit("debug", "esp sequence fail", peer)
        if "handle any more" in low or "handle anymore" in low:
            return _Hit("debug", "crypto engine cannot handle more", peer)
        if "has invalid spi" in low or "invalid spi for" in low:
            p, _ = find_peer(msg)
            return _Hit("debug", "ipsec packet has invalid spi", p or peer)
        if "no matching crypto map entry" in low:
            return _Hit("debug", "no matching crypto map entry", peer)
        if "torn down" in low and "reason:" in low:
            why = msg[low.find("reason:") + 7 :].strip()
            if "crypto map policy not found" in low:
                return _Hit("teardown", "no matching crypto map entry", peer, squash(msg))
            if why.lower().startswith("lost service"):
                return _Hit("teardown", "remote peer not responding", peer, squash(msg))
            return _Hit("teardown", unknown_reason(msg), peer)
        if (
            "mismatched pre-shared key" in low
            or "preshared key mismatch" in low
            or "pre-shared key mismatch" in low
            or "oakley main mode packet with invalid payloads" in low
            or "problems decrypting packet" in low
        ):
            return _Hit("debug", "preshared key mismatch", peer, squash(msg))
        if "verification of peer's authentication data failed" in low:
            if self.auth in (None, "psk"):
                return _Hit("debug", "preshared key mismatch", peer, squash(msg))
            return _Hit("debug", unknown_reason(msg), peer)
        if "frag. needed and df set" in low or "mtu exceeded" in low:
            return _Hit("debug", "mtu exceeded", None, squash(msg).rstrip("."))
        return None

    def _notify(self, b: Body, low: str, ev: Line) -> bool:
        """Notifications named by the line; True when one was emitted."""
        msg = b.msg
        peer = b.peer
        names = _notifies_in(msg) if "notify(" in low else []
        direction = self.direction
        if not names and "notify" in low:
            i = low.find("processing notify ")
            j = low.find("sending notify ")
            if i != -1 or j != -1:  # IKEv1 "processing NOTIFY PROPOSAL_NOT_CHOSEN protocol 3"
                k = i + 18 if i != -1 else j + 15
                name = _notify_name(msg[k : k + 48].split(" ", 1)[0])
                if name:
                    names = [name]
                    direction = "received" if i != -1 else "sent"
            elif "notify message" in low and ("received" in low or "sending" in low):
                # ASA "Received an un-encrypted NO_PROPOSAL_CHOSEN notify message, dropping"
                k = low.find("notify message")
                words = msg[max(0, k - 48) : k].split()
                name = _notify_name(words[-1]) if words else None
                if name is None and "(" in low[k:]:  # "Notify message: Invalid ID info (18)"
                    num = low[low.rfind("(") + 1 :].split(")", 1)[0]
                    name = _V1_NUMBERS.get(int(num)) if is_digits(num) and len(num) < 4 else None
                if name:
                    names = [name]
                    direction = "received" if "received" in low else "sent"
            elif " notify" in low and ("received " in low or "sending " in low):
                for word, name in _NOTIFY_WORDS:
                    if word in low:
                        names = [name]
                        direction = "received" if "received " in low else "sent"
                        break
        for name in names:
            if name == "NO_PROPOSAL_CHOSEN" and self._refused_phase(b, low) == 2:
                # the IPsec SA (quick mode, CHILD_SA) was refused, not the IKE SA
                where = self.exchange if b.tag in _V2_TAGS or self.version == "v2" else None
                detail = f"NO_PROPOSAL_CHOSEN {direction or 'seen'} in {where or 'quick mode'}"
                self._emit(ev, "debug", P2_REFUSED, peer=peer, detail=detail)
                continue
            self._emit(ev, "notify", f"notify {name}", peer=peer, detail=direction)
        return bool(names)

    def _handle(self, b: Body, ev: Line) -> bool:
        """Read one tagged or untagged body; True when it was recognised (always for tags)."""
        msg = b.msg.strip()
        low = msg[:_BODY].lower()
        if b.tag in _V1_TAGS:
            self.version = "v1"
        elif b.tag in _V2_TAGS:
            self.version = "v2"
        if b.peer:
            self.peer = b.peer
        if low:
            self._track_peer(low, msg)
            self._track_phase(b, low)

        # IKEv2 policy episodes
        if self._policy_text(ev, msg, low):
            return True
        if self.episode is not None:
            if b.tag is None and self._proposal_line(ev, msg):
                return True
            self._end_episode()

        # proposal checks (IKEv1)
        if self._proposal_check(b, ev, msg, low):
            return True
        if not self._neutral(b, low):
            if self.rejects:
                self._flush_rejects()
            self.check = None

        if b.tag in _V2_TAGS:
            if "peer's authentication method is" in low:
                self.auth = "psk" if "psk" in low or "pre-shared" in low else "other"
            if ("is up" in low and "session with ike id pair" in low) or "sa created" in low:
                self.v2_up = True
            elif "generating ike_sa_init" in low or "deleting sa" in low:
                self.v2_up = False

        if self._notify(b, low, ev):
            return True
        hit = self._classify(b, ev)
        if hit is not None:
            if not hit.complete:
                self.wait = _Wait(ev, b, self.time, self.device)
                return True
            self._emit(ev, hit.kind, hit.reason, peer=hit.peer, detail=hit.detail)
            return True
        if b.tag is None:
            return low.startswith(_UNTAGGED_KNOWN)
        if b.tag == IPSEC and not msg:
            return True
        if self._unknown_error(b, low):
            self._emit(ev, "debug", unknown_reason(msg), peer=b.peer)
        return True

    def _unknown_error(self, b: Body, low: str) -> bool:
        if not low or any(x in low for x in _BENIGN):
            return False
        if b.tag in _ERROR_TAGS:
            return True
        if b.tag == ASA_V1:
            return any(w in low for w in _ERROR_WORDS)
        return False

    def _neutral(self, b: Body, low: str) -> bool:
        """Lines that may sit between a rejected check and the next check."""
        return (
            not low
            or low.startswith((". next payload", "next payload", "ike_", "```", "<#root>"))
            or b.tag == CRYPTO
        )

    def _proposal_check(self, b: Body, ev: Line, msg: str, low: str) -> bool:
        """IKEv1 proposal checks; True when the line belongs to one."""
        if low.startswith("checking isakmp transform"):
            rest = low[25:].split()
            c = _Check(1)
            if rest and is_digits(rest[0]):
                c.transform = rest[0]
            if "priority" in rest:
                i = rest.index("priority")
                if i + 1 < len(rest):
                    c.priority = rest[i + 1]
            if self.confirmed:
                self._flush_rejects()
            self.check = c
            self.verdict_done.clear()
            return True
        if low.startswith("checking ipsec proposal"):
            tail = msg[23:].strip()
            num = ""
            while is_digits(tail[:1]):
                num, tail = num + tail[0], tail[1:]
            if self.confirmed:
                self._flush_rejects()
            self.check = _Check(2, transform=num)
            self.verdict_done.clear()
            if tail:
                attr = _attribute(tail)
                if isinstance(attr, tuple):
                    self.check.attrs.append(attr)
            return True
        c = self.check
        for needle, reason, name in _P1_MISMATCH:
            if needle in low:
                if reason == DH and self._in_phase2():
                    self._reject(ev, 2, PFS, "pfs group")  # the group of quick mode is PFS
                else:
                    self._reject(ev, 1, reason, name)
                return True
        if c is not None:
            attr = _attribute(msg)
            if isinstance(attr, tuple):
                if len(c.attrs) < 12:
                    c.attrs.append((attr[0], attr[1][:48]))
                return True
            if attr == "":
                return True
        if "mismatched attribute types for class" in low:
            self._asa_mismatch(ev, msg, low)
            return True
        if "atts are acceptable" in low or "atts acceptable" in low or (
            " acceptable" in low and ("transform #" in low or "oakley proposal is" in low)
        ):
            self._accept()
            return True
        if "atts are not acceptable" in low or "atts not acceptable" in low:
            if c is not None:
                phase = c.phase
            elif any(r.phase == 2 for r in self.rejects):
                phase = 2
            else:
                phase = 2 if self.phase2 or "are not" not in low else 1
            self._reject(ev, phase, ATTS if phase == 1 else P2_ALL, None)
            return True
        p2 = self._p2_reject(b, ev, msg, low)
        if p2:
            return True
        for phase, verdicts in ((2, _P2_VERDICTS), (1, _P1_VERDICTS), (0, _ANY_VERDICTS)):
            if any(v in low for v in verdicts):
                if phase == 0:
                    phase = c.phase if c is not None else (
                        2 if self.phase2 or any(r.phase == 2 for r in self.rejects) else 1
                    )
                p, _ = find_peer(msg)
                self._verdict(ev, phase, msg, p or b.peer)
                return True
        return False

    def _in_phase2(self) -> bool:
        c = self.check
        return c.phase == 2 if c is not None else self.phase2

    def _p2_reject(self, b: Body, ev: Line, msg: str, low: str) -> bool:
        """IPSEC(validate_proposal...) rejections, kept pending like the phase 1 ones."""
        if "invalid local address" in low:
            addr = low.split("invalid local address", 1)[1].strip().split(" ", 1)[0]
            self._reject(ev, 2, "invalid local address", None, f"local address {addr}")
            return True
        if _pfs_refused(b, low):
            self._reject(ev, 2, PFS, None, squash(msg).rstrip("!. ")[:MAX_REASON])
            return True
        if "proxy identities not supported" in low:
            self._reject(ev, 2, "proxy identities not supported", None)
            return True
        if "transform proposal" in low and "not supported" in low:
            i, j = low.find("("), low.find(")")
            inner = squash(msg[i + 1 : j]) if -1 < i < j else None
            self._reject(ev, 2, "transform proposal not supported", None, inner)
            return True
        if low.startswith("peer address") and low.rstrip(" .!").endswith("not found"):
            cand = msg[12:].strip().split(" ", 1)[0]
            if is_ip(cand):
                self.peer = cand
            self._reject(ev, 2, "peer address not found", None, f"peer address {cand}")
            return True
        return False

    def _asa_mismatch(self, ev: Line, msg: str, low: str) -> None:
        """``Phase 1 failure: Mismatched attribute types for class Group Description:
        Rcv'd: Group 2 Cfg'd: Group 5``."""
        phase = 2 if "phase 2" in low else 1
        i = low.find("for class") + 9
        j = low.find("rcv'd", i)
        k = low.find("cfg'd", j if j != -1 else i)
        cls = msg[i:j].strip(" :") if j != -1 else msg[i:].strip(" :")
        got = msg[j + 6 : k].strip(" :,") if -1 < j < k else ""
        want = msg[k + 6 :].strip(" :,.") if k != -1 else ""
        name, reason = cls.lower(), ATTS
        for word, r, attr in _ASA_CLASSES:
            if word in name:
                name, reason = attr, r
                break
        if name == "group":
            got, want = _group(got), _group(want)
        detail = f"{name}: offered {got}, policy {want}" if got or want else cls
        if phase == 2:
            reason = PFS if name == "group" else P2_ALL
        self._reject(ev, phase, reason, None, detail)

    # -- joining wrapped messages ---------------------------------------------------------------
    def _join(self, ev: Line, s: str) -> bool:
        w = self.wait
        if w is None or w.joins >= MAX_JOIN or len(s) > 240 or split_header(s).stamped:
            return False
        if split_body(s).tag is not None:
            return False
        w.body = Body(w.body.tag, w.body.msg.rstrip() + " " + s.strip(), w.body.func)
        w.joins += 1
        self._resolve_wait(final=False)
        return True

    def _resolve_wait(self, final: bool) -> None:
        w = self.wait
        if w is None:
            return
        b = w.body
        low = b.msg.lower()
        if b.tag == IPSEC and not final:
            # "transform proposal" / "peer address X not found" wait for their tail
            if ("transform proposal" in low and "not supported" not in low) or not low.strip():
                return
        self.wait = None
        keep_time, keep_dev = self.time, self.device
        self.time, self.device = w.time, w.device
        try:
            if self._proposal_check(b, w.ev, b.msg.strip(), low.strip()):
                return
            hit = self._classify(b, w.ev)
            if hit is not None and (hit.complete or final or w.joins >= MAX_JOIN):
                self._emit(w.ev, hit.kind, hit.reason, peer=hit.peer, detail=hit.detail)
            elif hit is not None:
                self.wait = w
        finally:
            self.time, self.device = keep_time, keep_dev

    def _needs_tail(self, b: Body) -> bool:
        """An IPSEC(...) message cut by the terminal or a document: wait for its tail."""
        if b.tag != IPSEC:
            return False
        low = b.msg.strip().lower()
        if not low:
            return b.func.startswith("validate")
        return low.endswith("transform proposal") or (
            low.startswith("peer address") and "not found" not in low
        )

    # -- lines cut by the terminal ----------------------------------------------------------------
    def _glue(self, text: str, stamped: bool, body: str) -> bool:
        """Join ``text`` to the held line when it is its tail; True if joined."""
        h = self.held
        if h is None or stamped or not body or len(body) > 240 or body[0] == "%":
            return False
        if split_body(body).tag is not None:
            return False
        if self.held_len in WRAP_WIDTHS:  # cut mid-word
            h.body.msg = h.body.msg + text.rstrip()
        else:  # the last column was a blank
            h.body.msg = h.body.msg.rstrip() + " " + text.strip()
        h.joins += 1
        self.held_len = len(text.rstrip())
        if h.joins >= MAX_JOIN or not _wraps(self.held_len):
            self._release()
        return True

    def _release(self) -> None:
        h, self.held = self.held, None
        if h is None:
            return
        keep_time, keep_dev = self.time, self.device
        self.time, self.device = h.time, h.device
        try:
            self._handle(h.body, h.ev)
        finally:
            self.time, self.device = keep_time, keep_dev

    # -- Block protocol -------------------------------------------------------------------------
    def feed(self, ev: Line) -> bool:
        text = ev.text
        s = text.strip()
        if not s:
            self.blanks += 1
            self._release()
            self.syslog.flush()
            if self.wait is not None:
                self._resolve_wait(final=True)
            return self.blanks <= MAX_BLANKS
        self.blanks = 0
        if self.syslog.continues(ev):
            return True
        self.syslog.flush()
        hdr = split_header(text)
        body = text[hdr.body :].strip()
        if self.held is not None:
            if self._glue(text, hdr.stamped, body):
                return True
            self._release()
        if hdr.stamped or hdr.device:
            self.device = hdr.device or self.ctx.device
        if body.startswith("%") or (hdr.body == 0 and s[:1] in "%HC"):
            hit = parse_line(text)
            if hit is not None:
                if self.confirmed:  # keep the facts in the order of their lines
                    self._flush_rejects()
                self.syslog.start(ev, hit)
                return True
            if is_cisco_tag(text, hdr.body if body.startswith("%") else len(text)):
                return True  # another facility's message (%LINK-3-UPDOWN, %SYS-5-CONFIG_I)
        if not body:
            return hdr.stamped  # a bare stamp ("Sep 22 11:02:39:") of a split record
        b = split_body(body)
        if b.tag is None and self.wait is not None and self._join(ev, body):
            return True
        if b.tag is not None or hdr.time:  # each tagged line carries its own time (or none)
            self.time = hdr.time
        if self.wait is not None:
            self._resolve_wait(final=True)
        if b.tag is None:
            if not _prose(body) and self._handle(b, ev):
                self.loose = 0
                return True
            if self.episode is not None:
                self._end_episode()
            if _loose(text, s) and self.loose < MAX_LOOSE:
                self.loose += 1
                if "notify(" in s.lower():
                    self._notify(b, s.lower(), ev)
                return True
            return False
        self.loose = 0
        if self._needs_tail(b):
            self.wait = _Wait(ev, b, self.time, self.device)
            return True
        if _wraps(len(text.rstrip())):
            self.held, self.held_len = _Wait(ev, b, self.time, self.device), len(text.rstrip())
            return True
        self._handle(b, ev)
        return True

    def close(self) -> None:
        self._release()
        self.syslog.flush()
        if self.wait is not None:
            self._resolve_wait(final=True)
        self._end_episode()
        self._flush_rejects()


# Untagged bodies a block recognises (the tags dropped by a document, or untagged chatter)
_UNTAGGED_KNOWN = (
    "processing ",
    "checking ",
    "atts ",
    "sa has been authenticated",
    "skeyid state generated",
    "attributes in transform",
    "sa life ",
    "life ",
    "encaps is",
    "hmac algorithm",
    "authenticator is",
    "encryption ",
    "hash ",
    "default group",
    "auth ",
    "return status is",
    "oak_",
    "oakley_",
    "next payload",
    ". next payload",
)


def _accepts(text: str) -> bool:
    hdr = split_header(text)
    body = text[hdr.body : hdr.body + 128].lstrip()
    if not body or body[0] == "%":
        return False
    b = split_body(body)
    if b.tag is not None:
        if b.tag == CRYPTO:
            low = b.msg[:64].lower()
            return "handle any more" in low or "isakmp" in body[:40].lower()
        if b.tag == ICMP:
            return "frag. needed" in b.msg.lower()
        return True
    return body[:32].lower().startswith(_UNTAGGED_OPENERS)


class DebugParser:
    """Claims Cisco debug lines (``ISAKMP``, ``IPSEC(...)``, ``IKEv2``, ASA ``[IKEv1]``) wherever
    they appear, with or without a prompt."""

    priority = 50

    name = "cisco.debug"
    vendor = "cisco"
    log_like = True
    # every line ``accepts`` takes holds one of these (tags, "Checking ISAKMP/IPSec ...")
    hints = ("isakmp", "ipsec", "ikev", "crypto", "icmp")
    commands: tuple[tuple[str, ...], ...] = ()

    def accepts(self, text: str) -> bool:
        return _accepts(text)

    def start(self, ctx: Context) -> DebugBlock:
        return DebugBlock(ctx)


PARSERS = (DebugParser,)

