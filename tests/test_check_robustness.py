"""``ipsec-doctor check`` on hostile input, and its secrets canary.

1. Property tests (hypothesis) over every configuration reader (``config.load_text`` and each
   reader's ``parse``): random text, and the check-matrix baselines (``tests/matrix/``) and the
   fixture configurations (``tests/fixtures/config/``) mutated -- lines dropped, duplicated,
   truncated mid-line, shuffled, keywords of other vendors swapped in, CRLF, tabs, ``---- More
   ----`` paging debris, prompts, numbers replaced (huge, Unicode digits), non-UTF-8 bytes.  A
   reader returns ``DeviceConfig`` objects or raises ``ConfigError``, nothing else; whatever
   parsed goes through ``check.build.build`` and the renderers without raising.
2. The real command line (``python -m ipsec_doctor check``): binary, empty, capture and 20 MB
   files, a 3 MB line, folders without configurations, a fleet of 300 configurations, stdin,
   file names holding secrets.  Exit 0 (every tunnel establishes), 1 (one fails, or nothing
   pairs), 2 (unusable input: exactly one line on stderr); never a traceback.
3. Canary keys planted in every key syntax each reader supports, and in passwords and SNMP
   communities around them, must appear in no output (terminal, ``--json``, ``--lang zh``), no
   error message, and no ``repr``/JSON of any ``DeviceConfig`` or ``PairResult``.

Speed is measured by ``bench/check_fleet.py`` (fleet and 16 MB adversarial configurations), not
here: the subprocess tests only bound the time generously.
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import msgspec
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ipsec_doctor.check.build import build
from ipsec_doctor.config import READERS, ConfigError, load_text, reader
from ipsec_doctor.config.model import DeviceConfig, Tunnel
from ipsec_doctor.negotiate import check_pair
from ipsec_doctor.negotiate.result import PairResult
from ipsec_doctor.report.check_terminal import render
from matrix import cisco_asa, cisco_ios, huawei_ar, huawei_usg, strongswan

TESTS = Path(__file__).resolve().parent
CONFIGS = TESTS / "fixtures" / "config"
MODULES = (huawei_ar, huawei_usg, cisco_ios, cisco_asa, strongswan)


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_fleet", TESTS.parent / "bench" /
                                                  "check_fleet.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# -- corpus: (name, text, partner text or None) ---------------------------------------------------


def _corpus() -> list[tuple[str, str, str | None]]:
    out: list[tuple[str, str, str | None]] = []
    for mod in MODULES:
        for version in (1, 2):
            for nat in (False, True):
                a = mod.baseline("a", version, nat)
                b = mod.baseline("b", version, nat)
                out.append((f"{mod.VENDOR} v{version} nat={nat} b", b, a))
                out.append((f"{mod.VENDOR} v{version} nat={nat} a", a, b))
            for key, flip in mod.FLIPS.items():
                try:
                    text = flip(mod.baseline("b", version, False), version, False)
                except Exception:  # flips the vendor cannot express for this version
                    continue
                out.append((f"{mod.VENDOR} v{version} {key}", text, mod.baseline("a", version)))
    for path in sorted(CONFIGS.rglob("*")):
        if path.is_file() and path.suffix != ".md":
            out.append((str(path.relative_to(CONFIGS)), path.read_text("utf-8", "replace"), None))
    return out


CORPUS = _corpus()

# lines that belong to some vendor's syntax (swapped into others' configurations)
KEYWORD_LINES = [
    "ike peer p1", " pre-shared-key cipher %^%#abc", " remote-address 1.1.1.1", "#", "return",
    "ipsec policy-template t 1", " security acl 3000", "acl number 3000",
    " rule 5 permit ip source 10.1.1.0 0.0.0.255", "ip route-static 0.0.0.0 0 1.1.1.1",
    "crypto map M 10 ipsec-isakmp", " set peer 1.1.1.1", "crypto isakmp policy 1", " group 14",
    "crypto ikev2 profile P", " match identity remote address 0.0.0.0", "!", "end",
    "crypto ipsec transform-set T esp-aes 256 esp-sha-hmac", "interface GigabitEthernet0/0",
    " ip address 1.1.1.1 255.255.255.0", " crypto map M", "ip access-list extended X",
    " permit ip any any", "tunnel-group 1.1.1.1 ipsec-attributes", "nameif outside",
    "object-group network G", " network-object host 1.1.1.1", "object network O",
    " nat (inside,outside) dynamic interface", "access-list A extended permit ip any any",
    "connections {", "}", "{", "children {", "local_ts = 10.1.1.0/24", "secrets {",
    "proposals = aes256-sha256-modp2048", "conn x", "  left=1.1.1.1", "  also=x", "config setup",
    "include /etc/ipsec.d/*.conf", ': PSK "x"', "version = 9", "rekey_time = 99999999999d",
]
PROMPTS = ["<FW1>", "R1#", "ciscoasa(config)#", "[FW1-ike-peer-p1]", "moon:~# ", "R1(config-if)#",
           "<FW1>display current-configuration", "R1#show running-config"]
MORE = "  ---- More ----\x1b[42D                                          \x1b[42D"
NUMBERS = ["0", "1", "-1", "00", "256", "65536", "4294967296", "9" * 5000, "²", "١٤", "1e999",
           "0x10", "999999999999999999999999"]
WORDS = ["", "{", "}", "=", "\"", "'", "%^%#", "0x", "0s", "any", "x", "2001:db8::1", "1.1.1.1/33",
         "256.1.1.1", "255.0.255.0", "aes999", "group", "::/0", "\\", "#", "!"]
OPS = ("drop", "dup", "truncate", "shuffle", "swap", "crlf", "tabs", "more", "prompt", "bytes",
       "number", "word", "repeat", "bom")


def mutate(text: str, ops: list[tuple[str, int, int]], decoding: str) -> str:
    """Apply the mutations; ``bytes`` inserts non-UTF-8 bytes, decoded at the end with
    ``decoding`` (``replace`` is what the command line does)."""
    lines = text.split("\n")
    raw_inserts: list[tuple[int, int, bytes]] = []
    for op, x, y in ops:
        if not lines:
            lines = [""]
        i = x % len(lines)
        ln = lines[i]
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, ln)
        elif op == "truncate":
            lines[i] = ln[: y % (len(ln) + 1)]
        elif op == "shuffle":
            random.Random(y).shuffle(lines)
        elif op == "swap":
            lines[i] = KEYWORD_LINES[y % len(KEYWORD_LINES)]
        elif op == "crlf":
            lines = [s + "\r" for s in lines]
        elif op == "tabs":
            lines = [s.replace(" ", "\t") for s in lines]
        elif op == "more":
            lines.insert(i, MORE)
        elif op == "prompt":
            lines.insert(i, PROMPTS[y % len(PROMPTS)] + (ln if y % 2 else ""))
        elif op == "bytes":
            raw_inserts.append((i, y, bytes([0x80 + y % 128, 0xC0 + x % 64, 0xFF])))
        elif op == "number":
            new = NUMBERS[y % len(NUMBERS)]
            lines[i] = re.sub(r"\d+", new, ln, count=1 + y % 3)
        elif op == "word":
            w = ln.split()
            if w:
                w[y % len(w)] = WORDS[x % len(WORDS)]
                lines[i] = " ".join(w)
        elif op == "repeat":
            j = y % len(lines)
            lo, hi = min(i, j), max(i, j)
            lines[lo:hi] = lines[lo:hi] * 2 if hi - lo < 40 else lines[lo:hi]
        elif op == "bom":
            lines[0] = "\ufeff" + lines[0]
    if not raw_inserts and decoding == "replace":
        return "\n".join(lines)
    data = [s.encode("utf-8") for s in lines]
    for i, y, junk in raw_inserts:
        if i < len(data):
            pos = y % (len(data[i]) + 1)
            data[i] = data[i][:pos] + junk + data[i][pos:]
    return b"\n".join(data).decode("utf-8", decoding) if decoding != "latin-1" else (
        b"\n".join(data).decode("latin-1"))


def parsed_or_refused(parse, text: str, source: str = "mutated.cfg") -> list[DeviceConfig]:
    """The reader contract: DeviceConfig objects (serialisable) or ConfigError."""
    try:
        out = parse(text, source)
    except ConfigError as exc:
        assert str(exc).strip()
        return []
    assert isinstance(out, list)
    assert all(isinstance(d, DeviceConfig) for d in out)
    for d in out:
        assert all(isinstance(t, Tunnel) for t in d.tunnels)
    return out


def all_readers(text: str) -> list[DeviceConfig]:
    devices = parsed_or_refused(load_text, text)
    for name in READERS:
        devices += parsed_or_refused(reader(name).parse, text)
    return devices


def checked(devices: list[DeviceConfig], lang: str = "en") -> str:
    """Build the report and render it every way the command line does; never raises."""
    report = build(devices, lang=lang)
    out = render(report, width=80, color=lang == "zh")
    return out + msgspec.json.encode(report).decode("utf-8")


_MUTATION = st.tuples(st.sampled_from(OPS), st.integers(0, 1 << 20), st.integers(0, 1 << 20))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=st.sampled_from(CORPUS),
    ops=st.lists(_MUTATION, min_size=1, max_size=8),
    decoding=st.sampled_from(["replace", "replace", "surrogateescape", "latin-1"]),
    lang=st.sampled_from(["en", "zh"]),
)
def test_mutated_configurations_parse_or_are_refused(
    case: tuple[str, str, str | None], ops: list[tuple[str, int, int]], decoding: str, lang: str
) -> None:
    _name, text, partner = case
    mutated = mutate(text, ops, decoding)
    devices = all_readers(mutated)
    if partner is not None:
        devices += parsed_or_refused(load_text, partner, "partner.cfg")
    if decoding != "surrogateescape":  # lone surrogates cannot come from the command line
        checked(devices, lang)
    else:
        build(devices, lang=lang)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.sampled_from([c for c in CORPUS if c[2] is not None]),
       other=st.sampled_from([c for c in CORPUS if c[2] is not None]),
       ops=st.lists(_MUTATION, min_size=1, max_size=4))
def test_mutated_pairs_of_any_vendors_check(
    case: tuple[str, str, str | None], other: tuple[str, str, str | None],
    ops: list[tuple[str, int, int]],
) -> None:
    """Two mutated ends of different vendors / scenarios: pairing and simulation hold."""
    devices = parsed_or_refused(load_text, mutate(case[1], ops, "replace"), "x.cfg")
    devices += parsed_or_refused(load_text, mutate(other[2] or "", ops[::-1], "replace"), "y.cfg")
    checked(devices)


_TOKENS = sorted({w for _, text, _ in CORPUS for w in text.split()})
_SOUP = st.sampled_from(
    [*_TOKENS, "\n", "\n", "\n", " ", "{", "}", "=", ":", "\r\n", "\t", "\x1b[42D", "²", "\ufeff",
     "%^%#", "#", "!", "\n#\n", "\n!\n", " {\n", "\n}\n", "\x0c", "\u3000"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(_SOUP, max_size=400))
def test_token_soup_parses_or_is_refused(parts: list[str]) -> None:
    text = " ".join(parts)
    checked(all_readers(text))


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=3000))
def test_arbitrary_unicode_parses_or_is_refused(text: str) -> None:
    checked(all_readers(text))


@pytest.mark.parametrize("case", CORPUS, ids=[c[0] for c in CORPUS])
def test_every_corpus_configuration_truncated_anywhere(case: tuple[str, str, str | None]) -> None:
    """Every prefix at a line boundary and mid-line (a paste cut short) of every configuration."""
    _name, text, _partner = case
    rng = random.Random(len(text))
    cuts = sorted({rng.randrange(len(text) + 1) for _ in range(6)} | {len(text) // 2})
    for cut in cuts:
        checked(all_readers(text[:cut]))


ODD_NUMBERS = ("²", "١٤", "00", "1e5", "9" * 4400)


@pytest.mark.parametrize("mod", MODULES, ids=[m.VENDOR for m in MODULES])
@pytest.mark.parametrize("version", [1, 2])
def test_odd_numbers_on_every_line(mod: ModuleType, version: int) -> None:
    """Numbers of every baseline line replaced by a superscript, Arabic-Indic digits, a leading
    zero, an exponent or 4400 digits (Python refuses to convert over 4300): ``str.isdigit``,
    ``int`` and ``ipaddress`` disagree on these."""
    text, partner = mod.baseline("b", version), mod.baseline("a", version)
    others = load_text(partner, "a.cfg")
    lines = text.split("\n")
    for i, ln in enumerate(lines):
        if not any(c.isdigit() for c in ln):
            continue
        for odd in ODD_NUMBERS:
            for count in (0, 1):  # every number of the line, or its first only
                new = "\n".join([*lines[:i], re.sub(r"\d+", odd, ln, count=count),
                                 *lines[i + 1:]])
                checked(parsed_or_refused(load_text, new) + others)


@pytest.mark.parametrize("mod", MODULES, ids=[m.VENDOR for m in MODULES])
@pytest.mark.parametrize("version", [1, 2])
def test_every_line_cut_short(mod: ModuleType, version: int) -> None:
    """Each baseline line cut in the middle of its last word (``exchange-mode m``), as a paste
    through a narrow terminal leaves it; a value the reader does not know must not reach the
    simulator."""
    text, partner = mod.baseline("b", version), mod.baseline("a", version)
    others = load_text(partner, "a.cfg")
    lines = text.split("\n")
    for i, ln in enumerate(lines):
        words = ln.split()
        if len(words) < 2:
            continue
        for keep in (1, len(words[-1]) // 2):
            cut = ln[: len(ln) - len(words[-1]) + keep]
            new = "\n".join([*lines[:i], cut, *lines[i + 1:]])
            checked(parsed_or_refused(load_text, new) + others)


# -- the command line -------------------------------------------------------------------------------


def cli(*args: str, stdin: bytes | None = None, timeout: float = 300
        ) -> subprocess.CompletedProcess:
    res = subprocess.run(
        [sys.executable, "-m", "ipsec_doctor", "check", *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=timeout,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "120"},
    )
    for stream in (res.stdout, res.stderr):
        assert b"Traceback" not in stream, stream.decode("utf-8", "replace")[-2000:]
    return res


def refused(res: subprocess.CompletedProcess, *words: str) -> str:
    """Exit 2, nothing on stdout, exactly one line on stderr naming the problem."""
    err = res.stderr.decode("utf-8", "replace")
    assert res.returncode == 2, (res.returncode, err)
    assert res.stdout == b""
    assert err.startswith("ipsec-doctor: ") and err.endswith("\n") and err.count("\n") == 1, err
    for w in words:
        assert w in err, err
    return err


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (bytes(range(256)) * 64, "binary"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "image"),
        (b"\xd4\xc3\xb2\xa1\x02\x00\x04\x00" + bytes(16) + b"\xff\xff\x00\x00\x01\x00\x00\x00",
         "packet capture, not a configuration"),
        (b"", "empty"),
        (b"\n \n\t\n", "empty"),
        (b"hello\nworld\n", "not a Huawei, Cisco IOS/ASA or strongSwan configuration"),
    ],
    ids=["binary", "png", "pcap", "empty", "blank", "prose"],
)
def test_unusable_file_is_refused_in_one_line(tmp_path: Path, content: bytes, words: str) -> None:
    good = write(tmp_path, "good.cfg", huawei_ar.baseline("a", 2))
    bad = write(tmp_path, "bad.cfg", content)
    refused(cli(str(good), str(bad)), "bad.cfg", words)
    refused(cli(str(bad)), words)


def test_folder_without_configurations_is_refused(tmp_path: Path) -> None:
    refused(cli(str(tmp_path)), "no configuration of a supported vendor found")
    write(tmp_path, "notes.txt", "shopping list\n")
    write(tmp_path, "image.png", b"\x89PNG\r\n\x1a\n" + bytes(100))
    write(tmp_path, "empty.cfg", b"")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "junk.bin", bytes(range(256)) * 8)
    refused(cli(str(tmp_path)), "no configuration of a supported vendor found")
    refused(cli("--json", str(tmp_path)), "no configuration")


def test_configurations_without_tunnels_or_peers(tmp_path: Path) -> None:
    """A configuration with no IPsec is unusable (2); two that do not pair exit 1."""
    plain = "#\n sysname R1\n#\ninterface GigabitEthernet0/0/1\n ip address 192.0.2.1 " \
        "255.255.255.0\n#\nreturn\n"
    refused(cli(str(write(tmp_path, "plain.cfg", plain))), "no IPsec tunnel")
    lone = write(tmp_path, "lone.cfg", cisco_ios.baseline("a", 1))
    stranger = write(tmp_path, "stranger.cfg", _bench().relocate(cisco_asa.baseline("b", 1), 9))
    res = cli("--json", str(lone), str(stranger))
    assert res.returncode == 1, res.stderr
    doc = json.loads(res.stdout)
    assert doc["tunnels"] == [] or all(t["outcome"] == "fails" for t in doc["tunnels"])


def test_fleet_of_300_configurations(tmp_path: Path) -> None:
    """150 generated pairs (every vendor combination, IKE v1 and v2, each pair on its own
    addresses) with one key changed: every pair is found, exactly that one fails."""
    bench = _bench()
    files = bench.fleet(150)
    k, x, y, version = next(p for p in bench.plan(150) if p[0] >= 77 and p[2] is cisco_ios)
    _name_a, name_b = bench.file_names(k, x, y)
    files[name_b] = y.FLIPS["psk"](files[name_b], version, False)
    for name, text in files.items():
        write(tmp_path, name, text)
    write(tmp_path, "README.txt", "fleet of generated configurations\n")
    assert len(files) == 300
    res = cli("--json", str(tmp_path), timeout=600)
    assert res.returncode == 1, res.stderr
    doc = json.loads(res.stdout)
    assert len(doc["devices"]) == 300 and len(doc["tunnels"]) == 150
    assert doc["unpaired"] == [] and [Path(s["source"]).name for s in doc["skipped"]] == [
        "README.txt"]
    for t in doc["tunnels"]:  # each pair found its own partner
        assert Path(t["a_source"]).name[:6] == Path(t["b_source"]).name[:6], t
    failing = [t for t in doc["tunnels"] if t["outcome"] != "established"]
    assert [(Path(t["b_source"]).name, t["findings"][0]["cause"]) for t in failing] == [
        (name_b, "psk-mismatch")]
    res = cli(str(tmp_path), timeout=600)
    assert res.returncode == 1 and b"psk-mismatch" in res.stdout


def test_20mb_file_is_refused(tmp_path: Path) -> None:
    base = huawei_ar.baseline("a", 2)
    pad = "#" + " " * 1022 + "\n"
    big = write(tmp_path, "big.cfg", base + pad * (20 * 1024))
    assert big.stat().st_size > 20 * 1024 * 1024
    partner = write(tmp_path, "b.cfg", huawei_ar.baseline("b", 2))
    refused(cli(str(big), str(partner), timeout=120), "big.cfg", "too large", "16 MB")
    refused(cli("-", str(partner), stdin=big.read_bytes(), timeout=120), "<stdin>", "too large")


def test_3mb_single_line(tmp_path: Path) -> None:
    """A 3 MB line alone is no configuration; inside a configuration it is harmless."""
    line = "ip address " + "1.1.1.1 " * (3 * 1024 * 1024 // 8)
    alone = write(tmp_path, "line.cfg", line)
    refused(cli(str(alone), timeout=120), "line.cfg")
    base = cisco_ios.baseline("a", 2).replace(" description LAN\n",
                                               " description " + "L" * (3 << 20) + "\n")
    a = write(tmp_path, "a.cfg", base)
    b = write(tmp_path, "b.cfg", strongswan.baseline("b", 2))
    res = cli("--json", str(a), str(b), timeout=120)
    assert res.returncode == 0, res.stderr
    ev = [e["text"] for t in json.loads(res.stdout)["tunnels"] for w in t["warnings"]
          for e in w["evidence"]]
    assert all(len(x) < 4096 for x in ev)


def test_stdin_dash(tmp_path: Path) -> None:
    b = write(tmp_path, "b.cfg", cisco_asa.baseline("b", 2))
    res = cli("--json", "-", str(b), stdin=huawei_usg.baseline("a", 2).encode())
    assert res.returncode == 0, res.stderr
    (t,) = json.loads(res.stdout)["tunnels"]
    assert t["a_source"] == "<stdin>" and t["outcome"] == "established"
    flipped = cisco_asa.FLIPS["ike.dh"](cisco_asa.baseline("b", 2), 2, False)
    res = cli("-", str(write(tmp_path, "c.cfg", flipped)),
              stdin=huawei_usg.baseline("a", 2).encode())
    assert res.returncode == 1 and b"ike-dh-group-mismatch" in res.stdout
    refused(cli("-", "-"), "stdin")
    refused(cli("-", str(b)), "<stdin>", "empty")
    refused(cli("-", str(b), stdin=bytes(range(256)) * 10), "<stdin>", "binary")


def test_ipsec_secrets_companion_empty_or_binary(tmp_path: Path) -> None:
    """``ipsec.conf`` is read with its ``ipsec.secrets``: an empty one adds nothing (the key is
    then missing), a binary one makes the configuration unusable, naming the secrets file."""
    a = write(tmp_path, "a.ipsec.conf", IPSEC_CONF.format(
        me="192.0.2.1", peer="198.51.100.2", lan="10.1.1.0/24", plan="10.2.2.0/24"))
    secrets = write(tmp_path, "a.ipsec.secrets", b"")
    b = write(tmp_path, "b.ipsec.conf", IPSEC_CONF.format(
        me="198.51.100.2", peer="192.0.2.1", lan="10.2.2.0/24", plan="10.1.1.0/24")
        + '198.51.100.2 192.0.2.1 : PSK "Matrix-Key-42"\n')
    res = cli("--json", str(a), str(b))
    assert res.returncode == 1, res.stderr
    (t,) = json.loads(res.stdout)["tunnels"]
    assert "psk-mismatch" in [f["cause"] for f in t["findings"]]
    secrets.write_text('192.0.2.1 198.51.100.2 : PSK "Matrix-Key-42"\n')
    assert cli(str(a), str(b)).returncode == 0
    secrets.write_bytes(bytes(range(256)) * 4)
    refused(cli(str(a), str(b)), "a.ipsec.secrets", "binary")


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    refused(cli(), "give two configuration files")
    refused(cli(str(tmp_path / "missing.cfg")), "missing.cfg", "no such file")


SECRET_NAMES = ["pre-shared-key CanaryFileName1.cfg", "password=CanaryFileName2.cfg",
                "secret CanaryFileName3"]


@pytest.mark.parametrize("name", SECRET_NAMES)
def test_secret_in_a_file_name_never_shows(tmp_path: Path, name: str) -> None:
    canary = name.split()[-1].split("=")[-1].removesuffix(".cfg")
    folder = tmp_path / "cfg"
    folder.mkdir()
    good = write(folder, name, huawei_ar.baseline("a", 1))
    partner = write(folder, "b.cfg", cisco_ios.FLIPS["psk"](cisco_ios.baseline("b", 1), 1, False))
    outputs = []
    for args in ((), ("--json",), ("--lang", "zh")):
        res = cli(*args, str(good), str(partner))
        assert res.returncode == 1, res.stderr
        outputs.append(res.stdout + res.stderr)
        res = cli(*args, str(folder))
        assert res.returncode == 1, res.stderr
        outputs.append(res.stdout + res.stderr)
    write(folder, name + ".bin", b"\x00binary\x00" * 100)  # skipped in a folder, else refused
    outputs.append(cli("--json", str(folder)).stdout)
    outputs.append(refused(cli(str(folder / (name + ".bin")))).encode())
    outputs.append(refused(cli(str(folder / (name + "-missing")))).encode())
    joined = b"".join(outputs).decode("utf-8", "replace")
    assert canary not in joined and "Canary" not in joined
    assert "<redacted>" in joined


# -- secrets canary ----------------------------------------------------------------------------------

HUAWEI_EXTRA = """\
#
aaa
 local-user admin password cipher CanaryHwUser
 local-user ops password irreversible-cipher %@%@CanaryHwIrreversible%@%@
 local-user web password simple CanaryHwUserPlain
