"""Compare our Cisco parsers with Genie's (pyATS) expected parses of its own golden outputs.

28 fixtures in ``tests/fixtures/cisco/`` are Genie golden outputs (first line names the file in
CiscoTestAutomation/genieparser); Genie ships, beside each, ``golden_output_*_expected.py`` with
the dict its parser returns.  Those dicts are stored verbatim in
``tests/fixtures/cisco/genie_expected/<fixture-stem>.py``.  This script loads each dict
(``ast.literal_eval`` of the ``expected_output = ...`` assignment, never ``exec``), runs
``scan_text`` on the fixture and compares the fields both sides carry.

    .venv/bin/python bench/compare_genie.py [--details]

Records are matched by key (ISAKMP: local/remote address; IKEv2: tunnel id; IPsec SA: interface +
idents + peer; session: interface + peer (+ position); crypto map: name + sequence).  A field is
compared when Genie's schema has it for that record and we have a field for it; values are
normalised (case, ``ACTIVE(ACTIVE)`` -> ``ACTIVE``, ``0x..(dec)`` -> int, ``hh:mm:ss`` -> seconds).
Fields Genie leaves out but we read are counted apart ("ours only").
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from ipsec_doctor.ingest.scan import scan_text  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "cisco"
EXPECTED = FIXTURES / "genie_expected"
# Genie outputs arrive without their prompt: give each the command Genie's parser runs.
PROMPT = {"iosxe": "Router#", "asa": "asa# "}
COMMANDS = {
    "ShowCryptoIsakmpSa": "show crypto isakmp sa",
    "ShowCryptoIsakmpSaDetail": "show crypto isakmp sa detail",
    "ShowCryptoIkev2Sa": "show crypto ikev2 sa",
    "ShowCryptoIkev2SaDetail": "show crypto ikev2 sa detail",
    "ShowCryptoIpsecSa": "show crypto ipsec sa",
    "ShowCryptoIpsecSaDetail": "show crypto ipsec sa detail",
    "ShowCryptoIpsecSaPeer": "show crypto ipsec sa peer 17.0.1.1",
    "ShowCryptoSession": "show crypto session",
    "ShowCryptoSessionDetail": "show crypto session detail",
    "ShowCryptoMap": "show crypto map",
}
_SOURCE = re.compile(r"genieparser src/genie/libs/parser/(\w+)/tests/(\w+)/cli/equal/(\S+)")


def load_expected(path: Path) -> dict:
    """The ``expected_output`` dict of a Genie ``*_expected.py`` file, without executing it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "expected_output" for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise ValueError(f"{path}: no expected_output assignment")


def norm(v: Any) -> Any:
    """One comparable form for both sides."""
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, (list, tuple)):
        return tuple(norm(x) for x in v)
    if isinstance(v, int):
        return v
    s = str(v).strip()
    m = re.fullmatch(r"0x([0-9a-fA-F]+)(?:\(\d+\))?", s)
    if m:
        return int(m.group(1), 16)
    m = re.fullmatch(r"(\d+):(\d\d):(\d\d)", s)
    if m:
        return int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3))
    s = re.sub(r"^(\w+)\(\1\)$", r"\1", s)  # ACTIVE(ACTIVE)
    if re.fullmatch(r"\d+", s):
        return int(s)
    return re.sub(r"\s+", " ", s).lower()


def _yn(v: Any) -> bool | None:
    if v is None:
        return None
    return str(v).strip().lower() in ("y", "yes", "true", "enabled")


def _none(v: Any) -> Any:
    return None if isinstance(v, str) and v.strip().lower() in ("none", "(none)") else v


def _addr_port(v: str | None) -> tuple[str | None, int | None]:
    if v is None:
        return None, None
    m = re.fullmatch(r"(.+)/(\d+)", v)
    return (m.group(1), int(m.group(2))) if m else (v, None)


# -- per parser class: Genie records and ours as {key: {field: value}} --------------------------


