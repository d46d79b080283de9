"""``display pki certificate ...``: certificates with validity, issuer/subject, serial, key usage.

Fixtures ``pki-*.txt`` follow the exact layout of the Huawei manuals' examples (OpenSSL text
dump inside Huawei framing) with their own values.
"""

from __future__ import annotations

from conftest import FIXTURES, fixture_text
from ipsec_doctor.ingest.scan import scan_text
from ipsec_doctor.model import Signal
from ipsec_doctor.parsers.huawei.pki import PkiCertificate, PkiCertificateList, parse_cert_time


def certs(text: str, mode: str = "full") -> list[PkiCertificate]:
    return [f for f in scan_text(text, "t.txt", mode=mode) if isinstance(f, PkiCertificate)]


def lists(text: str) -> list[PkiCertificateList]:
    return [f for f in scan_text(text, "t.txt") if isinstance(f, PkiCertificateList)]


def raw_text(name: str) -> str:
    with open(FIXTURES / name, encoding="utf-8", newline="") as fh:
        return fh.read()


def test_local_certificate_in_a_realm() -> None:
    text = fixture_text("huawei/pki-local-realm.txt")
    (c,) = certs(text)
    assert (c.device, c.kind, c.realm, c.filename, c.peer_name) == (
        "FW1",
        "local",
        "abc",
        "abc_local.cer",
        None,
    )
    assert (c.version, c.serial, c.signature_algorithm) == (
        3,
        "3a:7e:01:c4:00:00:00:00:00:2f",
        "sha256WithRSAEncryption",
    )
    assert c.issuer == "C=CN, O=Example, OU=VPN, CN=Example Issuing CA"
    assert c.subject == "C=CN, O=Example, OU=Branch, CN=fw1.example.com"
    assert (c.not_before, c.not_after) == ("2017-03-02 08:15:00", "2018-03-02 08:25:00")
    assert c.line_of("not_after").line == 12
    assert c.line_of("not_after").text == "            Not After : Mar  2 08:25:00 2018 GMT"
    assert (c.public_key_algorithm, c.public_key_bits) == ("rsaEncryption", 2048)
    assert c.key_usage == ("Digital Signature", "Key Encipherment")
    assert c.extended_key_usage == ("IPSec End System", "TLS Web Client Authentication")
    assert c.subject_alt_names == ("IP Address:1.1.1.1", "DNS:fw1.example.com")
    assert c.is_ca is False and not c.self_signed
    assert c.ev.line == 2  # "The x509 object type is certificate:"
    (lst,) = lists(text)
    assert (lst.count, lst.kind, lst.realm, lst.device) == (1, "local", "abc", "FW1")


def test_ca_certificate_with_one_attribute_per_line() -> None:
    text = fixture_text("huawei/pki-ca-multiline.txt")
    (c,) = certs(text)
    assert (c.device, c.kind, c.realm, c.filename) == ("AR1", "ca", "hq", "hq_ca.cer")
    assert c.serial == "5D41A0E2 00010000 0103"
    assert c.issuer == "emailAddress=pki@example.net, C=CN, O=Example, CN=Example Root"
    assert c.self_signed and c.is_ca is True
    assert c.not_after == "2024-01-05 01:00:00"  # "Not After:" without the blank
    assert c.key_usage == ("Certificate Sign", "CRL Sign")
    assert c.public_key_bits == 1024
    assert c.line_of("issuer").line == 9 and c.line_of("is_ca").line == 30


def test_messy_paste_crlf_paging_two_certificates_and_truncation() -> None:
    text = raw_text("huawei/pki-messy.txt")
    assert "\r\n" in text and "---- More ----" in text
    a, b = certs(text)
    assert (a.kind, a.serial, a.not_after, a.filename) == (
        "ca",
        "7 (0x7)",
        "2031-05-24 09:45:00",
        "roota.cer",
    )
    assert a.not_before == "2021-05-24 09:45:00"  # doubled blanks in the date
    # the paging prompt before "Subject" is erased, the field is still read
    assert a.subject == "CN=Root A,OU=Ops,O=Example,C=CN" and a.is_ca is True
    # the second certificate is cut inside "Not After": the time is unknown, the line is kept
    assert (b.serial, b.not_before, b.not_after) == ("8 (0x8)", "2020-06-01 00:00:00", None)
    assert b.line_of("not_after").line == 25
    (lst,) = lists(text)
    assert lst.count == 2 and lst.device == "FW2"
    assert certs(text, mode="fast") == certs(text)


def test_empty_output_and_device_message() -> None:
    text = (
        "<FW1>display pki certificate peer name fw2\nInfo: The certificate does not exist.\n<FW1>"
    )
    assert certs(text) == []
    (lst,) = lists(text)
    assert (lst.count, lst.kind, lst.message) == (
        0,
        "peer",
        "Info: The certificate does not exist.",
    )
    assert lst.line_of("message").line == 2
    # nothing at all between two prompts: only the prompt line can prove the emptiness
    text = "<FW1>display pki certificate local realm abc\n<FW1>display clock\n"
    got = lists(text)
    assert certs(text) == []
    assert all(x.count == 0 and x.ev.line == 1 and x.realm == "abc" for x in got)


def test_certificate_pasted_without_prompt_then_a_log_line() -> None:
    body = fixture_text("huawei/pki-ca-multiline.txt").split("\n", 1)[1]  # drop the prompt
    log = (
        "Mar  8 2017 11:10:47 FW1 %%01IKE/5/IKE_NEGO_FAIL(l)[3]:IPSec tunnel negotiation fails. "
        "(PeerAddress=2.1.1.1, PeerPort=500, Reason=phase1 proposal mismatch)\n"
    )
    got = scan_text(body + log, "t.txt")
    (c,) = [f for f in got if isinstance(f, PkiCertificate)]
    assert (c.kind, c.realm, c.device, c.not_after) == (None, "hq", None, "2024-01-05 01:00:00")
    assert [s.ev.line for s in got if isinstance(s, Signal)] == [body.count("\n") + 1]
    assert [f for f in got if isinstance(f, PkiCertificateList)] == []


def test_ca_list_and_realm_from_the_command() -> None:
    text = raw_text("huawei/pki-messy.txt").replace(
        "<FW2>display pki ca_list", "<FW2>dis pki cert ca realm hq"
    )
    assert {(c.kind, c.realm) for c in certs(text)} == {("ca", "hq")}


def test_parse_cert_time() -> None:
    assert parse_cert_time("Aug 15 02:38:27 2011 GMT") == "2011-08-15 02:38:27"
    assert parse_cert_time("May  26  05:35:00 2021 GMT") == "2021-05-26 05:35:00"
    assert parse_cert_time("2021/05/26 05:35:00") == "2021-05-26 05:35:00"
    assert parse_cert_time("Jun  1 00:00:00 20") is None
    assert parse_cert_time("Aug ²5 02:38:27 2011 GMT") is None
