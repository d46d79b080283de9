"""Cisco IOS/IOS-XE and ASA parsers: show commands, debug output and syslog."""
