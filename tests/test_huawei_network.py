"""Network state around a tunnel: firewall sessions, server-map, NAT, routes and ping.

Seed samples are verbatim (seed and line named); fixtures follow the layouts of the USG/AR
manuals and command references, with documentation addresses:

* session-*.txt: seed 003 verbose layout; older glued ``-->`` rows (USG2000/5000 V300 manuals);
* server-map-usg9000.txt: https://www.codeprj.com/zh/blog/f581751.html (USG9000 entries);
  server-map-old.txt: the USG V100/V300 reference quoted at
  https://forum.huawei.com/enterprise/en/which-of-the-following-commands-is-used-to-displays-nat-information/thread/819685-861
  (``server-map N item(s)``, entries without ``Type:``);
* nat-server-ar.txt: seed 002 layout, two servers; nat-server-usg.txt: USG ``display nat server``
  (two ``key : value`` pairs a line); nat-outbound.txt: AR ``display nat outbound`` reference;
* routes-*.txt: AR/USG ``display ip routing-table [verbose]`` references (ECMP rows, VPN table,
  address query with ``Summary Count``);
* ping-df.txt: VRP ``ping`` reference (``-f``, ``-c``, ``-vpn-instance``).
"""

from __future__ import annotations

import re
import time

import pytest

from conftest import fixture_text
from ipsec_doctor.ingest.scan import scan_text
from ipsec_doctor.model import Line, State
from ipsec_doctor.parsers.base import Context
from ipsec_doctor.parsers.huawei.firewall_session import (
    FirewallSession,
    FirewallSessionParser,
    SessionTable,
    keyed,
    parse_duration,
    parse_endpoint,
)
from ipsec_doctor.parsers.huawei.nat import (
    NatOutbound,
    NatOutboundParser,
    NatOutboundTable,
    NatServer,
    NatServerParser,
    NatServerTable,
)
from ipsec_doctor.parsers.huawei.ping import PingParser, PingResult, parse_command
from ipsec_doctor.parsers.huawei.routes import Route, RoutesParser, RouteTable
from ipsec_doctor.parsers.huawei.server_map import ServerMapEntry, ServerMapParser, ServerMapTable


def facts(text: str, kind: type, mode: str = "full") -> list:
    return [f for f in scan_text(text, "t.txt", mode=mode) if isinstance(f, kind)]


def with_prompt(parser: object, command: str, lines: list[str]) -> list[State]:
    """Drive a parser as the scanner will once it hands over the prompt line."""
    out: list = []
    prompt = Line("t.txt", 1, f"<FW1> {command}")
    block = parser.start(Context("t.txt", "FW1", command, out.append, prompt))  # type: ignore[attr-defined]
    for n, text in enumerate(lines, start=2):
        assert block.feed(Line("t.txt", n, text))
    block.close()
    return out


# -- firewall session table ----------------------------------------------------------------------

# seed 003 line 98, verbatim: a blank line between every output line, a "//" annotation
SEED003_98 = """<FW1> display firewall session table verbose

udp VPN: public --> public ID: a68f5bd4603f01f756c5ab54663

Zone: local --> trust TTL: 00:02:00 Left: 00:01:58

Recv Interface: InLoopBack0

Interface: GigabitEthernet0/0/2 NextHop: 1.1.1.2 MAC: 2cab-0078-c406

<--packets: 0 bytes: 0 --> packets: 0 bytes: 0 //Check whether IKE negotiation packets are sent or received.

1.1.1.1:500 --> 2.1.1.1:500 PolicyName: default

Possible Causes
"""

# seed 003 line 2114, verbatim (trailing blanks kept)
SEED003_2114 = """    <FW2> display firewall session table 
     Current Total Sessions : 3                                                      
     telnet  VPN: public --> public  10.135.21.61:59128 --> 192.168.50.180:23        
     esp  VPN: public --> public  1.1.1.1:0 --> 2.1.1.1:0                            
     icmp  VPN: public --> public  10.1.2.2:44020[2.1.1.10:44020] --> 10.1.10.1:2048

    When PC2 pings PC1, the IP address 10.1.2.2 is translated to a public IP address 2.1.1.10.
"""