#
 snmp-agent community read cipher CanaryHwSnmpRead
 snmp-agent community write CanaryHwSnmpWrite
#
user-interface vty 0 4
 authentication-mode password
 set authentication password cipher CanaryHwVty
#"""
IOS_EXTRA = """\
enable secret 5 $1$CanaryIosEnable$abc
enable password CanaryIosEnablePw
username admin privilege 15 password 0 CanaryIosUser
username ops secret 9 $9$CanaryIosUserSecret
snmp-server community CanaryIosSnmp RO
tacacs-server key CanaryIosTacacs
key chain KC
 key 1
  key-string CanaryIosKeyString
crypto isakmp client configuration group GRP
 key CanaryIosGroupKey
!"""
ASA_EXTRA = """\
enable password CanaryAsaEnable encrypted
passwd CanaryAsaPasswd encrypted
username admin password CanaryAsaUser privilege 15
snmp-server community CanaryAsaSnmp
snmp-server host inside 10.1.1.9 community CanaryAsaSnmpHost version 2c
aaa-server RAD (inside) host 10.1.1.8
 key CanaryAsaRadius"""
SWANCTL_EXTRA = """\
   eap-carol {
      id = carol
      secret = "CanarySwEap"
   }
   xauth-x {
      id = x
      secret = CanarySwXauth
   }
   private-moon {
      file = moon.pem
      secret = "CanarySwKeyPassphrase"
   }
   ntlm-y {
      secret = 0x43616e617279
   }
}"""
IPSEC_CONF = """\
# /etc/ipsec.conf
config setup

conn site
	left={me}
	leftsubnet={lan}
	right={peer}
	rightsubnet={plan}
	authby=secret
	keyexchange=ikev2
	ike=aes256-sha256-modp2048!
	esp=aes256-sha256-modp2048!
	auto=start

"""
IPSEC_SECRETS_EXTRA = """\
carol : XAUTH "CanaryIpsecXauth"
: RSA moonKey.pem "CanaryIpsecRsaPassphrase"
dave : EAP "CanaryIpsecEap"
"""
# substrings that betray a planted secret (hex and base64 canaries have no "Canary" in them)
CANARY_MARKS = ("Canary", "c0ffee1234deadbeef", "Q2FuYXJ5", "43616e617279")


