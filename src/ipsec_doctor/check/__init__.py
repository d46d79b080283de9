"""``ipsec-doctor check``: configurations in, predicted negotiation out.

``load.py`` reads configuration files (or a folder of them) into ``config.model.DeviceConfig``;
``pairing.py`` finds which tunnel of one device talks to which tunnel of another;
``build.py`` runs the simulator (``negotiate.check_pair``) on each pair and turns its result into
the ``ipsec-doctor/check/1`` report (``check/report.py`` holds the report types).  Pure except
``load.py``.
"""