def genie_isakmp(exp: dict) -> dict:
    out = {}
    for af, rows in exp.get("isakmp_stats", {}).items():
        for r in rows.values():
            if "destination" in r:  # table
                key = (af, r["destination"], r["source"])
                f = {"dst": r["destination"], "src": r["source"], "state": r.get("session_state"),
                     "conn_id": r.get("conn_id"), "status": r.get("status"),
                     "deleted": r.get("current_status") == "deleted"}
            else:  # detail
                key = (af, r["local_ip"], r["remote_ip"])
                f = {"local": r["local_ip"], "peer": r["remote_ip"], "conn_id": r.get("c_id"),
                     "status": r.get("status"), "encryption": r.get("encr_algo"),
                     "hash": r.get("hash_algo"), "auth": r.get("auth_type"),
                     "dh_group": r.get("dh_group"), "lifetime": r.get("lifetime"),
                     "capabilities": r.get("capabilities"), "ivrf": r.get("ivrf")}
                if "engine_id" in r:
                    f["engine_conn"] = f"{r['engine_id']}:{r['conn_id']}"
            out[key] = {k: v for k, v in f.items() if v is not None or k == "deleted"}
    return out


def ours_isakmp(facts: list, detail: bool) -> dict:
    out = {}
    for x in facts:
        if type(x).__name__ != "IsakmpSa":
            continue
        af = "IPv6" if x.ipv6 else "IPv4"
        if detail:
            key = (af, x.local, x.peer)
            names = ("local", "peer", "conn_id", "status", "encryption", "hash", "auth",
                     "dh_group", "lifetime", "capabilities", "ivrf", "engine_conn")
        else:
            key = (af, x.dst, x.src)
            names = ("dst", "src", "state", "conn_id", "status", "deleted")
        out[key] = {n: getattr(x, n) for n in names}
    return out


def genie_ikev2(exp: dict) -> dict:
    out = {}
    if "sessions" in exp:  # ASA
        for s in exp["sessions"].values():
            for t in s.get("tunnels", {}).values():
                loc, lport = _addr_port(t.get("local"))
                rem, rport = _addr_port(t.get("remote"))
                f = {"tunnel_id": t.get("tunnel_id"), "local": loc, "local_port": lport,
                     "remote": rem, "remote_port": rport, "status": t.get("status"),
                     "role": t.get("role"), "encryption": t.get("encryption_algorithm"),
                     "hash": t.get("hashing_algorithm"), "dh_group": t.get("dh_group"),
                     "auth_sign": t.get("authentication_sign"),
                     "auth_verify": t.get("authentication_verify"),
                     "lifetime": t.get("lifetime"), "active_time": t.get("activetime"),
                     "session_id": s.get("session_id"), "session_status": s.get("status")}
                kids = sorted(t.get("child_sa", {}).values(), key=lambda c: c["esp_in"])
                f["child_spis"] = tuple((int(c["esp_in"], 16), int(c["esp_out"], 16)) for c in kids)
                out[t.get("tunnel_id")] = f
        return out
    if "tunnel_id" in exp:  # IOS-XE detail
        rows = exp["tunnel_id"].items()
    else:  # IOS-XE brief
        rows = [(k, v) for af in ("ipv4", "ipv6") for k, v in exp.get(af, {}).items()]
    for tid, t in rows:
        if "local_ip" in t:
            loc, lport, rem, rport = t["local_ip"], t.get("local_port"), t["remote_ip"], t.get(
                "remote_port")
        else:
            (loc, lport), (rem, rport) = _addr_port(t.get("local")), _addr_port(t.get("remote"))
        f = {"tunnel_id": tid, "local": loc, "local_port": lport, "remote": rem,
             "remote_port": rport}
        for ours, genie in (("status", "status"), ("fvrf", "fvrf"), ("ivrf", "ivrf"),
                            ("encryption", "encryption"), ("keysize", "keysize"), ("prf", "prf"),
                            ("hash", "hash"), ("auth_sign", "auth_sign"),
                            ("auth_verify", "auth_verify"), ("lifetime", "life_time"),
                            ("active_time", "active_time"), ("ce_id", "ce_id"),
                            ("session_id", "session_id"), ("local_spi", "local_spi"),
                            ("remote_spi", "remote_spi"),
                            ("status_description", "status_description"),
                            ("local_id", "local_id"), ("remote_id", "remote_id"),
                            ("dpd_interval", "dpd_configured_time"), ("dpd_retry", "retry"),
                            ("pushed_ip", "pushed_ip"), ("remote_subnets", "remote_subnets")):
            if genie in t:
                f[ours] = t[genie]
        dh = t.get("dh_group", t.get("dh_grp"))
        if dh is not None:
            f["dh_group"] = dh
        if "nat_t" in t:
            f["nat_t"] = not t["nat_t"].startswith("not")
        if "initiator_of_sa" in t:
            f["initiator"] = _yn(t["initiator_of_sa"])
        out[tid] = f
    return out