def test_verbose_session_from_seed() -> None:
    (s,) = facts(SEED003_98, FirewallSession)
    assert (s.protocol, s.vpn_source, s.vpn_destination) == ("udp", "public", "public")
    assert s.session_id == "a68f5bd4603f01f756c5ab54663"
    assert (s.source, s.source_port, s.destination, s.destination_port) == (
        "1.1.1.1",
        500,
        "2.1.1.1",
        500,
    )
    assert (s.zone_source, s.zone_destination, s.ttl, s.left) == ("local", "trust", 120, 118)
    assert (s.recv_interface, s.interface, s.next_hop, s.mac) == (
        "InLoopBack0",
        "GigabitEthernet0/0/2",
        "1.1.1.2",
        "2cab-0078-c406",
    )
    assert (s.forward_packets, s.forward_bytes, s.reverse_packets, s.reverse_bytes) == (0, 0, 0, 0)
    assert s.policy == "default" and s.verbose and s.ike and not s.nat
    assert s.ev.line == 3 and s.line_of("counters").line == 11 and s.line_of("flow").line == 13
    (t,) = facts(SEED003_98, SessionTable)
    assert t.rows == 1 and t.verbose and t.device == "FW1"


def test_brief_sessions_and_nat_from_seed() -> None:
    got = facts(SEED003_2114, FirewallSession)
    assert [(s.protocol, s.source, s.destination_port) for s in got] == [
        ("telnet", "10.135.21.61", 23),
        ("esp", "1.1.1.1", 0),
        ("icmp", "10.1.2.2", 2048),
    ]
    icmp = got[2]
    assert icmp.nat and (icmp.source_nat, icmp.source_nat_port) == ("2.1.1.10", 44020)
    assert [s.ev.line for s in got] == [3, 4, 5] and not any(s.verbose for s in got)
    (t,) = facts(SEED003_2114, SessionTable)
    assert (t.total, t.rows, t.lines["total"].line) == (3, 3, 2)


def test_verbose_fixture_several_sessions_paging_timestamp_slot() -> None:
    text = fixture_text("huawei/session-verbose.txt")
    got = facts(text, FirewallSession)
    assert [s.protocol for s in got] == ["udp", "icmp", "esp"]
    udp, icmp, esp = got
    assert udp.ike and (udp.forward_packets, udp.reverse_packets) == (6, 4)
    assert (udp.forward_bytes, udp.reverse_bytes, udp.policy) == (2130, 1420, "ike-local")
    assert (icmp.source_nat, icmp.source_nat_port, icmp.reverse_packets) == ("203.0.113.2", 2053, 0)
    assert (esp.zone_source, esp.zone_destination, esp.ttl, esp.left) == (
        "untrust",
        "local",
        600,
        598,
    )
    assert esp.forward_packets == 120 and esp.policy == "ipsec-in"
    (t,) = facts(text, SessionTable)
    assert (t.total, t.rows, t.verbose) == (3, 3, True)


def test_brief_fixture_old_layout_destination_nat_and_empty_filtered_output() -> None:
    text = fixture_text("huawei/session-brief.txt")
    got = facts(text, FirewallSession)
    assert [
        (s.protocol, s.source, s.source_port, s.destination, s.destination_port) for s in got
    ] == [
        ("http", "192.168.1.2", 2049, "10.1.1.2", 80),
        ("udp", "203.0.113.2", 4500, "198.51.100.9", 4500),
        ("tcp", "10.1.1.9", 51000, "198.51.100.20", 443),
        ("gre", "203.0.113.2", 0, "198.51.100.9", 0),
    ]
    assert got[1].ike and got[2].vpn_source == "vpn1"
    assert (got[2].destination_nat, got[2].destination_nat_port) == ("10.2.0.20", 8443)
    tables = facts(text, SessionTable)
    assert [(t.total, t.rows, t.filter) for t in tables] == [
        (4, 4, None),
        (0, 0, "destination global 198.51.100.99"),
    ]


