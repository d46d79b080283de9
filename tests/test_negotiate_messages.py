"""Vendor log lines predicted per failure point and role (messages.yaml) and the behaviour
switches (behaviours.yaml): every Huawei/Cisco line is a wording the knowledge base knows, every
placeholder is filled, every switch has a source."""

from __future__ import annotations

from fnmatch import fnmatch
from functools import cache

import pytest

from ipsec_doctor.kb import load_entries
from ipsec_doctor.negotiate import behaviours, check_pair, messages
from negotiate_factory import direction, pair

KB_DIR = {"huawei": "huawei", "cisco-ios": "cisco", "cisco-asa": "cisco"}
VENDORS = ("huawei", "cisco-ios", "cisco-asa", "strongswan")


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


@cache
def _kb_wordings() -> dict[str, tuple[list[str], list[str]]]:
    out: dict[str, tuple[list[str], list[str]]] = {}
    for where, entry in load_entries():
        vendor = where.split("/")[2]
        strings, patterns = out.setdefault(vendor, ([], []))
        strings += [_norm(s) for s in entry.strings]
        patterns += [_norm(p) for p in entry.patterns]
    return out


def _strip_asa_prefix(text: str) -> str:
    for prefix in ("group = {peer}, ip = {peer}, ", "ip = {peer}, "):
        if text.startswith(prefix):
            return text[len(prefix):]
    return text


def _all_lines():
    for event, per_vendor in messages.events().items():
        for vendor, per_role in per_vendor.items():
            for role, lines in per_role.items():
                for line in lines:
                    yield event, vendor, role, line


@pytest.mark.parametrize(("event", "vendor", "role", "line"),
                         [x for x in _all_lines() if x[1] in KB_DIR])
def test_huawei_and_cisco_lines_come_from_the_kb(event, vendor, role, line):
    strings, patterns = _kb_wordings()[KB_DIR[vendor]]
    text = _strip_asa_prefix(_norm(line))
    assert any(s in text for s in strings) or any(fnmatch(text, p) for p in patterns), line


def test_table_shape():
    for event, vendor, role, line in _all_lines():
        assert vendor in VENDORS, event
        assert role in ("initiator", "responder"), event
        assert isinstance(line, str) and line.strip()


def test_placeholders_are_all_known():
    values = dict(peer="192.0.2.1", me="198.51.100.2", my_id="x", peer_id="y", group=19,
                  want=14, ts="10.1.1.0/24 -> 10.2.2.0/24", mode="Main")
    for event, vendor, role, _line in _all_lines():
        version = int(event[-1]) if event[-3:-1] == ".v" else None
        base = event.split(".")[0]
        for got in messages.lines(base, vendor, role, version=version, **values):
            assert "{" not in got, (event, got)


def test_lookup_order_attr_then_version_then_plain():
    ios = messages.lines("ike-proposal", "cisco-ios", "responder", version=1,
                         attr="encryption")
    assert ios[0] == "encryption algorithm offered does not match policy!"
    assert messages.lines("ike-proposal", "huawei", "responder", version=1,
                          attr="encryption") == ["receive phase1 proposal mismatch"]
    assert messages.lines("version", "huawei", "initiator", version=2) == ["version mismatch"]
    assert messages.lines("no-such-event", "huawei", "initiator") == []


def test_strongswan_dh_names():
    got = messages.lines("invalid-ke", "strongswan", "initiator", group=19, want=14)
    assert got == ["peer didn't accept DH group ECP_256, it requested MODP_2048"]
    assert messages.lines("invalid-ke", "huawei", "initiator", group=19, want=14) == [
        "notify INVALID_KE_PAYLOAD"]


@pytest.mark.parametrize(("va", "vb", "expect_a", "expect_b"), [
    ("huawei", "cisco-ios", ["phase2 proposal or pfs mismatch"],
     ["transform proposal not supported", "atts not acceptable"]),
    ("cisco-ios", "cisco-asa", None,
     ["Group = 192.0.2.1, IP = 192.0.2.1, All IPSec SA proposals found unacceptable!"]),
    ("strongswan", "strongswan", ["received NO_PROPOSAL_CHOSEN error notify"],
     ["no matching proposal found, sending NO_PROPOSAL_CHOSEN"]),
])
def test_v1_child_mismatch_messages_per_vendor_and_role(va, vb, expect_a, expect_b):
    a, ta, b, tb = pair(1, va=va, vb=vb)
    tb.child_proposals[0].encryption = ("aes-cbc-128",)
    f = direction(check_pair(a, ta, b, tb), "a").failures[0]
    assert f.messages.get("a") == expect_a
    assert f.messages["b"] == expect_b


def test_ios_phase1_messages_name_the_attribute():
    a, ta, b, tb = pair(1, vb="cisco-ios")
    tb.ike_proposals[0].integrity = ("sha1",)
    f = direction(check_pair(a, ta, b, tb), "a").failures[0]
    assert f.messages["b"] == ["hash algorithm offered does not match policy!",
                               "atts are not acceptable"]


def test_behaviour_switches_are_sourced_and_complete():
    table = behaviours._table()
    keys = set(table["default"])
    for vendor, switches in table.items():
        assert set(switches) <= keys, vendor
        for key, entry in switches.items():
            assert set(entry) == {"value", "confidence", "source"}, (vendor, key)
            assert entry["source"].strip() and 0 < entry["confidence"] <= 1
    for vendor in VENDORS:
        assert set(table[vendor]) == keys, vendor


def test_unknown_vendor_gets_defaults():
    assert behaviours.switch("juniper", "narrows_ts") == behaviours.switch("default",
                                                                           "narrows_ts")