def _after(text: str, anchor: str, lines: str) -> str:
    assert anchor in text, anchor
    return text.replace(anchor, anchor + "\n" + lines, 1)


def _swap(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new)


def canary_cases() -> list[tuple[str, str, str, str]]:
    """(id, configuration with canaries, file suffix, partner configuration)."""
    out: list[tuple[str, str, str, str]] = []
    hw = _after(huawei_ar.baseline("a", 1), " sysname AR-A", HUAWEI_EXTRA)
    for i, line in enumerate([
        " pre-shared-key simple CanaryHwSimple",
        " pre-shared-key cipher %^%#CanaryHwBlob`k=P+7)%^%#",
        " pre-shared-key cipher CanaryHwCipherWord",
        " pre-shared-key CanaryHwBare",
        " pre-shared-key cipher %$%$CanaryHwDollar%$%$",
        ' pre-shared-key simple "CanaryHw Quoted"',
    ]):
        out.append((f"huawei-{i}", _swap(hw, " pre-shared-key simple Matrix-Key-42", line), ".cfg",
                    huawei_ar.baseline("b", 1)))
    for v in (1, 2):
        usg = _after(huawei_usg.baseline("a", v), " sysname FW-A", HUAWEI_EXTRA)
        out.append((f"usg-v{v}", _swap(usg, " pre-shared-key Matrix-Key-42",
                                       " pre-shared-key %^%#CanaryUsgBlob%^%#"), ".cfg",
                    huawei_usg.baseline("b", v)))
    ios1 = _after(cisco_ios.baseline("a", 1), "hostname a", IOS_EXTRA)
    v1_key = "crypto isakmp key Matrix-Key-42 address 198.51.100.2"
    for i, line in enumerate([
        "crypto isakmp key CanaryIosIsakmp address 198.51.100.2",
        "crypto isakmp key 6 CanaryIosType6 address 198.51.100.2",
        "crypto isakmp key 0 CanaryIosType0 address 198.51.100.2 255.255.255.255",
        "crypto keyring KR\n pre-shared-key address 198.51.100.2 key CanaryIosKeyring",
        "crypto keyring KR\n pre-shared-key address 198.51.100.2 255.255.255.255 key 7 "
        "CanaryIosKeyring7",
    ]):
        out.append((f"ios-v1-{i}", _swap(ios1, v1_key, line), ".cfg", cisco_ios.baseline("b", 1)))
    ios2 = _after(cisco_ios.baseline("a", 2), "hostname a", IOS_EXTRA)
    for i, line in enumerate([
        "  pre-shared-key CanaryIosV2Both",
        "  pre-shared-key local CanaryIosV2Local\n  pre-shared-key remote CanaryIosV2Remote",
        "  pre-shared-key 6 CanaryIosV2Six",
    ]):
        out.append((f"ios-v2-{i}", _swap(ios2, "  pre-shared-key Matrix-Key-42", line), ".cfg",
                    cisco_ios.baseline("b", 2)))
    out.append(("ios-v2-profile", _swap(
        ios2, " authentication remote pre-share\n authentication local pre-share\n keyring local "
        "KR-PEER\n", " authentication remote pre-share key CanaryIosProfileRemote\n authentication"
        " local pre-share key 6 CanaryIosProfileLocal\n"), ".cfg", cisco_ios.baseline("b", 2)))
    asa1 = _after(cisco_asa.baseline("a", 1), "hostname asa-a", ASA_EXTRA)
    for i, line in enumerate([" ikev1 pre-shared-key CanaryAsaV1", " pre-shared-key CanaryAsaOld",
                              " ikev1 pre-shared-key 'CanaryAsa Quoted'"]):
        out.append((f"asa-v1-{i}", _swap(asa1, " ikev1 pre-shared-key Matrix-Key-42", line), ".cfg",
                    cisco_asa.baseline("b", 1)))
    asa2 = _after(cisco_asa.baseline("a", 2), "hostname asa-a", ASA_EXTRA)
    asa2 = _swap(asa2, " ikev2 remote-authentication pre-shared-key Matrix-Key-42",
                 " ikev2 remote-authentication pre-shared-key CanaryAsaV2Remote")
    asa2 = _swap(asa2, " ikev2 local-authentication pre-shared-key Matrix-Key-42",
                 " ikev2 local-authentication pre-shared-key CanaryAsaV2Local")
    out.append(("asa-v2", asa2, ".cfg", cisco_asa.baseline("b", 2)))
    sw = strongswan.baseline("a", 2)
    sw = sw.rstrip()[:-1].rstrip() + "\n" + SWANCTL_EXTRA + "\n"  # more sections in secrets
    for i, line in enumerate(['      secret = "CanarySwQuoted"', "      secret = CanarySwBare",
                              "      secret = 0x00c0ffee1234deadbeef77",
                              "      secret = 0sQ2FuYXJ5QmFzZTY0U3c="]):
        out.append((f"swanctl-{i}", _swap(sw, '      secret = "Matrix-Key-42"', line),
                    ".swanctl.conf", strongswan.baseline("b", 2)))
    a, b = IPSEC_CONF.format(me="192.0.2.1", peer="198.51.100.2", lan="10.1.1.0/24",
                             plan="10.2.2.0/24"), IPSEC_CONF.format(
        me="198.51.100.2", peer="192.0.2.1", lan="10.2.2.0/24", plan="10.1.1.0/24")
    b += '198.51.100.2 192.0.2.1 : PSK "Matrix-Key-42"\n'
    for i, line in enumerate([
        '192.0.2.1 198.51.100.2 : PSK "CanaryIpsecQuoted"',
        "192.0.2.1 198.51.100.2 : PSK CanaryIpsecBare",
        "192.0.2.1 198.51.100.2 : PSK 0x00c0ffee1234deadbeef88",
        "192.0.2.1 198.51.100.2 : PSK 0sQ2FuYXJ5SXBzZWNCNjQ=",
        "192.0.2.1 198.51.100.2 : PSK 'CanaryIpsecSingle'",
        ': PSK "CanaryIpsecAny"',
    ]):
        out.append((f"ipsec-{i}", a + line + "\n" + IPSEC_SECRETS_EXTRA, ".ipsec.conf", b))
    return out