def ours_ikev2(facts: list) -> dict:
    out = {}
    for x in facts:
        if type(x).__name__ != "Ikev2Sa":
            continue
        f = {n: getattr(x, n) for n in (
            "tunnel_id", "local", "local_port", "remote", "remote_port", "status", "role",
            "encryption", "hash", "dh_group", "auth_sign", "auth_verify", "lifetime",
            "active_time", "session_id", "session_status", "fvrf", "ivrf", "keysize", "prf",
            "ce_id", "local_spi", "remote_spi", "status_description", "local_id", "remote_id",
            "dpd_interval", "dpd_retry", "pushed_ip", "remote_subnets", "nat_t", "initiator")}
        kids = sorted(x.children, key=lambda c: c.spi_in or 0)
        f["child_spis"] = tuple((c.spi_in, c.spi_out) for c in kids)
        out[x.tunnel_id] = f
    return out


def _ident(d: dict | None) -> tuple | None:
    if not d:
        return None
    return (d.get("addr"), d.get("mask"), int(d.get("prot", 0)), int(d.get("port", 0)))


def _sa_map(sas: dict) -> dict:
    out = {}
    for spi, s in sas.get("spi", {}).items():
        out[norm(spi)] = s
    return out


def genie_ipsec(exp: dict) -> dict:
    out = {}
    for ifname, i in exp.get("interface", {}).items():
        for r in i.get("ident", {}).values():
            li, ri = _ident(r.get("local_ident")), _ident(r.get("remote_ident"))
            key = (ifname, li, ri, r.get("peer_ip"))
            f = {"interface": ifname, "crypto_map": i.get("crypto_map_tag"),
                 "local_addr": i.get("local_addr"), "local_ident": li, "remote_ident": ri,
                 "peer": r.get("peer_ip"), "peer_port": r.get("port"),
                 "permit": (r["action"] == "PERMIT") if "action" in r else None,
                 "vrf": _none(r.get("protected_vrf")), "pfs": _yn(r.get("pfs")),
                 "pfs_group": _none(r.get("dh_group")),
                 "local_endpoint": r.get("local_crypto_endpt"),
                 "remote_endpoint": r.get("remote_crypto_endpt"),
                 "plaintext_mtu": r.get("plaintext_mtu"), "path_mtu": r.get("path_mtu"),
                 "ip_mtu": r.get("ip_mtu"), "mtu_interface": r.get("ip_mtu_idb"),
                 "outbound_spi": r.get("current_outbound_spi")}
            for ours, genie in (("encaps", "pkts_encaps"), ("encrypt", "pkts_encrypt"),
                                ("digest", "pkts_digest"), ("decaps", "pkts_decaps"),
                                ("decrypt", "pkts_decrypt"), ("verify", "pkts_verify"),
                                ("send_errors", "send_errors"), ("recv_errors", "recv_errors"),
                                ("no_sa_send", "pkts_no_sa_send"),
                                ("invalid_sa", "pkts_invalid_sa_rcv"),
                                ("replay_failed", "pkts_replay_failed_rcv"),
                                ("verify_failed", "pkts_verify_failed")):
                if genie in r:
                    f[ours] = r[genie]
            for d in ("inbound", "outbound"):
                sas = _sa_map(r.get(f"{d}_esp_sas", {}))
                f[f"{d}_esp_spis"] = tuple(sorted(sas))
                for spi, s in sorted(sas.items()):
                    tag = f"{d} sa {spi:#x}"
                    f[f"{tag} transform"] = s.get("transform")
                    f[f"{tag} status"] = s.get("status")
                    f[f"{tag} conn_id"] = s.get("conn_id")
                    f[f"{tag} crypto_map"] = s.get("crypto_map")
                    if "replay_detection_support" in s:
                        f[f"{tag} replay_detection"] = _yn(s["replay_detection_support"])
                    if "iv_size" in s:
                        f[f"{tag} iv_size"] = int(s["iv_size"].split()[0])
            out[key] = {k: v for k, v in f.items() if v is not None}
    return out


