"""strongSwan configuration reader (``config/strongswan*.py``): swanctl.conf and ipsec.conf
(+ ipsec.secrets) from strongSwan's own test suite, defaults, proposal strings, PSK selection,
secrets never leaking, rendering, and the check-matrix baselines."""

from __future__ import annotations

import base64
import glob
import os

import msgspec
import pytest

from ipsec_doctor.config import ConfigError
from ipsec_doctor.config import strongswan as ss
from ipsec_doctor.config.model import CHANGE_FIELDS, Change, Identity, Route, Selector
from ipsec_doctor.config.strongswan_proposals import parse_list, parse_one
from matrix import strongswan as matrix

FIX = os.path.join(os.path.dirname(__file__), "fixtures", "config", "strongswan")
LAB = os.path.join(os.path.dirname(__file__), "fixtures", "lab")


def _text(name: str) -> str:
    with open(os.path.join(FIX, name), encoding="utf-8") as f:
        return f.read()


def _one(text: str, source: str = "test.conf"):
    devices = ss.parse(text, source)
    assert len(devices) == 1
    return devices[0]


def _tunnel(dev, name):
    return next(t for t in dev.tunnels if t.name == name)


# ------------------------------------------------------------------ real files, field by field

FIXTURES = sorted(f for f in os.listdir(FIX) if f.endswith(".conf"))


@pytest.mark.parametrize("name", FIXTURES)
def test_every_fixture_parses_and_is_detected(name):
    text = _text(name)
    assert ss.detect(text) >= 80
    dev = _one(text, name)
    assert dev.vendor == "strongswan"
    assert dev.tunnels or dev.notes  # never silently empty
    for t in dev.tunnels:
        assert t.ev is not None and t.ev.source == name
        assert t.nat_traversal is True or dev.platform == "libreswan"
        for field, line in t.lines.items():
            assert line.text == text.splitlines()[line.line - 1].strip() or "<redacted>" in \
                line.text, field


def test_swanctl_net2net_cert_fields_cite_their_lines():
    text = _text("net2net-cert-moon.swanctl.conf")
    dev = _one(text, "moon.conf")
    assert dev.platform == "swanctl"
    assert [(i.name, i.addresses) for i in dev.interfaces] == [("local_addrs",
                                                               ("192.168.0.1/32",))]
    (t,) = dev.tunnels
    assert t.name == "gw-gw/net-net"
    assert t.ike_versions == (2,) and t.initiate_version == 2
    assert t.lines["ike_versions"].text == "version = 2"
    assert t.local_address == "192.168.0.1" and t.lines["local_address"].line == 4
    assert t.peer_addresses == ("192.168.0.2",) and not t.peer_any
    assert t.local_auth == t.remote_auth == "rsa-sig" and t.psk is None
    assert t.local_id == Identity(type="fqdn", value="moon.strongswan.org")
    assert t.remote_id == Identity(type="fqdn", value="sun.strongswan.org")
    assert t.lines["remote_id"].line == 14
    (p,) = t.ike_proposals
    assert (p.encryption, p.integrity, p.prf, p.dh) == (("aes-cbc-128",), ("sha2-256",), (),
                                                        (15,))
    assert p.ev.text == "proposals = aes128-sha256-modp3072"
    assert p.lifetime == 14400 and "lifetime" in p.defaults
    (c,) = t.child_proposals
    assert (c.protocol, c.encryption, c.integrity, c.mode) == ("esp", ("aes-gcm-128",), (),
                                                               "tunnel")
    assert t.pfs == 15 and t.lines["pfs"].line == 22
    assert [(s.src, s.dst) for s in t.selectors] == [("10.1.0.0/16", "10.2.0.0/16")]
    assert t.lines["selectors"].text == "local_ts  = 10.1.0.0/16"
    # no start_action: loaded only, never initiates by itself
    assert t.initiates is False and "initiates" in t.defaults
    assert t.bound_interface == "local_addrs"
    assert t.dpd is False and "dpd" in t.defaults


def test_children_become_tunnels_with_the_connection_settings():
    dev = _one(_text("protoport-dual-carol.swanctl.conf"))
    icmp, ssh = dev.tunnels
    assert (icmp.name, ssh.name) == ("home/icmp", "home/ssh")
    assert icmp.ike_proposals[0].dh == ssh.ike_proposals[0].dh == (31,)  # curve25519
    assert icmp.remote_id == ssh.remote_id == Identity(type="fqdn", value="moon.strongswan.org")
    assert [(s.src, s.dst, s.protocol, s.dst_ports) for s in icmp.selectors] == [
        ("192.168.0.100/32", "10.1.0.0/16", 1, None)]  # dynamic = the tunnel's own address
    assert [(s.src, s.dst, s.protocol, s.dst_ports) for s in ssh.selectors] == [
        ("192.168.0.100/32", "10.1.0.0/16", 6, (22, 22))]
    assert icmp.pfs == ssh.pfs == 31


def test_shunt_children_give_notes_not_tunnels():
    dev = _one(_text("manual-prio-moon.swanctl.conf"))
    assert [t.name for t in dev.tunnels] == ["rw/net"]
    shunts = [n for n in dev.notes if "shunt" in n.text]
    assert [n.line for n in shunts] == [32, 41, 49, 57]
    rw = dev.tunnels[0]
    assert rw.peer_any and rw.kind == "template" and rw.peer_addresses == ()
    assert rw.remote_id == Identity(type="any") and "remote_id" in rw.defaults