CANARY_CASES = canary_cases()


def leaked(text: str) -> list[str]:
    return [m for m in CANARY_MARKS if m in text]


_CANARY_WORD = re.compile(r"Canary[A-Za-z0-9]*")


def _keywords_intact(original: str, damaged: str) -> bool:
    """Every canary still in ``damaged`` sits behind the same words as in ``original``."""
    before = {}
    for line in original.splitlines():
        for m in _CANARY_WORD.finditer(line):
            before.setdefault(m.group(0), line[: m.start()])
    for line in damaged.splitlines():
        for m in _CANARY_WORD.finditer(line):
            head = before.get(m.group(0))
            if head is not None and line[: m.start()] != head:
                return False
    return True


@pytest.mark.parametrize("case", CANARY_CASES, ids=[c[0] for c in CANARY_CASES])
def test_canaries_in_every_key_syntax_never_leak(case: tuple[str, str, str, str]) -> None:
    _id, text, _suffix, partner = case
    assert leaked(text), "the canary is planted"
    devices = load_text(text, "a.cfg")
    assert devices and devices[0].tunnels, "the configuration with canaries still parses"
    for d in devices:
        assert not leaked(repr(d)), repr(d)
        assert not leaked(msgspec.json.encode(d).decode("utf-8"))
    others = load_text(partner, "b.cfg")
    results: list[PairResult] = []

    def simulate(a, ta, b, tb) -> PairResult:
        res = check_pair(a, ta, b, tb)
        results.append(res)
        return res

    for lang in ("en", "zh"):
        report = build(devices + others, lang=lang, simulate=simulate)
        assert report.tunnels, "the pair is checked"
        out = render(report, width=100) + msgspec.json.encode(report).decode("utf-8")
        assert not leaked(out), out
    for res in results:
        assert not leaked(repr(res)) and not leaked(msgspec.json.encode(res).decode("utf-8"))
    for t in devices[0].tunnels:  # a planted key was read (digested), not lost
        assert t.psk is not None and t.psk.kind in ("plain", "cipher")