def test_session_empty_output() -> None:
    (t,) = facts("<FW1> display firewall session table\n\n<FW1>\n", SessionTable)
    assert (t.rows, t.total, t.ev.line) == (0, None, 1)
    (t,) = with_prompt(FirewallSessionParser(), "display firewall session table verbose", [])
    assert isinstance(t, SessionTable) and t.ev.line == 1 and t.verbose and t.rows == 0


# -- server-map --------------------------------------------------------------------------------

# seed 003 line 2142, verbatim
SEED003_2142 = """    <FW2> display firewall server-map 
     Current Total Server-map : 2                                                    
     Type: Nat Server,  ANY -> 2.1.1.10:3389[10.1.2.2:3389],  Zone:---,  protocol:tcp 
     Vpn: public -> public                                                           
                                                                                     
     Type: Nat Server Reverse,  10.1.2.2[2.1.1.10] -> ANY,  Zone:---,  protocol:tcp 
     Vpn: public -> public,  counter: 1

    The preceding command output shows that the IP address 10.1.2.2 is translated to 2.1.1.10.
"""


def test_server_map_from_seed() -> None:
    fwd, rev = facts(SEED003_2142, ServerMapEntry)
    assert (fwd.type, fwd.source, fwd.destination, fwd.destination_port) == (
        "Nat Server",
        None,
        "2.1.1.10",
        3389,
    )
    assert (fwd.destination_nat, fwd.destination_nat_port, fwd.protocol) == (
        "10.1.2.2",
        3389,
        "tcp",
    )
    assert fwd.nat_server and not fwd.reverse and fwd.zone is None
    assert (rev.type, rev.source, rev.source_nat, rev.destination) == (
        "Nat Server Reverse",
        "10.1.2.2",
        "2.1.1.10",
        None,
    )
    assert (
        rev.reverse
        and rev.counter == 1
        and (rev.vpn_source, rev.vpn_destination)
        == (
            "public",
            "public",
        )
    )
    assert rev.ev.line == 6 and rev.line_of("counter").line == 7
    (t,) = facts(SEED003_2142, ServerMapTable)
    assert (t.total, t.rows) == (2, 2)


def test_server_map_usg9000_and_old_layouts() -> None:
    got = facts(fixture_text("huawei/server-map-usg9000.txt"), ServerMapEntry)
    assert [(e.type, e.protocol, e.left_time) for e in got] == [
        ("Nat Server", "any", None),
        ("Nat Server Reverse", "any", None),
        ("ASPF", "tcp", 287),
    ]
    assert got[2].application == "ftp-data" and got[0].line_of("protocol").line == 5
    old = facts(fixture_text("huawei/server-map-old.txt"), ServerMapEntry)
    assert [(e.type, e.source, e.source_nat, e.destination, e.destination_port) for e in old] == [
        ("No-Pat", "10.1.1.2", "203.0.113.100", None, None),
        ("Nat Server", None, None, "203.0.113.100", 21),
        ("STUN", None, None, "192.0.2.44", 4967),
    ]
    assert (old[0].zone, old[0].pool, old[0].left_time) == ("untrust", "61", 3)
    assert old[1].application == "ftp" and old[2].vpn_destination == "public"
    tables = facts(fixture_text("huawei/server-map-old.txt"), ServerMapTable)
    # the second command printed nothing: an empty table that cites its prompt
    assert [(t.total, t.rows, t.ev.line) for t in tables] == [(3, 3, 1), (None, 0, 13)]


