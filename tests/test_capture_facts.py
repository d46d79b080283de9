"""From captures to facts and diagnoses (``capture.facts``), on exchanges built byte by byte for
cases the lab captures do not show (IKEv1 main mode stuck at MM5, INVALID_KE without retry,
one-way ESP, NAT without encapsulation, clear-text notifies), and the command line end to end."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capture_kit import (
    IKE_AES256_SHA256_14,
    MM_AES256_SHA256_PSK_14,
    esp,
    ike,
    ike_sk,
    ike_udp,
    pcap,
    pcapng,
    v1_encrypted,
    v1_notify,
    v1_sa,
    v1_vid,
    v2_ke,
    v2_nat_d,
    v2_nonce,
    v2_notify,
    v2_sa,
)
from ipsec_doctor.capture.facts import capture_facts
from ipsec_doctor.diagnose.engine import diagnose
from ipsec_doctor.errors import InputError
from ipsec_doctor.model import Signal, Unparsed

A, B = "192.0.2.1", "198.51.100.2"
ISPI = bytes.fromhex("a1a2a3a4a5a6a7a8")
ISPI2 = bytes.fromhex("c1c2c3c4c5c6c7c8")
R = bytes.fromhex("b1b2b3b4b5b6b7b8")
Z = bytes(8)
NAT_T = "4a131c81070358455c5728f20e95452f"


def run(frames: list[bytes]):
    facts = list(capture_facts([pcap(frames)], "cap.pcap"))
    signals = [f for f in facts if isinstance(f, Signal)]
    return facts, signals, diagnose(facts)


def faults(report):
    return [f for f in report.findings if not f.normal]


def sa_init(ispi=ISPI, group=14, proposal=IKE_AES256_SHA256_14, nat_from=None):
    return ike(ispi, Z, 2, 34, 0x08, 0, [
        v2_sa(proposal), v2_ke(group), v2_nonce(),
        *v2_nat_d(ispi, Z, A, 500, B, 500, fake_src=nat_from),
    ])


def sa_init_ok(ispi=ISPI, group=14):
    return ike(ispi, R, 2, 34, 0x20, 0, [
        v2_sa(IKE_AES256_SHA256_14), v2_ke(group), v2_nonce(), *v2_nat_d(ispi, R, B, 500, A, 500),
    ])


def test_no_proposal_chosen_in_ike_sa_init_cites_frames_and_the_offer() -> None:
    _, sigs, report = run([
        ike_udp(A, B, sa_init(proposal=[(1, 12, 128), (2, 5), (3, 12), (4, 14)])),
        ike_udp(B, A, ike(ISPI, Z, 2, 34, 0x20, 0, [v2_notify(14)])),
    ])
    (s,) = sigs
    assert s.reason == "capture: notify NO_PROPOSAL_CHOSEN in IKE_SA_INIT"
    assert (s.device, s.peer, s.version) == (None, B, "v2")
    assert s.ev.line == 2 and s.ev.source == "cap.pcap"
    assert s.ev.text == ("#2 198.51.100.2:500 > 192.0.2.1:500 IKEv2 IKE_SA_INIT resp mid 0 "
                         "N(NO_PROPOSAL_CHOSEN)")
    assert s.extra[0].line == 1
    assert s.detail == "offered: AES_CBC_128/PRF_SHA2_256/SHA2_256_128/MODP_2048"
    top = faults(report)[0]
    assert top.cause == "ike-proposal-mismatch" and top.stage == "ike-sa"
    assert "offered: AES_CBC_128/PRF_SHA2_256/SHA2_256_128/MODP_2048" in top.details


def test_ike_sa_and_esp_flow_records() -> None:
    from ipsec_doctor.capture.facts import CaptureEspFlow, CaptureIkeSa

    frames = _v2_up() + [esp(A, B, 0xAB, n, udp_encap=True) for n in range(1, 3)]
    facts, _, _ = run(frames)
    (sa,) = [f for f in facts if isinstance(f, CaptureIkeSa)]
    assert (sa.initiator, sa.responder, sa.version, sa.reached) == (A, B, 2, "IKE_AUTH resp")
    assert sa.offered == sa.chosen == "AES_CBC_256/PRF_SHA2_256/SHA2_256_128/MODP_2048"
    assert sa.floated_at == 3 and sa.messages == 4 and not sa.nat
    assert sa.ev.line == 1 and sa.line_of("reached").line == 4
    (flow,) = [f for f in facts if isinstance(f, CaptureEspFlow)]
    assert (flow.src, flow.spi, flow.encap, flow.packets, flow.first, flow.last) == (
        A, "0x000000ab", "udp-esp", 2, 5, 6)


def _ttl(frame: bytes, ttl: int) -> bytes:
    out = bytearray(frame)
    out[14 + 8] = ttl  # IPv4 TTL behind a 14-byte Ethernet header (checksums are not checked)
    return bytes(out)


def test_the_peer_is_the_far_end_as_the_capture_host_sees_it() -> None:
    refusal = ike_udp(B, A, ike(ISPI, Z, 2, 34, 0x20, 0, [v2_notify(14)]))
    # captured on B (its own packets carry TTL 64, A's arrive routed): B's peer is A, although
    # A initiated
    _, sigs, _ = run([_ttl(ike_udp(A, B, sa_init()), 62), _ttl(refusal, 64)])
    (s,) = sigs
    assert (s.device, s.peer) == (None, A)
    # a hub capturing two spokes: the hub is local for both, whatever the TTLs say
    hub, s1, s2 = "203.0.113.1", "198.51.100.7", "198.51.100.8"
    frames = []
    for spoke, spi in ((s1, ISPI), (s2, ISPI2)):
        frames.append(_ttl(ike_udp(spoke, hub, ike(spi, Z, 2, 34, 0x08, 0, [v2_ke(14)])), 60))
        frames.append(_ttl(ike_udp(hub, spoke, ike(spi, Z, 2, 34, 0x20, 0, [v2_notify(14)])), 60))
    _, sigs, _ = run(frames)
    assert sorted(s.peer for s in sigs) == [s1, s2]


def test_invalid_ke_without_retry_is_a_dh_group_mismatch() -> None:
    _, sigs, report = run([
        ike_udp(A, B, sa_init()),
        ike_udp(B, A, ike(ISPI, Z, 2, 34, 0x20, 0, [v2_notify(17, (19).to_bytes(2, "big"))])),
    ])
    (s,) = sigs
    assert s.reason == "capture: notify INVALID_KE_PAYLOAD in IKE_SA_INIT"
    assert s.detail.startswith("responder wants group 19 (ECP_256), initiator sent KE group 14")
    assert faults(report)[0].cause == "ike-dh-group-mismatch"


def test_invalid_ke_followed_by_a_successful_retry_is_normal() -> None:
    _, sigs, report = run([
        ike_udp(A, B, sa_init()),
        ike_udp(B, A, ike(ISPI, Z, 2, 34, 0x20, 0, [v2_notify(17, (19).to_bytes(2, "big"))])),
        ike_udp(A, B, sa_init(group=19)),
        ike_udp(B, A, sa_init_ok(group=19)),
    ])
    assert not [s for s in sigs if "INVALID_KE" in s.reason]
    assert not faults(report)


def test_invalid_ke_followed_by_a_retry_with_a_new_spi_is_normal_too() -> None:
    _, sigs, report = run([
        ike_udp(A, B, sa_init()),
        ike_udp(B, A, ike(ISPI, Z, 2, 34, 0x20, 0, [v2_notify(17, (19).to_bytes(2, "big"))])),
        ike_udp(A, B, sa_init(ispi=ISPI2, group=19)),
        ike_udp(B, A, sa_init_ok(ispi=ISPI2, group=19)),
    ])
    assert not sigs
    assert not faults(report)


def test_requests_never_answered() -> None:
    _, sigs, report = run([ike_udp(A, B, sa_init())] * 4)
    (s,) = sigs
    assert s.reason == "capture: ike requests never answered"
    assert s.detail == f"4 requests from {A} (3 retransmissions), no IKE from {B}"
    assert [x.line for x in s.extra] == [2, 3, 4]
    assert "[retransmission]" in s.extra[0].text
    assert {f.cause for f in faults(report)[:2]} == {"peer-unreachable", "ike-ports-blocked"}


def test_requests_captured_after_routers_arrive_and_are_ignored() -> None:
    req = bytearray(ike_udp(A, B, sa_init()))
    req[14 + 8] = 61  # TTL: three routers after a Linux sender (checksum is not checked)
    _, sigs, report = run([bytes(req)] * 3)
    (s,) = sigs
    assert s.reason == "capture: ike requests arrive, never answered"
    assert s.detail.endswith("; TTL 61: captured after routers, not at the sender")
    assert faults(report)[0].cause == "return-route-missing"


def test_a_single_request_at_the_end_of_a_capture_proves_nothing() -> None:
    _, sigs, _ = run([ike_udp(A, B, sa_init())])
    assert not sigs


def test_both_ends_initiating_with_different_versions() -> None:
    v1 = ike(ISPI2, Z, 1, 2, 0, 0, [v1_sa(MM_AES256_SHA256_PSK_14)])
    _, sigs, report = run([ike_udp(A, B, sa_init()), ike_udp(B, A, v1), ike_udp(A, B, sa_init()),
                           ike_udp(B, A, v1)])
    assert [s.reason for s in sigs] == ["capture: ike versions differ"]
    assert faults(report)[0].cause == "ike-version-mismatch"


def test_ikev2_request_answered_in_ikev1() -> None:
    _, sigs, report = run([
        ike_udp(A, B, sa_init()),
        ike_udp(B, A, ike(ISPI, Z, 1, 5, 0, 0, [v1_notify(5)])),
    ])
    (s,) = sigs
    assert s.reason == "capture: answered with another ike version"
    assert s.detail == "IKEv2 answered with IKEv1 INVALID-MAJOR-VERSION"
    assert faults(report)[0].cause == "ike-version-mismatch"


def _main_mode(stop_after: int, mm5_times: int = 3) -> list[bytes]:
    vid = v1_vid(NAT_T)
    out = [
        ike_udp(A, B, ike(ISPI, Z, 1, 2, 0, 0, [v1_sa(MM_AES256_SHA256_PSK_14), vid])),
        ike_udp(B, A, ike(ISPI, R, 1, 2, 0, 0, [v1_sa(MM_AES256_SHA256_PSK_14), vid])),
        ike_udp(A, B, ike(ISPI, R, 1, 2, 0, 0, [(4, b"k" * 256), (10, b"n" * 32)])),
        ike_udp(B, A, ike(ISPI, R, 1, 2, 0, 0, [(4, b"K" * 256), (10, b"N" * 32)])),
    ][:stop_after]
    if stop_after >= 5:
        out += [ike_udp(A, B, v1_encrypted(ISPI, R, 2, 0, 80), 4500, 4500)] * mm5_times
    return out


def test_main_mode_silent_after_mm5_is_the_classic_psk_mismatch() -> None:
    _, sigs, report = run(_main_mode(5))
    (s,) = sigs
    assert s.reason == "capture: main mode stops after mm5"
    assert s.ev.line == 5 and "MM5" in s.ev.text and "encrypted" in s.ev.text
    assert s.detail == "3 transmissions of MM5"
    top = faults(report)[0]
    assert top.cause == "psk-mismatch" and top.stage == "ike-sa"


def test_main_mode_that_completes_raises_nothing() -> None:
    frames = [*_main_mode(5, 1), ike_udp(B, A, v1_encrypted(ISPI, R, 2, 0, 64), 4500, 4500)]
    frames += [esp(A, B, 0x10, n, udp_encap=True) for n in range(3)]
    frames += [esp(B, A, 0x20, n, udp_encap=True) for n in range(3)]
    _, sigs, report = run(frames)
    assert [s.reason for s in sigs] == ["capture: tunnel established"]
    assert not faults(report)
    assert "offered: AES_CBC_256/SHA2_256/PSK/MODP_2048/28800s" in sigs[0].detail


def test_ikev1_clear_notifies_payload_malformed_and_no_proposal() -> None:
    frames = [*_main_mode(5, 1), ike_udp(B, A, ike(ISPI, R, 1, 5, 0, 0, [v1_notify(16)]), 4500, 4500)]
    _, sigs, report = run(frames)
    assert [s.reason for s in sigs] == ["capture: notify PAYLOAD-MALFORMED in main mode"]
    assert faults(report)[0].cause == "psk-mismatch"
    _, sigs, report = run([
        ike_udp(A, B, ike(ISPI, Z, 1, 2, 0, 0, [v1_sa(MM_AES256_SHA256_PSK_14)])),
        ike_udp(B, A, ike(ISPI, Z, 1, 5, 0, 0, [v1_notify(14)])),
    ])
    (s,) = sigs
    assert s.reason == "capture: notify NO-PROPOSAL-CHOSEN in main mode"
    assert s.detail == "offered: AES_CBC_256/SHA2_256/PSK/MODP_2048/28800s"
    assert faults(report)[0].cause == "ike-proposal-mismatch"


def test_quick_mode_never_answered() -> None:
    frames = [*_main_mode(5, 1), ike_udp(B, A, v1_encrypted(ISPI, R, 2, 0, 64), 4500, 4500)]
    frames += [ike_udp(A, B, v1_encrypted(ISPI, R, 32, 77, 300), 4500, 4500)] * 3
    _, sigs, report = run(frames)
    assert [s.reason for s in sigs] == ["capture: quick mode never answered"]
    assert faults(report)[0].stage == "ipsec-sa"


def _v2_up(auth_resp_inner: int = 36, auth_resp_size: int = 200) -> list[bytes]:
    return [
        ike_udp(A, B, sa_init()),
        ike_udp(B, A, sa_init_ok()),
        ike_udp(A, B, ike_sk(ISPI, R, 35, 0x08, 1, 35, 240), 4500, 4500),
        ike_udp(B, A, ike_sk(ISPI, R, 35, 0x20, 1, auth_resp_inner, auth_resp_size), 4500, 4500),
    ]


def test_ike_auth_answered_by_a_notify_is_an_authentication_failure_candidate_list() -> None:
    _, sigs, report = run(_v2_up(41, 48))
    assert [s.reason for s in sigs] == ["capture: ike auth refused"]
    causes = [f.cause for f in faults(report)]
    assert causes[0] == "psk-mismatch"
    assert {"identity-mismatch", "auth-method-mismatch"} <= set(causes)
    assert report.next  # the capture cannot tell: collect the logs
    assert any("log" in n.command.lower() for n in report.next)


def test_certificate_requested_and_none_sent_points_at_the_authentication_method() -> None:
    resp = ike(ISPI, R, 2, 34, 0x20, 0, [
        v2_sa(IKE_AES256_SHA256_14), v2_ke(14), v2_nonce(), (38, b"\x04" + bytes(20)),
    ])
    frames = _v2_up(41, 48)
    frames[1] = ike_udp(B, A, resp)
    _, sigs, report = run(frames)
    assert [s.reason for s in sigs] == [
        "capture: ike auth refused", "capture: certificate requested, none sent"]
    assert faults(report)[0].cause == "auth-method-mismatch"
    # a certificate-sized IKE_AUTH request: no such signal
    frames[2] = ike_udp(A, B, ike_sk(ISPI, R, 35, 0x08, 1, 35, 1200), 4500, 4500)
    assert [s.reason for s in run(frames)[1]] == ["capture: ike auth refused"]


@pytest.mark.parametrize(
    ("size", "port", "reason", "cause"),
    [
        (240, 4500, "capture: ike auth never answered after the move to udp 4500",
         "ike-ports-blocked"),
        (1700, 4500, "capture: large ike auth never answered", "mtu-fragmentation"),
        (240, 500, "capture: ike auth never answered", None),
    ],
)
def test_ike_auth_never_answered(size, port, reason, cause) -> None:
    auth = ike_udp(A, B, ike_sk(ISPI, R, 35, 0x08, 1, 35, size), port, port)
    _, sigs, report = run(_v2_up()[:2] + [auth] * 3)
    (s,) = sigs
    assert s.reason == reason
    assert s.detail.startswith(f"3 transmissions of {28 + 4 + size} bytes on UDP {port}")
    if cause:
        assert faults(report)[0].cause == cause


def test_ike_auth_answer_too_short_for_a_child_sa() -> None:
    _, sigs, report = run(_v2_up(36, 96))
    assert [s.reason for s in sigs] == ["capture: ike auth without child sa"]
    assert {f.cause for f in faults(report)[:2]} == {
        "traffic-selector-mismatch", "ipsec-proposal-mismatch"}


def test_one_way_esp_and_established_tunnel() -> None:
    frames = _v2_up() + [esp(A, B, 0xAB, n, udp_encap=True) for n in range(1, 6)]
    _, sigs, report = run(frames)
    (s,) = sigs
    assert s.reason == "capture: esp in one direction only"
    assert (s.device, s.peer) == (None, B)
    assert s.detail.startswith(f"5 ESP packets {A} > {B} (SPI 0x000000ab (5)), none back")
    assert faults(report)[0].cause == "esp-blocked"
    frames += [esp(B, A, 0xCD, n, udp_encap=True) for n in range(1, 6)]
    _, sigs, report = run(frames)
    assert [s.reason for s in sigs] == ["capture: tunnel established"]
    assert not faults(report)


def test_nat_detected_and_esp_not_encapsulated() -> None:
    frames = [
        ike_udp(A, B, sa_init(nat_from="10.0.0.7")),
        ike_udp(B, A, sa_init_ok()),
        ike_udp(A, B, ike_sk(ISPI, R, 35, 0x08, 1, 35, 240)),
        ike_udp(B, A, ike_sk(ISPI, R, 35, 0x20, 1, 36, 200)),
        esp(A, B, 0x1, 1), esp(B, A, 0x2, 1),
    ]
    _, sigs, report = run(frames)
    reasons = [s.reason for s in sigs]
    assert "capture: nat detected" in reasons
    assert "capture: esp not encapsulated across nat" in reasons
    assert faults(report)[0].cause == "nat-traversal-mismatch"
    nat = next(s for s in sigs if s.reason == "capture: nat detected")
    assert nat.ev.line == 1 and nat.detail == f"NAT-D of {A} does not match the addresses on the wire"


def test_unanswered_informational_requests() -> None:
    frames = [*_v2_up(), esp(A, B, 1, 1, udp_encap=True), esp(B, A, 2, 1, udp_encap=True)]
    frames += [ike_udp(A, B, ike_sk(ISPI, R, 37, 0x08, 2, 0, 32), 4500, 4500)] * 4
    _, sigs, report = run(frames)
    assert "capture: informational requests never answered" in [s.reason for s in sigs]
    top = faults(report)[0]
    assert top.cause == "peer-unreachable" and top.stage == "unstable"


def test_ikev1_dpd_unanswered() -> None:
    frames = [*_main_mode(5, 1), ike_udp(B, A, v1_encrypted(ISPI, R, 2, 0, 64), 4500, 4500)]
    frames += [ike_udp(A, B, v1_encrypted(ISPI, R, 5, 100 + n, 92), 4500, 4500) for n in range(3)]
    _, sigs, report = run(frames)
    (s,) = sigs
    assert s.reason == "capture: informational requests never answered" and s.version == "v1"
    assert s.detail == f"3 informational messages (DPD) from {A}, nothing back"
    assert faults(report)[0].cause == "peer-unreachable"
    # answered (R-U-THERE-ACK): nothing
    frames.insert(-1, ike_udp(B, A, v1_encrypted(ISPI, R, 5, 300, 92), 4500, 4500))
    assert not run(frames)[1]


def test_dpd_of_an_sa_set_up_before_the_capture_started() -> None:
    dpd = ike_udp(A, B, ike_sk(ISPI, R, 37, 0x08, 9, 0, 32), 4500, 4500)
    _, sigs, _ = run([dpd] * 3)
    assert [s.reason for s in sigs] == ["capture: informational requests never answered"]
    v1 = ike_udp(A, B, v1_encrypted(ISPI, R, 5, 7, 92), 4500, 4500)
    v1b = ike_udp(A, B, v1_encrypted(ISPI, R, 5, 8, 92), 4500, 4500)
    v1c = ike_udp(A, B, v1_encrypted(ISPI, R, 5, 9, 92), 4500, 4500)
    _, sigs, _ = run([v1, v1b, v1c])
    assert [s.reason for s in sigs] == ["capture: informational requests never answered"]


def test_pcapng_input_and_read_problem_is_reported_as_unparsed() -> None:
    data = pcapng([(0, ike_udp(A, B, sa_init()))] * 3, links=[1])
    facts = list(capture_facts([data[:-7]], "cut.pcapng"))
    assert [f.reason for f in facts if isinstance(f, Signal)] == [
        "capture: ike requests never answered"]
    (u,) = [f for f in facts if isinstance(f, Unparsed)]
    assert "truncated" in u.ev.text


def test_capture_without_ike_or_esp_is_refused() -> None:
    dns = bytes(60)
    with pytest.raises(InputError, match=r"holds no IKE or ESP packet \(2 frames read\)"):
        list(capture_facts([pcap([dns, dns])], "x.pcap"))
    wifi = ike_udp(A, B, sa_init())
    with pytest.raises(InputError, match=r"\(1 frame read; link type 105 not read\)"):
        list(capture_facts([pcap([wifi], link=105)], "x.pcap"))


# -- command line ---------------------------------------------------------------------------


def cli(*args: str) -> subprocess.CompletedProcess:
    res = subprocess.run(
        [sys.executable, "-m", "ipsec_doctor", *args], capture_output=True, timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert b"Traceback" not in res.stderr + res.stdout
    return res


def test_cli_diagnoses_a_capture_file_and_stdin(tmp_path: Path) -> None:
    path = tmp_path / "psk.pcap"
    path.write_bytes(pcap(_main_mode(5)))
    res = cli("diagnose", "--json", str(path))
    assert res.returncode == 0, res.stderr
    report = json.loads(res.stdout)
    assert report["findings"][0]["cause"] == "psk-mismatch"
    assert report["findings"][0]["evidence"][0]["line"] == 5
    assert report["lines_read"] == 7
    res = subprocess.run([sys.executable, "-m", "ipsec_doctor", "diagnose", "--json", "-"],
                         input=path.read_bytes(), capture_output=True, timeout=120)
    assert json.loads(res.stdout)["findings"][0]["cause"] == "psk-mismatch"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (pcap([bytes(60)] * 3), ("holds no IKE or ESP packet", "3 frames")),
        (pcap([])[:12], ("truncated inside its file header",)),
        (b"\x0a\x0d\x0d\x0a" + bytes(4) + b"\x4d\x3c\x2b\x1a", ("pcapng",)),
    ],
)
def test_cli_unusable_captures_are_one_line_errors(tmp_path: Path, content, words) -> None:
    path = tmp_path / "bad.pcap"
    path.write_bytes(content)
    res = cli("diagnose", str(path))
    err = res.stderr.decode()
    assert res.returncode == 2 and err.count("\n") == 1, err
    for w in words:
        assert w in err


def test_cli_capture_with_garbage_after_header_still_reports(tmp_path: Path) -> None:
    path = tmp_path / "junk.pcap"
    junk = random.Random(11).randbytes(3000)
    path.write_bytes(pcap([ike_udp(A, B, sa_init())] * 3) + junk)
    res = cli("diagnose", "--json", str(path))
    assert res.returncode == 0, res.stderr
    report = json.loads(res.stdout)
    assert report["findings"][0]["cause"] in ("peer-unreachable", "ike-ports-blocked")
    assert any("capture read stopped" in u["text"] for u in report["unparsed"])


def test_100k_packet_capture_keeps_bounded_state(tmp_path: Path) -> None:
    """100 000 packets over 30 000 SPIs, ESP stopping one way at the end: the flow table stops
    at its bound (the rest is counted), the one-way run is still found.  Speed and peak memory
    are measured by ``bench/capture_100k.py``, not here."""
    from ipsec_doctor.capture import flows
    from ipsec_doctor.capture.ike import decode
    from ipsec_doctor.capture.read import frames as read_frames

    path = tmp_path / "big.pcap"
    n = 100_000
    with path.open("wb") as fh:
        fh.write(pcap(_v2_up()))
        record = bytearray(pcap([esp(A, B, 1, 1, udp_encap=True)])[24:])
        rev = bytearray(pcap([esp(B, A, 1, 1, udp_encap=True)])[24:])
        spi_at = 16 + 14 + 20 + 8
        for i in range(n - 4):
            rec = rev if (i % 2 and i < n * 9 // 10) else record
            rec[spi_at : spi_at + 4] = (0x1000 + i % 30_000).to_bytes(4, "big")
            fh.write(rec)
    tracker = flows.Tracker()
    with path.open("rb") as fh:
        for f in read_frames(iter(lambda: fh.read(1 << 20), b"")):
            p = decode(f)
            if p is not None:
                tracker.add(p)
    assert tracker.esp_packets == n - 4
    assert len(tracker.flows) == flows.MAX_FLOWS and tracker.dropped_flows > 0
    with path.open("rb") as fh:
        facts = list(capture_facts(iter(lambda: fh.read(1 << 20), b""), "big.pcap"))
    one_way = [f for f in facts if isinstance(f, Signal) and "one direction" in f.reason]
    assert len(one_way) == 1 and one_way[0].peer == B
    assert one_way[0].detail == (
        "9996 ESP packets 192.0.2.1 > 198.51.100.2 from frame 90005 on, none back after frame 90004"
    )
    assert one_way[0].ev.line == 90005


@pytest.mark.parametrize(
    ("code", "reason", "cause"),
    [
        (3, "capture: ike port unreachable at the peer", "peer-unreachable"),
        (13, "capture: ike administratively prohibited", "ike-ports-blocked"),
        (1, "capture: ike peer unreachable by icmp", "peer-unreachable"),
    ],
)
def test_icmp_errors_about_ike_requests_say_why_nothing_answers(code, reason, cause) -> None:
    from capture_kit import ether, ipv4

    req = ike_udp(A, B, sa_init())
    quoted = req[14 : 14 + 28 + 8]  # the IP and UDP headers of the request, as ICMP quotes them
    icmp = ether(ipv4(B, A, 1, bytes([3, code, 0, 0, 0, 0, 0, 0]) + quoted))
    _, sigs, report = run([req, icmp, req])
    (s,) = sigs
    assert s.reason == reason and s.ev.line == 2
    assert "ICMP" in s.ev.text and "for 192.0.2.1:500 > 198.51.100.2:500" in s.ev.text
    assert faults(report)[0].cause == cause


def test_cli_reads_a_gzipped_capture(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "psk.pcapng.gz"
    data = pcapng([(0, f) for f in _main_mode(5)], links=[1])
    path.write_bytes(gzip.compress(data))
    res = cli("diagnose", "--json", str(path))
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["findings"][0]["cause"] == "psk-mismatch"
    # a gzip stream cut short: the frames before the cut
    path.write_bytes(gzip.compress(data)[: len(gzip.compress(data)) - 30])
    res = cli("diagnose", "--json", str(path))
    assert res.returncode == 0, res.stderr


POOL = [
    *_main_mode(5, 2),
    *_v2_up(41, 48),
    ike_udp(B, A, ike(ISPI, Z, 1, 5, 0, 0, [v1_notify(14)])),
    ike_udp(B, A, ike(ISPI, Z, 2, 34, 0x20, 0, [v2_notify(17, b"\x00\x13")])),
    ike_udp(A, B, ike(ISPI2, Z, 1, 4, 0, 0, [v1_sa(MM_AES256_SHA256_PSK_14), (5, b"\x01\x00\x00\x00"
                                                                              + bytes(4))])),
    esp(A, B, 5, 1), esp(B, A, 6, 1, udp_encap=True),
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_mix_of_damaged_packets_never_raises(data) -> None:
    frames = []
    for _ in range(data.draw(st.integers(1, 12))):
        f = bytearray(data.draw(st.sampled_from(POOL)))
        for _ in range(data.draw(st.integers(0, 4))):
            f[data.draw(st.integers(14, len(f) - 1))] = data.draw(st.integers(0, 255))
        if data.draw(st.booleans()):
            f = f[: data.draw(st.integers(14, len(f)))]
        frames.append(bytes(f))
    try:
        facts = list(capture_facts([pcap(frames)], "fuzz.pcap"))
    except InputError:
        return
    diagnose(facts)
