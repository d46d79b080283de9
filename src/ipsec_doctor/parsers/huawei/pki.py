"""``display pki certificate local|ca|peer ...`` (and ``display pki ca_list`` / ``cert_list`` /
``peer-certificate``): the certificates a device holds, one ``PkiCertificate`` per certificate.

The output is OpenSSL's text dump with Huawei framing::

     The x509 object type is certificate:
    Certificate:
        Data:
            Version: 3 (0x2)
            Serial Number: 2 (0x2)                    (or on the next line(s), in hex)
            Signature Algorithm: sha1WithRSAEncryption
            Issuer: C=cn, ST=beijing, O=BB, CN=BB     (or one attribute per following line)
            Validity
                Not Before: Aug 15 02:38:27 2011 GMT
                Not After : Aug 13 02:38:27 2016 GMT   ("Not After:" and doubled blanks too)
            Subject: C=CN, O=huawei, CN=hello
            Subject Public Key Info: ... RSA Public-Key: (1024 bit) ... Modulus: <hex>
            X509v3 extensions:
                X509v3 Key Usage:
                    Certificate Sign, CRL Sign
                X509v3 Basic Constraints: critical
                    CA:TRUE
        Signature Algorithm: ... <hex>
    Pki realm name: -
    Certificate file name: rsakey_ca.cer
    Certificate peer name: -

Validity times are normalised to ``YYYY-MM-DD HH:MM:SS`` (as printed, GMT) so rules can compare
them with ``display clock``.  Each command output also yields one ``PkiCertificateList`` (also
when empty: no certificate at all is itself evidence), with an ``Info:``/``Error:`` message if
the device printed one.
"""

from __future__ import annotations

from ...model import Line, State
from ..base import Context
from ..util import is_clock, is_date, norm_time

MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}


class PkiCertificate(State, kw_only=True):
    """One certificate; ``kind`` (local / ca / peer) comes from the command when it says so."""

    kind: str | None = None
    realm: str | None = None
    filename: str | None = None
    peer_name: str | None = None
    version: int | None = None
    serial: str | None = None
    signature_algorithm: str | None = None
    issuer: str | None = None
    subject: str | None = None
    not_before: str | None = None  # "YYYY-MM-DD HH:MM:SS" GMT
    not_after: str | None = None
    public_key_algorithm: str | None = None
    public_key_bits: int | None = None
    key_usage: tuple[str, ...] = ()
    extended_key_usage: tuple[str, ...] = ()
    subject_alt_names: tuple[str, ...] = ()
    is_ca: bool | None = None

    @property
    def self_signed(self) -> bool:
        return self.issuer is not None and self.issuer == self.subject


class PkiCertificateList(State, kw_only=True):
    """The whole output: how many certificates it showed (0 = none) and any device message."""

    kind: str | None = None
    realm: str | None = None
    count: int = 0
    message: str | None = None


def parse_cert_time(text: str) -> str | None:
    """``Aug 15 02:38:27 2011 GMT`` / ``May  26  05:35:00 2021 GMT`` / ``2021-05-26 05:35:00``."""
    if not text.isascii():
        return None
    toks = text.split()
    if len(toks) >= 4 and toks[0][:3].lower() in MONTHS:
        mon = MONTHS[toks[0][:3].lower()]
        day, clock, year = toks[1], toks[2], toks[3]
        day_ok = day.isdecimal() and len(day) <= 2
        if day_ok and is_clock(clock) and year.isdecimal() and len(year) == 4:
            return f"{year}-{mon:02d}-{int(day):02d} {clock.split('.')[0]}"
        return None
    if len(toks) >= 2 and is_date(toks[0]) and is_clock(toks[1]):
        return norm_time(toks[0], toks[1].split(".")[0])
    return None


