"""Vendor-neutral evidence: text exports of packet captures and host-side tools."""
