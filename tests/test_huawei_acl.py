"""``display acl``: headers, rules in order, match counts, wrapped rows, address tests.

Seed samples are verbatim (seed and line named); fixtures follow the manuals' layout
(``display acl all`` of the VRP command reference) with documentation addresses.
"""

from __future__ import annotations

import re
import time

import pytest

from conftest import fixture_text
from ipsec_doctor.ingest.scan import scan_text
from ipsec_doctor.model import Line
from ipsec_doctor.parsers.base import Context
from ipsec_doctor.parsers.huawei.acl import Acl, AclOutput, AclParser, parse_header, parse_rule


def acls(text: str, mode: str = "full") -> list[Acl]:
    return [f for f in scan_text(text, "t.txt", mode=mode) if isinstance(f, Acl)]


def outputs(text: str) -> list[AclOutput]:
    return [f for f in scan_text(text, "t.txt") if isinstance(f, AclOutput)]


# seed 002 line 284, verbatim (Markdown fence included)
SEED002_284 = """```
<Huawei> display acl 3100
Advanced ACL 3100, 1 rule ( Reference counter 1 )
Acl's step is 5
rule 5 permit ip source 10.1.2.0 0.0.0.255 destination 10.1.1.0 0.0.0.255 (0 times matched)
```

步骤5 检查是否有NAT策略干扰IPSec保护数据流。
"""

# seed 002 line 658: the document splits the output with fences and blank lines
SEED002_658 = """.....
<Huawei> display acl 3100
Advanced ACL 3100, 1 rule ( Reference counter 1 )
```

Acl's step is 5

```
rule 5 permit ip source 10.1.2.0 0.0.0.255 destination 10.1.1.0 0.0.0.255 (0 times matched)
```

配置ACL规则需注意：
"""

# seed 002 line 1509: the match count of the last rule sits on its own line
SEED002_1509 = """<AR1> display acl 3300
Advanced ACL 3300, 1 rule
Acl's step is 5
rule 5 deny ip source 10.1.1.0 0.0.0.255 destination 10.1.2.0 0.0.0.255
rule 10 permit ip
(0 matches)

```
"""

# seed 003 line 1464: the terminal cut the rule at 80 columns ("(0 ti" / "mes matched)")
SEED003_1464 = """     
    <FW1> display acl 3000 
    Advanced ACL 3000, 1 rule ( Reference counter 1 )                                
    Acl's step is 5                                                                  
     rule 5 permit ip source 10.1.1.0 0.0.0.255 destination 10.1.2.0 0.0.0.255 (0 ti 
    mes matched) 

    The configuration of FW2 is similar to that of FW1, and is not mentioned here.
"""


def test_seed_sample_header_rule_and_count() -> None:
    (acl,) = acls(SEED002_284)
    assert (acl.number, acl.type, acl.rule_count, acl.step, acl.references) == (
        3100,
        "advanced",
        1,
        5,
        1,
    )
    assert acl.device == "Huawei" and acl.ev.line == 3
    (r,) = acl.rules
    assert (r.rule_id, r.order, r.action, r.protocol) == (5, 1, "permit", "ip")
    assert (r.source, r.source_wildcard) == ("10.1.2.0", "0.0.0.255")
    assert (r.destination, r.destination_wildcard) == ("10.1.1.0", "0.0.0.255")
    assert r.matches == 0 and r.complete and r.ev.line == 5
    assert acl.line_of("step").line == 4


def test_fences_and_blank_lines_inside_the_output_are_skipped() -> None:
    (acl,) = acls(SEED002_658)
    assert acl.step == 5 and acl.lines["step"].line == 6
    assert [r.rule_id for r in acl.rules] == [5] and acl.rules[0].ev.line == 9