def test_ikev1_connections_and_lifetimes():
    dev = _one(_text("rw-psk-fqdn-carol.swanctl.conf"))
    (t,) = dev.tunnels
    assert t.ike_proposals[0].lifetime == 1200  # rekey_time = 20m
    assert t.child_proposals[0].lifetime == 600  # child rekey_time = 10m
    assert t.lines["initiates"].text == "start_action = none" and not t.initiates
    v1 = _one(_text("rw-psk-ikev1-moon.swanctl.conf"))
    assert [t.ike_versions for t in v1.tunnels] == [(1,), (1,)]
    assert v1.tunnels[1].ike_proposals[0].encryption == ("aes-cbc-192",)
    assert v1.tunnels[1].child_proposals[0].encryption == ("aes-gcm-192",)
    assert v1.tunnels[0].peer_any  # remote_addrs = 192.168.0.96/28: a range of peers


# ------------------------------------------------------------------------------ defaults

MINIMAL = """\
connections {
   home {
      remote_addrs = 203.0.113.9
      children {
         net {
            remote_ts = 10.9.0.0/16
         }
      }
   }
}
"""


def test_defaults_fill_silent_fields():
    dev = _one(MINIMAL)
    (t,) = dev.tunnels
    assert t.ike_versions == (1, 2) and t.initiate_version == 2  # version = 0
    assert t.exchange_mode == "main" and not t.initiates and not t.dpd
    assert t.local_auth == t.remote_auth == "rsa-sig"  # auth = pubkey
    assert t.local_id == Identity(type="ip") and t.remote_id == Identity(type="any")
    classic, aead = t.ike_proposals
    assert classic.encryption[:3] == ("aes-cbc-128", "aes-cbc-192", "aes-cbc-256")
    assert "md5" not in classic.integrity and 14 in classic.dh and 2 not in classic.dh
    assert aead.integrity == () and "aes-gcm-256" in aead.encryption
    assert classic.lifetime == 14400
    gcm, cbc = t.child_proposals
    assert gcm.encryption == ("aes-gcm-128", "aes-gcm-192", "aes-gcm-256")
    assert "sha2-256" in cbc.integrity and cbc.mode == "tunnel" and cbc.lifetime == 3600
    assert t.pfs is None  # default ESP proposals carry no DH group
    assert t.local_address is None and dev.interfaces == []
    assert [(s.src, s.dst) for s in t.selectors] == [("0.0.0.0/0", "10.9.0.0/16")]
    for field in ("ike_proposals", "child_proposals", "pfs", "local_id", "remote_id",
                  "exchange_mode", "dpd", "initiates", "local_auth", "nat_traversal"):
        assert field in t.defaults, field


def test_defaults_file_has_a_source_for_every_value():
    data = ss.defaults()
    for section in ("connection", "child", "ipsec_conf"):
        for key, entry in data[section].items():
            assert "value" in entry and len(entry["source"]) > 20, (section, key)
    assert data["connection"]["remote_id"]["value"] == "%any"
    assert data["child"]["start_action"]["value"] == "none"
    assert all(p.get("dh") is None for p in data["default_proposals"]["esp"])


# ----------------------------------------------------------------------- proposal strings

PROPOSALS = [
    # (string, encryption, integrity, prf, dh)
    ("aes128-sha256-modp3072", ["aes-cbc-128"], ["sha2-256"], [], [15]),
    ("aes128gcm128-modp3072", ["aes-gcm-128"], [], [], [15]),
    ("aes128gcm16-prfsha256-ecp256", ["aes-gcm-128"], [], ["sha2-256"], [19]),
    ("aes256-sha2_256-x25519", ["aes-cbc-256"], ["sha2-256"], [], [31]),
    ("aes192-sha384-modp3072", ["aes-cbc-192"], ["sha2-384"], [], [15]),
    ("aes256gcm16-aes192gcm16-prfsha384-prfsha256-ecp384-modp3072",
     ["aes-gcm-256", "aes-gcm-192"], [], ["sha2-384", "sha2-256"], [20, 15]),
    ("aes256gcm16-prfsha384-ecp384-aes192gcm16-prfsha256-modp3072",
     ["aes-gcm-256", "aes-gcm-192"], [], ["sha2-384", "sha2-256"], [20, 15]),
    ("3des-sha1-modp1024", ["3des"], ["sha1"], [], [2]),
    ("aes128-aes256-sha1-sha256-modp2048-modp4096-modp1024",
     ["aes-cbc-128", "aes-cbc-256"], ["sha1", "sha2-256"], [], [14, 16, 2]),
    ("aes128-sha2_512-prfsha512-ecp256", ["aes-cbc-128"], ["sha2-512"], ["sha2-512"], [19]),
    ("aes256-sha384-ecp384bp", ["aes-cbc-256"], ["sha2-384"], [], [29]),
    ("aes128ctr-aesxcbc-modp2048s256", ["aes-ctr-128"], ["aes-xcbc"], [], [24]),
    ("aes256gcm12-aes128gcm8-ecp521", ["aes-gcm-256-icv12", "aes-gcm-128-icv8"], [], [], [21]),
    ("aes128-sha256-noesn", ["aes-cbc-128"], ["sha2-256"], [], []),
    ("AES256-SHA256-MODP2048", ["aes-cbc-256"], ["sha2-256"], [], [14]),
    ("chacha20poly1305-prfsha256-curve448", ["chacha20-poly1305"], [], ["sha2-256"], [32]),
]


@pytest.mark.parametrize("text,enc,integ,prf,dh", PROPOSALS)
def test_proposal_strings(text, enc, integ, prf, dh):
    p = parse_one(text)
    assert (p.encryption, p.integrity, p.prf, p.dh, p.unknown) == (enc, integ, prf, dh, [])


