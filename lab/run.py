#!/usr/bin/env python3
"""Real-implementation IPsec lab: strongSwan (charon) and Libreswan (pluto) in network namespaces.

Each scenario (``lab/scenarios/<name>.yaml``) builds three namespaces joined by veth pairs::

    idl-a                       idl-r                                       idl-b
    a0 192.0.2.1/24 ---- ra 192.0.2.254/24 | rb 198.51.100.254/24 ---- b0 198.51.100.2/24
    lo 10.1.1.1/32                                                      lo 10.2.2.1/32

``idl-r`` routes between the two sides; with ``topology: nat`` it also owns 203.0.113.2 and maps
it one-to-one onto b (SNAT + DNAT), so a reaches b as 203.0.113.2 and NAT-T is exercised.  The
path is captured on ``ra`` (a's side of the router).  Each side runs its own daemon with private
configuration, pid, socket and log paths under ``/tmp/ipsec-lab/<scenario>/<side>/``.  The
scenario's steps run within a fixed time bound, the outcome is read from the daemons' logs and
the recorded files are written to ``tests/fixtures/lab/<scenario>/``.  Everything (processes,
namespaces, mounts, firewall rules) is torn down afterwards, also on failure.

Usage::

    python lab/run.py                # the whole matrix, rewrites the fixtures
    python lab/run.py psk success    # some scenarios
    python lab/run.py --cleanup      # remove anything a crashed run left behind
    python lab/run.py --check        # exit 0 when the machine can run the lab, else print why

Only the standard library and PyYAML are used.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCENARIOS = HERE / "scenarios"
FIXTURES = ROOT / "tests" / "fixtures" / "lab"
RUNDIR = Path("/tmp/ipsec-lab")
LIBRESWAN_TREE = Path(os.environ.get("IPSEC_LAB_LIBRESWAN", "/opt/ipsec-lab/libreswan"))
CHARON = Path("/usr/lib/ipsec/charon")
SWANCTL = "swanctl"
NS = {"a": "idl-a", "r": "idl-r", "b": "idl-b"}
PREFIX = "idl-"
TIME_BOUND = 45.0  # seconds per scenario for its steps
SETUP_BOUND = 30.0  # more seconds for setup and teardown; past both the run is aborted
CAPTURE_FILTER = "udp port 500 or udp port 4500 or esp"
MAX_PACKETS = 80

# Addresses (documentation ranges on the wire, protected subnets on lo).
ADDR = {
    "a": {"wan": "192.0.2.1", "gw": "192.0.2.254", "lan": "10.1.1.1", "net": "10.1.1.0/24"},
    "b": {"wan": "198.51.100.2", "gw": "198.51.100.254", "lan": "10.2.2.1", "net": "10.2.2.0/24"},
}
NAT_PUBLIC = "203.0.113.2"

# The success scenario's settings; a scenario's ``settings.a`` / ``settings.b`` override them.
BASE = {
    "version": 2,  # 1 or 2 (strongSwan: 0 = any)
    "aggressive": False,
    "ike": "aes256-sha256-modp2048",
    "esp": "aes256-sha256-modp2048",
    "psk": "lab-psk-1",
    "auth": "psk",  # psk | pubkey
    "remote_auth": None,  # default: same as auth
    "local_id": None,  # default: own WAN address
    "remote_id": None,  # default: peer's address
    "local_ts": None,  # default: own protected subnet
    "remote_ts": None,  # default: peer's protected subnet
    "mode": "tunnel",
    "dpd_delay": 0,
    "dpd_action": "clear",
    "rekey_time": 0,
    "encap": False,
    "natt": True,
    "remote_addrs": None,  # default: the peer's (public) address
    "ah": None,  # AH proposal instead of ESP
}

STRONGSWAN_CONF = """\
# strongswan.conf for lab side {side} (namespace {ns})
charon {{
    load_modular = no
    load = random nonce openssl aes sha1 sha2 md5 hmac gmp curve25519 pem pkcs1 pkcs8 x509 \
pubkey revocation constraints kdf kernel-libipsec kernel-netlink socket-default vici
    port = 500
    port_nat_t = 4500
    retransmit_tries = 2
    retransmit_timeout = 1.0
    retransmit_base = 1.5
    install_routes = yes
    i_dont_care_about_security_and_use_aggressive_mode_psk = {aggr_psk}
    filelog {{
        lab {{
            path = {log}
            time_format = %b %e %T
            ike_name = yes
            append = no
            default = 1
            ike = 1
            cfg = 2
            net = 1
            enc = 1
            knl = 1
            lib = 0
            job = 0
            asn = 0
            mgr = 0
            tls = 0
            flush_line = yes
        }}
    }}
    syslog {{
        daemon {{
            default = -1
        }}
    }}
    plugins {{
        vici {{
            socket = unix://{vici}
        }}
        kernel-libipsec {{
            allow_peer_ts = yes
        }}
    }}
}}
"""


class LabError(RuntimeError):
    """The lab could not be set up or run (not a scenario outcome)."""


# --------------------------------------------------------------------------------------------
# shell helpers


def sh(*args: str, check: bool = True, timeout: float = 20, ns: str | None = None,
       env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    cmd = list(args)
    if ns:
        cmd = ["ip", "netns", "exec", ns, *cmd]
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired as exc:
        raise LabError(f"timed out after {timeout:.0f}s: {' '.join(cmd)}") from exc
    if check and res.returncode != 0:
        raise LabError(f"{' '.join(cmd)} failed ({res.returncode}): {res.stderr.strip()[:300]}")
    return res


def machine_problem() -> str | None:
    """Why this machine cannot run the lab, or None when it can."""
    if sys.platform != "linux":
        return "the lab needs Linux network namespaces"
    if os.geteuid() != 0:
        return "the lab needs root (network namespaces, mounts)"
    if shutil.which("ip") is None:
        return "iproute2 (`ip`) is not installed"
    if not CHARON.exists() or shutil.which(SWANCTL) is None:
        return "strongSwan is not installed (run lab/install.sh: strongswan-charon, swanctl)"
    if not (Path("/usr/lib/ipsec/plugins") / "libstrongswan-kernel-libipsec.so").exists():
        return "libcharon-extra-plugins (kernel-libipsec) is not installed (run lab/install.sh)"
    if shutil.which("tcpdump") is None:
        return "tcpdump is not installed (run lab/install.sh)"
    probe = "idl-probe"
    res = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True)
    if res.returncode != 0:
        return f"cannot create a network namespace: {res.stderr.strip()[:200]}"
    subprocess.run(["ip", "netns", "del", probe], capture_output=True)
    return None


def libreswan_problem() -> str | None:
    pluto = LIBRESWAN_TREE / "usr/libexec/ipsec/pluto"
    if not pluto.exists():
        return f"Libreswan is not unpacked at {LIBRESWAN_TREE} (run lab/install.sh)"
    if shutil.which("certutil") is None:
        return "certutil (libnss3-tools) is not installed"
    return None


# --------------------------------------------------------------------------------------------
# scenario definition


@dataclass
class Scenario:
    name: str
    data: dict
    path: Path

    @property
    def topology(self) -> str:
        return self.data.get("topology", "direct")

    def impl(self, side: str) -> str:
        return self.data.get(side, "strongswan")

    def settings(self, side: str) -> dict:
        merged = dict(BASE)
        merged.update((self.data.get("settings") or {}).get(side) or {})
        return merged

    @property
    def steps(self) -> list[str]:
        return list(self.data.get("steps") or ["initiate", "ping"])


def load_scenario(name: str) -> Scenario:
    path = SCENARIOS / f"{name}.yaml"
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in SCENARIOS.glob("*.yaml")))
        raise LabError(f"no scenario {name!r} (known: {known})")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("name") != name:
        raise LabError(f"{path}: the scenario's name must be {name!r}")
    return Scenario(name, data, path)


# --------------------------------------------------------------------------------------------
# topology


def build_topology(sc: Scenario) -> None:
    for ns in NS.values():
        sh("ip", "netns", "add", ns)
    sh("ip", "link", "add", "a0", "netns", NS["a"], "type", "veth", "peer", "ra", "netns", NS["r"])
    sh("ip", "link", "add", "b0", "netns", NS["b"], "type", "veth", "peer", "rb", "netns", NS["r"])
    for side, dev in (("a", "a0"), ("b", "b0")):
        ns = NS[side]
        sh("ip", "link", "set", "lo", "up", ns=ns)
        sh("ip", "addr", "add", f"{ADDR[side]['lan']}/32", "dev", "lo", ns=ns)
        sh("ip", "addr", "add", f"{ADDR[side]['wan']}/24", "dev", dev, ns=ns)
        sh("ip", "link", "set", dev, "up", ns=ns)
        sh("ip", "route", "add", "default", "via", ADDR[side]["gw"], ns=ns)
    r = NS["r"]
    sh("ip", "link", "set", "lo", "up", ns=r)
    sh("ip", "addr", "add", f"{ADDR['a']['gw']}/24", "dev", "ra", ns=r)
    sh("ip", "addr", "add", f"{ADDR['b']['gw']}/24", "dev", "rb", ns=r)
    sh("ip", "link", "set", "ra", "up", ns=r)
    sh("ip", "link", "set", "rb", "up", ns=r)
    sh("sysctl", "-q", "-w", "net.ipv4.ip_forward=1", ns=r)
    if sc.topology == "nat":
        # b is reached as 203.0.113.2 (static one-to-one NAT on the router); a routes it via r.
        sh("ip", "addr", "add", f"{NAT_PUBLIC}/32", "dev", "lo", ns=r)
        sh("ip", "route", "add", "203.0.113.0/24", "via", ADDR["a"]["gw"], ns=NS["a"])
        sh("iptables", "-t", "nat", "-A", "PREROUTING", "-i", "ra", "-d", NAT_PUBLIC,
           "-j", "DNAT", "--to-destination", ADDR["b"]["wan"], ns=r)
        sh("iptables", "-t", "nat", "-A", "POSTROUTING", "-o", "ra", "-s", ADDR["b"]["wan"],
           "-j", "SNAT", "--to-source", NAT_PUBLIC, ns=r)
        # a must not reach b's inside address directly
        sh("iptables", "-A", "FORWARD", "-i", "ra", "-d", ADDR["b"]["wan"], "-m", "conntrack",
           "!", "--ctstate", "DNAT", "-j", "DROP", ns=r)
    for port in sc.data.get("block_udp") or []:
        sh("iptables", "-A", "FORWARD", "-p", "udp", "--dport", str(port), "-j", "DROP", ns=r)


def peer_address(sc: Scenario, side: str) -> str:
    """The address ``side`` uses to reach its peer."""
    if side == "a":
        return NAT_PUBLIC if sc.topology == "nat" else ADDR["b"]["wan"]
    return ADDR["a"]["wan"]


# --------------------------------------------------------------------------------------------
# strongSwan


def swanctl_conf(sc: Scenario, side: str) -> str:
    s = sc.settings(side)
    other = "b" if side == "a" else "a"
    local_id = s["local_id"] or ADDR[side]["wan"]
    remote_id = s["remote_id"] or (
        ADDR[other]["wan"] if other == "a" or sc.topology != "nat" else ADDR["b"]["wan"])
    local_ts = s["local_ts"] or ADDR[side]["net"]
    remote_ts = s["remote_ts"] or ADDR[other]["net"]
    version = s["version"]
    remote_auth = s["remote_auth"] or s["auth"]
    lines = [
        f"# swanctl.conf for lab side {side} (scenario {sc.name})",
        "connections {",
        "    net {",
        f"        version = {version}",
        f"        local_addrs = {ADDR[side]['wan']}",
        f"        remote_addrs = {s['remote_addrs'] or peer_address(sc, side)}",
        f"        proposals = {s['ike']}",
    ]
    if s["aggressive"]:
        lines.append("        aggressive = yes")
    if s["encap"]:
        lines.append("        encap = yes")
    if s["dpd_delay"]:
        lines.append(f"        dpd_delay = {s['dpd_delay']}s")
    lines.append("        rekey_time = 0" if not s["rekey_time"] else
                 f"        rekey_time = {s['rekey_time']}s")
    lines += [
        "        local {",
        f"            auth = {s['auth']}",
        f"            id = {local_id}",
    ]
    if s["auth"] == "pubkey":
        lines.append(f"            certs = {RUNDIR / sc.name / side / 'cert.pem'}")
    lines += [
        "        }",
        "        remote {",
        f"            auth = {remote_auth}",
        f"            id = {remote_id}",
        "        }",
        "        children {",
        "            net {",
        f"                local_ts = {local_ts}",
        f"                remote_ts = {remote_ts}",
        f"                ah_proposals = {s['ah']}" if s["ah"] else
        f"                esp_proposals = {s['esp']}",
        f"                mode = {s['mode']}",
        "                rekey_time = 0",
        f"                dpd_action = {s['dpd_action']}",
        "            }",
        "        }",
        "    }",
        "}",
        "secrets {",
        "    ike-lab {",
        f"        id-a = {ADDR['a']['wan']}",
        f"        id-b = {ADDR['b']['wan']}",
    ]
    if local_id not in (ADDR["a"]["wan"], ADDR["b"]["wan"]):
        lines.append(f"        id-local = {local_id}")
    if remote_id not in (ADDR["a"]["wan"], ADDR["b"]["wan"]):
        lines.append(f"        id-remote = {remote_id}")
    lines += [
        f"        secret = {s['psk']}",
        "    }",
    ]
    if s["auth"] == "pubkey":
        lines += [
            "    private-lab {",
            f"        file = {RUNDIR / sc.name / side / 'key.pem'}",
            "    }",
        ]
    lines += ["}", ""]
    return "\n".join(lines)


@dataclass
class Side:
    side: str
    impl: str
    ns: str
    dir: Path
    proc: subprocess.Popen | None = None
    log: Path = field(default_factory=Path)
    conf: Path = field(default_factory=Path)
    vici: Path = field(default_factory=Path)
    extra: dict[str, str] = field(default_factory=dict)


def strongswan_conf(sc: Scenario, side: str, ns: str, log: object, vici: object) -> str:
    """charon's strongswan.conf for one side (the fixture copy uses fixed paths)."""
    s = sc.settings(side)
    return STRONGSWAN_CONF.format(
        side=side, ns=ns, log=log, vici=vici,
        aggr_psk="yes" if s.get("allow_aggressive_psk") else "no")


