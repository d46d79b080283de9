"""Benchmark: ``ipsec-doctor diagnose --json`` on a large mixed Huawei syslog, next to grep.

Generates (deterministically, from ``--seed``) a Huawei firewall/router log of ``--size-mb``
megabytes (500 by default) in which about 2 % of the lines are IPsec messages
(``IKE/5/IKE_NEGO_FAIL``, ``IPSEC/4/IPSECNEGOFAIL`` in OID form,
``IPSEC/5/IPSEC_TUNNEL_TEARED_DOWN``, ``IKE/7/IKE_Debug`` header and body pairs) among unrelated
messages (SHELL, IFNET, OSPF, SNMP, SEC, PPP, DHCP, NTP, URL filtering, AAA); about 5 % of the
lines hold "like", "bike", "strike", "Mike" or another ``ike`` substring that a case-insensitive
keyword prefilter trips on.  The file is cached in ``bench/out/``
(git-ignored), together with a file of half its size (its first half, cut at a line end).

Then times, as subprocesses, ``ipsec-doctor diagnose --json FILE`` and
``grep -c -i -E 'ike|ipsec' FILE`` / ``grep -c -E 'IKE|IPSEC' FILE`` (``LC_ALL=C``, grep's fastest
setting) on both files, and prints wall time, MB/s, peak RSS (from ``wait4``), the number of
findings, and a Markdown table for the README.  ipsec-doctor's time includes its start-up (Python,
imports, loading the knowledge base: about 0.1 s here); it runs with its byte code cached (in
``bench/out/pycache``, after one untimed run), as an installed package does, even where
``PYTHONDONTWRITEBYTECODE`` is set.

Each file is also diagnosed with the portable candidate finder (``IPSEC_DOCTOR_MATCHER=re``,
what runs where the ``hyperscan`` package is missing): its time is printed and its report must
be byte-identical to the default one.

Where the time goes (``ingest/scan.py``, 2 cores, CPython 3.11, per 500 MB, ~1.2 s): ~0.1 s
start-up; ~0.45 s of C passes over the bytes (the Hyperscan candidate pass ~0.25 s, where the
``re`` finder needs ~1 s; newline counting ~0.16 s; reading); ~0.1 s of Python for the
~150 000 keyword lines (other modules' commands, dropped, and the candidates) and ~0.45 s for
the ~66 000 lines handed to the parsers (~5 µs per one-line IPsec message:
``SyslogParser.quick``, memoised message parsing and redaction; ~25 µs per debug record with
the line that ends it).  grep (``-i``) needs ~0.34 s.

Usage: ``python bench/huawei_syslog.py [--size-mb N] [--seed S] [--repeat R] [--clean]``
(``make bench`` runs the default).  Standard library only, plus the installed package.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
FORMAT_VERSION = 2  # bump when the generator changes, so cached files are rebuilt

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
HOSTS = ("FW1", "FW2", "USG6550-HQ", "AR2220-BR1", "AR1")
IFACES = (
    "GigabitEthernet1/0/1",
    "GigabitEthernet1/0/2",
    "GigabitEthernet0/0/3",
    "Eth-Trunk1",
    "Vlanif100",
    "Dialer1",
    "Tunnel0/0/1",
)
USERS = ("admin", "netops", "audit", "huawei", "ops2", "backup", "noc", "guest", "lab", "tac")
IKE_USERS = ("mike", "spike", "strikeforce")  # unrelated "ike" substrings
PEERS = ("2.1.1.1", "1.1.1.1", "202.101.33.7", "61.144.12.9", "10.20.30.40", "198.51.100.23")
NEGO_REASONS = (
    (1, "phase1 proposal mismatch"),
    (2, "phase2 proposal or pfs mismatch"),
    (4, "flow or peer mismatch"),
    (13, "config ID mismatch"),
    (15, "authentication fail"),
    (28, "malformed payload"),
    (40, "nat detection fail"),
)
OFFLINE_REASONS = (
    "dpd timeout",
    "phase1 hardware expire",
    "phase2 hard expire",
    "received delete message",
    "port mismatch after inbound sa miss",
    "user delete ike sa",
)
COMMANDS = (
    "display interface brief",
    "display ip routing-table",
    "display current-configuration | include sysname",
    "display firewall session table",
    "display ike sa",
    "display ipsec sa brief",
    "display logbuffer",
    "save",
    "display cpu-usage",
    "display version",
)
URLS = (
    "www.bikeshop.example/road-bikes/carbon",
    "video.example.net/watch?v=like-and-subscribe",
    "www.example.org/news/today",
    "api.example.net/v2/items?page=3",
    "shop.example.org/cart",
    "www.example.com/index.html",
    "cdn.example.net/static/app.js",
    "mail.example.com/owa/",
)
APPS = (
    "HTTP",
    "HTTPS",
    "DNS",
    "SSH",
    "BitTorrent",
    "WeChat",
    "SMB",
    "NTP",
    "LDAP",
    "RDP",
    "SMTP",
    "IMAP",
    "QUIC",
    "Teams",
    "Zoom",
    "Office365",
    "Windows-Update",
    "Strikingly",
)


class Gen:
    """One deterministic stream of syslog lines."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.t = 1_500_000_000.0  # a fixed epoch, then increasing
        self.seq = 0

    def _ts(self) -> str:
        self.t += self.rng.random() * 0.8
        tm = time.gmtime(self.t)
        return (
            f"{MONTHS[tm.tm_mon - 1]} {tm.tm_mday:2d} {tm.tm_year} {tm.tm_hour:02d}:"
            f"{tm.tm_min:02d}:{tm.tm_sec:02d}"
        )

    def _ip(self) -> str:
        r = self.rng.randrange
        return f"10.{r(256)}.{r(256)}.{r(1, 255)}"

    def _user(self, share: float) -> str:
        rng = self.rng
        if rng.random() < share:
            return IKE_USERS[rng.randrange(len(IKE_USERS))]
        return USERS[rng.randrange(len(USERS))]

    def lines(self) -> list[str]:
        """One event: one line, or two for a debug header and body."""
        rng = self.rng
        ts = self._ts()
        host = HOSTS[rng.randrange(len(HOSTS))]
        self.seq += 1
        n = self.seq % 1000
        p = rng.random()
        head = f"{ts} {host} %%01"
        if p < 0.18:
            user = self._user(0.08)
            cmd = COMMANDS[rng.randrange(len(COMMANDS))]
            return [
                f"{head}SHELL/5/CMDRECORD(s)[{n}]:Recorded command information. (Task=VT0, "
                f"Ip={self._ip()}, VpnName=, User={user}, "
                f'AuthenticationMethod="Local-user", Command="{cmd}")'
            ]
        if p < 0.30:
            state = "UP" if rng.random() < 0.5 else "DOWN"
            return [
                f"{head}IFNET/4/LINK_STATE(l)[{n}]:The line protocol IP on the interface "
                f"{IFACES[rng.randrange(len(IFACES))]} has entered the {state} state."
            ]
        if p < 0.40:
            return [
                f"{head}OSPF/3/NBR_CHG_DOWN(l)[{n}]:Neighbor event:neighbor state changed to "
                f"Down. (ProcessId=1, NeighborAddress={self._ip()}, NeighborEvent=KillNbr, "
                "NeighborPreviousState=Full, NeighborCurrentState=Down)"
            ]
        if p < 0.46:
            return [
                f"{head}SNMP/4/SNMP_FAIL(s)[{n}]:Failed to login through SNMP. "
                f"(Ip={self._ip()}, Times=3, Reason=the version was incorrect, VPN= )"
            ]
        if p < 0.64:
            src, dst = self._ip(), self._ip()
            app = APPS[rng.randrange(len(APPS))]
            return [
                f"{head}SEC/6/SESSION_TEARDOWN(l)[{n}]:IPVer=4,Protocol=tcp,SourceIP={src},"
                f"DestinationIP={dst},SourcePort={rng.randrange(1024, 65535)},"
                f"DestinationPort=443,BeginTime={int(self.t) - 30},EndTime={int(self.t)},"
                f"SendPkts=12,SendBytes=2410,RcvPkts=10,RcvBytes=8800,SourceVpnID=0,"
                f"DestinationVpnID=0,PolicyName=trust-untrust,Application={app}."
            ]
        if p < 0.70:
            url = URLS[rng.randrange(len(URLS))]
            return [
                f"{head}URL/4/FILTER(l)[{n}]:The URL filtering policy was matched. "
                f"(SyslogId={self.seq}, VSys=public, Policy=web, SrcIp={self._ip()}, "
                f"DstIp={self._ip()}, User={self._user(0.05)}, Url={url}, "
                "UrlCategory=Shopping, Action=Allow)"
            ]
        if p < 0.76:
            return [
                f"{head}PPP/4/CHAPAUTHFAIL(l)[{n}]:On the interface Dialer1, PPP link was "
                "closed because CHAP authentication failed."
            ]
        if p < 0.84:
            return [
                f"{head}DHCP/4/DHCP_INFO_LOG_DHCP_ADD_ADDRESS(l)[{n}]:The DHCP client "
                f"acquired an address successfully. (InterfaceName=Vlanif100, "
                f"Ip={self._ip()}, Mask=255.255.255.0, Gateway=10.0.0.1)"
            ]
        if p < 0.90:
            return [
                f"{head}NTP/4/NTP_STRATUM_CHANGE(l)[{n}]:System stratum changes from 16 to 3 "
                f"after clock update. (ServerIp={self._ip()})"
            ]
        if p < 0.95:
            return [
                f"{head}AAA/6/LOCALACCOUNT_LOGIN(s)[{n}]:User login succeeded. "
                f"(UserName={self._user(0.1)}, IPAddress={self._ip()}, VpnName=, Client=web)"
            ]
        if p < 0.98:
            if rng.random() < 0.5:
                return [
                    f"{head}SEC/4/SESSION_LIMIT(l)[{n}]:The number of sessions reached the "
                    "threshold; new sessions are likely to be dropped. (Slot=1, Cpu=0)"
                ]
            return [
                f"{head}SEC/4/SESSION_LIMIT(l)[{n}]:The number of sessions fell below the "
                "threshold. (Slot=1, Cpu=0)"
            ]
        return self._ipsec(head, ts, host, n)

    def _ipsec(self, head: str, ts: str, host: str, n: int) -> list[str]:
        rng = self.rng
        peer = PEERS[rng.randrange(len(PEERS))]
        q = rng.random()
        if q < 0.35:
            _, reason = NEGO_REASONS[rng.randrange(len(NEGO_REASONS))]
            return [
                f"{head}IKE/5/IKE_NEGO_FAIL(l)[{n}]:IPSec tunnel negotiation fails. "
                f"(PeerAddress={peer}, PeerPort=500, Reason={reason})"
            ]
        if q < 0.60:
            code, reason = NEGO_REASONS[rng.randrange(len(NEGO_REASONS))]
            return [
                f"{head}IPSEC/4/IPSECNEGOFAIL(t)[{n}]:OID 1.3.6.1.4.1.2011.6.122.26.6.14 "
                f"IPSec tunnel negotiation fails. (Ifindex=12, SeqNum=10, Reason={reason}, "
                f"ReasonCode={code}, PeerAddress={peer}, PeerPort=500, VsysName=public, "
                "InterfaceName=GigabitEthernet1/0/1)"
            ]
        if q < 0.80:
            reason = OFFLINE_REASONS[rng.randrange(len(OFFLINE_REASONS))]
            return [
                f"{head}IPSEC/5/IPSEC_TUNNEL_TEARED_DOWN(l)[{n}]:An IPSec tunnel is teared "
                f"down. (PolicyName=map1, IfIndex=6, SeqNum=10, RuleNum=5, SrcIP=10.1.1.1, "
                f"DstIP={peer}, CpuID=0, OfflineReason={reason}, State=master)"
            ]
        # a debug header line and its body
        dts = f"{ts}.{rng.randrange(1000)}.{rng.randrange(1, 30)}"
        header = f"{dts} {host} IKE/7/IKE_Debug:"
        r = rng.random()
        if r < 0.4:
            body = (
                f"IKE_INFO 2:{rng.randrange(1000, 9999)} Attribute ENCRYPTION_ALGORITHM "
                "value AES_CBC"
            )
        elif r < 0.7:
            body = (
                f"[IPSEC-Error] ipsec proposal or pfs mismatch.(Ifindex=[7], SeqNum=[10],"
                f"PeerAddress=[{peer}], PeerPort=[500])"
            )
        else:
            body = (
                f"IKE_ERROR 1:{rng.randrange(1000, 9999)} Peer {peer} authentication fail: "
                "invalid hash payload"
            )
        return [header, body]