def ours_ipsec(facts: list) -> dict:
    out = {}
    for x in facts:
        if type(x).__name__ != "CryptoIpsecSa":
            continue

        def ident(i: Any) -> tuple | None:
            return None if i is None else (i.address, i.mask, i.protocol or 0, i.port or 0)

        li, ri = ident(x.local_ident), ident(x.remote_ident)
        f = {n: getattr(x, n) for n in (
            "interface", "crypto_map", "local_addr", "peer", "peer_port", "permit", "vrf", "pfs",
            "pfs_group", "local_endpoint", "remote_endpoint", "plaintext_mtu", "path_mtu",
            "ip_mtu", "mtu_interface", "outbound_spi", "encaps", "encrypt", "digest", "decaps",
            "decrypt", "verify", "send_errors", "recv_errors", "no_sa_send", "invalid_sa",
            "replay_failed", "verify_failed")}
        f["local_ident"], f["remote_ident"] = li, ri
        for d in ("inbound", "outbound"):
            esp = [s for s in x.sas if s.direction == d and s.protocol == "ESP"]
            f[f"{d}_esp_spis"] = tuple(sorted(s.spi for s in esp))
            for s in esp:
                tag = f"{d} sa {s.spi:#x}"
                f[f"{tag} transform"] = " ".join(s.transform)
                f[f"{tag} status"] = s.status
                f[f"{tag} conn_id"] = s.conn_id
                f[f"{tag} crypto_map"] = s.crypto_map
                f[f"{tag} replay_detection"] = s.replay_detection
                f[f"{tag} iv_size"] = s.iv_size
        out[(x.interface, li, ri, x.peer)] = f
    return out


def genie_session(exp: dict) -> dict:
    out = {}
    for name, i in exp.get("interface", {}).items():
        ifname = i.get("interface", name)
        for peer, p in i.get("peer", {}).items():
            for port, q in p.get("port", {}).items():
                f = {"interface": ifname, "status": i.get("session_status"), "peer": peer,
                     "port": port, "profile": i.get("profile"), "uptime": i.get("uptime"),
                     "username": i.get("user_name"), "group": i.get("group"),
                     "assigned_address": i.get("assigned_address"), "fvrf": _none(q.get("fvrf")),
                     "ivrf": _none(q.get("ivrf")), "phase1_id": _none(q.get("phase1_id")),
                     "desc": _none(q.get("desc"))}
                ikes = q.get("ike_sa", q.get("ikev1_sa", {}))
                for n, s in enumerate(ikes.values()):
                    for ours, genie in (("local", "local"), ("local_port", "local_port"),
                                        ("remote", "remote"), ("remote_port", "remote_port"),
                                        ("state", "sa_status"), ("session_id", "session_id"),
                                        ("conn_id", "conn_id"), ("capabilities", "capabilities"),
                                        ("lifetime", "lifetime")):
                        if genie in s:
                            f[f"ike_sa[{n}] {ours}"] = _none(s[genie])
                f["flows"] = tuple(sorted(a.strip() for a in q.get("ipsec_flow", {})))
                for acl, fl in q.get("ipsec_flow", {}).items():
                    tag = f"flow {acl.strip()}"
                    for ours, genie in (("active_sas", "active_sas"), ("origin", "origin"),
                                        ("in_packets", "inbound_pkts_decrypted"),
                                        ("in_drops", "inbound_pkts_drop"),
                                        ("in_life_kb", "inbound_life_kb"),
                                        ("in_life_seconds", "inbound_life_secs"),
                                        ("out_packets", "outbound_pkts_encrypted"),
                                        ("out_drops", "outbound_pkts_drop"),
                                        ("out_life_kb", "outbound_life_kb"),
                                        ("out_life_seconds", "outbound_life_secs")):
                        if genie in fl:
                            f[f"{tag} {ours}"] = fl[genie]
                key = (ifname, peer, f["status"])
                out[key] = {k: v for k, v in f.items() if v is not None}
    return out