def fixture_strongswan_conf(sc: Scenario, side: str) -> str:
    return strongswan_conf(sc, side, f"idl-{side}", f"/run/lab/{side}/charon.log",
                           f"/run/lab/{side}/charon.vici")


def start_strongswan(sc: Scenario, side: Side) -> None:
    s = sc.settings(side.side)
    side.log = side.dir / "charon.log"
    side.vici = side.dir / "charon.vici"
    side.conf = side.dir / "swanctl.conf"
    ssconf = side.dir / "strongswan.conf"
    ssconf.write_text(strongswan_conf(sc, side.side, side.ns, side.log, side.vici),
                      encoding="utf-8")
    if s["auth"] == "pubkey":
        make_cert(side.dir, s["local_id"] or ADDR[side.side]["wan"])
    side.conf.write_text(swanctl_conf(sc, side.side), encoding="utf-8")
    env = dict(os.environ, STRONGSWAN_CONF=str(ssconf))
    with open(side.dir / "charon.stderr", "w") as out:
        side.proc = subprocess.Popen(
            ["ip", "netns", "exec", side.ns, "sh", "-c",
             f"mount -t tmpfs none /run && exec {CHARON}"],
            stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    side.extra["env"] = str(ssconf)
    deadline = time.monotonic() + 10
    while not side.vici.exists():
        if side.proc.poll() is not None or time.monotonic() > deadline:
            raise LabError(f"charon on side {side.side} did not start: "
                           + (side.dir / "charon.stderr").read_text()[-300:])
        time.sleep(0.1)
    swanctl(side, "--load-all", "--file", str(side.conf))


def swanctl(side: Side, *args: str, timeout: float = 30,
            check: bool = True) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, STRONGSWAN_CONF=side.extra["env"])
    return sh(SWANCTL, *args, "--uri", f"unix://{side.vici}", ns=side.ns, timeout=timeout,
              check=check, env=env)


