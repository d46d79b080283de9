"""strongSwan algorithm proposal strings (``aes256-sha256-modp2048``, ``aes128gcm16-prfsha256-
ecp256``, ``default``, ``...!``) to canonical words, and back (for ``render``).

Keywords follow the strongSwan "IKEv2 Cipher Suites" / "Algorithm Proposals" documentation
(``proposal_keywords_static.txt``): a proposal is a dash-separated list, several algorithms of a
kind are alternatives (IKEv2), several proposals are separated by commas.  Without an explicit
``prf...`` keyword an IKE proposal uses the PRFs matching its integrity algorithms (``prf`` is
left empty, the model's "same as integrity").  A DH group in an ESP/AH proposal means PFS.
Keywords without a canonical word (Camellia, AES-CCM, ChaCha20-Poly1305, AES-CMAC ...) are kept
as readable words of their own so that they only ever match themselves.
"""

from __future__ import annotations

import msgspec

from .algorithms import DH_NAMES

_ENC: dict[str, str] = {"3des": "3des", "des": "des", "null": "null", "aes": "aes-cbc-128",
                        "chacha20poly1305": "chacha20-poly1305", "cast128": "cast-128",
                        "blowfish": "blowfish-128"}
for _size in (128, 192, 256):
    _ENC[f"aes{_size}"] = f"aes-cbc-{_size}"
    _ENC[f"aes{_size}ctr"] = f"aes-ctr-{_size}"
    _ENC[f"camellia{_size}"] = f"camellia-cbc-{_size}"
    _ENC[f"camellia{_size}ctr"] = f"camellia-ctr-{_size}"
    _ENC[f"blowfish{_size}"] = f"blowfish-{_size}"
    _ENC[f"aes{_size}gmac"] = f"aes-gmac-{_size}"
    for _icv, _octets in ((8, 8), (64, 8), (12, 12), (96, 12), (16, 16), (128, 16)):
        _ENC[f"aes{_size}gcm{_icv}"] = (
            f"aes-gcm-{_size}" if _octets == 16 else f"aes-gcm-{_size}-icv{_octets}"
        )
        _ENC[f"aes{_size}ccm{_icv}"] = f"aes-ccm-{_size}-icv{_octets}"
        _ENC[f"camellia{_size}ccm{_icv}"] = f"camellia-ccm-{_size}-icv{_octets}"
_ENC["camellia"] = "camellia-cbc-128"
_ENC["aes128gcm"] = "aes-gcm-128"  # not a documented keyword; tolerated by some front ends

_INTEG: dict[str, str] = {
    "md5": "md5", "md5_128": "md5", "sha1": "sha1", "sha": "sha1", "sha1_160": "sha1",
    "aesxcbc": "aes-xcbc", "aescmac": "aes-cmac", "camelliaxcbc": "camellia-xcbc",
    "sha256": "sha2-256", "sha2_256": "sha2-256", "sha384": "sha2-384", "sha2_384": "sha2-384",
    "sha512": "sha2-512", "sha2_512": "sha2-512",
    # 96-bit truncated HMAC-SHA-256 (pre-RFC 4868 Linux kernels): same hash, other ICV length
    "sha256_96": "sha2-256", "sha2_256_96": "sha2-256",
}
_PRF: dict[str, str] = {
    "prfmd5": "md5", "prfsha1": "sha1", "prfaesxcbc": "aes-xcbc", "prfaescmac": "aes-cmac",
    "prfsha256": "sha2-256", "prfsha384": "sha2-384", "prfsha512": "sha2-512",
    "prfcamelliaxcbc": "camellia-xcbc",
}
_DH: dict[str, int] = dict(DH_NAMES)
_DH.update({"ecp224bp": 27, "ecp256bp": 28, "ecp384bp": 29, "ecp512bp": 30,
            "modpnone": 0, "none": 0})
_TRUNC96 = frozenset({"sha256_96", "sha2_256_96"})


class Parsed(msgspec.Struct, kw_only=True):
    """One proposal: canonical words per transform type, in the configured order."""

    text: str
    encryption: list[str] = []
    integrity: list[str] = []
    prf: list[str] = []
    dh: list[int] = []
    sha2_96: bool = False  # integrity written as sha256_96
    unknown: list[str] = []
    default: bool = False  # this is the keyword ``default``


def _add(lst: list, item: object) -> None:
    if item not in lst:
        lst.append(item)


# Libreswan (pluto) spellings of the same algorithms: ``aes256-sha2_256;modp2048``,
# ``aes_gcm256-null;dh19`` (ipsec.conf(5) of Libreswan, "ike=" / "esp=")
_LIBRESWAN = {"aes_cbc": "aes", "aes_cbc128": "aes128", "aes_cbc192": "aes192",
              "aes_cbc256": "aes256", "aes_gcm": "aes128gcm16", "aes_gcm128": "aes128gcm16",
              "aes_gcm192": "aes192gcm16", "aes_gcm256": "aes256gcm16",
              "aes_gcm_16": "aes128gcm16", "aes_ctr": "aes128ctr", "sha2": "sha256",
              "sha2_256_128": "sha256", "sha2_384_192": "sha384", "sha2_512_256": "sha512",
              "null": "null", "dh2": "modp1024", "dh5": "modp1536", "dh14": "modp2048",
              "dh15": "modp3072", "dh16": "modp4096", "dh18": "modp8192", "dh19": "ecp256",
              "dh20": "ecp384", "dh21": "ecp521", "dh31": "curve25519"}