def ours_session(facts: list) -> dict:
    out = {}
    for x in facts:
        if type(x).__name__ != "CryptoSession":
            continue
        f = {n: getattr(x, n) for n in (
            "interface", "status", "peer", "port", "profile", "uptime", "username", "group",
            "assigned_address", "fvrf", "ivrf", "phase1_id", "desc")}
        f = {k: _none(v) for k, v in f.items()}
        for n, s in enumerate(x.ike_sas):
            for a in ("local", "local_port", "remote", "remote_port", "state", "session_id",
                      "conn_id", "capabilities", "lifetime"):
                f[f"ike_sa[{n}] {a}"] = getattr(s, a)
        f["flows"] = tuple(sorted(fl.acl for fl in x.flows))
        for fl in x.flows:
            for a in ("active_sas", "origin", "in_packets", "in_drops", "in_life_kb",
                      "in_life_seconds", "out_packets", "out_drops", "out_life_kb",
                      "out_life_seconds"):
                f[f"flow {fl.acl} {a}"] = getattr(fl, a)
        out[(x.interface, x.peer, x.status)] = f
    return out


def genie_map(exp: dict) -> dict:
    out = {}
    for af, d in exp.items():
        for tag, m in d.get("crypto_map_tag", {}).items():
            name = m.get("interfaces_crypto_map", {}).get("crypto_map_tag", tag)
            f = {"name": tag, "seq": m.get("sequence_number"), "ip_version": af,
                 "mode": m.get("ipsec"), "peers": tuple(m.get("peer", ())),
                 "current_peer": m.get("current_peer"), "ikev2_profile": m.get("ikev2_profile"),
                 "isakmp_profile": m.get("isakmp_profile"),
                 "acl": m.get("extended_ip_access_list"),
                 "lifetime_kb": m.get("security_association_lifetime", {}).get("kilobytes"),
                 "lifetime_seconds": m.get("security_association_lifetime", {}).get("seconds"),
                 "pfs": m.get("pfs"), "responder_only": m.get("responder_only"),
                 "transform_sets": tuple(sorted(
                     (k, tuple(v)) for k, v in m.get("transform_sets", {}).items())),
                 "interfaces": tuple(m.get("interfaces_crypto_map", {}).get("interfaces", ()))}
            out[(name.lower(), f["seq"])] = {k: v for k, v in f.items() if v is not None}
    return out


def ours_map(facts: list) -> dict:
    out = {}
    for x in facts:
        if type(x).__name__ != "CryptoMapEntry":
            continue
        f = {n: getattr(x, n) for n in (
            "name", "seq", "ip_version", "mode", "peers", "current_peer", "ikev2_profile",
            "isakmp_profile", "acl", "lifetime_kb", "lifetime_seconds", "pfs", "responder_only",
            "interfaces")}
        f["transform_sets"] = tuple(sorted((t.name, tuple(t.transforms))
                                           for t in x.transform_sets))
        out[(x.name.lower(), x.seq)] = f
    return out