def test_server_map_empty_output() -> None:
    (t,) = with_prompt(
        ServerMapParser(), "display firewall server-map", ["", " Current Total Server-map : 0"]
    )
    assert isinstance(t, ServerMapTable) and (t.rows, t.total, t.ev.line) == (0, 0, 1)


# -- NAT ---------------------------------------------------------------------------------------

# seed 002 line 1495, verbatim
SEED002_1495 = """<AR1> display nat outbound
NAT Outbound Information:
-----
Interface      Acl Address-group/IP/Interface  Type
-----
GigabitEthernet0/0/2 3300          1.1.1.1  easyip
-----
Total : 1

<AR1> display acl 3300
"""

# seed 002 line 1524, verbatim: the document's fences split the output
SEED002_1524 = """<AR1> display nat server
Nat Server Information:
Interface : GigabitEthernet0/0/2
Global IP/Port : current-interface/8080 (Real IP : 1.1.1.1)
Inside IP/Port : 10.1.1.2/8080
Protocol : 6(tcp)
VPN instance-name : ----
Acl number : ----

```

```
Vrrp id      : ----
Description : ----
Total:      1
```

从显示信息可以看出，因为报文源地址匹配NAT Server，所以Telnet时数据流被NAT转换。
"""


def test_nat_outbound_from_seed_and_fixture() -> None:
    (row,) = facts(SEED002_1495, NatOutbound)
    assert (row.interface, row.acl, row.address, row.type) == (
        "GigabitEthernet0/0/2",
        3300,
        "1.1.1.1",
        "easy-ip",
    )
    assert row.ev.line == 6 and row.device == "AR1"
    (t,) = facts(SEED002_1495, NatOutboundTable)
    assert (t.total, t.rows) == (1, 1)
    text = fixture_text("huawei/nat-outbound.txt")
    got = facts(text, NatOutbound)
    assert [(r.acl, r.type, r.address, r.address_group, r.address_interface) for r in got] == [
        (2000, "easy-ip", "203.0.113.100", None, None),
        (3001, "pat", None, 1, None),
        (3002, "no-pat", None, 2, None),
        (3300, "easy-ip", None, None, "Dialer1"),
    ]
    assert [(t.rows, t.total) for t in facts(text, NatOutboundTable)] == [(4, 4), (0, 0)]


def test_nat_server_ar_from_seed() -> None:
    (s,) = facts(SEED002_1524, NatServer)
    assert (s.interface, s.global_interface, s.global_address, s.global_port) == (
        "GigabitEthernet0/0/2",
        True,
        "1.1.1.1",
        8080,
    )
    assert (s.inside_address, s.inside_port, s.protocol, s.protocol_number) == (
        "10.1.1.2",
        8080,
        "tcp",
        6,
    )
    assert s.vpn is None and s.acl is None and s.vrrp is None and s.no_reverse is None
    assert s.ev.line == 3 and s.line_of("inside_address").line == 5
    assert s.line_of("vrrp").line == 13  # read across the fences
    (t,) = facts(SEED002_1524, NatServerTable)
    assert (t.total, t.rows) == (1, 1)


def test_nat_server_ar_fixture_two_servers() -> None:
    got = facts(fixture_text("huawei/nat-server-ar.txt"), NatServer)
    assert [(s.interface, s.global_address, s.global_port, s.inside_address) for s in got] == [
        ("GigabitEthernet0/0/1", "203.0.113.10", 80, "192.168.1.2"),
        ("Dialer1", "198.51.100.7", 3389, "192.168.1.3"),
    ]
    assert (got[1].protocol, got[1].vpn, got[1].acl, got[1].description) == (
        "udp",
        "red",
        "3010",
        "rdp-for-ops",
    )
    assert not got[0].global_interface and got[1].global_interface