def test_proposal_lists_strict_marker_default_and_truncation():
    items, strict = parse_list("aes128-sha256-modp3072, aes256-sha512-modp4096!")
    assert strict and [p.encryption for p in items] == [["aes-cbc-128"], ["aes-cbc-256"]]
    items, strict = parse_list("aes256-sha256-modp2048,default")
    assert not strict and [p.default for p in items] == [False, True]
    assert parse_one("aes256-sha256_96").sha2_96 and not parse_one("aes256-sha256").sha2_96
    assert parse_one("aes256-foo-modp2048").unknown == ["foo"]


def test_several_proposals_each_become_one_model_proposal():
    text = MINIMAL.replace(
        "      remote_addrs", "      proposals = aes256-sha256-modp2048, aes128gcm16-prfsha256-"
        "ecp256\n      version = 1\n      remote_addrs").replace(
        "remote_ts = 10.9.0.0/16", "remote_ts = 10.9.0.0/16\n            esp_proposals = "
        "aes256-sha256-ecp384-modp2048, aes128-sha1, aes256-sha256_96")
    (t,) = _one(text).tunnels
    assert [p.encryption for p in t.ike_proposals] == [("aes-cbc-256",), ("aes-gcm-128",)]
    assert t.ike_proposals[1].prf == ("sha2-256",)
    # IKEv1: one algorithm per kind, the rest stripped
    assert [p.encryption for p in t.child_proposals] == [("aes-cbc-256",), ("aes-cbc-128",),
                                                          ("aes-cbc-256",)]
    assert t.pfs == 20  # first group of the first ESP proposal
    assert t.sha2_truncation == 128
    t96 = _one(text.replace("esp_proposals = aes256-sha256-ecp384-modp2048, ",
                            "esp_proposals = aes256-sha256_96, ")).tunnels[0]
    assert t96.sha2_truncation == 96 and t96.pfs is None


def test_unknown_keyword_drops_the_proposal_with_a_note():
    text = MINIMAL.replace("      remote_addrs",
                           "      proposals = aes256-sha256-bogus9, aes128-sha256-modp2048\n"
                           "      remote_addrs")
    dev = _one(text)
    assert [p.encryption for p in dev.tunnels[0].ike_proposals] == [("aes-cbc-128",)]
    assert any("bogus9" in n.text and n.line == 3 for n in dev.notes)


# ------------------------------------------------------------------------------ secrets

def test_swanctl_secret_in_hex_and_base64_is_the_same_key():
    moon = _one(_text("rw-psk-ikev1-moon.swanctl.conf"))
    carol = _one(_text("rw-psk-ikev1-carol.swanctl.conf"))
    rw1, rw2 = moon.tunnels
    home = carol.tunnels[0]
    assert rw1.psk.kind == home.psk.kind == "plain"
    assert rw1.psk.same_as(home.psk) is True  # 0sFpZAZ... == 0x16964066...
    assert rw2.psk.same_as(home.psk) is False  # moon2's key
    assert rw1.lines["psk"].line == 55 and rw2.lines["psk"].line == 59
    assert home.lines["psk"].text == "secret = <redacted>"


def test_swanctl_peer_id_unknown_secret_is_assumed_with_a_note():
    moon = _one(_text("rw-psk-fqdn-moon.swanctl.conf"))
    carol = _one(_text("rw-psk-fqdn-carol.swanctl.conf"))
    assert moon.tunnels[0].psk.same_as(carol.tunnels[0].psk) is True
    assert any("depends on the identity" in n.text for n in moon.notes)


def _with_secrets(conf: str, secrets: str) -> str:
    return conf.rstrip("\n") + "\n" + secrets  # what the check front end does


def test_ipsec_secrets_best_match_by_ids():
    conf, sec = _text("ikev2-net2net-psk-moon.ipsec.conf"), _text(
        "ikev2-net2net-psk-moon.ipsec.secrets")
    text = _with_secrets(conf, sec)
    dev = _one(text, "ipsec.conf")
    (t,) = dev.tunnels
    first = next(n for n, ln in enumerate(text.splitlines(), 1) if ": PSK 0sv+" in ln)
    assert t.lines["psk"].line == first  # "@moon @sun" beats "@moon %any" and ": PSK"
    key = base64.b64decode("v+NkxY9LLZvwj4qCC2o/gGrWDF2d21jL").hex()
    same = MINIMAL + f"secrets {{\n   ike-1 {{\n      secret = 0x{key}\n   }}\n}}\n"
    other = MINIMAL + "secrets {\n   ike-1 {\n      secret = 0x45a30759df97dc26a15b88ff\n" \
        "   }\n}\n"
    psk_same = _one(same.replace("remote_addrs", "local {\n auth = psk\n }\n remote_addrs"))
    psk_other = _one(other.replace("remote_addrs", "local {\n auth = psk\n }\n remote_addrs"))
    assert t.psk.same_as(psk_same.tunnels[0].psk) is True
    assert t.psk.same_as(psk_other.tunnels[0].psk) is False


def test_ipsec_secret_without_ids_applies_to_all_and_missing_is_missing():
    conf = _text("ikev2-net2net-psk-sun.ipsec.conf")
    (t,) = _one(conf).tunnels
    assert t.psk.kind == "missing" and "psk" in t.defaults
    (t2,) = _one(_with_secrets(conf, ': PSK "shared by all"\n')).tunnels
    assert t2.psk.kind == "plain"
    (t3,) = _one(_with_secrets(conf, '@elsewhere @nobody : PSK "x"\n')).tunnels
    assert t3.psk.kind == "missing"


CANARIES = ["Matrix-Key-42", "This is a strong password", "FpZAZqEN6Ti9sqt4ZP5EWcqx",
            "v+NkxY9LLZvwj4qCC2o", "45a30759df97dc26a15b88ff", "castle", "Andi's home"]


