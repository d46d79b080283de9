"""strongSwan evidence: charon logs (``charon.py``) and state outputs (``status.py``).

``header.py`` reads the line headers shared with the Libreswan parsers (syslog, journal, daemon
log files); ``proposals.py`` compares received and configured proposal lists.
"""