def test_nat_server_usg_layout_with_no_reverse() -> None:
    text = fixture_text("huawei/nat-server-usg.txt")
    got = facts(text, NatServer)
    assert [
        (s.name, s.server_id, s.global_address, s.inside_address, s.no_reverse) for s in got
    ] == [
        ("rdp", 0, "203.0.113.10", "10.1.2.2", False),
        ("web", 1, "203.0.113.11", "10.1.2.8", True),
    ]
    assert (got[1].zone, got[1].global_port, got[1].inside_port, got[1].protocol) == (
        "untrust",
        80,
        80,
        "tcp",
    )
    assert got[1].ev.line == 16 and got[1].line_of("no_reverse").line == 23
    (t,) = facts(text, NatServerTable)
    assert (t.rows, t.total) == (2, 2)


def test_nat_empty_outputs() -> None:
    (t,) = with_prompt(NatServerParser(), "display nat server", [])
    assert isinstance(t, NatServerTable) and t.rows == 0 and t.ev.line == 1
    (t,) = with_prompt(NatOutboundParser(), "display nat outbound", [""])
    assert isinstance(t, NatOutboundTable) and t.rows == 0


# -- routes ------------------------------------------------------------------------------------

# seed 003 line 2292, verbatim
SEED003_2292 = """    <FW1> display ip routing-table 
    Route Flags: R - relay, D - download to fib                                      
    ------------------------------------------------------------------------------ 
    Routing Tables: Public                                                           
             Destinations : 15       Routes : 15                                     
                                                                                     
    Destination/Mask    Proto Pre  Cost      Flags NextHop         Interface       
                                                                                     
            0.0.0.0/0 Unr     70 0           D 192.168.1.1     GigabitEthernet1/0/7 
            1.1.1.0/24  Direct  0    0           D 1.1.1.1         GigabitEthernet1/0/1 
            1.1.1.1/32  Direct  0    0           D 127.0.0.1       GigabitEthernet1/0/1  
            2.1.1.0/24  Static  60 0          RD 1.1.1.2         GigabitEthernet1/0/1 
         10.128.0.0/10  Static  60 0          RD 192.168.50.1    GigabitEthernet1/0/5 
          127.0.0.0/8 Direct  0    0           D 127.0.0.1       InLoopBack0     
          127.0.0.1/32  Direct  0    0           D 127.0.0.1       InLoopBack0     
        192.168.1.0/24  Direct  0    0           D 192.168.1.2     GigabitEthernet1/0/7 
        192.168.1.2/32  Direct  0    0           D 127.0.0.1       GigabitEthernet1/0/7 
    ......

    The preceding command output shows that FW1 does not have a private network route to FW2.
"""


def test_routing_table_from_seed() -> None:
    got = facts(SEED003_2292, Route)
    assert len(got) == 9
    assert (got[0].prefix, got[0].protocol, got[0].preference, got[0].cost) == (
        "0.0.0.0/0",
        "Unr",
        70,
        0,
    )
    assert got[0].default and got[0].flags == ("D",) and got[0].next_hop == "192.168.1.1"
    static = got[3]
    assert (static.prefix, static.flags, static.next_hop, static.interface) == (
        "2.1.1.0/24",
        ("R", "D"),
        "1.1.1.2",
        "GigabitEthernet1/0/1",
    )
    assert static.table == "Public" and static.ev.line == 12
    # the seed's point: only the default route takes 10.1.2.2 (no private route to FW2)
    assert [r.prefix for r in got if r.contains("10.1.2.2")] == ["0.0.0.0/0"]
    assert got[4].contains("10.130.0.0/16") and not got[4].contains("10.0.0.0/8")
    (t,) = facts(SEED003_2292, RouteTable)
    assert (t.table, t.destinations, t.routes, t.rows) == ("Public", 15, 15, 9)


