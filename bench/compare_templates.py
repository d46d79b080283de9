"""Compare our Cisco show-command parsers with ntc-templates (TextFSM) on the same outputs.

Run:  .venv/bin/python bench/compare_templates.py [--iterations N] [--ntc-tests DIR] [--details]

For every command that both we and the installed ntc-templates parse (``cisco_ios`` /
``cisco_asa``), both parsers read every matching output in ``tests/fixtures/cisco/`` (and, with
``--ntc-tests``, the ``*.raw`` files of a copy of ntc-templates' ``tests/`` folder: the wheel
does not ship them).  Compared: records found, key fields (peer / state / status, idents,
counters, SPIs), exceptions, and the time per parse.  The result is a Markdown table.

Rows marked *off-label* apply a template to a command it was not written for (ntc-templates
has no template for it); they show what a user gets who reaches for the nearest template.

ntc-templates and textfsm are comparison-only tools, not dependencies: without them the script
says so and exits 0.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "cisco"

# -- outputs -----------------------------------------------------------------------------------

# A comment line of a fixture (not device output): "# source: ...", "### heading", "!".
# "#pkts ..." / "##pkts ..." / "#send errors" are device output and stay.
_COMMENT = re.compile(r"^(?:#+\s|!)")
_PROMPT = re.compile(r"^\s*([A-Za-z][\w.()/-]*)[#>]\s*(\S.*)?$")

# Commands, normalised from what was typed (abbreviations allowed), most specific first.
_COMMANDS = (
    (r"sh\w*\s+cry\w*\s+se\w*\s+d\w*", "show crypto session detail"),
    (r"sh\w*\s+cry\w*\s+se\w*", "show crypto session"),
    (r"sh\w*\s+cry\w*\s+ips\w*\s+sa\s+d\w*", "show crypto ipsec sa detail"),
    (r"sh\w*\s+cry\w*\s+ips\w*\s+sa\b", "show crypto ipsec sa"),
    (r"sh\w*\s+cry\w*\s+ikev1\s+sa\s+d\w*", "show crypto ikev1 sa detail"),
    (r"sh\w*\s+cry\w*\s+(?:ikev1|is\w*)\s+sa\s+d\w*", "show crypto isakmp sa detail"),
    (r"sh\w*\s+cry\w*\s+(?:ikev1|is\w*)\s+sa\b", "show crypto isakmp sa"),
    (r"sh\w*\s+cry\w*\s+ikev2\s+sa\b", "show crypto ikev2 sa"),
)
# Fixtures without a prompt: the command from the file name (the tests prepend the same).
_BY_NAME = (
    ("show-crypto-session-detail-", "show crypto session detail"),
    ("show-crypto-session-", "show crypto session"),
    ("show-ipsec-sa-detail-", "show crypto ipsec sa detail"),
    ("show-ipsec-sa-peer-", "show crypto ipsec sa peer"),
    ("show-ipsec-sa-", "show crypto ipsec sa"),
    ("show-ikev1-sa-detail-", "show crypto ikev1 sa detail"),
    ("show-isakmp-sa-detail-", "show crypto isakmp sa detail"),
    ("show-isakmp-sa-", "show crypto isakmp sa"),
    ("show-ikev2-sa-", "show crypto ikev2 sa"),
)


def normalise_command(typed: str) -> str | None:
    typed = " ".join(typed.split())
    for pattern, name in _COMMANDS:
        if re.match(pattern, typed, re.IGNORECASE):
            return name
    return None


def platform_of(name: str, text: str) -> str:
    """``cisco_asa`` for ASA / PIX output, else ``cisco_ios``."""
    if re.search(r"asa|pix", name, re.IGNORECASE):
        return "cisco_asa"
    if re.search(r"ios", name, re.IGNORECASE):  # old IOS also prints "current_peer: A"
        return "cisco_ios"
    markers = ("current_peer:", "IKE Peer", "IKEv1 SAs:", "IKEv2 SAs:")
    if any(m in text for m in markers) or re.search(r"Crypto map tag: \S+, seq num", text):
        return "cisco_asa"
    return "cisco_ios"


@dataclass
class Output:
    name: str  # "show-ipsec-sa-genie.txt", "paste-asa1-hub-rtr.txt#3", "ntc:.../x.raw"
    command: str  # normalised
    platform: str
    prompt: str  # the prompt line our parser sees ("R1#show crypto ipsec sa")
    text: str  # the output without prompt and comments

    @property
    def ours_text(self) -> str:
        return self.prompt + "\n" + self.text


def _clean(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not _COMMENT.match(line)) + "\n"


def _synthetic_prompt(command: str, platform: str) -> str:
    return ("asa# " if platform == "cisco_asa" else "R1#") + command


def fixture_outputs(folder: Path) -> list[Output]:
    outs: list[Output] = []
    for path in sorted(folder.glob("*.txt")):
        if not path.name.startswith(("show-", "paste-")):
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        sections: list[tuple[str, str, list[str]]] = []  # (prompt line, typed, body)
        for line in lines:
            m = _PROMPT.match(line)
            if m and not line.lstrip().startswith("#"):
                sections.append((line.strip(), m.group(2) or "", []))
            elif sections:
                sections[-1][2].append(line)
        if not sections:  # a bare output: the command comes from the file name
            command = next((c for p, c in _BY_NAME if path.name.startswith(p)), None)
            if command is None:
                continue
            text = _clean("\n".join(lines))
            plat = platform_of(path.name, text)
            outs.append(Output(path.name, normalise_command(command) or command, plat,
                               _synthetic_prompt(command, plat), text))  # fmt: skip
            continue
        for i, (prompt, typed, body) in enumerate(sections, 1):
            command = normalise_command(typed)
            if command is None:
                continue
            text = _clean("\n".join(body))
            plat = platform_of(path.name if "asa" in prompt.lower() else "", text)
            outs.append(Output(f"{path.name}#{i}", command, plat, prompt, text))
    return outs


def ntc_outputs(folder: Path, seen: set[str]) -> list[Output]:
    """``<folder>/<platform>/<command_dir>/*.raw`` as in ntc-templates' ``tests/``."""
    outs: list[Output] = []
    for raw in sorted(folder.glob("cisco_*/show_crypto_*/*.raw")):
        plat = raw.parent.parent.name
        command = normalise_command(raw.parent.name.replace("_", " "))
        if plat not in ("cisco_ios", "cisco_asa") or command is None:
            continue
        text = raw.read_text(encoding="utf-8")
        if not text.endswith("\n"):
            text += "\n"
        if _digest(text) in seen:  # already one of our fixtures
            continue
        outs.append(Output(f"ntc:{plat}/{raw.parent.name}/{raw.name}", command, plat,
                           _synthetic_prompt(command, plat), text))  # fmt: skip
    return outs


def _digest(text: str) -> str:
    norm = "\n".join(line.rstrip() for line in text.strip().splitlines() if line.strip())
    return hashlib.sha1(norm.encode()).hexdigest()


# -- normalised records --------------------------------------------------------------------------

Record = dict[str, object]


def _none(v: object) -> object:
    if v is None:
        return None
    if isinstance(v, str):
        v = v.strip()
        if v in ("", "(none)", "none"):
            return None
    return v


def _ident(i: object) -> str | None:
    if i is None:
        return None
    return f"{i.address}/{i.mask}/{i.protocol}/{i.port}"  # type: ignore[attr-defined]


def _tident(r: dict, prefix: str, names: tuple[str, str, str, str]) -> str | None:
    parts = [r.get(prefix + n, "") for n in names]
    return "/".join(parts) if parts[0] else None


def _hex(v: object) -> int | None:
    if not v:
        return None
    s = str(v).lower().removeprefix("0x")
    try:
        return int(s, 16)
    except ValueError:
        return None


def _yes_no(v: str) -> bool | None:
    return {"y": True, "yes": True, "n": False, "no": False}.get(v.strip().lower())


def _multi(values: list[object]) -> object:
    """Several values of one field (one per IKE SA / flow): one value when they agree."""
    distinct = list(dict.fromkeys(v for v in values if v is not None))
    if not distinct:
        return None
    return distinct[0] if len(distinct) == 1 else tuple(distinct)


# crypto session ---------------------------------------------------------------------------------


def ours_session(facts: list) -> list[Record]:
    from ipsec_doctor.parsers.cisco.crypto_session import CryptoSession

    out = []
    for s in facts:
        if not isinstance(s, CryptoSession):
            continue
        ike, flows = s.ike_sas, s.flows
        out.append({
            "interface": s.interface, "status": s.status, "peer": s.peer, "port": s.port,
            "fvrf": s.fvrf, "ivrf": s.ivrf, "profile": s.profile, "uptime": s.uptime,
            "phase1_id": s.phase1_id,
            "ike_local": _multi([f"{i.local}/{i.local_port}" for i in ike if i.local]),
            "ike_remote": _multi([f"{i.remote}/{i.remote_port}" for i in ike if i.remote]),
            "ike_state": _multi([i.state for i in ike]),
            "ike_conn_id": _multi([i.conn_id for i in ike]),
            "ike_capabilities": _multi([i.capabilities for i in ike]),
            "flow": _multi([" ".join(f.acl.split()) for f in flows]),
            "active_sas": _multi([f.active_sas for f in flows]),
        })  # fmt: skip
    return out


def tpl_session(rows: list[dict]) -> list[Record]:
    out = []
    for r in rows:
        if r.get("SRC_MASK"):
            src, dst = f"{r['SRC_HOST']}/{r['SRC_MASK']}", f"{r['DST_HOST']}/{r['DST_MASK']}"
            flow = f"permit {r['PERMIT']} {src} {dst}"
        elif r.get("SRC_HOST"):
            flow = f"permit {r['PERMIT']} host {r['SRC_HOST']} host {r['DST_HOST']}"
        else:
            flow = None
        out.append({
            "interface": r["INTERFACE"], "status": r["SESSION_STATUS"], "peer": r["PEER"],
            "port": r["PORT"], "fvrf": r["FVRF"], "ivrf": r["IVRF"], "profile": r["PROFILE"],
            "uptime": r["UPTIME"], "phase1_id": r["PHASE1_ID"],
            "ike_local": f"{r['LOCAL_IP']}/{r['LOCAL_PORT']}" if r["LOCAL_IP"] else None,
            "ike_remote": f"{r['REMOTE_IP']}/{r['REMOTE_PORT']}" if r["REMOTE_IP"] else None,
            "ike_state": r["IKEV1_STATUS"], "ike_conn_id": r["CONN_ID"],
            "ike_capabilities": r["CAPABILITIES"], "flow": flow, "active_sas": r["ACTIVE_SA"],
        })  # fmt: skip
    return out


# show crypto ipsec sa ---------------------------------------------------------------------------


def ours_ipsec(facts: list) -> list[Record]:
    from ipsec_doctor.parsers.cisco.ipsec_sa import CryptoIpsecSa

    out = []
    for f in facts:
        if not isinstance(f, CryptoIpsecSa):
            continue
        esp = [s for s in f.sas if s.protocol == "ESP"]
        out.append({
            "interface": f.interface, "crypto_map": f.crypto_map, "local_addr": f.local_addr,
            "local_ident": _ident(f.local_ident), "remote_ident": _ident(f.remote_ident),
            "peer": f.peer, "peer_port": f.peer_port, "dynamic_peer": f.dynamic_peer,
            "encaps": f.encaps, "encrypt": f.encrypt, "digest": f.digest,
            "decaps": f.decaps, "decrypt": f.decrypt, "verify": f.verify,
            "send_errors": f.send_errors, "recv_errors": f.recv_errors,
            "no_sa_send": f.no_sa_send, "invalid_sa": f.invalid_sa,
            "replay_failed": f.replay_failed, "verify_failed": f.verify_failed,
            "encaps_failed": f.encaps_failed, "decaps_failed": f.decaps_failed,
            "local_endpoint": f.local_endpoint, "remote_endpoint": f.remote_endpoint,
            "path_mtu": f.path_mtu, "current_outbound_spi": f.outbound_spi,
            "current_inbound_spi": f.inbound_spi,
            "in_spis": tuple(s.spi for s in esp if s.direction == "inbound") or None,
            "out_spis": tuple(s.spi for s in esp if s.direction == "outbound") or None,
            "sa_status": _multi([s.status for s in esp]),
            "transform": _multi([" ".join(s.transform) for s in esp if s.transform]),
            "replay_detection": _multi([s.replay_detection for s in esp]),
            "replay_window": _multi([getattr(s, "replay_window", None) for s in esp]),
            "pfs": f.pfs,
        })  # fmt: skip
    return out


_IOS_IDENT = ("ADDR", "MASK", "PROT", "PORT")
_ASA_IDENT = ("ADDR", "MASK", "PROTOCOL", "PORT")


def tpl_ipsec_ios(rows: list[dict]) -> list[Record]:
    """One template row per SA (flow values filled down): grouped back into flows."""
    flows: dict[tuple, Record] = {}
    for r in rows:
        key = (r["INTERFACE"], _tident(r, "LOCAL_IDENT_", _IOS_IDENT),
               _tident(r, "REMOTE_IDENT_", _IOS_IDENT), r["CURRENT_PEER"])  # fmt: skip
        rec = flows.get(key)
        if rec is None:
            rec = flows[key] = {
                "interface": r["INTERFACE"], "crypto_map": r["CRYPTO_MAP_TAG"],
                "local_addr": r["LOCAL_ADDR"], "local_ident": key[1], "remote_ident": key[2],
                "peer": r["CURRENT_PEER"], "peer_port": r["PORT"],
                "encaps": r["PKTS_ENCAPS"], "encrypt": r["PKTS_ENCRYPT"],
                "digest": r["PKTS_DIGEST"], "decaps": r["PKTS_DECAPS"],
                "decrypt": r["PKTS_DECRYPT"], "verify": r["PKTS_VERIFY"],
                "no_sa_send": r["PKTS_NO_SA"], "invalid_sa": r["PKTS_INVALID_SA"],
                "replay_failed": r["PKTS_REPLAY_FAILED"], "verify_failed": r["PKTS_VERIFY_FAILED"],
                "encaps_failed": r["PKTS_ENCAPS_FAILED"], "decaps_failed": r["PKTS_DECAPS_FAILED"],
                "local_endpoint": r["LOCAL_CRYPTO_ENDPT"],
                "remote_endpoint": r["REMOTE_CRYPTO_ENDPT"], "path_mtu": r["PATH_MTU"],
                "current_outbound_spi": _hex(r["CURRENT_OUTBOUND_SPI_HEX"]),
                "in_spis": (), "out_spis": (), "sa_status": [], "transform": [],
                "replay_detection": [], "replay_window": [], "pfs": _yes_no(r["PFS"]),
            }  # fmt: skip
        if r["SA_TYPE"].lower() == "esp":
            side = "in_spis" if r["SA_ORIENTATION"].lower() == "inbound" else "out_spis"
            rec[side] = (*rec[side], _hex(r["SA_SPI_HEX"]))  # type: ignore[misc]
            # "ACTIVE(ACTIVE)": ours keeps the word before "(" (a format choice, not a fact)
            status = r["SA_STATUS"].split("(", 1)[0] or None
            rec["sa_status"].append(status)  # type: ignore[union-attr]
            for name, value in (
                ("transform", " ".join(r["SA_TRANSFORM"].split()) or None),
                ("replay_detection", _yes_no(r["SA_REPLAY_DETECTION_SUPPORT"])),
                ("replay_window", r["SA_REPLAY_WINDOW_SIZE"] or None),
            ):
                rec[name].append(value)  # type: ignore[union-attr]
    for rec in flows.values():
        rec["in_spis"] = rec["in_spis"] or None
        rec["out_spis"] = rec["out_spis"] or None
        for name in ("sa_status", "transform", "replay_detection", "replay_window"):
            rec[name] = _multi(rec[name])  # type: ignore[arg-type]
    return list(flows.values())


def tpl_ipsec_asa(rows: list[dict]) -> list[Record]:
    out = []
    for r in rows:
        out.append({
            "interface": r["INTERFACE"], "crypto_map": r["CRYPTO_MAP_TAG"],
            "local_addr": r["LOCAL_ADDRESS"] or r["LOCAL_ADDRESS_NAME"],
            "local_ident": _tident(r, "LOCAL_IDENTITY_", _ASA_IDENT),
            "remote_ident": _tident(r, "REMOTE_IDENTITY_", _ASA_IDENT),
            "peer": r["CURRENT_PEER"] or r["CURRENT_PEER_NAME"],
            "dynamic_peer": r["DYNAMIC_PEER"] or r["DYNAMIC_PEER_NAME"],
            "encaps": r["PACKETS_ENCAPSULATED"], "encrypt": r["PACKETS_ENCRYPTED"],
            "digest": r["PACKETS_DIGESTED"], "decaps": r["PACKETS_DECAPSULATED"],
            "decrypt": r["PACKETS_DECRYPTED"], "verify": r["PACKETS_VERIFIED"],
            "send_errors": r["SEND_ERRORS"], "recv_errors": r["RECEIVE_ERRORS"],
            "local_endpoint": r["LOCAL_CRYPTO_ENDPOINT"] or r["LOCAL_CRYPTO_ENDPOINT_NAME"],
            "remote_endpoint": r["REMOTE_CRYPTO_ENDPOINT"] or r["REMOTE_CRYPTO_ENDPOINT_NAME"],
            "path_mtu": r["PATH_MTU"],
            "current_outbound_spi": _hex(r["CURRENT_OUTBOUND_SPI"]),
            "current_inbound_spi": _hex(r["CURRENT_INBOUND_SPI"]),
            "transform": _multi([
                f"{r[d + '_ENCRYPTION']} {r[d + '_AUTHENTICATION']}".strip() or None
                for d in ("INBOUND", "OUTBOUND")
            ]),
            "replay_detection": _multi([
                _yes_no(r["INBOUND_REPLAY_DETECTION"]), _yes_no(r["OUTBOUND_REPLAY_DETECTION"])
            ]),
            "in_spis": (_hex(r["INBOUND_SPI_HEX"]),) if r["INBOUND_SPI_HEX"] else None,
            "out_spis": (_hex(r["OUTBOUND_SPI_HEX"]),) if r["OUTBOUND_SPI_HEX"] else None,
        })  # fmt: skip
    return out


# ASA show crypto ikev1 sa detail (8.0-8.3 table) ------------------------------------------------


def ours_ikev1(facts: list) -> list[Record]:
    from ipsec_doctor.parsers.cisco.isakmp_sa import IsakmpSa

    return [{
        "index": f.index, "peer": f.peer, "type": f.type, "role": f.role, "rekey": f.rekey,
        "state": f.state, "encryption": f.encryption, "hash": f.hash, "auth": f.auth,
        "lifetime": f.lifetime,
    } for f in facts if isinstance(f, IsakmpSa)]  # fmt: skip


def tpl_ikev1(rows: list[dict]) -> list[Record]:
    roles = {"resp": "responder", "init": "initiator"}
    return [{
        "index": r["SEQUENCE"], "peer": r["PEER"], "type": r["TYPE"],
        "role": roles.get(r["DIR"].lower(), r["DIR"]),
        "rekey": {"yes": True, "no": False}.get(r["REKEY"].lower()), "state": r["STATE"],
        "encryption": r["ENCRYPTION"], "hash": r["HASH"], "auth": r["AUTHENTICATION"],
        "lifetime": r["LIFETIME"],
    } for r in rows]  # fmt: skip


# -- specs -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    template: str
    platform: str
    commands: tuple[str, ...]
    ours: Callable[[list], list[Record]]
    tpl: Callable[[list[dict]], list[Record]]
    fields: tuple[str, ...]
    key: tuple[str, ...]
    off_label: bool = False

    @property
    def label(self) -> str:
        cmd = " / ".join(self.commands)
        return f"`{self.template}` on {cmd}" + (" (*off-label*)" if self.off_label else "")


_SESSION_FIELDS = ("interface", "status", "peer", "port", "fvrf", "ivrf", "profile", "uptime",
                   "phase1_id", "ike_local", "ike_remote", "ike_state", "ike_conn_id",
                   "ike_capabilities", "flow", "active_sas")  # fmt: skip
_IPSEC_COMMON = ("interface", "crypto_map", "local_addr", "local_ident", "remote_ident", "peer",
                 "encaps", "encrypt", "digest", "decaps", "decrypt", "verify", "local_endpoint",
                 "remote_endpoint", "path_mtu", "current_outbound_spi", "in_spis",
                 "out_spis")  # fmt: skip
_IPSEC_IOS = (*_IPSEC_COMMON, "peer_port", "no_sa_send", "invalid_sa", "replay_failed",
              "verify_failed", "encaps_failed", "decaps_failed", "sa_status", "transform",
              "replay_detection", "replay_window", "pfs")  # fmt: skip
_IPSEC_ASA = (*_IPSEC_COMMON, "dynamic_peer", "send_errors", "recv_errors",
              "current_inbound_spi", "transform", "replay_detection")  # fmt: skip
_IKEV1 = ("index", "peer", "type", "role", "rekey", "state", "encryption", "hash", "auth",
          "lifetime")  # fmt: skip
_IPSEC_KEY = ("interface", "local_ident", "remote_ident", "peer")

SPECS = (
    Spec("cisco_ios_show_crypto_session_detail", "cisco_ios", ("show crypto session detail",),
         ours_session, tpl_session, _SESSION_FIELDS, ("interface", "peer")),
    Spec("cisco_ios_show_crypto_session_detail", "cisco_ios", ("show crypto session",),
         ours_session, tpl_session, _SESSION_FIELDS, ("interface", "peer"), off_label=True),
    Spec("cisco_ios_show_crypto_ipsec_sa_detail", "cisco_ios", ("show crypto ipsec sa detail",),
         ours_ipsec, tpl_ipsec_ios, _IPSEC_IOS, _IPSEC_KEY),
    Spec("cisco_ios_show_crypto_ipsec_sa_detail", "cisco_ios", ("show crypto ipsec sa",),
         ours_ipsec, tpl_ipsec_ios, _IPSEC_IOS, _IPSEC_KEY, off_label=True),
    Spec("cisco_asa_show_crypto_ipsec_sa", "cisco_asa",
         ("show crypto ipsec sa", "show crypto ipsec sa detail"), ours_ipsec, tpl_ipsec_asa,
         _IPSEC_ASA, _IPSEC_KEY),
    Spec("cisco_asa_show_crypto_ikev1_sa_detail", "cisco_asa", ("show crypto ikev1 sa detail",),
         ours_ikev1, tpl_ikev1, _IKEV1, ("peer",)),
    Spec("cisco_asa_show_crypto_ikev1_sa_detail", "cisco_asa",
         ("show crypto isakmp sa", "show crypto isakmp sa detail"), ours_ikev1, tpl_ikev1,
         _IKEV1, ("peer",), off_label=True),
)  # fmt: skip


# -- comparison -----------------------------------------------------------------------------------


def _norm(v: object) -> object:
    v = _none(v)
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, (tuple, list)):
        return tuple(_norm(x) for x in v)
    s = str(v)
    if s.isdigit():
        return int(s)
    return s.lower()


@dataclass
class Row:
    spec: Spec
    outputs: list[str] = field(default_factory=list)
    ours_records: int = 0
    tpl_records: int = 0
    matched: int = 0
    agree: int = 0
    compared: int = 0
    ours_failures: int = 0
    tpl_failures: int = 0
    ours_s: float = 0.0
    tpl_s: float = 0.0
    parses: int = 0  # outputs both parsers read (timed in pairs)
    ours_only_s: float = 0.0  # ours on the outputs the template fails on
    disagreements: Counter = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    details: list[str] = field(default_factory=list)


def _key(rec: Record, key: tuple[str, ...]) -> tuple:
    return tuple(_norm(rec.get(k)) for k in key)


def compare(
    row: Row, out: Output, ours: list[Record], tpl: list[Record], tpl_error: str | None = None
) -> None:
    spec = row.spec
    row.ours_records += len(ours)
    row.tpl_records += len(tpl)
    tpl_by_key: dict[tuple, list[Record]] = {}
    for t in tpl:
        tpl_by_key.setdefault(_key(t, spec.key), []).append(t)
    unmatched_ours = 0
    for o in ours:
        cands = tpl_by_key.get(_key(o, spec.key))
        if not cands:
            unmatched_ours += 1
            continue
        t = cands.pop(0)
        row.matched += 1
        for f in spec.fields:
            a, b = _norm(o.get(f)), _norm(t.get(f))
            if a is None and b is None:
                continue
            row.compared += 1
            if a == b:
                row.agree += 1
                continue
            row.disagreements[f] += 1
            row.examples.setdefault(f, f"ours `{_show(o.get(f))}` / tpl `{_show(t.get(f))}`")
            row.details.append(
                f"{out.name} {spec.template} {f}: ours={o.get(f)!r} tpl={t.get(f)!r}"
                f" [{' '.join(str(x) for x in _key(o, spec.key))}]"
            )
    unmatched_tpl = sum(len(v) for v in tpl_by_key.values())
    if unmatched_ours and tpl_error is not None:
        what = "our records lost to a template error"
        row.disagreements[what] += unmatched_ours
        seen = row.examples.get(what, "")
        if f"`{tpl_error}`" not in seen and seen.count("`") < 4:  # up to two distinct lines
            row.examples[what] = (
                f"{seen}, `{tpl_error}`" if seen else f"Error rule on `{tpl_error}`"
            )
    elif unmatched_ours:
        row.disagreements["our records the template drops without error"] += unmatched_ours
    if unmatched_ours:
        row.details.append(f"{out.name} {spec.template}: {unmatched_ours} of our records"
                           " have no template record")  # fmt: skip
    if unmatched_tpl:
        row.disagreements["records missing in ours"] += unmatched_tpl
        row.details.append(f"{out.name} {spec.template}: {unmatched_tpl} template records"
                           " have no record of ours")  # fmt: skip


def _show(v: object) -> str:
    if isinstance(v, tuple) and len(v) > 2:
        return f"({len(v)} values)"
    s = str(v)
    return s if len(s) <= 40 else s[:37] + "..."


def _time(fn: Callable[[], object], iterations: int) -> float:
    start = time.perf_counter()
    for _ in range(iterations):
        fn()
    return time.perf_counter() - start


def run(outputs: list[Output], iterations: int, templates: Path) -> list[Row]:
    import textfsm

    from ipsec_doctor.ingest.scan import scan_text

    rows = []
    for spec in SPECS:
        row = Row(spec)
        rows.append(row)
        path = templates / f"{spec.template}.textfsm"
        if not path.is_file():
            continue
        with path.open() as fh:
            fsm = textfsm.TextFSM(fh)
        for out in outputs:
            if out.platform != spec.platform or out.command not in spec.commands:
                continue
            row.outputs.append(out.name)

            def ours_parse(out: Output = out) -> list:
                return scan_text(out.ours_text, out.name)

            def tpl_parse(out: Output = out, fsm: textfsm.TextFSM = fsm) -> list[dict]:
                fsm.Reset()
                return fsm.ParseTextToDicts(out.text)

            try:
                ours = spec.ours(ours_parse())
            except Exception as exc:  # a failure is a result here
                row.ours_failures += 1
                row.details.append(f"{out.name}: our parser raised {exc!r}")
                ours = []
            try:
                tpl = spec.tpl(tpl_parse())
            except Exception as exc:
                row.tpl_failures += 1
                message = str(exc).splitlines()[0]
                row.details.append(f"{out.name}: template raised {type(exc).__name__}: "
                                   f"{message[:160]}")  # fmt: skip
                tpl = []
                tpl_ok = False
                error = " ".join(message.partition("Input Line:")[2].split()) or message
                compare(row, out, ours, tpl, error if len(error) <= 40 else error[:37] + "...")
            else:
                tpl_ok = True
                compare(row, out, ours, tpl)
            if not iterations:
                continue
            seconds = _time(ours_parse, iterations)
            if tpl_ok:  # paired: both parsers timed on the outputs the template reads
                row.ours_s += seconds
                row.tpl_s += _time(tpl_parse, iterations)
                row.parses += 1
            else:
                row.ours_only_s += seconds
    return rows


def uncovered(outputs: list[Output]) -> list[tuple[str, str, int]]:
    """Commands we parse that no installed template covers: (platform, command, outputs)."""
    covered = {(s.platform, c) for s in SPECS for c in s.commands}
    counts = Counter((o.platform, o.command) for o in outputs if (o.platform, o.command)
                     not in covered)  # fmt: skip
    return sorted((p, c, n) for (p, c), n in counts.items())


def index_overhead(outputs: list[Output], iterations: int) -> str:
    """What ``ntc_templates.parse.parse_output`` (index lookup, template compiled per call) costs
    on top of ``ParseText`` on an already compiled template."""
    from ntc_templates.parse import parse_output

    out = next((o for o in outputs if o.platform == "cisco_ios"
                and o.command == "show crypto ipsec sa detail" and o.name.startswith("ntc:")),
               None) or next((o for o in outputs if o.platform == "cisco_asa"
                              and o.command == "show crypto ipsec sa"), None)  # fmt: skip
    if out is None:
        return ""
    seconds = _time(lambda: parse_output(out.platform, out.command, out.text), iterations)
    return (
        f"`ntc_templates.parse.parse_output` (index lookup + template compile per call) on "
        f"{out.name}: {1000 * seconds / iterations:.3f} ms per parse."
    )


def table(rows: list[Row], iterations: int) -> str:
    def ms_per(seconds: float, outputs: int) -> str:
        return f"{1000 * seconds / (iterations * outputs):.3f}"

    lines = [
        "| template / command | outputs | records ours / template (matched) "
        "| field agreement on matched records "
        "| failures ours / template | notable disagreements (ours / template) "
        "| ms per parse ours / template |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if not r.outputs:
            lines.append(f"| {r.spec.label} | 0 | - | - | - | no matching output | - |")
            continue
        pct = f"{100 * r.agree / r.compared:.1f} % ({r.agree}/{r.compared})" if r.compared else "-"
        notes = []
        for f, n in r.disagreements.most_common(6):
            ex = r.examples.get(f)
            notes.append(f"{f} ×{n}" + (f": {ex}" if ex else ""))
        if not iterations:
            ms = "-"
        elif r.parses:
            ms = f"{ms_per(r.ours_s, r.parses)} / {ms_per(r.tpl_s, r.parses)}"
        else:  # the template read none of them: ours alone
            ms = f"{ms_per(r.ours_only_s, len(r.outputs))} / (fails)"
        lines.append(
            f"| {r.spec.label} | {len(r.outputs)} "
            f"| {r.ours_records} / {r.tpl_records} ({r.matched}) | {pct} "
            f"| {r.ours_failures} / {r.tpl_failures} | {'; '.join(notes) or 'none'} | {ms} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--iterations", type=int, default=1000,
                    help="parses per output for the timing (0: no timing)")  # fmt: skip
    ap.add_argument(
        "--ntc-tests",
        type=Path,
        help="a copy of ntc-templates' tests/ folder (its *.raw files are read too)",
    )
    ap.add_argument("--fixtures", type=Path, default=FIXTURES)
    ap.add_argument("--details", action="store_true", help="list every disagreement")
    args = ap.parse_args(argv)

    missing = [m for m in ("textfsm", "ntc_templates") if importlib.util.find_spec(m) is None]
    if missing:
        print(f"compare_templates: {', '.join(missing)} not installed; nothing to compare "
              "(comparison only: pip install ntc-templates textfsm).")  # fmt: skip
        return 0
    try:
        import ipsec_doctor  # noqa: F401
    except ImportError:
        sys.path.insert(0, str(ROOT / "src"))

    from importlib.metadata import version

    import ntc_templates

    templates = Path(ntc_templates.__file__).parent / "templates"
    outputs = fixture_outputs(args.fixtures)
    n_fixture = len(outputs)
    if args.ntc_tests:
        outputs += ntc_outputs(args.ntc_tests, {_digest(o.text) for o in outputs})
    rows = run(outputs, args.iterations, templates)

    print(f"ntc-templates {version('ntc-templates')}, textfsm {version('textfsm')}; "
          f"{n_fixture} outputs from {args.fixtures.relative_to(ROOT) if args.fixtures.is_relative_to(ROOT) else args.fixtures}"  # noqa: E501
          f"{f', {len(outputs) - n_fixture} from ntc-templates tests' if args.ntc_tests else ''}; "
          f"timing: {args.iterations} parses per output (ours: the whole scan_text pipeline; "
          "template: ParseText on a compiled TextFSM).\n")  # fmt: skip
    print(table(rows, args.iterations))
    gaps = uncovered(outputs)
    if gaps:
        print("\nCommands we parse with no ntc-templates template installed: " + "; ".join(
            f"{p} `{c}` ({n} outputs)" for p, c, n in gaps))  # fmt: skip
    if args.iterations:
        print("\n" + index_overhead(outputs, min(args.iterations, 200)))
    if args.details:
        print("\nDisagreements and failures:")
        for r in rows:
            for d in r.details:
                print(f"- {d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