def make_cert(d: Path, ident: str) -> None:
    sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
       "-keyout", str(d / "key.pem"), "-out", str(d / "cert.pem"), "-subj", f"/CN={ident}",
       "-addext", f"subjectAltName=IP:{ident}" if ident[0].isdigit() else
       f"subjectAltName=DNS:{ident}")


# --------------------------------------------------------------------------------------------
# running a scenario


@dataclass
class Run:
    sc: Scenario
    sides: dict[str, Side]
    capture: subprocess.Popen | None = None
    notes: list[str] = field(default_factory=list)
    results: list[tuple[str, bool, str]] = field(default_factory=list)  # step, ok, detail
    outputs: dict[str, str] = field(default_factory=dict)  # fixture file name -> text


def child_established(side: Side) -> int:
    if side.impl == "strongswan":
        return sum(1 for ln in read_lines(side.log)
                   if "CHILD_SA net{" in ln and "established" in ln)
    return sum(1 for ln in read_lines(side.log)
               if "established Child SA" in ln or "IPsec SA established" in ln)


def ike_established(side: Side) -> bool:
    lines = read_lines(side.log)
    if side.impl == "strongswan":
        return any("IKE_SA net[" in ln and "established between" in ln for ln in lines)
    return any("established IKE SA" in ln or "ISAKMP SA established" in ln for ln in lines)