@pytest.mark.parametrize("blank", ["\t", "\xa0", "\u3000", "\u2003", "   "],
                         ids=["tab", "nbsp", "ideographic", "em", "3-spaces"])
def test_canaries_separated_by_other_blanks_never_leak(blank: str) -> None:
    """Configurations copied from web pages or documents: words separated by tabs, no-break or
    ideographic spaces, which the readers split on like spaces (and so must redaction)."""
    for cid, text, _suffix, partner in CANARY_CASES:
        odd = text.replace(" ", blank)
        devices: list[DeviceConfig] = []
        for parse in (load_text, *(reader(n).parse for n in READERS)):
            try:
                devices += parse(odd, "a.cfg")
            except ConfigError as exc:
                assert not leaked(str(exc)), (cid, str(exc))
        assert not leaked(repr(devices)), (cid, repr(devices))
        assert not leaked(checked(devices + load_text(partner, "b.cfg"))), cid


# a key whose keyword a mutation replaced ("ikev1 # KEY") is no longer recognisable as a key
_DAMAGE = st.tuples(st.sampled_from([op for op in OPS if op != "word"]), st.integers(0, 1 << 20),
                    st.integers(0, 1 << 20))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.sampled_from(CANARY_CASES), ops=st.lists(_DAMAGE, min_size=1, max_size=6))
