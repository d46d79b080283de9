"""Libreswan (pluto) sides of the lab: configuration from the scenario settings, start, status.

Debian's ``libreswan`` package conflicts with ``strongswan-charon``, so lab/install.sh only unpacks
it into ``/opt/ipsec-lab/libreswan``.  pluto runs inside the side's namespace in a private mount
namespace where a tmpfs covers ``/run`` and ``/usr/libexec`` and the unpacked
``usr/libexec/ipsec`` is bind-mounted at ``/usr/libexec/ipsec`` (pluto starts ``addconn`` from
there); its configuration, secrets, NSS database, control socket and log live under the
scenario's run directory.  ``whack`` and ``addconn`` are called by their full path with
``--ctlsocket``.

Known limit of the lab kernel: it has no XFRM ESP support, so pluto negotiates for real but its
"Add SA" netlink request fails with "Protocol not supported" and no Libreswan CHILD SA can be
installed (strongSwan sides use kernel-libipsec, userspace ESP, instead).
"""

from __future__ import annotations

import subprocess
import time
from typing import Any

import run  # lab/run.py (imported as a script module)

TREE = run.LIBRESWAN_TREE
PLUTO = TREE / "usr/libexec/ipsec/pluto"
WHACK = TREE / "usr/libexec/ipsec/whack"

_ALG = {
    "aes256": "aes256", "aes128": "aes128", "aes192": "aes192", "3des": "3des",
    "sha256": "sha2_256", "sha384": "sha2_384", "sha512": "sha2_512", "sha1": "sha1",
    "modp1024": "modp1024", "modp1536": "modp1536", "modp2048": "modp2048",
    "modp3072": "modp3072", "ecp256": "dh19", "ecp384": "dh20",
}
_DH = {"modp1024", "modp1536", "modp2048", "modp3072", "ecp256", "ecp384"}


def proposal(text: str) -> tuple[str, bool]:
    """swanctl proposal ``aes256-sha256-modp2048`` -> (Libreswan ``aes256-sha2_256;modp2048``,
    has a DH group)."""
    parts = text.split("-")
    algs = [_ALG.get(p, p) for p in parts if p not in _DH]
    groups = [_ALG.get(p, p) for p in parts if p in _DH]
    out = "-".join(algs)
    if groups:
        out += ";" + "-".join(groups)
    return out, bool(groups)


def ident(value: str) -> str:
    return value if value[:1].isdigit() else "@" + value


def ipsec_conf(sc: Any, side: str, logfile: str) -> str:
    s = sc.settings(side)
    other = "b" if side == "a" else "a"
    me, peer = run.ADDR[side], run.ADDR[other]
    local_id = s["local_id"] or me["wan"]
    remote_id = s["remote_id"] or peer["wan"]
    ike, _ = proposal(s["ike"])
    esp, pfs = proposal(s["esp"])
    lines = [
        f"# ipsec.conf for lab side {side} (scenario {sc.name})",
        "config setup",
        f"    logfile={logfile}",
        "    logappend=no",
        "    logtime=yes",
        "    plutodebug=none",
        "    ikev1-policy=accept",
        "",
        "conn net",
        f"    ikev2={'insist' if s['version'] == 2 else 'no'}",
        f"    left={me['wan']}",
        f"    leftid={ident(local_id)}",
        f"    leftsubnet={s['local_ts'] or me['net']}",
        f"    right={run.peer_address(sc, side)}",
        f"    rightid={ident(remote_id)}",
        f"    rightsubnet={s['remote_ts'] or peer['net']}",
        f"    authby={'secret' if s['auth'] == 'psk' else 'rsasig'}",
        f"    ike={ike}",
        f"    esp={esp}",
        f"    pfs={'yes' if pfs else 'no'}",
        f"    type={s['mode']}",
        "    retransmit-timeout=8s",
        "    retransmit-interval=1000",
        "    keyingtries=1",
    ]
    if s["aggressive"]:
        lines.append("    aggressive=yes")
    if not s["natt"]:
        lines.append("    encapsulation=no")
    if s["dpd_delay"]:
        lines += [f"    dpddelay={s['dpd_delay']}", f"    dpdtimeout={3 * s['dpd_delay']}",
                  "    dpdaction=clear"]
    lines += ["    auto=add", ""]
    return "\n".join(lines)


