"""``ipsec-doctor check`` at fleet scale, and each configuration reader on adversarial 16 MB input.

* ``fleet``: N pairs of configurations generated from the check-matrix baselines
  (``tests/matrix/``), every vendor combination and IKE version in turn, each pair with its own
  addresses, written to a folder and checked in one run (``check.load.load_paths`` +
  ``check.build.build``, the CLI minus printing): time per tunnel and per configuration.
* ``adversarial``: for every reader, a configuration of about 16 MB (the largest ``check`` reads)
  built to stress it -- 200 000 ACL rules, 100 000 object-group members, deeply nested braces,
  1 MB lines -- parsed once through ``config.load_text``; the time and the outcome (devices or
  the ``ConfigError`` message) are printed, and the same shape at 1/4 size is timed too, so that
  a superlinear reader shows as a ratio well above 4.

    .venv/bin/python bench/check_fleet.py [--pairs N] [--skip-fleet] [--skip-adversarial]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from matrix import cisco_asa, cisco_ios, huawei_ar, huawei_usg, strongswan  # noqa: E402

VENDORS = (huawei_ar, huawei_usg, cisco_ios, cisco_asa, strongswan)
_ADDR = re.compile(r"(?<![\d.])(192\.0\.2\.|198\.51\.100\.|10\.1\.1\.|10\.2\.2\.)")
_NAME = re.compile(r"(?m)^(\s*(?:sysname|hostname) )(\S+)")
LIMIT = 16 * 1024 * 1024


def _suffix(mod: object) -> str:
    return ".swanctl.conf" if mod is strongswan else ".cfg"


def relocate(text: str, k: int) -> str:
    """The baseline ``text`` moved to pair ``k``'s own addresses and device names: WAN networks
    192.0.2.0/24 and 198.51.100.0/24 and LANs 10.1.1.0/24 and 10.2.2.0/24 become networks
    unique to the pair (up to 16 384 pairs)."""
    hi, lo = divmod(k, 256)
    new = {
        "192.0.2.": f"172.{16 + hi}.{lo}.",
        "198.51.100.": f"100.{64 + hi}.{lo}.",
        "10.1.1.": f"10.{2 * hi}.{lo}.",
        "10.2.2.": f"10.{2 * hi + 1}.{lo}.",
    }
    text = _ADDR.sub(lambda m: new[m.group(1)], text)
    return _NAME.sub(lambda m: f"{m.group(1)}{m.group(2)}-{k}", text)


def plan(pairs: int) -> list[tuple[int, Any, Any, int]]:
    """``(k, vendor module of a, vendor module of b, IKE version)`` of each pair: vendor
    combination ``k`` (of 25) and IKE version 1 or 2 in turn."""
    combos = [(x, y) for x in VENDORS for y in VENDORS]
    return [(k, *combos[k % len(combos)], 1 + (k // len(combos)) % 2) for k in range(pairs)]


def file_names(k: int, x: Any, y: Any) -> tuple[str, str]:
    return f"p{k:05d}-a{_suffix(x)}", f"p{k:05d}-b{_suffix(y)}"


def fleet(pairs: int) -> dict[str, str]:
    """``pairs`` pairs of configurations (file name -> text) that should all establish."""
    out: dict[str, str] = {}
    for k, x, y, version in plan(pairs):
        name_a, name_b = file_names(k, x, y)
        out[name_a] = relocate(x.baseline("a", version), k)
        out[name_b] = relocate(y.baseline("b", version), k)
    return out


def run_fleet(pairs: int) -> None:
    from ipsec_doctor.check.build import build
    from ipsec_doctor.check.load import load_paths

    files = fleet(pairs)
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in files.items():
            Path(tmp, name).write_text(text, encoding="utf-8")
        t0 = time.perf_counter()
        devices, skipped = load_paths([tmp])
        t1 = time.perf_counter()
        report = build(devices, skipped)
        t2 = time.perf_counter()
    ok = sum(t.outcome == "established" for t in report.tunnels)
    n = max(1, len(report.tunnels))
    print(f"fleet: {len(files)} configurations, {len(report.tunnels)} tunnels paired "
          f"({ok} established, {len(report.unpaired)} unpaired, {len(skipped)} skipped)")
    print(f"  read+parse {t1 - t0:6.2f} s  ({1000 * (t1 - t0) / len(files):6.2f} ms/config)")
    print(f"  pair+simulate {t2 - t1:6.2f} s  ({1000 * (t2 - t1) / n:6.2f} ms/tunnel)")
    print(f"  total {t2 - t0:6.2f} s  = {1000 * (t2 - t0) / n:6.2f} ms per tunnel")


# -- adversarial configurations -----------------------------------------------------------------


def _fill(head: str, unit: Callable[[int], str], tail: str, size: int) -> str:
    parts = [head]
    total = len(head) + len(tail)
    i = 0
    while total < size:
        s = unit(i)
        parts.append(s)
        total += len(s)
        i += 1
    parts.append(tail)
    return "".join(parts)


def _huawei_acl(size: int) -> str:
    base = huawei_ar.baseline("a", 1)
    head, _, tail = base.partition("acl number 3001\n")
    return _fill(
        head + "acl number 3001\n",
        lambda i: f" rule {5 * (i + 1)} deny ip source 10.{i // 65536 % 256}.{i // 256 % 256}."
        f"{i % 256} 0 destination 10.2.2.0 0.0.0.255\n",
        tail, size)


def _huawei_policies(size: int) -> str:
    base = huawei_usg.baseline("a", 2)
    head, _, tail = base.partition("security-policy\n")
    return _fill(
        head + "security-policy\n",
        lambda i: f" rule name r{i}\n  source-zone trust\n  destination-zone untrust\n"
        f"  source-address 10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256} mask 255.255.255.255\n"
        "  action permit\n",
        tail, size)


def _ios_acl(size: int) -> str:
    base = cisco_ios.baseline("a", 1)
    head, _, tail = base.partition("ip access-list extended VPN-ACL\n")
    return _fill(
        head + "ip access-list extended VPN-ACL\n",
        lambda i: f" deny   ip host 10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256} any\n",
        tail, size)


def _ios_maps(size: int) -> str:
    base = cisco_ios.baseline("a", 1)
    head, _, tail = base.partition("interface GigabitEthernet0/0\n")
    return _fill(
        head,
        lambda i: f"crypto map CMAP {20 + i} ipsec-isakmp\n set peer 203.0.{i // 256 % 256}."
        f"{i % 256}\n set transform-set TS-AES256\n match address VPN-ACL\n!\n",
        "interface GigabitEthernet0/0\n" + tail, size)


def _asa_objects(size: int) -> str:
    base = cisco_asa.baseline("a", 1)
    anchor = "object-group network REMOTE-NETS\n network-object object REMOTE-LAN\n"
    head, _, tail = base.partition(anchor)
    return _fill(
        head + anchor,
        lambda i: f" network-object host 10.{64 + i // 65536 % 64}.{i // 256 % 256}.{i % 256}\n",
        tail, size)


def _asa_acl(size: int) -> str:
    base = cisco_asa.baseline("a", 1)
    anchor = "access-list VPN-TO-B extended permit ip object-group LOCAL-NETS object-group " \
        "REMOTE-NETS\n"
    if anchor not in base:
        anchor = next(ln for ln in base.splitlines(True) if ln.startswith("access-list VPN-"))
    head, _, tail = base.partition(anchor)
    return _fill(
        head,
        lambda i: f"access-list VPN-BIG extended deny ip host 10.9.{i // 256 % 256}.{i % 256} "
        "any\n",
        anchor + tail, size)


def _swanctl_nested(size: int) -> str:
    depth = size // 8
    return "connections {\n" + "a {\n" * depth + "}\n" * depth + "}\n"


def _swanctl_conns(size: int) -> str:
    base = strongswan.baseline("a", 2)
    head, _, tail = base.partition("connections {\n")
    conn = tail.split("\nsecrets {")[0]
    body = conn[: conn.rindex("}")]  # the connection(s), without the closing brace
    return _fill(
        head + "connections {\n",
        lambda i: body.replace("site-b {", f"site-{i} {{", 1),
        "}\n", size)


def _ipsec_conf(size: int) -> str:
    return _fill(
        "config setup\n\n",
        lambda i: f"conn c{i}\n  left=192.0.2.1\n  right=203.0.{i // 256 % 256}.{i % 256}\n"
        "  leftsubnet=10.1.1.0/24\n  rightsubnet=10.2.2.0/24\n  authby=secret\n  auto=start\n\n",
        "", size)


_LONG = (
    " description " + "x" * (1 << 20),
    " " + "1.1.1.1 " * (1 << 17),
    " pre-shared-key " * (1 << 16),
    "%^%#" * (1 << 18),
    " key " + "password secret " * (1 << 16),
)


def _long_lines(vendor: object) -> Callable[[int], str]:
    """The vendor's baseline with 1 MB lines inserted after its first interface line: a long
    word, a million short words, runs of secret keywords and of cipher-blob markers."""

    def make(size: int) -> str:
        base = vendor.baseline("a", 2)  # type: ignore[attr-defined]
        anchor = "local_addrs" if vendor is strongswan else "interface "
        head, sep, tail = base.partition(anchor)
        first, nl, rest = tail.partition("\n")
        lines: list[str] = []
        total = len(base)
        while total < size:
            ln = _LONG[len(lines) % len(_LONG)]
            if vendor is strongswan:
                ln = "#" + ln
            lines.append(ln + "\n")
            total += len(ln) + 1
        return head + sep + first + nl + "".join(lines) + rest
    return make


def _one_line(size: int) -> str:
    return "interface " + "A" * (size - 20) + "\n"


ADVERSARIAL: dict[str, Callable[[int], str]] = {
    "huawei: 200k ACL rules": _huawei_acl,
    "huawei-usg: security-policy rules": _huawei_policies,
    "huawei: 1 MB lines": _long_lines(huawei_ar),
    "cisco-ios: 200k ACL entries": _ios_acl,
    "cisco-ios: crypto map entries": _ios_maps,
    "cisco-ios: 1 MB lines": _long_lines(cisco_ios),
    "cisco-asa: 100k+ object-group members": _asa_objects,
    "cisco-asa: 200k access-list lines": _asa_acl,
    "cisco-asa: 1 MB lines": _long_lines(cisco_asa),
    "swanctl: nested braces": _swanctl_nested,
    "swanctl: connections": _swanctl_conns,
    "swanctl: 1 MB lines": _long_lines(strongswan),
    "ipsec.conf: conns": _ipsec_conf,
    "one 16 MB line": _one_line,
}


def _time_parse(text: str, check: bool = False) -> tuple[float, float, str]:
    """Seconds to parse, seconds to build the check report against the matching side-b
    baseline (when ``check`` and the text parsed), and what came out."""
    from ipsec_doctor.check.build import build
    from ipsec_doctor.config import ConfigError, load_text

    t0 = time.perf_counter()
    try:
        devices = load_text(text, "adversarial.cfg")
        what = f"{len(devices)} device(s), {sum(len(d.tunnels) for d in devices)} tunnel(s)"
    except ConfigError as exc:
        return time.perf_counter() - t0, 0.0, f"ConfigError: {str(exc)[:70]}"
    t1 = time.perf_counter()
    if not check:
        return t1 - t0, 0.0, what
    partner = []
    for mod in VENDORS:
        if mod.VENDOR.startswith(devices[0].vendor):
            partner = load_text(mod.baseline("b", 2), "partner.cfg")
            break
    report = build(devices + partner)
    what += f"; check: {[t.outcome for t in report.tunnels][:3]}, {len(report.unpaired)} unpaired"
    return t1 - t0, time.perf_counter() - t1, what


def run_adversarial(names: list[str] | None = None) -> None:
    print(f"\nadversarial configurations (full size {LIMIT // (1024 * 1024)} MB; ratio = "
          "parse time(full) / time(quarter), about 4 when linear; check = building the "
          "report against the side-b baseline)")
    for name, make in ADVERSARIAL.items():
        if names and not any(n in name for n in names):
            continue
        quarter = make(LIMIT // 4)
        tq, _, _ = _time_parse(quarter)
        full = make(LIMIT)
        lines = full.count("\n")
        tf, tb, what = _time_parse(full, check=True)
        print(f"  {name:38s} {len(full) / 1e6:5.1f} MB {lines:8d} lines  parse {tf:6.2f} s  "
              f"ratio {tf / max(tq, 1e-3):4.1f}  check {tb:6.2f} s  {what}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pairs", type=int, default=500, help="pairs in the fleet (default 500)")
    ap.add_argument("--skip-fleet", action="store_true")
    ap.add_argument("--skip-adversarial", action="store_true")
    ap.add_argument("--only", nargs="*", help="adversarial cases whose name contains one of these")
    args = ap.parse_args()
    if not args.skip_fleet:
        run_fleet(args.pairs)
    if not args.skip_adversarial:
        run_adversarial(args.only)


if __name__ == "__main__":
    main()