def test_equal_cost_routes_vpn_table_and_address_query() -> None:
    text = fixture_text("huawei/routes-ecmp.txt")
    got = facts(text, Route)
    ecmp = [r for r in got if r.prefix == "10.1.2.0/24"]
    assert [(r.next_hop, r.interface, r.ev.line) for r in ecmp] == [
        ("10.0.12.2", "GigabitEthernet0/0/2", 12),
        ("10.0.13.2", "GigabitEthernet0/0/3", 13),
        ("10.0.12.2", "GigabitEthernet0/0/2", 33),
        ("10.0.13.2", "GigabitEthernet0/0/3", 34),
    ]
    assert [r.table for r in got if r.prefix == "172.16.0.0/16"] == ["red"]
    tables = facts(text, RouteTable)
    assert [(t.table, t.rows, t.routes, t.query) for t in tables] == [
        ("Public", 7, 7, None),
        ("red", 1, 1, None),
        ("Public", 2, 2, "10.1.2.9"),
        (None, 0, None, "10.9.9.9"),  # no route at all to the address asked for
    ]


def test_verbose_routes() -> None:
    text = fixture_text("huawei/routes-verbose.txt")
    got = facts(text, Route)
    assert [(r.prefix, r.protocol, r.preference, r.active) for r in got] == [
        ("0.0.0.0/0", "Static", 60, True),
        ("0.0.0.0/0", "EBGP", 255, False),
        ("10.1.2.0/24", "Static", 60, True),
    ]
    first = got[0]
    assert (first.next_hop, first.interface, first.age, first.flags) == (
        "203.0.113.1",
        "Dialer1",
        93487,
        ("D",),
    )
    assert first.ev.line == 7 and first.line_of("interface").line == 15
    assert got[1].flags == () and got[1].neighbour == "198.51.100.1"
    assert got[2].flags == ("R", "D") and got[2].age == 723
    (t,) = facts(text, RouteTable)
    assert t.verbose and t.rows == 3


def test_routes_empty_output() -> None:
    (t,) = with_prompt(RoutesParser(), "display ip routing-table 10.9.9.9", [])
    assert isinstance(t, RouteTable) and (t.rows, t.query, t.ev.line) == (0, "10.9.9.9", 1)


# -- ping --------------------------------------------------------------------------------------

# seed 002 line 1983, verbatim
SEED002_1983 = """```
<AR1> ping -s 1418 -a 10.1.1.1 10.1.2.2
PING 10.1.2.2: 1418 data bytes, press CTRL+C to break
Reply from 10.1.2.2: bytes=1418 Sequence=1 ttl=126 time=67 ms
Reply from 10.1.2.2: bytes=1418 Sequence=2 ttl=126 time=50 ms
Reply from 10.1.2.2: bytes=1418 Sequence=3 ttl=126 time=50 ms
Reply from 10.1.2.2: bytes=1418 Sequence=4 ttl=126 time=50 ms
Reply from 10.1.2.2: bytes=1418 Sequence=5 ttl=126 time=50 ms

--- 10.1.2.2 ping statistics ---
5 packet(s) transmitted
5 packet(s) received
0.00% packet loss
round-trip min/avg/max = 50/53/67 ms

<AR1> ping -s 1419 -a 10.1.1.1 10.1.2.2
PING 10.1.2.2: 1419 data bytes, press CTRL+C to break
Request time out
Request time out
Request time out
Request time out
Request time out

--- 10.1.2.2 ping statistics ---
5 packet(s) transmitted
0 packet(s) received
100.00% packet loss
```
"""

# seed 003 line 2526, verbatim: odd indentation, prose right after the statistics
SEED003_2526 = """    <FW1> ping -s 1419 -a 10.1.1.1 10.1.2.2 
      PING 10.1.2.2: 1419  data bytes, press CTRL+C to break 
        Request time out 
        Request time out 
        Request time out 
        Request time out 
        Request time out 
     
      --- 10.1.2.2 ping statistics --- 
        5 packet(s) transmitted 
        0 packet(s) received 
    100.00% packet loss     

    The preceding command output shows that IPSec packets longer than 1418 bytes cannot be transmitted normally.
"""