def generate(path: Path, size_mb: int, seed: int) -> None:
    """Write about ``size_mb`` MB of log to ``path`` (atomically)."""
    target = size_mb * 1_000_000
    gen = Gen(seed)
    tmp = path.with_suffix(".tmp")
    written = 0
    with open(tmp, "w", encoding="ascii", newline="\n") as fh:
        while written < target:
            batch: list[str] = []
            size = 0
            while size < 4 * 1024 * 1024:
                for line in gen.lines():
                    batch.append(line)
                    size += len(line) + 1
            text = "\n".join(batch) + "\n"
            fh.write(text)
            written += len(text)
    tmp.replace(path)


def half_of(src: Path, dst: Path) -> None:
    """Write the first half of ``src`` (cut after a newline) to ``dst``."""
    half = src.stat().st_size // 2
    tmp = dst.with_suffix(".tmp")
    with open(src, "rb") as fi, open(tmp, "wb") as fo:
        left = half
        while left > 0:
            block = fi.read(min(left, 8 << 20))
            if not block:
                break
            fo.write(block)
            left -= len(block)
        rest = fi.readline()
        fo.write(rest)
    tmp.replace(dst)


def run_timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int, int, str]:
    """Run ``cmd``; return (wall seconds, peak RSS in KiB, exit status, stdout)."""
    with tempfile.TemporaryFile(dir=OUT) as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
        if proc.stderr:
            proc.stderr.close()
        out.seek(0)
        stdout = out.read().decode("utf-8", "replace")
    if proc.returncode not in (0, 1):
        sys.stderr.write(f"{cmd[0]} failed ({proc.returncode}): {err.strip()[:500]}\n")
    return wall, usage.ru_maxrss, proc.returncode, stdout