def test_no_secret_anywhere():
    texts = [matrix.baseline("a", 2), _with_secrets(_text("ikev2-net2net-psk-moon.ipsec.conf"),
                                                    _text("ikev2-net2net-psk-moon.ipsec.secrets"))]
    texts += [_text(f) for f in FIXTURES]
    for text in texts:
        dev = _one(text)
        dumped = msgspec.json.encode(dev).decode() + repr(dev)
        for t in dev.tunnels:
            for field in CHANGE_FIELDS:
                dumped += "\n".join(ss.render(Change(side="b", field=field, value=None), dev, t))
        for c in CANARIES:
            assert c not in dumped
    broken = "connections {\n  x {\n    secret = Matrix-Key-42\n  }\n}\n}\n"
    with pytest.raises(ConfigError) as err:
        ss.parse(broken, "bad.conf")
    assert "Matrix-Key-42" not in str(err.value) and "line 6" in str(err.value)


# ------------------------------------------------------------------------------ ipsec.conf

INHERIT = """\
# /etc/ipsec.conf
config setup
	charondebug="ike 2"

conn %default
	keyexchange=ikev1
	ike=aes256-sha256-modp2048!
	esp=aes256-sha256-modp2048!
	authby=secret
	ikelifetime=24h
	dpdaction=restart
	dpddelay=30s

conn base
	left=192.0.2.1
	leftsubnet=10.1.1.0/24,10.1.2.0/24
	esp=aes128-sha1!

conn site-b
	also=base
	right=198.51.100.2
	rightsubnet=10.2.2.0/24
	auto=start

conn site-c
	also=base
	right=203.0.113.7
	rightid=@c.example.net
	esp=aes256gcm16!
	type=transport
	auto=add

conn forgotten
	left=192.0.2.1
	right=192.0.2.77
include /etc/ipsec.d/*.conf
192.0.2.1 198.51.100.2 : PSK "Matrix-Key-42"
: PSK "Other-Key-99"
"""


def test_ipsec_conf_inheritance_also_and_auto():
    dev = _one(INHERIT, "ipsec.conf")
    assert dev.platform == "ipsec.conf"
    assert [t.name for t in dev.tunnels] == ["site-b", "site-c"]  # base/forgotten: auto=ignore
    b, c = dev.tunnels
    assert b.ike_versions == (1,) and b.initiates and not c.initiates
    assert [p.encryption for p in b.ike_proposals] == [("aes-cbc-256",)]  # strict '!'
    assert b.ike_proposals[0].lifetime == 86400
    assert b.child_proposals[0].encryption == ("aes-cbc-128",)  # also=base overrides %default
    assert c.child_proposals[0].encryption == ("aes-gcm-256",)  # own setting overrides base
    assert c.child_proposals[0].mode == "transport"
    assert b.pfs is None and b.dpd is True
    assert [(s.src, s.dst) for s in b.selectors] == [("10.1.1.0/24", "10.2.2.0/24"),
                                                      ("10.1.2.0/24", "10.2.2.0/24")]
    assert b.local_address == "192.0.2.1" and b.peer_addresses == ("198.51.100.2",)
    assert b.remote_id == Identity(type="ip", value="198.51.100.2")  # rightid = right
    assert c.remote_id == Identity(type="fqdn", value="c.example.net")
    assert b.lines["child_proposals"].line == 17 and b.lines["local_address"].line == 15
    assert b.psk.kind == c.psk.kind == "plain"
    # charon ranks secrets by (match of my id + match of the peer's id): the line naming both
    # ends wins for site-b; for site-c it still matches this end's id, which beats ": PSK"
    assert b.lines["psk"].line == c.lines["psk"].line == 37
    assert b.psk.same_as(c.psk) is True
    assert [n.line for n in dev.notes if "auto=ignore" in n.text] == [14, 33]
    assert any(n.line == 36 and "include" in n.text for n in dev.notes)


def test_ipsec_conf_defaults_append_charon_proposals_without_bang():
    dev = _one(_text("ikev1-rw-psk-aggressive-moon.ipsec.conf"))
    (t,) = dev.tunnels
    assert t.exchange_mode == "aggressive" and t.ike_versions == (1,)
    assert t.lines["exchange_mode"].text == "aggressive=yes"
    first, *rest = t.ike_proposals
    assert (first.encryption, first.integrity, first.dh) == (("aes-cbc-128",), ("sha2-256",),
                                                             (15,))  # aes128-sha256-modp3072
    assert rest and all("default" in p.name for p in rest)
    assert t.ike_proposals[0].lifetime == 3600  # ikelifetime=60m from %default
    assert t.child_proposals[0].lifetime == 1200  # keylife=20m
    assert t.peer_any and t.remote_id == Identity(type="any")
    transport = _one(_text("ikev2-host2host-transport-moon.ipsec.conf")).tunnels[0]
    assert transport.child_proposals[0].mode == "transport"
    assert transport.local_auth == "rsa-sig"  # authby default pubkey
    assert transport.peer_hostname == "PH_IP_SUN"


def test_errors_are_clear():
    with pytest.raises(ConfigError, match="never closed"):
        ss.parse("connections {\n  a {\n", "x.conf")
    with pytest.raises(ConfigError, match="empty"):
        ss.parse("  \n", "x.conf")
    with pytest.raises(ConfigError, match="line 2"):
        ss.parse("conn a\n\tleft 1.2.3.4\n", "x.conf")
    with pytest.raises(ConfigError, match="version"):
        ss.parse(MINIMAL.replace("remote_addrs", "version = 3\n remote_addrs"), "x.conf")


