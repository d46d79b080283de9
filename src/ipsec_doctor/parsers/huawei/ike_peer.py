"""``display ike peer [name X] [verbose]``: the IKE peers configured on a device, one record each.

Output shape (AR routers and USG firewalls; seed 002 cases 3.x/4.1.1, seed 003 cases, seed 001
flattened samples), one ``Key : value`` per line, records between dashed rules::

    Number of IKE peers: 1
    -----------------------------------------------------------
     Peer name                       : 1
     IKE version                     : v1v2
     VPN instance                    : -
     Remote IP                       : 1.1.1.1(www.huawei.com)
     Authentic IP address            :
     Proposal                        : 1
     Exchange mode                   : main on phase 1
     Pre-shared-key                  : <redacted>              (a cipher blob, redacted)
    %#                                                         (its wrapped tail: ignored)
     Local ID type                   : IP
     Local ID                        : -
     Remote ID type                  : any
     Remote ID                       :
     certificate peer-name           :
     PKI realm                       : NULL
     Inband OSCP                     : Disable                 (sic, AR)
     Inband CRL                      : Disable
     cert-request empty-payload      : Disable
     VPN instance bound to the SA    :
     NAT-traversal                   : Enable
     AAA authorization domain        :
     DSCP                            :
     Lifetime-notification-message: Disable
     DPD                             : Enable
     DPD type                        : on-demand
     DPD retry-limit                 : 3
     DPD retransmit-interval(s)      : 30
     DPD idle-time(s)                : 60
     DPD message                     : seq-hash-notify
     RSA encryption-padding          : PKCS1
     RSA signature-padding           : PKCS1
     ipsec sm4 version               : draft-standard
     Certificate-check               : Enable
    ......                                                     (elision: ``elided`` is set)

Facts: one ``IkePeer`` per record and one ``IkePeerList`` per output (also when it lists
nothing).  A secret is never kept: ``psk_configured`` only says whether a pre-shared key is
set (any printed value, masked or redacted, counts; empty or ``-`` does not).  Fields the
output does not print stay None (unknown), which differs from a printed ``-`` only in
``lines``: a printed field always has its line.  ``display ike peer brief`` (a table whose
layout none of the references shows) is not claimed.
"""

from __future__ import annotations

from ...model import Line, State
from ..base import Context
from ..util import is_ip
from .kv_block import (
    KV,
    MAX_WRAP,
    ConfigListing,
    Converter,
    Item,
    RecordBlock,
    build,
    classify,
    first_int,
    ints,
    lower_or_none,
    text_or_none,
    to_bool,
)


class IkePeer(State, kw_only=True):
    """One IKE peer.  Text fields are None when printed as absent (``-``, empty, ``NULL``)."""

    name: str | None = None
    ike_version: str | None = None  # "v1", "v2" or "v1v2"
    exchange_mode: str | None = None  # IKEv1 phase 1: "main" or "aggressive"
    vpn_instance: str | None = None
    remote: str | None = None  # the Remote IP field as printed
    remote_ips: tuple[str, ...] = ()  # the addresses in it
    remote_domain: str | None = None  # the host name in it ("1.1.1.1(www.huawei.com)")
    authentic_ip: str | None = None  # remote-address authentication-address
    proposals: tuple[int, ...] = ()  # IKE proposal numbers referenced
    psk_configured: bool | None = None  # never the key itself
    local_id_type: str | None = None  # lower case: "ip", "fqdn", "user-fqdn", "dn", ...
    local_id: str | None = None
    remote_id_type: str | None = None  # lower case; "any" accepts every remote ID
    remote_id: str | None = None
    local_address: str | None = None
    nat_traversal: bool | None = None
    dpd: bool | None = None
    dpd_type: str | None = None  # "on-demand" / "periodic"
    dpd_idle: int | None = None  # seconds
    dpd_retransmit: int | None = None  # seconds
    dpd_retry_limit: int | None = None
    dpd_message: str | None = None  # payload order: "seq-hash-notify" / "seq-notify-hash"
    certificate_peer_name: str | None = None
    pki_realm: str | None = None
    inband_ocsp: bool | None = None
    inband_crl: bool | None = None
    cert_request_empty_payload: bool | None = None
    certificate_check: bool | None = None
    sa_vpn_instance: str | None = None  # VPN instance bound to the SA
    aaa_domain: str | None = None
    dscp: int | None = None
    lifetime_notification: bool | None = None
    rsa_encryption_padding: str | None = None
    rsa_signature_padding: str | None = None
    sm4_version: str | None = None
    elided: bool = False  # the paste left lines of this record out ("......")
    extra: tuple[tuple[str, str], ...] = ()  # other printed fields (key, value), never secrets


class IkePeerList(ConfigListing, kw_only=True):
    """The whole ``display ike peer`` output (``records`` = peers read)."""


def norm_version(value: str) -> str | None:
    """``v1v2``/``V1 V2``/``IKEv2`` -> ``v1v2``/``v2``; None when absent or unknown."""
    v = value.lower().replace(" ", "").replace("ike", "").replace(",", "").replace("/", "")
    if v in ("v1", "v2", "v1v2"):
        return v
    if v == "v2v1":
        return "v1v2"
    return None


def _exchange(value: str) -> str | None:
    v = text_or_none(value)
    return v.split()[0].lower() if v else None


def _psk(value: str) -> bool:
    return value.strip().lower() not in ("", "-", "--", "null", "none")


