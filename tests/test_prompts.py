"""Prompt recognition: device names and typed commands from Huawei (and Cisco) prompts."""

from __future__ import annotations

import pytest

from ipsec_doctor.ingest.prompts import command_matches, command_tokens, parse_prompt


@pytest.mark.parametrize(
    ("line", "device", "command"),
    [
        ("<FW1> display ike sa", "FW1", "display ike sa"),
        ("<FW1>display ike error-info", "FW1", "display ike error-info"),
        ("    <FW2> display ike offline-info ", "FW2", "display ike offline-info"),
        ("[FW1]display ike sa", "FW1", "display ike sa"),
        ("[~FW1]", "FW1", ""),
        ("[*USG6000-1]display current-configuration", "USG6000-1", "display current-configuration"),
        ("[FW1-ike-peer-spr] display this", "FW1", "display this"),
        ("[AR2-ike-peer-spua] remote-address authentication-address 10.4.1.1", "AR2",
         "remote-address authentication-address 10.4.1.1"),
        ("[FW1-acl-adv-3100] quit", "FW1", "quit"),
        ("[FW1-GigabitEthernet0/0/1]ipsec policy map1", "FW1", "ipsec policy map1"),
        ("HUAWEI> display ike sa", "HUAWEI", "display ike sa"),
        ("<HUAWEI>", "HUAWEI", ""),
    ],
)
def test_huawei_prompts(line: str, device: str, command: str) -> None:
    p = parse_prompt(line)
    assert p is not None and (p.device, p.command, p.vendor) == (device, command, "huawei")


def test_known_device_with_hyphen_wins_over_view_split() -> None:
    p = parse_prompt("[HQ-FW-ike-peer-b1]", known={"HQ-FW"})
    assert p is not None and p.device == "HQ-FW"


def test_cisco_prompts() -> None:
    p = parse_prompt("R1#show crypto isakmp sa")
    assert p is not None and (p.device, p.command, p.vendor) == ("R1", "show crypto isakmp sa", "cisco")
    p = parse_prompt("asa(config)# show crypto ikev2 sa")
    assert p is not None and p.device == "asa" and p.vendor == "cisco"


@pytest.mark.parametrize(
    "line",
    [
        "<134>Mar  8 2017 11:10:47 FW1 %%01IKE/5/IKE_NEGO_FAIL(l):...",  # syslog PRI
        "[IPSEC-Error] acl mismatch.(Ifindex=[7], SeqNum=[10],PeerAddress=[2.1.1.1], PeerPort=[500])",
        "<--packets: 0 bytes: 0 --> packets: 0 bytes: 0",
        "1.1.1.1:500 --> 2.1.1.1:500 PolicyName: default",
        "rule 5 permit ip source 10.1.1.0 0.0.0.255 destination 10.2.2.0 0.0.0.255",
        "a -> b",
        "",
    ],
)
def test_not_prompts(line: str) -> None:
    assert parse_prompt(line) is None


def test_command_abbreviations() -> None:
    full = ("display", "ike", "error-info")
    assert command_matches(command_tokens("dis ike error"), full)
    assert command_matches(command_tokens("display ike error-info verbose | include peer"), full)
    assert not command_matches(command_tokens("display ike sa"), full)
    assert not command_matches(command_tokens("display ike"), full)