def test_ping_mtu_pair_from_seed() -> None:
    ok, lost = facts(SEED002_1983, PingResult)
    assert (ok.target, ok.source, ok.size, ok.df) == ("10.1.2.2", "10.1.1.1", 1418, False)
    assert (ok.transmitted, ok.received, ok.loss_percent) == (5, 5, 0.0)
    assert (ok.rtt_min, ok.rtt_avg, ok.rtt_max) == (50, 53, 67) and ok.success
    assert [(r.seq, r.size, r.ttl, r.time_ms) for r in ok.replies][:2] == [
        (1, 1418, 126, 67),
        (2, 1418, 126, 50),
    ]
    assert [r.ev.line for r in ok.replies] == [4, 5, 6, 7, 8]
    assert (lost.size, lost.timeouts, lost.received, lost.loss_percent) == (1419, 5, 0, 100.0)
    assert lost.all_lost and not lost.success and lost.complete
    assert lost.line_of("loss").line == 27 and lost.line_of("timeout").line == 18


def test_ping_seed_odd_indentation_stops_before_prose() -> None:
    (p,) = facts(SEED003_2526, PingResult)
    assert (p.transmitted, p.received, p.loss_percent, p.timeouts) == (5, 0, 100.0, 5)
    assert p.line_of("transmitted").line == 10  # not the prose line that says "transmitted"
    assert p.ev.line == 1 and p.line_of("header").line == 2 and p.device == "FW1"


def test_ping_options_df_count_vpn_and_mixed_replies() -> None:
    text = fixture_text("huawei/ping-df.txt")
    df, vpn = facts(text, PingResult)
    assert (df.df, df.size, df.count, df.source, df.target) == (
        True,
        1472,
        3,
        "10.1.1.1",
        "10.1.2.2",
    )
    assert [r.timeout for r in df.replies] == [True, False, True] and df.answered == 1
    assert (df.transmitted, df.received, df.loss_percent) == (3, 1, 66.67)
    assert (vpn.vpn_instance, vpn.count, vpn.size, vpn.target) == ("red", 2, 56, "172.16.0.1")
    assert vpn.rtt_max == 2 and not vpn.df
    assert parse_command("ping ip -i GigabitEthernet 0/0/1 -range min 100 max 200 10.0.0.1") == {
        "interface": "GigabitEthernet0/0/1",
        "host": "10.0.0.1",
    }
    assert parse_command("display ping") == {}


def test_ping_headerless_second_ping_and_truncated_output() -> None:
    text = (
        "PING 10.9.9.9: 56  data bytes, press CTRL_C to break\n"
        "    Request time out\n"
        "PING 10.8.8.8: 56  data bytes, press CTRL_C to break\n"
        "    Reply from 10.8.8.8: bytes=56 Sequence=1 ttl=255 time=3 ms\n"
        "    Reply from 10.8.8.8: bytes=56 Sequ"
    )
    a, b = facts(text, PingResult)
    assert (a.target, a.timeouts, a.complete) == ("10.9.9.9", 1, False)
    assert (b.target, b.answered, b.complete, b.ev.line) == ("10.8.8.8", 2, False, 3)
    assert b.replies[1].seq is None and b.success


def test_ping_empty_output_and_other_vendors() -> None:
    (p,) = with_prompt(PingParser(), "ping -a 10.1.1.1 10.1.2.2", [])
    assert isinstance(p, PingResult) and (p.target, p.source, p.complete, p.replies) == (
        "10.1.2.2",
        "10.1.1.1",
        False,
        (),
    )
    cisco = "R1#ping 10.1.1.1\nType escape sequence to abort.\n!!!!!\n"
    assert facts(cisco, PingResult) == []


# -- every sample of the seeds ------------------------------------------------------------------