def test_count_on_its_own_line_joins_the_last_rule_and_order_decides() -> None:
    (acl,) = acls(SEED002_1509)
    deny, permit = acl.rules
    assert (deny.order, deny.action, deny.matches) == (1, "deny", None)
    assert (permit.order, permit.rule_id, permit.protocol, permit.matches) == (2, 10, "ip", 0)
    assert permit.source is None and permit.destination is None  # any
    assert [e.line for e in permit.extra] == [6] and permit.ev.line == 5
    # the NAT ACL denies the protected flow before its catch-all permit (seed 002 root cause)
    assert acl.first_match("10.1.1.7", "10.1.2.9") is deny
    assert acl.permits("10.1.1.0/24", "10.1.2.0/24") is False
    assert acl.permits("10.1.1.7", "8.8.8.8") is True


def test_rule_cut_by_the_terminal_is_joined() -> None:
    (acl,) = acls(SEED003_1464)
    (r,) = acl.rules
    assert r.matches == 0 and r.complete
    assert r.ev.line == 5 and [e.line for e in r.extra] == [6]
    assert acl.device == "FW1"


def test_every_display_acl_of_the_seeds_parses(seeds) -> None:
    for name in ("002_cdda174dccb642c3.txt", "003_959a0ef46ea275e6.txt"):
        text = (seeds / name).read_text(encoding="utf-8")
        prompts = [
            i + 1
            for i, line in enumerate(text.splitlines())
            if re.match(r"^\s{0,8}<\w{1,20}> display {1,2}acl \d{4}", line)
        ]
        got = acls(text)
        assert [a.ev.line - 1 for a in got] == prompts, name
        for a in got:
            assert a.rules and all(r.complete and r.action for r in a.rules)
            assert a.rules[-1].matches is not None or a.rules[-1].rule_id == 5
        assert all(o.requested and o.acls == 1 for o in outputs(text))
    assert len(prompts) == 9  # seed 003: every sample, the cut ones included


def test_display_acl_all_fixture() -> None:
    got = acls(fixture_text("huawei/acl-all.txt"))
    assert [(a.number, a.name, a.type, len(a.rules)) for a in got] == [
        (2000, None, "basic", 3),
        (3300, "NAT_OUT", "advanced", 4),
        (3100, None, "advanced", 1),
        (3999, None, "advanced", 0),
    ]
    basic = got[0]
    assert basic.rules[0].protocol is None and basic.rules[0].source_wildcard == "0.0.0.0"
    assert [r.matches for r in basic.rules] == [12, 7, None]
    nat = got[1]
    www, udp = nat.rules[1], nat.rules[2]
    assert www.destination_port is not None and www.destination_port.low == 80
    assert www.destination_port.matches(80) and not www.destination_port.matches(8080)
    assert udp.source_port is not None and (udp.source_port.op, udp.source_port.low) == (
        "range",
        5000,
    )
    assert udp.source_port.high == 5100 and udp.vpn_instance == "red"
    assert [r.order for r in nat.rules] == [1, 2, 3, 4]
    assert got[3].rule_count == 0
    (out,) = outputs(fixture_text("huawei/acl-all.txt"))
    assert (out.requested, out.acls, out.total) == ("all", 4, 4)


def test_address_helpers_with_wildcards() -> None:
    (acl,) = acls(SEED002_284)
    (r,) = acl.rules
    assert r.covers("10.1.2.0/24", "10.1.1.0/24")
    assert r.covers("10.1.2.7", "10.1.1.200")
    assert not r.covers("10.1.2.0/23", "10.1.1.0/24")  # wider than the rule
    assert r.overlaps("10.1.2.0/23", "10.1.0.0/16")
    assert not r.overlaps("10.1.3.0/24")
    assert not r.covers("2001:db8::1")  # other family
    # non-contiguous wildcard: any 10.x.5.y
    fields, unknown = parse_rule("rule 5 permit ip source 10.0.5.0 0.255.0.255")
    assert unknown == 0 and fields["source_wildcard"] == "0.255.0.255"
    msg = fixture_text("huawei/acl-messy.txt")
    wild = next(a for a in acls(msg) if a.number == 3000).rules[1]
    assert wild.destination_wildcard == "0.0.255.0"
    # 0.0.255.0: the third octet is free, the fourth must be 0
    assert wild.covers(destination="172.16.9.0") and wild.covers(destination="172.16.200.0")
    assert not wild.covers(destination="172.16.9.4")
    assert wild.overlaps(destination="172.16.0.0/16") and not wild.covers(
        destination="172.16.0.0/16"
    )