def test_swanctl_syntax_variants():
    text = """\
include conf.d/*.conf
connections {
   base {
      proposals = "aes256-sha256-modp2048"   # quoted, commented
      local { auth = psk }
   }
   site : connections.base {
      remote_addrs = 198.51.100.2
      children { net { remote_ts = 10.2.2.0/24 } }
   }
}
pools {
   p { addrs = 10.3.0.0/24 }
}
secrets { ike-x { secret = "has # hash" } }
"""
    dev = _one(text)
    site = _tunnel(dev, "site/net")
    assert site.ike_proposals[0].encryption == ("aes-cbc-256",)  # inherited from base
    assert site.local_auth == "psk" and site.psk.kind == "plain"
    assert any(n.line == 1 and "include" in n.text for n in dev.notes)
    assert any(n.line == 12 and "pools" in n.text for n in dev.notes)
    assert "has # hash" not in repr(dev.notes)


# ------------------------------------------------------------------------------ detect

def test_detect_is_low_for_other_vendors():
    others = glob.glob(os.path.join(os.path.dirname(__file__), "fixtures", "huawei",
                                    "config-*.txt"))
    others += glob.glob(os.path.join(os.path.dirname(__file__), "fixtures", "config",
                                     "cisco_*", "*.txt"))
    assert others
    for f in others:
        with open(f, encoding="utf-8", errors="replace") as fh:
            assert ss.detect(fh.read()) < 20, f
    assert ss.detect(matrix.baseline("a", 1)) >= 90
    assert ss.detect(INHERIT) >= 90 and ss.detect(_text("ikev2-net2net-psk-moon.ipsec.secrets")) < 50


# ------------------------------------------------------------------------------ render

def _base(side="b", version=2, nat=False):
    dev = _one(matrix.baseline(side, version, nat), "b.swanctl.conf")
    return dev, dev.tunnels[0]


RENDER = [
    ("ike.encryption", "aes-cbc-128", "connections.site-a.proposals = aes128-sha256-modp2048"),
    ("ike.integrity", "sha1", "connections.site-a.proposals = aes256-sha1-prfsha256-modp2048"),
    ("ike.prf", "sha1", "connections.site-a.proposals = aes256-sha256-prfsha1-modp2048"),
    ("ike.dh", 19, "connections.site-a.proposals = aes256-sha256-ecp256"),
    ("ike.lifetime", 28800, "connections.site-a.rekey_time = 28800s"),
    ("ike.auth_method", "rsa-sig", "connections.site-a.local.auth = pubkey"),
    ("ike_version", 1, "connections.site-a.version = 1"),
    ("exchange_mode", "aggressive", "connections.site-a.aggressive = yes"),
    ("psk", None, "secrets.ike-site-a.secret = <same key as the peer>"),
    ("local_id", Identity(type="fqdn", value="b.example.net"),
     "connections.site-a.local.id = b.example.net"),
    ("remote_id", Identity(type="ip", value="192.0.2.1"),
     "connections.site-a.remote.id = 192.0.2.1"),
    ("peer_address", "192.0.2.1", "connections.site-a.remote_addrs = 192.0.2.1"),
    ("auth_address", "10.0.0.2", "connections.site-a.remote.id = 10.0.0.2"),
    ("local_address", "198.51.100.2", "connections.site-a.local_addrs = 198.51.100.2"),
    ("nat_traversal", True, "connections.site-a.encap = yes"),
    ("dpd", True, "connections.site-a.dpd_delay = 30s"),
    ("child.protocol", "esp",
     "connections.site-a.children.lan-lan.esp_proposals = aes256-sha256-modp2048"),
    ("child.encryption", "aes-cbc-128",
     "connections.site-a.children.lan-lan.esp_proposals = aes128-sha256-modp2048"),
    ("child.integrity", "sha1",
     "connections.site-a.children.lan-lan.esp_proposals = aes256-sha1-modp2048"),
    ("child.mode", "tunnel", "connections.site-a.children.lan-lan.mode = tunnel"),
    ("child.lifetime", 3600, "connections.site-a.children.lan-lan.rekey_time = 3600s"),
    ("pfs", None, "connections.site-a.children.lan-lan.esp_proposals = aes256-sha256"),
    ("selectors", [Selector(src="10.2.2.0/24", dst="10.1.1.0/24")],
     "connections.site-a.children.lan-lan.remote_ts = 10.1.1.0/24"),
    ("bind", "GigabitEthernet0/0/1", "# strongSwan has no interface binding"),
    ("nat_exempt", Selector(src="10.2.2.0/24", dst="10.1.1.0/24"),
     "iptables -t nat -I POSTROUTING -s 10.2.2.0/24 -d 10.1.1.0/24"),
    ("security_rule", Selector(src="10.1.1.0/24", dst="10.2.2.0/24"),
     "iptables -I FORWARD -s 10.1.1.0/24 -d 10.2.2.0/24 -j ACCEPT"),
    ("route", Route(prefix="0.0.0.0/0", next_hop="198.51.100.254"),
     "ip route add 0.0.0.0/0 via 198.51.100.254"),
    ("sha2_truncation", 96,
     "connections.site-a.children.lan-lan.esp_proposals = aes256-sha256_96-modp2048"),
]


def test_render_covers_every_change_field():
    assert {f for f, _v, _e in RENDER} == set(CHANGE_FIELDS)


@pytest.mark.parametrize("field,value,expected", RENDER)
def test_render_swanctl(field, value, expected):
    dev, t = _base()
    out = ss.render(Change(side="b", field=field, value=value), dev, t)
    assert any(line.startswith(expected) for line in out), out
    assert "Matrix-Key-42" not in "\n".join(out)