def sides(cls: str, exp: dict, facts: list) -> tuple[dict, dict]:
    if cls.startswith("ShowCryptoIsakmpSa"):
        return genie_isakmp(exp), ours_isakmp(facts, cls.endswith("Detail"))
    if cls.startswith("ShowCryptoIkev2Sa"):
        return genie_ikev2(exp), ours_ikev2(facts)
    if cls.startswith("ShowCryptoIpsecSa"):
        return genie_ipsec(exp), ours_ipsec(facts)
    if cls.startswith("ShowCryptoSession"):
        return genie_session(exp), ours_session(facts)
    if cls == "ShowCryptoMap":
        return genie_map(exp), ours_map(facts)
    raise KeyError(cls)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--details", action="store_true", help="print every compared field")
    args = ap.parse_args()
    stats: dict[str, dict] = defaultdict(lambda: {
        "outputs": 0, "ours": 0, "genie": 0, "matched": 0, "fields": 0, "agree": 0,
        "ours_only": 0, "diffs": [], "missing": []})
    missing_expected = []
    for fx in sorted(FIXTURES.glob("*.txt")):
        first = fx.read_text(encoding="utf-8").splitlines()[0]
        m = _SOURCE.search(first)
        if not m:
            continue
        os_, cls, _ = m.groups()
        label = f"{cls} ({os_})"
        exp_path = EXPECTED / f"{fx.stem}.py"
        if not exp_path.exists():
            missing_expected.append(fx.name)
            continue
        exp = load_expected(exp_path)
        body = "\n".join(fx.read_text(encoding="utf-8").splitlines()[1:])
        facts = scan_text(f"{PROMPT[os_]}{COMMANDS[cls]}\n{body}\n", fx.name)
        g, o = sides(cls, exp, facts)
        st = stats[label]
        st["outputs"] += 1
        st["ours"] += len(o)
        st["genie"] += len(g)
        for key, gf in g.items():
            of = o.get(key)
            if of is None:
                st["missing"].append(f"{fx.name}: Genie record {key} not found by ours")
                continue
            st["matched"] += 1
            for name, gv in gf.items():
                if name not in of:
                    continue
                st["fields"] += 1
                if norm(gv) == norm(of[name]):
                    st["agree"] += 1
                    if args.details:
                        print(f"  = {fx.name} {key} {name}: {gv!r}")
                else:
                    st["diffs"].append((fx.name, key, name, of[name], gv))
            st["ours_only"] += sum(1 for n, v in of.items()
                                   if n not in gf and v not in (None, (), False))
        for key in o:
            if key not in g:
                st["missing"].append(f"{fx.name}: our record {key} absent from Genie")

    print("| Genie parser class | outputs | records ours / Genie (matched) | fields compared "
          "| agreement | fields only ours has |")
    print("|---|---|---|---|---|---|")
    for label, st in sorted(stats.items()):
        pct = f"{100 * st['agree'] / st['fields']:.1f} %" if st["fields"] else "-"
        print(f"| `{label}` | {st['outputs']} | {st['ours']} / {st['genie']} ({st['matched']}) "
              f"| {st['fields']} | {pct} ({st['agree']}/{st['fields']}) | {st['ours_only']} |")
    print()
    print("Disagreements (ours / Genie):")
    any_diff = False
    for label, st in sorted(stats.items()):
        for fname, key, name, ov, gv in st["diffs"]:
            any_diff = True
            print(f"* `{label}` {fname} {key} **{name}**: ours `{ov!r}` / Genie `{gv!r}`")
        for line in st["missing"]:
            any_diff = True
            print(f"* `{label}` {line}")
    if not any_diff:
        print("* none")
    if missing_expected:
        print(f"\nNo Genie expected dict stored for: {', '.join(missing_expected)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