# Field keys ("Key: value" / "Key:" then value lines), lower-cased.
_SCALAR = {
    "version": "version",
    "serial number": "serial",
    "signature algorithm": "signature_algorithm",
    "issuer": "issuer",
    "subject": "subject",
    "not before": "not_before",
    "not after": "not_after",
    "public key algorithm": "public_key_algorithm",
    "pki realm name": "realm",
    "certificate file name": "filename",
    "certificate peer name": "peer_name",
}
_LISTS = {
    "x509v3 key usage": "key_usage",
    "x509v3 extended key usage": "extended_key_usage",
    "x509v3 subject alternative name": "subject_alt_names",
    "x509v3 basic constraints": "basic_constraints",
}
_SKIP_KEYS = ("modulus", "exponent", "subject public key info", "x509v3 extensions", "data")
_BARE = ("validity", "certificate:", "data:", "x509v3 extensions:")


def _key(text: str) -> str | None:
    """The lower-cased key of a field line, or None for a value / continuation line."""
    low = text.lower()
    if low in _BARE:
        return low.rstrip(":")
    k, sep, _ = low.partition(":")
    if not sep:
        return None
    k = k.strip()
    if k in _SCALAR or k in _LISTS or k.startswith(_SKIP_KEYS):
        return k
    if k.endswith("public-key") or k.endswith("public key"):
        return "public-key"
    if k.startswith(("x509v3 ", "netscape ", "authority ", "ct precert")):
        return "skip"
    return None


def _split_list(value: str) -> list[str]:
    out = []
    for part in value.split(","):
        part = part.strip()
        if part.endswith(")") and " (" in part:  # "Key Encipherment (e0)"
            part = part[: part.rindex(" (")]
        if part:
            out.append(part)
    return out


class _Record:
    def __init__(self, ev: Line) -> None:
        self.ev = ev
        self.f: dict[str, object] = {}
        self.lists: dict[str, list[str]] = {}
        self.lines: dict[str, Line] = {}
        self.pending: str | None = None  # the field continuation lines go to
        self.content = False

    def set(self, field: str, value: object, ev: Line) -> None:
        if field in self.f:  # "Signature Algorithm" repeats after the body: keep the first
            return
        self.f[field] = value
        self.lines[field] = ev
        self.content = True