def test_render_ipsec_conf_syntax():
    dev = _one(INHERIT, "ipsec.conf")
    t = dev.tunnels[0]
    out = ss.render(Change(side="b", field="ike.dh", value=14), dev, t)
    assert out == ["conn site-b", "    ike=aes256-sha256-modp2048!"]
    out = ss.render(Change(side="b", field="ike_version", value=2), dev, t)
    assert out == ["conn site-b", "    keyexchange=ikev2"]
    out = ss.render(Change(side="b", field="psk", value=None), dev, t)
    assert out == ['192.0.2.1 198.51.100.2 : PSK "<same key as the peer>"   # in ipsec.secrets']
    out = ss.render(Change(side="b", field="dpd", value=False), dev, t)
    assert out == ["conn site-b", "    dpdaction=none", "    dpddelay=0s"]


# ------------------------------------------------------------------------------ matrix

@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize("nat", [False, True])
def test_matrix_baselines_model_the_standard_scenario(version, nat):
    a_dev = _one(matrix.baseline("a", version, nat), "a.swanctl.conf")
    b_dev = _one(matrix.baseline("b", version, nat), "b.swanctl.conf")
    (a,), (b,) = a_dev.tunnels, b_dev.tunnels
    b_wan = "10.0.0.2" if nat else "198.51.100.2"
    assert a_dev.own_addresses() == ["192.0.2.1"] and b_dev.own_addresses() == [b_wan]
    assert a.peer_addresses == ("198.51.100.2",) and b.peer_addresses == ("192.0.2.1",)
    for t, lan, peer_lan in ((a, "10.1.1.0/24", "10.2.2.0/24"), (b, "10.2.2.0/24",
                                                                  "10.1.1.0/24")):
        assert t.ike_versions == (version,) and t.exchange_mode == "main"
        (p,) = t.ike_proposals
        assert (p.encryption, p.integrity, p.dh, p.lifetime) == (("aes-cbc-256",),
                                                                 ("sha2-256",), (14,), 86400)
        assert p.prf == (() if version == 1 else ("sha2-256",))
        (c,) = t.child_proposals
        assert (c.protocol, c.encryption, c.integrity, c.mode, c.lifetime) == (
            "esp", ("aes-cbc-256",), ("sha2-256",), "tunnel", 3600)
        assert t.pfs == 14 and t.dpd and t.nat_traversal and t.initiates
        assert t.local_auth == t.remote_auth == "psk"
        assert [(s.src, s.dst) for s in t.selectors] == [(lan, peer_lan)]
    assert a.psk.same_as(b.psk) is True
    # identities agree: what each sends is what the other expects (b sends its own address)
    assert a.remote_id == Identity(type="ip", value=b_wan) == b.local_id
    assert b.remote_id == a.local_id == Identity(type="ip", value="192.0.2.1")


FLIP_EFFECT = {
    "ike.encryption": lambda t: t.ike_proposals[0].encryption == ("aes-cbc-128",),
    "ike.integrity": lambda t: t.ike_proposals[0].integrity == ("sha1",),
    "ike.prf": lambda t: t.ike_proposals[0].prf == ("sha1",),
    "ike.dh": lambda t: t.ike_proposals[0].dh == (19,),
    "ike.auth_method": lambda t: t.local_auth == "rsa-sig" and t.psk is None,
    "ike.lifetime": lambda t: t.ike_proposals[0].lifetime == 28800,
    "exchange_mode": lambda t: t.exchange_mode == "aggressive",
    "local_id": lambda t: t.local_id == Identity(type="fqdn", value="b.example.net"),
    "remote_id": lambda t: t.remote_id == Identity(type="fqdn", value="a.example.net"),
    "peer_address": lambda t: t.peer_addresses == ("192.0.2.99",),
    "local_address": lambda t: t.local_address == "198.51.100.3",
    "dpd": lambda t: t.dpd is False,
    "child.protocol": lambda t: [c.protocol for c in t.child_proposals] == ["ah"],
    "child.encryption": lambda t: t.child_proposals[0].encryption == ("aes-cbc-128",),
    "child.integrity": lambda t: t.child_proposals[0].integrity == ("sha1",),
    "child.mode": lambda t: t.child_proposals[0].mode == "transport",
    "child.lifetime": lambda t: t.child_proposals[0].lifetime == 28800,
    "pfs": lambda t: t.pfs is None,
    "selectors": lambda t: [(s.src, s.dst) for s in t.selectors] == [("10.2.2.0/24",
                                                                       "10.1.9.0/24")],
    "selectors.narrow": lambda t: [(s.src, s.dst) for s in t.selectors] == [("10.2.2.0/25",
                                                                             "10.1.1.0/24")],
    "responder_only": lambda t: t.initiates is False,
}


@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize("key", sorted(matrix.FLIPS))
def test_matrix_flips_change_their_attribute(key, version):
    nat = False
    base = _one(matrix.baseline("b", version, nat)).tunnels[0]
    flipped_text = matrix.FLIPS[key](matrix.baseline("b", version, nat), version, nat)
    (t,) = _one(flipped_text).tunnels
    if key == "ike_version":
        assert t.ike_versions == (3 - version,)
    elif key != "psk":
        assert FLIP_EFFECT[key](t) and not FLIP_EFFECT[key](base)
    if key == "psk":
        assert t.psk.same_as(base.psk) is False
    assert set(matrix.FLIPS) <= set(FLIP_EFFECT) | {"ike_version", "psk"}


def test_matrix_omits_what_strongswan_cannot_express():
    for key in ("route", "nat_exempt", "security_rule.ike", "security_rule.traffic", "bind",
                "sha2_truncation", "nat_traversal"):
        assert key not in matrix.FLIPS


# ------------------------------------------------------------------------------ lab files

LAB_FILES = sorted(glob.glob(os.path.join(LAB, "*", "*.swanctl.conf")))


@pytest.mark.parametrize("path", LAB_FILES)
def test_lab_swanctl_files_parse(path):
    with open(path, encoding="utf-8") as f:
        dev = _one(f.read(), path)
    assert dev.tunnels