def test_canaries_never_leak_from_damaged_configurations(
    case: tuple[str, str, str, str], ops: list[tuple[str, int, int]]
) -> None:
    """Damaged configurations holding canaries: no error message, model or report leaks them.
    Damage that reaches into the words before a canary on its line (``p\ufffdre-shared-key
    KEY``) is out of scope: with its keyword gone nothing can tell the value is a key."""
    text = mutate(case[1], ops, "replace")
    assume(_keywords_intact(case[1], text))
    devices: list[DeviceConfig] = []
    for parse in (load_text, *(reader(n).parse for n in READERS)):
        try:
            devices += parse(text, "a.cfg")
        except ConfigError as exc:
            assert not leaked(str(exc)), str(exc)
    assert not leaked(repr(devices)) and not leaked(msgspec.json.encode(devices).decode())
    assert not leaked(checked(devices + load_text(case[3], "b.cfg")))


def test_canaries_never_leak_through_the_command_line(tmp_path: Path) -> None:
    """Every canary configuration with its partner in one folder, in every output format; each
    one also named on the command line, and each one cut short so that it is refused."""
    folder = tmp_path / "fleet"
    folder.mkdir()
    for cid, text, suffix, partner in CANARY_CASES:
        if suffix == ".ipsec.conf":  # the secrets go in the companion file, as deployed
            conf, _, secrets = text.partition("\n\n\n")
            write(folder, f"{cid}{suffix}", conf + "\n")
            write(folder, f"{cid}.ipsec.secrets", secrets)
        else:
            write(folder, f"{cid}{suffix}", text)
        write(folder, f"{cid}-peer{suffix if suffix != '.ipsec.conf' else '.cfg'}", partner)
    outputs: list[str] = []
    for args in ((), ("--json",), ("--lang", "zh"), ("--json", "--lang", "zh")):
        res = cli(*args, str(folder), timeout=600)
        assert res.returncode == 1, res.stderr
        outputs.append(res.stdout.decode("utf-8") + res.stderr.decode("utf-8"))
    doc = json.loads(outputs[1])
    assert len(doc["tunnels"]) >= len(CANARY_CASES) // 2
    assert "psk-mismatch" in {f["cause"] for t in doc["tunnels"] for f in t["findings"]}
    for cid, text, suffix, _partner in CANARY_CASES[::3]:
        a = folder / f"{cid}{suffix}"
        b = folder / f"{cid}-peer{suffix if suffix != '.ipsec.conf' else '.cfg'}"
        res = cli("--json", str(a), str(b))
        assert res.returncode in (0, 1), res.stderr
        outputs.append(res.stdout.decode("utf-8") + res.stderr.decode("utf-8"))
        cut = write(tmp_path, f"cut-{cid}{suffix}", text[: len(text) * 2 // 3] + "\n{\n")
        outputs.append(cli(str(cut), str(b)).stderr.decode("utf-8"))
    joined = "\n".join(outputs)
    assert not leaked(joined), joined[max(0, joined.find("Canary") - 300):][:600]


def test_canary_in_an_internal_error_is_redacted(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    from typer.testing import CliRunner

    import ipsec_doctor.check.build as check_build
    from ipsec_doctor.cli import app

    def boom(*_args, **_kwargs):
        raise ValueError("pre-shared-key cipher %^%#CanaryInternal%^%# in crypto isakmp key "
                         "CanaryInternal2 address 1.1.1.1")

    monkeypatch.setattr(check_build, "build", boom)
    a = write(tmp_path, "a.cfg", huawei_ar.baseline("a", 1))
    b = write(tmp_path, "b.cfg", huawei_ar.baseline("b", 1))
    res = CliRunner().invoke(app, ["check", str(a), str(b)])
    assert res.exit_code == 3
    assert "internal error" in res.output and not leaked(res.output), res.output