def read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return []


def step(run: Run, name: str, deadline: float) -> bool:
    a, b = run.sides["a"], run.sides["b"]
    remaining = max(1.0, deadline - time.monotonic())
    if a.impl == "libreswan":
        if name != "initiate":
            raise LabError(f"step {name!r} needs a strongSwan side a")
        import libreswan

        out = libreswan.initiate(a, timeout=min(25.0, remaining))
        ok = child_established(a) > 0
        last = [ln for ln in out.splitlines() if ln.strip()][-1:]
        run.results.append((name, ok, last[0].strip()[:200] if last else "no output"))
        return ok
    if name == "initiate":
        t = min(25.0, remaining)
        res = swanctl(a, "--initiate", "--child", "net", "--timeout", str(int(t)),
                      timeout=t + 5, check=False)
        ok = res.returncode == 0 and child_established(a) > 0
        run.results.append((name, ok, res.stdout.strip().splitlines()[-1:][0]
                            if res.stdout.strip() else res.stderr.strip()[:200]))
        return ok
    if name == "ping":
        time.sleep(0.5)
        res = sh("ping", "-c", "3", "-i", "0.3", "-W", "2", "-I", ADDR["a"]["lan"],
                 ADDR["b"]["lan"], ns=a.ns, check=False, timeout=min(15.0, remaining))
        ok = res.returncode == 0
        summary = [ln for ln in res.stdout.splitlines() if "packets transmitted" in ln]
        run.results.append((name, ok, summary[0] if summary else res.stderr.strip()[:200]))
        return ok
    if name == "rekey-child":
        before = child_established(a)
        swanctl(a, "--rekey", "--child", "net", check=False, timeout=10)
        end = time.monotonic() + min(10.0, remaining)
        while time.monotonic() < end and child_established(a) <= before:
            if any("failed" in ln.lower() or "NO_PROPOSAL_CHOSEN" in ln or "INVALID_KE" in ln
                   for ln in read_lines(a.log)[-5:]):
                time.sleep(1)
                break
            time.sleep(0.3)
        ok = child_established(a) > before
        run.results.append((name, ok, f"CHILD_SA established count {before} -> "
                                      f"{child_established(a)}"))
        return ok
    if name == "rekey-ike":
        before = sum(1 for ln in read_lines(a.log) if "rekeyed" in ln)
        swanctl(a, "--rekey", "--ike", "net", check=False, timeout=10)
        end = time.monotonic() + min(10.0, remaining)
        while time.monotonic() < end:
            if sum(1 for ln in read_lines(a.log) if "rekeyed" in ln) > before:
                break
            time.sleep(0.3)
        ok = sum(1 for ln in read_lines(a.log) if "rekeyed" in ln) > before
        run.results.append((name, ok, "IKE_SA rekeyed" if ok else "no IKE_SA rekey seen"))
        return ok
    if name == "link-down":
        sh("ip", "link", "set", "rb", "down", ns=NS["r"])
        run.results.append((name, True, "router link to b set down"))
        return True
    if name.startswith("wait-dpd"):
        end = time.monotonic() + min(30.0, remaining)
        while time.monotonic() < end:
            if any("giving up" in ln or "deleting IKE_SA" in ln or "closing CHILD_SA" in ln
                   for ln in read_lines(a.log)):
                break
            time.sleep(0.5)
        lost = any("giving up" in ln for ln in read_lines(a.log))
        run.results.append((name, not lost, "DPD gave up: peer lost" if lost else
                            "DPD did not give up"))
        return not lost
    if name.startswith("sleep"):
        time.sleep(min(float(name.split(":", 1)[1]), remaining))
        return True
    if name == "list-sas":
        for side in (a, b):
            if side.proc is None:
                continue
            if side.impl == "strongswan":
                res = swanctl(side, "--list-sas", check=False)
                run.outputs[f"{side.side}.list-sas.txt"] = res.stdout
            else:
                import libreswan

                run.outputs.update(libreswan.status(side))
        return True
    raise LabError(f"unknown step {name!r} in scenario {run.sc.name}")