LAB_PAIRS = sorted(d for d in glob.glob(os.path.join(LAB, "*"))
                   if os.path.isfile(os.path.join(d, "a.swanctl.conf"))
                   and os.path.isfile(os.path.join(d, "b.swanctl.conf")))


@pytest.mark.parametrize("folder", LAB_PAIRS, ids=os.path.basename)
def test_lab_pairs_keys_agree_unless_the_scenario_changes_them(folder):
    """The lab recorded which setting differs (scenario.yaml ``settings``); the keys the reader
    digests must be equal exactly when the scenario leaves the PSK alone."""
    import yaml

    with open(os.path.join(folder, "scenario.yaml"), encoding="utf-8") as f:
        scenario = yaml.safe_load(f)
    changed = {k for side in (scenario.get("settings") or {}).values() for k in side}
    (a,) = _one(open(os.path.join(folder, "a.swanctl.conf")).read()).tunnels
    (b,) = _one(open(os.path.join(folder, "b.swanctl.conf")).read()).tunnels
    if "auth" in changed:
        assert b.local_auth == "rsa-sig" and b.psk is None
        return
    assert a.psk.same_as(b.psk) is ("psk" not in changed)
    assert a.remote_id.value in (b.local_address, b.local_id.value, "a.example.net") or \
        a.remote_id.type == "any"


# ------------------------------------------------------------------------------ Libreswan

def _libreswan(conf_edit=lambda t: t):
    conf = conf_edit(_text("libreswan-natt-off-b.ipsec.conf"))
    return _one(_with_secrets(conf, _text("libreswan-natt-off-b.ipsec.secrets")), "b.ipsec.conf")


def test_libreswan_dialect_of_ipsec_conf():
    dev = _libreswan()
    assert dev.platform == "libreswan" and dev.name == "b"
    (t,) = dev.tunnels
    assert t.ike_versions == (2,) and t.lines["ike_versions"].text == "ikev2=insist"
    assert t.nat_traversal is False and t.lines["nat_traversal"].text == "encapsulation=no"
    (p,) = t.ike_proposals  # pluto proposes exactly the list: nothing appended
    assert (p.encryption, p.integrity, p.dh, p.lifetime) == (("aes-cbc-256",), ("sha2-256",),
                                                             (14,), 28800)
    (c,) = t.child_proposals
    assert (c.encryption, c.integrity, c.lifetime) == (("aes-cbc-256",), ("sha2-256",), 28800)
    assert t.pfs == 14 and t.psk.kind == "plain" and t.lines["psk"].line == 25
    assert not t.initiates  # auto=add
    strongswan_a = _one(_text("rw-psk-fqdn-carol.swanctl.conf"))  # any swanctl side
    assert strongswan_a.platform == "swanctl"


def test_libreswan_versions_pfs_and_natt_defaults():
    (t,) = _libreswan(lambda c: c.replace("ikev2=insist", "ikev2=no")
                      .replace("esp=aes256-sha2_256;modp2048", "esp=aes_gcm256-null")
                      .replace("    encapsulation=no\n", "")).tunnels
    assert t.ike_versions == (1,) and t.nat_traversal is True
    assert t.child_proposals[0].encryption == ("aes-gcm-256",)
    assert t.child_proposals[0].integrity == ()
    assert t.pfs == 14  # pfs=yes without a group in esp=: the IKE SA's group
    (t2,) = _libreswan(lambda c: c.replace("pfs=yes", "pfs=no")).tunnels
    assert t2.pfs is None
    (t3,) = _libreswan(lambda c: c.replace("    ike=aes256-sha2_256;modp2048\n", "")).tunnels
    assert t3.ike_proposals[0].encryption == ("aes-gcm-256", "aes-gcm-128")  # pluto default
    assert "default" in t3.ike_proposals[0].name


def test_libreswan_render_uses_pluto_keys():
    dev = _libreswan()
    t = dev.tunnels[0]

    def r(field, value):
        return ss.render(Change(side="b", field=field, value=value), dev, t)

    assert r("ike.dh", 19) == ["conn net", "    ike=aes256-sha2_256;ecp256"]
    assert r("nat_traversal", True) == ["conn net", "    encapsulation=auto"]
    assert r("ike_version", 1) == ["conn net", "    ikev2=no"]
    assert r("pfs", None) == ["conn net", "    pfs=no", "    esp=aes256-sha2_256"]
    assert r("child.lifetime", 3600) == ["conn net", "    salifetime=3600s"]
    assert "lab-psk-1" not in "\n".join(r("psk", None))


# ------------------------------------------------------------------------------ robustness

def test_damaged_input_parses_or_raises_config_error_only():
    import random

    rnd = random.Random(7)
    sources = [_text(f) for f in FIXTURES] + [INHERIT, matrix.baseline("a", 1, True)]
    junk = ["}", "{", "=", "conn", "children {", "  = x", "a b c {", "#", '"', "include",
            ": PSK", "esp_proposals = ", "local_ts = 10.0.0.0/33[tcp/xyz]", "rekey_time = 5q",
            "remote_addrs = 10.0.0.1-10.0.0.0", "version = x", "left=::1", "\x00\xff"]
    for text in sources:
        lines = text.splitlines()
        for _ in range(60):
            mutated = list(lines)
            op = rnd.randrange(3)
            if op == 0 and mutated:
                mutated = mutated[: rnd.randrange(len(mutated))]
            elif op == 1:
                mutated.insert(rnd.randrange(len(mutated) + 1), rnd.choice(junk))
            elif mutated:
                del mutated[rnd.randrange(len(mutated))]
            candidate = "\n".join(mutated)
            try:
                ss.parse(candidate, "fuzz.conf")
            except ConfigError as exc:
                assert "Matrix-Key-42" not in str(exc)