def parse_one(text: str, dialect: str = "strongswan") -> Parsed:
    """One dash-separated proposal (no commas); ``dialect="libreswan"`` also reads pluto's
    ``;``-separated DH part and its algorithm names."""
    p = Parsed(text=text, encryption=[], integrity=[], prf=[], dh=[], unknown=[])
    tokens = text.strip().lower().replace(";", "-").split("-")
    if dialect == "libreswan":
        tokens = [_LIBRESWAN.get(t.strip(), t) for t in tokens]
        if "null" in tokens and any("gcm" in t for t in tokens):
            tokens.remove("null")  # AEAD: "null" integrity
    for tok in tokens:
        tok = tok.strip()
        if not tok or tok in ("esn", "noesn"):
            continue
        if tok in _ENC:
            _add(p.encryption, _ENC[tok])
        elif tok in _INTEG:
            _add(p.integrity, _INTEG[tok])
            p.sha2_96 = p.sha2_96 or tok in _TRUNC96
        elif tok in _PRF:
            _add(p.prf, _PRF[tok])
        elif tok in _DH:
            _add(p.dh, _DH[tok])
        elif tok.startswith("ke") and "_" in tok:  # additional key exchanges (6.0): not modelled
            continue
        else:
            p.unknown.append(tok)
    return p


def split_list(value: str) -> tuple[list[str], bool]:
    """Comma-separated proposals and whether the list is strict (ipsec.conf trailing ``!``)."""
    v = value.strip()
    strict = v.endswith("!")
    if strict:
        v = v[:-1]
    return [p.strip() for p in v.split(",") if p.strip()], strict


def parse_list(value: str, dialect: str = "strongswan") -> tuple[list[Parsed], bool]:
    """Every proposal of a ``proposals``/``esp_proposals``/``ike=``/``esp=`` value; ``default``
    entries come back as ``Parsed(default=True)`` for the caller to expand."""
    items, strict = split_list(value)
    out = []
    for item in items:
        if item.lower() == "default":
            out.append(Parsed(text=item, default=True))
        else:
            out.append(parse_one(item, dialect))
    return out, strict


# ------------------------------------------------------------------ canonical -> keyword

_ENC_WORD = {"3des": "3des", "des": "des", "null": "null"}
for _size in (128, 192, 256):
    _ENC_WORD[f"aes-cbc-{_size}"] = f"aes{_size}"
    _ENC_WORD[f"aes-ctr-{_size}"] = f"aes{_size}ctr"
    _ENC_WORD[f"aes-gcm-{_size}"] = f"aes{_size}gcm16"
_INTEG_WORD = {"md5": "md5", "sha1": "sha1", "sha2-256": "sha256", "sha2-384": "sha384",
               "sha2-512": "sha512", "aes-xcbc": "aesxcbc", "aes-cmac": "aescmac"}
_DH_WORD = {1: "modp768", 2: "modp1024", 5: "modp1536", 14: "modp2048", 15: "modp3072",
            16: "modp4096", 17: "modp6144", 18: "modp8192", 19: "ecp256", 20: "ecp384",
            21: "ecp521", 22: "modp1024s160", 23: "modp2048s224", 24: "modp2048s256",
            25: "ecp192", 26: "ecp224", 27: "ecp224bp", 28: "ecp256bp", 29: "ecp384bp",
            30: "ecp512bp", 31: "curve25519", 32: "curve448"}


def enc_word(canonical: str) -> str:
    return _ENC_WORD.get(canonical, canonical)


def integ_word(canonical: str, truncate96: bool = False) -> str:
    if truncate96 and canonical == "sha2-256":
        return "sha256_96"
    return _INTEG_WORD.get(canonical, canonical)


def prf_word(canonical: str) -> str:
    return "prf" + _INTEG_WORD.get(canonical, canonical)


def dh_word(group: int) -> str:
    return _DH_WORD.get(group, f"dh{group}")


def build(encryption: list[str] | tuple[str, ...], integrity: list[str] | tuple[str, ...] = (),
          prf: list[str] | tuple[str, ...] = (), dh: list[int] | tuple[int, ...] = (),
          truncate96: bool = False) -> str:
    """A proposal string from canonical words (``aes256-sha256-prfsha256-modp2048``)."""
    words = [enc_word(e) for e in encryption]
    words += [integ_word(i, truncate96) for i in integrity]
    words += [prf_word(p) for p in prf]
    words += [dh_word(g) for g in dh]
    return "-".join(words)
