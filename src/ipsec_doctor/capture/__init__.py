"""Packet captures as evidence: pcap/pcapng reading (``read``), IKE/ESP decoding (``ike``),
IKE SAs and ESP flows (``flows``) and the facts they prove (``facts``).

Entry point: ``facts.capture_facts(chunks, source)``; ``ingest.reader`` routes a file here when
its first bytes are a pcap or pcapng magic number (``read.is_capture``).
"""
