"""Libreswan evidence: pluto logs (``pluto.py``) and ``ipsec status`` / ``ipsec trafficstatus``
outputs (``status.py``)."""