def secrets(sc: Any, side: str) -> str:
    s = sc.settings(side)
    other = "b" if side == "a" else "a"
    local_id = ident(s["local_id"] or run.ADDR[side]["wan"])
    remote_id = ident(s["remote_id"] or run.ADDR[other]["wan"])
    return f'{local_id} {remote_id} : PSK "{s["psk"]}"\n'


def start(sc: Any, side: Any, write_only: bool = False) -> None:
    problem = run.libreswan_problem()
    if problem:
        raise run.LabError(problem)
    d = side.dir
    side.log = d / "pluto.log"
    side.conf = d / "ipsec.conf"
    conf_text = ipsec_conf(sc, side.side, str(side.log))
    secrets_text = secrets(sc, side.side)
    side.conf.write_text(conf_text, encoding="utf-8")
    (d / "ipsec.secrets").write_text(secrets_text, encoding="utf-8")
    side.extra[f"{side.side}.ipsec.conf"] = conf_text
    side.extra[f"{side.side}.ipsec.secrets"] = secrets_text
    if write_only:
        return
    (d / "nss").mkdir()
    (d / "run").mkdir()
    run.sh("certutil", "-N", "--empty-password", "-d", f"sql:{d / 'nss'}")
    cmd = (
        "mount -t tmpfs none /run && mount -t tmpfs none /usr/libexec && "
        "mkdir /usr/libexec/ipsec && "
        f"mount --bind {TREE}/usr/libexec/ipsec /usr/libexec/ipsec && "
        f"exec {PLUTO} --nofork --config {side.conf} --nssdir {d / 'nss'} "
        f"--rundir {d / 'run'} --secretsfile {d / 'ipsec.secrets'} --ipsecdir {d}"
    )
    with open(d / "pluto.stderr", "w") as out:
        side.proc = subprocess.Popen(["ip", "netns", "exec", side.ns, "sh", "-c", cmd],
                                     stdout=out, stderr=subprocess.STDOUT,
                                     start_new_session=True)
    deadline = time.monotonic() + 15
    while True:
        text = "\n".join(run.read_lines(side.log))
        if "listening for IKE messages" in text and "added" in text and "loading secrets" in text:
            break
        if "failed to add" in text:
            raise run.LabError("pluto refused the connection: "
                               + text[text.index("failed to add"):][:200])
        if side.proc.poll() is not None or time.monotonic() > deadline:
            raise run.LabError(f"pluto on side {side.side} did not start: "
                               + (d / "pluto.stderr").read_text()[-300:] + text[-300:])
        time.sleep(0.2)


def whack(side: Any, *args: str) -> str:
    res = run.sh(str(WHACK), "--ctlsocket", str(side.dir / "run" / "pluto.ctl"), *args,
                 check=False, timeout=10)
    return res.stdout


def initiate(side: Any, timeout: float) -> str:
    """``ipsec auto --up net``: whack waits for the outcome (or its own give-up)."""
    try:
        res = run.sh(str(WHACK), "--ctlsocket", str(side.dir / "run" / "pluto.ctl"),
                     "--name", "net", "--initiate", check=False, timeout=timeout)
    except run.LabError as exc:  # whack still waiting: the outcome is in the log
        return str(exc)
    return res.stdout + res.stderr


def status(side: Any) -> dict[str, str]:
    """``ipsec status`` and ``ipsec trafficstatus`` outputs (whack), by fixture file name."""
    return {
        f"{side.side}.status.txt": whack(side, "--status"),
        f"{side.side}.trafficstatus.txt": whack(side, "--trafficstatus"),
    }


def fixture_log_lines(lines: list[str]) -> list[str]:
    """pluto's log as committed: the start-up banner's algorithm self-tests are left out (from
    the first line up to the first connection line), all else is verbatim."""
    out: list[str] = []
    started = False
    for ln in lines:
        if not started and ('"net"' in ln or "listening for IKE" in ln):
            started = True
        if started or "Starting Pluto" in ln:
            out.append(ln)
    return out