def best_of(repeat: int, cmd: list[str], env: dict[str, str] | None = None):
    runs = [run_timed(cmd, env) for _ in range(repeat)]
    return min(runs, key=lambda r: r[0])


def doctor_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("ipsec-doctor")
    if exe.exists():
        return [str(exe), "diagnose", "--json"]
    return [sys.executable, "-c", "from ipsec_doctor.cli import main; main()", "diagnose", "--json"]


def doctor_env(matcher: str = "") -> dict[str, str]:
    """The environment of an installed tool: byte code cached (outside the source tree); the
    candidate finder forced when ``matcher`` is given (``IPSEC_DOCTOR_MATCHER``)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(OUT / "pycache")
    env["IPSEC_DOCTOR_MATCHER"] = matcher
    return env


def finder_in_use() -> str:
    """The fast-mode candidate finder ``diagnose`` picks here, with its library's version."""
    from ipsec_doctor.ingest import candidates

    name = candidates.finder_name()
    if name == "hyperscan":
        import hyperscan

        return f"hyperscan {getattr(hyperscan, '__version__', '?')}"
    return "re (the hyperscan package does not import here)"


def warm_up() -> None:
    """One untimed run on a one-line file, so that the byte code is cached."""
    probe = OUT / "warm-up.log"
    probe.write_text(
        "Mar  8 2017 11:10:47 FW1 %%01IKE/5/IKE_NEGO_FAIL(l)[3]:IPSec tunnel negotiation fails. "
        "(PeerAddress=2.1.1.1, PeerPort=500, Reason=phase1 proposal mismatch)\n",
        encoding="ascii",
    )
    run_timed([*doctor_cmd(), str(probe)], doctor_env())