def observe(run: Run) -> dict:
    """The observed verdict (outcome, stage) from the step results and the logs."""
    a, b = run.sides["a"], run.sides["b"]
    failed = [r for r in run.results if not r[1]]
    if not failed:
        return {"outcome": "established", "stage": None}
    first = failed[0][0]
    if first == "initiate":
        stage = "ipsec" if ike_established(a) or ike_established(b) else "ike"
    elif first == "ping":
        stage = "traffic"
    elif first == "rekey-child":
        stage = "ipsec"
    else:
        stage = "ike"
    return {"outcome": "fails", "stage": stage}


KEY_WORDS = (
    "NO_PROPOSAL_CHOSEN", "no acceptable proposal", "no proposal", "INVALID_KE_PAYLOAD",
    "AUTHENTICATION_FAILED", "authentication of", "no matching peer config", "TS_UNACCEPTABLE",
    "traffic selectors", "INVALID_SYNTAX", "giving up", "establishing CHILD_SA", "established",
    "failed", "unable", "not supported", "mismatch", "DPD", "rekey", "NAT", "received ",
    "selected proposal", "selecting proposal", "no acceptable", "doesn't match",
    "constraint", "aggressive", "tried", "peer not responding", "refused", "retransmit",
    "configured proposals", "received proposals", "not acceptable", "USE_TRANSPORT_MODE",
    "transport", "deleting", "closing", "timed out", "INVALID", "ERROR",
)