LAB_IPSEC = sorted(glob.glob(os.path.join(LAB, "*", "*.ipsec.conf")))


@pytest.mark.parametrize("path", LAB_IPSEC)
def test_lab_libreswan_files_parse_and_agree_with_their_peer(path):
    """Libreswan b against strongSwan a: the keys agree unless the scenario changes them."""
    import yaml

    folder = os.path.dirname(path)
    text = open(path, encoding="utf-8").read()
    sec = path[: -len(".conf")] + ".secrets"
    if os.path.isfile(sec):
        text = _with_secrets(text, open(sec, encoding="utf-8").read())
    dev = _one(text, path)
    assert dev.platform == "libreswan"
    (b,) = dev.tunnels
    a_path = os.path.join(folder, "a.swanctl.conf")
    if not os.path.isfile(a_path) or not os.path.isfile(sec):
        return
    (a,) = _one(open(a_path, encoding="utf-8").read()).tunnels
    with open(os.path.join(folder, "scenario.yaml"), encoding="utf-8") as f:
        changed = {k for side in (yaml.safe_load(f).get("settings") or {}).values()
                   for k in side}
    assert a.psk.same_as(b.psk) is ("psk" not in changed)
    assert b.nat_traversal is ("natt" not in changed)


def test_aggressive_psk_switch_from_strongswan_conf_is_a_flag():
    plain = _one(matrix.FLIPS["exchange_mode"](matrix.baseline("b", 1), 1, False))
    assert "aggressive-psk-allowed" not in plain.flags  # charon's default: refused
    pasted = matrix.baseline("b", 1) + (
        "\ncharon {\n    i_dont_care_about_security_and_use_aggressive_mode_psk = yes\n}\n")
    dev = _one(pasted)
    flag = dev.flags["aggressive-psk-allowed"]
    assert flag.text.startswith("i_dont_care_about_security") and flag.line == 41
    assert any("charon" in n.text for n in dev.notes)  # the section itself is not modelled


def test_render_child_protocol_switch_names_the_setting_to_remove():
    dev, t = _base()
    out = ss.render(Change(side="b", field="child.protocol", value="ah"), dev, t)
    assert out == ["connections.site-a.children.lan-lan.ah_proposals = sha256-modp2048",
                   "# and remove esp_proposals"]
    ipsec = _one(INHERIT, "ipsec.conf")
    out = ss.render(Change(side="b", field="ike.auth_method", value="rsa-sig"), ipsec,
                    ipsec.tunnels[0])
    assert out == ["conn site-b", "    leftauth=pubkey", "    rightauth=pubkey",
                   "    # and leftcert=<this end's certificate>"]


def test_manual_initiation_is_recorded_apart_from_automatic_start():
    (t,) = _one(_text("net2net-cert-moon.swanctl.conf")).tunnels
    assert not t.initiates and t.manual_initiation  # swanctl --initiate can start it
    (rw,) = _one(_text("rw-psk-fqdn-moon.swanctl.conf")).tunnels
    assert not rw.initiates and not rw.manual_initiation  # no peer address: responder only
    (b,) = _one(matrix.baseline("b", 2)).tunnels
    assert b.initiates and not b.manual_initiation  # start_action = trap
    site_b, site_c = _one(INHERIT).tunnels
    assert site_b.initiates and not site_b.manual_initiation  # auto=start
    assert not site_c.initiates and site_c.manual_initiation  # auto=add


def test_certificate_without_id_sends_the_subject_dn():
    text = _text("net2net-cert-moon.swanctl.conf").replace(
        "         id = moon.strongswan.org\n", "")
    dev = _one(text)
    assert dev.tunnels[0].local_id == Identity(type="dn")
    assert any("subject DN" in n.text and n.line == 7 for n in dev.notes)
    ipsec = _one(_text("ikev2-host2host-transport-moon.ipsec.conf").replace(
        "\tleftid=@moon.strongswan.org\n", ""))
    assert ipsec.tunnels[0].local_id == Identity(type="dn")


def test_strongswan_4_pluto_keys_do_not_make_it_libreswan():
    text = ("config setup\n\tplutodebug=none\n\tnat_traversal=yes\n\tplutostart=no\n\n"
            "conn x\n\tleft=192.0.2.1\n\tright=198.51.100.2\n\tfragmentation=yes\n\tauto=add\n")
    assert _one(text).platform == "ipsec.conf"
    assert _one(text.replace("fragmentation=yes", "ikev2=insist")).platform == "libreswan"


def test_trap_without_a_remote_address_cannot_initiate():
    text = _text("rw-psk-fqdn-moon.swanctl.conf").replace(
        "            local_ts  = 10.1.0.0/16 \n",
        "            local_ts  = 10.1.0.0/16 \n            start_action = trap\n")
    dev = _one(text)
    assert not dev.tunnels[0].initiates
    assert any("cannot initiate" in n.text and n.line == 16 for n in dev.notes)


LAB_CHARON = sorted(glob.glob(os.path.join(LAB, "*", "*.strongswan.conf")))


@pytest.mark.parametrize("path", LAB_CHARON)
def test_lab_strongswan_conf_alone_is_not_a_configuration_but_sets_the_flag(path):
    text = open(path, encoding="utf-8").read()
    assert ss.detect(text) < 20
    swanctl = path.replace(".strongswan.conf", ".swanctl.conf")
    if not os.path.isfile(swanctl):
        return
    dev = _one(open(swanctl, encoding="utf-8").read() + "\n" + text)
    allowed = any(ln.strip().startswith("i_dont_care_about_security_and_use_aggressive_mode_psk")
                  and ln.split("=", 1)[1].strip() == "yes" for ln in text.splitlines())
    assert ("aggressive-psk-allowed" in dev.flags) is allowed