def warm_cache(path: Path) -> None:
    """Read ``path`` once, so that every tool finds it in the page cache."""
    with open(path, "rb") as fh:
        while fh.read(8 << 20):
            pass


def measure(path: Path, repeat: int) -> dict:
    mb = path.stat().st_size / 1e6
    warm_cache(path)
    wall, rss, rc, out = best_of(repeat, [*doctor_cmd(), str(path)], doctor_env())
    # the portable finder too: its time, and proof that the report does not depend on it
    re_wall, _, _, re_out = best_of(repeat, [*doctor_cmd(), str(path)], doctor_env("re"))
    if re_out != out:
        sys.stderr.write(f"{path.name}: the report differs between the candidate finders\n")
    try:
        report = json.loads(out)
        findings = len(report.get("findings", []))
        lines = report.get("lines_read", 0)
    except ValueError:
        findings, lines = -1, 0
    row = {
        "file": path.name,
        "mb": mb,
        "wall": wall,
        "mbps": mb / wall,
        "rss_mb": rss / 1024,
        "rc": rc,
        "findings": findings,
        "lines": lines,
        "re_wall": re_wall,
        "same_report": re_out == out,
    }
    genv = {**os.environ, "LC_ALL": "C"}
    if shutil.which("grep"):
        gi = best_of(repeat, ["grep", "-c", "-i", "-E", "ike|ipsec", str(path)], genv)
        gc = best_of(repeat, ["grep", "-c", "-E", "IKE|IPSEC", str(path)], genv)
        row.update(
            grep_i_wall=gi[0],
            grep_i_mbps=mb / gi[0],
            grep_i_count=int(gi[3].strip() or 0),
            grep_wall=gc[0],
            grep_mbps=mb / gc[0],
            grep_count=int(gc[3].strip() or 0),
        )
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size-mb", type=int, default=500, help="size of the big file (MB)")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--repeat", type=int, default=1, help="runs per command (best is kept)")
    ap.add_argument("--clean", action="store_true", help="delete the generated files afterwards")
    args = ap.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    big = OUT / f"huawei_syslog_{args.size_mb}mb_s{args.seed}_v{FORMAT_VERSION}.log"
    half = OUT / f"huawei_syslog_{args.size_mb}mb_s{args.seed}_v{FORMAT_VERSION}.half.log"
    if not big.exists():
        print(f"generating {big} ...", flush=True)
        t0 = time.perf_counter()
        generate(big, args.size_mb, args.seed)
        print(f"  {big.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - t0:.1f} s")
    if not half.exists():
        half_of(big, half)
    warm_up()
    print(f"candidate finder: {finder_in_use()}")
    rows = [measure(half, args.repeat), measure(big, args.repeat)]
    for r in rows:
        print(
            f"{r['file']}: {r['mb']:.0f} MB, {r['lines']} lines, ipsec-doctor {r['wall']:.2f} s "
            f"= {r['mbps']:.0f} MB/s, peak RSS {r['rss_mb']:.0f} MB, {r['findings']} findings "
            f"(exit {r['rc']})"
        )
        print(
            f"  with the re finder (IPSEC_DOCTOR_MATCHER=re): {r['re_wall']:.2f} s = "
            f"{r['mb'] / r['re_wall']:.0f} MB/s; same report: {'yes' if r['same_report'] else 'NO'}"
        )
        if "grep_i_wall" in r:
            print(
                f"  grep -c -i -E 'ike|ipsec': {r['grep_i_wall']:.2f} s = "
                f"{r['grep_i_mbps']:.0f} MB/s ({r['grep_i_count']} lines), ratio "
                f"{r['wall'] / r['grep_i_wall']:.1f}x;  grep -c -E 'IKE|IPSEC': "
                f"{r['grep_wall']:.2f} s = {r['grep_mbps']:.0f} MB/s ({r['grep_count']} lines), "
                f"ratio {r['wall'] / r['grep_wall']:.1f}x"
            )
    print()
    print(
        "| file | ipsec-doctor | peak RSS | findings | `grep -ciE 'ike\\|ipsec'` | ratio "
        "| `grep -cE 'IKE\\|IPSEC'` | ratio | re finder |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        gi = f"{r['grep_i_mbps']:.0f} MB/s" if "grep_i_wall" in r else "n/a"
        gc = f"{r['grep_mbps']:.0f} MB/s" if "grep_wall" in r else "n/a"
        ri = f"{r['wall'] / r['grep_i_wall']:.1f}x" if "grep_i_wall" in r else "n/a"
        rc = f"{r['wall'] / r['grep_wall']:.1f}x" if "grep_wall" in r else "n/a"
        rr = f"{r['mb'] / r['re_wall']:.0f} MB/s" + (
            f", {r['re_wall'] / r['grep_i_wall']:.1f}x" if "grep_i_wall" in r else ""
        )
        print(
            f"| {r['mb']:.0f} MB | {r['mbps']:.0f} MB/s ({r['wall']:.1f} s) | "
            f"{r['rss_mb']:.0f} MB | {r['findings']} | {gi} | {ri} | {gc} | {rc} | {rr} |"
        )
    if args.clean:
        for p in (big, half, OUT / "warm-up.log"):
            p.unlink(missing_ok=True)
        shutil.rmtree(OUT / "pycache", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