def evidence(run: Run) -> list[str]:
    """Key log lines of both sides (redacted), the most telling first, at most 12."""
    sys.path.insert(0, str(ROOT / "src"))
    try:
        from ipsec_doctor.redact import redact
    except ImportError:  # pragma: no cover - the lab also runs without the package installed
        def redact(line: str) -> str:
            return line
    wanted = list(run.sc.data.get("evidence_keys") or [])
    out: list[str] = []
    for key in wanted:
        sides = ("a", "b")
        if key[:3] in ("a: ", "b: "):  # a key for one side only
            sides, key = (key[0],), key[3:]
        for side in sides:
            for ln in fixture_log_lines(run.sides[side]):
                if key in ln:
                    entry = f"{side}: {redact(ln.strip())}"
                    if entry not in out:
                        out.append(entry)
                    break
    if not wanted:
        for side in ("a", "b"):
            for ln in fixture_log_lines(run.sides[side]):
                if any(k in ln for k in KEY_WORDS):
                    out.append(f"{side}: {redact(ln.strip())}")
    return out[:12]


def run_scenario(name: str, write: bool = True) -> dict:
    """Run one scenario (exclusively: one lab at a time on a machine) and return the observed
    verdict; with ``write`` also rewrite its fixture folder."""
    sc = load_scenario(name)
    with lab_lock():
        old = None
        if threading.current_thread() is threading.main_thread():
            old = signal.signal(signal.SIGALRM, _time_bound_reached)
            signal.alarm(int(TIME_BOUND + SETUP_BOUND))
        try:
            return _run_scenario(sc, write)
        finally:
            if old is not None:
                signal.alarm(0)
                signal.signal(signal.SIGALRM, old)