_COMMANDS = (
    (r"display firewall session table", SessionTable, 4),
    (r"display firewall server-map", ServerMapTable, 1),
    (r"display nat server", NatServerTable, 1),
    (r"display nat outbound", NatOutboundTable, 2),
    (r"display ip routing-table", RouteTable, 1),
    (r"ping ", PingResult, 9),
)


@pytest.mark.parametrize(("command", "kind", "count"), _COMMANDS)
def test_every_seed_sample_parses(seeds, command: str, kind: type, count: int) -> None:
    seen = 0
    for name in ("002_cdda174dccb642c3.txt", "003_959a0ef46ea275e6.txt"):
        text = (seeds / name).read_text(encoding="utf-8")
        prompts = [
            i + 1
            for i, line in enumerate(text.splitlines())
            if re.match(r"^\s{0,8}<\w{1,20}> " + command, line)
        ]
        got = facts(text, kind)
        assert len(got) == len(prompts), (name, command)
        seen += len(got)
        for f in got:
            assert f.device is not None
            if kind is PingResult:
                assert f.complete and f.transmitted == 5 and len(f.replies) == 5
            else:
                assert f.rows > 0
    assert seen == count


# -- helpers and robustness ----------------------------------------------------------------------


def test_field_helpers() -> None:
    assert keyed("Recv Interface: InLoopBack0", ("interface", "recv interface")) == {
        "recv interface": "InLoopBack0"
    }
    assert keyed(
        "Zone: local --> trust  TTL: 00:02:00  Left: 00:01:58", ("zone", "ttl", "left")
    ) == {
        "zone": "local --> trust",
        "ttl": "00:02:00",
        "left": "00:01:58",
    }
    assert parse_duration("1d01h58m07s") == 93487 and parse_duration("---") is None
    assert parse_endpoint("10.1.2.2:44020[2.1.1.10:44020]") == (
        "10.1.2.2",
        44020,
        "2.1.1.10",
        44020,
    )
    assert parse_endpoint("ANY") == (None, None, None, None)
    assert parse_endpoint("public") is None


@pytest.mark.parametrize(
    ("command", "first"),
    [
        ("display firewall session table verbose", " udp  VPN: public --> public  ID: 1"),
        ("display firewall server-map", "Type: ASPF, 192.168.10.5 -> 198.51.100.10:2165, Zone:---"),
        ("display nat server", "Interface : GigabitEthernet0/0/1"),
        ("display nat outbound", "NAT Outbound Information:"),
        (
            "display ip routing-table",
            "Destination/Mask    Proto   Pre  Cost  Flags NextHop  Interface",
        ),
        ("ping 10.1.1.1", "PING 10.1.1.1: 56  data bytes, press CTRL_C to break"),
    ],
)
def test_garbage_lines_are_linear_and_end_the_block(command: str, first: str) -> None:
    junk = ("Zone: " + "a:b -> " * 9000)[:65536]
    text = f"<FW1> {command}\n{first}\n{junk}\n{'x' * 65536}\n"
    t0 = time.perf_counter()
    got = scan_text(text, "t.txt")
    assert time.perf_counter() - t0 < 2.0
    assert any(isinstance(f, State) for f in got)


@pytest.mark.parametrize(
    "name",
    [
        "session-verbose.txt",
        "session-brief.txt",
        "server-map-usg9000.txt",
        "server-map-old.txt",
        "nat-server-ar.txt",
        "nat-server-usg.txt",
        "nat-outbound.txt",
        "routes-ecmp.txt",
        "routes-verbose.txt",
        "ping-df.txt",
    ],
)
def test_fast_mode_and_crlf_give_the_same_facts(name: str) -> None:
    text = fixture_text(f"huawei/{name}")

    def key(t: str, mode: str) -> list[tuple]:
        return [
            (type(f).__name__, f.ev.line, f.device)
            for f in scan_text(t, "t.txt", mode=mode)
            if isinstance(f, State)
        ]

    full = key(text, "full")
    assert full and full == key(text, "fast") == key(text.replace("\n", "\r\n"), "full")