def split_remote(value: str) -> tuple[tuple[str, ...], str | None]:
    """Addresses and host name of a ``Remote IP`` value (ranges and subnets stay in ``remote``)."""
    ips: list[str] = []
    domain: str | None = None
    for tok in value.replace("(", " ").replace(")", " ").replace(",", " ").split():
        if is_ip(tok):
            ips.append(tok)
        elif tok in ("-", "--") or "/" in tok:
            continue
        elif "-" in tok and all(is_ip(p) for p in tok.split("-", 1)):
            continue  # an address range
        elif domain is None and any(c.isalpha() for c in tok) and tok.lower() != "null":
            domain = tok
    return tuple(ips), domain


FIELDS: dict[str, tuple[str, Converter]] = {
    "peername": ("name", text_or_none),
    "ikeversion": ("ike_version", norm_version),
    "version": ("ike_version", norm_version),
    "exchangemode": ("exchange_mode", _exchange),
    "negotiationmode": ("exchange_mode", _exchange),
    "vpninstance": ("vpn_instance", text_or_none),
    "remoteip": ("remote", text_or_none),
    "remoteaddress": ("remote", text_or_none),
    "remoteipaddress": ("remote", text_or_none),
    "authenticipaddress": ("authentic_ip", text_or_none),
    "authenticationaddress": ("authentic_ip", text_or_none),
    "proposal": ("proposals", ints),
    "ikeproposal": ("proposals", ints),
    "presharedkey": ("psk_configured", _psk),
    "presharekey": ("psk_configured", _psk),
    "localidtype": ("local_id_type", lower_or_none),
    "localid": ("local_id", text_or_none),
    "remoteidtype": ("remote_id_type", lower_or_none),
    "remoteid": ("remote_id", text_or_none),
    "localaddress": ("local_address", text_or_none),
    "localip": ("local_address", text_or_none),
    "nattraversal": ("nat_traversal", to_bool),
    "dpd": ("dpd", to_bool),
    "dpdtype": ("dpd_type", lower_or_none),
    "dpdidletime": ("dpd_idle", first_int),
    "dpdretransmitinterval": ("dpd_retransmit", first_int),
    "dpdretrylimit": ("dpd_retry_limit", first_int),
    "dpdmessage": ("dpd_message", lower_or_none),
    "dpdmsg": ("dpd_message", lower_or_none),
    "certificatepeername": ("certificate_peer_name", text_or_none),
    "pkirealm": ("pki_realm", text_or_none),
    "inbandocsp": ("inband_ocsp", to_bool),
    "inbandoscp": ("inband_ocsp", to_bool),
    "inbandcrl": ("inband_crl", to_bool),
    "certrequestemptypayload": ("cert_request_empty_payload", to_bool),
    "certificatecheck": ("certificate_check", to_bool),
    "vpninstanceboundtothesa": ("sa_vpn_instance", text_or_none),
    "aaaauthorizationdomain": ("aaa_domain", text_or_none),
    "dscp": ("dscp", first_int),
    "lifetimenotificationmessage": ("lifetime_notification", to_bool),
    "rsaencryptionpadding": ("rsa_encryption_padding", text_or_none),
    "rsasignaturepadding": ("rsa_signature_padding", text_or_none),
    "ipsecsm4version": ("sm4_version", text_or_none),
    "sm4version": ("sm4_version", text_or_none),
}
_START = frozenset({"peername"})
_PSK_KEYS = frozenset({"presharedkey", "presharekey"})


class _Block(RecordBlock):
    start_keys = _START
    fields = FIELDS
    listing_cls = IkePeerList
    listing_family = "ike-peer-list"
    total_keys = frozenset({"numberofikepeers", "numberofpeers", "totalikepeers"})
    filter_words = ("name",)

    def flush(self) -> None:
        rec, self.rec = self.rec, None
        if rec is None or not rec.values:
            return
        kwargs, lines, extra = build(rec, FIELDS)
        remote = kwargs.get("remote")
        if isinstance(remote, str):
            ips, domain = split_remote(remote)
            kwargs["remote_ips"], kwargs["remote_domain"] = ips, domain
            lines["remote_ips"] = lines["remote_domain"] = lines["remote"]
        self.emit_record(
            IkePeer(
                vendor="huawei",
                family="ike-peer",
                ev=rec.ev,
                device=self.ctx.device,
                lines=lines,
                elided=rec.elided,
                extra=extra,
                **kwargs,  # type: ignore[arg-type]
            )
        )

    def on_text(self, item: Item, ev: Line) -> bool:
        rec = self.rec
        # a value wrapped by the terminal: one token right after its key line
        if rec is None or not self.after_kv or rec.last is None:
            return False
        if " " in item.text or len(item.text) > MAX_WRAP:
            return False
        if rec.last in _PSK_KEYS:
            return True  # the tail of a wrapped cipher blob: nothing to keep
        if not rec.long_last:
            return False
        rec.extend(item.text, glue="")
        return True


class _Refuse:
    """A block that takes nothing (a variant of the command this parser does not read)."""

    def feed(self, ev: Line) -> bool:
        return False

    def close(self) -> None:
        return None


class IkePeerParser:
    name = "huawei.display-ike-peer"
    vendor = "huawei"
    log_like = False
    priority = 100
    commands = (("display", "ike", "peer"),)

    def accepts(self, text: str) -> bool:
        low = text.lstrip()[:24].lower()
        if not low.startswith(("peer name", "peer-name", "number of ike peers")):
            return False
        item = classify(text[:256])
        return item.kind == KV and item.key in ("peername", "numberofikepeers")

    def start(self, ctx: Context) -> _Block | _Refuse:
        toks = ctx.command.lower().split("|", 1)[0].split()
        if len(toks) > 3 and toks[3].startswith("b") and "brief".startswith(toks[3]):
            return _Refuse()
        return _Block(ctx, self.commands)


PARSERS = (IkePeerParser,)