@contextlib.contextmanager
def lab_lock(wait: float = 300.0) -> Iterator[None]:
    """Hold the machine-wide lab lock (namespace names are fixed, so one lab at a time)."""
    RUNDIR.mkdir(parents=True, exist_ok=True)
    with open(RUNDIR / ".lock", "w") as lock:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LabError(f"another lab run holds {RUNDIR / '.lock'}") from None
                time.sleep(0.5)
        yield


def _time_bound_reached(signum: int, frame: object) -> None:
    raise LabError(f"scenario exceeded its hard time bound ({TIME_BOUND + SETUP_BOUND:.0f} s)")


def _run_scenario(sc: Scenario, write: bool) -> dict:
    name = sc.name
    cleanup(quiet=True)
    work = RUNDIR / name
    if work.exists():
        shutil.rmtree(work)
    sides = {}
    for side in ("a", "b"):
        d = work / side
        d.mkdir(parents=True)
        sides[side] = Side(side, sc.impl(side), NS[side], d)
    run = Run(sc, sides)
    pcap = work / "capture.pcap"
    started = time.monotonic()
    try:
        build_topology(sc)
        run.capture = subprocess.Popen(
            ["ip", "netns", "exec", NS["r"], "tcpdump", "-i", "ra", "-s", "0", "-U",
             "--immediate-mode", "-n", "-c", str(MAX_PACKETS), "-w", str(pcap), CAPTURE_FILTER],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        wait_listening(run.capture)
        for side in ("b", "a"):
            if side == "b" and sc.data.get("peer_down"):
                start_daemon(sc, sides[side], write_only=True)
                continue
            start_daemon(sc, sides[side])
        time.sleep(1.0)  # tcpdump is listening by now
        deadline = time.monotonic() + TIME_BOUND
        for st in sc.steps:
            if st == "list-sas":
                continue
            if time.monotonic() > deadline:
                run.results.append((st, False, "scenario time bound reached"))
                break
            if not step(run, st, deadline):
                break
        if "list-sas" in sc.steps:  # the state is recorded also after a failed step
            step(run, "list-sas", deadline)
        time.sleep(0.5)
    finally:
        teardown(run)
    observed = observe(run)
    observed["evidence"] = evidence(run)
    observed["steps"] = [f"{st}: {'ok' if ok else 'FAILED'} ({detail})"
                         for st, ok, detail in run.results]
    if write:
        write_fixture(run, pcap, observed)
    elapsed = time.monotonic() - started
    exp = sc.data.get("expected") or {}
    match = (exp.get("outcome") == observed["outcome"]
             and (observed["outcome"] == "established" or exp.get("stage") == observed["stage"]))
    print(f"{name:28s} expected {exp.get('outcome')}/{exp.get('stage')}  observed "
          f"{observed['outcome']}/{observed['stage']}  {'OK' if match else 'DIFFERS'}  "
          f"({elapsed:.0f}s)", flush=True)
    return observed


def wait_listening(proc: subprocess.Popen) -> None:
    """Block until tcpdump says it is listening (its first stderr line), at most 5 s."""
    assert proc.stderr is not None
    ready, _, _ = select.select([proc.stderr], [], [], 5.0)
    if not ready:
        raise LabError("tcpdump did not start listening within 5 s")
    line = proc.stderr.readline().decode(errors="replace")
    if "listening" not in line:
        raise LabError(f"tcpdump: {line.strip()[:200]}")


def start_daemon(sc: Scenario, side: Side, write_only: bool = False) -> None:
    if side.impl == "strongswan":
        if write_only:
            side.conf = side.dir / "swanctl.conf"
            side.conf.write_text(swanctl_conf(sc, side.side), encoding="utf-8")
            side.log = side.dir / "charon.log"
            return
        start_strongswan(sc, side)
    elif side.impl == "libreswan":
        import libreswan  # lab/libreswan.py

        libreswan.start(sc, side, write_only=write_only)
    else:
        raise LabError(f"unknown implementation {side.impl!r}")


def teardown(run: Run) -> None:
    for side in run.sides.values():
        if side.proc and side.proc.poll() is None:
            stop_proc(side.proc)
    if run.capture and run.capture.poll() is None:
        stop_proc(run.capture, sig=signal.SIGINT)
    cleanup(quiet=True)


def stop_proc(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    try:
        proc.send_signal(sig)
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)
    except ProcessLookupError:
        pass


def cleanup(quiet: bool = False) -> None:
    """Remove every lab namespace (killing what runs inside it) and the lab's mount leftovers."""
    res = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True)
    for line in res.stdout.splitlines():
        ns = line.split(" ", 1)[0]
        if not ns.startswith(PREFIX):
            continue
        pids = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True)
        for pid in pids.stdout.split():
            try:
                os.kill(int(pid), signal.SIGKILL)
            except (ProcessLookupError, ValueError):
                pass
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)
        if not quiet:
            print(f"removed namespace {ns}")
        etc = Path("/etc/netns") / ns
        if etc.is_dir():
            shutil.rmtree(etc, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# fixtures


def write_fixture(run: Run, pcap: Path, observed: dict) -> None:
    sc = run.sc
    dest = FIXTURES / sc.name
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    data = dict(sc.data)
    data["observed"] = observed
    (dest / "scenario.yaml").write_text(
        "# Recorded by lab/run.py from lab/scenarios/" + sc.path.name + "; do not edit by hand.\n"
        + yaml.safe_dump(data, sort_keys=False, width=100, allow_unicode=False),
        encoding="utf-8")
    for key, side in run.sides.items():
        if side.impl == "strongswan":
            shutil.copy(side.conf, dest / f"{key}.swanctl.conf")
            (dest / f"{key}.strongswan.conf").write_text(
                fixture_strongswan_conf(sc, key), encoding="utf-8")
        else:
            for fname, text in side.extra.items():
                if fname.startswith(f"{key}."):
                    (dest / fname).write_text(text, encoding="utf-8")
        log = "\n".join(fixture_log_lines(side))
        (dest / f"{key}.log").write_text(log + ("\n" if log else ""), encoding="utf-8")
    for fname, text in run.outputs.items():
        (dest / fname).write_text(text, encoding="utf-8")
    if pcap.exists():
        shutil.copy(pcap, dest / "capture.pcap")


def fixture_log_lines(side: Side) -> list[str]:
    """The daemon's log as committed: strongSwan's echo of every loaded connection setting
    (``vici client`` requests and the indented ``load-conn`` dump) is left out; all else is kept
    verbatim."""
    lines = read_lines(side.log)
    if side.impl != "strongswan":
        import libreswan

        return libreswan.fixture_log_lines(lines)
    kept = []
    for ln in lines:
        _, sep, msg = ln.partition("[CFG] ")
        if sep and (msg.startswith("vici client") or msg.startswith("  ")
                    or msg.startswith(" conn ")):
            continue
        kept.append(ln)
    return kept


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenarios", nargs="*", help="scenario names (default: all)")
    ap.add_argument("--cleanup", action="store_true", help="remove leftovers and exit")
    ap.add_argument("--check", action="store_true", help="can this machine run the lab?")
    ap.add_argument("--no-write", action="store_true", help="do not rewrite the fixtures")
    args = ap.parse_args(argv)
    if args.cleanup:
        with lab_lock():
            cleanup()
            for work in RUNDIR.iterdir():  # the last runs' work folders (logs, configs)
                if work.is_dir():
                    shutil.rmtree(work, ignore_errors=True)
        return 0
    problem = machine_problem()
    if args.check:
        print(problem or "ok")
        return 1 if problem else 0
    if problem:
        print(f"lab skipped: {problem}", file=sys.stderr)
        return 2
    names = args.scenarios or sorted(p.stem for p in SCENARIOS.glob("*.yaml"))
    sys.path.insert(0, str(HERE))
    failures = 0
    for name in names:
        try:
            run_scenario(name, write=not args.no_write)
        except LabError as exc:
            failures += 1
            print(f"{name:28s} LAB ERROR: {exc}", flush=True)
    return 1 if failures else 0


# lab/libreswan.py imports this module as ``run``; let it find this copy when run as a script
sys.modules.setdefault("run", sys.modules[__name__])

if __name__ == "__main__":
    sys.exit(main())