class _Block:
    def __init__(self, ctx: Context, kind: str | None, realm: str | None, prompted: bool) -> None:
        self.ctx = ctx
        self.kind = kind
        self.realm = realm
        self.prompted = prompted
        self.first: Line | None = None
        self.rec: _Record | None = None
        self.count = 0
        self.message: str | None = None
        self.message_line: Line | None = None
        self.x509_line: Line | None = None  # "The x509 object type is ..." just before a record

    def feed(self, ev: Line) -> bool:
        raw = ev.text
        text = raw.strip()
        if not text:
            return True
        if self.first is None:
            self.first = ev
        low = text.lower()
        if low.startswith("the x509"):
            self._finish()
            self.x509_line = ev
            return True
        if low == "certificate:":
            if self.rec is None or self.rec.content:
                self._finish()
                self.rec = _Record(self.x509_line or ev)
            self.x509_line = None
            return True
        if low.startswith(("info:", "error:", "warning:")):
            self.message = text
            self.message_line = ev
            return True
        try:
            return self._line(ev, raw, text)
        except (ValueError, IndexError):  # a garbled line: skip it, keep the block
            return True

    def _line(self, ev: Line, raw: str, text: str) -> bool:
        key = _key(text)
        if key is None and not raw[:1].isspace() and not self.prompted and self.rec is None:
            return False
        rec = self.rec
        if rec is None:
            if key in ("pki realm name", "certificate file name", "certificate peer name"):
                return True
            return self.prompted or raw[:1].isspace()
        if key is None:
            if not self.prompted and not raw[:1].isspace():
                return False  # a column-0 line that is no field: the output has ended
            self._continue(rec, ev, text)
            return True
        self._field(rec, key, ev, text)
        return True

    def _field(self, rec: _Record, key: str, ev: Line, text: str) -> None:
        _, _, value = text.partition(":")
        value = value.strip()
        rec.pending = None
        if key in _SCALAR:
            field = _SCALAR[key]
            if field in ("not_before", "not_after"):
                rec.set(field, parse_cert_time(value), ev)
            elif field == "version":
                head = value.split()[0] if value else ""
                rec.set(field, int(head) if head.isdecimal() and len(head) < 6 else None, ev)
            elif field in ("realm", "filename", "peer_name"):
                rec.set(field, None if value in ("", "-") else value, ev)
            elif value:
                rec.set(field, value, ev)
            elif field in ("serial", "issuer", "subject") and field not in rec.f:
                rec.pending = field  # the value follows on the next line(s)
                rec.lines[field] = ev
        elif key in _LISTS:
            rec.pending = _LISTS[key]
            rec.lines.setdefault(rec.pending, ev)
        elif key == "public-key":
            bits = value.strip("()").split()
            if bits and bits[0].isdecimal() and len(bits[0]) < 7:
                rec.set("public_key_bits", int(bits[0]), ev)

    def _continue(self, rec: _Record, ev: Line, text: str) -> None:
        field = rec.pending
        if field is None:
            return
        if field in ("serial", "issuer", "subject"):
            sep = " " if field == "serial" else ", "
            old = rec.f.get(field)
            rec.f[field] = f"{old}{sep}{text}" if old else text
            rec.content = True
        elif field == "basic_constraints":
            flag = text.replace(" ", "").upper()
            if flag.startswith("CA:"):
                rec.f["is_ca"] = flag.startswith("CA:TRUE")
                rec.lines["is_ca"] = ev
        else:
            rec.lists.setdefault(field, []).extend(_split_list(text))
            rec.lines.setdefault(field, ev)

    def _finish(self) -> None:
        rec = self.rec
        self.rec = None
        if rec is None or not rec.content:
            return
        fields = dict(rec.f)
        for k, v in rec.lists.items():
            if k != "basic_constraints":
                fields[k] = tuple(v)
        fields.setdefault("realm", self.realm)
        self.count += 1
        self.ctx.emit(
            PkiCertificate(
                vendor="huawei",
                family="pki-certificate",
                ev=rec.ev,
                device=self.ctx.device,
                lines=rec.lines,
                kind=self.kind,
                **fields,  # type: ignore[arg-type]
            )
        )

    def close(self) -> None:
        self._finish()
        ev = self.ctx.prompt or self.first
        if ev is None or not self.prompted:  # a pasted certificate says nothing of the rest
            return
        lines = {"message": self.message_line} if self.message_line else {}
        self.ctx.emit(
            PkiCertificateList(
                vendor="huawei",
                family="pki-certificate-list",
                ev=ev,
                device=self.ctx.device,
                lines=lines,
                kind=self.kind,
                realm=self.realm,
                count=self.count,
                message=self.message,
            )
        )


def _command_scope(command: str) -> tuple[bool, str | None, str | None]:
    """(is ours, kind, realm) from the typed command."""
    words = command.split("|", 1)[0].split()
    low = [w.lower() for w in words]
    if len(low) < 3 or not "display".startswith(low[0]) or low[1] != "pki":
        return False, None, None
    kind: str | None = None
    what = low[2]
    if "ca_list".startswith(what) and what.startswith("ca_"):
        kind = "ca"
    elif "cert_list".startswith(what) and what.startswith("cert_"):
        kind = "local"
    elif "peer-certificate".startswith(what) and len(what) > 4:
        kind = "peer"
    elif "certificate".startswith(what) and len(low) > 3 and low[3] in ("local", "ca", "peer"):
        kind = low[3]
    elif not "certificate".startswith(what):
        return False, None, None
    realm = None
    for key in ("realm", "domain"):
        if key in low[3:]:
            i = low.index(key, 3)
            if i + 1 < len(words):
                realm = words[i + 1]
    return True, kind, realm


class PkiCertificateParser:
    name = "huawei.display-pki-certificate"
    vendor = "huawei"
    log_like = False
    priority = 100
    commands = (
        ("display", "pki", "certificate"),
        ("display", "pki", "ca_list"),
        ("display", "pki", "cert_list"),
        ("display", "pki", "peer-certificate"),
    )

    def accepts(self, text: str) -> bool:
        low = text.strip().lower()
        return low.startswith("the x509") and "certificate" in low.replace("cert:", "certificate")

    def start(self, ctx: Context) -> _Block:
        ours, kind, realm = _command_scope(ctx.command or "")
        return _Block(ctx, kind, realm, prompted=ours)


PARSERS = (PkiCertificateParser,)