def test_messy_paste_paging_wrap_ipv6_error_and_truncated_rule() -> None:
    text = fixture_text("huawei/acl-messy.txt")
    got = acls(text)
    assert [(a.device, a.number) for a in got] == [("FW1", 3000), ("FW2", 3344), ("FW2", 3002)]
    fw1 = got[0]
    assert [(r.rule_id, r.matches) for r in fw1.rules] == [(5, 0), (10, 3)]
    assert [e.line for e in fw1.rules[0].extra] == [5]  # across the paging prompt too
    v6 = got[1]
    assert v6.ipv6 and v6.match_order == "auto"
    assert v6.rules[0].covers("2001:db8:1:7::1", "2001:db8:2::/64")
    assert not v6.rules[0].covers("2001:db8:3::1")
    cut = got[2].rules[0]  # "destination 10.8.0.0 0.0.2" at the end of the paste
    assert not cut.complete and cut.destination == "10.8.0.0"
    assert not cut.covers(destination="10.8.0.1")  # never guess a cut wildcard
    outs = outputs(text)
    missing = next(o for o in outs if o.requested == "3001")
    assert missing.acls == 0 and missing.message == "The ACL does not exist."
    assert missing.lines["message"].line == 16
    assert next(o.total for o in outs if o.device == "FW2") == 1


def test_crlf_and_fast_mode_give_the_same_rules() -> None:
    text = SEED002_1509.replace("\n", "\r\n")
    full, fast = acls(text), acls(text, mode="fast")
    assert [(r.rule_id, r.matches) for r in full[0].rules] == [(5, None), (10, 0)]
    assert [(r.rule_id, r.matches, r.ev.line) for r in full[0].rules] == [
        (r.rule_id, r.matches, r.ev.line) for r in fast[0].rules
    ]


def test_empty_output() -> None:
    text = "<FW1> display acl 3100\n\n<FW1> display ike sa\n"
    assert acls(text) == []
    (out,) = outputs(text)
    assert (out.acls, out.requested, out.device, out.ev.line) == (0, "3100", "FW1", 1)
    # once the scanner hands over the prompt, the prompt line is the evidence
    facts: list = []
    prompt = Line("t.txt", 1, "<FW1> display acl 3100")
    AclParser().start(Context("t.txt", "FW1", "display acl 3100", facts.append, prompt)).close()
    (out,) = facts
    assert isinstance(out, AclOutput) and out.ev == prompt and out.acls == 0


def test_headerless_paste_and_prose_are_told_apart() -> None:
    text = "Advanced ACL 3100, 1 rule\nAcl's step is 5\n rule 5 permit ip (9 matches)\n"
    (acl,) = acls(text)
    assert acl.number == 3100 and acl.rules[0].matches == 9
    # seed 003 line 1928: a sentence with "ACL" and a comma is not a header
    assert (
        parse_header("Change the security ACL rule on FW1. The rules are similar, rule 5") is None
    )
    assert parse_header("Advanced ACL 3100, 1 rule ( Reference counter 1 )") is not None


def test_long_garbage_line_is_linear() -> None:
    junk = "rule 5 permit ip source " + "(0 " * 20000 + "\n" + "x" * 65536 + "\n"
    text = "<FW1> display acl 3000\nAdvanced ACL 3000, 1 rule\n" + junk
    t0 = time.perf_counter()
    got = acls(text)
    assert time.perf_counter() - t0 < 2.0
    assert got and got[0].number == 3000


@pytest.mark.parametrize(
    ("rule", "expect"),
    [
        ("rule 5 permit ip source 10.1.1.1 0", ("10.1.1.1", "0.0.0.0")),
        ("rule 5 permit ip source any", (None, None)),
        ("rule 5 permit ip source 10.1.1.0/24", ("10.1.1.0", "0.0.0.255")),
    ],
)
def test_source_forms(rule: str, expect: tuple) -> None:
    fields, unknown = parse_rule(rule)
    assert unknown == 0
    assert (fields.get("source"), fields.get("source_wildcard")) == expect
